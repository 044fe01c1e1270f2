// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite mmscope_bootmem_core: module/bootmem_core.c inside the debug
 * kernel. The host suite covers the algorithm case by case; here the map
 * is a kmalloc'ed array of exactly bootmem_map_words() longs, so KASAN
 * sees any access past it, and the kernel's own bitmap functions are the
 * oracle the core's word-at-a-time arithmetic is checked against.
 */
#include <kunit/test.h>
#include <linux/bitmap.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../bootmem_core.c"

#define BK_PAGES	4096
#define BK_OPS		3000
#define BK_LIVE		256
#define BK_SEED		0x626f6f746d656dULL

struct bk_alloc {
	u64 addr, size;
};

struct bk {
	struct bootmem_node node;
	unsigned long *map;
	unsigned long *snap;
	struct bk_alloc live[BK_LIVE];
	unsigned int nr_live;
	struct rnd_state rnd;
};

static struct bk *bk_new(struct kunit *t)
{
	unsigned long words = bootmem_map_words(BK_PAGES), freed;
	struct bk *b = kunit_kzalloc(t, sizeof(*b), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(t, b);
	b->map = kunit_kmalloc_array(t, words, sizeof(long), GFP_KERNEL);
	b->snap = kunit_kmalloc_array(t, words, sizeof(long), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t, b->map);
	KUNIT_ASSERT_NOT_NULL(t, b->snap);
	prandom_seed_state(&b->rnd, BK_SEED);
	KUNIT_ASSERT_EQ(t, 0, bootmem_init(&b->node, b->map, BK_PAGES, 0));
	KUNIT_ASSERT_EQ(t, 0, bootmem_free(&b->node, 0, BK_PAGES * PAGE_SIZE,
					   &freed));
	return b;
}

/* A random byte address in pages [1, @upto): page 0 holds the map. */
static u64 bk_addr_past_map(struct bk *b, unsigned long upto)
{
	return PAGE_SIZE + prandom_u32_state(&b->rnd) % ((upto - 1) * PAGE_SIZE);
}

/* The node's counters agree with the kernel's view of its bitmap. */
static void bk_expect_consistent(struct kunit *t, struct bk *b, int step)
{
	unsigned long bits = bootmem_map_words(BK_PAGES) * BITS_PER_LONG;

	KUNIT_EXPECT_EQ_MSG(t, b->node.nr_reserved,
			    bitmap_weight(b->map, BK_PAGES),
			    "nr_reserved vs bitmap_weight after step %d", step);
	KUNIT_EXPECT_EQ_MSG(t, bits,
			    find_next_zero_bit(b->map, bits, BK_PAGES),
			    "a bit past nr_pages is clear after step %d", step);
	KUNIT_EXPECT_TRUE_MSG(t, bitmap_full(b->map, b->node.map_pages),
			      "a map page is free after step %d", step);
}

static void random_page_allocs_keep_map_and_counters_consistent(struct kunit *t)
{
	struct bk *b = bk_new(t);
	unsigned long freed, reserved, twice;
	unsigned int failures = 0, frees = 0, i;
	int step, ret;

	for (step = 0; step < BK_OPS; step++) {
		u32 dice = prandom_u32_state(&b->rnd) % 100;

		if (dice < 55 && b->nr_live < BK_LIVE) {
			/* Whole pages: no packing, so each free stands alone. */
			u64 size = (1 + prandom_u32_state(&b->rnd) % 24) * PAGE_SIZE;
			u64 align = PAGE_SIZE << (prandom_u32_state(&b->rnd) % 5);
			u64 goal = (prandom_u32_state(&b->rnd) % BK_PAGES) * PAGE_SIZE;
			u64 addr;

			ret = bootmem_alloc(&b->node, size, align, goal, &addr);
			if (ret == -ENOMEM) {
				failures++;
				continue;
			}
			KUNIT_ASSERT_EQ(t, 0, ret);
			KUNIT_EXPECT_TRUE(t, IS_ALIGNED(addr, align));
			KUNIT_EXPECT_EQ(t, size / PAGE_SIZE,
					(u64)bitmap_weight(b->map, BK_PAGES) -
					bitmap_weight(b->snap, BK_PAGES));
			b->live[b->nr_live++] = (struct bk_alloc){ addr, size };
		} else if (dice < 90 && b->nr_live) {
			i = prandom_u32_state(&b->rnd) % b->nr_live;
			KUNIT_ASSERT_EQ(t, 0, bootmem_free_alloc(&b->node,
								 b->live[i].addr,
								 b->live[i].size,
								 &freed));
			KUNIT_EXPECT_EQ(t, b->live[i].size / PAGE_SIZE, freed);
			b->live[i] = b->live[--b->nr_live];
			frees++;
		} else if (dice < 95 && b->nr_live) {
			/* A second free changes nothing. */
			struct bk_alloc *a = &b->live[prandom_u32_state(&b->rnd) %
						      b->nr_live];

			KUNIT_ASSERT_EQ(t, 0, bootmem_free_alloc(&b->node, a->addr,
								 a->size, &freed));
			bitmap_copy(b->snap, b->map, BK_PAGES);
			KUNIT_EXPECT_EQ(t, -EALREADY,
					bootmem_free_alloc(&b->node, a->addr,
							   a->size, &freed));
			KUNIT_EXPECT_TRUE(t, bitmap_equal(b->snap, b->map,
							  BK_PAGES));
			*a = b->live[--b->nr_live];
		} else {
			u64 addr = bk_addr_past_map(b, BK_PAGES);

			KUNIT_ASSERT_EQ(t, 0, bootmem_reserve(&b->node, addr, 1,
							      &reserved, &twice));
			KUNIT_EXPECT_EQ(t, 1UL, reserved + twice);
		}
		bitmap_copy(b->snap, b->map, BK_PAGES);
		bk_expect_consistent(t, b, step);
	}
	kunit_info(t, "%d steps: %u allocations refused, %u frees, %u live",
		   step, failures, frees, b->nr_live);
	KUNIT_EXPECT_GT(t, failures, 0U);
	KUNIT_EXPECT_GT(t, frees, 100U);
}

struct bk_retire {
	unsigned long *seen;
	unsigned long *before;
	unsigned long pages, blocks, bad;
};

static int bk_take(void *ctx, unsigned long idx, unsigned int order)
{
	struct bk_retire *r = ctx;
	unsigned long i, n = 1UL << order;

	if (!IS_ALIGNED(idx, n) || idx + n > BK_PAGES) {
		r->bad++;
		return 0;
	}
	for (i = idx; i < idx + n; i++)
		if (test_bit(i, r->before) || __test_and_set_bit(i, r->seen))
			r->bad++;
	r->pages += n;
	r->blocks++;
	return 0;
}

static void retire_hands_out_each_free_page_once(struct kunit *t)
{
	struct bk *b = bk_new(t);
	struct bk_retire r = { 0 };
	unsigned long reserved, twice, free_pages;
	int i;

	r.seen = kunit_kcalloc(t, BITS_TO_LONGS(BK_PAGES), sizeof(long),
			       GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(t, r.seen);
	/* Lone free pages in the first half, whole free words in the second. */
	for (i = 0; i < 200; i++)
		KUNIT_ASSERT_EQ(t, 0, bootmem_reserve(&b->node,
						      bk_addr_past_map(b, BK_PAGES / 2),
						      PAGE_SIZE, &reserved, &twice));
	bitmap_copy(b->snap, b->map, BK_PAGES);
	r.before = b->snap;
	free_pages = BK_PAGES - b->node.nr_reserved;
	KUNIT_ASSERT_EQ(t, 0, bootmem_retire(&b->node, bk_take, &r));
	KUNIT_EXPECT_EQ(t, 0UL, r.bad);
	KUNIT_EXPECT_EQ(t, free_pages, r.pages);
	KUNIT_EXPECT_EQ(t, free_pages, bitmap_weight(r.seen, BK_PAGES));
	KUNIT_EXPECT_LT(t, r.blocks, r.pages);
	KUNIT_EXPECT_EQ(t, -ESHUTDOWN,
			bootmem_reserve(&b->node, 0, 1, &reserved, &twice));
}

static struct kunit_case mms_bootmem_core_cases[] = {
	KUNIT_CASE(random_page_allocs_keep_map_and_counters_consistent),
	KUNIT_CASE(retire_hands_out_each_free_page_once),
	{}
};

static struct kunit_suite mms_bootmem_core_suite = {
	.name = "mmscope_bootmem_core",
	.test_cases = mms_bootmem_core_cases,
};

kunit_test_suite(mms_bootmem_core_suite);
