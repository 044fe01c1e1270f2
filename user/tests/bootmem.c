// SPDX-License-Identifier: GPL-2.0
/*
 * In-VM suite of mmscope's bootmem node, driven through /dev/mmscope with
 * the MMSCOPE_IOC_BOOTMEM_* ioctls and cross-checked with debugfs
 * mmscope/bootmem/. Every case starts by creating its own node.
 */
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define BM_DEBUGFS	MMSCOPE_DEBUGFS_PATH "/bootmem/"
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

static long page_size;

static int dev(void)
{
	static int fd = -1;

	if (fd < 0) {
		fd = mms_open_dev();
		if (fd < 0)
			SKIP("%s: %s (module not loaded?)", MMSCOPE_DEVICE_PATH,
			     strerror(errno));
		page_size = sysconf(_SC_PAGESIZE);
	}
	return fd;
}

static uint64_t node_init(uint64_t nr_pages, uint64_t map_page)
{
	struct mmscope_bootmem_init in = {
		.nr_pages = nr_pages, .map_page = map_page,
	};

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	return in.map_pages;
}

static int range_op(unsigned long cmd, uint64_t addr, uint64_t size,
		    struct mmscope_bootmem_range *out)
{
	struct mmscope_bootmem_range r = { .addr = addr, .size = size };
	int ret = ioctl(dev(), cmd, &r);

	if (out)
		*out = r;
	return ret;
}

static uint64_t bm_free(uint64_t addr, uint64_t size)
{
	struct mmscope_bootmem_range r;

	ASSERT_OK(range_op(MMSCOPE_IOC_BOOTMEM_FREE, addr, size, &r));
	return r.pages;
}

static uint64_t bm_reserve(uint64_t addr, uint64_t size)
{
	struct mmscope_bootmem_range r;

	ASSERT_OK(range_op(MMSCOPE_IOC_BOOTMEM_RESERVE, addr, size, &r));
	return r.pages;
}

static int try_alloc(uint64_t size, uint64_t align, uint64_t goal,
		     uint64_t *addr)
{
	struct mmscope_bootmem_alloc a = {
		.size = size, .align = align, .goal = goal,
	};
	int ret = ioctl(dev(), MMSCOPE_IOC_BOOTMEM_ALLOC, &a);

	*addr = a.addr;
	return ret;
}

static uint64_t bm_alloc(uint64_t size, uint64_t align, uint64_t goal)
{
	uint64_t addr;

	ASSERT_OK(try_alloc(size, align, goal, &addr));
	return addr;
}

static struct mmscope_bootmem_stats stats(void)
{
	struct mmscope_bootmem_stats st;

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_STATS, &st));
	return st;
}

/* The whole map, one byte per page (1 = reserved). Caller frees. */
static unsigned char *read_map(uint64_t *nr_pages)
{
	struct mmscope_bootmem_map m = { .nr_words = 0 };
	unsigned char *pages;
	uint64_t *words, i;

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	words = calloc(m.total_words, sizeof(*words));
	m.buf = (uintptr_t)words;
	m.nr_words = m.total_words;
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	ASSERT_EQ(m.total_words, m.nr_words);
	pages = malloc(m.nr_pages);
	for (i = 0; i < m.nr_pages; i++)
		pages[i] = words[i / 64] >> (i % 64) & 1;
	/* Bits past the node read as reserved. */
	for (i = m.nr_pages; i < m.total_words * 64; i++)
		ASSERT_EQ(1, words[i / 64] >> (i % 64) & 1);
	free(words);
	*nr_pages = m.nr_pages;
	return pages;
}

static uint64_t debugfs_u64(const char *name)
{
	char rel[64];
	uint64_t v;

	snprintf(rel, sizeof(rel), "bootmem/%s", name);
	if (mms_debugfs_u64(rel, &v))
		SKIP("debugfs %s: %s (debugfs not mounted?)", rel,
		     strerror(errno));
	return v;
}

/* A whole debugfs file of bootmem; the caller frees it. */
static char *debugfs_text(const char *name)
{
	const size_t size = 1 << 20;
	char path[256], *buf = malloc(size);

	snprintf(path, sizeof(path), BM_DEBUGFS "%s", name);
	if (mms_read_file(path, buf, size) < 0)
		SKIP("%s: %s (debugfs not mounted?)", name, strerror(errno));
	return buf;
}

