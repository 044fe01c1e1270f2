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
#define MMSCOPE_UAPI_VERSION	3

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

/*
 * The bootmem node: a bitmap allocator over pages mmscope took from the
 * kernel, one bit per page (1 = reserved). Addresses and sizes are bytes
 * relative to the node's start: page i is [i * page_size, (i + 1) *
 * page_size). See docs/bootmem.md.
 */

/* mmscope_bootmem_stats.state */
#define MMSCOPE_BOOTMEM_NONE	0	/* no node: the last INIT failed */
#define MMSCOPE_BOOTMEM_LIVE	1
#define MMSCOPE_BOOTMEM_RETIRED	2	/* RETIRE ran: only INIT and reads work */

/**
 * struct mmscope_bootmem_init - (re)create the node (MMSCOPE_IOC_BOOTMEM_INIT)
 * @nr_pages: pages to take from the kernel, 64..65536; 0: the bootmem_pages
 *	module parameter
 * @map_page: first page of the node that holds the map (0: the node's
 *	first pages, as the seed's init_bootmem_core())
 * @map_pages: out: pages the map occupies
 * @reserved: zero
 *
 * Gives every page of the previous node back to the kernel, takes new ones
 * and marks them all reserved.
 */
struct mmscope_bootmem_init {
	__u64 nr_pages;
	__u64 map_page;
	__u64 map_pages;
	__u64 reserved[3];
};

/**
 * struct mmscope_bootmem_range - a byte range of the node
 * @addr: first byte
 * @size: bytes, > 0
 * @pages: out: pages whose state changed
 * @twice: out: for RESERVE, pages that were reserved already
 * @reserved: zero
 *
 * MMSCOPE_IOC_BOOTMEM_FREE rounds inwards, MMSCOPE_IOC_BOOTMEM_RESERVE
 * outwards, MMSCOPE_IOC_BOOTMEM_FREE_ALLOC takes an allocation's address
 * and size.
 */
struct mmscope_bootmem_range {
	__u64 addr;
	__u64 size;
	__u64 pages;
	__u64 twice;
	__u64 reserved[2];
};

/**
 * struct mmscope_bootmem_alloc - MMSCOPE_IOC_BOOTMEM_ALLOC
 * @size: bytes, > 0
 * @align: power of two, bytes
 * @goal: lowest address preferred; 0 or outside the node: page 0
 * @addr: out: the allocation
 * @reserved: zero
 */
struct mmscope_bootmem_alloc {
	__u64 size;
	__u64 align;
	__u64 goal;
	__u64 addr;
	__u64 reserved[2];
};

/**
 * struct mmscope_bootmem_retire - what MMSCOPE_IOC_BOOTMEM_RETIRE handed over
 * @pages: free pages given to the buddy allocator
 * @blocks: of which whole map words, as blocks of @block_order
 * @block_order: order of those blocks (log2 of the bits in a map word)
 * @map_pages: map pages given to the buddy allocator after the walk
 * @refused: pages the buddy allocator refused; they went to the kernel
 * @reserved: zero
 */
struct mmscope_bootmem_retire {
	__u64 pages;
	__u64 blocks;
	__u64 block_order;
	__u64 map_pages;
	__u64 refused;
	__u64 reserved[3];
};

/**
 * struct mmscope_bootmem_map - read the map (MMSCOPE_IOC_BOOTMEM_READ_MAP)
 * @buf: user pointer to @nr_words __u64; bit b of word w is page
 *	(@first_word + w) * 64 + b, 1 = reserved; bits past the node read 1
 * @first_word: first word to read
 * @nr_words: in: room in @buf; out: words copied
 * @total_words: out: words in the whole map
 * @nr_pages: out: pages in the node
 * @reserved: zero
 */
struct mmscope_bootmem_map {
	__u64 buf;
	__u64 first_word;
	__u64 nr_words;
	__u64 total_words;
	__u64 nr_pages;
	__u64 reserved[3];
};

