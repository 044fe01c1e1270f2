/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One table of facts about the facilities the allocator cores use through
 * core_shim.h, checked twice: against the kernel's own implementations by
 * the KUnit suite (module/tests/shim_kunit.c, debug kernel) and against the
 * user-space stand-ins by the host suite (user/host/test_shim.c). A stand-in
 * that drifts from the kernel fails one side, so host results of the cores
 * keep meaning what they would mean in the kernel.
 *
 * The includer defines MMS_SHIM_CTX (its test context type) and
 * MMS_SHIM_EXPECT_EQ(ctx, what, input, expected, actual), which must report
 * @what, @input and both values when they differ.
 */
#ifndef _MMSCOPE_SHIM_CASES_H
#define _MMSCOPE_SHIM_CASES_H

#include "core_shim.h"

/* 64-bit words only: the cores are built for x86_64 on both sides. */
struct mms_shim_word_case {
	unsigned long w;
	unsigned long ffs, fls, ffz;	/* __ffs, __fls, ffz */
	unsigned int weight;		/* hweight_long */
	bool pow2;			/* is_power_of_2 */
};

static const struct mms_shim_word_case mms_shim_words[] = {
	{ 0x1UL, 0, 0, 1, 1, true },
	{ 0x80UL, 7, 7, 0, 1, true },
	{ 0xf0UL, 4, 7, 0, 4, false },
	{ 0x8000000000000000UL, 63, 63, 0, 1, true },
	{ 0x7fffffffffffffffUL, 0, 62, 63, 63, false },
	{ 0xfffffffffffffffeUL, 1, 63, 0, 63, false },
	{ 0x00ff00ff00ff0000UL, 16, 55, 0, 24, false },
};

struct mms_shim_fls_case {
	u64 x;
	int fls, fls64;			/* fls() of the low 32 bits, fls64() */
};

static const struct mms_shim_fls_case mms_shim_fls[] = {
	{ 0, 0, 0 },
	{ 1, 1, 1 },
	{ 0x1234, 13, 13 },
	{ 0x80000000ULL, 32, 32 },
	{ 0x100000000ULL, 0, 33 },
	{ 0x8000000000000000ULL, 0, 64 },
};

struct mms_shim_align_case {
	u64 x, a;
	u64 up, down, div_up;		/* ALIGN, ALIGN_DOWN, DIV_ROUND_UP */
	bool aligned;			/* IS_ALIGNED */
};

static const struct mms_shim_align_case mms_shim_aligns[] = {
	{ 0, 4096, 0, 0, 0, true },
	{ 1, 4096, 4096, 0, 1, false },
	{ 4096, 4096, 4096, 4096, 1, true },
	{ 4097, 4096, 8192, 4096, 2, false },
	{ 0x3fffff, 0x200000, 0x400000, 0x200000, 2, false },
	{ 0xfffffffffffff000ULL, 4096, 0xfffffffffffff000ULL,
	  0xfffffffffffff000ULL, 0xfffffffffffffULL, true },
};

struct mms_shim_ovf_case {
	u64 a, b;
	bool add_ovf, mul_ovf;
	u64 sum, product;		/* wrapped results, as the kernel stores */
};

static const struct mms_shim_ovf_case mms_shim_ovf64[] = {
	{ 1, 2, false, false, 3, 2 },
	{ ~0ULL, 1, true, false, 0, ~0ULL },
	{ ~1ULL, 1, false, false, ~0ULL, ~1ULL },
	{ 1ULL << 32, 1ULL << 32, false, true, 1ULL << 33, 0 },
	{ 1ULL << 32, 1ULL << 31, false, false, 3ULL << 31, 1ULL << 63 },
	{ ~0ULL, ~0ULL, true, true, ~1ULL, 1 },
};

static const struct mms_shim_ovf_case mms_shim_ovf32[] = {
	{ 0xffffffffU, 1, true, false, 0, 0xffffffffU },
	{ 0x10000U, 0x10000U, false, true, 0x20000U, 0 },
	{ 0xfffeU, 0x10001U, false, false, 0x1ffffU, 0xfffefffeU },
};

static inline void mms_shim_check_words(MMS_SHIM_CTX ctx)
{
	const struct mms_shim_word_case *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mms_shim_words); i++) {
		c = &mms_shim_words[i];
		MMS_SHIM_EXPECT_EQ(ctx, "__ffs", c->w, c->ffs, __ffs(c->w));
		MMS_SHIM_EXPECT_EQ(ctx, "__fls", c->w, c->fls, __fls(c->w));
		MMS_SHIM_EXPECT_EQ(ctx, "ffz", c->w, c->ffz, ffz(c->w));
		MMS_SHIM_EXPECT_EQ(ctx, "hweight_long", c->w, c->weight,
				   hweight_long(c->w));
		MMS_SHIM_EXPECT_EQ(ctx, "ilog2", c->w, c->fls, ilog2(c->w));
		MMS_SHIM_EXPECT_EQ(ctx, "is_power_of_2", c->w, c->pow2,
				   is_power_of_2(c->w));
	}
}

