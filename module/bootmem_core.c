// SPDX-License-Identifier: GPL-2.0
/*
 * The boot-time allocator of Linux 2.4/2.6 (init_bootmem_core,
 * free_bootmem_core, reserve_bootmem_core, __alloc_bootmem_core,
 * free_all_bootmem_core), rebuilt as an allocator that keeps running.
 *
 * Everything here is bit arithmetic on the map; it compiles unchanged in
 * mmscope.ko and in the host tests (see core_shim.h). The search and the
 * range updates work a word at a time, as find_next_zero_bit() and
 * bitmap_set() do, instead of the seed's bit-by-bit loops.
 */
#include "bootmem_core.h"

#define BM_FIRST_MASK(start)	(~0UL << ((start) % BITS_PER_LONG))
#define BM_LAST_MASK(end)	(~0UL >> (-(end) & (BITS_PER_LONG - 1)))

/* First clear bit in [start, end), or end. Bits past the node are set. */
static unsigned long bm_next_zero(const unsigned long *map,
				  unsigned long start, unsigned long end)
{
	unsigned long w, word;

	if (start >= end)
		return end;
	w = start / BITS_PER_LONG;
	word = ~map[w] & BM_FIRST_MASK(start);
	while (!word) {
		if ((w + 1) * BITS_PER_LONG >= end)
			return end;
		word = ~map[++w];
	}
	return min(w * BITS_PER_LONG + __ffs(word), end);
}

/* First set bit in [start, end), or end. */
static unsigned long bm_next_set(const unsigned long *map,
				 unsigned long start, unsigned long end)
{
	unsigned long w, word;

	if (start >= end)
		return end;
	w = start / BITS_PER_LONG;
	word = map[w] & BM_FIRST_MASK(start);
	while (!word) {
		if ((w + 1) * BITS_PER_LONG >= end)
			return end;
		word = map[++w];
	}
	return min(w * BITS_PER_LONG + __ffs(word), end);
}

enum bm_op { BM_COUNT, BM_SET, BM_CLEAR };

/*
 * Apply @op to the bits [start, end). Returns the set bits found (BM_COUNT),
 * or the bits that changed (BM_SET, BM_CLEAR).
 */
static unsigned long bm_range(unsigned long *map, unsigned long start,
			      unsigned long end, enum bm_op op)
{
	unsigned long w, last, mask, n = 0;

	if (start >= end)
		return 0;
	w = start / BITS_PER_LONG;
	last = (end - 1) / BITS_PER_LONG;
	mask = BM_FIRST_MASK(start);
	for (;; w++, mask = ~0UL) {
		if (w == last)
			mask &= BM_LAST_MASK(end);
		switch (op) {
		case BM_COUNT:
			n += hweight_long(map[w] & mask);
			break;
		case BM_SET:
			n += hweight_long(~map[w] & mask);
			map[w] |= mask;
			break;
		case BM_CLEAR:
			n += hweight_long(map[w] & mask);
			map[w] &= ~mask;
			break;
		}
		if (w == last)
			return n;
	}
}

/* @op on [start, end) minus the map's own pages, which stay reserved. */
static unsigned long bm_range_outside_map(struct bootmem_node *node,
					  unsigned long start,
					  unsigned long end, enum bm_op op)
{
	unsigned long ms = node->map_start, me = ms + node->map_pages;

	return bm_range(node->map, start, min(end, ms), op) +
	       bm_range(node->map, max(start, me), end, op);
}

static bool bm_overlaps_map(const struct bootmem_node *node,
			    unsigned long start, unsigned long end)
{
	return start < node->map_start + node->map_pages &&
	       node->map_start < end;
}

static u64 bootmem_bytes(const struct bootmem_node *node)
{
	return (u64)node->nr_pages << PAGE_SHIFT;
}

/**
 * bootmem_map_words() - longs in the map of a node
 * @nr_pages: pages in the node
 *
 * Return: the number of unsigned longs bootmem_init() writes.
 */
unsigned long bootmem_map_words(unsigned long nr_pages)
{
	return BITS_TO_LONGS(nr_pages);
}

