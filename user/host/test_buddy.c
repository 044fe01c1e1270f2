// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit suite for module/buddy_core.c (binary host-buddy): splitting
 * and merging at every order, chunks coming and going, hysteresis, every
 * kind of refused free, adopted ranges, the per-CPU cache's states, the
 * checker itself, the fragmentation indices, and a random trace of
 * 100,000+ operations replayed against a simple model with the checker
 * after every step.
 */
#include "buddy_host.h"
#include "ktap.h"

#define NR_ORDERS	11
#define MAX_ORDER_	(NR_ORDERS - 1)
#define CHUNK_PAGES	BIT(MAX_ORDER_)

#define ASSERT_CONSISTENT(hb) do {					\
	char __m[200] = "";						\
	int __r = mms_buddy_core_check(&(hb)->core, __m, sizeof(__m));	\
	if (__r)							\
		ktap_diag("checker: %s", __m);				\
	ASSERT_EQ(0, __r);						\
	ASSERT_EQ(0, host_warn_count);					\
} while (0)

static struct host_buddy *new_hb(unsigned int nr_orders,
				 unsigned int max_chunks, unsigned int spare)
{
	struct host_buddy *hb = hb_new(nr_orders, max_chunks, spare);

	ASSERT_TRUE(hb);
	return hb;
}

/* Tear down with nothing allocated: every chunk and frame must go back. */
static void finish(struct host_buddy *hb)
{
	ASSERT_CONSISTENT(hb);
	ASSERT_EQ(0, hb_fini(hb));
	ASSERT_EQ(0, hb->chunks_out);
	ASSERT_EQ(0, hb->bad_puts);
	ASSERT_EQ(0, hb->meta_live);
	free(hb);
}

static unsigned long nr_free(struct host_buddy *hb, unsigned int order)
{
	return hb->core.free_area[order].nr_free;
}

/* ---- splitting and merging -------------------------------------------- */

KTAP_CASE_FN(alloc_splits_a_chunk_down_to_every_order)
{
	unsigned int order, o;

	for (order = 0; order < NR_ORDERS; order++) {
		struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
		long pfn = hb_alloc(hb, order);

		ASSERT_EQ(hb_chunk_pfn(hb, 0), pfn);
		ASSERT_EQ(1, hb->core.stats.chunks_taken);
		/* expand() left one free block at each order below the chunk's. */
		for (o = 0; o < NR_ORDERS; o++) {
			ASSERT_EQ(o >= order && o < MAX_ORDER_, nr_free(hb, o));
			ASSERT_EQ(o > order, hb->core.stats.splits[o]);
		}
		ASSERT_EQ(1, hb->core.stats.allocs[order]);
		ASSERT_EQ(CHUNK_PAGES - (1UL << order), hb->core.pages_free);
		ASSERT_CONSISTENT(hb);

		ASSERT_EQ(0, hb_free(hb, pfn, order));
		/* ... and freeing merges all the way back to one block. */
		for (o = 0; o < NR_ORDERS; o++) {
			ASSERT_EQ(o == MAX_ORDER_, nr_free(hb, o));
			ASSERT_EQ(o >= order && o < MAX_ORDER_,
				  hb->core.stats.merges[o]);
		}
		ASSERT_EQ(1, hb->core.stats.frees[order]);
		finish(hb);
	}
}

KTAP_CASE_FN(free_merges_with_buddy_found_by_flipping_the_order_bit)
{
	unsigned int order;

	for (order = 0; order < MAX_ORDER_; order++) {
		struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
		long a = hb_alloc(hb, order), b = hb_alloc(hb, order);
		unsigned long base = hb_chunk_pfn(hb, 0);

		/* The second block is the first one's buddy. */
		ASSERT_EQ(base, a);
		ASSERT_EQ((a - base) ^ (1UL << order), b - base);
		ASSERT_EQ(0, hb_free(hb, a, order));
		/* Its buddy is allocated: no merge yet. */
		ASSERT_EQ(0, hb->core.stats.merges[order]);
		ASSERT_EQ(1, nr_free(hb, order));
		ASSERT_CONSISTENT(hb);
		ASSERT_EQ(0, hb_free(hb, b, order));
		ASSERT_EQ(1, hb->core.stats.merges[order]);
		ASSERT_EQ(0, nr_free(hb, order));
		ASSERT_EQ(1, nr_free(hb, MAX_ORDER_));
		finish(hb);
	}
}

KTAP_CASE_FN(freeing_every_page_of_a_chunk_merges_level_by_level)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	unsigned long base, i;
	unsigned int o;

	for (i = 0; i < CHUNK_PAGES; i++)
		ASSERT_EQ(hb_chunk_pfn(hb, 0) + i, hb_alloc(hb, 0));
	base = hb_chunk_pfn(hb, 0);
	ASSERT_EQ(0, hb->core.pages_free);
	/* Even pages first: every buddy is still allocated. */
	for (i = 0; i < CHUNK_PAGES; i += 2)
		ASSERT_EQ(0, hb_free(hb, base + i, 0));
	ASSERT_EQ(CHUNK_PAGES / 2, nr_free(hb, 0));
	ASSERT_EQ(0, hb->core.stats.merges[0]);
	ASSERT_CONSISTENT(hb);
	for (i = 1; i < CHUNK_PAGES; i += 2)
		ASSERT_EQ(0, hb_free(hb, base + i, 0));
	for (o = 0; o < MAX_ORDER_; o++)
		ASSERT_EQ(CHUNK_PAGES >> (o + 1), hb->core.stats.merges[o]);
	ASSERT_EQ(1, nr_free(hb, MAX_ORDER_));
	finish(hb);
}

KTAP_CASE_FN(allocation_takes_the_smallest_adequate_block)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long first = hb_alloc(hb, 0), pfn;
	unsigned long base = hb_chunk_pfn(hb, 0);
	u64 splits = 0;
	unsigned int o;

	/* Free blocks now at orders 0..9, at base + 2^o. */
	for (o = 1; o < NR_ORDERS; o++)
		splits += hb->core.stats.splits[o];
	pfn = hb_alloc(hb, 5);
	ASSERT_EQ(base + 32, pfn);
	for (o = 1; o < NR_ORDERS; o++)
		splits -= hb->core.stats.splits[o];
	ASSERT_EQ(0, splits);
	ASSERT_EQ(0, nr_free(hb, 5));
	/* Order 5 gone: order 6 is split for the next one. */
	ASSERT_EQ(base + 64, hb_alloc(hb, 5));
	ASSERT_EQ(1, nr_free(hb, 5));
	ASSERT_CONSISTENT(hb);
	ASSERT_EQ(0, hb_free(hb, base + 64, 5));
	ASSERT_EQ(0, hb_free(hb, pfn, 5));
	ASSERT_EQ(0, hb_free(hb, first, 0));
	finish(hb);
}

