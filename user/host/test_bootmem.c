// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of module/bootmem_core.c, the bootmem algorithm, built
 * with ASan and UBSan (binary host-bootmem).
 */
#include "bootmem_core.h"
#include "bootmem_model.h"
#include "ktap.h"

#define PS	((u64)PAGE_SIZE)

struct tnode {
	struct bootmem_node node;
	unsigned long *map;
};

static struct tnode *tnode_new(unsigned long nr_pages, unsigned long map_start)
{
	struct tnode *t = calloc(1, sizeof(*t));

	t->map = calloc(bootmem_map_words(nr_pages), sizeof(long));
	ASSERT_EQ(0, bootmem_init(&t->node, t->map, nr_pages, map_start));
	return t;
}

static bool reserved(const struct tnode *t, unsigned long i)
{
	return t->map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) & 1;
}

/* A node with every page free except the map's (map at page 0). */
static struct tnode *tnode_free(unsigned long nr_pages)
{
	struct tnode *t = tnode_new(nr_pages, 0);
	unsigned long freed;

	ASSERT_EQ(0, bootmem_free(&t->node, 0, nr_pages * PS, &freed));
	ASSERT_EQ(nr_pages - t->node.map_pages, freed);
	return t;
}

static void free_range_or_die(struct tnode *t, u64 addr, u64 size)
{
	unsigned long freed;

	ASSERT_EQ(0, bootmem_free(&t->node, addr, size, &freed));
}

static void reserve_or_die(struct tnode *t, u64 addr, u64 size)
{
	unsigned long r, twice;

	ASSERT_EQ(0, bootmem_reserve(&t->node, addr, size, &r, &twice));
}

static u64 alloc_or_die(struct tnode *t, u64 size, u64 align, u64 goal)
{
	u64 addr = ~0ULL;

	ASSERT_EQ(0, bootmem_alloc(&t->node, size, align, goal, &addr));
	return addr;
}

static unsigned long count_reserved(const struct tnode *t)
{
	unsigned long i, n = 0;

	for (i = 0; i < t->node.nr_pages; i++)
		n += reserved(t, i);
	return n;
}

KTAP_CASE_FN(init_reserves_every_page_and_sizes_the_map)
{
	static const unsigned long sizes[][2] = {
		/* pages, map pages: one bit per page in whole longs */
		{ 1, 1 }, { 64, 1 }, { 1024, 1 }, { 32768, 1 },
		{ 32769, 2 }, { 65536, 2 }, { 65537, 3 },
	};
	unsigned long i, j;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		struct tnode *t = tnode_new(sizes[i][0], 0);

		EXPECT_EQ(sizes[i][1], t->node.map_pages);
		EXPECT_EQ(sizes[i][0], t->node.nr_reserved);
		for (j = 0; j < sizes[i][0]; j++)
			ASSERT_TRUE(reserved(t, j));
		/* Bits past the node read as reserved too. */
		if (sizes[i][0] % BITS_PER_LONG)
			ASSERT_TRUE(reserved(t, sizes[i][0]));
	}
}

KTAP_CASE_FN(init_rejects_a_map_that_does_not_fit)
{
	struct bootmem_node node;
	unsigned long map[2];

	EXPECT_EQ(-EINVAL, bootmem_init(&node, map, 0, 0));
	EXPECT_EQ(-EINVAL, bootmem_init(&node, map, 64, 64));
	EXPECT_EQ(-EINVAL, bootmem_init(&node, NULL, 64, 0));
	EXPECT_EQ(-EINVAL, bootmem_init(&node, map, BOOTMEM_MAX_PAGES + 1, 0));
	EXPECT_EQ(0, bootmem_init(&node, map, 64, 63));
	EXPECT_EQ(63, node.map_start);
}

static const u64 edge_offsets[] = {
	0, 1, PS - 1, PS, PS + 1, 2 * PS - 1, 2 * PS, 3 * PS + 17, 7 * PS,
};

static const u64 edge_sizes[] = {
	1, PS - 1, PS, PS + 1, 2 * PS - 1, 2 * PS, 2 * PS + 1, 3 * PS,
};