/* "Name:   value" of debugfs stats, as /proc/meminfo. */
static uint64_t stats_field(const char *text, const char *name)
{
	char key[64];
	const char *p;
	uint64_t v;

	snprintf(key, sizeof(key), "\n%s:", name);
	p = strstr(text, key);
	if (!p && !strncmp(text, key + 1, strlen(key + 1)))
		p = text - 1;
	if (!p) {
		ktap_diag("stats has no %s", name);
		ASSERT_TRUE(p);
	}
	ASSERT_EQ(1, sscanf(p + strlen(key), "%" SCNu64, &v));
	return v;
}

KTAP_CASE_FN(info_reports_the_bootmem_feature)
{
	struct mmscope_info info;

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_INFO, &info));
	ASSERT_TRUE(info.features & MMSCOPE_FEAT_BOOTMEM);
	ASSERT_EQ(page_size, info.page_size);
}

KTAP_CASE_FN(init_reserves_every_page_of_the_new_node)
{
	struct mmscope_bootmem_stats st;
	unsigned char *map;
	uint64_t n, i, inits = stats().inits;

	ASSERT_EQ(1, node_init(2048, 5));
	st = stats();
	ASSERT_EQ(MMSCOPE_BOOTMEM_LIVE, st.state);
	ASSERT_EQ(2048, st.nr_pages);
	ASSERT_EQ(5, st.map_page);
	ASSERT_EQ(2048, st.pages_reserved);
	ASSERT_EQ(0, st.pages_free);
	ASSERT_EQ(inits + 1, st.inits);
	map = read_map(&n);
	ASSERT_EQ(2048, n);
	for (i = 0; i < n; i++)
		ASSERT_EQ(1, map[i]);
	free(map);
	/* The map's page can't be freed; everything else can. */
	ASSERT_EQ(2047, bm_free(0, 2048 * page_size));
	ASSERT_EQ(1, stats().pages_reserved);
	map = read_map(&n);
	ASSERT_EQ(1, map[5]);
	ASSERT_EQ(0, map[4]);
	ASSERT_EQ(0, map[6]);
	free(map);
}

KTAP_CASE_FN(init_with_zero_pages_uses_the_module_parameter)
{
	struct mmscope_bootmem_init in = { .nr_pages = 0 };
	uint64_t param;

	ASSERT_OK(mms_read_u64("/sys/module/mmscope/parameters/bootmem_pages",
			       &param));
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	ASSERT_EQ(param, stats().nr_pages);
	ASSERT_EQ(stats().nr_pages, debugfs_u64("nr_pages"));
}

KTAP_CASE_FN(init_refuses_sizes_out_of_range)
{
	struct mmscope_bootmem_init in = { .nr_pages = 63 };
	uint64_t refused = stats().refused;

	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	in.nr_pages = 65537;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	in.nr_pages = 64;
	in.map_page = 64;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	in.map_page = 0;
	in.reserved[2] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_INIT, &in));
	ASSERT_EQ(refused + 4, stats().refused);
	ASSERT_EQ(refused + 4, debugfs_u64("refused"));
}

/*
 * setup_memory() of Linux 2.4's arch/i386/kernel/setup.c on a 32 MiB PC:
 * init_bootmem(start_pfn, max_low_pfn) puts the map right after the
 * kernel image; register_bootmem_low_pages() frees the e820 RAM; the
 * kernel image with the map, page 0 (BIOS) and page 1 (SMP trampoline)
 * are reserved; then paging_init() allocates a low page-table page and
 * the mem_map, and two small structures follow with SMP_CACHE_BYTES
 * alignment above MAX_DMA_ADDRESS.
 */
