// SPDX-License-Identifier: GPL-2.0
/*
 * buddy suite: mmscope's buddy allocator driven through /dev/mmscope.
 *
 * Every case starts from the same baseline (nothing held by user space,
 * per-CPU caches drained, every chunk back in the kernel) and pins itself
 * to one CPU, so that per-CPU cache counts are exact. Claims are checked
 * against the debugfs files (buddyinfo parsed in the /proc/buddyinfo
 * format), the stats ioctl, and where it applies against the kernel's own
 * view (/proc/meminfo and /proc/zoneinfo, /dev/kmsg).
 */
#include <ctype.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define NR_ORDERS	11
#define MAX_ORDER_	(NR_ORDERS - 1)
#define CHUNK_PAGES	(1UL << MAX_ORDER_)
#define PCP_BATCH	32
#define BUDDY_DIR	MMSCOPE_DEBUGFS_PATH "/buddy"

typedef unsigned long long ull;

static int dev(void)
{
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	return fd;
}

static void get_stats(int fd, struct mmscope_buddy_stats *st)
{
	memset(st, 0xa5, sizeof(*st));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_STATS, st));
	ASSERT_EQ(NR_ORDERS, st->nr_orders);
}

static void check(int fd)
{
	struct mmscope_buddy_check c;

	memset(&c, 0xa5, sizeof(c));
	if (ioctl(fd, MMSCOPE_IOC_BUDDY_CHECK, &c))
		ktap_diag("checker: %d %s", c.result, c.message);
	ASSERT_EQ(0, c.result);
	ASSERT_EQ(0, c.message[0]);
}

static void drain(int fd, unsigned int flags, struct mmscope_buddy_drain *out)
{
	struct mmscope_buddy_drain d = { .flags = flags };

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_DRAIN, &d));
	if (out)
		*out = d;
}

/* Nothing held by user space, caches drained, no chunk held. */
static int baseline(void)
{
	struct mmscope_buddy_reset reset;
	struct mmscope_buddy_stats st;
	cpu_set_t cpus;
	int fd = dev();

	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_OK(sched_setaffinity(0, sizeof(cpus), &cpus));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_RESET, &reset));
	drain(fd, MMSCOPE_BUDDY_DRAIN_PCP | MMSCOPE_BUDDY_DRAIN_SPARE, NULL);
	get_stats(fd, &st);
	ASSERT_EQ(0, st.chunks_held);
	ASSERT_EQ(0, st.pages_in_pcp);
	ASSERT_EQ(0, st.user_blocks);
	ASSERT_EQ(st.adopted_pages, st.pages_held);
	check(fd);
	return fd;
}

static struct mmscope_buddy_block alloc_block(int fd, unsigned int order)
{
	struct mmscope_buddy_block b = { .order = order };

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	ASSERT_NE(0, b.handle);
	return b;
}

static void free_block(int fd, const struct mmscope_buddy_block *blk)
{
	struct mmscope_buddy_block b = { .handle = blk->handle,
					 .order = blk->order };

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &b));
}

/*
 * Parse buddyinfo, insisting on mm/vmstat.c's layout exactly:
 * "Node %d, zone %8s " then "%6lu " per order, then "\n".
 */
static void read_buddyinfo(unsigned long *nr)
{
	static const char prefix[] = "Node 0, zone  mmscope ";
	char buf[512], *p;
	unsigned int o;

	ASSERT_GT(mms_read_file(BUDDY_DIR "/buddyinfo", buf, sizeof(buf)), 0);
	ASSERT_EQ(0, strncmp(buf, prefix, strlen(prefix)));
	p = buf + strlen(prefix);
	for (o = 0; o < NR_ORDERS; o++) {
		char field[8], *end;

		memcpy(field, p, 7);
		field[7] = 0;
		/* Right-aligned in 6 columns, then one space. */
		ASSERT_EQ(' ', field[6]);
		ASSERT_TRUE(isdigit((unsigned char)field[5]));
		nr[o] = strtoul(field, &end, 10);
		ASSERT_EQ(field + 6, end);
		p += 7;
	}
	ASSERT_EQ(0, strcmp(p, "\n"));
	ASSERT_EQ(strlen(prefix) + 7 * NR_ORDERS + 1, strlen(buf));
}