KTAP_CASE_FN(free_rounds_inwards_at_every_page_boundary)
{
	unsigned long a, s, i, freed, expect;

	for (a = 0; a < ARRAY_SIZE(edge_offsets); a++) {
		for (s = 0; s < ARRAY_SIZE(edge_sizes); s++) {
			u64 addr = edge_offsets[a] + 64 * PS;
			u64 end = addr + edge_sizes[s];
			struct tnode *t = tnode_new(128, 0);

			ASSERT_EQ(0, bootmem_free(&t->node, addr,
						  edge_sizes[s], &freed));
			expect = 0;
			for (i = 0; i < 128; i++) {
				bool inside = i * PS >= addr &&
					      (i + 1) * PS <= end;

				if (reserved(t, i) == inside) {
					ktap_diag("addr %#llx size %#llx page %lu",
						  (unsigned long long)addr,
						  (unsigned long long)edge_sizes[s],
						  i);
					ASSERT_EQ(!inside, reserved(t, i));
				}
				expect += inside;
			}
			ASSERT_EQ(expect, freed);
			ASSERT_EQ(128 - expect, t->node.nr_reserved);
		}
	}
}

KTAP_CASE_FN(reserve_rounds_outwards_at_every_page_boundary)
{
	unsigned long a, s, i, r, twice, expect;

	for (a = 0; a < ARRAY_SIZE(edge_offsets); a++) {
		for (s = 0; s < ARRAY_SIZE(edge_sizes); s++) {
			u64 addr = edge_offsets[a] + 64 * PS;
			u64 end = addr + edge_sizes[s];
			struct tnode *t = tnode_free(128);

			ASSERT_EQ(0, bootmem_reserve(&t->node, addr,
						     edge_sizes[s], &r,
						     &twice));
			ASSERT_EQ(0, twice);
			expect = 0;
			for (i = 64; i < 128; i++) {
				bool touched = (i + 1) * PS > addr &&
					       i * PS < end;

				ASSERT_EQ(touched, reserved(t, i));
				expect += touched;
			}
			ASSERT_EQ(expect, r);
		}
	}
}

KTAP_CASE_FN(free_keeps_the_map_pages_reserved)
{
	struct tnode *t = tnode_new(65536, 100);
	unsigned long freed;

	ASSERT_EQ(2, t->node.map_pages);
	ASSERT_EQ(0, bootmem_free(&t->node, 0, 65536 * PS, &freed));
	ASSERT_EQ(65534, freed);
	ASSERT_FALSE(reserved(t, 99));
	ASSERT_TRUE(reserved(t, 100));
	ASSERT_TRUE(reserved(t, 101));
	ASSERT_FALSE(reserved(t, 102));
	ASSERT_EQ(2, t->node.nr_reserved);
}

KTAP_CASE_FN(double_free_is_refused_whole_and_counted)
{
	struct tnode *t = tnode_new(256, 0);
	unsigned long freed = 99;

	free_range_or_die(t, 10 * PS, PS);
	/* Pages 9..11: 10 is free already, so 9 and 11 stay reserved. */
	ASSERT_EQ(-EALREADY, bootmem_free(&t->node, 9 * PS, 3 * PS, &freed));
	ASSERT_EQ(0, freed);
	ASSERT_TRUE(reserved(t, 9));
	ASSERT_FALSE(reserved(t, 10));
	ASSERT_TRUE(reserved(t, 11));
	ASSERT_EQ(1, t->node.stats.double_frees);
	ASSERT_EQ(255, t->node.nr_reserved);
	/* Freeing an allocation twice is the same refusal. */
	ASSERT_EQ(-EALREADY, bootmem_free_alloc(&t->node, 10 * PS, 1, &freed));
	ASSERT_EQ(2, t->node.stats.double_frees);
}

KTAP_CASE_FN(reserve_of_reserved_pages_counts_reserved_twice)
{
	struct tnode *t = tnode_new(256, 0);
	unsigned long r, twice;

	free_range_or_die(t, 8 * PS, 8 * PS);
	/* Pages 6..17: 8..15 free, 6, 7, 16, 17 reserved. */
	ASSERT_EQ(0, bootmem_reserve(&t->node, 6 * PS + 1, 11 * PS, &r,
				     &twice));
	ASSERT_EQ(8, r);
	ASSERT_EQ(4, twice);
	ASSERT_EQ(4, t->node.stats.reserved_twice);
	/* The map's own page is not "reserved twice". */
	ASSERT_EQ(0, bootmem_reserve(&t->node, 0, PS, &r, &twice));
	ASSERT_EQ(0, r);
	ASSERT_EQ(0, twice);
	ASSERT_EQ(256, t->node.nr_reserved);
}

