// SPDX-License-Identifier: GPL-2.0
/*
 * mmscope's buddy allocator: the algorithm (see buddy_core.h).
 *
 * Names follow mm/page_alloc.c: free_area[order], expand() splitting a
 * block down to the requested order, __free_one_page() merging a freed
 * block with its buddy, found by flipping bit @order of the block's index
 * (idx ^ (1 << order)), for as long as the buddy is free at the same
 * order. Indices are relative to the range, which is aligned to its own
 * order, so they flip the same bit a pfn would.
 */
#include "buddy_core.h"

#define MMS_BUDDY_HASH_MIN_BITS	4
#define MMS_BUDDY_HASH_MAX_BITS	20

static inline unsigned long order_mask(unsigned int order)
{
	return (1UL << order) - 1;
}

static inline unsigned long range_nr_pages(const struct mms_buddy_range *r)
{
	return 1UL << r->order;
}

static inline unsigned int chunk_order(const struct mms_buddy_core *core)
{
	return core->nr_orders - 1;
}

/* ---- range lookup: buckets keyed by (aligned base, order) ------------- */

static unsigned int hash_slot(const struct mms_buddy_core *core,
			      unsigned long base, unsigned int order)
{
	u64 key = ((u64)(base >> order) << 4) | order;

	/* Multiplicative hashing, as hash_64() does. */
	return (unsigned int)((key * 0x61C8864680B583EBULL) >>
			      (64 - core->hash_bits));
}

static struct mms_buddy_range *hash_find(const struct mms_buddy_core *core,
					 unsigned long base, unsigned int order)
{
	struct mms_buddy_range *r = core->hash[hash_slot(core, base, order)];

	for (; r; r = r->hash_next)
		if (r->base_pfn == base && r->order == order)
			return r;
	return NULL;
}

static void hash_add(struct mms_buddy_core *core, struct mms_buddy_range *r)
{
	unsigned int slot = hash_slot(core, r->base_pfn, r->order);

	r->hash_next = core->hash[slot];
	core->hash[slot] = r;
}

static void hash_del(struct mms_buddy_core *core, struct mms_buddy_range *r)
{
	struct mms_buddy_range **pp;

	pp = &core->hash[hash_slot(core, r->base_pfn, r->order)];
	while (*pp && *pp != r)
		pp = &(*pp)->hash_next;
	if (WARN_ON_ONCE(!*pp))
		return;
	*pp = r->hash_next;
	r->hash_next = NULL;
}

/*
 * The range holding @pfn. Ranges are naturally aligned and never overlap,
 * so at most one order can match: chunks first (the common case), then
 * only the orders some adopted range has.
 */
static struct mms_buddy_range *range_of(const struct mms_buddy_core *core,
					unsigned long pfn)
{
	unsigned int order = chunk_order(core);
	struct mms_buddy_range *r;

	r = hash_find(core, pfn & ~order_mask(order), order);
	if (r || !core->nr_adopted)
		return r;
	while (order-- > 0) {
		if (!core->adopted_per_order[order])
			continue;
		r = hash_find(core, pfn & ~order_mask(order), order);
		if (r)
			return r;
	}
	return NULL;
}

/* Does [base, base + 2^order) share a frame with a range held? */
static bool range_overlaps(const struct mms_buddy_core *core,
			   unsigned long base, unsigned int order)
{
	unsigned long end = base + (1UL << order), b;
	unsigned int j;

	/* A range as large or larger must contain @base. */
	if (range_of(core, base))
		return true;
	/* Smaller ones can only be adopted ones, at aligned places inside. */
	for (j = 0; j < order; j++) {
		if (!core->adopted_per_order[j])
			continue;
		for (b = base; b < end; b += 1UL << j)
			if (hash_find(core, b, j))
				return true;
	}
	return false;
}

/* ---- free lists ------------------------------------------------------- */

static void add_to_free_list(struct mms_buddy_core *core,
			     struct mms_buddy_range *r, unsigned long idx,
			     unsigned int order, bool tail)
{
	struct mms_buddy_page *p = &r->pages[idx];
	struct mms_buddy_free_area *area = &core->free_area[order];

	p->order = order;
	WRITE_ONCE(p->state, MMS_BP_FREE);
	if (tail)
		list_add_tail(&p->list, &area->free_list);
	else
		list_add(&p->list, &area->free_list);
	area->nr_free++;
	r->nr_free += 1UL << order;
	core->pages_free += 1UL << order;
	if (r->kind == MMS_BUDDY_CHUNK && order == r->order)
		core->nr_empty++;
}

static void del_from_free_list(struct mms_buddy_core *core,
			       struct mms_buddy_range *r,
			       struct mms_buddy_page *p)
{
	unsigned int order = p->order;