/* ---- chunks: taking, limit, return, hysteresis ------------------------ */

KTAP_CASE_FN(chunks_are_taken_on_demand_up_to_the_limit)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 2, 1);
	long a, b;

	ASSERT_EQ(0, hb->core.nr_chunks);
	a = hb_alloc(hb, MAX_ORDER_);
	b = hb_alloc(hb, MAX_ORDER_);
	ASSERT_GE(a, 0);
	ASSERT_GE(b, 0);
	ASSERT_EQ(2, hb->core.nr_chunks);
	ASSERT_EQ(-1, hb_alloc(hb, 0));
	ASSERT_EQ(1, hb->core.stats.alloc_failures[0]);
	ASSERT_EQ(2, hb->chunk_gets);
	ASSERT_CONSISTENT(hb);
	ASSERT_EQ(0, hb_free(hb, a, MAX_ORDER_));
	ASSERT_EQ(0, hb_free(hb, b, MAX_ORDER_));
	finish(hb);
}

KTAP_CASE_FN(entirely_free_chunk_goes_back_beyond_one_spare)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long p[3];
	int i;

	for (i = 0; i < 3; i++)
		p[i] = hb_alloc(hb, MAX_ORDER_);
	ASSERT_EQ(3, hb->chunks_out);
	ASSERT_EQ(0, hb_free(hb, p[0], MAX_ORDER_));
	/* The first empty chunk is kept as the spare. */
	ASSERT_EQ(3, hb->chunks_out);
	ASSERT_EQ(1, hb->core.nr_empty);
	ASSERT_EQ(0, hb_free(hb, p[1], MAX_ORDER_));
	ASSERT_EQ(2, hb->chunks_out);
	ASSERT_EQ(1, hb->core.stats.chunks_returned);
	ASSERT_EQ(0, hb_free(hb, p[2], MAX_ORDER_));
	ASSERT_EQ(1, hb->chunks_out);
	ASSERT_EQ(1, hb->core.nr_chunks);
	ASSERT_EQ(1, nr_free(hb, MAX_ORDER_));
	ASSERT_CONSISTENT(hb);
	/* trim gives back the spare too. */
	ASSERT_EQ(1, hb_trim(hb));
	ASSERT_EQ(0, hb->chunks_out);
	ASSERT_EQ(0, hb->core.pages_held);
	finish(hb);
}

KTAP_CASE_FN(chunk_made_free_by_merging_small_blocks_goes_back)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long big = hb_alloc(hb, MAX_ORDER_), small[8];
	int i;

	/* Second chunk, cut into small pieces, then freed piece by piece. */
	for (i = 0; i < 8; i++)
		small[i] = hb_alloc(hb, i % 4);
	ASSERT_EQ(2, hb->chunks_out);
	ASSERT_EQ(0, hb_free(hb, big, MAX_ORDER_));	/* spare */
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(2, hb->chunks_out);
		ASSERT_EQ(0, hb_free(hb, small[i], i % 4));
	}
	/* The last free merged the chunk whole: beyond the spare, it went. */
	ASSERT_EQ(1, hb->chunks_out);
	ASSERT_EQ(1, hb->core.stats.chunks_returned);
	finish(hb);
}

KTAP_CASE_FN(alternating_alloc_free_at_a_chunk_boundary_does_not_thrash)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long full = hb_alloc(hb, MAX_ORDER_), p;
	int i;

	/* One chunk fully used: each order-0 request needs a second one. */
	for (i = 0; i < 1000; i++) {
		p = hb_alloc(hb, 0);
		ASSERT_GE(p, 0);
		ASSERT_EQ(0, hb_free(hb, p, 0));
	}
	ASSERT_EQ(2, hb->chunk_gets);
	ASSERT_EQ(0, hb->chunk_puts);
	ASSERT_EQ(0, hb_free(hb, full, MAX_ORDER_));
	finish(hb);
}

KTAP_CASE_FN(without_a_spare_the_same_pattern_thrashes)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 0);
	long full = hb_alloc(hb, MAX_ORDER_), p;
	int i;

	/* The contrast that shows what the spare chunk is for. */
	for (i = 0; i < 1000; i++) {
		p = hb_alloc(hb, 0);
		ASSERT_EQ(0, hb_free(hb, p, 0));
	}
	ASSERT_EQ(1001, hb->chunk_gets);
	ASSERT_EQ(1000, hb->chunk_puts);
	ASSERT_EQ(0, hb_free(hb, full, MAX_ORDER_));
	finish(hb);
}

KTAP_CASE_FN(page_source_failure_fails_the_allocation_cleanly)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);

	hb->fail_chunks = true;
	ASSERT_EQ(-1, hb_alloc(hb, 3));
	ASSERT_EQ(1, hb->core.stats.chunk_failures);
	ASSERT_EQ(1, hb->core.stats.alloc_failures[3]);
	ASSERT_EQ(0, hb->meta_live - 1);	/* only the lookup table */
	hb->fail_chunks = false;
	hb->fail_meta = true;
	ASSERT_EQ(-1, hb_alloc(hb, 3));
	ASSERT_EQ(2, hb->core.stats.chunk_failures);
	ASSERT_EQ(0, hb->chunks_out);
	hb->fail_meta = false;
	ASSERT_EQ(0, hb_free(hb, hb_alloc(hb, 3), 3));
	finish(hb);
}

KTAP_CASE_FN(order_beyond_the_largest_is_refused)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);

	ASSERT_EQ(-1, hb_alloc(hb, NR_ORDERS));
	ASSERT_EQ(0, hb->chunk_gets);
	finish(hb);
}

/* ---- refused frees ---------------------------------------------------- */