KTAP_CASE_FN(ranges_outside_the_node_are_einval)
{
	struct tnode *t = tnode_free(64);
	unsigned long n, m;
	u64 addr;

	EXPECT_EQ(-EINVAL, bootmem_free(&t->node, 63 * PS, PS + 1, &n));
	EXPECT_EQ(-EINVAL, bootmem_free(&t->node, 64 * PS, 1, &n));
	EXPECT_EQ(-EINVAL, bootmem_free(&t->node, 0, 0, &n));
	EXPECT_EQ(-EINVAL, bootmem_reserve(&t->node, ~0ULL, 2, &n, &m));
	EXPECT_EQ(-EINVAL, bootmem_reserve(&t->node, 1, ~0ULL, &n, &m));
	EXPECT_EQ(-EINVAL, bootmem_free_alloc(&t->node, 0, 2 * PS, &n));
	EXPECT_EQ(-EINVAL, bootmem_alloc(&t->node, 0, 8, 0, &addr));
	EXPECT_EQ(-EINVAL, bootmem_alloc(&t->node, 8, 0, 0, &addr));
	EXPECT_EQ(-EINVAL, bootmem_alloc(&t->node, 8, 24, 0, &addr));
	EXPECT_EQ(9, t->node.stats.invalid);
	EXPECT_EQ(1, t->node.nr_reserved);
	/* The last byte of the node is fine. */
	EXPECT_EQ(0, bootmem_reserve(&t->node, 64 * PS - 1, 1, &n, &m));
	EXPECT_EQ(1, n);
}

KTAP_CASE_FN(alloc_is_first_fit_from_page_zero)
{
	struct tnode *t = tnode_free(256);

	/* Page 0 is the map. */
	ASSERT_EQ(1 * PS, alloc_or_die(t, 3 * PS, PS, 0));
	ASSERT_EQ(4 * PS, alloc_or_die(t, PS, PS, 0));
	ASSERT_TRUE(reserved(t, 4));
	ASSERT_FALSE(reserved(t, 5));
	ASSERT_EQ(5, t->node.nr_reserved);
}

KTAP_CASE_FN(alloc_starts_at_the_goal)
{
	struct tnode *t = tnode_free(256);

	ASSERT_EQ(100 * PS, alloc_or_die(t, 2 * PS, PS, 100 * PS));
	/* A goal inside a page starts at that page. */
	ASSERT_EQ(150 * PS, alloc_or_die(t, PS, PS, 150 * PS + 123));
	/* Below the hint, the goal gives way to next fit. */
	ASSERT_EQ(151 * PS, alloc_or_die(t, PS, PS, 120 * PS));
}

KTAP_CASE_FN(a_goal_outside_the_node_means_page_zero)
{
	struct tnode *t = tnode_free(256);

	/* Page 0 is the map. */
	ASSERT_EQ(1 * PS, alloc_or_die(t, PS, PS, 256 * PS));
}

KTAP_CASE_FN(alloc_wraps_around_when_nothing_fits_after_the_goal)
{
	struct tnode *t = tnode_free(256);
	u64 addr;

	reserve_or_die(t, 200 * PS, 50 * PS);
	/* 250..255 free: 6 pages fit after the goal, 7 do not. */
	ASSERT_EQ(250 * PS, alloc_or_die(t, 6 * PS, PS, 200 * PS));
	ASSERT_EQ(1 * PS, alloc_or_die(t, 7 * PS, PS, 200 * PS));
	/* Everything taken: the search wraps once and fails. */
	reserve_or_die(t, 0, 256 * PS);
	ASSERT_EQ(-ENOMEM, bootmem_alloc(&t->node, 1, 1, 128 * PS, &addr));
	ASSERT_EQ(1, t->node.stats.alloc_failures);
}