	if (r->kind == MMS_BUDDY_CHUNK && order == r->order)
		core->nr_empty--;
	list_del(&p->list);
	core->free_area[order].nr_free--;
	r->nr_free -= 1UL << order;
	core->pages_free -= 1UL << order;
	WRITE_ONCE(p->state, MMS_BP_TAIL);
}

/* ---- ranges ----------------------------------------------------------- */

static struct mms_buddy_range *range_alloc(struct mms_buddy_core *core,
					   unsigned int order)
{
	struct mms_buddy_range *r;
	unsigned long i, n = 1UL << order;

	r = core->ops->meta_alloc(core->priv, sizeof(*r) +
				  n * sizeof(r->pages[0]));
	if (!r)
		return NULL;
	r->order = order;
	INIT_LIST_HEAD(&r->node);
	for (i = 0; i < n; i++) {
		INIT_LIST_HEAD(&r->pages[i].list);
		r->pages[i].idx = (u16)i;
	}
	return r;
}

/* Make a range, entirely free, part of the allocator. */
static void range_insert(struct mms_buddy_core *core,
			 struct mms_buddy_range *r)
{
	r->id = core->next_id++;
	r->nr_free = 0;
	list_add_tail(&r->node, &core->ranges);
	hash_add(core, r);
	core->pages_held += range_nr_pages(r);
	if (r->kind == MMS_BUDDY_CHUNK) {
		core->nr_chunks++;
		core->stats.chunks_taken++;
		/* Fresh chunks queue behind blocks already split. */
		add_to_free_list(core, r, 0, r->order, true);
	} else {
		core->adopted_per_order[r->order]++;
		core->nr_adopted++;
		core->pages_adopted += range_nr_pages(r);
		core->stats.ranges_adopted++;
		/* Foreign pages are used first, so they can go home sooner. */
		add_to_free_list(core, r, 0, r->order, false);
	}
}

/* Detach an entirely free range onto @released for the caller to destroy. */
static void range_release(struct mms_buddy_core *core,
			  struct mms_buddy_range *r, struct list_head *released)
{
	del_from_free_list(core, r, &r->pages[0]);
	/* Detached, it is still one free block to mms_buddy_core_range_destroy(). */
	WRITE_ONCE(r->pages[0].state, MMS_BP_FREE);
	r->nr_free = range_nr_pages(r);
	hash_del(core, r);
	list_move_tail(&r->node, released);
	core->pages_held -= range_nr_pages(r);
	if (r->kind == MMS_BUDDY_CHUNK) {
		core->nr_chunks--;
		core->stats.chunks_returned++;
	} else {
		core->adopted_per_order[r->order]--;
		core->nr_adopted--;
		core->pages_adopted -= range_nr_pages(r);
		core->stats.adopted_pages_returned += range_nr_pages(r);
	}
}

/* ---- allocation ------------------------------------------------------- */

/*
 * Split a free block of order @high at @idx down to order @low: the upper
 * half goes back on the free list at each step, the lower half is kept.
 */
static void expand(struct mms_buddy_core *core, struct mms_buddy_range *r,
		   unsigned long idx, unsigned int low, unsigned int high)
{
	unsigned long size = 1UL << high;

	while (high > low) {
		core->stats.splits[high]++;
		high--;
		size >>= 1;
		add_to_free_list(core, r, idx + size, high, false);
	}
}

/* Take the smallest free block of at least @order and split it down. */
static struct mms_buddy_page *rmqueue_smallest(struct mms_buddy_core *core,
					       unsigned int order, u8 state)
{
	unsigned int o;

	for (o = order; o < core->nr_orders; o++) {
		struct mms_buddy_free_area *area = &core->free_area[o];
		struct mms_buddy_range *r;
		struct mms_buddy_page *p;
		unsigned long idx;

		if (list_empty(&area->free_list))
			continue;
		p = list_first_entry(&area->free_list, struct mms_buddy_page,
				     list);
		r = mms_buddy_page_range(p);
		idx = p->idx;
		del_from_free_list(core, r, p);
		expand(core, r, idx, order, o);
		/* A cached page stays pristine until the cache hands it out. */
		if (state == MMS_BP_ALLOC) {
			unsigned long i;

			for (i = 0; i < (1UL << order); i++)
				r->pages[idx + i].pristine = false;
		}
		p->order = order;
		WRITE_ONCE(p->state, state);
		core->stats.allocs[order]++;
		return p;
	}
	return NULL;
}

/**
 * mms_buddy_core_alloc() - allocate a block of 2^@order frames
 * @core: the allocator
 * @order: 0 .. nr_orders - 1
 *
 * Does not take new chunks: on NULL the caller may grow
 * (mms_buddy_core_grow_begin()) and retry, or give up and call
 * mms_buddy_core_alloc_failed().
 *
 * Return: metadata of the block's first frame, or NULL.
 */