/**
 * bootmem_map_pages() - pages the map of a node occupies inside the node
 * @nr_pages: pages in the node
 *
 * Return: whole pages holding bootmem_map_words() longs.
 */
unsigned long bootmem_map_pages(unsigned long nr_pages)
{
	return DIV_ROUND_UP(bootmem_map_words(nr_pages) * sizeof(long),
			    PAGE_SIZE);
}

/**
 * bootmem_init() - set up a node with every page reserved
 * @node: the node
 * @map: bootmem_map_words(@nr_pages) longs, in pages @map_start onwards
 * @nr_pages: pages in the node, 1 .. BOOTMEM_MAX_PAGES
 * @map_start: first page of the node that holds @map
 *
 * As init_bootmem_core(): all pages start reserved and the owner frees the
 * usable ones. The map's own pages can never be freed.
 *
 * Return: 0, or -EINVAL when the map does not fit inside the node.
 */
int bootmem_init(struct bootmem_node *node, unsigned long *map,
		 unsigned long nr_pages, unsigned long map_start)
{
	unsigned long map_pages = bootmem_map_pages(nr_pages);

	if (!map || !nr_pages || nr_pages > BOOTMEM_MAX_PAGES ||
	    map_start >= nr_pages || map_pages > nr_pages - map_start)
		return -EINVAL;

	memset(node, 0, sizeof(*node));
	memset(map, 0xff, bootmem_map_words(nr_pages) * sizeof(long));
	node->map = map;
	node->nr_pages = nr_pages;
	node->map_start = map_start;
	node->map_pages = map_pages;
	node->nr_reserved = nr_pages;
	return 0;
}

static int bootmem_check(struct bootmem_node *node, u64 addr, u64 size)
{
	u64 end;

	if (!node->map)
		return node->retired ? -ESHUTDOWN : -ENODEV;
	if (!size || check_add_overflow(addr, size, &end) ||
	    end > bootmem_bytes(node)) {
		node->stats.invalid++;
		return -EINVAL;
	}
	return 0;
}

/* Make [sidx, eidx) free; refused whole if a page in it is free already. */
static int bootmem_clear(struct bootmem_node *node, unsigned long sidx,
			 unsigned long eidx, unsigned long *freed)
{
	unsigned long n, last;

	if (sidx >= eidx)
		return 0;
	/* The seed BUG()ed on the first such page; refuse the call instead. */
	if (bm_next_zero(node->map, sidx, eidx) < eidx) {
		node->stats.double_frees++;
		return -EALREADY;
	}
	n = bm_range_outside_map(node, sidx, eidx, BM_CLEAR);
	node->nr_reserved -= n;
	node->stats.pages_freed += n;
	*freed = n;

	if (node->hint_idx > sidx)
		node->hint_idx = sidx;
	/* Nothing may be packed into a page that is free now. */
	last = PFN_DOWN(node->last_end_off);
	if ((node->last_end_off & (PAGE_SIZE - 1)) && sidx <= last &&
	    last < eidx)
		node->last_end_off = 0;
	return 0;
}

/**
 * bootmem_free() - free_bootmem(): make the whole pages of a range free
 * @node: the node
 * @addr: first byte
 * @size: bytes
 * @freed: set to the number of pages made free
 *
 * Rounds inwards: a partly covered page stays reserved. The map's pages
 * are skipped. If any page of the rounded range is free already, nothing
 * changes and the call fails (the seed called BUG()).
 *
 * Return: 0, -EINVAL (empty or outside the node), -EALREADY (double free),
 * -ENODEV (no node) or -ESHUTDOWN (retired).
 */
int bootmem_free(struct bootmem_node *node, u64 addr, u64 size,
		 unsigned long *freed)
{
	int ret;

	*freed = 0;
	ret = bootmem_check(node, addr, size);
	if (ret)
		return ret;
	ret = bootmem_clear(node, PFN_UP(addr), PFN_DOWN(addr + size), freed);
	if (!ret)
		node->stats.range_frees++;
	return ret;
}

