// SPDX-License-Identifier: GPL-2.0
/*
 * mmscope's buddy allocator, kernel side: the algorithm is buddy_core.c;
 * this file feeds it chunks from alloc_pages(), puts a spinlock and
 * per-CPU caches of order-0 pages around it, and shows it to user space
 * (ioctls in the buddy block of the uapi header, debugfs mmscope/buddy/).
 *
 * Locks, outermost first: buddy.user_lock (mutex, user handle table),
 * buddy.lock (the core and the graveyard). A CPU's cache is its own: it
 * is touched with interrupts off, on that CPU only; other CPUs reach it
 * by IPI (drain, check), as drain_all_pages() long did. Memory the
 * core lets go of (empty chunks beyond the spare, adopted ranges used and
 * free again) waits in the graveyard for reap_work, which gives the pages
 * back and frees the metadata in process context, so frees never sleep.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": buddy: " fmt

#include <linux/cpu.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/mmscope.h>
#include "buddy.h"
#include "buddy_core.h"
#include "compat.h"
#include "mmscope.h"

/*
 * Per-CPU cache of order-0 pages, after mm/page_alloc.c's pcp lists: an
 * empty cache is refilled with MMS_PCP_BATCH pages under one lock round
 * trip, a full one (MMS_PCP_HIGH) gives back its MMS_PCP_BATCH oldest.
 */
#define MMS_PCP_BATCH	32
#define MMS_PCP_HIGH	(4 * MMS_PCP_BATCH)

/* Entirely free chunks kept rather than returned (hysteresis). */
#define MMS_SPARE_CHUNKS	1

/* Rounds of grow-and-retry before an allocation gives up. */
#define MMS_GROW_RETRIES	8

/* Touched only by its CPU with interrupts off (see pcp_on_each()). */
struct mms_pcp {
	unsigned long count;
	unsigned long hits;
	unsigned long misses;
	unsigned long refilled;
	unsigned long drained;
	/* A stack: the most recently freed (cache-hot) page goes out first. */
	struct mms_buddy_page *pages[MMS_PCP_HIGH];
};

struct mms_buddy_glue {
	spinlock_t lock;		/* core, graveyard */
	struct mms_buddy_core core;
	struct list_head graveyard;
	struct work_struct reap_work;
	struct mms_pcp __percpu *pcp;
	struct dentry *dir;
	struct mutex user_lock;		/* user and the user_* counters */
	struct xarray user;		/* handle -> xa_mk_value(pfn << 5 | order) */
	unsigned long user_blocks;
	unsigned long user_pages;
	unsigned long user_bad_handles;
	atomic_long_t bad_free_busy;	/* frees refused: block in use */
	atomic_long_t user_invalid;	/* ioctls refused: bad argument */
};

static struct mms_buddy_glue buddy;

/* ---- the page source: alloc_pages() chunks ---------------------------- */

static int mms_chunk_get(void *priv, unsigned int order, unsigned long *pfn)
{
	struct page *page;

	/*
	 * Zero-filled: free with init_on_alloc (Debian's default), and it
	 * lets the first user of each page skip clearing it (pristine).
	 */
	page = alloc_pages(GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN |
			   __GFP_NORETRY, order);
	if (!page)
		return -ENOMEM;
	/* Each page gets its own refcount: callers may map them singly. */
	split_page(page, order);
	*pfn = page_to_pfn(page);
	return 0;
}

static void mms_page_put(void *priv, unsigned long pfn)
{
	__free_page(pfn_to_page(pfn));
}

static void mms_chunk_put(void *priv, unsigned int order, unsigned long pfn)
{
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		mms_page_put(priv, pfn + i);
}

static void *mms_meta_alloc(void *priv, size_t size)
{
	return kvzalloc(size, GFP_KERNEL);
}

static void mms_meta_free(void *priv, void *p)
{
	kvfree(p);
}

static const struct mms_buddy_ops mms_buddy_ops = {
	.chunk_get = mms_chunk_get,
	.chunk_put = mms_chunk_put,
	.page_put = mms_page_put,
	.meta_alloc = mms_meta_alloc,
	.meta_free = mms_meta_free,
};

/* ---- the graveyard ---------------------------------------------------- */

static void mms_buddy_reap(struct work_struct *work)
{
	struct mms_buddy_range *r, *tmp;
	unsigned long flags;
	LIST_HEAD(dead);

	spin_lock_irqsave(&buddy.lock, flags);
	list_splice_init(&buddy.graveyard, &dead);
	spin_unlock_irqrestore(&buddy.lock, flags);

	list_for_each_entry_safe(r, tmp, &dead, node) {
		list_del(&r->node);
		mms_buddy_core_range_destroy(&buddy.core, r);
		cond_resched();
	}
}

/* Under buddy.lock: is there anything for reap_work? */
static bool mms_buddy_reap_due(void)
{
	lockdep_assert_held(&buddy.lock);
	return !list_empty(&buddy.graveyard);
}

static void mms_buddy_kick_reaper(bool due)
{
	if (due)
		schedule_work(&buddy.reap_work);
}

/* ---- per-CPU caches --------------------------------------------------- */

static struct page *meta_to_page(const struct mms_buddy_page *meta)
{
	return pfn_to_page(mms_buddy_page_pfn(meta));
}

/* Both locks held: move up to MMS_PCP_BATCH free pages into @pcp. */
static void pcp_refill_locked(struct mms_pcp *pcp)
{
	unsigned long start = pcp->count, i, j;
	struct mms_buddy_page *meta;

	while (pcp->count < MMS_PCP_BATCH) {
		meta = mms_buddy_core_alloc_cached(&buddy.core);
		if (!meta)
			break;
		pcp->pages[pcp->count++] = meta;
	}
	pcp->refilled += pcp->count - start;
	/* Hand them out in the order the free lists gave them. */
	for (i = start, j = pcp->count; i + 1 < j; i++, j--)
		swap(pcp->pages[i], pcp->pages[j - 1]);
}

/* Both locks held: give the @n oldest pages of @pcp back to the lists. */
static void pcp_drain_locked(struct mms_pcp *pcp, unsigned long n)
{
	unsigned long i;

	n = min(n, pcp->count);
	for (i = 0; i < n; i++)
		mms_buddy_core_free_cached(&buddy.core, pcp->pages[i],
					   &buddy.graveyard);
	memmove(pcp->pages, pcp->pages + n,
		(pcp->count - n) * sizeof(pcp->pages[0]));
	pcp->count -= n;
	pcp->drained += n;
}

/*
 * An order-0 page from this CPU's cache, refilled with a batch when empty.
 * NULL when the free lists had nothing either (the caller then grows).
 * *@pristine: the page is still zero-filled from the kernel.
 */
static struct page *pcp_alloc(bool *pristine)
{
	struct mms_buddy_page *meta = NULL;
	struct mms_pcp *pcp;
	unsigned long flags;

	local_irq_save(flags);
	pcp = this_cpu_ptr(buddy.pcp);
	if (pcp->count) {
		pcp->hits++;
	} else {
		spin_lock(&buddy.lock);
		pcp_refill_locked(pcp);
		spin_unlock(&buddy.lock);
		/* A miss is an allocation served by a refill. */
		if (pcp->count)
			pcp->misses++;
	}
	if (pcp->count) {
		meta = pcp->pages[--pcp->count];
		*pristine = mms_buddy_core_uncache(meta);
	}
	local_irq_restore(flags);
	return meta ? meta_to_page(meta) : NULL;
}