struct mms_buddy_page *mms_buddy_core_alloc(struct mms_buddy_core *core,
					    unsigned int order)
{
	if (order >= core->nr_orders)
		return NULL;
	return rmqueue_smallest(core, order, MMS_BP_ALLOC);
}

/**
 * mms_buddy_core_alloc_failed() - count an allocation given up on
 * @core: the allocator
 * @order: the order asked for
 */
void mms_buddy_core_alloc_failed(struct mms_buddy_core *core,
				 unsigned int order)
{
	if (order < core->nr_orders)
		core->stats.alloc_failures[order]++;
}

/* ---- freeing ---------------------------------------------------------- */

/* A fully free range: give back all but @spare_chunks empty chunks. */
static void range_now_free(struct mms_buddy_core *core,
			   struct mms_buddy_range *r, struct list_head *released)
{
	if (r->kind == MMS_BUDDY_CHUNK) {
		if (core->nr_empty > core->spare_chunks)
			range_release(core, r, released);
	} else {
		/* Adopted pages served and all free again go home. */
		range_release(core, r, released);
	}
}

/*
 * Free the block of order @order at @idx and merge it with its buddy for
 * as long as the buddy is a free block of the same order.
 */
static void __free_one_page(struct mms_buddy_core *core,
			    struct mms_buddy_range *r, unsigned long idx,
			    unsigned int order, struct list_head *released)
{
	core->stats.frees[order]++;
	WRITE_ONCE(r->pages[idx].state, MMS_BP_TAIL);
	while (order < r->order) {
		unsigned long buddy_idx = idx ^ (1UL << order);
		struct mms_buddy_page *buddy = &r->pages[buddy_idx];

		if (READ_ONCE(buddy->state) != MMS_BP_FREE ||
		    buddy->order != order)
			break;
		del_from_free_list(core, r, buddy);
		core->stats.merges[order]++;
		idx &= buddy_idx;
		order++;
	}
	add_to_free_list(core, r, idx, order, false);
	if (order == r->order)
		range_now_free(core, r, released);
}

/* The head of the block holding the tail frame @idx, or -1 if none. */
static long block_head(const struct mms_buddy_range *r, unsigned long idx)
{
	unsigned int j;

	for (j = 1; j <= r->order; j++) {
		unsigned long h = idx & ~order_mask(j);
		const struct mms_buddy_page *p = &r->pages[h];

		if (READ_ONCE(p->state) != MMS_BP_TAIL && p->order >= j)
			return (long)h;
	}
	return -1;
}

/*
 * May @pfn be freed as a block of @order? Find its range and tell a
 * refusal's kind apart, without changing anything but the counters.
 */
static int check_free(struct mms_buddy_core *core, unsigned long pfn,
		      unsigned int order, struct mms_buddy_range **rangep)
{
	enum mms_buddy_bad_free bad;
	struct mms_buddy_range *r;
	struct mms_buddy_page *p;
	unsigned long idx;
	long head;

	r = range_of(core, pfn);
	if (!r) {
		bad = MMS_BUDDY_BAD_FOREIGN;
		goto refuse;
	}
	idx = pfn - r->base_pfn;
	p = &r->pages[idx];
	switch (READ_ONCE(p->state)) {
	case MMS_BP_ALLOC:
		if (p->order == order) {
			*rangep = r;
			return 0;
		}
		bad = MMS_BUDDY_BAD_ORDER;
		break;
	case MMS_BP_FREE:
	case MMS_BP_CACHED:
		bad = MMS_BUDDY_BAD_DOUBLE;
		break;
	default:
		head = block_head(r, idx);
		if (WARN_ON_ONCE(head < 0))
			bad = MMS_BUDDY_BAD_TAIL;
		else if (READ_ONCE(r->pages[head].state) == MMS_BP_ALLOC)
			bad = MMS_BUDDY_BAD_TAIL;
		else
			bad = MMS_BUDDY_BAD_DOUBLE;
		break;
	}
refuse:
	core->stats.bad_free[bad]++;
	core->last_bad = bad;
	return -EINVAL;
}

/**
 * mms_buddy_core_free() - free a block and merge it with its buddies
 * @core: the allocator
 * @pfn: first frame of the block, as allocated
 * @order: order it was allocated with
 * @released: ranges that became entirely free and left the allocator are
 *	moved here; the caller passes each to mms_buddy_core_range_destroy()
 *	outside its lock
 *
 * A double free, a frame not owned, a wrong order or a frame inside a
 * block are refused and counted in stats.bad_free; nothing else changes.
 *
 * Return: 0, or -EINVAL if refused.
 */
int mms_buddy_core_free(struct mms_buddy_core *core, unsigned long pfn,
			unsigned int order, struct list_head *released)
{
	struct mms_buddy_range *r;
	int ret;

	ret = check_free(core, pfn, order, &r);
	if (ret)
		return ret;
	__free_one_page(core, r, pfn - r->base_pfn, order, released);
	return 0;
}