static void expect_buddyinfo(const unsigned long *want)
{
	unsigned long nr[NR_ORDERS];
	unsigned int o;
	bool same = true;

	read_buddyinfo(nr);
	for (o = 0; o < NR_ORDERS; o++)
		same &= nr[o] == want[o];
	if (!same) {
		char got[160] = "", exp[160] = "";

		for (o = 0; o < NR_ORDERS; o++) {
			snprintf(got + strlen(got), sizeof(got) - strlen(got),
				 " %lu", nr[o]);
			snprintf(exp + strlen(exp), sizeof(exp) - strlen(exp),
				 " %lu", want[o]);
		}
		ktap_diag("buddyinfo:%s, expected:%s", got, exp);
	}
	ASSERT_TRUE(same);
}

KTAP_CASE_FN(buddy_feature_and_orders_are_reported)
{
	struct mmscope_info info;
	int fd = dev();

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_INFO, &info));
	ASSERT_TRUE(info.features & MMSCOPE_FEAT_BUDDY);
	ASSERT_EQ(NR_ORDERS, info.nr_page_orders);
}

KTAP_CASE_FN(buddyinfo_has_the_proc_format_and_matches_stats)
{
	int fd = baseline();
	struct mmscope_buddy_block blk[4];
	struct mmscope_buddy_stats st;
	unsigned long nr[NR_ORDERS];
	char kernel[4096], *nl;
	unsigned int o;
	int i;

	for (i = 0; i < 4; i++)
		blk[i] = alloc_block(fd, i * 2);
	read_buddyinfo(nr);
	get_stats(fd, &st);
	for (o = 0; o < NR_ORDERS; o++)
		ASSERT_EQ(st.nr_free[o], nr[o]);
	/* The kernel's own line has the same shape: same length, same columns. */
	ASSERT_GT(mms_read_file("/proc/buddyinfo", kernel, sizeof(kernel)), 0);
	nl = strchr(kernel, '\n');
	ASSERT_TRUE(nl);
	ASSERT_EQ(strlen("Node 0, zone  mmscope ") + 7 * NR_ORDERS,
		  nl - kernel);
	ASSERT_EQ(0, strncmp(kernel, "Node 0, zone ", 13));
	for (i = 0; i < 4; i++)
		free_block(fd, &blk[i]);
	close(fd);
}

/*
 * The seed's story: blocks split on allocation and merge with their
 * buddies on release, all the way back to one block per chunk.
 */