/**
 * struct mmscope_bootmem_stats - MMSCOPE_IOC_BOOTMEM_STATS
 * @state: MMSCOPE_BOOTMEM_NONE, _LIVE or _RETIRED
 * @nr_pages: pages in the node
 * @map_page: first page of the map
 * @map_pages: pages the map occupies
 * @pages_reserved: reserved pages now (map, allocations, retired included)
 * @pages_free: free pages now
 * @allocs: successful allocations
 * @alloc_failures: allocations that found no room
 * @alloc_bytes: bytes asked by the successful allocations
 * @alloc_pages: pages they took from the map
 * @alloc_packed: allocations that started in the previous one's last page
 * @alloc_frees: allocations freed
 * @range_frees: successful FREE calls
 * @reserves: successful RESERVE calls
 * @pages_freed: pages made free by FREE and FREE_ALLOC
 * @reserve_pages: pages made reserved by RESERVE
 * @double_frees: frees refused because a page was free already
 * @reserved_twice: pages RESERVE found reserved already
 * @invalid: requests refused for a range or argument the node rejects
 * @retired_pages: free pages handed to the buddy allocator by RETIRE
 * @retired_blocks: of which whole-word blocks
 * @retire_refused: pages the buddy allocator refused at RETIRE
 * @refused: requests refused since load: no node, retired node, nonzero
 *	reserved fields, bad buffers
 * @inits: nodes created since load
 * @reserved: zero
 *
 * Counters from @allocs to @retire_refused start at zero with each node.
 */
struct mmscope_bootmem_stats {
	__u64 state;
	__u64 nr_pages;
	__u64 map_page;
	__u64 map_pages;
	__u64 pages_reserved;
	__u64 pages_free;
	__u64 allocs;
	__u64 alloc_failures;
	__u64 alloc_bytes;
	__u64 alloc_pages;
	__u64 alloc_packed;
	__u64 alloc_frees;
	__u64 range_frees;
	__u64 reserves;
	__u64 pages_freed;
	__u64 reserve_pages;
	__u64 double_frees;
	__u64 reserved_twice;
	__u64 invalid;
	__u64 retired_pages;
	__u64 retired_blocks;
	__u64 retire_refused;
	__u64 refused;
	__u64 inits;
	__u64 reserved[8];
};

/**
 * struct mmscope_bootmem_bench - MMSCOPE_IOC_BOOTMEM_BENCH
 * @nr_pages: size of the scratch node and of the gen_pool, 64..1048576
 * @nr_ops: operations, 1..10000000
 * @seed: seed of the workload
 * @max_alloc_pages: allocation sizes are 1..@max_alloc_pages pages
 * @occupancy_pct: frees start when this share of pages is in use, 1..90
 * @pad: zero
 * @mms_ns: out: time mmscope's bitmap allocator took for the workload
 * @genpool_ns: out: time lib/genalloc took for the same workload
 * @allocs: out: allocations in the workload
 * @frees: out: frees in the workload
 * @mms_failures: out: allocations mmscope's allocator could not satisfy
 * @genpool_failures: out: allocations gen_pool could not satisfy
 * @reserved: zero
 *
 * Runs in the kernel on a scratch node; the live node is not touched.
 */
struct mmscope_bootmem_bench {
	__u64 nr_pages;
	__u64 nr_ops;
	__u64 seed;
	__u32 max_alloc_pages;
	__u32 occupancy_pct;
	__u64 mms_ns;
	__u64 genpool_ns;
	__u64 allocs;
	__u64 frees;
	__u64 mms_failures;
	__u64 genpool_failures;
	__u64 reserved[4];
};