/*
 * Every page of the block back to how mmscope handed it out: nobody maps
 * it, nobody else holds a reference, no ->mapping left behind. A page
 * freed otherwise would be handed out under its user, or trip the
 * kernel's checks ("Bad page") once its chunk goes back.
 */
static bool mms_block_idle(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), i;

	for (i = 0; i < (1UL << order); i++) {
		struct page *p = pfn_to_page(pfn + i);

		if (page_ref_count(p) != 1 || page_mapped(p) || p->mapping)
			return false;
	}
	return true;
}

static int pcp_free(struct page *page, unsigned int *bad)
{
	struct mms_buddy_page *meta;
	struct mms_pcp *pcp;
	unsigned long flags;
	bool due;
	int ret;

	local_irq_save(flags);
	pcp = this_cpu_ptr(buddy.pcp);
	spin_lock(&buddy.lock);
	if (pcp->count >= MMS_PCP_HIGH)
		pcp_drain_locked(pcp, MMS_PCP_BATCH);
	/* The same checks as any free: a double free is refused here too. */
	ret = mms_buddy_core_cache(&buddy.core, page_to_pfn(page), &meta);
	if (ret) {
		*bad = buddy.core.last_bad;
	} else if (!mms_block_idle(page, 0)) {
		/* Ours and allocated, but not given back really: keep it so. */
		mms_buddy_core_uncache(meta);
		*bad = MMS_BUDDY_NR_BAD;
		ret = -EINVAL;
	}
	due = mms_buddy_reap_due();
	spin_unlock(&buddy.lock);
	if (!ret)
		pcp->pages[pcp->count++] = meta;
	local_irq_restore(flags);
	mms_buddy_kick_reaper(due);
	return ret;
}

struct pcp_call {
	void (*fn)(struct mms_pcp *pcp, void *ctx);
	void *ctx;
};

static void pcp_call_local(void *info)
{
	struct pcp_call *call = info;

	call->fn(this_cpu_ptr(buddy.pcp), call->ctx);
}

/*
 * Run @fn on every CPU's cache, one CPU at a time, each with its owner
 * quiet: by IPI on the owner (interrupts off there), or here for CPUs
 * that are offline (hotplug held off meanwhile).
 *
 * Context: process context, interrupts on.
 */
static void pcp_on_each(void (*fn)(struct mms_pcp *pcp, void *ctx), void *ctx)
{
	struct pcp_call call = { .fn = fn, .ctx = ctx };
	unsigned long flags;
	int cpu;

	cpus_read_lock();
	for_each_possible_cpu(cpu) {
		if (cpu_online(cpu)) {
			smp_call_function_single(cpu, pcp_call_local, &call, 1);
		} else {
			local_irq_save(flags);
			fn(per_cpu_ptr(buddy.pcp, cpu), ctx);
			local_irq_restore(flags);
		}
	}
	cpus_read_unlock();
}

/* Interrupts off, on @pcp's CPU (or it is offline). */
static void pcp_drain_fn(struct mms_pcp *pcp, void *ctx)
{
	unsigned long *drained = ctx;
	bool due;

	spin_lock(&buddy.lock);
	*drained += pcp->count;
	pcp_drain_locked(pcp, pcp->count);
	due = mms_buddy_reap_due();
	spin_unlock(&buddy.lock);
	mms_buddy_kick_reaper(due);
}

static unsigned long pcp_drain_all(void)
{
	unsigned long n = 0;

	pcp_on_each(pcp_drain_fn, &n);
	return n;
}

static unsigned long pcp_peek(const unsigned long *v)
{
	/* Another CPU's counter, read without stopping it: may be stale. */
	return data_race(*v);
}

/* ---- the API ---------------------------------------------------------- */

static struct page *buddy_alloc_locked(unsigned int order)
{
	struct mms_buddy_page *meta;
	unsigned long flags;

	spin_lock_irqsave(&buddy.lock, flags);
	meta = mms_buddy_core_alloc(&buddy.core, order);
	spin_unlock_irqrestore(&buddy.lock, flags);
	return meta ? meta_to_page(meta) : NULL;
}

/*
 * Take one more chunk from the kernel, if under the limit. True if free
 * memory was added, by us or by a CPU that beat us to it.
 */
static bool buddy_grow(void)
{
	struct mms_buddy_range *chunk;
	unsigned long flags;
	bool grow;
	int ret;

	spin_lock_irqsave(&buddy.lock, flags);
	grow = mms_buddy_core_grow_begin(&buddy.core);
	spin_unlock_irqrestore(&buddy.lock, flags);
	if (!grow)
		return false;

	/* alloc_pages() may sleep: the lock is not held meanwhile. */
	chunk = mms_buddy_core_chunk_new(&buddy.core);

	spin_lock_irqsave(&buddy.lock, flags);
	ret = mms_buddy_core_grow_end(&buddy.core, chunk);
	spin_unlock_irqrestore(&buddy.lock, flags);
	if (ret == -ENOMEM)
		return false;
	/* Another CPU's chunk came first: ours goes straight back. */
	if (ret)
		mms_buddy_core_range_destroy(&buddy.core, chunk);
	return true;
}

/* mms_buddy_alloc(), and whether an order-0 page is pristine (*@zeroed). */
static struct page *buddy_alloc(unsigned int order, bool *zeroed)
{
	unsigned int tries;
	unsigned long flags;
	struct page *page;

	might_sleep();
	*zeroed = false;
	if (order >= MMS_NR_PAGE_ORDERS)
		return NULL;
	for (tries = 0; tries < MMS_GROW_RETRIES; tries++) {
		page = order ? buddy_alloc_locked(order) : pcp_alloc(zeroed);
		if (page)
			return page;
		if (!buddy_grow())
			break;
	}
	spin_lock_irqsave(&buddy.lock, flags);
	mms_buddy_core_alloc_failed(&buddy.core, order);
	spin_unlock_irqrestore(&buddy.lock, flags);
	return NULL;
}

/**
 * mms_buddy_alloc() - allocate 2^@order contiguous pages from mmscope's buddy
 * @order: 0 .. MMS_NR_PAGE_ORDERS - 1
 *
 * Order-0 requests are served from a per-CPU cache when it has pages. The
 * pages are not zeroed: callers clear what they expose. Each page has its
 * own refcount of 1 (the block is not compound).
 *
 * Context: process context; may sleep (a new chunk comes from
 * alloc_pages(GFP_KERNEL)).
 * Return: the first page, or NULL.
 */
struct page *mms_buddy_alloc(unsigned int order)
{
	bool zeroed;

	return buddy_alloc(order, &zeroed);
}

/**
 * mms_buddy_alloc_page() - allocate one page, and say if it is zero-filled
 * @zeroed: set true if the page is known to hold only zeros: it was never
 *	handed out since its chunk came, zeroed, from the kernel. Otherwise
 *	the caller clears what it exposes, as after mms_buddy_alloc().
 *
 * Lets a caller that needs a zeroed page skip clearing one the kernel has
 * just cleared (init_on_alloc, or __GFP_ZERO at intake).
 *
 * Context: as mms_buddy_alloc().
 * Return: the page, or NULL.
 */