KTAP_CASE_FN(seed_story_split_then_full_merge_in_buddyinfo)
{
	static const unsigned long after_a[NR_ORDERS] = {
		0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 0 };
	static const unsigned long after_b[NR_ORDERS] = {
		0, 0, 0, 1, 1, 0, 1, 1, 1, 1, 0 };
	static const unsigned long after_c[NR_ORDERS] = {
		0, 1, 1, 0, 1, 0, 1, 1, 1, 1, 0 };
	static const unsigned long merged[NR_ORDERS] = {
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 };
	struct mmscope_buddy_block a, b, c;
	struct mmscope_buddy_stats st0, st;
	int fd = baseline();
	unsigned int o;

	get_stats(fd, &st0);
	/* A: order 3 from a fresh chunk, split 10 -> 9 -> ... -> 3. */
	a = alloc_block(fd, 3);
	ASSERT_EQ(0, a.offset);
	expect_buddyinfo(after_a);
	get_stats(fd, &st);
	for (o = 4; o < NR_ORDERS; o++)
		ASSERT_EQ(st0.splits[o] + 1, st.splits[o]);
	ASSERT_EQ(1, st.chunks_held);
	/* B: order 5 takes the free order-5 block whole, no split. */
	b = alloc_block(fd, 5);
	ASSERT_EQ(32, b.offset);
	ASSERT_EQ(a.range_id, b.range_id);
	expect_buddyinfo(after_b);
	/* C: order 1, the smallest block that fits is A's order-3 buddy. */
	c = alloc_block(fd, 1);
	ASSERT_EQ(8, c.offset);
	expect_buddyinfo(after_c);
	check(fd);

	/* Free C: merges to order 3 and stops at A, its allocated buddy. */
	free_block(fd, &c);
	expect_buddyinfo(after_b);
	/* Free B: its buddy (offset 0, order 5) holds A: no merge. */
	free_block(fd, &b);
	expect_buddyinfo(after_a);
	/* Free A: merges at every order up to the whole chunk. */
	free_block(fd, &a);
	expect_buddyinfo(merged);
	get_stats(fd, &st);
	for (o = 3; o < MAX_ORDER_; o++)
		ASSERT_LE(st0.merges[o] + 1, st.merges[o]);
	ASSERT_EQ(1, st.chunks_held);
	ASSERT_EQ(CHUNK_PAGES, st.pages_free);
	check(fd);
	close(fd);
}

KTAP_CASE_FN(every_chunk_merges_back_to_one_max_order_block)
{
	struct mmscope_buddy_block big[2], small[16];
	struct mmscope_buddy_stats st;
	unsigned long nr[NR_ORDERS];
	int fd = baseline(), i;

	big[0] = alloc_block(fd, MAX_ORDER_);
	big[1] = alloc_block(fd, MAX_ORDER_);
	for (i = 0; i < 16; i++)
		small[i] = alloc_block(fd, 1 + i % 5);
	get_stats(fd, &st);
	ASSERT_EQ(3, st.chunks_held);
	for (i = 15; i >= 0; i--)
		free_block(fd, &small[i]);
	/* The third chunk is whole again and kept as the spare. */
	read_buddyinfo(nr);
	get_stats(fd, &st);
	ASSERT_EQ(3, st.chunks_held);
	ASSERT_EQ(1, st.chunks_empty);
	ASSERT_EQ(1, nr[MAX_ORDER_]);
	ASSERT_EQ(CHUNK_PAGES, st.pages_free);
	free_block(fd, &big[0]);
	free_block(fd, &big[1]);
	/* Beyond the spare, whole chunks went back to the kernel. */
	read_buddyinfo(nr);
	get_stats(fd, &st);
	ASSERT_EQ(1, st.chunks_held);
	ASSERT_EQ(st.chunks_held, nr[MAX_ORDER_]);
	ASSERT_EQ(CHUNK_PAGES * st.chunks_held, st.pages_free);
	check(fd);
	close(fd);
}

KTAP_CASE_FN(order0_goes_through_the_per_cpu_cache)
{
	struct mmscope_buddy_stats st0, st;
	struct mmscope_buddy_block a, b;
	struct mmscope_buddy_drain d;
	int fd = baseline();

	get_stats(fd, &st0);
	a = alloc_block(fd, 0);
	get_stats(fd, &st);
	/* Empty cache: one miss refills a whole batch, one page goes out. */
	ASSERT_EQ(st0.pcp_misses + 1, st.pcp_misses);
	ASSERT_EQ(st0.pcp_refilled + PCP_BATCH, st.pcp_refilled);
	ASSERT_EQ(PCP_BATCH - 1, st.pages_in_pcp);
	b = alloc_block(fd, 0);
	get_stats(fd, &st);
	ASSERT_EQ(st0.pcp_hits + 1, st.pcp_hits);
	ASSERT_EQ(PCP_BATCH - 2, st.pages_in_pcp);
	/* Handed out in the order the free lists gave them. */
	ASSERT_EQ(a.range_id, b.range_id);
	ASSERT_EQ(a.offset + 1, b.offset);
	free_block(fd, &a);
	free_block(fd, &b);
	get_stats(fd, &st);
	ASSERT_EQ(PCP_BATCH, st.pages_in_pcp);
	ASSERT_EQ(CHUNK_PAGES - PCP_BATCH, st.pages_free);
	check(fd);
	drain(fd, MMSCOPE_BUDDY_DRAIN_PCP, &d);
	ASSERT_EQ(PCP_BATCH, d.pages_drained);
	get_stats(fd, &st);
	ASSERT_EQ(0, st.pages_in_pcp);
	ASSERT_EQ(CHUNK_PAGES, st.pages_free);
	ASSERT_EQ(st0.pcp_drained + PCP_BATCH, st.pcp_drained);
	close(fd);
}