/* A refused free changes nothing but its counter. */
static void assert_refused(struct host_buddy *hb, unsigned long pfn,
			   unsigned int order, enum mms_buddy_bad_free kind)
{
	struct mms_buddy_core_info before, after;
	unsigned int o;

	mms_buddy_core_snapshot(&hb->core, &before);
	ASSERT_EQ(-EINVAL, hb_free(hb, pfn, order));
	ASSERT_EQ(kind, hb->core.last_bad);
	mms_buddy_core_snapshot(&hb->core, &after);
	ASSERT_EQ(before.stats.bad_free[kind] + 1, after.stats.bad_free[kind]);
	after.stats.bad_free[kind]--;
	for (o = 0; o < NR_ORDERS; o++)
		ASSERT_EQ(before.nr_free[o], after.nr_free[o]);
	ASSERT_EQ(0, memcmp(&before, &after, sizeof(before)));
	ASSERT_CONSISTENT(hb);
}

KTAP_CASE_FN(double_free_is_refused_and_counted)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long keep = hb_alloc(hb, 0), a = hb_alloc(hb, 2), b = hb_alloc(hb, 0);

	ASSERT_EQ(0, hb_free(hb, a, 2));
	/* a heads a free block on the list ... */
	assert_refused(hb, a, 2, MMS_BUDDY_BAD_DOUBLE);
	ASSERT_EQ(0, hb_free(hb, b, 0));
	/* ... b merged into a larger free block: found as a tail. */
	assert_refused(hb, b, 0, MMS_BUDDY_BAD_DOUBLE);
	ASSERT_EQ(0, hb_free(hb, keep, 0));
	assert_refused(hb, keep, 0, MMS_BUDDY_BAD_DOUBLE);
	finish(hb);
}

KTAP_CASE_FN(free_of_a_page_not_owned_is_refused)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long a = hb_alloc(hb, 0);

	assert_refused(hb, 12345, 0, MMS_BUDDY_BAD_FOREIGN);
	assert_refused(hb, hb_chunk_pfn(hb, 1), 0, MMS_BUDDY_BAD_FOREIGN);
	assert_refused(hb, hb_chunk_pfn(hb, 0) + CHUNK_PAGES, 3,
		       MMS_BUDDY_BAD_FOREIGN);
	assert_refused(hb, hb_chunk_pfn(hb, 0) - 1, 0, MMS_BUDDY_BAD_FOREIGN);
	ASSERT_EQ(0, hb_free(hb, a, 0));
	finish(hb);
}

KTAP_CASE_FN(free_with_the_wrong_order_is_refused)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long a = hb_alloc(hb, 3);

	assert_refused(hb, a, 2, MMS_BUDDY_BAD_ORDER);
	assert_refused(hb, a, 4, MMS_BUDDY_BAD_ORDER);
	assert_refused(hb, a, NR_ORDERS, MMS_BUDDY_BAD_ORDER);
	assert_refused(hb, a, ~0U, MMS_BUDDY_BAD_ORDER);
	ASSERT_EQ(0, hb_free(hb, a, 3));
	finish(hb);
}

KTAP_CASE_FN(free_of_a_page_inside_an_allocated_block_is_refused)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	long a = hb_alloc(hb, 3);
	int i;

	for (i = 1; i < 8; i++) {
		assert_refused(hb, a + i, 0, MMS_BUDDY_BAD_TAIL);
		assert_refused(hb, a + i, 3, MMS_BUDDY_BAD_TAIL);
	}
	ASSERT_EQ(0, hb_free(hb, a, 3));
	finish(hb);
}

/* ---- adopted ranges --------------------------------------------------- */

struct put_log {
	unsigned long pfns[64];
	unsigned int n;
};

static void log_page_put(struct host_buddy *hb, unsigned long pfn)
{
	struct put_log *log = hb->test;

	if (log->n < 64)
		log->pfns[log->n] = pfn;
	log->n++;
}

KTAP_CASE_FN(adopted_pages_are_used_first_and_go_back_page_by_page)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	struct put_log log = { .n = 0 };
	unsigned long base = HB_ADOPT_BASE + 8;
	long p[4];
	int i;

	hb->test = &log;
	hb->on_page_put = log_page_put;
	ASSERT_EQ(0, hb_adopt(hb, base, 2));
	ASSERT_EQ(1, nr_free(hb, 2));
	ASSERT_EQ(4, hb->core.pages_held);
	ASSERT_CONSISTENT(hb);
	for (i = 0; i < 4; i++) {
		p[i] = hb_alloc(hb, 0);
		ASSERT_GE(p[i], (long)base);
		ASSERT_LT(p[i], (long)base + 4);
	}
	/* Adopted memory sufficed: no chunk was taken. */
	ASSERT_EQ(0, hb->chunk_gets);
	ASSERT_GE(hb_alloc(hb, 0), (long)hb_chunk_pfn(hb, 0));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, hb_free(hb, p[i], 0));
	ASSERT_EQ(0, log.n);
	ASSERT_EQ(0, hb_free(hb, p[3], 0));
	/* All four free again: merged within the range, then given back. */
	ASSERT_EQ(4, log.n);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(base + i, log.pfns[i]);
	ASSERT_EQ(4, hb->core.stats.adopted_pages_returned);
	ASSERT_EQ(0, hb->core.nr_adopted);
	ASSERT_EQ(0, hb_free(hb, hb_chunk_pfn(hb, 0), 0));
	finish(hb);
}

KTAP_CASE_FN(adopted_ranges_merge_only_among_themselves)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	unsigned long base = HB_ADOPT_BASE;
	long a, b;

	/* Two order-1 ranges that are buddies by pfn ... */
	ASSERT_EQ(0, hb_adopt(hb, base, 1));
	ASSERT_EQ(0, hb_adopt(hb, base + 2, 1));
	/* ... stay two order-1 blocks. */
	ASSERT_EQ(2, nr_free(hb, 1));
	ASSERT_EQ(0, nr_free(hb, 2));
	ASSERT_CONSISTENT(hb);
	a = hb_alloc(hb, 0);
	b = hb_alloc(hb, 0);
	ASSERT_EQ(a ^ 1, b);
	ASSERT_EQ(0, hb_free(hb, a, 0));
	ASSERT_EQ(0, hb_free(hb, b, 0));
	ASSERT_EQ(1, hb->core.nr_adopted);
	ASSERT_EQ(0, hb->core.stats.merges[1]);
	ASSERT_CONSISTENT(hb);
	finish(hb);
}