KTAP_CASE_FN(alloc_honours_power_of_two_alignment)
{
	struct tnode *t = tnode_free(256);
	static const u64 aligns[] = { 2 * PS, 16 * PS, 64 * PS, 128 * PS };
	unsigned long i;
	u64 addr;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		addr = alloc_or_die(t, PS, aligns[i], 0);
		ASSERT_EQ(0, addr % aligns[i]);
		ASSERT_NE(0, addr);	/* page 0 is the map */
	}
	/* 2, 16, 64, 128: the first free multiple each time. */
	ASSERT_EQ(128 * PS, addr);
	/* No 256-page aligned room but page 0, which is the map. */
	ASSERT_EQ(-ENOMEM, bootmem_alloc(&t->node, PS, 256 * PS, 0, &addr));
	/* An alignment far beyond the node is as good as page 0 only. */
	ASSERT_EQ(-ENOMEM, bootmem_alloc(&t->node, PS, 1ULL << 62, 0, &addr));
}

KTAP_CASE_FN(alloc_aligns_a_goal_up)
{
	struct tnode *t = tnode_free(256);

	ASSERT_EQ(112 * PS, alloc_or_die(t, PS, 16 * PS, 100 * PS));
}

KTAP_CASE_FN(small_allocations_pack_into_the_last_partial_page)
{
	struct tnode *t = tnode_free(256);

	ASSERT_EQ(1 * PS, alloc_or_die(t, 100, 64, 0));
	/* Next one starts at the next 64-byte boundary of the same page. */
	ASSERT_EQ(1 * PS + 128, alloc_or_die(t, 200, 64, 0));
	ASSERT_EQ(1 * PS + 328, alloc_or_die(t, 8, 8, 0));
	ASSERT_EQ(2, t->node.stats.alloc_packed);
	ASSERT_EQ(2, t->node.nr_reserved);
	ASSERT_EQ(1, t->node.stats.alloc_pages);
	ASSERT_EQ(308, t->node.stats.alloc_bytes);
	/* One that crosses into page 2 takes only page 2 from the map. */
	ASSERT_EQ(1 * PS + 384, alloc_or_die(t, PS, 128, 0));
	ASSERT_TRUE(reserved(t, 2));
	ASSERT_FALSE(reserved(t, 3));
	ASSERT_EQ(2, t->node.stats.alloc_pages);
	/* Page-aligned requests never pack. */
	ASSERT_EQ(3 * PS, alloc_or_die(t, 10, PS, 0));
}

KTAP_CASE_FN(packing_needs_the_free_area_right_after_the_partial_page)
{
	struct tnode *t = tnode_free(256);

	ASSERT_EQ(1 * PS, alloc_or_die(t, 100, 8, 0));
	reserve_or_die(t, 2 * PS, PS);
	/* Page 2 is taken: the next allocation starts afresh at page 3. */
	ASSERT_EQ(3 * PS, alloc_or_die(t, 100, 8, 0));
	ASSERT_EQ(0, t->node.stats.alloc_packed);
}

KTAP_CASE_FN(a_freed_partial_page_is_not_packed_into)
{
	struct tnode *t = tnode_free(256);
	unsigned long freed;

	ASSERT_EQ(1 * PS, alloc_or_die(t, 100, 8, 0));
	ASSERT_EQ(0, bootmem_free_alloc(&t->node, 1 * PS, 100, &freed));
	ASSERT_EQ(1, freed);
	/* The hint went back to page 1; page 1 is reused from its start. */
	ASSERT_EQ(1 * PS, alloc_or_die(t, 100, 8, 0));
	ASSERT_EQ(0, t->node.stats.alloc_packed);
}

KTAP_CASE_FN(next_fit_hint_skips_holes_below_the_last_allocation)
{
	struct tnode *t = tnode_free(256);

	reserve_or_die(t, 3 * PS, PS);
	/* Pages 1-2 free, 3 reserved: 3 pages go to 4..6, hint at 7. */
	ASSERT_EQ(4 * PS, alloc_or_die(t, 3 * PS, PS, 0));
	/* A first fit would take page 1; next fit goes on from 7. */
	ASSERT_EQ(7 * PS, alloc_or_die(t, PS, PS, 0));
	/* Past the end, the search falls back to the goal (page 0). */
	reserve_or_die(t, 8 * PS, 248 * PS);
	ASSERT_EQ(1 * PS, alloc_or_die(t, PS, PS, 0));
}