KTAP_CASE_FN(seed_setup_memory_sequence_yields_the_predicted_map)
{
	const uint64_t high_memory = 0x100000, end = 0x3a5123;
	const uint64_t max_low_pfn = 8192, start_pfn = (end + 4095) / 4096;
	const uint64_t bootmap_size = max_low_pfn / 8;
	const uint64_t dma = 0x1000000;	/* __pa(MAX_DMA_ADDRESS) */
	/* The reserved page ranges the seed predicts, [first, last]. */
	static const uint64_t expect[][2] = {
		{ 0x0, 0x0 },		/* BIOS page */
		{ 0x1, 0x1 },		/* SMP trampoline */
		{ 0x2, 0x2 },		/* alloc_bootmem_low_pages() */
		{ 0x9f, 0xff },		/* e820 hole: never freed */
		/* kernel, map, and one page more: the seed adds PAGE_SIZE-1
		 * and reserve_bootmem() rounds up again
		 */
		{ 0x100, 0x3a7 },
		{ 0x1000, 0x1077 },	/* mem_map, 120 pages */
		{ 0x1078, 0x1078 },	/* both small structures */
	};
	struct mmscope_bootmem_range r;
	struct mmscope_bootmem_stats st;
	uint64_t n, i, j, reserved = 0;
	unsigned char *map;
	char *text;

	dev();
	if (page_size != 4096)
		SKIP("the seed's addresses assume 4 KiB pages");
	ASSERT_EQ(0x3a6, start_pfn);
	ASSERT_EQ(1, node_init(max_low_pfn, start_pfn));

	/* register_bootmem_low_pages(): BIOS-e820 usable ranges. */
	ASSERT_EQ(0x9f, bm_free(0, 0x9fc00));
	ASSERT_EQ(0x2000 - 0x100 - 1, bm_free(0x100000, 0x1f00000));
	/* reserve_bootmem(HIGH_MEMORY, kernel + bootmap). */
	ASSERT_OK(range_op(MMSCOPE_IOC_BOOTMEM_RESERVE, high_memory,
			   start_pfn * 4096 + bootmap_size + 4095 - high_memory,
			   &r));
	ASSERT_EQ(0x3a8 - 0x100 - 1, r.pages);	/* the map page was kept */
	ASSERT_EQ(0, r.twice);
	ASSERT_EQ(1, bm_reserve(0, 4096));
	ASSERT_EQ(1, bm_reserve(4096, 4096));

	ASSERT_EQ(0x2000, bm_alloc(4096, 4096, 0));
	ASSERT_EQ(dma, bm_alloc(491520, 32, dma));
	ASSERT_EQ(dma + 491520, bm_alloc(200, 32, dma));
	ASSERT_EQ(dma + 491520 + 224, bm_alloc(100, 32, dma));

	map = read_map(&n);
	ASSERT_EQ(max_low_pfn, n);
	for (i = 0; i < n; i++) {
		int want = 0;

		for (j = 0; j < ARRAY_SIZE(expect); j++)
			want |= i >= expect[j][0] && i <= expect[j][1];
		if (map[i] != want)
			ktap_diag("page %#" PRIx64 ": map %d, seed %d", i,
				  map[i], want);
		ASSERT_EQ(want, map[i]);
		reserved += want;
	}
	free(map);

	st = stats();
	ASSERT_EQ(reserved, st.pages_reserved);
	ASSERT_EQ(max_low_pfn - reserved, st.pages_free);
	ASSERT_EQ(4, st.allocs);
	ASSERT_EQ(1, st.alloc_packed);
	ASSERT_EQ(4096 + 491520 + 300, st.alloc_bytes);
	ASSERT_EQ(1 + 120 + 1, st.alloc_pages);
	ASSERT_EQ(0, st.reserved_twice);
	ASSERT_EQ(0, st.double_frees);

	/* debugfs tells the same story. */
	text = debugfs_text("stats");
	ASSERT_TRUE(strstr(text, "State:") && strstr(text, "live"));
	ASSERT_EQ(reserved, stats_field(text, "Reserved"));
	ASSERT_EQ(max_low_pfn - reserved, stats_field(text, "Free"));
	ASSERT_EQ(4, stats_field(text, "Allocations"));
	ASSERT_EQ(1, stats_field(text, "AllocPacked"));
	ASSERT_EQ(1, stats_field(text, "MapPages"));
	ASSERT_EQ(start_pfn, stats_field(text, "MapPage"));
	free(text);
	ASSERT_EQ(reserved, debugfs_u64("pages_reserved"));
	ASSERT_EQ(max_low_pfn - reserved, debugfs_u64("pages_free"));
}