/* Read records added to /dev/kmsg since @fd was opened at its end. */
static bool kmsg_has(int fd, const char *needle)
{
	char rec[1024];
	bool found = false;
	ssize_t n;

	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		if (n <= 0)
			continue;
		rec[n] = 0;
		found |= strstr(rec, needle) != NULL;
	}
	return found;
}

/* Make the allocator refuse a free of @kind: it must say EINVAL. */
static void expect_refused(int fd, unsigned int kind, uint64_t handle,
			   unsigned int order)
{
	struct mmscope_buddy_badfree bf = { .kind = kind, .handle = handle,
					    .order = order };

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_BADFREE, &bf));
	ASSERT_EQ(-EINVAL, bf.result);
}

KTAP_CASE_FN(bad_frees_are_refused_counted_and_logged)
{
	struct mmscope_buddy_stats st0, st;
	struct mmscope_buddy_block a, z, bad;
	struct mmscope_buddy_badfree bf;
	int fd = baseline(), kmsg;

	kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_OK(kmsg);
	ASSERT_OK(lseek(kmsg, 0, SEEK_END));
	get_stats(fd, &st0);
	a = alloc_block(fd, 2);

	/* A handle mmscope never gave out. */
	bad = (struct mmscope_buddy_block){ .handle = a.handle + 1000 };
	ASSERT_ERRNO(ENOENT, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));
	bad.handle = 0;
	ASSERT_ERRNO(ENOENT, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));
	bad.handle = 1ULL << 40;
	ASSERT_ERRNO(ENOENT, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));

	/* The wrong order: the allocator refuses, the handle stays good. */
	bad = (struct mmscope_buddy_block){ .handle = a.handle, .order = 1 };
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));
	bad.order = 0;
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));
	bad.order = 99;
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &bad));

	/* A page inside the block, freed as order 0. */
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_TAIL, a.handle, 0);
	/* A kernel page mmscope never owned, at orders 0 and 4. */
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_FOREIGN, 0, 0);
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_FOREIGN, 0, 4);
	/* Still referenced (as by get_user_pages): order 2, then order 0. */
	z = alloc_block(fd, 0);
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_BUSY, a.handle, 0);
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_BUSY, z.handle, 0);
	check(fd);
	/* Double frees: order 2 (free lists) and order 0 (per-CPU cache). */
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_DOUBLE, a.handle, 0);
	expect_refused(fd, MMSCOPE_BUDDY_BADFREE_DOUBLE, z.handle, 0);
	/* The first free of each was real: the handles are gone. */
	ASSERT_ERRNO(ENOENT, ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &a));
	bf = (struct mmscope_buddy_badfree){ .kind = MMSCOPE_BUDDY_BADFREE_DOUBLE,
					     .handle = z.handle };
	ASSERT_ERRNO(ENOENT, ioctl(fd, MMSCOPE_IOC_BUDDY_BADFREE, &bf));

	get_stats(fd, &st);
	ASSERT_EQ(st0.user_bad_handles + 5, st.user_bad_handles);
	ASSERT_EQ(st0.bad_free_order + 3, st.bad_free_order);
	ASSERT_EQ(st0.bad_free_tail + 1, st.bad_free_tail);
	ASSERT_EQ(st0.bad_free_foreign + 2, st.bad_free_foreign);
	ASSERT_EQ(st0.bad_free_double + 2, st.bad_free_double);
	ASSERT_EQ(st0.bad_free_busy + 2, st.bad_free_busy);
	ASSERT_EQ(0, st.user_blocks);
	/* Nothing was corrupted, everything merged back. */
	check(fd);
	drain(fd, MMSCOPE_BUDDY_DRAIN_PCP, NULL);
	get_stats(fd, &st);
	ASSERT_EQ(st.pages_held, st.pages_free);
	/* The refusals were logged (rate-limited). */
	ASSERT_TRUE(kmsg_has(kmsg, "refused free"));
	close(kmsg);
	close(fd);
}