struct page *mms_buddy_alloc_page(bool *zeroed)
{
	return buddy_alloc(0, zeroed);
}

/**
 * mms_buddy_free() - give back a block from mms_buddy_alloc()
 * @page: its first page
 * @order: the order it was allocated with
 *
 * A page not owned by the allocator, already free, inside a block, a
 * wrong @order, or a block still in use (mapped, referenced by anyone
 * else, ->mapping set) is refused: counted (debugfs bad_free_*), logged
 * rate-limited with the reason, nothing changed.
 *
 * Context: any context; does not sleep.
 * Return: 0, or -EINVAL if refused.
 */
int mms_buddy_free(struct page *page, unsigned int order)
{
	static const char *const why[MMS_BUDDY_NR_BAD + 1] = {
		[MMS_BUDDY_BAD_FOREIGN] = "a page mmscope does not own",
		[MMS_BUDDY_BAD_DOUBLE] = "a double free",
		[MMS_BUDDY_BAD_ORDER] = "the wrong order",
		[MMS_BUDDY_BAD_TAIL] = "a page inside a block",
		[MMS_BUDDY_NR_BAD] = "a page still mapped or referenced",
	};
	unsigned int bad = MMS_BUDDY_NR_BAD;
	struct mms_buddy_page *meta;
	unsigned long flags;
	bool due;
	int ret;

	if (!page)
		return -EINVAL;
	if (order == 0) {
		ret = pcp_free(page, &bad);
	} else {
		spin_lock_irqsave(&buddy.lock, flags);
		meta = mms_buddy_core_lookup(&buddy.core, page_to_pfn(page));
		if (meta && READ_ONCE(meta->state) == MMS_BP_ALLOC &&
		    meta->order == order && !mms_block_idle(page, order)) {
			ret = -EINVAL;
		} else {
			ret = mms_buddy_core_free(&buddy.core, page_to_pfn(page),
						  order, &buddy.graveyard);
			if (ret)
				bad = buddy.core.last_bad;
		}
		due = mms_buddy_reap_due();
		spin_unlock_irqrestore(&buddy.lock, flags);
		mms_buddy_kick_reaper(due);
	}
	if (ret && bad == MMS_BUDDY_NR_BAD)
		atomic_long_inc(&buddy.bad_free_busy);
	if (ret)
		pr_warn_ratelimited("refused free of order %u by %s[%d] from %pS: %s\n",
				    order, current->comm,
				    task_pid_nr(current),
				    __builtin_return_address(0),
				    why[min(bad, (unsigned int)MMS_BUDDY_NR_BAD)]);
	return ret;
}

static void mms_buddy_adopt_refused(void)
{
	unsigned long flags;

	spin_lock_irqsave(&buddy.lock, flags);
	buddy.core.stats.adopt_refused++;
	spin_unlock_irqrestore(&buddy.lock, flags);
}

/**
 * mms_buddy_adopt() - take ownership of pages given by another owner
 * @page: first of 2^@order physically contiguous pages, aligned to their
 *	size, each with refcount 1 (already split_page()d), not PG_reserved,
 *	not mapped
 * @order: 0 .. MMS_NR_PAGE_ORDERS - 1
 *
 * The pages join the allocator (they are handed out before chunk pages)
 * and merge only among themselves. Once they have been allocated and are
 * all free again, they go back to the kernel page by page with
 * __free_page(); at module exit too.
 *
 * Context: process context; may sleep.
 * Return: 0; -EINVAL for a bad order, alignment or page state; -EBUSY if
 * mmscope holds any of the pages already; -ENOMEM. On error the caller
 * still owns the pages.
 */
int mms_buddy_adopt(struct page *page, unsigned int order)
{
	struct mms_buddy_range *range;
	unsigned long pfn, i, flags;
	int ret;

	might_sleep();
	if (!page || order >= MMS_NR_PAGE_ORDERS)
		goto refused;
	pfn = page_to_pfn(page);
	if (pfn & ((1UL << order) - 1))
		goto refused;
	for (i = 0; i < (1UL << order); i++) {
		struct page *p = pfn_to_page(pfn + i);

		if (PageReserved(p) || PageCompound(p) ||
		    page_ref_count(p) != 1 || page_mapped(p))
			goto refused;
	}
	ret = mms_buddy_core_range_new(&buddy.core, pfn, order, &range);
	if (ret)
		return ret;
	spin_lock_irqsave(&buddy.lock, flags);
	ret = mms_buddy_core_adopt(&buddy.core, range);
	spin_unlock_irqrestore(&buddy.lock, flags);
	if (ret)
		mms_buddy_core_range_discard(&buddy.core, range);
	return ret;

refused:
	mms_buddy_adopt_refused();
	return -EINVAL;
}

/* ---- snapshots for debugfs and the stats ioctl ------------------------ */

struct mms_buddy_snap {
	struct mms_buddy_core_info core;
	u64 pcp_pages;
	u64 pcp_hits;
	u64 pcp_misses;
	u64 pcp_refilled;
	u64 pcp_drained;
	u64 user_blocks;
	u64 user_pages;
	u64 user_bad_handles;
	u64 bad_free_busy;
	u64 user_invalid;
};

static struct mms_buddy_snap *mms_buddy_snap(void)
{
	struct mms_buddy_snap *s = kzalloc(sizeof(*s), GFP_KERNEL);
	unsigned long flags;
	int cpu;

	if (!s)
		return NULL;
	spin_lock_irqsave(&buddy.lock, flags);
	mms_buddy_core_snapshot(&buddy.core, &s->core);
	spin_unlock_irqrestore(&buddy.lock, flags);
	for_each_possible_cpu(cpu) {
		const struct mms_pcp *pcp = per_cpu_ptr(buddy.pcp, cpu);

		s->pcp_pages += pcp_peek(&pcp->count);
		s->pcp_hits += pcp_peek(&pcp->hits);
		s->pcp_misses += pcp_peek(&pcp->misses);
		s->pcp_refilled += pcp_peek(&pcp->refilled);
		s->pcp_drained += pcp_peek(&pcp->drained);
	}
	s->bad_free_busy = atomic_long_read(&buddy.bad_free_busy);
	s->user_invalid = atomic_long_read(&buddy.user_invalid);
	mutex_lock(&buddy.user_lock);
	s->user_blocks = buddy.user_blocks;
	s->user_pages = buddy.user_pages;
	s->user_bad_handles = buddy.user_bad_handles;
	mutex_unlock(&buddy.user_lock);
	return s;
}

static u64 snap_pages_allocated(const struct mms_buddy_snap *s)
{
	u64 busy = s->core.pages_held - s->core.pages_free;

	/* The pcp counts are read apart from the core's: never underflow. */
	return busy > s->pcp_pages ? busy - s->pcp_pages : 0;
}

static u64 sum_orders(const u64 *v)
{
	u64 sum = 0;
	unsigned int o;

	for (o = 0; o < MMS_NR_PAGE_ORDERS; o++)
		sum += v[o];
	return sum;
}

