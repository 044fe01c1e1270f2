/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mmscope user-space API: the one header shared by mmscope.ko and the
 * programs in user/.
 *
 * Rules that keep it growable:
 *  - every command is _IOR/_IOW/_IOWR on MMSCOPE_IOC_MAGIC, so the struct
 *    size is part of the command number; a struct never changes size, it
 *    gains a new command or uses its reserved fields (which must be zero);
 *  - fixed-width types only, explicit padding, 8-byte aligned structs;
 *  - each mechanism owns one block of command numbers (below), so new
 *    mechanisms never renumber old ones.
 */
#ifndef _UAPI_MMSCOPE_H
#define _UAPI_MMSCOPE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MMSCOPE_DEVICE_PATH	"/dev/mmscope"
#define MMSCOPE_DEBUGFS_PATH	"/sys/kernel/debug/mmscope"

/* Bumped whenever a command is added; reported by MMSCOPE_IOC_INFO. */
#define MMSCOPE_UAPI_VERSION	1

/* 0xB9 is unused in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define MMSCOPE_IOC_MAGIC	0xB9

/* Command number blocks (_IOC_NR), one per mechanism. */
#define MMSCOPE_IOC_CORE_BASE		0x00	/* 0x00-0x0f */
#define MMSCOPE_IOC_BOOTMEM_BASE	0x10	/* 0x10-0x1f */
#define MMSCOPE_IOC_BUDDY_BASE		0x20	/* 0x20-0x2f */
#define MMSCOPE_IOC_FILE_BASE		0x30	/* 0x30-0x3f: device file, faults, page walk */
#define MMSCOPE_IOC_HUGEPOOL_BASE	0x40	/* 0x40-0x4f */
#define MMSCOPE_IOC_PROBES_BASE		0x50	/* 0x50-0x5f */
#define MMSCOPE_IOC_BLOCK_SIZE		0x10

/* ---- core ------------------------------------------------------------- */

/* Bits of mmscope_info.features: which mechanisms this module has. */
#define MMSCOPE_FEAT_BOOTMEM	(1ULL << 0)
#define MMSCOPE_FEAT_BUDDY	(1ULL << 1)
#define MMSCOPE_FEAT_FILE	(1ULL << 2)
#define MMSCOPE_FEAT_HUGEPOOL	(1ULL << 3)
#define MMSCOPE_FEAT_PROBES	(1ULL << 4)

/**
 * struct mmscope_info - what the loaded module is (MMSCOPE_IOC_INFO)
 * @uapi_version: MMSCOPE_UAPI_VERSION the module was built with
 * @page_size: PAGE_SIZE of the kernel
 * @features: MMSCOPE_FEAT_* bits
 * @nr_page_orders: number of buddy orders (orders 0 .. nr_page_orders - 1)
 * @pad: zero
 * @reserved: zero; room to grow
 */
struct mmscope_info {
	__u32 uapi_version;
	__u32 page_size;
	__u64 features;
	__u32 nr_page_orders;
	__u32 pad;
	__u64 reserved[4];
};

#define MMSCOPE_IOC_INFO \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_CORE_BASE + 0, struct mmscope_info)

/* ---- bootmem (MMSCOPE_IOC_BOOTMEM_BASE) -------------------------------- */

/* ---- buddy (MMSCOPE_IOC_BUDDY_BASE) ------------------------------------ */

/* Size of the per-order arrays below; nr_orders says how many are used. */
#define MMSCOPE_BUDDY_MAX_ORDERS	16

/**
 * struct mmscope_buddy_block - a block allocated through the device
 * @handle: out of ALLOC, in to FREE: opaque id of the block (never an
 *	address); valid until freed, reset or module unload
 * @order: in: 0 .. nr_page_orders - 1 (ALLOC, FREE, BADFREE)
 * @flags: zero
 * @range_id: out of ALLOC: number of the chunk (or adopted range) the
 *	block came from, as in the debugfs stats
 * @offset: out of ALLOC: index of the block's first page in that range
 * @reserved: zero
 *
 * A FREE with another order than the block's is refused by the allocator
 * (EINVAL, counted as bad_free_order) and the handle stays valid; an
 * unknown handle gives ENOENT (counted as user_bad_handles).
 */
struct mmscope_buddy_block {
	__u64 handle;
	__u32 order;
	__u32 flags;
	__u32 range_id;
	__u32 offset;
	__u64 reserved[2];
};

/**
 * struct mmscope_buddy_check - result of the consistency checker
 * @result: 0, or -EUCLEAN (the ioctl then fails with EUCLEAN)
 * @pad: zero
 * @message: the first problem found, NUL-terminated; empty when none
 * @reserved: zero
 */
