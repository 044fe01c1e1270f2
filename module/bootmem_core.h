/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bootmem algorithm of Linux 2.4/2.6 (mm/bootmem.c), as a plain data
 * structure: one bit per page of a "node", 1 = reserved, 0 = free.
 *
 * Addresses are byte offsets from the node's start (the node starts at 0),
 * so page i covers [i * PAGE_SIZE, (i + 1) * PAGE_SIZE). The map itself
 * lives in map_pages pages of the node starting at page map_start; those
 * pages are reserved for as long as the node lives.
 *
 * No locking: the caller serialises every call on one node.
 */
#ifndef _MMSCOPE_BOOTMEM_CORE_H
#define _MMSCOPE_BOOTMEM_CORE_H

#include "core_shim.h"

/* Largest node the core accepts; keeps byte offsets far from overflow. */
#define BOOTMEM_MAX_PAGES	BIT(30)

/* Order of a whole map word handed out by bootmem_retire(). */
#define BOOTMEM_WORD_ORDER	ilog2(BITS_PER_LONG)

/**
 * struct bootmem_stats - what happened to a node since bootmem_init()
 * @allocs: successful bootmem_alloc() calls
 * @alloc_failures: bootmem_alloc() calls that found no room
 * @alloc_bytes: bytes asked by the successful allocations
 * @alloc_pages: pages those allocations took from the map
 * @alloc_packed: allocations that started in the previous one's last page
 * @alloc_frees: successful bootmem_free_alloc() calls
 * @range_frees: successful bootmem_free() calls
 * @reserves: successful bootmem_reserve() calls
 * @pages_freed: pages made free by bootmem_free() and bootmem_free_alloc()
 * @pages_reserved: pages made reserved by bootmem_reserve()
 * @double_frees: frees refused because a page in the range was free already
 * @reserved_twice: pages bootmem_reserve() found reserved already
 * @invalid: calls refused for a bad argument (range outside the node, ...)
 * @retired_pages: free pages handed out by bootmem_retire()
 * @retired_blocks: whole map words among them (order BOOTMEM_WORD_ORDER)
 */
struct bootmem_stats {
	u64 allocs;
	u64 alloc_failures;
	u64 alloc_bytes;
	u64 alloc_pages;
	u64 alloc_packed;
	u64 alloc_frees;
	u64 range_frees;
	u64 reserves;
	u64 pages_freed;
	u64 pages_reserved;
	u64 double_frees;
	u64 reserved_twice;
	u64 invalid;
	u64 retired_pages;
	u64 retired_blocks;
};

/**
 * struct bootmem_node - one node of the boot-time allocator
 * @map: one bit per page, 1 = reserved; bits past @nr_pages stay 1
 * @nr_pages: pages in the node
 * @map_start: first page holding @map
 * @map_pages: pages holding @map
 * @nr_reserved: bits set among the first @nr_pages (map pages included)
 * @hint_idx: next-fit hint: page after the last allocation, lowered by frees
 * @last_end_off: byte offset just past the last allocation; when it is not
 *	page aligned, the next allocation may start in that page
 * @retired: bootmem_retire() ran; @map is gone and every call is refused
 * @stats: counters
 */
struct bootmem_node {
	unsigned long *map;
	unsigned long nr_pages;
	unsigned long map_start;
	unsigned long map_pages;
	unsigned long nr_reserved;
	unsigned long hint_idx;
	u64 last_end_off;
	bool retired;
	struct bootmem_stats stats;
};

/**
 * typedef bootmem_retire_fn - receives the free pages at retirement
 * @ctx: the caller's cookie
 * @idx: first page of the block
 * @order: the block has 2^@order pages, @idx is a multiple of 2^@order
 *
 * Return: 0 when the pages were taken, or a negative errno to stop.
 */
typedef int (*bootmem_retire_fn)(void *ctx, unsigned long idx,
				 unsigned int order);

unsigned long bootmem_map_words(unsigned long nr_pages);
unsigned long bootmem_map_pages(unsigned long nr_pages);
int bootmem_init(struct bootmem_node *node, unsigned long *map,
		 unsigned long nr_pages, unsigned long map_start);
int bootmem_free(struct bootmem_node *node, u64 addr, u64 size,
		 unsigned long *freed);
int bootmem_reserve(struct bootmem_node *node, u64 addr, u64 size,
		    unsigned long *reserved, unsigned long *twice);
int bootmem_alloc(struct bootmem_node *node, u64 size, u64 align, u64 goal,
		  u64 *addr);
int bootmem_free_alloc(struct bootmem_node *node, u64 addr, u64 size,
		       unsigned long *freed);
int bootmem_retire(struct bootmem_node *node, bootmem_retire_fn fn,
		   void *ctx);

#endif /* _MMSCOPE_BOOTMEM_CORE_H */