#define MMSCOPE_IOC_BOOTMEM_INIT \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 0, struct mmscope_bootmem_init)
#define MMSCOPE_IOC_BOOTMEM_FREE \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 1, struct mmscope_bootmem_range)
#define MMSCOPE_IOC_BOOTMEM_RESERVE \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 2, struct mmscope_bootmem_range)
#define MMSCOPE_IOC_BOOTMEM_ALLOC \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 3, struct mmscope_bootmem_alloc)
#define MMSCOPE_IOC_BOOTMEM_FREE_ALLOC \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 4, struct mmscope_bootmem_range)
#define MMSCOPE_IOC_BOOTMEM_RETIRE \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 5, struct mmscope_bootmem_retire)
#define MMSCOPE_IOC_BOOTMEM_READ_MAP \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 6, struct mmscope_bootmem_map)
#define MMSCOPE_IOC_BOOTMEM_STATS \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 7, struct mmscope_bootmem_stats)
#define MMSCOPE_IOC_BOOTMEM_BENCH \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_BOOTMEM_BASE + 8, struct mmscope_bootmem_bench)

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
 * @bad_free_busy: refused: block still mapped, referenced or with a
 *	->mapping (so still in use)
 * @user_invalid: ioctls refused for a bad argument: nonzero reserved
 *	fields, flags, orders, kinds or ranges out of bounds, a buffer that
 *	cannot be read or written back
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
	__u64 bad_free_busy;
	__u64 user_invalid;
	__u64 reserved[6];
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

/*
 * Each open() of /dev/mmscope is a new, empty in-memory file, as with
 * memfd_create(): every MAP_SHARED mapping of that open file (in this
 * process, across fork(), or in a process given the fd) sees the same
 * pages; MAP_PRIVATE mappings copy on write. mmap offsets are byte offsets
 * into the file, in units of the file's page size (PAGE_SIZE today).
 *
 * The size starts at 0 and is set with MMSCOPE_IOC_FILE_SET_SIZE, like
 * ftruncate() (which a character device cannot offer): an access at or
 * past the size raises SIGBUS; shrinking unmaps and frees the pages past
 * the new end.
 *
 * Room for the huge-page pool (PMD mappings): command 0x33 is reserved for
 * MMSCOPE_IOC_FILE_SET_PAGE_SIZE (switch an empty file to 2 MiB pages);
 * mmscope_file_info.page_size reports which kind a file is.
 */

/**
 * struct mmscope_file_info - one open file of /dev/mmscope
 *	(MMSCOPE_IOC_FILE_INFO)
 * @size: file size in bytes
 * @page_size: size of the file's pages in bytes (PAGE_SIZE)
 * @pages: pages the file holds (written at least once, not truncated)
 * @zero_mapped: 1 if a read of a hole may have mapped the shared zero page
 *	since the file was last emptied (a shared write to a hole then also
 *	unmaps that offset from every mapping), else 0
 * @reserved: zero
 */
struct mmscope_file_info {
	__u64 size;
	__u64 page_size;
	__u64 pages;
	__u64 zero_mapped;
	__u64 reserved[4];
};

/* Page-table levels, indices of mmscope_pagewalk.entry[] and .flags[]. */
#define MMSCOPE_PW_PGD		0
#define MMSCOPE_PW_P4D		1
#define MMSCOPE_PW_PUD		2
#define MMSCOPE_PW_PMD		3
#define MMSCOPE_PW_PTE		4
#define MMSCOPE_PW_NR_LEVELS	5
#define MMSCOPE_PW_NO_LEAF	0xff	/* .leaf: nothing maps the address */