KTAP_CASE_FN(adopt_refuses_misaligned_and_overlapping_ranges)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	unsigned long base = HB_ADOPT_BASE;
	long a = hb_alloc(hb, 0);

	ASSERT_EQ(-EINVAL, hb_adopt(hb, base + 2, 2));
	ASSERT_EQ(-EINVAL, hb_adopt(hb, base, NR_ORDERS));
	ASSERT_EQ(0, hb_adopt(hb, base + 4, 2));
	ASSERT_EQ(-EBUSY, hb_adopt(hb, base + 4, 2));	/* the same */
	ASSERT_EQ(-EBUSY, hb_adopt(hb, base + 6, 0));	/* inside */
	ASSERT_EQ(-EBUSY, hb_adopt(hb, base, 3));	/* around */
	ASSERT_EQ(-EBUSY, hb_adopt(hb, hb_chunk_pfn(hb, 0) + 16, 4));
	ASSERT_EQ(-EBUSY, hb_adopt(hb, hb_chunk_pfn(hb, 0), MAX_ORDER_));
	ASSERT_EQ(0, hb_adopt(hb, base, 2));		/* next to it */
	ASSERT_EQ(6, hb->core.stats.adopt_refused);
	ASSERT_EQ(0, hb->meta_live - 4);	/* table, chunk, two ranges */
	ASSERT_EQ(0, hb_free(hb, a, 0));
	ASSERT_CONSISTENT(hb);
	finish(hb);
}

/* ---- the per-CPU cache's states --------------------------------------- */

KTAP_CASE_FN(cached_pages_are_neither_free_nor_freeable_twice)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	struct mms_buddy_page *pg, *pg2;
	long a = hb_alloc(hb, 0), b;

	ASSERT_EQ(0, mms_buddy_core_cache(&hb->core, a, &pg));
	ASSERT_EQ(a, mms_buddy_page_pfn(pg));
	ASSERT_EQ(MMS_BP_CACHED, pg->state);
	ASSERT_EQ(-EINVAL, mms_buddy_core_cache(&hb->core, a, &pg2));
	assert_refused(hb, a, 0, MMS_BUDDY_BAD_DOUBLE);
	ASSERT_EQ(CHUNK_PAGES - 1, hb->core.pages_free);
	/* Handed out again, it is an ordinary allocation. */
	mms_buddy_core_uncache(pg);
	ASSERT_CONSISTENT(hb);
	ASSERT_EQ(0, mms_buddy_core_cache(&hb->core, a, &pg));
	/* A refill takes cached pages straight from the lists. */
	pg2 = mms_buddy_core_alloc_cached(&hb->core);
	ASSERT_TRUE(pg2);
	b = mms_buddy_page_pfn(pg2);
	ASSERT_EQ(a + 1, b);
	ASSERT_CONSISTENT(hb);
	{
		LIST_HEAD(released);

		mms_buddy_core_free_cached(&hb->core, pg, &released);
		mms_buddy_core_free_cached(&hb->core, pg2, &released);
		ASSERT_TRUE(list_empty(&released));
	}
	ASSERT_EQ(1, nr_free(hb, MAX_ORDER_));
	finish(hb);
}

/*
 * Two CPUs both see no free block and both take a chunk (the kernel glue
 * drops its lock around alloc_pages()): the second chunk is not needed
 * and must go back whole, never having joined the allocator.
 */
KTAP_CASE_FN(racing_growers_second_chunk_goes_back_whole)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	struct mms_buddy_range *first, *second;

	ASSERT_TRUE(mms_buddy_core_grow_begin(&hb->core));
	ASSERT_TRUE(mms_buddy_core_grow_begin(&hb->core));
	first = mms_buddy_core_chunk_new(&hb->core);
	second = mms_buddy_core_chunk_new(&hb->core);
	ASSERT_TRUE(first && second);
	ASSERT_EQ(2, hb->chunks_out);
	ASSERT_EQ(0, mms_buddy_core_grow_end(&hb->core, first));
	ASSERT_EQ(-EAGAIN, mms_buddy_core_grow_end(&hb->core, second));
	ASSERT_EQ(0, mms_buddy_core_range_destroy(&hb->core, second));
	ASSERT_EQ(1, hb->chunks_out);
	ASSERT_EQ(1, hb->core.nr_chunks);
	ASSERT_EQ(1, nr_free(hb, MAX_ORDER_));
	finish(hb);
}

/*
 * Pristine: a frame never handed out since its chunk came from the page
 * source. The kernel glue skips clearing such pages, so a frame that was
 * handed out must never be reported pristine again.
 */
KTAP_CASE_FN(only_frames_never_handed_out_are_pristine)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	struct mms_buddy_page *pg, *pg2;
	struct mms_buddy_range *chunk;
	long a, b, i;

	ASSERT_TRUE(mms_buddy_core_grow_begin(&hb->core));
	chunk = mms_buddy_core_chunk_new(&hb->core);
	ASSERT_EQ(0, mms_buddy_core_grow_end(&hb->core, chunk));
	/* From a fresh chunk through the cache: pristine, exactly once. */
	pg = mms_buddy_core_alloc_cached(&hb->core);
	ASSERT_TRUE(pg);
	a = mms_buddy_page_pfn(pg);
	ASSERT_TRUE(mms_buddy_core_uncache(pg));
	ASSERT_FALSE(pg->pristine);
	/* Freed into the cache and handed out again: not pristine. */
	ASSERT_EQ(0, mms_buddy_core_cache(&hb->core, a, &pg));
	ASSERT_FALSE(mms_buddy_core_uncache(pg));
	/* Back on the free lists: still not. */
	ASSERT_EQ(0, hb_free(hb, a, 0));
	ASSERT_FALSE(mms_buddy_core_lookup(&hb->core, a)->pristine);
	/* Cached by a refill but never handed out, then drained: still is. */
	pg = mms_buddy_core_alloc_cached(&hb->core);
	pg2 = mms_buddy_core_alloc_cached(&hb->core);
	ASSERT_TRUE(pg && pg2);
	b = mms_buddy_page_pfn(pg2);
	ASSERT_NE(a, b);
	ASSERT_TRUE(pg2->pristine);
	{
		LIST_HEAD(released);

		mms_buddy_core_free_cached(&hb->core, pg2, &released);
		ASSERT_TRUE(list_empty(&released));
	}
	ASSERT_TRUE(mms_buddy_core_lookup(&hb->core, b)->pristine);
	mms_buddy_core_uncache(pg);
	ASSERT_EQ(0, hb_free(hb, mms_buddy_page_pfn(pg), 0));
	/* A block handed out directly loses it on every frame. */
	b = hb_alloc(hb, 3);
	ASSERT_GE(b, 0);
	for (i = 0; i < 8; i++)
		ASSERT_FALSE(mms_buddy_core_lookup(&hb->core, b + i)->pristine);
	ASSERT_EQ(0, hb_free(hb, b, 3));
	for (i = 0; i < 8; i++)
		ASSERT_FALSE(mms_buddy_core_lookup(&hb->core, b + i)->pristine);
	ASSERT_CONSISTENT(hb);
	finish(hb);
}