/* ---- the per-CPU cache's side ----------------------------------------- */

/**
 * mms_buddy_core_alloc_cached() - allocate a frame for a per-CPU cache
 * @core: the allocator
 *
 * Return: an order-0 frame in state MMS_BP_CACHED, or NULL.
 */
struct mms_buddy_page *mms_buddy_core_alloc_cached(struct mms_buddy_core *core)
{
	return rmqueue_smallest(core, 0, MMS_BP_CACHED);
}

/**
 * mms_buddy_core_cache() - park a freed order-0 frame in a per-CPU cache
 * @core: the allocator
 * @pfn: the frame, as allocated with order 0
 * @pagep: its metadata, for mms_buddy_core_uncache()/_free_cached()
 *
 * Validates exactly as mms_buddy_core_free() does, so a double free of a
 * cached frame is refused too.
 *
 * Return: 0, or -EINVAL if refused (counted).
 */
int mms_buddy_core_cache(struct mms_buddy_core *core, unsigned long pfn,
			 struct mms_buddy_page **pagep)
{
	struct mms_buddy_range *r;
	struct mms_buddy_page *p;
	int ret;

	ret = check_free(core, pfn, 0, &r);
	if (ret)
		return ret;
	p = &r->pages[pfn - r->base_pfn];
	WRITE_ONCE(p->state, MMS_BP_CACHED);
	*pagep = p;
	return 0;
}

/**
 * mms_buddy_core_uncache() - hand a cached frame out again
 * @page: a frame in state MMS_BP_CACHED owned by the calling cache
 *
 * Context: needs only the cache's own exclusion, not the core's: nothing
 * but the owning cache changes a cached frame's state or @pristine, and
 * its range cannot go away while the frame is not free.
 * Return: whether the frame was pristine (never handed out since its
 * chunk was taken from the page source); it is not any more.
 */
bool mms_buddy_core_uncache(struct mms_buddy_page *page)
{
	bool pristine = page->pristine;

	if (WARN_ON_ONCE(READ_ONCE(page->state) != MMS_BP_CACHED))
		return false;
	page->pristine = false;
	WRITE_ONCE(page->state, MMS_BP_ALLOC);
	return pristine;
}

/**
 * mms_buddy_core_free_cached() - return a cached frame to the free lists
 * @core: the allocator
 * @page: a frame in state MMS_BP_CACHED
 * @released: as for mms_buddy_core_free()
 */
void mms_buddy_core_free_cached(struct mms_buddy_core *core,
				struct mms_buddy_page *page,
				struct list_head *released)
{
	if (WARN_ON_ONCE(READ_ONCE(page->state) != MMS_BP_CACHED))
		return;
	__free_one_page(core, mms_buddy_page_range(page), page->idx, 0,
			released);
}

/* ---- growing: chunks from the page source ----------------------------- */

/**
 * mms_buddy_core_grow_begin() - may one more chunk be taken?
 * @core: the allocator
 *
 * Counts the chunk as being taken, so that concurrent growers respect the
 * limit; every true return must be matched by mms_buddy_core_grow_end().
 *
 * Return: true if below the chunk limit.
 */
bool mms_buddy_core_grow_begin(struct mms_buddy_core *core)
{
	if (core->nr_chunks + core->nr_growing >= core->max_chunks)
		return false;
	core->nr_growing++;
	return true;
}

/**
 * mms_buddy_core_chunk_new() - take a chunk from the page source
 * @core: the allocator
 *
 * Context: outside the caller's lock; may sleep (page source, metadata).
 * Return: a range not yet part of the allocator, or NULL.
 */
struct mms_buddy_range *mms_buddy_core_chunk_new(struct mms_buddy_core *core)
{
	unsigned int order = chunk_order(core);
	struct mms_buddy_range *r;
	unsigned long pfn, i;

	r = range_alloc(core, order);
	if (!r)
		return NULL;
	if (core->ops->chunk_get(core->priv, order, &pfn))
		goto err_meta;
	if (WARN_ON_ONCE(pfn & order_mask(order))) {
		core->ops->chunk_put(core->priv, order, pfn);
		goto err_meta;
	}
	r->base_pfn = pfn;
	r->kind = MMS_BUDDY_CHUNK;
	for (i = 0; i < range_nr_pages(r); i++)
		r->pages[i].pristine = true;
	/*
	 * Until mms_buddy_core_grow_end() takes it, one free block, as a
	 * released range is: a chunk it refuses is destroyed whole.
	 */
	r->pages[0].order = order;
	r->pages[0].state = MMS_BP_FREE;
	r->nr_free = range_nr_pages(r);
	return r;

err_meta:
	core->ops->meta_free(core->priv, r);
	return NULL;
}

