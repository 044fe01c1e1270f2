// SPDX-License-Identifier: GPL-2.0
/*
 * MMSCOPE_IOC_BOOTMEM_BENCH: the same allocation workload, run in the
 * kernel against mmscope's bitmap allocator (bootmem_core.c) and against
 * the kernel's own bitmap allocator, lib/genalloc.c, timed separately.
 *
 * The workload is written out first, from the seed, so both allocators see
 * the identical sequence and the timing covers allocator calls and a
 * loop, not the random number generator: allocations of 1..max pages
 * while fewer than occupancy_pct of the pages are in use, frees of a
 * random live allocation otherwise. Neither allocator backs its addresses
 * with memory: the bootmem map and the gen_pool bitmap are what is timed.
 */
#include <linux/genalloc.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include <uapi/mmscope.h>
#include "bootmem.h"
#include "bootmem_core.h"

#define MMS_BENCH_MAX_PAGES	BIT(20)
#define MMS_BENCH_MAX_OPS	1000000
#define MMS_BENCH_FAILED	(~0ULL)
/* gen_pool_alloc() returns 0 for failure: start its range above 0. */
#define MMS_BENCH_GENPOOL_BASE	BIT(32)

/* One operation: allocate @pages into @slot, or free @slot (@pages 0). */
struct mms_bench_op {
	u32 pages;
	u32 slot;
};

struct mms_bench {
	struct mms_bench_op *ops;
	u64 *addr;		/* per slot; MMS_BENCH_FAILED if not allocated */
	u32 *live;		/* while writing the workload: live slots */
	u32 *slot_pages;	/* pages of each slot */
	u64 nr_ops;
};