/* ---- teardown --------------------------------------------------------- */

static void count_page_put(struct host_buddy *hb, unsigned long pfn)
{
	(void)pfn;
	(*(unsigned long *)hb->test)++;
}

KTAP_CASE_FN(teardown_leaves_allocated_pages_alone)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	unsigned long puts = 0;

	hb->test = &puts;
	hb->on_page_put = count_page_put;
	ASSERT_GE(hb_alloc(hb, 3), 0);
	ASSERT_GE(hb_alloc(hb, 0), 0);
	ASSERT_GE(hb_alloc(hb, MAX_ORDER_), 0);
	ASSERT_EQ(0, hb_adopt(hb, HB_ADOPT_BASE, 1));
	ASSERT_CONSISTENT(hb);
	/* 9 + 1024 frames still allocated stay; the rest goes back. */
	ASSERT_EQ(9 + CHUNK_PAGES, hb_fini(hb));
	ASSERT_EQ(CHUNK_PAGES - 9 + 2, puts);
	ASSERT_EQ(0, hb->meta_live);
	free(hb);
}

/* ---- the checker can fail --------------------------------------------- */

KTAP_CASE_FN(checker_detects_broken_invariants)
{
	struct host_buddy *hb = new_hb(NR_ORDERS, 4, 1);
	struct mms_buddy_range *r;
	struct mms_buddy_page *p;
	char msg[200];
	long a = hb_alloc(hb, 0), b = hb_alloc(hb, 0);

	ASSERT_CONSISTENT(hb);
	r = list_first_entry(&hb->core.ranges, struct mms_buddy_range, node);

	/* A page marked free that no list holds. */
	p = &r->pages[b - r->base_pfn];
	p->state = MMS_BP_FREE;
	ASSERT_EQ(-EUCLEAN, mms_buddy_core_check(&hb->core, msg, sizeof(msg)));
	ktap_diag("as expected: %s", msg);
	p->state = MMS_BP_ALLOC;
	ASSERT_CONSISTENT(hb);

	/* A block head misaligned to its order. */
	p->order = 1;
	ASSERT_EQ(-EUCLEAN, mms_buddy_core_check(&hb->core, msg, sizeof(msg)));
	ktap_diag("as expected: %s", msg);
	p->order = 0;

	/* A counter that disagrees with the lists. */
	hb->core.free_area[3].nr_free++;
	ASSERT_EQ(-EUCLEAN, mms_buddy_core_check(&hb->core, msg, sizeof(msg)));
	ktap_diag("as expected: %s", msg);
	hb->core.free_area[3].nr_free--;

	/* Two free buddies left unmerged (freed behind the core's back). */
	ASSERT_EQ(0, hb_free(hb, a, 0));
	r->pages[b - r->base_pfn].order = 0;
	list_add(&r->pages[b - r->base_pfn].list, &hb->core.free_area[0].free_list);
	r->pages[b - r->base_pfn].state = MMS_BP_FREE;
	hb->core.free_area[0].nr_free++;
	r->nr_free++;
	hb->core.pages_free++;
	ASSERT_EQ(-EUCLEAN, mms_buddy_core_check(&hb->core, msg, sizeof(msg)));
	ktap_diag("as expected: %s", msg);
	ASSERT_EQ(4, hb->core.stats.check_failures);
	hb_fini(hb);
	free(hb);
}

/* ---- fragmentation indices -------------------------------------------- */

KTAP_CASE_FN(fragmentation_indices_follow_vmstat)
{
	unsigned long nr[NR_ORDERS] = { 0 };

	/* Nothing free: 0 (lack of memory), unusable 1.000. */
	ASSERT_EQ(0, mms_buddy_frag_index(nr, NR_ORDERS, 3));
	ASSERT_EQ(1000, mms_buddy_unusable_index(nr, NR_ORDERS, 0));
	/* Four single pages. */
	nr[0] = 4;
	ASSERT_EQ(-1000, mms_buddy_frag_index(nr, NR_ORDERS, 0));
	/* 1000 - (1000 + 4000 / 2) / 4 = 250 */
	ASSERT_EQ(250, mms_buddy_frag_index(nr, NR_ORDERS, 1));
	/* 1000 - (1000 + 4000 / 8) / 4 = 625 */
	ASSERT_EQ(625, mms_buddy_frag_index(nr, NR_ORDERS, 3));
	ASSERT_EQ(0, mms_buddy_unusable_index(nr, NR_ORDERS, 0));
	ASSERT_EQ(1000, mms_buddy_unusable_index(nr, NR_ORDERS, 1));
	/* Plus one order-2 block: 8 pages, half of them usable at order 2. */
	nr[2] = 1;
	ASSERT_EQ(-1000, mms_buddy_frag_index(nr, NR_ORDERS, 2));
	ASSERT_EQ(500, mms_buddy_unusable_index(nr, NR_ORDERS, 2));
	/* 1000 - (1000 + 8000 / 16) / 5 = 700 */
	ASSERT_EQ(700, mms_buddy_frag_index(nr, NR_ORDERS, 4));
	ASSERT_EQ(0, mms_buddy_frag_index(nr, NR_ORDERS, NR_ORDERS));
}

/* ---- random trace against a model ------------------------------------- */

#define T_ORDERS	8		/* chunks of 128 pages keep it quick */
#define T_PAGES		(1U << (T_ORDERS - 1))
#define T_MAX_CHUNKS	6
#define T_SPARE		1
#define T_MAX_RANGES	(T_MAX_CHUNKS + 8)
#define T_MAX_BLOCKS	(T_MAX_RANGES * T_PAGES)
#define T_OPS		120000
#define T_ADOPT_WINDOW	(4 * T_PAGES)

enum { PG_FREE, PG_ALLOC, PG_CACHED };

struct m_range {
	bool live;
	bool adopted;
	unsigned long base;
	unsigned int order;
	u8 st[T_PAGES];		/* PG_* per frame */
	u8 head[T_PAGES];	/* 1 + order at allocated block heads */
};

