/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The algorithm of mmscope's buddy allocator, free of kernel glue so that
 * it compiles unchanged into mmscope.ko and into the host tests.
 *
 * Memory is a set of ranges of 2^order naturally aligned page frames:
 * chunks of the largest order taken from a page source on demand, and
 * "adopted" ranges handed over by their owner (bootmem's retire). Pages
 * merge only with pages of their own range. Each range carries its own
 * per-page metadata (struct mms_buddy_page), so nothing depends on
 * struct page.
 *
 * Locking: the caller serialises every call that takes a struct
 * mms_buddy_core, except mms_buddy_core_chunk_new(),
 * mms_buddy_core_range_new(), mms_buddy_core_range_destroy() and
 * mms_buddy_core_uncache(), which may run outside that exclusion (see
 * each). Nothing here sleeps except the page-source and metadata
 * callbacks, which are only called from those four.
 */
#ifndef _MMSCOPE_BUDDY_CORE_H
#define _MMSCOPE_BUDDY_CORE_H

#include "core_shim.h"

/* Upper bound of nr_orders: range indices must fit a u16. */
#define MMS_BUDDY_MAX_ORDERS	16

/* Per-page state, kept only in the page's own metadata. */
enum mms_buddy_state {
	MMS_BP_TAIL = 0,	/* inside a block whose head is another page */
	MMS_BP_FREE,		/* head of a free block, on free_area[order] */
	MMS_BP_ALLOC,		/* head of an allocated block */
	MMS_BP_CACHED,		/* order-0 page parked in a per-CPU cache */
};

/* Why a free was refused; indexes mms_buddy_core_stats.bad_free[]. */
enum mms_buddy_bad_free {
	MMS_BUDDY_BAD_FOREIGN,	/* page not owned by the allocator */
	MMS_BUDDY_BAD_DOUBLE,	/* page already free (or cached) */
	MMS_BUDDY_BAD_ORDER,	/* head of an allocated block of another order */
	MMS_BUDDY_BAD_TAIL,	/* page inside an allocated block, not its head */
	MMS_BUDDY_NR_BAD,
};

enum mms_buddy_range_kind {
	MMS_BUDDY_CHUNK,	/* from the page source; returned whole */
	MMS_BUDDY_ADOPTED,	/* handed over; returned page by page */
};

/**
 * struct mms_buddy_page - metadata of one page frame of a range
 * @list: link in free_area[@order] while the page heads a free block
 * @idx: index of the page in its range (finds the range from a list entry)
 * @order: order of the block the page heads (not meaningful for tails)
 * @state: enum mms_buddy_state; read without the lock by the checker of
 *	a cached page's owner, hence READ_ONCE/WRITE_ONCE
 * @pristine: never handed out since its chunk came from the page source
 *	(whose frames the kernel glue asks to be zero-filled); cleared when
 *	the page is handed out, so a freed page is never pristine
 */
struct mms_buddy_page {
	struct list_head list;
	u16 idx;
	u8 order;
	u8 state;
	bool pristine;
};

/**
 * struct mms_buddy_range - 2^order page frames managed as one buddy tree
 * @base_pfn: first frame, aligned to 2^@order
 * @hash_next: next range in the same lookup bucket
 * @node: in mms_buddy_core.ranges, or on a caller's release list
 * @id: small number naming the range to user space (never a pfn)
 * @order: log2 of the number of frames
 * @kind: enum mms_buddy_range_kind
 * @used: an allocation has been served from it (adopted ranges go back
 *	to their owner only once used and entirely free again)
 * @check_epoch: scratch for the consistency checker
 * @nr_free: free frames in the range
 * @pages: metadata, one per frame
 */
struct mms_buddy_range {
	unsigned long base_pfn;
	struct mms_buddy_range *hash_next;
	struct list_head node;
	unsigned int id;
	u8 order;
	u8 kind;
	bool used;
	unsigned long check_epoch;
	unsigned long nr_free;
	struct mms_buddy_page pages[];
};

/**
 * struct mms_buddy_ops - where memory and metadata come from
 * @chunk_get: provide a naturally aligned block of 2^@order frames, each
 *	its own page (kernel: alloc_pages + split_page); store the first
 *	frame in @pfn. Return 0 or a negative errno. May sleep.
 * @chunk_put: take back a whole block given by @chunk_get.
 * @page_put: take back one frame (adopted frames, and the free frames of
 *	a chunk that cannot go back whole at teardown).
 * @meta_alloc: zeroed metadata memory, or NULL. May sleep.
 * @meta_free: free memory from @meta_alloc.
 */
struct mms_buddy_ops {
	int (*chunk_get)(void *priv, unsigned int order, unsigned long *pfn);
	void (*chunk_put)(void *priv, unsigned int order, unsigned long pfn);
	void (*page_put)(void *priv, unsigned long pfn);
	void *(*meta_alloc)(void *priv, size_t size);
	void (*meta_free)(void *priv, void *p);
};

/**
 * struct mms_buddy_core_stats - event counters, updated under the lock
 * @allocs: blocks allocated, per order
 * @frees: blocks freed, per order
 * @splits: blocks of this order split in two by an allocation
 * @merges: pairs of buddies of this order merged by a free
 * @alloc_failures: allocations refused for lack of memory, per order
 * @bad_free: refused frees, per enum mms_buddy_bad_free
 * @chunks_taken: chunks taken from the page source
 * @chunks_returned: chunks given back to the page source
 * @chunk_failures: page source or metadata allocation failures
 * @ranges_adopted: ranges adopted
 * @adopt_refused: adoptions refused (overlap, alignment, order)
 * @adopted_pages_returned: adopted frames given back to their owner
 * @checks: consistency checks run
 * @check_failures: consistency checks that found a problem
 */
struct mms_buddy_core_stats {
	u64 allocs[MMS_BUDDY_MAX_ORDERS];
	u64 frees[MMS_BUDDY_MAX_ORDERS];
	u64 splits[MMS_BUDDY_MAX_ORDERS];
	u64 merges[MMS_BUDDY_MAX_ORDERS];
	u64 alloc_failures[MMS_BUDDY_MAX_ORDERS];
	u64 bad_free[MMS_BUDDY_NR_BAD];
	u64 chunks_taken;
	u64 chunks_returned;
	u64 chunk_failures;
	u64 ranges_adopted;
	u64 adopt_refused;
	u64 adopted_pages_returned;
	u64 checks;
	u64 check_failures;
};

/**
 * struct mms_buddy_free_area - free blocks of one order
 * @free_list: heads of the free blocks (struct mms_buddy_page.list)
 * @nr_free: number of blocks on @free_list
 */
struct mms_buddy_free_area {
	struct list_head free_list;
	unsigned long nr_free;
};

/**
 * struct mms_buddy_core - one buddy allocator
 * @ops: page source and metadata allocator
 * @priv: passed to @ops
 * @nr_orders: orders 0 .. @nr_orders - 1; chunks have order @nr_orders - 1
 * @max_chunks: most chunks held at once
 * @spare_chunks: entirely free chunks kept rather than returned
 * @free_area: free lists, per order
 * @ranges: every range held
 * @hash: lookup buckets, keyed by (aligned base, order)
 * @hash_bits: log2 of the number of buckets
 * @adopted_per_order: adopted ranges held, per range order
 * @nr_chunks: chunks held
 * @nr_growing: chunks being taken from the page source right now
 * @nr_empty: chunks held that are entirely free
 * @nr_adopted: adopted ranges held
 * @pages_held: frames in all ranges
 * @pages_adopted: frames in adopted ranges
 * @pages_free: frames on the free lists
 * @next_id: id of the next range
 * @check_epoch: bumped by each consistency check
 * @last_bad: enum mms_buddy_bad_free of the latest refused free
 * @stats: event counters
 */
struct mms_buddy_core {
	const struct mms_buddy_ops *ops;
	void *priv;
	unsigned int nr_orders;
	unsigned int max_chunks;
	unsigned int spare_chunks;
	struct mms_buddy_free_area free_area[MMS_BUDDY_MAX_ORDERS];
	struct list_head ranges;
	struct mms_buddy_range **hash;
	unsigned int hash_bits;
	unsigned int adopted_per_order[MMS_BUDDY_MAX_ORDERS];
	unsigned int nr_chunks;
	unsigned int nr_growing;
	unsigned int nr_empty;
	unsigned int nr_adopted;
	unsigned long pages_held;
	unsigned long pages_adopted;
	unsigned long pages_free;
	unsigned int next_id;
	unsigned long check_epoch;
	unsigned int last_bad;
	struct mms_buddy_core_stats stats;
};

/**
 * struct mms_buddy_core_info - a consistent snapshot of a core
 * @nr_orders: as the core's
 * @nr_free: free blocks per order, as /proc/buddyinfo counts them
 * @nr_chunks: chunks held
 * @nr_empty: of those, entirely free
 * @max_chunks: limit of chunks
 * @nr_adopted: adopted ranges held
 * @pages_held: frames held, chunks and adopted
 * @pages_adopted: frames held in adopted ranges
 * @pages_free: frames on the free lists
 * @stats: event counters
 */
struct mms_buddy_core_info {
	unsigned int nr_orders;
	unsigned long nr_free[MMS_BUDDY_MAX_ORDERS];
	unsigned int nr_chunks;
	unsigned int nr_empty;
	unsigned int max_chunks;
	unsigned int nr_adopted;
	unsigned long pages_held;
	unsigned long pages_adopted;
	unsigned long pages_free;
	struct mms_buddy_core_stats stats;
};

int mms_buddy_core_init(struct mms_buddy_core *core,
			const struct mms_buddy_ops *ops, void *priv,
			unsigned int nr_orders, unsigned int max_chunks,
			unsigned int spare_chunks, unsigned long nr_ranges_hint);
unsigned long mms_buddy_core_fini(struct mms_buddy_core *core,
				  struct list_head *released);

struct mms_buddy_page *mms_buddy_core_alloc(struct mms_buddy_core *core,
					    unsigned int order);
void mms_buddy_core_alloc_failed(struct mms_buddy_core *core,
				 unsigned int order);
int mms_buddy_core_free(struct mms_buddy_core *core, unsigned long pfn,
			unsigned int order, struct list_head *released);

bool mms_buddy_core_grow_begin(struct mms_buddy_core *core);
struct mms_buddy_range *mms_buddy_core_chunk_new(struct mms_buddy_core *core);
int mms_buddy_core_grow_end(struct mms_buddy_core *core,
			    struct mms_buddy_range *chunk);

int mms_buddy_core_range_new(struct mms_buddy_core *core, unsigned long pfn,
			     unsigned int order, struct mms_buddy_range **rangep);
int mms_buddy_core_adopt(struct mms_buddy_core *core,
			 struct mms_buddy_range *range);
void mms_buddy_core_range_discard(struct mms_buddy_core *core,
				  struct mms_buddy_range *range);
unsigned long mms_buddy_core_range_destroy(struct mms_buddy_core *core,
					   struct mms_buddy_range *range);
unsigned int mms_buddy_core_trim(struct mms_buddy_core *core,
				 struct list_head *released);

struct mms_buddy_page *mms_buddy_core_alloc_cached(struct mms_buddy_core *core);
int mms_buddy_core_cache(struct mms_buddy_core *core, unsigned long pfn,
			 struct mms_buddy_page **pagep);
bool mms_buddy_core_uncache(struct mms_buddy_page *page);
void mms_buddy_core_free_cached(struct mms_buddy_core *core,
				struct mms_buddy_page *page,
				struct list_head *released);

struct mms_buddy_page *mms_buddy_core_lookup(struct mms_buddy_core *core,
					     unsigned long pfn);
int mms_buddy_core_check(struct mms_buddy_core *core, char *msg, size_t len);
void mms_buddy_core_snapshot(struct mms_buddy_core *core,
			     struct mms_buddy_core_info *info);

int mms_buddy_frag_index(const unsigned long *nr_free, unsigned int nr_orders,
			 unsigned int order);
int mms_buddy_unusable_index(const unsigned long *nr_free,
			     unsigned int nr_orders, unsigned int order);

/**
 * mms_buddy_page_range() - the range a page's metadata belongs to
 * @page: metadata of a frame
 *
 * Return: the range; @page is &range->pages[page->idx].
 */
static inline struct mms_buddy_range *
mms_buddy_page_range(const struct mms_buddy_page *page)
{
	return container_of(page - page->idx, struct mms_buddy_range, pages[0]);
}

/**
 * mms_buddy_page_pfn() - the frame a page's metadata describes
 * @page: metadata of a frame
 *
 * Return: its page frame number.
 */
static inline unsigned long mms_buddy_page_pfn(const struct mms_buddy_page *page)
{
	return mms_buddy_page_range(page)->base_pfn + page->idx;
}

#endif /* _MMSCOPE_BUDDY_CORE_H */