KTAP_CASE_FN(free_lowers_the_next_fit_hint)
{
	struct tnode *t = tnode_free(256);
	unsigned long freed;

	ASSERT_EQ(1 * PS, alloc_or_die(t, 10 * PS, PS, 0));
	ASSERT_EQ(11 * PS, alloc_or_die(t, 10 * PS, PS, 0));
	ASSERT_EQ(0, bootmem_free_alloc(&t->node, 1 * PS, 10 * PS, &freed));
	ASSERT_EQ(10, freed);
	ASSERT_EQ(1 * PS, alloc_or_die(t, 4 * PS, PS, 0));
}

KTAP_CASE_FN(free_alloc_returns_the_pages_the_allocation_took)
{
	struct tnode *t = tnode_free(256);
	unsigned long freed;
	u64 a, b;

	a = alloc_or_die(t, 2 * PS + 100, 8, 0);	/* pages 1..3 */
	b = alloc_or_die(t, PS, 8, 0);			/* packed: 3..4 */
	ASSERT_EQ(1 * PS, a);
	ASSERT_EQ(3 * PS + 104, b);
	ASSERT_EQ(5, t->node.nr_reserved);
	/* b owns page 4 only: page 3 is a's. */
	ASSERT_EQ(0, bootmem_free_alloc(&t->node, b, PS, &freed));
	ASSERT_EQ(1, freed);
	ASSERT_FALSE(reserved(t, 4));
	ASSERT_TRUE(reserved(t, 3));
	ASSERT_EQ(0, bootmem_free_alloc(&t->node, a, 2 * PS + 100, &freed));
	ASSERT_EQ(3, freed);
	ASSERT_EQ(1, t->node.nr_reserved);
	ASSERT_EQ(2, t->node.stats.alloc_frees);
	/* Compare free(): a partly covered last page stays reserved. */
	a = alloc_or_die(t, 2 * PS + 100, PS, 0);
	ASSERT_EQ(0, bootmem_free(&t->node, a, 2 * PS + 100, &freed));
	ASSERT_EQ(2, freed);
	ASSERT_TRUE(reserved(t, 3));
}

KTAP_CASE_FN(alloc_fails_cleanly_when_the_node_is_full)
{
	struct tnode *t = tnode_free(64);
	u64 addr;

	ASSERT_EQ(1 * PS, alloc_or_die(t, 63 * PS, PS, 0));
	ASSERT_EQ(-ENOMEM, bootmem_alloc(&t->node, 1, 1, 0, &addr));
	ASSERT_EQ(-ENOMEM, bootmem_alloc(&t->node, 65 * PS, PS, 0, &addr));
	ASSERT_EQ(2, t->node.stats.alloc_failures);
	ASSERT_EQ(64, count_reserved(t));
}

struct retired {
	unsigned long idx[1024];
	unsigned int order[1024];
	unsigned int n;
	unsigned int fail_at;	/* 1-based call that fails, 0: none */
};

static int record_retired(void *ctx, unsigned long idx, unsigned int order)
{
	struct retired *r = ctx;

	if (r->fail_at && r->n + 1 == r->fail_at)
		return -ENOSPC;
	r->idx[r->n] = idx;
	r->order[r->n] = order;
	r->n++;
	return 0;
}