struct m_block {
	unsigned long pfn;
	unsigned int order;
	struct mms_buddy_page *cached;	/* non-NULL while cached */
};

struct model {
	struct host_buddy *hb;
	struct m_range r[T_MAX_RANGES];
	struct m_block blk[T_MAX_BLOCKS];
	unsigned int nr_blk;
	unsigned long puts_expected;	/* adopted frames due back */
	unsigned long puts_seen;
	u64 rng;
	unsigned long ops[8];
};

static u64 rnd(struct model *m)
{
	/* xorshift64* */
	m->rng ^= m->rng >> 12;
	m->rng ^= m->rng << 25;
	m->rng ^= m->rng >> 27;
	return m->rng * 0x2545F4914F6CDD1DULL;
}

static unsigned int rnd_below(struct model *m, unsigned int n)
{
	return (unsigned int)(rnd(m) % n);
}

static struct m_range *m_range_of(struct model *m, unsigned long pfn)
{
	unsigned int i;

	for (i = 0; i < T_MAX_RANGES; i++) {
		struct m_range *r = &m->r[i];

		if (r->live && pfn >= r->base && pfn < r->base + (1UL << r->order))
			return r;
	}
	return NULL;
}

static bool m_range_all_free(const struct m_range *r)
{
	unsigned long i;

	for (i = 0; i < (1UL << r->order); i++)
		if (r->st[i] != PG_FREE)
			return false;
	return true;
}

static unsigned int m_empty_chunks(struct model *m)
{
	unsigned int i, n = 0;

	for (i = 0; i < T_MAX_RANGES; i++)
		n += m->r[i].live && !m->r[i].adopted &&
		     m_range_all_free(&m->r[i]);
	return n;
}

/*
 * The unique maximal decomposition of a range's free frames into aligned
 * blocks: what any correct buddy allocator's free lists must hold.
 * Adds to @nr_free; with @find, also reports whether @pfn lies in a
 * maximal free block of order @find_order.
 */
static bool m_decompose(const struct m_range *r, unsigned long *nr_free,
			unsigned long pfn, unsigned int find_order)
{
	u8 lvl[T_ORDERS][T_PAGES];
	unsigned int o, n = 1U << r->order;
	unsigned long i;
	bool found = false;

	for (i = 0; i < n; i++)
		lvl[0][i] = r->st[i] == PG_FREE;
	for (o = 1; o <= r->order; o++)
		for (i = 0; i < (n >> o); i++)
			lvl[o][i] = lvl[o - 1][2 * i] && lvl[o - 1][2 * i + 1];
	for (o = 0; o <= r->order; o++)
		for (i = 0; i < (n >> o); i++) {
			if (!lvl[o][i] || (o < r->order && lvl[o + 1][i / 2]))
				continue;
			if (nr_free)
				nr_free[o]++;
			if (o == find_order && pfn >= r->base + (i << o) &&
			    pfn < r->base + ((i + 1) << o))
				found = true;
		}
	return found;
}

static void m_free_counts(struct model *m, unsigned long *nr_free)
{
	unsigned int i;

	memset(nr_free, 0, sizeof(unsigned long) * T_ORDERS);
	for (i = 0; i < T_MAX_RANGES; i++)
		if (m->r[i].live)
			m_decompose(&m->r[i], nr_free, 0, T_ORDERS);
}

static struct m_range *m_new_range(struct model *m, unsigned long base,
				   unsigned int order, bool adopted)
{
	unsigned int i;

	for (i = 0; i < T_MAX_RANGES; i++) {
		struct m_range *r = &m->r[i];

		if (r->live)
			continue;
		memset(r, 0, sizeof(*r));
		r->live = true;
		r->adopted = adopted;
		r->base = base;
		r->order = order;
		return r;
	}
	ASSERT_TRUE(!"model out of ranges");
	return NULL;
}

static void m_put_page(struct host_buddy *hb, unsigned long pfn)
{
	struct model *m = hb->test;

	(void)pfn;
	m->puts_seen++;
}

static void m_mark(struct m_range *r, unsigned long pfn, unsigned int order,
		   u8 st)
{
	unsigned long i, idx = pfn - r->base;

	for (i = 0; i < (1UL << order); i++)
		r->st[idx + i] = st;
	r->head[idx] = st == PG_FREE ? 0 : 1 + order;
}

static void op_alloc(struct model *m)
{
	unsigned long nr_free[T_ORDERS];
	unsigned int order, o, i, smallest = T_ORDERS;
	bool can_grow = m->hb->core.nr_chunks < T_MAX_CHUNKS;
	struct m_range *r;
	long pfn;

	/* Mostly small orders, as real callers ask. */
	order = rnd_below(m, 4) ? rnd_below(m, 3) : rnd_below(m, T_ORDERS);
	m_free_counts(m, nr_free);
	for (o = T_ORDERS; o-- > order;)
		if (nr_free[o])
			smallest = o;
	if (m->nr_blk >= T_MAX_BLOCKS)
		return;
	pfn = hb_alloc(m->hb, order);
	if (smallest == T_ORDERS && !can_grow) {
		ASSERT_EQ(-1, pfn);
		return;
	}
	ASSERT_GE(pfn, 0);
	ASSERT_EQ(0, pfn & ((1L << order) - 1));
	r = m_range_of(m, pfn);
	if (smallest == T_ORDERS) {
		/* Nothing fit: it must come from a fresh chunk. */
		ASSERT_TRUE(!r);
		r = m_new_range(m, pfn & ~(long)(T_PAGES - 1), T_ORDERS - 1,
				false);
	} else {
		bool in_smallest = false;

		/* Smallest adequate block, from the lists as they were. */
		ASSERT_TRUE(r);
		for (i = 0; i < T_MAX_RANGES && !in_smallest; i++)
			if (m->r[i].live)
				in_smallest = m_decompose(&m->r[i], NULL, pfn,
							  smallest);
		ASSERT_TRUE(in_smallest);
	}
	for (i = 0; i < (1U << order); i++)
		ASSERT_EQ(PG_FREE, r->st[pfn - r->base + i]);
	m_mark(r, pfn, order, PG_ALLOC);
	m->blk[m->nr_blk++] = (struct m_block){ pfn, order, NULL };
}

/* The model's side of a successful free of @r's frames. */
static void m_after_free(struct model *m, struct m_range *r)
{
	if (!m_range_all_free(r))
		return;
	if (r->adopted) {
		m->puts_expected += 1UL << r->order;
		r->live = false;
	} else if (m_empty_chunks(m) > T_SPARE) {
		r->live = false;
	}
}

