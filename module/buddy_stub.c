// SPDX-License-Identifier: GPL-2.0
/*
 * TEMPORARY STUB (branch fault): stands in for the buddy branch's allocator
 * so the device file can be built, tested and measured. Drop at merge.
 *
 * Order-0 only in practice: freed pages are kept on a list and handed out
 * again unzeroed, as a pool allocator does; at most buddy_max_mb MiB is
 * taken from the kernel. Fresh kernel pages are poisoned, so a caller that
 * forgets to clear is caught.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/spinlock.h>

#include <uapi/mmscope.h>
#include "buddy.h"
#include "mmscope.h"

static LIST_HEAD(stub_free);
static DEFINE_SPINLOCK(stub_lock);
static unsigned long stub_taken;	/* pages taken from the kernel */

struct page *mms_buddy_alloc(unsigned int order)
{
	unsigned long max = (unsigned long)mms_buddy_max_mb << (20 - PAGE_SHIFT);
	struct page *page = NULL;

	if (order)
		return NULL;
	spin_lock(&stub_lock);
	if (!list_empty(&stub_free)) {
		page = list_first_entry(&stub_free, struct page, lru);
		list_del(&page->lru);
	} else if (stub_taken < max) {
		stub_taken++;
	} else {
		spin_unlock(&stub_lock);
		return NULL;
	}
	spin_unlock(&stub_lock);
	if (page)
		return page;
	page = alloc_page(GFP_KERNEL | __GFP_NOWARN);
	if (!page) {
		spin_lock(&stub_lock);
		stub_taken--;
		spin_unlock(&stub_lock);
		return NULL;
	}
	memset_page(page, 0, 0xa5, PAGE_SIZE);
	return page;
}

int mms_buddy_free(struct page *page, unsigned int order)
{
	if (order || page_ref_count(page) != 1)
		return -EINVAL;
	spin_lock(&stub_lock);
	list_add(&page->lru, &stub_free);
	spin_unlock(&stub_lock);
	return 0;
}

static int stub_init(struct dentry *dir)
{
	return 0;
}

static void stub_exit(void)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, &stub_free, lru) {
		list_del(&page->lru);
		__free_page(page);
		stub_taken--;
	}
	WARN_ON(stub_taken);
}

const struct mms_mechanism mms_buddy_stub_mechanism = {
	.name = "buddy_stub",
	.feature = MMSCOPE_FEAT_BUDDY,
	.init = stub_init,
	.exit = stub_exit,
};