KTAP_CASE_FN(free_rounds_inwards_and_reserve_outwards)
{
	unsigned char *map;
	uint64_t n;

	node_init(256, 0);
	/* [page 10 + 1 byte, page 13 + 1 byte): only 11 and 12 whole. */
	ASSERT_EQ(2, bm_free(10 * page_size + 1, 3 * page_size));
	map = read_map(&n);
	ASSERT_EQ(1, map[10]);
	ASSERT_EQ(0, map[11]);
	ASSERT_EQ(0, map[12]);
	ASSERT_EQ(1, map[13]);
	free(map);
	ASSERT_EQ(0, bm_free(20 * page_size + 1, page_size - 1));
	/* Free 100..199, then reserve one byte of 150 and the last of 160. */
	ASSERT_EQ(100, bm_free(100 * page_size, 100 * page_size));
	ASSERT_EQ(1, bm_reserve(150 * page_size + 7, 1));
	ASSERT_EQ(2, bm_reserve(161 * page_size - 1, 2));
	map = read_map(&n);
	ASSERT_EQ(0, map[149]);
	ASSERT_EQ(1, map[150]);
	ASSERT_EQ(0, map[151]);
	ASSERT_EQ(0, map[159]);
	ASSERT_EQ(1, map[160]);
	ASSERT_EQ(1, map[161]);
	ASSERT_EQ(0, map[162]);
	free(map);
}

KTAP_CASE_FN(double_free_fails_with_ealready_and_is_counted)
{
	struct mmscope_bootmem_range r;

	node_init(256, 0);
	ASSERT_EQ(1, bm_free(10 * page_size, page_size));
	ASSERT_ERRNO(EALREADY, range_op(MMSCOPE_IOC_BOOTMEM_FREE,
					9 * page_size, 3 * page_size, &r));
	/* Refused whole: 9 and 11 stay reserved. */
	ASSERT_EQ(255, stats().pages_reserved);
	ASSERT_EQ(1, stats().double_frees);
	ASSERT_EQ(1, debugfs_u64("double_frees"));
}

KTAP_CASE_FN(reserving_reserved_pages_counts_reserved_twice)
{
	struct mmscope_bootmem_range r;

	node_init(256, 0);
	bm_free(8 * page_size, 8 * page_size);
	ASSERT_OK(range_op(MMSCOPE_IOC_BOOTMEM_RESERVE, 6 * page_size,
			   12 * page_size, &r));
	ASSERT_EQ(8, r.pages);
	ASSERT_EQ(4, r.twice);
	ASSERT_EQ(4, stats().reserved_twice);
	ASSERT_EQ(4, debugfs_u64("reserved_twice"));
}

KTAP_CASE_FN(ranges_outside_the_node_fail_with_einval_and_are_counted)
{
	struct mmscope_bootmem_range r;
	uint64_t addr;

	node_init(64, 0);
	ASSERT_ERRNO(EINVAL, range_op(MMSCOPE_IOC_BOOTMEM_FREE,
				      63 * page_size, page_size + 1, &r));
	ASSERT_ERRNO(EINVAL, range_op(MMSCOPE_IOC_BOOTMEM_RESERVE, ~0ULL, 2,
				      &r));
	ASSERT_ERRNO(EINVAL, range_op(MMSCOPE_IOC_BOOTMEM_FREE, 0, 0, &r));
	ASSERT_ERRNO(EINVAL, range_op(MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, 0,
				      page_size, &r));
	ASSERT_ERRNO(EINVAL, try_alloc(100, 3, 0, &addr));
	ASSERT_ERRNO(EINVAL, try_alloc(0, 8, 0, &addr));
	ASSERT_EQ(6, stats().invalid);
	ASSERT_EQ(6, debugfs_u64("invalid"));
	ASSERT_EQ(64, stats().pages_reserved);
}

KTAP_CASE_FN(nonzero_reserved_fields_are_refused)
{
	struct mmscope_bootmem_range r = { .addr = 0, .size = 4096 };
	struct mmscope_bootmem_alloc a = { .size = 1, .align = 1 };
	uint64_t refused;

	node_init(64, 0);
	refused = stats().refused;
	r.reserved[1] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_FREE, &r));
	a.reserved[0] = 1;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_ALLOC, &a));
	ASSERT_EQ(refused + 2, stats().refused);
	ASSERT_EQ(64, stats().pages_reserved);
}