static inline void mms_shim_check_fls(MMS_SHIM_CTX ctx)
{
	const struct mms_shim_fls_case *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mms_shim_fls); i++) {
		c = &mms_shim_fls[i];
		MMS_SHIM_EXPECT_EQ(ctx, "fls", c->x, c->fls, fls((u32)c->x));
		MMS_SHIM_EXPECT_EQ(ctx, "fls64", c->x, c->fls64, fls64(c->x));
	}
}

static inline void mms_shim_check_align(MMS_SHIM_CTX ctx)
{
	const struct mms_shim_align_case *c;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(mms_shim_aligns); i++) {
		c = &mms_shim_aligns[i];
		MMS_SHIM_EXPECT_EQ(ctx, "ALIGN", c->x, c->up, ALIGN(c->x, c->a));
		MMS_SHIM_EXPECT_EQ(ctx, "ALIGN_DOWN", c->x, c->down,
				   ALIGN_DOWN(c->x, c->a));
		MMS_SHIM_EXPECT_EQ(ctx, "IS_ALIGNED", c->x, c->aligned,
				   IS_ALIGNED(c->x, c->a));
		MMS_SHIM_EXPECT_EQ(ctx, "DIV_ROUND_UP", c->x, c->div_up,
				   DIV_ROUND_UP(c->x, c->a));
	}
}

static inline void mms_shim_check_overflow(MMS_SHIM_CTX ctx)
{
	const struct mms_shim_ovf_case *c;
	size_t i;
	u64 r64;
	u32 r32;

	for (i = 0; i < ARRAY_SIZE(mms_shim_ovf64); i++) {
		c = &mms_shim_ovf64[i];
		MMS_SHIM_EXPECT_EQ(ctx, "check_add_overflow(u64)", c->a,
				   c->add_ovf, check_add_overflow(c->a, c->b, &r64));
		MMS_SHIM_EXPECT_EQ(ctx, "sum(u64)", c->a, c->sum, r64);
		MMS_SHIM_EXPECT_EQ(ctx, "check_mul_overflow(u64)", c->a,
				   c->mul_ovf, check_mul_overflow(c->a, c->b, &r64));
		MMS_SHIM_EXPECT_EQ(ctx, "product(u64)", c->a, c->product, r64);
	}
	for (i = 0; i < ARRAY_SIZE(mms_shim_ovf32); i++) {
		c = &mms_shim_ovf32[i];
		u32 a = c->a, b = c->b;

		MMS_SHIM_EXPECT_EQ(ctx, "check_add_overflow(u32)", a,
				   c->add_ovf, check_add_overflow(a, b, &r32));
		MMS_SHIM_EXPECT_EQ(ctx, "sum(u32)", a, c->sum, r32);
		MMS_SHIM_EXPECT_EQ(ctx, "check_mul_overflow(u32)", a,
				   c->mul_ovf, check_mul_overflow(a, b, &r32));
		MMS_SHIM_EXPECT_EQ(ctx, "product(u32)", a, c->product, r32);
	}
}

struct mms_shim_node {
	struct list_head link;
	int id;
};

/* Order after each list operation, read with list_for_each_entry(_safe). */
static inline void mms_shim_check_list(MMS_SHIM_CTX ctx)
{
	struct mms_shim_node n[4] = { { .id = 0 }, { .id = 1 }, { .id = 2 },
				      { .id = 3 } };
	struct mms_shim_node *pos, *tmp;
	struct list_head head;
	int order = 0;

	INIT_LIST_HEAD(&head);
	MMS_SHIM_EXPECT_EQ(ctx, "list_empty(new)", 0, true, list_empty(&head));
	list_add(&n[0].link, &head);		/* 0 */
	list_add(&n[1].link, &head);		/* 1 0 */
	list_add_tail(&n[2].link, &head);	/* 1 0 2 */
	list_add_tail(&n[3].link, &head);	/* 1 0 2 3 */
	list_del(&n[0].link);			/* 1 2 3 */
	list_del_init(&n[2].link);		/* 1 3 */
	MMS_SHIM_EXPECT_EQ(ctx, "list_empty(del_init)", 2, true,
			   list_empty(&n[2].link));
	MMS_SHIM_EXPECT_EQ(ctx, "list_first_entry", 0, 1,
			   list_first_entry(&head, struct mms_shim_node, link)->id);
	list_for_each_entry(pos, &head, link)
		order = order * 10 + pos->id;
	MMS_SHIM_EXPECT_EQ(ctx, "list order", 0, 13, order);
	order = 0;
	list_for_each_entry_safe(pos, tmp, &head, link) {
		order = order * 10 + pos->id;
		list_del(&pos->link);
	}
	MMS_SHIM_EXPECT_EQ(ctx, "list order (safe)", 0, 13, order);
	MMS_SHIM_EXPECT_EQ(ctx, "list_empty(drained)", 0, true,
			   list_empty(&head));
}

#endif /* _MMSCOPE_SHIM_CASES_H */