/**
 * bootmem_free_alloc() - give back what bootmem_alloc() took
 * @node: the node
 * @addr: address bootmem_alloc() returned
 * @size: size passed to bootmem_alloc()
 * @freed: set to the number of pages made free
 *
 * An allocation owns the pages whose bit it set: all the pages it touches
 * except the first when it was packed into the previous allocation's last
 * page. That is [PFN_UP(@addr), PFN_UP(@addr + @size)); its own last page
 * goes back even if only partly used, unlike bootmem_free(). The map keeps
 * no allocation records: a later allocation packed into that last page
 * does not keep it reserved, so free packed neighbours together.
 *
 * Return: as bootmem_free(); -EINVAL also when the range covers map pages.
 */
int bootmem_free_alloc(struct bootmem_node *node, u64 addr, u64 size,
		       unsigned long *freed)
{
	unsigned long sidx, eidx;
	int ret;

	*freed = 0;
	ret = bootmem_check(node, addr, size);
	if (ret)
		return ret;
	sidx = PFN_UP(addr);
	eidx = PFN_UP(addr + size);
	if (bm_overlaps_map(node, sidx, eidx)) {
		node->stats.invalid++;
		return -EINVAL;
	}
	ret = bootmem_clear(node, sidx, eidx, freed);
	if (!ret)
		node->stats.alloc_frees++;
	return ret;
}

/**
 * bootmem_reserve() - reserve_bootmem(): make every page of a range reserved
 * @node: the node
 * @addr: first byte
 * @size: bytes
 * @reserved: set to the number of pages made reserved
 * @twice: set to the number of pages that were reserved already ("reserved
 *	twice" in the seed); the map's own pages are not counted
 *
 * Rounds outwards: a partly covered page becomes reserved.
 *
 * Return: 0, -EINVAL, -ENODEV or -ESHUTDOWN.
 */
int bootmem_reserve(struct bootmem_node *node, u64 addr, u64 size,
		    unsigned long *reserved, unsigned long *twice)
{
	unsigned long sidx, eidx;
	int ret;

	*reserved = 0;
	*twice = 0;
	ret = bootmem_check(node, addr, size);
	if (ret)
		return ret;
	sidx = PFN_DOWN(addr);
	eidx = PFN_UP(addr + size);
	*twice = bm_range_outside_map(node, sidx, eidx, BM_COUNT);
	*reserved = bm_range_outside_map(node, sidx, eidx, BM_SET);
	node->nr_reserved += *reserved;
	node->stats.reserves++;
	node->stats.pages_reserved += *reserved;
	node->stats.reserved_twice += *twice;
	return 0;
}

/*
 * First aligned index in [from, upto) where @pages free pages start, or
 * nr_pages. @from is a multiple of @step.
 */
static unsigned long bm_find(const struct bootmem_node *node,
			     unsigned long from, unsigned long upto,
			     unsigned long pages, unsigned long step)
{
	unsigned long n = node->nr_pages, idx = from, busy;

	upto = min(upto, n - pages + 1);
	while (idx < upto) {
		idx = ALIGN(bm_next_zero(node->map, idx, n), step);
		if (idx >= upto)
			break;
		busy = bm_next_set(node->map, idx, idx + pages);
		if (busy == idx + pages)
			return idx;
		/* Every candidate up to @busy contains it. */
		idx = busy + 1;
	}
	return n;
}

/**
 * bootmem_alloc() - __alloc_bootmem_core(): first fit from a goal
 * @node: the node
 * @size: bytes, > 0
 * @align: power of two, in bytes
 * @goal: preferred lowest address; 0 or outside the node means page 0
 * @addr: set to the address allocated
 *
 * Scans for @size bytes of free pages at @align-aligned pages: first from
 * the next-fit hint (the page after the previous allocation, lowered by
 * every free) when it lies above @goal, then from @goal, then from page 0,
 * as the 2.6.27 bootmem did with its hint and its goal retry. When the
 * area found starts right after the previous allocation's partly used last
 * page, the allocation starts in that page at the next @align boundary
 * (last_end_off packing): small allocations share pages.
 *
 * Return: 0, -EINVAL (bad size or align), -ENOMEM (no room), -ENODEV or
 * -ESHUTDOWN.
 */