KTAP_CASE_FN(small_allocations_share_a_page_as_in_bootmem)
{
	struct mmscope_bootmem_stats st;

	node_init(256, 0);
	bm_free(0, 256 * page_size);
	ASSERT_EQ(page_size, bm_alloc(100, 64, 0));
	ASSERT_EQ(page_size + 128, bm_alloc(200, 64, 0));
	ASSERT_EQ(page_size + 328, bm_alloc(8, 8, 0));
	/* A page-aligned request never packs. */
	ASSERT_EQ(2 * page_size, bm_alloc(1, page_size, 0));
	st = stats();
	ASSERT_EQ(4, st.allocs);
	ASSERT_EQ(2, st.alloc_packed);
	ASSERT_EQ(2, st.alloc_pages);
	ASSERT_EQ(309, st.alloc_bytes);
}

KTAP_CASE_FN(alloc_follows_goal_alignment_and_wraps_around)
{
	uint64_t addr;

	node_init(256, 0);
	bm_free(0, 256 * page_size);
	ASSERT_EQ(112 * page_size, bm_alloc(page_size, 16 * page_size,
					    100 * page_size));
	bm_reserve(200 * page_size, 50 * page_size);
	ASSERT_EQ(250 * page_size, bm_alloc(6 * page_size, page_size,
					    200 * page_size));
	/* Nothing after the goal: wraps to the first fit from page 0. */
	ASSERT_EQ(page_size, bm_alloc(7 * page_size, page_size,
				      200 * page_size));
	ASSERT_ERRNO(ENOMEM, try_alloc(300 * page_size, page_size, 0, &addr));
	ASSERT_EQ(1, stats().alloc_failures);
	ASSERT_EQ(1, debugfs_u64("alloc_failures"));
}

KTAP_CASE_FN(free_alloc_gives_back_the_allocation_pages)
{
	struct mmscope_bootmem_range r;
	uint64_t a, before;

	node_init(256, 0);
	bm_free(0, 256 * page_size);
	before = stats().pages_free;
	a = bm_alloc(3 * page_size + 10, page_size, 0);
	ASSERT_EQ(before - 4, stats().pages_free);
	ASSERT_OK(range_op(MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, a,
			   3 * page_size + 10, &r));
	ASSERT_EQ(4, r.pages);
	ASSERT_EQ(before, stats().pages_free);
	ASSERT_EQ(1, stats().alloc_frees);
	/* Twice is a double free. */
	ASSERT_ERRNO(EALREADY, range_op(MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, a,
					3 * page_size + 10, &r));
}

KTAP_CASE_FN(read_map_checks_its_bounds)
{
	struct mmscope_bootmem_map m = { .nr_words = 0 };
	uint64_t words[8];

	node_init(1000, 0);		/* 16 words */
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	ASSERT_EQ(16, m.total_words);
	ASSERT_EQ(0, m.nr_words);
	ASSERT_EQ(1000, m.nr_pages);
	/* A window at the end is cut to what is left. */
	bm_free(960 * page_size, 40 * page_size);
	m.buf = (uintptr_t)words;
	m.first_word = 14;
	m.nr_words = 8;
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	ASSERT_EQ(2, m.nr_words);
	ASSERT_EQ(~0ULL, words[0]);
	/* Pages 960..999 free, bits 1000..1023 past the node set. */
	ASSERT_EQ(0xffffff0000000000ULL, words[1]);
	m.first_word = 17;
	m.nr_words = 1;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	m.first_word = 0;
	m.nr_words = ~0ULL;
	m.buf = 8;
	ASSERT_ERRNO(EFAULT, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	m.first_word = 16;
	m.nr_words = ~0ULL;
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	ASSERT_EQ(0, m.nr_words);
}

KTAP_CASE_FN(bitmap_file_dumps_the_map_with_page_offsets)
{
	char *text, *line;
	uint64_t n, i, w[4], off, lines = 0;
	unsigned char *map;
	int got;

	node_init(1000, 0);
	bm_free(0, 1000 * page_size);
	bm_alloc(77 * page_size, page_size, 300 * page_size);
	map = read_map(&n);
	text = debugfs_text("bitmap");
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		got = sscanf(line, "%" SCNx64 ": %" SCNx64 " %" SCNx64
			     " %" SCNx64 " %" SCNx64, &off, &w[0], &w[1],
			     &w[2], &w[3]);
		ASSERT_GE(got, 2);
		ASSERT_EQ(lines * 256, off);
		for (i = 0; i < (uint64_t)got - 1; i++) {
			uint64_t b;

			for (b = 0; b < 64 && off + i * 64 + b < n; b++)
				ASSERT_EQ(map[off + i * 64 + b],
					  w[i] >> b & 1);
		}
		lines++;
	}
	ASSERT_EQ(4, lines);
	free(text);
	free(map);
}