KTAP_CASE_FN(retire_hands_whole_free_words_as_one_block)
{
	struct tnode *t = tnode_free(256);
	struct retired r = { .n = 0 };
	unsigned long i, n;
	u64 addr;

	reserve_or_die(t, 130 * PS, PS);
	ASSERT_EQ(0, bootmem_retire(&t->node, record_retired, &r));
	/* Word 0: page 0 is the map, 63 single pages. */
	for (i = 0; i < 63; i++) {
		ASSERT_EQ(i + 1, r.idx[i]);
		ASSERT_EQ(0, r.order[i]);
	}
	/* Word 1 whole. */
	ASSERT_EQ(64, r.idx[63]);
	ASSERT_EQ(6, r.order[63]);
	/* Word 2: 63 singles around page 130. */
	for (i = 0; i < 63; i++) {
		ASSERT_EQ(128 + i + (i >= 2), r.idx[64 + i]);
		ASSERT_EQ(0, r.order[64 + i]);
	}
	ASSERT_EQ(192, r.idx[127]);
	ASSERT_EQ(6, r.order[127]);
	ASSERT_EQ(128, r.n);
	ASSERT_EQ(254, t->node.stats.retired_pages);
	ASSERT_EQ(2, t->node.stats.retired_blocks);
	ASSERT_TRUE(t->node.retired);
	ASSERT_EQ(-ESHUTDOWN, bootmem_alloc(&t->node, 1, 1, 0, &addr));
	ASSERT_EQ(-ESHUTDOWN, bootmem_free(&t->node, 0, PS, &n));
	ASSERT_EQ(-ESHUTDOWN, bootmem_retire(&t->node, record_retired, &r));
}

KTAP_CASE_FN(retire_of_a_partial_last_word_goes_page_by_page)
{
	struct tnode *t = tnode_free(100);
	struct retired r = { .n = 0 };

	ASSERT_EQ(0, bootmem_retire(&t->node, record_retired, &r));
	ASSERT_EQ(99, r.n);
	ASSERT_EQ(99, r.idx[98]);
	ASSERT_EQ(0, r.order[98]);
}

KTAP_CASE_FN(retire_stopped_by_an_error_leaves_a_usable_node)
{
	struct tnode *t = tnode_free(256);
	struct retired r = { .fail_at = 65 };
	u64 addr;

	ASSERT_EQ(-ENOSPC, bootmem_retire(&t->node, record_retired, &r));
	ASSERT_FALSE(t->node.retired);
	/* 63 singles and word 1 went out and are reserved now. */
	ASSERT_EQ(64, r.n);
	ASSERT_EQ(1 + 63 + 64, t->node.nr_reserved);
	ASSERT_EQ(count_reserved(t), t->node.nr_reserved);
	ASSERT_EQ(0, bootmem_alloc(&t->node, PS, PS, 0, &addr));
	ASSERT_EQ(128 * PS, addr);
}

/* splitmix64: a fixed, portable sequence for the randomized tests. */
static u64 rnd_state;