KTAP_CASE_FN(bad_requests_are_refused)
{
	struct mmscope_buddy_block b = { .order = NR_ORDERS };
	struct mmscope_buddy_drain d = { .flags = 4 };
	int fd = baseline();

	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	b = (struct mmscope_buddy_block){ .order = 0, .flags = 1 };
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	b = (struct mmscope_buddy_block){ .reserved = { 0, 1 } };
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	ASSERT_ERRNO(EFAULT, ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, NULL));
	ASSERT_ERRNO(EFAULT, ioctl(fd, MMSCOPE_IOC_BUDDY_STATS, (void *)8));
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BUDDY_DRAIN, &d));
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IO(MMSCOPE_IOC_MAGIC,
					  MMSCOPE_IOC_BUDDY_BASE + 15)));
	close(fd);
}

/* Free pages as the kernel counts them: MemFree plus its per-CPU lists. */
static long kernel_free_pages(void)
{
	static char buf[1 << 16];
	long kb = -1, pcp = 0;
	char *p;

	ASSERT_GT(mms_read_file("/proc/meminfo", buf, sizeof(buf)), 0);
	p = strstr(buf, "MemFree:");
	ASSERT_TRUE(p);
	kb = strtol(p + strlen("MemFree:"), NULL, 10);
	ASSERT_GT(mms_read_file("/proc/zoneinfo", buf, sizeof(buf)), 0);
	for (p = buf; (p = strstr(p, "\n              count: ")); p++)
		pcp += strtol(p + strlen("\n              count: "), NULL, 10);
	return kb / (sysconf(_SC_PAGESIZE) / 1024) + pcp;
}

KTAP_CASE_FN(chunks_come_from_and_go_back_to_the_kernel)
{
	struct mmscope_buddy_stats st0, st;
	struct mmscope_buddy_block blk[8];
	struct mmscope_buddy_drain d;
	long before, held, after;
	int fd = baseline(), i;
	uint64_t v;

	get_stats(fd, &st0);
	before = kernel_free_pages();
	for (i = 0; i < 8; i++)
		blk[i] = alloc_block(fd, MAX_ORDER_);
	held = kernel_free_pages();
	get_stats(fd, &st);
	ASSERT_EQ(8, st.chunks_held);
	ASSERT_EQ(st0.chunks_taken + 8, st.chunks_taken);
	ASSERT_OK(mms_debugfs_u64("buddy/chunks_taken", &v));
	ASSERT_EQ(st.chunks_taken, v);
	ktap_diag("kernel free pages: %ld before, %ld with 8 chunks held", before,
		  held);
	/* 8192 pages left the kernel (plus a little metadata; noise). */
	ASSERT_GE(before - held, 8 * (long)CHUNK_PAGES - 256);
	ASSERT_LE(before - held, 8 * (long)CHUNK_PAGES + 1024);

	for (i = 0; i < 8; i++)
		free_block(fd, &blk[i]);
	get_stats(fd, &st);
	ASSERT_EQ(1, st.chunks_held);		/* the spare */
	ASSERT_EQ(st0.chunks_returned + 7, st.chunks_returned);
	drain(fd, MMSCOPE_BUDDY_DRAIN_SPARE, &d);
	ASSERT_EQ(1, d.chunks_returned);
	get_stats(fd, &st);
	ASSERT_EQ(0, st.chunks_held);
	ASSERT_EQ(0, st.pages_held - st.adopted_pages);
	after = kernel_free_pages();
	ktap_diag("kernel free pages: %ld after returning them", after);
	ASSERT_GE(after - held, 8 * (long)CHUNK_PAGES - 1024);
	ASSERT_LE(labs(after - before), 1024);
	close(fd);
}