KTAP_CASE_FN(retire_hands_free_pages_over_and_then_refuses_requests)
{
	struct mmscope_bootmem_retire r;
	struct mmscope_bootmem_range rr;
	struct mmscope_bootmem_map m = { .nr_words = 0 };
	struct mmscope_bootmem_stats st;
	uint64_t addr, free_pages, refused, adopted = 0, now;
	struct mmscope_info info;

	node_init(1024, 0);
	bm_free(0, 1024 * page_size);
	/* Page 0 is the map; take pages 64..65 so word 1 is not whole. */
	ASSERT_EQ(64 * page_size, bm_alloc(2 * page_size, page_size,
					   64 * page_size));
	free_pages = stats().pages_free;
	ASSERT_EQ(1024 - 3, free_pages);
	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_INFO, &info));
	if (info.features & MMSCOPE_FEAT_BUDDY)
		ASSERT_OK(mms_debugfs_u64("buddy/adopted_pages", &adopted));

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_RETIRE, &r));
	ASSERT_EQ(free_pages, r.pages);
	/* Words 2..15 whole; words 0 and 1 go page by page. */
	ASSERT_EQ(14, r.blocks);
	ASSERT_EQ(6, r.block_order);
	ASSERT_EQ(1, r.map_pages);
	ASSERT_EQ(0, r.refused);
	/* The buddy allocator holds them now, map page included. */
	if (info.features & MMSCOPE_FEAT_BUDDY) {
		ASSERT_OK(mms_debugfs_u64("buddy/adopted_pages", &now));
		ASSERT_EQ(adopted + free_pages + 1, now);
	}

	st = stats();
	ASSERT_EQ(MMSCOPE_BOOTMEM_RETIRED, st.state);
	ASSERT_EQ(free_pages, st.retired_pages);
	ASSERT_EQ(14, st.retired_blocks);
	ASSERT_EQ(0, st.pages_free);
	ASSERT_EQ(free_pages, debugfs_u64("retired_pages"));

	refused = st.refused;
	ASSERT_ERRNO(ESHUTDOWN, try_alloc(1, 1, 0, &addr));
	ASSERT_ERRNO(ESHUTDOWN, range_op(MMSCOPE_IOC_BOOTMEM_FREE_ALLOC,
					 64 * page_size, 2 * page_size, &rr));
	ASSERT_ERRNO(ESHUTDOWN, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_READ_MAP,
				      &m));
	ASSERT_ERRNO(ESHUTDOWN, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_RETIRE, &r));
	ASSERT_EQ(refused + 4, stats().refused);

	/* A new node works again. */
	node_init(1024, 0);
	bm_free(0, 1024 * page_size);
	ASSERT_EQ(page_size, bm_alloc(1, 1, 0));
}

/*
 * 12 nodes of 256 MiB in a row do not fit in the guest's 2 GiB unless
 * each INIT gives the previous node's pages back (9 nodes kept whole are
 * already too many); every fourth is retired, to cover the handover too.
 */
KTAP_CASE_FN(reinit_gives_the_old_pages_back)
{
	struct mmscope_bootmem_retire r;
	int i;

	for (i = 0; i < 12; i++) {
		node_init(65536, 0);
		ASSERT_EQ(65534, bm_free(0, 65536 * page_size));
		bm_alloc(1000 * page_size, page_size, 0);
		if (i % 4 == 3)
			ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_RETIRE, &r));
	}
	node_init(1024, 0);
}

struct hammer {
	int fd;
	unsigned int seed;
	unsigned int ops;
};

