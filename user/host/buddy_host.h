/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host-side glue for module/buddy_core.c, shared by the unit suite and the
 * fuzz target: a fake page source handing out chunk-aligned frame numbers
 * (recycled like alloc_pages recycles memory), metadata from calloc, and
 * the same grow-and-retry sequence as module/buddy.c, without locks.
 */
#ifndef _MMSCOPE_BUDDY_HOST_H
#define _MMSCOPE_BUDDY_HOST_H

#include "buddy_core.h"

#define HB_MAX_FAKE_CHUNKS	4096
/* Fake chunks sit at odd multiples of their size: never adjacent. */
#define HB_CHUNK_BASE		64UL
/* Frames handed to adopt() come from far above any fake chunk. */
#define HB_ADOPT_BASE		BIT(40)

struct host_buddy {
	struct mms_buddy_core core;
	unsigned int nr_orders;
	/* fake page source */
	bool out[HB_MAX_FAKE_CHUNKS];	/* chunk number handed out */
	unsigned int recycle[HB_MAX_FAKE_CHUNKS];
	unsigned int nr_recycle;
	unsigned int next_chunk;
	unsigned int chunks_out;
	unsigned long chunk_gets, chunk_puts, bad_puts;
	bool fail_chunks;		/* make chunk_get fail */
	bool fail_meta;			/* make meta_alloc fail */
	long meta_live;			/* metadata allocations not freed */
	unsigned long pages_put;	/* frames given back one by one */
	void (*on_page_put)(struct host_buddy *hb, unsigned long pfn);
	void *test;			/* for the test's callbacks */
};

static inline unsigned long hb_chunk_pfn(const struct host_buddy *hb,
					 unsigned int nr)
{
	return (HB_CHUNK_BASE + 2UL * nr) << (hb->nr_orders - 1);
}

static int hb_chunk_get(void *priv, unsigned int order, unsigned long *pfn)
{
	struct host_buddy *hb = priv;
	unsigned int nr;

	if (hb->fail_chunks || order != hb->nr_orders - 1)
		return -ENOMEM;
	if (hb->nr_recycle)
		nr = hb->recycle[--hb->nr_recycle];
	else if (hb->next_chunk < HB_MAX_FAKE_CHUNKS)
		nr = hb->next_chunk++;
	else
		return -ENOMEM;
	hb->out[nr] = true;
	hb->chunks_out++;
	hb->chunk_gets++;
	*pfn = hb_chunk_pfn(hb, nr);
	return 0;
}

static void hb_chunk_put(void *priv, unsigned int order, unsigned long pfn)
{
	struct host_buddy *hb = priv;
	unsigned long nr = (pfn >> order) - HB_CHUNK_BASE;

	if (order != hb->nr_orders - 1 || (pfn & ((1UL << order) - 1)) ||
	    (pfn >> order) < HB_CHUNK_BASE || nr % 2 ||
	    nr / 2 >= HB_MAX_FAKE_CHUNKS || !hb->out[nr / 2]) {
		hb->bad_puts++;
		return;
	}
	hb->out[nr / 2] = false;
	hb->chunks_out--;
	hb->chunk_puts++;
	hb->recycle[hb->nr_recycle++] = nr / 2;
}

static void hb_page_put(void *priv, unsigned long pfn)
{
	struct host_buddy *hb = priv;

	hb->pages_put++;
	if (hb->on_page_put)
		hb->on_page_put(hb, pfn);
}

static void *hb_meta_alloc(void *priv, size_t size)
{
	struct host_buddy *hb = priv;
	void *p;

	if (hb->fail_meta)
		return NULL;
	p = calloc(1, size);
	if (p)
		hb->meta_live++;
	return p;
}

static void hb_meta_free(void *priv, void *p)
{
	struct host_buddy *hb = priv;

	if (p)
		hb->meta_live--;
	free(p);
}

static const struct mms_buddy_ops hb_ops = {
	.chunk_get = hb_chunk_get,
	.chunk_put = hb_chunk_put,
	.page_put = hb_page_put,
	.meta_alloc = hb_meta_alloc,
	.meta_free = hb_meta_free,
};

/* A fresh host_buddy on the heap (it is large), or NULL. */
static inline struct host_buddy *hb_new(unsigned int nr_orders,
					unsigned int max_chunks,
					unsigned int spare_chunks)
{
	struct host_buddy *hb = calloc(1, sizeof(*hb));

	if (!hb)
		return NULL;
	hb->nr_orders = nr_orders;
	if (mms_buddy_core_init(&hb->core, &hb_ops, hb, nr_orders, max_chunks,
				spare_chunks, max_chunks + 64)) {
		free(hb);
		return NULL;
	}
	return hb;
}

/* What module/buddy.c does after dropping its lock. */
static inline void hb_reap(struct host_buddy *hb, struct list_head *released)
{
	struct mms_buddy_range *r, *tmp;

	list_for_each_entry_safe(r, tmp, released, node) {
		list_del(&r->node);
		mms_buddy_core_range_destroy(&hb->core, r);
	}
}

/* Allocate, growing by a chunk when needed: pfn, or -1. */
static inline long hb_alloc(struct host_buddy *hb, unsigned int order)
{
	struct mms_buddy_page *p;

	for (;;) {
		struct mms_buddy_range *chunk;
		int ret;

		p = mms_buddy_core_alloc(&hb->core, order);
		if (p)
			return (long)mms_buddy_page_pfn(p);
		if (order >= hb->nr_orders ||
		    !mms_buddy_core_grow_begin(&hb->core))
			break;
		chunk = mms_buddy_core_chunk_new(&hb->core);
		ret = mms_buddy_core_grow_end(&hb->core, chunk);
		if (ret == -ENOMEM)
			break;
		if (ret)
			mms_buddy_core_range_destroy(&hb->core, chunk);
	}
	mms_buddy_core_alloc_failed(&hb->core, order);
	return -1;
}

static inline int hb_free(struct host_buddy *hb, unsigned long pfn,
			  unsigned int order)
{
	LIST_HEAD(released);
	int ret;

	ret = mms_buddy_core_free(&hb->core, pfn, order, &released);
	hb_reap(hb, &released);
	return ret;
}

static inline int hb_adopt(struct host_buddy *hb, unsigned long pfn,
			   unsigned int order)
{
	struct mms_buddy_range *r;
	int ret;

	ret = mms_buddy_core_range_new(&hb->core, pfn, order, &r);
	if (ret)
		return ret;
	ret = mms_buddy_core_adopt(&hb->core, r);
	if (ret)
		mms_buddy_core_range_discard(&hb->core, r);
	return ret;
}

static inline unsigned int hb_trim(struct host_buddy *hb)
{
	LIST_HEAD(released);
	unsigned int n;

	n = mms_buddy_core_trim(&hb->core, &released);
	hb_reap(hb, &released);
	return n;
}

/* Tear down; returns frames left allocated (and so not given back). */
static inline unsigned long hb_fini(struct host_buddy *hb)
{
	LIST_HEAD(released);
	struct mms_buddy_range *r, *tmp;
	unsigned long kept = 0;

	mms_buddy_core_fini(&hb->core, &released);
	list_for_each_entry_safe(r, tmp, &released, node) {
		list_del(&r->node);
		kept += mms_buddy_core_range_destroy(&hb->core, r);
	}
	return kept;
}

#endif /* _MMSCOPE_BUDDY_HOST_H */
