// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/buddy_core.c: the input is a program of
 * allocations, frees (valid, stale and made-up), per-CPU cache moves,
 * adoptions and trims; the consistency checker runs after every step and
 * any broken invariant, WARN or sanitizer report is a crash.
 *
 *	make -C user fuzzers && build/user/fuzz/fuzz-buddy -runs=200000
 */
#include "buddy_host.h"

#define F_ORDERS	6
#define F_MAX_BLOCKS	256

struct f_block {
	unsigned long pfn;
	unsigned int order;
	struct mms_buddy_page *cached;
};

static void must(bool ok, struct host_buddy *hb, const char *what)
{
	char msg[200] = "";

	if (ok)
		return;
	mms_buddy_core_check(&hb->core, msg, sizeof(msg));
	fprintf(stderr, "fuzz-buddy: %s: %s\n", what, msg);
	__builtin_trap();
}

static void drop(struct f_block *blk, unsigned int *nr, unsigned int i)
{
	blk[i] = blk[--*nr];
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct f_block blk[F_MAX_BLOCKS];
	unsigned int nr = 0, i;
	struct host_buddy *hb;
	size_t pos = 0;

	if (size < 1)
		return 0;
	hb = hb_new(F_ORDERS, 1 + data[0] % 4, data[0] >> 6);
	if (!hb)
		return 0;
	pos = 1;
	while (pos + 2 <= size) {
		u8 op = data[pos], arg = data[pos + 1];
		LIST_HEAD(released);
		unsigned long pfn;
		long got;

		pos += 2;
		switch (op % 8) {
		case 0:	/* allocate */
		case 1:
			got = hb_alloc(hb, arg % (F_ORDERS + 1));
			if (got >= 0 && nr < F_MAX_BLOCKS)
				blk[nr++] = (struct f_block){ got, arg % (F_ORDERS + 1), NULL };
			break;
		case 2:	/* free something held (maybe stale), maybe wrong order */
			if (!nr)
				break;
			i = arg % nr;
			if (blk[i].cached) {
				mms_buddy_core_free_cached(&hb->core, blk[i].cached,
							   &released);
				hb_reap(hb, &released);
			} else {
				hb_free(hb, blk[i].pfn,
					op & 0x80 ? arg % 8 : blk[i].order);
			}
			drop(blk, &nr, i);
			break;
		case 3:	/* free a made-up frame near the chunks */
			pfn = hb_chunk_pfn(hb, arg % 8) + (op >> 3) * 3 +
			      (arg >> 3);
			hb_free(hb, pfn, (op >> 3) % (F_ORDERS + 1));
			break;
		case 4:	/* into or out of the per-CPU cache */
			if (!nr)
				break;
			i = arg % nr;
			if (blk[i].cached) {
				mms_buddy_core_uncache(blk[i].cached);
				blk[i].cached = NULL;
			} else if (!blk[i].order) {
				mms_buddy_core_cache(&hb->core, blk[i].pfn,
						     &blk[i].cached);
			}
			break;
		case 5:	/* adopt a range, overlapping or not */
			hb_adopt(hb, HB_ADOPT_BASE + arg,
				 (op >> 3) % (F_ORDERS + 1));
			break;
		case 6:	/* adopt inside a chunk held: must be refused */
			if (hb->out[arg % 4])
				must(hb_adopt(hb, hb_chunk_pfn(hb, arg % 4) +
					      (op >> 3), 0) == -EBUSY,
				     hb, "adopt in chunk");
			break;
		default:
			hb_trim(hb);
		}
		must(!mms_buddy_core_check(&hb->core, NULL, 0), hb, "checker");
		must(!host_warn_count, hb, "WARN");
		must(hb->core.nr_chunks == hb->chunks_out && !hb->bad_puts, hb,
		     "page source");
	}
	hb_fini(hb);
	must(hb->meta_live == 0, hb, "metadata leak");
	free(hb);
	return 0;
}