KTAP_CASE_FN(allocation_stops_at_buddy_max_mb)
{
	struct mmscope_buddy_block b = { .order = MAX_ORDER_ };
	struct mmscope_buddy_stats st0, st;
	struct mmscope_buddy_reset reset;
	int fd = baseline(), n = 0;

	get_stats(fd, &st0);
	ASSERT_GE(st0.chunks_max, 1);
	while (!ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b)) {
		n++;
		ASSERT_LE(n, st0.chunks_max);
		b = (struct mmscope_buddy_block){ .order = MAX_ORDER_ };
	}
	ASSERT_EQ(ENOMEM, errno);
	ASSERT_EQ(st0.chunks_max, n);
	b = (struct mmscope_buddy_block){ .order = 0 };
	ASSERT_ERRNO(ENOMEM, ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	get_stats(fd, &st);
	ASSERT_EQ(st0.alloc_failures[MAX_ORDER_] + 1,
		  st.alloc_failures[MAX_ORDER_]);
	ASSERT_EQ(st0.alloc_failures[0] + 1, st.alloc_failures[0]);
	ASSERT_EQ(st.chunks_max, st.chunks_held);
	/* RESET frees everything user space holds. */
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_RESET, &reset));
	ASSERT_EQ(n, reset.blocks);
	ASSERT_EQ(n * CHUNK_PAGES, reset.pages);
	get_stats(fd, &st);
	ASSERT_EQ(0, st.user_blocks);
	ASSERT_EQ(1, st.chunks_held);
	close(fd);
}

static int frag_index(const unsigned long *nr, unsigned int order)
{
	unsigned long total = 0, free_pages = 0, suitable = 0;
	unsigned int o;

	for (o = 0; o < NR_ORDERS; o++) {
		total += nr[o];
		free_pages += nr[o] << o;
		if (o >= order)
			suitable += nr[o] << (o - order);
	}
	if (!total)
		return 0;
	if (suitable)
		return -1000;
	return 1000 - (int)((1000 + free_pages * 1000 / (1UL << order)) / total);
}

static int unusable_index(const unsigned long *nr, unsigned int order)
{
	unsigned long free_pages = 0, suitable = 0;
	unsigned int o;

	for (o = 0; o < NR_ORDERS; o++) {
		free_pages += nr[o] << o;
		if (o >= order)
			suitable += nr[o] << (o - order);
	}
	if (!free_pages)
		return 1000;
	return (int)((free_pages - (suitable << order)) * 1000 / free_pages);
}

/* "Node 0, zone  mmscope " then one fixed-point index per order. */
static void read_indices(const char *file, const char *fmt, int *idx)
{
	char buf[512], want[16], *p;
	unsigned int o;

	ASSERT_GT(mms_read_file(file, buf, sizeof(buf)), 0);
	ASSERT_EQ(0, strncmp(buf, "Node 0, zone  mmscope ", 22));
	p = buf + 22;
	for (o = 0; o < NR_ORDERS; o++) {
		char *end;
		long whole = strtol(p, &end, 10);

		ASSERT_EQ('.', *end);
		idx[o] = whole * 1000 + (whole < 0 ? -1 : 1) *
			 strtol(end + 1, NULL, 10);
		snprintf(want, sizeof(want), fmt, idx[o] / 1000, idx[o] % 1000);
		ASSERT_EQ(0, strncmp(p, want, strlen(want)));
		p += strlen(want);
	}
	ASSERT_EQ(0, strcmp(p, "\n"));
}