struct mmscope_buddy_check {
	__s32 result;
	__u32 pad;
	char message[112];
	__u64 reserved[2];
};

/* Bits of mmscope_buddy_drain.flags. */
#define MMSCOPE_BUDDY_DRAIN_PCP		(1U << 0)	/* per-CPU caches */
#define MMSCOPE_BUDDY_DRAIN_SPARE	(1U << 1)	/* empty chunks too */

/**
 * struct mmscope_buddy_drain - give cached and spare memory back
 * @flags: in: MMSCOPE_BUDDY_DRAIN_* bits
 * @pad: zero
 * @pages_drained: out: pages moved from per-CPU caches to the free lists
 * @chunks_returned: out: empty chunks given back to the kernel
 * @reserved: zero
 */
struct mmscope_buddy_drain {
	__u32 flags;
	__u32 pad;
	__u64 pages_drained;
	__u64 chunks_returned;
	__u64 reserved[2];
};

/**
 * struct mmscope_buddy_stats - counters of the buddy allocator
 * @nr_orders: entries used in the per-order arrays
 * @pad: zero
 * @nr_free: free blocks per order (the numbers of debugfs buddyinfo)
 * @allocs: blocks allocated from the free lists, per order
 * @frees: blocks freed to the free lists, per order
 * @splits: blocks of this order split by an allocation
 * @merges: buddy pairs of this order merged by a free
 * @alloc_failures: allocations that failed, per order
 * @bad_free_foreign: refused: page not owned by the allocator
 * @bad_free_double: refused: page already free or in a per-CPU cache
 * @bad_free_order: refused: block allocated with another order
 * @bad_free_tail: refused: page inside an allocated block
 * @bad_free_busy: refused: block still mapped, referenced or with a
 *	->mapping (so still in use)
 * @chunks_held: chunks taken from the kernel and not returned
 * @chunks_empty: of those, entirely free (kept as spare)
 * @chunks_max: most chunks held at once (buddy_max_mb)
 * @chunks_taken: chunks taken from the kernel (alloc_pages)
 * @chunks_returned: chunks given back to the kernel
 * @chunk_failures: alloc_pages or metadata failures
 * @adopted_ranges: adopted ranges held
 * @adopted_pages: pages in them
 * @adopted_pages_returned: adopted pages given back to the kernel
 * @adopt_refused: adoptions refused
 * @pages_held: pages held, chunks and adopted
 * @pages_free: pages on the free lists
 * @pages_in_pcp: pages in per-CPU caches
 * @pages_allocated: pages_held - pages_free - pages_in_pcp
 * @pcp_hits: order-0 allocations served by a per-CPU cache
 * @pcp_misses: order-0 allocations that found their cache empty
 * @pcp_refilled: pages moved from the free lists into caches
 * @pcp_drained: pages moved from caches back to the free lists
 * @user_blocks: blocks held by user space through ALLOC
 * @user_pages: pages in them
 * @user_bad_handles: FREE/BADFREE calls with an unknown handle
 * @checks: consistency checks run
 * @check_failures: checks that found a problem
 * @reserved: zero
 */