static void mms_buddy_fill_stats(const struct mms_buddy_snap *s,
				 struct mmscope_buddy_stats *st)
{
	const struct mms_buddy_core_stats *cs = &s->core.stats;
	unsigned int o;

	memset(st, 0, sizeof(*st));
	st->nr_orders = MMS_NR_PAGE_ORDERS;
	for (o = 0; o < MMS_NR_PAGE_ORDERS; o++) {
		st->nr_free[o] = s->core.nr_free[o];
		st->allocs[o] = cs->allocs[o];
		st->frees[o] = cs->frees[o];
		st->splits[o] = cs->splits[o];
		st->merges[o] = cs->merges[o];
		st->alloc_failures[o] = cs->alloc_failures[o];
	}
	st->bad_free_foreign = cs->bad_free[MMS_BUDDY_BAD_FOREIGN];
	st->bad_free_double = cs->bad_free[MMS_BUDDY_BAD_DOUBLE];
	st->bad_free_order = cs->bad_free[MMS_BUDDY_BAD_ORDER];
	st->bad_free_tail = cs->bad_free[MMS_BUDDY_BAD_TAIL];
	st->bad_free_busy = s->bad_free_busy;
	st->user_invalid = s->user_invalid;
	st->chunks_held = s->core.nr_chunks;
	st->chunks_empty = s->core.nr_empty;
	st->chunks_max = s->core.max_chunks;
	st->chunks_taken = cs->chunks_taken;
	st->chunks_returned = cs->chunks_returned;
	st->chunk_failures = cs->chunk_failures;
	st->adopted_ranges = s->core.nr_adopted;
	st->adopted_pages = s->core.pages_adopted;
	st->adopted_pages_returned = cs->adopted_pages_returned;
	st->adopt_refused = cs->adopt_refused;
	st->pages_held = s->core.pages_held;
	st->pages_free = s->core.pages_free;
	st->pages_in_pcp = s->pcp_pages;
	st->pages_allocated = snap_pages_allocated(s);
	st->pcp_hits = s->pcp_hits;
	st->pcp_misses = s->pcp_misses;
	st->pcp_refilled = s->pcp_refilled;
	st->pcp_drained = s->pcp_drained;
	st->user_blocks = s->user_blocks;
	st->user_pages = s->user_pages;
	st->user_bad_handles = s->user_bad_handles;
	st->checks = cs->checks;
	st->check_failures = cs->check_failures;
}

/* ---- debugfs ---------------------------------------------------------- */

/* The /proc/buddyinfo line prefix (mm/vmstat.c frag_show_print()). */
static void seq_zone_prefix(struct seq_file *m)
{
	seq_printf(m, "Node %d, zone %8s ", 0, "mmscope");
}