/**
 * mms_buddy_core_grow_end() - add a chunk from mms_buddy_core_chunk_new()
 * @core: the allocator
 * @chunk: the new chunk, or NULL if taking it failed
 *
 * Return: 0 if @chunk joined the allocator; -ENOMEM if @chunk is NULL;
 * -EAGAIN if another grower's empty chunk made it unnecessary, or -EEXIST
 * if it overlaps memory held: then the caller destroys @chunk with
 * mms_buddy_core_range_destroy() and retries its allocation.
 */
int mms_buddy_core_grow_end(struct mms_buddy_core *core,
			    struct mms_buddy_range *chunk)
{
	core->nr_growing--;
	if (!chunk) {
		core->stats.chunk_failures++;
		return -ENOMEM;
	}
	if (core->nr_empty)
		return -EAGAIN;
	/* The page source handed out frames it had given us already. */
	if (WARN_ON_ONCE(range_overlaps(core, chunk->base_pfn, chunk->order)))
		return -EEXIST;
	range_insert(core, chunk);
	return 0;
}

/**
 * mms_buddy_core_trim() - give back every entirely free chunk
 * @core: the allocator
 * @released: as for mms_buddy_core_free()
 *
 * Return: the number of chunks released, spare ones included.
 */
unsigned int mms_buddy_core_trim(struct mms_buddy_core *core,
				 struct list_head *released)
{
	struct mms_buddy_range *r, *tmp;
	unsigned int n = 0;

	list_for_each_entry_safe(r, tmp, &core->ranges, node) {
		if (r->kind == MMS_BUDDY_CHUNK &&
		    r->nr_free == range_nr_pages(r)) {
			range_release(core, r, released);
			n++;
		}
	}
	return n;
}

/* ---- adopted ranges --------------------------------------------------- */

/**
 * mms_buddy_core_range_new() - metadata for a range to adopt
 * @core: the allocator
 * @pfn: first frame
 * @order: log2 of the number of frames; below nr_orders
 * @rangep: the new range, to pass to mms_buddy_core_adopt()
 *
 * Context: outside the caller's lock; may sleep (metadata).
 * Return: 0, -EINVAL for a bad order, -ENOMEM.
 */
int mms_buddy_core_range_new(struct mms_buddy_core *core, unsigned long pfn,
			     unsigned int order, struct mms_buddy_range **rangep)
{
	struct mms_buddy_range *r;

	if (order >= core->nr_orders)
		return -EINVAL;
	r = range_alloc(core, order);
	if (!r)
		return -ENOMEM;
	r->base_pfn = pfn;
	r->kind = MMS_BUDDY_ADOPTED;
	*rangep = r;
	return 0;
}

/**
 * mms_buddy_core_adopt() - add a range from mms_buddy_core_range_new()
 * @core: the allocator
 * @range: frames handed over; they merge only among themselves and go
 *	back page by page (ops->page_put) once used and entirely free again
 *
 * Return: 0; -EINVAL if not aligned to its order; -EBUSY if it overlaps
 * memory held. On error the caller keeps @range (and its frames) and
 * drops it with mms_buddy_core_range_discard().
 */
int mms_buddy_core_adopt(struct mms_buddy_core *core,
			 struct mms_buddy_range *range)
{
	if (range->order >= core->nr_orders ||
	    (range->base_pfn & order_mask(range->order))) {
		core->stats.adopt_refused++;
		return -EINVAL;
	}
	if (range_overlaps(core, range->base_pfn, range->order)) {
		core->stats.adopt_refused++;
		return -EBUSY;
	}
	range_insert(core, range);
	return 0;
}

/**
 * mms_buddy_core_range_discard() - free a range that never joined
 * @core: the allocator
 * @range: from mms_buddy_core_range_new(); its frames are not touched
 *
 * Context: outside the caller's lock.
 */
void mms_buddy_core_range_discard(struct mms_buddy_core *core,
				  struct mms_buddy_range *range)
{
	core->ops->meta_free(core->priv, range);
}

static void put_block_pages(struct mms_buddy_core *core,
			    const struct mms_buddy_range *r, unsigned long idx,
			    unsigned int order)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		core->ops->page_put(core->priv, r->base_pfn + idx + i);
}

/**
 * mms_buddy_core_range_destroy() - give a released range's frames back
 * @core: the allocator
 * @range: from a release list (or a chunk refused by grow_end)
 *
 * Free frames go back to where they came from: a whole chunk in one
 * ops->chunk_put, anything else frame by frame. Frames still allocated
 * (only possible after mms_buddy_core_fini()) are left alone: someone may
 * still use them.
 *
 * Context: outside the caller's lock.
 * Return: the number of frames left alone.
 */
unsigned long mms_buddy_core_range_destroy(struct mms_buddy_core *core,
					   struct mms_buddy_range *range)
{
	unsigned long n = range_nr_pages(range), idx, kept = 0;