static void *hammer_thread(void *arg)
{
	struct hammer *h = arg;
	struct mmscope_bootmem_alloc a;
	struct mmscope_bootmem_range r;
	unsigned int i;

	for (i = 0; i < h->ops; i++) {
		memset(&a, 0, sizeof(a));
		a.size = 1 + rand_r(&h->seed) % (8 * page_size);
		a.align = 1UL << (rand_r(&h->seed) % 14);
		if (ioctl(h->fd, MMSCOPE_IOC_BOOTMEM_ALLOC, &a))
			continue;
		memset(&r, 0, sizeof(r));
		r.addr = a.addr;
		r.size = a.size;
		if (rand_r(&h->seed) % 4)
			ioctl(h->fd, MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, &r);
	}
	return NULL;
}

KTAP_CASE_FN(concurrent_callers_keep_the_counts_consistent)
{
	struct hammer h[4];
	pthread_t th[4];
	unsigned char *map;
	uint64_t n, i, reserved = 0;
	int t;

	node_init(4096, 0);
	bm_free(0, 4096 * page_size);
	for (t = 0; t < 4; t++) {
		h[t].fd = mms_open_dev();
		ASSERT_GE(h[t].fd, 0);
		h[t].seed = t + 1;
		h[t].ops = 3000;
		ASSERT_EQ(0, pthread_create(&th[t], NULL, hammer_thread,
					    &h[t]));
	}
	for (t = 0; t < 4; t++) {
		pthread_join(th[t], NULL);
		close(h[t].fd);
	}
	map = read_map(&n);
	for (i = 0; i < n; i++)
		reserved += map[i];
	free(map);
	ASSERT_EQ(reserved, stats().pages_reserved);
	ASSERT_GT(stats().allocs, 0);
}

KTAP_CASE_FN(bench_refuses_parameters_out_of_range)
{
	struct mmscope_bootmem_bench b = {
		.nr_pages = 4096, .nr_ops = 1000, .seed = 1,
		.max_alloc_pages = 64, .occupancy_pct = 50,
	};

	ASSERT_OK(ioctl(dev(), MMSCOPE_IOC_BOOTMEM_BENCH, &b));
	ASSERT_EQ(1000, b.allocs + b.frees);
	ASSERT_EQ(0, b.mms_failures);
	ASSERT_EQ(0, b.genpool_failures);
	b.occupancy_pct = 0;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_BENCH, &b));
	b.occupancy_pct = 50;
	b.nr_ops = 0;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_BENCH, &b));
	b.nr_ops = 1000;
	b.max_alloc_pages = 2048;
	ASSERT_ERRNO(EINVAL, ioctl(dev(), MMSCOPE_IOC_BOOTMEM_BENCH, &b));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(info_reports_the_bootmem_feature),
	KTAP_CASE(init_reserves_every_page_of_the_new_node),
	KTAP_CASE(init_with_zero_pages_uses_the_module_parameter),
	KTAP_CASE(init_refuses_sizes_out_of_range),
	KTAP_CASE(seed_setup_memory_sequence_yields_the_predicted_map),
	KTAP_CASE(free_rounds_inwards_and_reserve_outwards),
	KTAP_CASE(double_free_fails_with_ealready_and_is_counted),
	KTAP_CASE(reserving_reserved_pages_counts_reserved_twice),
	KTAP_CASE(ranges_outside_the_node_fail_with_einval_and_are_counted),
	KTAP_CASE(nonzero_reserved_fields_are_refused),
	KTAP_CASE(small_allocations_share_a_page_as_in_bootmem),
	KTAP_CASE(alloc_follows_goal_alignment_and_wraps_around),
	KTAP_CASE(free_alloc_gives_back_the_allocation_pages),
	KTAP_CASE(read_map_checks_its_bounds),
	KTAP_CASE(bitmap_file_dumps_the_map_with_page_offsets),
	KTAP_CASE(retire_hands_free_pages_over_and_then_refuses_requests),
	KTAP_CASE(reinit_gives_the_old_pages_back),
	KTAP_CASE(concurrent_callers_keep_the_counts_consistent),
	KTAP_CASE(bench_refuses_parameters_out_of_range),
};

KTAP_MAIN("bootmem", cases)