static void op_free(struct model *m)
{
	struct m_block b;
	struct m_range *r;
	unsigned int i;

	if (!m->nr_blk)
		return;
	i = rnd_below(m, m->nr_blk);
	b = m->blk[i];
	r = m_range_of(m, b.pfn);
	ASSERT_TRUE(r);
	if (b.cached) {
		LIST_HEAD(released);

		/* Half the time handed out again, else drained. */
		if (rnd_below(m, 2)) {
			mms_buddy_core_uncache(b.cached);
			m->blk[i].cached = NULL;
			m_mark(r, b.pfn, 0, PG_ALLOC);
			return;
		}
		mms_buddy_core_free_cached(&m->hb->core, b.cached, &released);
		hb_reap(m->hb, &released);
	} else if (b.order == 0 && rnd_below(m, 3) == 0) {
		struct mms_buddy_page *pg;

		ASSERT_EQ(0, mms_buddy_core_cache(&m->hb->core, b.pfn, &pg));
		ASSERT_EQ(b.pfn, mms_buddy_page_pfn(pg));
		m->blk[i].cached = pg;
		m_mark(r, b.pfn, 0, PG_CACHED);
		return;
	} else {
		ASSERT_EQ(0, hb_free(m->hb, b.pfn, b.order));
	}
	m_mark(r, b.pfn, b.order, PG_FREE);
	m->blk[i] = m->blk[--m->nr_blk];
	m_after_free(m, r);
}

static void expect_refused(struct model *m, unsigned long pfn,
			   unsigned int order, enum mms_buddy_bad_free kind)
{
	u64 before = m->hb->core.stats.bad_free[kind];

	ASSERT_EQ(-EINVAL, hb_free(m->hb, pfn, order));
	ASSERT_EQ(before + 1, m->hb->core.stats.bad_free[kind]);
}

static void op_bad_free(struct model *m)
{
	unsigned int i, kind = rnd_below(m, 4);
	struct m_range *r;
	unsigned long pfn;
	struct m_block *b;

	switch (kind) {
	case MMS_BUDDY_BAD_FOREIGN:
		pfn = rnd_below(m, 2) ? rnd(m) >> 20 :
		      HB_ADOPT_BASE + rnd_below(m, T_ADOPT_WINDOW);
		if (m_range_of(m, pfn))
			return;
		expect_refused(m, pfn, rnd_below(m, T_ORDERS), kind);
		return;
	case MMS_BUDDY_BAD_DOUBLE:
		/* Any frame free in the model, or a cached one. */
		i = rnd_below(m, T_MAX_RANGES);
		r = &m->r[i];
		if (!r->live)
			return;
		pfn = r->base + rnd_below(m, 1U << r->order);
		if (r->st[pfn - r->base] == PG_ALLOC)
			return;
		expect_refused(m, pfn, 0, kind);
		return;
	default:
		if (!m->nr_blk)
			return;
		b = &m->blk[rnd_below(m, m->nr_blk)];
		if (b->cached)
			return;
		if (kind == MMS_BUDDY_BAD_ORDER) {
			expect_refused(m, b->pfn, (b->order + 1 +
				       rnd_below(m, T_ORDERS)) % (T_ORDERS + 1),
				       kind);
		} else if (b->order) {
			expect_refused(m, b->pfn + 1 +
				       rnd_below(m, (1U << b->order) - 1),
				       rnd_below(m, T_ORDERS), kind);
		}
	}
}

static void op_adopt(struct model *m)
{
	unsigned int order = rnd_below(m, T_ORDERS), i;
	unsigned long base, pfn;
	bool overlap = false;
	struct m_range *r;
	int ret;

	if (rnd_below(m, 8) == 0) {
		/* Straight into a chunk held. */
		i = rnd_below(m, T_MAX_RANGES);
		if (!m->r[i].live || m->r[i].adopted)
			return;
		base = m->r[i].base;
		order = rnd_below(m, T_ORDERS);
		base += rnd_below(m, T_PAGES) & ~((1U << order) - 1);
		ASSERT_EQ(-EBUSY, hb_adopt(m->hb, base, order));
		return;
	}
	base = HB_ADOPT_BASE + (rnd_below(m, T_ADOPT_WINDOW) &
				~((1U << order) - 1));
	for (pfn = base; pfn < base + (1UL << order); pfn++)
		overlap |= m_range_of(m, pfn) != NULL;
	if (!overlap) {
		/* Leave the model room for every chunk. */
		for (i = 0, ret = 0; i < T_MAX_RANGES; i++)
			ret += m->r[i].live && m->r[i].adopted;
		if (ret == T_MAX_RANGES - T_MAX_CHUNKS)
			return;
	}
	ret = hb_adopt(m->hb, base, order);
	if (overlap) {
		ASSERT_EQ(-EBUSY, ret);
		return;
	}
	ASSERT_EQ(0, ret);
	r = m_new_range(m, base, order, true);
	(void)r;
}

static void op_trim(struct model *m)
{
	unsigned int i, expect = 0;

	for (i = 0; i < T_MAX_RANGES; i++) {
		struct m_range *r = &m->r[i];

		if (r->live && !r->adopted && m_range_all_free(r)) {
			r->live = false;
			expect++;
		}
	}
	ASSERT_EQ(expect, hb_trim(m->hb));
}

static void m_compare(struct model *m, unsigned long step)
{
	struct mms_buddy_core *c = &m->hb->core;
	unsigned long nr_free[T_ORDERS], held = 0, free_pages = 0, i;
	unsigned int chunks = 0, o;
	char msg[200] = "";
	int ret;

	ret = mms_buddy_core_check(c, msg, sizeof(msg));
	if (ret)
		ktap_diag("step %lu: checker: %s", step, msg);
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, host_warn_count);
	m_free_counts(m, nr_free);
	for (o = 0; o < T_ORDERS; o++) {
		if (nr_free[o] != c->free_area[o].nr_free)
			ktap_diag("step %lu: order %u", step, o);
		ASSERT_EQ(nr_free[o], c->free_area[o].nr_free);
		free_pages += nr_free[o] << o;
	}
	for (i = 0; i < T_MAX_RANGES; i++) {
		if (!m->r[i].live)
			continue;
		held += 1UL << m->r[i].order;
		chunks += !m->r[i].adopted;
	}
	ASSERT_EQ(held, c->pages_held);
	ASSERT_EQ(free_pages, c->pages_free);
	ASSERT_EQ(chunks, c->nr_chunks);
	ASSERT_EQ(chunks, m->hb->chunks_out);
	ASSERT_EQ(m->puts_expected, m->puts_seen);
	ASSERT_EQ(0, m->hb->bad_puts);
}