/* splitmix64, as the user-space tests use. */
static u64 mms_bench_rnd(u64 *state)
{
	u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void mms_bench_write(struct mms_bench *w,
			    struct mmscope_bootmem_bench *b)
{
	u64 target = b->nr_pages * b->occupancy_pct / 100, used = 0;
	u64 state = b->seed, i;
	u32 nlive = 0, nslots = 0, pages, victim;

	b->allocs = 0;
	b->frees = 0;
	for (i = 0; i < w->nr_ops; i++) {
		pages = 1 + mms_bench_rnd(&state) % b->max_alloc_pages;
		if (used + pages <= target || !nlive) {
			w->ops[i].pages = pages;
			w->ops[i].slot = nslots;
			w->slot_pages[nslots] = pages;
			w->live[nlive++] = nslots++;
			used += pages;
			b->allocs++;
		} else {
			victim = mms_bench_rnd(&state) % nlive;
			w->ops[i].pages = 0;
			w->ops[i].slot = w->live[victim];
			used -= w->slot_pages[w->live[victim]];
			w->live[victim] = w->live[--nlive];
			b->frees++;
		}
	}
}

static u64 mms_bench_bootmem(struct mms_bench *w, unsigned long nr_pages,
			     u64 *failures)
{
	struct bootmem_node node;
	unsigned long *map, freed;
	u64 t0, t, i, bytes;
	u32 slot;

	map = kvmalloc_array(bootmem_map_words(nr_pages), sizeof(long),
			     GFP_KERNEL);
	if (!map)
		return 0;
	if (WARN_ON_ONCE(bootmem_init(&node, map, nr_pages, 0)) ||
	    WARN_ON_ONCE(bootmem_free(&node, 0, (u64)nr_pages << PAGE_SHIFT,
				      &freed))) {
		kvfree(map);
		return 0;
	}

	*failures = 0;
	t0 = ktime_get_ns();
	for (i = 0; i < w->nr_ops; i++) {
		slot = w->ops[i].slot;
		if (w->ops[i].pages) {
			bytes = (u64)w->ops[i].pages << PAGE_SHIFT;
			if (bootmem_alloc(&node, bytes, PAGE_SIZE, 0,
					  &w->addr[slot])) {
				w->addr[slot] = MMS_BENCH_FAILED;
				(*failures)++;
			}
		} else if (w->addr[slot] != MMS_BENCH_FAILED) {
			bytes = (u64)w->slot_pages[slot] << PAGE_SHIFT;
			WARN_ON_ONCE(bootmem_free_alloc(&node, w->addr[slot],
							bytes, &freed));
		}
		if (!(i & 4095))
			cond_resched();
	}
	t = ktime_get_ns() - t0;
	kvfree(map);
	return t;
}

static u64 mms_bench_genpool(struct mms_bench *w, unsigned long nr_pages,
			     u64 *failures)
{
	struct gen_pool *pool;
	u64 t0, t, i;
	size_t bytes;
	u32 slot;

	pool = gen_pool_create(PAGE_SHIFT, NUMA_NO_NODE);
	if (!pool)
		return 0;
	if (gen_pool_add(pool, MMS_BENCH_GENPOOL_BASE,
			 (size_t)nr_pages << PAGE_SHIFT, NUMA_NO_NODE)) {
		gen_pool_destroy(pool);
		return 0;
	}

	*failures = 0;
	t0 = ktime_get_ns();
	for (i = 0; i < w->nr_ops; i++) {
		slot = w->ops[i].slot;
		if (w->ops[i].pages) {
			bytes = (size_t)w->ops[i].pages << PAGE_SHIFT;
			w->addr[slot] = gen_pool_alloc(pool, bytes);
			if (!w->addr[slot]) {
				w->addr[slot] = MMS_BENCH_FAILED;
				(*failures)++;
			}
		} else if (w->addr[slot] != MMS_BENCH_FAILED) {
			bytes = (size_t)w->slot_pages[slot] << PAGE_SHIFT;
			gen_pool_free(pool, w->addr[slot], bytes);
			w->addr[slot] = MMS_BENCH_FAILED;
		}
		if (!(i & 4095))
			cond_resched();
	}
	t = ktime_get_ns() - t0;

	/* gen_pool_destroy() insists on an empty pool. */
	for (i = 0; i < w->nr_ops; i++) {
		slot = w->ops[i].slot;
		if (w->ops[i].pages && w->addr[slot] != MMS_BENCH_FAILED) {
			gen_pool_free(pool, w->addr[slot],
				      (size_t)w->slot_pages[slot] << PAGE_SHIFT);
			w->addr[slot] = MMS_BENCH_FAILED;
		}
	}
	gen_pool_destroy(pool);
	return t;
}

/**
 * mms_bootmem_bench() - time one workload on both allocators
 * @b: parameters in, results out (see struct mmscope_bootmem_bench)
 *
 * Context: process context, may sleep; touches no live state.
 * Return: 0, -EINVAL for parameters out of range, -ENOMEM.
 */
int mms_bootmem_bench(struct mmscope_bootmem_bench *b)
{
	struct mms_bench w = { .nr_ops = b->nr_ops };
	int ret = -ENOMEM;

	if (b->nr_pages < 64 || b->nr_pages > MMS_BENCH_MAX_PAGES ||
	    !b->nr_ops || b->nr_ops > MMS_BENCH_MAX_OPS ||
	    !b->max_alloc_pages || b->max_alloc_pages > b->nr_pages / 4 ||
	    !b->occupancy_pct || b->occupancy_pct > 90)
		return -EINVAL;

	w.ops = kvmalloc_array(w.nr_ops, sizeof(*w.ops), GFP_KERNEL);
	w.addr = kvmalloc_array(w.nr_ops, sizeof(*w.addr), GFP_KERNEL);
	w.live = kvmalloc_array(w.nr_ops, sizeof(*w.live), GFP_KERNEL);
	w.slot_pages = kvmalloc_array(w.nr_ops, sizeof(*w.slot_pages),
				      GFP_KERNEL);
	if (!w.ops || !w.addr || !w.live || !w.slot_pages)
		goto out;

	mms_bench_write(&w, b);
	b->mms_ns = mms_bench_bootmem(&w, b->nr_pages, &b->mms_failures);
	b->genpool_ns = mms_bench_genpool(&w, b->nr_pages,
					  &b->genpool_failures);
	if (b->mms_ns && b->genpool_ns)
		ret = 0;
out:
	kvfree(w.slot_pages);
	kvfree(w.live);
	kvfree(w.addr);
	kvfree(w.ops);
	return ret;
}