KTAP_CASE_FN(extfrag_indices_follow_the_vmstat_formulas)
{
	struct mmscope_buddy_block blk[64];
	unsigned long nr[NR_ORDERS];
	int fd = baseline(), i, fi[NR_ORDERS], ui[NR_ORDERS];
	unsigned int o;

	/* Fragment a chunk: hold every other order-1 block. */
	for (i = 0; i < 64; i++)
		blk[i] = alloc_block(fd, 1);
	for (i = 0; i < 64; i += 2)
		free_block(fd, &blk[i]);
	read_buddyinfo(nr);
	read_indices(BUDDY_DIR "/extfrag/extfrag_index", "%2d.%03d ", fi);
	read_indices(BUDDY_DIR "/extfrag/unusable_index", "%d.%03d ", ui);
	for (o = 0; o < NR_ORDERS; o++) {
		ASSERT_EQ(frag_index(nr, o), fi[o]);
		ASSERT_EQ(unusable_index(nr, o), ui[o]);
	}
	/* The fragmentation is visible: some order-1 space is unusable at 2. */
	ASSERT_GT(ui[2], 0);
	ASSERT_EQ(-1000, fi[1]);
	for (i = 1; i < 64; i += 2)
		free_block(fd, &blk[i]);
	close(fd);
}

KTAP_CASE_FN(one_value_files_agree_with_stats)
{
	struct mmscope_buddy_block a = { 0 }, b;
	struct mmscope_buddy_stats st;
	int fd = baseline();
	uint64_t v;

	a = alloc_block(fd, 4);
	b = alloc_block(fd, 0);
	get_stats(fd, &st);
#define SAME(file, field) do {						\
	ASSERT_OK(mms_debugfs_u64("buddy/" file, &v));			\
	ASSERT_EQ(st.field, v);						\
} while (0)
	SAME("chunks_held", chunks_held);
	SAME("chunks_max", chunks_max);
	SAME("chunks_taken", chunks_taken);
	SAME("chunks_returned", chunks_returned);
	SAME("pages_held", pages_held);
	SAME("pages_free", pages_free);
	SAME("pages_allocated", pages_allocated);
	SAME("pages_in_pcp", pages_in_pcp);
	SAME("pcp_hits", pcp_hits);
	SAME("pcp_misses", pcp_misses);
	SAME("adopted_pages", adopted_pages);
	SAME("user_blocks", user_blocks);
#undef SAME
	ASSERT_EQ(16 + 1, st.pages_allocated);
	ASSERT_EQ(2, st.user_blocks);
	ASSERT_EQ(17, st.user_pages);
	free_block(fd, &a);
	free_block(fd, &b);
	close(fd);
}

KTAP_CASE_FN(drain_control_file_empties_caches_and_spares)
{
	struct mmscope_buddy_stats st;
	struct mmscope_buddy_block a;
	int fd = baseline();
	char buf[16];

	a = alloc_block(fd, 0);
	free_block(fd, &a);
	get_stats(fd, &st);
	ASSERT_EQ(PCP_BATCH, st.pages_in_pcp);
	ASSERT_EQ(1, st.chunks_held);
	ASSERT_OK(mms_write_file(BUDDY_DIR "/drain", "1"));
	get_stats(fd, &st);
	ASSERT_EQ(0, st.pages_in_pcp);
	ASSERT_EQ(1, st.chunks_held);
	ASSERT_OK(mms_write_file(BUDDY_DIR "/drain", "2"));
	get_stats(fd, &st);
	ASSERT_EQ(0, st.chunks_held);
	ASSERT_TRUE(mms_write_file(BUDDY_DIR "/drain", "8") < 0);
	ASSERT_EQ(EINVAL, errno);
	ASSERT_TRUE(mms_read_file(BUDDY_DIR "/drain", buf, sizeof(buf)) < 0);
	ASSERT_GT(mms_read_file(BUDDY_DIR "/check", buf, sizeof(buf)), 0);
	ASSERT_EQ(0, strcmp(buf, "ok\n"));
	close(fd);
}