/* Bits of mmscope_pagewalk.flags[level], decoded from entry[level]. */
#define MMSCOPE_PW_PRESENT	(1U << 0)	/* hardware present bit */
#define MMSCOPE_PW_WRITE	(1U << 1)	/* R/W */
#define MMSCOPE_PW_USER		(1U << 2)	/* U/S */
#define MMSCOPE_PW_ACCESSED	(1U << 3)
#define MMSCOPE_PW_DIRTY	(1U << 4)
#define MMSCOPE_PW_HUGE		(1U << 5)	/* PSE at PUD/PMD: maps a page */
#define MMSCOPE_PW_NX		(1U << 6)
#define MMSCOPE_PW_SPECIAL	(1U << 7)	/* software bit: no page refcount */
#define MMSCOPE_PW_PROTNONE	(1U << 8)	/* PROT_NONE or NUMA hint entry */
#define MMSCOPE_PW_FOLDED	(1U << 9)	/* level folded (P4D with 4 levels) */
#define MMSCOPE_PW_LEAF		(1U << 10)	/* the entry that maps the page */

/* Bits of mmscope_pagewalk.result. */
#define MMSCOPE_PW_R_MAPPED	(1U << 0)	/* a present leaf maps @addr */
#define MMSCOPE_PW_R_ZERO_PAGE	(1U << 1)	/* the shared (huge) zero page */

/* mmscope_pagewalk.vma_kind */
#define MMSCOPE_VMA_NONE	0	/* no mapping at @addr */
#define MMSCOPE_VMA_ANON	1
#define MMSCOPE_VMA_FILE	2	/* any other file, including shmem */
#define MMSCOPE_VMA_HUGETLB	3
#define MMSCOPE_VMA_MMSCOPE	4	/* a mapping of /dev/mmscope */
#define MMSCOPE_VMA_PFNMAP	5	/* VM_PFNMAP or VM_IO */

/**
 * struct mmscope_pagewalk - the page-table entries that translate one
 *	address of the calling process (MMSCOPE_IOC_PAGEWALK)
 * @addr: in: a user virtual address of the caller
 * @entry: out: raw entry read at each level (pgd, p4d, pud, pmd, pte);
 *	zero below the level where the walk stopped
 * @flags: out: MMSCOPE_PW_* bits decoded from each entry
 * @levels: out: paging levels the CPU uses (4 or 5)
 * @last: out: deepest level read (MMSCOPE_PW_*)
 * @leaf: out: level of the entry mapping @addr, or MMSCOPE_PW_NO_LEAF
 * @vma_kind: out: MMSCOPE_VMA_* of the mapping containing @addr
 * @pfn: out: page frame of the 4 KiB page at @addr (valid with
 *	MMSCOPE_PW_R_MAPPED; for a huge leaf: its first pfn + the index)
 * @page_size: out: bytes the leaf maps (4 KiB, 2 MiB or 1 GiB)
 * @vm_flags: out: the mapping's vm_flags (VM_* of include/linux/mm.h)
 * @result: out: MMSCOPE_PW_R_* bits
 * @reserved: zero
 */
struct mmscope_pagewalk {
	__u64 addr;
	__u64 entry[MMSCOPE_PW_NR_LEVELS];
	__u32 flags[MMSCOPE_PW_NR_LEVELS];
	__u32 levels;
	__u32 last;
	__u32 leaf;
	__u32 vma_kind;
	__u32 result;
	__u64 pfn;
	__u64 page_size;
	__u64 vm_flags;
	__u64 reserved[4];
};

/* Set the size of this open file (bytes, a multiple of its page size). */
#define MMSCOPE_IOC_FILE_SET_SIZE \
	_IOW(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 0, __u64)
#define MMSCOPE_IOC_FILE_INFO \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 1, struct mmscope_file_info)
/* Any open file: walks the caller's page tables, not the file's. */
#define MMSCOPE_IOC_PAGEWALK \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 2, struct mmscope_pagewalk)
/* MMSCOPE_IOC_FILE_BASE + 3: reserved, MMSCOPE_IOC_FILE_SET_PAGE_SIZE. */

/* ---- huge page pool (MMSCOPE_IOC_HUGEPOOL_BASE) ------------------------ */

/* ---- kprobes on the kernel's mm (MMSCOPE_IOC_PROBES_BASE) -------------- */

#endif /* _UAPI_MMSCOPE_H */