	if (range->kind == MMS_BUDDY_CHUNK && range->nr_free == n) {
		core->ops->chunk_put(core->priv, range->order, range->base_pfn);
	} else if (range->nr_free == n) {
		put_block_pages(core, range, 0, range->order);
	} else {
		for (idx = 0; idx < n; idx += 1UL << range->pages[idx].order) {
			const struct mms_buddy_page *p = &range->pages[idx];

			if (WARN_ON_ONCE(p->state == MMS_BP_TAIL)) {
				kept += n - idx;
				break;
			}
			if (p->state == MMS_BP_FREE)
				put_block_pages(core, range, idx, p->order);
			else
				kept += 1UL << p->order;
		}
	}
	core->ops->meta_free(core->priv, range);
	return kept;
}

/* ---- set-up and teardown ---------------------------------------------- */

/**
 * mms_buddy_core_init() - set up an empty allocator
 * @core: the allocator
 * @ops: page source and metadata allocator
 * @priv: passed to @ops
 * @nr_orders: 1 .. MMS_BUDDY_MAX_ORDERS; chunks are of order nr_orders - 1
 * @max_chunks: most chunks held at once
 * @spare_chunks: entirely free chunks kept rather than returned, so that
 *	alloc/free alternating at a chunk boundary does not thrash
 * @nr_ranges_hint: ranges expected at most (sizes the lookup table)
 *
 * Context: may sleep (ops->meta_alloc).
 * Return: 0, -EINVAL, -ENOMEM.
 */
int mms_buddy_core_init(struct mms_buddy_core *core,
			const struct mms_buddy_ops *ops, void *priv,
			unsigned int nr_orders, unsigned int max_chunks,
			unsigned int spare_chunks, unsigned long nr_ranges_hint)
{
	unsigned int o, bits = MMS_BUDDY_HASH_MIN_BITS;

	memset(core, 0, sizeof(*core));
	if (!nr_orders || nr_orders > MMS_BUDDY_MAX_ORDERS)
		return -EINVAL;
	while (bits < MMS_BUDDY_HASH_MAX_BITS && (1UL << bits) < nr_ranges_hint)
		bits++;
	core->hash = ops->meta_alloc(priv, sizeof(*core->hash) << bits);
	if (!core->hash)
		return -ENOMEM;
	core->hash_bits = bits;
	core->ops = ops;
	core->priv = priv;
	core->nr_orders = nr_orders;
	core->max_chunks = max_chunks;
	core->spare_chunks = spare_chunks;
	INIT_LIST_HEAD(&core->ranges);
	for (o = 0; o < MMS_BUDDY_MAX_ORDERS; o++)
		INIT_LIST_HEAD(&core->free_area[o].free_list);
	return 0;
}

/**
 * mms_buddy_core_fini() - take every range out of the allocator
 * @core: the allocator
 * @released: receives every range, for mms_buddy_core_range_destroy()
 *
 * Return: frames not free (allocated or cached) at this point.
 */
unsigned long mms_buddy_core_fini(struct mms_buddy_core *core,
				  struct list_head *released)
{
	unsigned long busy = core->pages_held - core->pages_free;

	list_splice_tail_init(&core->ranges, released);
	core->ops->meta_free(core->priv, core->hash);
	core->hash = NULL;
	return busy;
}

/* ---- lookup, consistency, statistics ---------------------------------- */

/**
 * mms_buddy_core_lookup() - metadata of a frame held
 * @core: the allocator
 * @pfn: any frame
 *
 * Return: its metadata, or NULL if no range holds @pfn.
 */
struct mms_buddy_page *mms_buddy_core_lookup(struct mms_buddy_core *core,
					     unsigned long pfn)
{
	struct mms_buddy_range *r = range_of(core, pfn);

	return r ? &r->pages[pfn - r->base_pfn] : NULL;
}

static int check_fail(struct mms_buddy_core *core, char *msg, size_t len,
		      const char *what, unsigned long a, unsigned long b)
{
	core->stats.check_failures++;
	if (msg && len)
		snprintf(msg, len, "%s (%lu, %lu)", what, a, b);
	return -EUCLEAN;
}