/*
 * Replay a random trace through the device against a list of what user
 * space holds, with the checker every few steps.
 */
#define TRACE_OPS	20000
#define TRACE_LIVE	2048

KTAP_CASE_FN(random_trace_through_the_device_stays_consistent)
{
	static struct mmscope_buddy_block live[TRACE_LIVE];
	unsigned long pages = 0, enomem = 0, allocs = 0, frees = 0;
	struct mmscope_buddy_stats st;
	uint64_t rng = 0x62756464790a;	/* fixed seed */
	unsigned int n = 0, i, step;
	int fd = baseline();

	for (step = 0; step < TRACE_OPS; step++) {
		bool alloc;

		rng ^= rng << 13;
		rng ^= rng >> 7;
		rng ^= rng << 17;
		/* Fill for 1000 steps, then drain for 1000, and so on. */
		alloc = (rng % 100) < ((step / 1000) % 2 ? 30U : 65U);
		if (alloc && n < TRACE_LIVE) {
			struct mmscope_buddy_block b = { 0 };

			b.order = (rng >> 8) % 4 ? (rng >> 16) % 3 :
						   (rng >> 16) % NR_ORDERS;
			if (ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b)) {
				/* Only ever for want of a chunk. */
				ASSERT_EQ(ENOMEM, errno);
				get_stats(fd, &st);
				ASSERT_EQ(st.chunks_max, st.chunks_held);
				enomem++;
				continue;
			}
			live[n++] = b;
			pages += 1UL << b.order;
			allocs++;
		} else if (n) {
			i = (rng >> 24) % n;
			free_block(fd, &live[i]);
			pages -= 1UL << live[i].order;
			live[i] = live[--n];
			frees++;
		}
		if (step % 50 == 0) {
			check(fd);
			get_stats(fd, &st);
			ASSERT_EQ(n, st.user_blocks);
			ASSERT_EQ(pages, st.user_pages);
		}
	}
	ktap_diag("%u ops: %lu allocs, %lu frees, %lu ENOMEM at the limit, %u blocks left",
		  step, allocs, frees, enomem, n);
	check(fd);
	while (n)
		free_block(fd, &live[--n]);
	drain(fd, MMSCOPE_BUDDY_DRAIN_PCP, NULL);
	get_stats(fd, &st);
	ASSERT_EQ(0, st.user_blocks);
	ASSERT_EQ(st.pages_held, st.pages_free);
	ASSERT_LE(st.chunks_held, 1);
	check(fd);
	close(fd);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(buddy_feature_and_orders_are_reported),
	KTAP_CASE(buddyinfo_has_the_proc_format_and_matches_stats),
	KTAP_CASE(seed_story_split_then_full_merge_in_buddyinfo),
	KTAP_CASE(every_chunk_merges_back_to_one_max_order_block),
	KTAP_CASE(order0_goes_through_the_per_cpu_cache),
	KTAP_CASE(bad_frees_are_refused_counted_and_logged),
	KTAP_CASE(bad_requests_are_refused),
	KTAP_CASE(chunks_come_from_and_go_back_to_the_kernel),
	KTAP_CASE(allocation_stops_at_buddy_max_mb),
	KTAP_CASE(extfrag_indices_follow_the_vmstat_formulas),
	KTAP_CASE(one_value_files_agree_with_stats),
	KTAP_CASE(drain_control_file_empties_caches_and_spares),
	KTAP_CASE(random_trace_through_the_device_stays_consistent),
};

KTAP_MAIN("buddy", cases)