static int buddyinfo_show(struct seq_file *m, void *v)
{
	struct mms_buddy_snap *s = mms_buddy_snap();
	unsigned int o;

	if (!s)
		return -ENOMEM;
	seq_zone_prefix(m);
	for (o = 0; o < MMS_NR_PAGE_ORDERS; o++)
		seq_printf(m, "%6lu ", s->core.nr_free[o]);
	seq_putc(m, '\n');
	kfree(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(buddyinfo);

/*
 * One index per order in thousandths, as mm/vmstat.c prints them: @width
 * pads the integer part ("%2d" for extfrag_index, "%d" for unusable_index).
 */
static int show_index_per_order(struct seq_file *m, int width,
				int (*index_of)(const unsigned long *nr_free,
						unsigned int nr_orders,
						unsigned int order))
{
	struct mms_buddy_snap *s = mms_buddy_snap();
	unsigned int o;
	int index;

	if (!s)
		return -ENOMEM;
	seq_zone_prefix(m);
	for (o = 0; o < MMS_NR_PAGE_ORDERS; o++) {
		index = index_of(s->core.nr_free, MMS_NR_PAGE_ORDERS, o);
		seq_printf(m, "%*d.%03d ", width, index / 1000, index % 1000);
	}
	seq_putc(m, '\n');
	kfree(s);
	return 0;
}

/* As /sys/kernel/debug/extfrag/extfrag_index. */
static int extfrag_index_show(struct seq_file *m, void *v)
{
	return show_index_per_order(m, 2, mms_buddy_frag_index);
}
DEFINE_SHOW_ATTRIBUTE(extfrag_index);

/* As /sys/kernel/debug/extfrag/unusable_index. */
static int unusable_index_show(struct seq_file *m, void *v)
{
	return show_index_per_order(m, 0, mms_buddy_unusable_index);
}
DEFINE_SHOW_ATTRIBUTE(unusable_index);

/* The scalar fields of struct mmscope_buddy_stats, in their order. */
static const char *const stat_names[] = {
	"bad_free_foreign", "bad_free_double", "bad_free_order",
	"bad_free_tail", "chunks_held", "chunks_empty", "chunks_max",
	"chunks_taken", "chunks_returned", "chunk_failures", "adopted_ranges",
	"adopted_pages", "adopted_pages_returned", "adopt_refused",
	"pages_held", "pages_free", "pages_in_pcp", "pages_allocated",
	"pcp_hits", "pcp_misses", "pcp_refilled", "pcp_drained",
	"user_blocks", "user_pages", "user_bad_handles", "checks",
	"check_failures", "bad_free_busy", "user_invalid",
};

static int stats_show(struct seq_file *m, void *v)
{
	struct mms_buddy_snap *s = mms_buddy_snap();
	struct mmscope_buddy_stats *st;
	const __u64 *scalars;
	unsigned int o, k;

	BUILD_BUG_ON(ARRAY_SIZE(stat_names) !=
		     (offsetof(struct mmscope_buddy_stats, user_invalid) -
		      offsetof(struct mmscope_buddy_stats, bad_free_foreign)) /
		     sizeof(__u64) + 1);
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!s || !st) {
		kfree(s);
		kfree(st);
		return -ENOMEM;
	}
	mms_buddy_fill_stats(s, st);
	seq_printf(m, "%5s %12s %12s %12s %12s %12s %12s\n", "order",
		   "free_blocks", "allocs", "frees", "splits", "merges",
		   "failures");
	for (o = 0; o < MMS_NR_PAGE_ORDERS; o++)
		seq_printf(m, "%5u %12llu %12llu %12llu %12llu %12llu %12llu\n",
			   o, st->nr_free[o], st->allocs[o], st->frees[o],
			   st->splits[o], st->merges[o],
			   st->alloc_failures[o]);
	/* Then one "name value" per line, as /proc/vmstat. */
	scalars = &st->bad_free_foreign;
	for (k = 0; k < ARRAY_SIZE(stat_names); k++)
		seq_printf(m, "%s %llu\n", stat_names[k], scalars[k]);
	kfree(st);
	kfree(s);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int mms_buddy_check_all(char *msg, size_t len);

static int check_show(struct seq_file *m, void *v)
{
	char msg[112] = "";
	int ret = mms_buddy_check_all(msg, sizeof(msg));

	if (ret)
		seq_printf(m, "error: %s\n", msg);
	else
		seq_puts(m, "ok\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(check);

/* One value per file, for scripts. */
enum mms_buddy_value {
	MMS_V_CHUNKS_HELD,
	MMS_V_CHUNKS_MAX,
	MMS_V_CHUNKS_TAKEN,
	MMS_V_CHUNKS_RETURNED,
	MMS_V_PAGES_HELD,
	MMS_V_PAGES_FREE,
	MMS_V_PAGES_ALLOCATED,
	MMS_V_PAGES_IN_PCP,
	MMS_V_PCP_HITS,
	MMS_V_PCP_MISSES,
	MMS_V_BAD_FREES,
	MMS_V_ALLOC_FAILURES,
	MMS_V_ADOPTED_PAGES,
	MMS_V_USER_BLOCKS,
	MMS_V_NR,
};

static const char *const mms_buddy_value_names[MMS_V_NR] = {
	[MMS_V_CHUNKS_HELD] = "chunks_held",
	[MMS_V_CHUNKS_MAX] = "chunks_max",
	[MMS_V_CHUNKS_TAKEN] = "chunks_taken",
	[MMS_V_CHUNKS_RETURNED] = "chunks_returned",
	[MMS_V_PAGES_HELD] = "pages_held",
	[MMS_V_PAGES_FREE] = "pages_free",
	[MMS_V_PAGES_ALLOCATED] = "pages_allocated",
	[MMS_V_PAGES_IN_PCP] = "pages_in_pcp",
	[MMS_V_PCP_HITS] = "pcp_hits",
	[MMS_V_PCP_MISSES] = "pcp_misses",
	[MMS_V_BAD_FREES] = "bad_frees",
	[MMS_V_ALLOC_FAILURES] = "alloc_failures",
	[MMS_V_ADOPTED_PAGES] = "adopted_pages",
	[MMS_V_USER_BLOCKS] = "user_blocks",
};

static int value_get(void *data, u64 *val)
{
	enum mms_buddy_value which = (uintptr_t)data;
	struct mms_buddy_snap *s = mms_buddy_snap();
	const struct mms_buddy_core_stats *cs;
	unsigned int k;

	if (!s)
		return -ENOMEM;
	cs = &s->core.stats;
	switch (which) {
	case MMS_V_CHUNKS_HELD:
		*val = s->core.nr_chunks;
		break;
	case MMS_V_CHUNKS_MAX:
		*val = s->core.max_chunks;
		break;
	case MMS_V_CHUNKS_TAKEN:
		*val = cs->chunks_taken;
		break;
	case MMS_V_CHUNKS_RETURNED:
		*val = cs->chunks_returned;
		break;
	case MMS_V_PAGES_HELD:
		*val = s->core.pages_held;
		break;
	case MMS_V_PAGES_FREE:
		*val = s->core.pages_free;
		break;
	case MMS_V_PAGES_ALLOCATED:
		*val = snap_pages_allocated(s);
		break;
	case MMS_V_PAGES_IN_PCP:
		*val = s->pcp_pages;
		break;
	case MMS_V_PCP_HITS:
		*val = s->pcp_hits;
		break;
	case MMS_V_PCP_MISSES:
		*val = s->pcp_misses;
		break;
	case MMS_V_BAD_FREES:
		*val = s->bad_free_busy;
		for (k = 0; k < MMS_BUDDY_NR_BAD; k++)
			*val += cs->bad_free[k];
		break;
	case MMS_V_ALLOC_FAILURES:
		*val = sum_orders(cs->alloc_failures);
		break;
	case MMS_V_ADOPTED_PAGES:
		*val = s->core.pages_adopted;
		break;
	default:
		*val = s->user_blocks;
		break;
	}
	kfree(s);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(value_fops, value_get, NULL, "%llu\n");

static int mms_buddy_drain(u32 flags, struct mmscope_buddy_drain *out);

/* Write 1 (per-CPU caches), 2 (empty chunks) or 3 (both), as drop_caches. */
static int drain_set(void *data, u64 val)
{
	struct mmscope_buddy_drain out;

	if (!val || val > (MMSCOPE_BUDDY_DRAIN_PCP | MMSCOPE_BUDDY_DRAIN_SPARE))
		return -EINVAL;
	return mms_buddy_drain(val, &out);
}
DEFINE_DEBUGFS_ATTRIBUTE(drain_fops, NULL, drain_set, "%llu\n");

static void mms_buddy_debugfs(struct dentry *dir)
{
	struct dentry *extfrag;
	uintptr_t v;

	debugfs_create_file("buddyinfo", 0444, dir, NULL, &buddyinfo_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	debugfs_create_file("check", 0444, dir, NULL, &check_fops);
	extfrag = debugfs_create_dir("extfrag", dir);
	debugfs_create_file("extfrag_index", 0444, extfrag, NULL,
			    &extfrag_index_fops);
	debugfs_create_file("unusable_index", 0444, extfrag, NULL,
			    &unusable_index_fops);
	for (v = 0; v < MMS_V_NR; v++)
		debugfs_create_file_unsafe(mms_buddy_value_names[v], 0444, dir,
					   (void *)v, &value_fops);
	debugfs_create_file_unsafe("drain", 0200, dir, NULL, &drain_fops);
}

/* ---- checker, drain, user handles ------------------------------------- */

struct pcp_check {
	char *msg;
	size_t len;
	int ret;
};

/* Interrupts off, on @pcp's CPU: every page it caches is a cached page. */
static void pcp_check_fn(struct mms_pcp *pcp, void *ctx)
{
	struct pcp_check *c = ctx;
	unsigned long i;

	for (i = 0; i < pcp->count && !c->ret; i++) {
		const struct mms_buddy_page *p = pcp->pages[i];

		if (READ_ONCE(p->state) != MMS_BP_CACHED || p->order) {
			snprintf(c->msg, c->len,
				 "a per-CPU cache holds a page not cached (%lu)",
				 i);
			c->ret = -EUCLEAN;
		}
	}
}

/* The core's invariants, then the per-CPU caches'. */
static int mms_buddy_check_all(char *msg, size_t len)
{
	struct pcp_check c = { .msg = msg, .len = len };
	unsigned long flags;

	spin_lock_irqsave(&buddy.lock, flags);
	c.ret = mms_buddy_core_check(&buddy.core, msg, len);
	spin_unlock_irqrestore(&buddy.lock, flags);
	if (!c.ret)
		pcp_on_each(pcp_check_fn, &c);
	return c.ret;
}

static int mms_buddy_drain(u32 flags, struct mmscope_buddy_drain *out)
{
	unsigned long irqflags;
	bool due;

	memset(out, 0, sizeof(*out));
	if (flags & MMSCOPE_BUDDY_DRAIN_PCP)
		out->pages_drained = pcp_drain_all();
	if (flags & MMSCOPE_BUDDY_DRAIN_SPARE) {
		spin_lock_irqsave(&buddy.lock, irqflags);
		out->chunks_returned = mms_buddy_core_trim(&buddy.core,
							   &buddy.graveyard);
		due = mms_buddy_reap_due();
		spin_unlock_irqrestore(&buddy.lock, irqflags);
		mms_buddy_kick_reaper(due);
	}
	/* Returned memory is back in the kernel when this returns. */
	flush_work(&buddy.reap_work);
	return 0;
}

#define MMS_HANDLE_ORDER_BITS	5

static void *handle_entry(unsigned long pfn, unsigned int order)
{
	return xa_mk_value(pfn << MMS_HANDLE_ORDER_BITS | order);
}

static void handle_decode(void *entry, struct page **page, unsigned int *order)
{
	unsigned long v = xa_to_value(entry);

	*page = pfn_to_page(v >> MMS_HANDLE_ORDER_BITS);
	*order = v & ((1U << MMS_HANDLE_ORDER_BITS) - 1);
}

/* Under user_lock: the entry of @handle, counted as bad if none. */
static void *handle_find(u64 handle)
{
	void *entry = NULL;

	lockdep_assert_held(&buddy.user_lock);
	if (handle && handle <= U32_MAX)
		entry = xa_load(&buddy.user, handle);
	if (!entry)
		buddy.user_bad_handles++;
	return entry;
}

/* Under user_lock: forget @handle's block; the caller frees it. */
static void handle_drop(u64 handle, unsigned int order)
{
	lockdep_assert_held(&buddy.user_lock);
	xa_erase(&buddy.user, handle);
	buddy.user_blocks--;
	buddy.user_pages -= 1UL << order;
}

static int mms_buddy_user_reset(struct mmscope_buddy_reset *out)
{
	unsigned long id;
	unsigned int order;
	struct page *page;
	void *entry;

	memset(out, 0, sizeof(*out));
	mutex_lock(&buddy.user_lock);
	xa_for_each(&buddy.user, id, entry) {
		handle_decode(entry, &page, &order);
		handle_drop(id, order);
		WARN_ON_ONCE(mms_buddy_free(page, order));
		out->blocks++;
		out->pages += 1UL << order;
	}
	mutex_unlock(&buddy.user_lock);
	return 0;
}

/* ---- ioctls ----------------------------------------------------------- */

static bool reserved_zero(const u64 *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (r[i])
			return false;
	return true;
}

/* Count and report an ioctl refused for its argument; returns @ret. */
static long user_refuse(const char *what, long ret)
{
	atomic_long_inc(&buddy.user_invalid);
	pr_warn_ratelimited("%s[%d]: %s: %s\n", current->comm,
			    task_pid_nr(current), what,
			    ret == -EFAULT ? "bad user buffer" :
			    "argument out of range or reserved field set");
	return ret;
}

/*
 * Copy a request in; one that writes back must also be able to take the
 * result, checked now so that nothing is done for a caller who would then
 * get EFAULT.
 */
static long copy_req(void *req, void __user *arg, size_t size, bool out,
		     const char *what)
{
	if (copy_from_user(req, arg, size) ||
	    (out && !mms_user_writable(arg, size)))
		return user_refuse(what, -EFAULT);
	return 0;
}

static long ioctl_alloc(void __user *arg)
{
	struct mmscope_buddy_block req;
	struct mms_buddy_page *meta;
	unsigned long flags;
	struct page *page;
	u32 id;
	int ret;

	ret = copy_req(&req, arg, sizeof(req), true, "alloc");
	if (ret)
		return ret;
	if (req.flags || !reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)) ||
	    req.order >= MMS_NR_PAGE_ORDERS)
		return user_refuse("alloc", -EINVAL);
	page = mms_buddy_alloc(req.order);
	if (!page)
		return -ENOMEM;

	spin_lock_irqsave(&buddy.lock, flags);
	meta = mms_buddy_core_lookup(&buddy.core, page_to_pfn(page));
	req.range_id = mms_buddy_page_range(meta)->id;
	req.offset = meta->idx;
	spin_unlock_irqrestore(&buddy.lock, flags);

	mutex_lock(&buddy.user_lock);
	ret = xa_alloc(&buddy.user, &id, handle_entry(page_to_pfn(page),
						      req.order),
		       xa_limit_32b, GFP_KERNEL);
	if (!ret) {
		buddy.user_blocks++;
		buddy.user_pages += 1UL << req.order;
		req.handle = id;
		if (copy_to_user(arg, &req, sizeof(req))) {
			/* User space never learns the handle: undo. */
			handle_drop(id, req.order);
			ret = -EFAULT;
		}
	}
	mutex_unlock(&buddy.user_lock);
	if (ret)
		mms_buddy_free(page, req.order);
	return ret;
}

static long ioctl_free(void __user *arg)
{
	struct mmscope_buddy_block req;
	unsigned int order;
	struct page *page;
	void *entry;
	int ret;

	ret = copy_req(&req, arg, sizeof(req), false, "free");
	if (ret)
		return ret;
	if (req.flags || !reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return user_refuse("free", -EINVAL);
	mutex_lock(&buddy.user_lock);
	entry = handle_find(req.handle);
	if (!entry) {
		ret = -ENOENT;
		goto out;
	}
	handle_decode(entry, &page, &order);
	if (req.order != order) {
		/* Let the allocator refuse it, as it would any caller's. */
		ret = mms_buddy_free(page, req.order);
		if (WARN_ON_ONCE(!ret))
			handle_drop(req.handle, order);
		goto out;
	}
	handle_drop(req.handle, order);
	ret = mms_buddy_free(page, order);
	WARN_ON_ONCE(ret);
out:
	mutex_unlock(&buddy.user_lock);
	return ret;
}

static long ioctl_check(void __user *arg)
{
	struct mmscope_buddy_check out = { 0 };

	if (!mms_user_writable(arg, sizeof(out)))
		return user_refuse("check", -EFAULT);
	out.result = mms_buddy_check_all(out.message, sizeof(out.message));
	if (copy_to_user(arg, &out, sizeof(out)))
		return user_refuse("check", -EFAULT);
	return out.result;
}

static long ioctl_drain(void __user *arg)
{
	struct mmscope_buddy_drain req;
	long ret;

	ret = copy_req(&req, arg, sizeof(req), true, "drain");
	if (ret)
		return ret;
	if (req.pad || !reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)) ||
	    (req.flags & ~(MMSCOPE_BUDDY_DRAIN_PCP | MMSCOPE_BUDDY_DRAIN_SPARE)))
		return user_refuse("drain", -EINVAL);
	mms_buddy_drain(req.flags, &req);
	if (copy_to_user(arg, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}

static long ioctl_stats(void __user *arg)
{
	struct mmscope_buddy_stats *st;
	struct mms_buddy_snap *s;
	long ret = 0;

	s = mms_buddy_snap();
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!s || !st) {
		ret = -ENOMEM;
		goto out;
	}
	mms_buddy_fill_stats(s, st);
	if (copy_to_user(arg, st, sizeof(*st)))
		ret = user_refuse("stats", -EFAULT);
out:
	kfree(st);
	kfree(s);
	return ret;
}

static long ioctl_reset(void __user *arg)
{
	struct mmscope_buddy_reset out;

	if (!mms_user_writable(arg, sizeof(out)))
		return user_refuse("reset", -EFAULT);
	mms_buddy_user_reset(&out);
	if (copy_to_user(arg, &out, sizeof(out)))
		return -EFAULT;
	return 0;
}

/*
 * Free @page's block twice with both locks held throughout, so that no
 * one can be handed the block between the two frees. Order 0 goes the
 * per-CPU cache's way, as mms_buddy_free() would send it.
 * Return: what the second free returned.
 */
static int mms_buddy_free_twice(struct page *page, unsigned int order)
{
	unsigned long pfn = page_to_pfn(page), flags;
	struct mms_buddy_page *meta;
	struct mms_pcp *pcp;
	int first, ret;
	bool due;

	local_irq_save(flags);
	pcp = this_cpu_ptr(buddy.pcp);
	spin_lock(&buddy.lock);
	if (order == 0) {
		if (pcp->count >= MMS_PCP_HIGH)
			pcp_drain_locked(pcp, MMS_PCP_BATCH);
		first = mms_buddy_core_cache(&buddy.core, pfn, &meta);
		if (!first)
			pcp->pages[pcp->count++] = meta;
		ret = mms_buddy_core_cache(&buddy.core, pfn, &meta);
	} else {
		first = mms_buddy_core_free(&buddy.core, pfn, order,
					    &buddy.graveyard);
		ret = mms_buddy_core_free(&buddy.core, pfn, order,
					  &buddy.graveyard);
	}
	due = mms_buddy_reap_due();
	spin_unlock(&buddy.lock);
	local_irq_restore(flags);
	mms_buddy_kick_reaper(due);
	/* The first free was of a block user space held: it must succeed. */
	if (WARN_ON_ONCE(first))
		return -EIO;
	WARN_ON_ONCE(!ret);
	return ret;
}

static long ioctl_badfree(void __user *arg)
{
	struct mmscope_buddy_badfree req;
	unsigned int order;
	struct page *page;
	void *entry;
	long ret = 0;

	ret = copy_req(&req, arg, sizeof(req), true, "badfree");
	if (ret)
		return ret;
	if (req.pad || !reserved_zero(req.reserved, ARRAY_SIZE(req.reserved)))
		return user_refuse("badfree", -EINVAL);
	if (req.kind == MMSCOPE_BUDDY_BADFREE_FOREIGN) {
		page = alloc_page(GFP_KERNEL);
		if (!page)
			return -ENOMEM;
		req.result = mms_buddy_free(page, req.order);
		/* Had it been accepted, the page would now be ours twice. */
		if (!WARN_ON_ONCE(!req.result))
			__free_page(page);
		goto out;
	}
	if (req.kind != MMSCOPE_BUDDY_BADFREE_DOUBLE &&
	    req.kind != MMSCOPE_BUDDY_BADFREE_TAIL &&
	    req.kind != MMSCOPE_BUDDY_BADFREE_BUSY)
		return user_refuse("badfree", -EINVAL);

	mutex_lock(&buddy.user_lock);
	entry = handle_find(req.handle);
	if (!entry) {
		ret = -ENOENT;
		goto unlock;
	}
	handle_decode(entry, &page, &order);
	if (req.kind == MMSCOPE_BUDDY_BADFREE_DOUBLE) {
		handle_drop(req.handle, order);
		req.result = mms_buddy_free_twice(page, order);
	} else if (req.kind == MMSCOPE_BUDDY_BADFREE_BUSY) {
		/* As if someone (get_user_pages) still held the last page. */
		struct page *last = pfn_to_page(page_to_pfn(page) +
						(1UL << order) - 1);

		get_page(last);
		req.result = mms_buddy_free(page, order);
		put_page(last);
		WARN_ON_ONCE(!req.result);
	} else if (order) {
		req.result = mms_buddy_free(pfn_to_page(page_to_pfn(page) + 1),
					    0);
		WARN_ON_ONCE(!req.result);
	} else {
		ret = -EINVAL;
	}
unlock:
	mutex_unlock(&buddy.user_lock);
	if (ret)
		return ret;
out:
	if (copy_to_user(arg, &req, sizeof(req)))
		return -EFAULT;
	return 0;
}

/* ---- benchmark: the same workloads on mmscope and on alloc_pages() ---- */

#define MMS_BENCH_BATCH		512
#define MMS_BENCH_SLOTS		64
#define MMS_BENCH_MAX_ORDER	3

struct mms_bench_slot {
	struct page *page;
	unsigned int order;
};

static u64 bench_rand(u64 *state)
{
	/* xorshift64*: the same sequence for both allocators. */
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * 0x2545F4914F6CDD1DULL;
}

static struct page *bench_alloc(u32 allocator, unsigned int order)
{
	struct page *page;
	unsigned long i;

	if (allocator == MMSCOPE_BUDDY_BENCH_KERNEL)
		return alloc_pages(GFP_KERNEL, order);
	page = mms_buddy_alloc(order);
	/* What a caller exposing the pages pays, and init_on_alloc does. */
	if (page && allocator == MMSCOPE_BUDDY_BENCH_MMSCOPE_CLEAR)
		for (i = 0; i < (1UL << order); i++)
			clear_highpage(pfn_to_page(page_to_pfn(page) + i));
	return page;
}

static void bench_free(u32 allocator, struct page *page, unsigned int order)
{
	if (allocator == MMSCOPE_BUDDY_BENCH_KERNEL)
		__free_pages(page, order);
	else
		mms_buddy_free(page, order);
}

/* Every 4096 operations: let others run, stop on a fatal signal. */
static bool bench_breath(u64 done)
{
	if (done & 4095)
		return false;
	cond_resched();
	return fatal_signal_pending(current);
}

static void bench_pairs(struct mmscope_buddy_bench *b)
{
	struct page *page;

	while (b->done + 2 <= b->ops) {
		page = bench_alloc(b->allocator, 0);
		b->done++;
		if (!page) {
			b->failures++;
			continue;
		}
		bench_free(b->allocator, page, 0);
		b->done++;
		if (bench_breath(b->done))
			break;
	}
}

static int bench_batch(struct mmscope_buddy_bench *b)
{
	struct page **pages;
	unsigned int i, n;

	pages = kmalloc_array(MMS_BENCH_BATCH, sizeof(*pages), GFP_KERNEL);
	if (!pages)
		return -ENOMEM;
	while (b->done + 2 * MMS_BENCH_BATCH <= b->ops) {
		for (i = 0, n = 0; i < MMS_BENCH_BATCH; i++) {
			pages[n] = bench_alloc(b->allocator, 0);
			if (pages[n])
				n++;
			else
				b->failures++;
		}
		for (i = 0; i < n; i++)
			bench_free(b->allocator, pages[i], 0);
		b->done += MMS_BENCH_BATCH + n;
		cond_resched();
		if (fatal_signal_pending(current))
			break;
	}
	kfree(pages);
	return 0;
}

static void bench_random(struct mmscope_buddy_bench *b,
			 struct mms_bench_slot *slot)
{
	u64 state = b->seed ? b->seed : 1, r;
	struct mms_bench_slot *s;

	while (b->done < b->ops) {
		r = bench_rand(&state);
		s = &slot[r % MMS_BENCH_SLOTS];
		if (s->page) {
			bench_free(b->allocator, s->page, s->order);
			s->page = NULL;
		} else {
			s->order = (r >> 32) % (MMS_BENCH_MAX_ORDER + 1);
			s->page = bench_alloc(b->allocator, s->order);
			if (!s->page)
				b->failures++;
		}
		b->done++;
		if (bench_breath(b->done))
			break;
	}
}

static long ioctl_bench(void __user *arg)
{
	struct mms_bench_slot *slot = NULL;
	struct mmscope_buddy_bench b;
	unsigned int i;
	u64 t0;
	int ret = 0;

	if (copy_req(&b, arg, sizeof(b), true, "bench"))
		return -EFAULT;
	if (b.pad || !reserved_zero(b.reserved, ARRAY_SIZE(b.reserved)) ||
	    !b.ops || b.ops > (1ULL << 32) ||
	    b.allocator < MMSCOPE_BUDDY_BENCH_MMSCOPE ||
	    b.allocator > MMSCOPE_BUDDY_BENCH_MMSCOPE_CLEAR)
		return user_refuse("bench", -EINVAL);
	if (b.workload == MMSCOPE_BUDDY_BENCH_RANDOM) {
		slot = kcalloc(MMS_BENCH_SLOTS, sizeof(*slot), GFP_KERNEL);
		if (!slot)
			return -ENOMEM;
	} else if (b.workload != MMSCOPE_BUDDY_BENCH_PAIRS &&
		   b.workload != MMSCOPE_BUDDY_BENCH_BATCH) {
		return user_refuse("bench", -EINVAL);
	}
	b.done = 0;
	b.failures = 0;
	b.init_on_alloc = want_init_on_alloc(GFP_KERNEL);

	t0 = ktime_get_ns();
	if (b.workload == MMSCOPE_BUDDY_BENCH_PAIRS)
		bench_pairs(&b);
	else if (b.workload == MMSCOPE_BUDDY_BENCH_BATCH)
		ret = bench_batch(&b);
	else
		bench_random(&b, slot);
	b.ns = ktime_get_ns() - t0;

	if (slot) {
		for (i = 0; i < MMS_BENCH_SLOTS; i++)
			if (slot[i].page)
				bench_free(b.allocator, slot[i].page,
					   slot[i].order);
		kfree(slot);
	}
	if (ret)
		return ret;
	if (fatal_signal_pending(current))
		return -EINTR;
	if (copy_to_user(arg, &b, sizeof(b)))
		return -EFAULT;
	return 0;
}

static long mms_buddy_ioctl(struct file *file, unsigned int cmd,
			    void __user *arg)
{
	switch (cmd) {
	case MMSCOPE_IOC_BUDDY_ALLOC:
		return ioctl_alloc(arg);
	case MMSCOPE_IOC_BUDDY_FREE:
		return ioctl_free(arg);
	case MMSCOPE_IOC_BUDDY_CHECK:
		return ioctl_check(arg);
	case MMSCOPE_IOC_BUDDY_DRAIN:
		return ioctl_drain(arg);
	case MMSCOPE_IOC_BUDDY_STATS:
		return ioctl_stats(arg);
	case MMSCOPE_IOC_BUDDY_RESET:
		return ioctl_reset(arg);
	case MMSCOPE_IOC_BUDDY_BADFREE:
		return ioctl_badfree(arg);
	case MMSCOPE_IOC_BUDDY_BENCH:
		return ioctl_bench(arg);
	default:
		return -ENOTTY;
	}
}

/* ---- set-up and teardown ---------------------------------------------- */

static int mms_buddy_init(struct dentry *dir)
{
	unsigned int max_chunks;
	int ret;

	BUILD_BUG_ON(MMS_NR_PAGE_ORDERS > MMS_BUDDY_MAX_ORDERS);
	BUILD_BUG_ON(MMS_NR_PAGE_ORDERS > MMSCOPE_BUDDY_MAX_ORDERS);
	BUILD_BUG_ON(MMS_NR_PAGE_ORDERS > (1U << MMS_HANDLE_ORDER_BITS));

	/* buddy_max_mb in chunks of 2^MMS_MAX_PAGE_ORDER pages, at least one. */
	max_chunks = max(1UL, ((unsigned long)mms_buddy_max_mb <<
			       (20 - PAGE_SHIFT)) >> MMS_MAX_PAGE_ORDER);

	spin_lock_init(&buddy.lock);
	INIT_LIST_HEAD(&buddy.graveyard);
	INIT_WORK(&buddy.reap_work, mms_buddy_reap);
	mutex_init(&buddy.user_lock);
	xa_init_flags(&buddy.user, XA_FLAGS_ALLOC1);
	buddy.user_blocks = 0;
	buddy.user_pages = 0;
	buddy.user_bad_handles = 0;
	atomic_long_set(&buddy.bad_free_busy, 0);
	atomic_long_set(&buddy.user_invalid, 0);

	buddy.pcp = alloc_percpu(struct mms_pcp);
	if (!buddy.pcp)
		return -ENOMEM;

	/* Lookup sized for every chunk plus every page bootmem may retire. */
	ret = mms_buddy_core_init(&buddy.core, &mms_buddy_ops, NULL,
				  MMS_NR_PAGE_ORDERS, max_chunks,
				  MMS_SPARE_CHUNKS,
				  (unsigned long)max_chunks + mms_bootmem_pages);
	if (ret)
		goto err_pcp;

	buddy.dir = dir;
	mms_buddy_debugfs(dir);
	pr_debug("up to %u chunks of %lu KiB\n", max_chunks,
		 (PAGE_SIZE << MMS_MAX_PAGE_ORDER) >> 10);
	return 0;

err_pcp:
	free_percpu(buddy.pcp);
	buddy.pcp = NULL;
	return ret;
}

static void mms_buddy_exit(void)
{
	struct mmscope_buddy_reset reset;
	struct mms_buddy_range *r, *tmp;
	unsigned long busy, kept = 0, flags;
	LIST_HEAD(dead);

	/* Nothing may read our state once it starts going away. */
	debugfs_remove_recursive(buddy.dir);
	buddy.dir = NULL;

	mms_buddy_user_reset(&reset);
	pcp_drain_all();
	flush_work(&buddy.reap_work);
	mms_buddy_reap(&buddy.reap_work);

	spin_lock_irqsave(&buddy.lock, flags);
	busy = mms_buddy_core_fini(&buddy.core, &dead);
	spin_unlock_irqrestore(&buddy.lock, flags);
	list_for_each_entry_safe(r, tmp, &dead, node) {
		list_del(&r->node);
		kept += mms_buddy_core_range_destroy(&buddy.core, r);
	}
	/*
	 * Pages still allocated belong to a caller that forgot them: leaking
	 * them is safe, freeing them under a user would not be.
	 */
	if (busy || kept)
		pr_err("%lu pages still allocated at exit (%lu kept back from the kernel)\n",
		       busy, kept);
	if (reset.blocks)
		pr_info("freed %llu blocks user space left allocated\n",
			reset.blocks);
	free_percpu(buddy.pcp);
	buddy.pcp = NULL;
	xa_destroy(&buddy.user);
	mutex_destroy(&buddy.user_lock);
}

const struct mms_mechanism mms_buddy_mechanism = {
	.name = "buddy",
	.feature = MMSCOPE_FEAT_BUDDY,
	.init = mms_buddy_init,
	.exit = mms_buddy_exit,
	.ioc_base = MMSCOPE_IOC_BUDDY_BASE,
	.ioctl = mms_buddy_ioctl,
};
