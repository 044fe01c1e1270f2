// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite mmscope_buddy_core: module/buddy_core.c inside the debug
 * kernel, with the fake page source of the host suite (buddy_host.h) but
 * kernel allocations for the metadata. The host suite covers the algorithm
 * case by case; here every list operation goes through the kernel's
 * list debugging, every metadata access through KASAN, and every range
 * through kmemleak when the module unloads.
 */
#include <kunit/test.h>
#include <linux/prandom.h>
#include <linux/slab.h>

#include "../buddy_core.c"

/* buddy_host.h's glue allocates with calloc()/free(): the kernel's here. */
#define calloc(n, size)	kcalloc(n, size, GFP_KERNEL)
#define free(p)		kfree(p)
#include "../../user/host/buddy_host.h"
#undef calloc
#undef free

#define BY_ORDERS	7	/* chunks of 64 pages */
#define BY_CHUNKS	16
#define BY_SPARE	1
#define BY_OPS		20000
#define BY_LIVE		512
#define BY_SEED		0x6275646479ULL

struct by_block {
	unsigned long pfn;
	unsigned int order;
};

static void by_expect_consistent(struct kunit *t, struct host_buddy *hb,
				 int step)
{
	char msg[128] = "";

	KUNIT_EXPECT_EQ_MSG(t, 0, mms_buddy_core_check(&hb->core, msg,
						       sizeof(msg)),
			    "after step %d: %s", step, msg);
}

static void by_free_all(struct kunit *t, struct host_buddy *hb,
			struct by_block *live, unsigned int *nr_live)
{
	while (*nr_live) {
		struct by_block *b = &live[--*nr_live];

		KUNIT_EXPECT_EQ(t, 0, hb_free(hb, b->pfn, b->order));
	}
}

static void random_trace_then_teardown_returns_everything(struct kunit *t)
{
	struct host_buddy *hb = hb_new(BY_ORDERS, BY_CHUNKS, BY_SPARE);
	struct by_block *live;
	unsigned int nr_live = 0, refused = 0, i;
	struct rnd_state rnd;
	int step;

	KUNIT_ASSERT_NOT_NULL(t, hb);
	live = kunit_kcalloc(t, BY_LIVE, sizeof(*live), GFP_KERNEL);
	if (!live)
		hb_fini(hb);
	KUNIT_ASSERT_NOT_NULL(t, live);
	prandom_seed_state(&rnd, BY_SEED);
	for (step = 0; step < BY_OPS; step++) {
		u32 dice = prandom_u32_state(&rnd) % 100;

		/* Phases of 2000 steps fill the allocator, then drain it. */
		if (dice < ((step / 2000) % 2 ? 30U : 60U) && nr_live < BY_LIVE) {
			unsigned int order = prandom_u32_state(&rnd) % BY_ORDERS;
			long pfn = hb_alloc(hb, order);

			if (pfn < 0) {
				refused++;
				continue;
			}
			live[nr_live++] = (struct by_block){ pfn, order };
		} else if (dice < 97 && nr_live) {
			i = prandom_u32_state(&rnd) % nr_live;
			KUNIT_EXPECT_EQ(t, 0, hb_free(hb, live[i].pfn,
						      live[i].order));
			live[i] = live[--nr_live];
		} else if (nr_live) {
			/* A block freed twice is refused and changes nothing. */
			i = prandom_u32_state(&rnd) % nr_live;
			KUNIT_EXPECT_EQ(t, 0, hb_free(hb, live[i].pfn,
						      live[i].order));
			KUNIT_EXPECT_EQ(t, -EINVAL, hb_free(hb, live[i].pfn,
							    live[i].order));
			live[i] = live[--nr_live];
		}
		if (step % 64 == 0)
			by_expect_consistent(t, hb, step);
	}
	kunit_info(t, "%d steps, %u allocations refused, %llu chunks taken, %llu returned",
		   step, refused, hb->core.stats.chunks_taken,
		   hb->core.stats.chunks_returned);
	KUNIT_EXPECT_GT(t, refused, 0U);
	KUNIT_EXPECT_GT(t, hb->core.stats.chunks_returned, 0ULL);

	by_free_all(t, hb, live, &nr_live);
	by_expect_consistent(t, hb, step);
	KUNIT_EXPECT_LE(t, hb->core.nr_chunks, BY_SPARE);
	KUNIT_EXPECT_EQ(t, 0UL, hb_fini(hb));
	KUNIT_EXPECT_EQ(t, hb->chunk_gets, hb->chunk_puts);
	KUNIT_EXPECT_EQ(t, 0UL, hb->bad_puts);
	KUNIT_EXPECT_EQ(t, 0L, hb->meta_live);
	kfree(hb);
}

static void teardown_with_blocks_allocated_frees_all_metadata(struct kunit *t)
{
	struct host_buddy *hb = hb_new(BY_ORDERS, BY_CHUNKS, BY_SPARE);
	unsigned long kept;
	unsigned int i;

	KUNIT_ASSERT_NOT_NULL(t, hb);
	for (i = 0; i < 40; i++)
		KUNIT_EXPECT_GE(t, hb_alloc(hb, i % BY_ORDERS), 0L);
	/* Allocated frames stay with their owner; metadata goes anyway. */
	kept = hb_fini(hb);
	KUNIT_EXPECT_GT(t, kept, 0UL);
	KUNIT_EXPECT_EQ(t, 0L, hb->meta_live);
	kfree(hb);
}

static struct kunit_case mms_buddy_core_cases[] = {
	KUNIT_CASE(random_trace_then_teardown_returns_everything),
	KUNIT_CASE(teardown_with_blocks_allocated_frees_all_metadata),
	{}
};

static struct kunit_suite mms_buddy_core_suite = {
	.name = "mmscope_buddy_core",
	.test_cases = mms_buddy_core_cases,
};

kunit_test_suite(mms_buddy_core_suite);