struct mmscope_buddy_stats {
	__u32 nr_orders;
	__u32 pad;
	__u64 nr_free[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 allocs[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 frees[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 splits[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 merges[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 alloc_failures[MMSCOPE_BUDDY_MAX_ORDERS];
	__u64 bad_free_foreign;
	__u64 bad_free_double;
	__u64 bad_free_order;
	__u64 bad_free_tail;
	__u64 bad_free_busy;
	__u64 chunks_held;
	__u64 chunks_empty;
	__u64 chunks_max;
	__u64 chunks_taken;
	__u64 chunks_returned;
	__u64 chunk_failures;
	__u64 adopted_ranges;
	__u64 adopted_pages;
	__u64 adopted_pages_returned;
	__u64 adopt_refused;
	__u64 pages_held;
	__u64 pages_free;
	__u64 pages_in_pcp;
	__u64 pages_allocated;
	__u64 pcp_hits;
	__u64 pcp_misses;
	__u64 pcp_refilled;
	__u64 pcp_drained;
	__u64 user_blocks;
	__u64 user_pages;
	__u64 user_bad_handles;
	__u64 checks;
	__u64 check_failures;
	__u64 reserved[7];
};

/**
 * struct mmscope_buddy_reset - what RESET freed
 * @blocks: out: blocks held through ALLOC that were freed
 * @pages: out: pages in them
 * @reserved: zero
 */
struct mmscope_buddy_reset {
	__u64 blocks;
	__u64 pages;
	__u64 reserved[2];
};

/* Kinds of deliberate bad free (mmscope_buddy_badfree.kind). */
#define MMSCOPE_BUDDY_BADFREE_DOUBLE	1  /* free @handle's block twice */
#define MMSCOPE_BUDDY_BADFREE_FOREIGN	2  /* free a kernel page mmscope never owned */
#define MMSCOPE_BUDDY_BADFREE_TAIL	3  /* free the 2nd page of @handle's block */
#define MMSCOPE_BUDDY_BADFREE_BUSY	4  /* free @handle's block with a ref held */

/**
 * struct mmscope_buddy_badfree - make the allocator refuse a free
 * @kind: in: MMSCOPE_BUDDY_BADFREE_*
 * @order: in: order passed with the bad free (FOREIGN only)
 * @handle: in: a block held through ALLOC (DOUBLE: freed for good by
 *	the first free, so the handle is gone; TAIL: order >= 1, kept;
 *	BUSY: kept)
 * @result: out: what the bad free returned (-EINVAL when refused)
 * @pad: zero
 * @reserved: zero
 *
 * DOUBLE frees the block and frees it again with the allocator locked in
 * between, so no one else can get the block and have it freed under them.
 */
struct mmscope_buddy_badfree {
	__u32 kind;
	__u32 order;
	__u64 handle;
	__s32 result;
	__u32 pad;
	__u64 reserved[2];
};

/* Workloads and allocators of MMSCOPE_IOC_BUDDY_BENCH. */
#define MMSCOPE_BUDDY_BENCH_PAIRS	1  /* order-0 alloc + free pairs */
#define MMSCOPE_BUDDY_BENCH_BATCH	2  /* 512 order-0 allocs, then 512 frees */
#define MMSCOPE_BUDDY_BENCH_RANDOM	3  /* random orders 0-3, 64 live slots */

#define MMSCOPE_BUDDY_BENCH_MMSCOPE	1  /* mms_buddy_alloc/mms_buddy_free */
#define MMSCOPE_BUDDY_BENCH_KERNEL	2  /* alloc_pages/__free_pages */
#define MMSCOPE_BUDDY_BENCH_MMSCOPE_CLEAR 3 /* mmscope, each page cleared */

/**
 * struct mmscope_buddy_bench - time a workload inside the kernel
 * @workload: in: MMSCOPE_BUDDY_BENCH_PAIRS/BATCH/RANDOM
 * @allocator: in: MMSCOPE_BUDDY_BENCH_MMSCOPE/KERNEL/MMSCOPE_CLEAR
 * @ops: in: allocations plus frees to run (at most 1 << 32)
 * @seed: in: seed of the RANDOM workload (same seed, same sequence)
 * @ns: out: elapsed nanoseconds
 * @done: out: allocations plus frees done
 * @failures: out: allocations that failed
 * @init_on_alloc: out: 1 if the kernel zeroes every page it allocates
 *	(init_on_alloc), which the kernel side of the comparison pays for
 * @pad: zero
 * @reserved: zero
 */
struct mmscope_buddy_bench {
	__u32 workload;
	__u32 allocator;
	__u64 ops;
	__u64 seed;
	__u64 ns;
	__u64 done;
	__u64 failures;
	__u32 init_on_alloc;
	__u32 pad;
	__u64 reserved[2];
};

#define MMSCOPE_IOC_BUDDY_ALLOC \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 0, struct mmscope_buddy_block)
#define MMSCOPE_IOC_BUDDY_FREE \
	_IOW(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 1, struct mmscope_buddy_block)
#define MMSCOPE_IOC_BUDDY_CHECK \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 2, struct mmscope_buddy_check)
#define MMSCOPE_IOC_BUDDY_DRAIN \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 3, struct mmscope_buddy_drain)
#define MMSCOPE_IOC_BUDDY_STATS \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 4, struct mmscope_buddy_stats)
#define MMSCOPE_IOC_BUDDY_RESET \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 5, struct mmscope_buddy_reset)
#define MMSCOPE_IOC_BUDDY_BADFREE \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 6, struct mmscope_buddy_badfree)
#define MMSCOPE_IOC_BUDDY_BENCH \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BUDDY_BASE + 7, struct mmscope_buddy_bench)

/* ---- device file, faults, page walk (MMSCOPE_IOC_FILE_BASE) ------------ */

/* ---- huge page pool (MMSCOPE_IOC_HUGEPOOL_BASE) ------------------------ */

/* ---- kprobes on the kernel's mm (MMSCOPE_IOC_PROBES_BASE) -------------- */

#endif /* _UAPI_MMSCOPE_H */