int bootmem_alloc(struct bootmem_node *node, u64 size, u64 align, u64 goal,
		  u64 *addr)
{
	unsigned long n = node->nr_pages, pages, step, start, sidx, idx;
	u64 bytes = bootmem_bytes(node), start_off, end_off;
	unsigned long got;
	bool merge;

	if (!node->map)
		return node->retired ? -ESHUTDOWN : -ENODEV;
	if (!size || !align || (align & (align - 1))) {
		node->stats.invalid++;
		return -EINVAL;
	}
	if (size > bytes) {
		node->stats.alloc_failures++;
		return -ENOMEM;
	}
	pages = PFN_UP(size);
	/* Past the node's size every alignment admits page 0 only. */
	align = min_t(u64, align, 1ULL << fls64(bytes - 1));
	step = max_t(u64, align >> PAGE_SHIFT, 1);

	start = 0;
	if ((goal >> PAGE_SHIFT) && (goal >> PAGE_SHIFT) < n)
		start = ALIGN((unsigned long)(goal >> PAGE_SHIFT), step);
	sidx = start;
	if (node->hint_idx > start)
		sidx = ALIGN(node->hint_idx, step);

	idx = bm_find(node, sidx, n, pages, step);
	if (idx == n && sidx != start)
		idx = bm_find(node, start, sidx, pages, step);
	if (idx == n && start)
		idx = bm_find(node, 0, start, pages, step);
	if (idx == n) {
		node->stats.alloc_failures++;
		return -ENOMEM;
	}

	if ((node->last_end_off & (PAGE_SIZE - 1)) &&
	    PFN_DOWN(node->last_end_off) + 1 == idx)
		start_off = ALIGN(node->last_end_off, align);
	else
		start_off = (u64)idx << PAGE_SHIFT;
	merge = PFN_DOWN(start_off) < idx;
	end_off = start_off + size;

	got = bm_range(node->map, PFN_DOWN(start_off) + merge,
		       PFN_UP(end_off), BM_SET);
	WARN_ON_ONCE(got != PFN_UP(end_off) - PFN_DOWN(start_off) - merge);
	node->nr_reserved += got;
	node->last_end_off = end_off;
	node->hint_idx = PFN_UP(end_off);
	node->stats.allocs++;
	node->stats.alloc_bytes += size;
	node->stats.alloc_pages += got;
	node->stats.alloc_packed += merge;
	*addr = start_off;
	return 0;
}

/**
 * bootmem_retire() - free_all_bootmem_core(): hand every free page out
 * @node: the node
 * @fn: receives the blocks
 * @ctx: passed to @fn
 *
 * A map word whose pages are all free goes out as one block of order
 * BOOTMEM_WORD_ORDER, other free pages one by one. Each page handed out
 * is marked reserved, so when @fn fails the node stays consistent and
 * usable. On success the node is retired: @node->map is no longer used
 * and the caller may release the map pages (@node->map_start onwards).
 *
 * Return: 0, the error of @fn, -ENODEV or -ESHUTDOWN.
 */
int bootmem_retire(struct bootmem_node *node, bootmem_retire_fn fn,
		   void *ctx)
{
	unsigned long w, base, bit, word;
	int ret;

	if (!node->map)
		return node->retired ? -ESHUTDOWN : -ENODEV;
	for (w = 0; w < bootmem_map_words(node->nr_pages); w++) {
		base = w * BITS_PER_LONG;
		word = node->map[w];
		/* Bits past the node are set: a last partial word is never 0. */
		if (!word) {
			ret = fn(ctx, base, BOOTMEM_WORD_ORDER);
			if (ret)
				return ret;
			node->map[w] = ~0UL;
			node->nr_reserved += BITS_PER_LONG;
			node->stats.retired_pages += BITS_PER_LONG;
			node->stats.retired_blocks++;
			continue;
		}
		while (~word) {
			bit = ffz(word);
			if (WARN_ON_ONCE(base + bit >= node->nr_pages))
				break;
			ret = fn(ctx, base + bit, 0);
			if (ret)
				return ret;
			word |= 1UL << bit;
			node->map[w] = word;
			node->nr_reserved++;
			node->stats.retired_pages++;
		}
	}
	node->map = NULL;
	node->retired = true;
	return 0;
}