/* Walk one range block by block; count its free blocks per order. */
static int check_range(struct mms_buddy_core *core,
		       const struct mms_buddy_range *r, unsigned long *nr_free,
		       char *msg, size_t len)
{
	unsigned long n = range_nr_pages(r), idx, t, free_pages = 0;

	if (r->order >= core->nr_orders ||
	    (r->kind == MMS_BUDDY_CHUNK && r->order != chunk_order(core)))
		return check_fail(core, msg, len, "range order", r->id,
				  r->order);
	if (r->base_pfn & order_mask(r->order))
		return check_fail(core, msg, len, "range misaligned", r->id,
				  r->order);
	if (hash_find(core, r->base_pfn, r->order) != r)
		return check_fail(core, msg, len, "range not in lookup", r->id,
				  r->order);
	for (idx = 0; idx < n; idx += 1UL << r->pages[idx].order) {
		const struct mms_buddy_page *p = &r->pages[idx];
		u8 state = READ_ONCE(p->state);
		unsigned int o = p->order;

		if (p->idx != idx)
			return check_fail(core, msg, len, "page index", r->id,
					  idx);
		if (state == MMS_BP_TAIL || state > MMS_BP_CACHED)
			return check_fail(core, msg, len, "no block head",
					  r->id, idx);
		if (o > r->order || (idx & order_mask(o)))
			return check_fail(core, msg, len,
					  "block not aligned to its order",
					  idx, o);
		if (state == MMS_BP_CACHED && o)
			return check_fail(core, msg, len, "cached block order",
					  idx, o);
		for (t = idx + 1; t < idx + (1UL << o); t++)
			if (READ_ONCE(r->pages[t].state) != MMS_BP_TAIL ||
			    r->pages[t].idx != t)
				return check_fail(core, msg, len,
						  "page both in a block and not",
						  idx, t);
		if (state != MMS_BP_FREE)
			continue;
		nr_free[o]++;
		free_pages += 1UL << o;
		if (o < r->order) {
			const struct mms_buddy_page *b;

			b = &r->pages[idx ^ (1UL << o)];
			if (READ_ONCE(b->state) == MMS_BP_FREE && b->order == o)
				return check_fail(core, msg, len,
						  "free buddies not merged",
						  idx, o);
		}
	}
	if (free_pages != r->nr_free)
		return check_fail(core, msg, len, "range free count", r->nr_free,
				  free_pages);
	return 0;
}

/* Every list entry a free head of its order in a range just checked. */
static int check_free_lists(struct mms_buddy_core *core,
			    const unsigned long *nr_free, char *msg, size_t len)
{
	unsigned int o;

	for (o = 0; o < core->nr_orders; o++) {
		const struct mms_buddy_free_area *area = &core->free_area[o];
		const struct mms_buddy_page *p;
		unsigned long n = 0;

		if (area->nr_free != nr_free[o])
			return check_fail(core, msg, len,
					  "free_area count vs blocks",
					  area->nr_free, nr_free[o]);
		list_for_each_entry(p, &area->free_list, list) {
			const struct mms_buddy_range *r;

			/* More entries than free heads: a loop or a stray. */
			if (++n > nr_free[o])
				return check_fail(core, msg, len,
						  "free list too long", o, n);
			r = mms_buddy_page_range(p);
			if (r->check_epoch != core->check_epoch)
				return check_fail(core, msg, len,
						  "free list entry outside ranges",
						  o, p->idx);
			if (READ_ONCE(p->state) != MMS_BP_FREE || p->order != o)
				return check_fail(core, msg, len,
						  "free list entry not free head",
						  o, p->idx);
		}
		if (n != nr_free[o])
			return check_fail(core, msg, len, "free list length",
					  n, nr_free[o]);
	}
	for (; o < MMS_BUDDY_MAX_ORDERS; o++)
		if (!list_empty(&core->free_area[o].free_list))
			return check_fail(core, msg, len,
					  "free list beyond nr_orders", o, 0);
	return 0;
}

/**
 * mms_buddy_core_check() - verify every invariant of the allocator
 * @core: the allocator
 * @msg: receives a description of the first problem found (may be NULL)
 * @len: size of @msg
 *
 * Every free block is aligned to its order and on the list of its order;
 * no free block has a free buddy of the same order; the blocks of each
 * range tile it, so no frame is both free and allocated; list lengths
 * and every counter match what the walk finds; the lookup finds each
 * range; at most spare (or one fresh) entirely free chunks are held.
 *
 * Return: 0, or -EUCLEAN if something is wrong.
 */