struct totals {
	unsigned long long allocs, frees, splits, merges, failures, bad;
};

static void sum_stats(const struct mms_buddy_core_stats *s, struct totals *t)
{
	unsigned int o;

	memset(t, 0, sizeof(*t));
	for (o = 0; o < MMS_BUDDY_MAX_ORDERS; o++) {
		t->allocs += s->allocs[o];
		t->frees += s->frees[o];
		t->splits += s->splits[o];
		t->merges += s->merges[o];
		t->failures += s->alloc_failures[o];
	}
	for (o = 0; o < MMS_BUDDY_NR_BAD; o++)
		t->bad += s->bad_free[o];
}

KTAP_CASE_FN(random_trace_matches_a_simple_model)
{
	static struct model m;
	struct totals tot;
	unsigned long step;
	unsigned int i;

	m.rng = 0x6d6d73636f7065ULL;	/* fixed seed: reproducible */
	m.hb = new_hb(T_ORDERS, T_MAX_CHUNKS, T_SPARE);
	m.hb->test = &m;
	m.hb->on_page_put = m_put_page;
	ktap_diag("seed %#llx, %u ops, %u orders, %u chunks max",
		  (unsigned long long)m.rng, T_OPS, T_ORDERS, T_MAX_CHUNKS);
	for (step = 0; step < T_OPS; step++) {
		unsigned int op, dice = rnd_below(&m, 100);
		/* Phases of 5000 steps fill the allocator, then drain it. */
		bool draining = (step / 5000) % 2;

		if (dice < (draining ? 25U : 50U))
			op = 0;
		else if (dice < 88)
			op = 1;
		else if (dice < 94)
			op = 2;
		else if (dice < 99)
			op = 3;
		else
			op = 4;
		switch (op) {
		case 0:
			op_alloc(&m);
			break;
		case 1:
			op_free(&m);
			break;
		case 2:
			op_bad_free(&m);
			break;
		case 3:
			op_adopt(&m);
			break;
		default:
			op_trim(&m);
		}
		m.ops[op]++;
		m_compare(&m, step);
	}
	ktap_diag("replayed %lu ops (%lu alloc, %lu free, %lu bad free, %lu adopt, %lu trim), checker after each",
		  step, m.ops[0], m.ops[1], m.ops[2], m.ops[3], m.ops[4]);
	sum_stats(&m.hb->core.stats, &tot);
	ktap_diag("core: %llu allocs, %llu alloc failures, %llu frees, %llu splits, %llu merges, %llu refused frees, %llu chunks taken, %llu returned, %llu adopted ranges",
		  tot.allocs, tot.failures, tot.frees, tot.splits, tot.merges,
		  tot.bad,
		  (unsigned long long)m.hb->core.stats.chunks_taken,
		  (unsigned long long)m.hb->core.stats.chunks_returned,
		  (unsigned long long)m.hb->core.stats.ranges_adopted);
	/* A trace that never filled, merged or refused would prove little. */
	ASSERT_GE(tot.failures, 100);
	ASSERT_GE(tot.merges, 10000);
	ASSERT_GE(m.hb->core.stats.chunks_returned, 10);
	ASSERT_GE(tot.bad, 1000);
	ASSERT_GE(step, 100000);
	/* Free everything left; all chunks but the spare go home. */
	while (m.nr_blk) {
		for (i = 0; i < m.nr_blk; i++)
			if (m.blk[i].cached)
				mms_buddy_core_uncache(m.blk[i].cached);
		for (i = 0; i < m.nr_blk; i++)
			ASSERT_EQ(0, hb_free(m.hb, m.blk[i].pfn,
					     m.blk[i].order));
		m.nr_blk = 0;
	}
	ASSERT_CONSISTENT(m.hb);
	ASSERT_LE(m.hb->core.nr_chunks, T_SPARE);
	ASSERT_EQ(m.hb->core.nr_chunks,
		  (m.hb->core.pages_held - m.hb->core.pages_adopted) >>
		  (T_ORDERS - 1));
	finish(m.hb);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(alloc_splits_a_chunk_down_to_every_order),
	KTAP_CASE(free_merges_with_buddy_found_by_flipping_the_order_bit),
	KTAP_CASE(freeing_every_page_of_a_chunk_merges_level_by_level),
	KTAP_CASE(allocation_takes_the_smallest_adequate_block),
	KTAP_CASE(chunks_are_taken_on_demand_up_to_the_limit),
	KTAP_CASE(entirely_free_chunk_goes_back_beyond_one_spare),
	KTAP_CASE(chunk_made_free_by_merging_small_blocks_goes_back),
	KTAP_CASE(alternating_alloc_free_at_a_chunk_boundary_does_not_thrash),
	KTAP_CASE(without_a_spare_the_same_pattern_thrashes),
	KTAP_CASE(page_source_failure_fails_the_allocation_cleanly),
	KTAP_CASE(order_beyond_the_largest_is_refused),
	KTAP_CASE(double_free_is_refused_and_counted),
	KTAP_CASE(free_of_a_page_not_owned_is_refused),
	KTAP_CASE(free_with_the_wrong_order_is_refused),
	KTAP_CASE(free_of_a_page_inside_an_allocated_block_is_refused),
	KTAP_CASE(adopted_pages_are_used_first_and_go_back_page_by_page),
	KTAP_CASE(adopted_ranges_merge_only_among_themselves),
	KTAP_CASE(adopt_refuses_misaligned_and_overlapping_ranges),
	KTAP_CASE(cached_pages_are_neither_free_nor_freeable_twice),
	KTAP_CASE(racing_growers_second_chunk_goes_back_whole),
	KTAP_CASE(only_frames_never_handed_out_are_pristine),
	KTAP_CASE(teardown_leaves_allocated_pages_alone),
	KTAP_CASE(checker_detects_broken_invariants),
	KTAP_CASE(fragmentation_indices_follow_vmstat),
	KTAP_CASE(random_trace_matches_a_simple_model),
};

KTAP_MAIN("host-buddy", cases)
