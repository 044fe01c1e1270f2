// SPDX-License-Identifier: GPL-2.0
/*
 * TEMPORARY STUB (branch fault): stands in for the buddy branch's allocator
 * so the device file can be built and tested. Drop at merge.
 */
#include <linux/gfp.h>
#include <linux/highmem.h>
#include <linux/mm.h>

#include "buddy.h"

struct page *mms_buddy_alloc(unsigned int order)
{
	struct page *page;

	unsigned int i;

	page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);
	if (!page)
		return NULL;
	if (order)
		split_page(page, order);
	/* The real buddy recycles pages unzeroed: poison so callers must clear. */
	for (i = 0; i < (1U << order); i++)
		memset_page(page + i, 0, 0xa5, PAGE_SIZE);
	return page;
}

int mms_buddy_free(struct page *page, unsigned int order)
{
	unsigned int i;

	for (i = 0; i < (1U << order); i++)
		__free_page(page + i);
	return 0;
}