static u64 rnd(void)
{
	u64 z = (rnd_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static u64 rnd_below(u64 n)
{
	return rnd() % n;
}

struct live {
	u64 addr, size;
};

static void compare_maps(const struct tnode *t, const struct bm_model *m,
			 unsigned long op)
{
	unsigned long i;

	for (i = 0; i < m->n; i++) {
		if (reserved(t, i) != m->st[i]) {
			ktap_diag("op %lu: page %lu core %d model %d", op, i,
				  reserved(t, i), m->st[i]);
			ASSERT_EQ(m->st[i], reserved(t, i));
		}
	}
	ASSERT_EQ(bm_model_reserved(m), t->node.nr_reserved);
	ASSERT_EQ(m->invalid, t->node.stats.invalid);
	ASSERT_EQ(m->double_frees, t->node.stats.double_frees);
	ASSERT_EQ(m->reserved_twice, t->node.stats.reserved_twice);
}

static u64 random_size(unsigned long n)
{
	switch (rnd_below(4)) {
	case 0:
		return 1 + rnd_below(PS * 2);		/* bytes, packs */
	case 1:
		return (1 + rnd_below(16)) * PS;	/* whole pages */
	case 2:
		return 1 + rnd_below(n * PS / 8);
	default:
		if (rnd_below(8))
			return 1 + rnd_below(64 * PS);
		return 1 + rnd_below(n * PS + PS);	/* may not fit */
	}
}

static u64 random_align(void)
{
	static const u64 aligns[] = {
		1, 8, 64, 512, PS, 2 * PS, 16 * PS, 64 * PS, 1ULL << 40,
	};

	if (!rnd_below(64))
		return 3 * PS;				/* invalid */
	return aligns[rnd_below(ARRAY_SIZE(aligns))];
}

KTAP_CASE_FN(randomized_ops_match_a_one_byte_per_page_model)
{
	static const unsigned long node_sizes[] = { 523, 64, 1000, 200 };
	const unsigned long nr_ops = 120000;
	struct bm_model m = { .st = NULL };
	struct live *live = calloc(nr_ops, sizeof(*live));
	unsigned long op, nlive = 0, round = 0, n = 0, counts[6] = { 0 };
	struct tnode *t = NULL;

	rnd_state = 20240607;
	for (op = 0; op < nr_ops; op++) {
		unsigned long r1, r2, r3, r4;
		int rc, mrc;
		u64 a, s, g, addr = 0, maddr = 0;

		if (op % 20000 == 0) {
			/* A fresh node, map somewhere inside it. */
			n = node_sizes[round++ % ARRAY_SIZE(node_sizes)];
			if (t) {
				free(t->map);
				free(t);
			}
			t = tnode_new(n, op ? rnd_below(n - 1) : 0);
			bm_model_init(&m, n, t->node.map_start);
			ASSERT_EQ(m.map_pages, t->node.map_pages);
			nlive = 0;
			/* Mostly free, like RAM after register_bootmem_low_pages. */
			rc = bootmem_free(&t->node, 0, n * PS, &r1);
			mrc = bm_model_free(&m, 0, n * PS, &r2);
			ASSERT_EQ(mrc, rc);
		}

		switch (rnd_below(20)) {
		case 0 ... 7:		/* alloc */
			s = random_size(n);
			a = random_align();
			g = rnd_below(3) ? 0 : rnd_below(n * PS + 4 * PS);
			rc = bootmem_alloc(&t->node, s, a, g, &addr);
			mrc = bm_model_alloc(&m, s, a, g, &maddr);
			ASSERT_EQ(mrc, rc);
			if (!rc) {
				ASSERT_EQ(addr, maddr);
				live[nlive].addr = addr;
				live[nlive++].size = s;
				counts[5]++;
			}
			counts[0]++;
			break;
		case 8 ... 11:		/* free an allocation */
			if (!nlive)
				break;
			r3 = rnd_below(nlive);
			rc = bootmem_free_alloc(&t->node, live[r3].addr,
						live[r3].size, &r1);
			mrc = bm_model_free_alloc(&m, live[r3].addr,
						  live[r3].size, &r2);
			ASSERT_EQ(mrc, rc);
			ASSERT_EQ(r2, r1);
			live[r3] = live[--nlive];
			counts[1]++;
			break;
		case 12 ... 13:		/* free a range */
			a = rnd_below(n * PS + PS);
			s = rnd_below(4) ? 1 + rnd_below(8 * PS) :
					   rnd_below(n * PS);
			rc = bootmem_free(&t->node, a, s, &r1);
			mrc = bm_model_free(&m, a, s, &r2);
			ASSERT_EQ(mrc, rc);
			ASSERT_EQ(r2, r1);
			counts[2]++;
			break;
		case 14 ... 15:		/* reserve a range */
			a = rnd_below(n * PS + PS);
			s = rnd_below(16) ? 1 + rnd_below(8 * PS) :
					    rnd_below(n * PS);
			rc = bootmem_reserve(&t->node, a, s, &r1, &r3);
			mrc = bm_model_reserve(&m, a, s, &r2, &r4);
			ASSERT_EQ(mrc, rc);
			ASSERT_EQ(r2, r1);
			ASSERT_EQ(r4, r3);
			counts[3]++;
			break;
		default:		/* free a reserved run, to keep room */
			r3 = rnd_below(n);
			for (r4 = r3; r4 && r3 - r4 < 64 && m.st[r4 - 1];)
				r4--;
			for (; r3 < n && r3 - r4 < 128 && m.st[r3];)
				r3++;
			if (r3 <= r4)
				break;
			/* Inward rounding must give back exactly [r4, r3). */
			a = r4 ? r4 * PS - rnd_below(PS) : 0;
			s = min(r3 * PS + rnd_below(PS), n * PS) - a;
			rc = bootmem_free(&t->node, a, s, &r1);
			mrc = bm_model_free(&m, a, s, &r2);
			ASSERT_EQ(mrc, rc);
			ASSERT_EQ(0, rc);
			ASSERT_EQ(r2, r1);
			counts[4]++;
			break;
		}
		compare_maps(t, &m, op);
	}
	ASSERT_EQ(0, host_warn_count);
	ktap_diag("%lu operations on %lu nodes: %lu allocs (%lu ok), %lu alloc frees, "
		  "%lu frees, %lu reserves, %lu run frees", op, round, counts[0], counts[5], counts[1], counts[2],
		  counts[3], counts[4]);
	ASSERT_LE(100000, op);
	bm_model_destroy(&m);
	free(live);
}

KTAP_CASE_FN(randomized_retire_matches_the_model)
{
	unsigned long rounds, i, j, w, n;

	rnd_state = 99;
	for (rounds = 0; rounds < 200; rounds++) {
		struct retired r = { .n = 0 };
		struct tnode *t;
		unsigned long expect = 0, blocks = 0;

		n = 64 + rnd_below(900);
		t = tnode_new(n, rnd_below(n - 16));
		/* Free a few random runs, some of them whole words. */
		for (i = 0; i < 1 + rnd_below(8); i++) {
			u64 a = rnd_below(n) * PS;
			u64 s = (1 + rnd_below(200)) * PS;
			unsigned long freed;

			if (a + s > n * PS)
				s = n * PS - a;
			bootmem_free(&t->node, a, s, &freed);
		}
		for (i = 0; i < n; i++)
			expect += !reserved(t, i);
		for (w = 0; w * 64 + 64 <= n; w++)
			blocks += !t->map[w];
		ASSERT_EQ(0, bootmem_retire(&t->node, record_retired, &r));
		ASSERT_EQ(expect, t->node.stats.retired_pages);
		ASSERT_EQ(blocks, t->node.stats.retired_blocks);
		ASSERT_EQ(expect - blocks * 63, r.n);
		for (j = 0; j < r.n; j++) {
			ASSERT_EQ(0, r.idx[j] % (1UL << r.order[j]));
			if (j)
				ASSERT_LT(r.idx[j - 1], r.idx[j]);
		}
		free(t->map);
		free(t);
	}
}

static const struct ktap_case cases[] = {
	KTAP_CASE(init_reserves_every_page_and_sizes_the_map),
	KTAP_CASE(init_rejects_a_map_that_does_not_fit),
	KTAP_CASE(free_rounds_inwards_at_every_page_boundary),
	KTAP_CASE(reserve_rounds_outwards_at_every_page_boundary),
	KTAP_CASE(free_keeps_the_map_pages_reserved),
	KTAP_CASE(double_free_is_refused_whole_and_counted),
	KTAP_CASE(reserve_of_reserved_pages_counts_reserved_twice),
	KTAP_CASE(ranges_outside_the_node_are_einval),
	KTAP_CASE(alloc_is_first_fit_from_page_zero),
	KTAP_CASE(alloc_starts_at_the_goal),
	KTAP_CASE(a_goal_outside_the_node_means_page_zero),
	KTAP_CASE(alloc_wraps_around_when_nothing_fits_after_the_goal),
	KTAP_CASE(alloc_honours_power_of_two_alignment),
	KTAP_CASE(alloc_aligns_a_goal_up),
	KTAP_CASE(small_allocations_pack_into_the_last_partial_page),
	KTAP_CASE(packing_needs_the_free_area_right_after_the_partial_page),
	KTAP_CASE(a_freed_partial_page_is_not_packed_into),
	KTAP_CASE(next_fit_hint_skips_holes_below_the_last_allocation),
	KTAP_CASE(free_lowers_the_next_fit_hint),
	KTAP_CASE(free_alloc_returns_the_pages_the_allocation_took),
	KTAP_CASE(alloc_fails_cleanly_when_the_node_is_full),
	KTAP_CASE(retire_hands_whole_free_words_as_one_block),
	KTAP_CASE(retire_of_a_partial_last_word_goes_page_by_page),
	KTAP_CASE(retire_stopped_by_an_error_leaves_a_usable_node),
	KTAP_CASE(randomized_ops_match_a_one_byte_per_page_model),
	KTAP_CASE(randomized_retire_matches_the_model),
};

KTAP_MAIN("host-bootmem", cases)