int mms_buddy_core_check(struct mms_buddy_core *core, char *msg, size_t len)
{
	unsigned long nr_free[MMS_BUDDY_MAX_ORDERS] = { 0 };
	unsigned long held = 0, adopted_pages = 0, free_pages = 0, buckets = 0;
	unsigned int per_order[MMS_BUDDY_MAX_ORDERS] = { 0 };
	unsigned int chunks = 0, empty = 0, adopted = 0, o;
	struct mms_buddy_range *r;
	unsigned long i;
	int ret;

	core->stats.checks++;
	core->check_epoch++;
	list_for_each_entry(r, &core->ranges, node) {
		ret = check_range(core, r, nr_free, msg, len);
		if (ret)
			return ret;
		r->check_epoch = core->check_epoch;
		held += range_nr_pages(r);
		free_pages += r->nr_free;
		if (r->kind == MMS_BUDDY_CHUNK) {
			chunks++;
			empty += r->nr_free == range_nr_pages(r);
		} else {
			adopted++;
			per_order[r->order]++;
			adopted_pages += range_nr_pages(r);
		}
	}
	ret = check_free_lists(core, nr_free, msg, len);
	if (ret)
		return ret;
	if (chunks != core->nr_chunks || chunks > core->max_chunks)
		return check_fail(core, msg, len, "chunks held", core->nr_chunks,
				  chunks);
	if (empty != core->nr_empty || empty > max(core->spare_chunks, 1U))
		return check_fail(core, msg, len, "empty chunks", core->nr_empty,
				  empty);
	if (adopted != core->nr_adopted)
		return check_fail(core, msg, len, "adopted ranges",
				  core->nr_adopted, adopted);
	for (o = 0; o < core->nr_orders; o++)
		if (per_order[o] != core->adopted_per_order[o])
			return check_fail(core, msg, len,
					  "adopted ranges of order", o,
					  per_order[o]);
	if (held != core->pages_held || adopted_pages != core->pages_adopted ||
	    free_pages != core->pages_free)
		return check_fail(core, msg, len, "page counts", held,
				  free_pages);
	for (i = 0; i < (1UL << core->hash_bits); i++)
		for (r = core->hash[i]; r; r = r->hash_next)
			if (++buckets > chunks + adopted ||
			    r->check_epoch != core->check_epoch)
				return check_fail(core, msg, len,
						  "stale lookup entry", i,
						  buckets);
	if (buckets != chunks + adopted)
		return check_fail(core, msg, len, "lookup entries", buckets,
				  chunks + adopted);
	return 0;
}

/**
 * mms_buddy_core_snapshot() - copy counts and counters
 * @core: the allocator
 * @info: receives them
 */
void mms_buddy_core_snapshot(struct mms_buddy_core *core,
			     struct mms_buddy_core_info *info)
{
	unsigned int o;

	memset(info, 0, sizeof(*info));
	info->nr_orders = core->nr_orders;
	for (o = 0; o < core->nr_orders; o++)
		info->nr_free[o] = core->free_area[o].nr_free;
	info->nr_chunks = core->nr_chunks;
	info->nr_empty = core->nr_empty;
	info->max_chunks = core->max_chunks;
	info->nr_adopted = core->nr_adopted;
	info->pages_held = core->pages_held;
	info->pages_adopted = core->pages_adopted;
	info->pages_free = core->pages_free;
	info->stats = core->stats;
}

/* ---- fragmentation indices, as mm/vmstat.c computes them -------------- */

struct contig_page_info {
	unsigned long free_pages;
	unsigned long free_blocks_total;
	unsigned long free_blocks_suitable;
};

static void fill_contig_page_info(const unsigned long *nr_free,
				  unsigned int nr_orders,
				  unsigned int suitable_order,
				  struct contig_page_info *info)
{
	unsigned int order;

	memset(info, 0, sizeof(*info));
	for (order = 0; order < nr_orders; order++) {
		unsigned long blocks = nr_free[order];

		info->free_blocks_total += blocks;
		info->free_pages += blocks << order;
		if (order >= suitable_order)
			info->free_blocks_suitable += blocks <<
						      (order - suitable_order);
	}
}

/**
 * mms_buddy_frag_index() - fragmentation index of an order
 * @nr_free: free blocks per order
 * @nr_orders: entries in @nr_free
 * @order: order of a would-be request
 *
 * mm/vmstat.c:__fragmentation_index(): -1000 if a request of @order would
 * succeed; otherwise towards 0 when failing for lack of memory, towards
 * 1000 when failing for fragmentation.
 *
 * Return: the index times 1000.
 */
int mms_buddy_frag_index(const unsigned long *nr_free, unsigned int nr_orders,
			 unsigned int order)
{
	unsigned long requested = 1UL << order;
	struct contig_page_info info;

	if (order >= nr_orders)
		return 0;
	fill_contig_page_info(nr_free, nr_orders, order, &info);
	if (!info.free_blocks_total)
		return 0;
	if (info.free_blocks_suitable)
		return -1000;
	return 1000 - (int)((1000 + info.free_pages * 1000 / requested) /
			    info.free_blocks_total);
}

/**
 * mms_buddy_unusable_index() - unusable free space index of an order
 * @nr_free: free blocks per order
 * @nr_orders: entries in @nr_free
 * @order: order of a would-be request
 *
 * mm/vmstat.c:unusable_free_index(): the share of free memory in blocks
 * too small for @order; 1000 when nothing is free.
 *
 * Return: the index times 1000.
 */
int mms_buddy_unusable_index(const unsigned long *nr_free,
			     unsigned int nr_orders, unsigned int order)
{
	struct contig_page_info info;

	fill_contig_page_info(nr_free, nr_orders, order, &info);
	if (!info.free_pages)
		return 1000;
	return (int)((info.free_pages - (info.free_blocks_suitable << order)) *
		     1000 / info.free_pages);
}
