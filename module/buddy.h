/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmscope's buddy allocator: the pages every other part of mmscope hands
 * out come from here. Chunks of MMS_MAX_PAGE_ORDER come from alloc_pages()
 * on demand (up to buddy_max_mb) and are split_page()d at intake, so each
 * page has its own refcount of 1 for as long as mmscope holds it: a page
 * may be mapped as a normal refcounted page, and must be back at refcount
 * 1 and unmapped when it is freed here.
 */
#ifndef _MMSCOPE_BUDDY_H
#define _MMSCOPE_BUDDY_H

struct page;
struct mms_mechanism;

#include <linux/types.h>

struct page *mms_buddy_alloc(unsigned int order);
struct page *mms_buddy_alloc_page(bool *zeroed);
int mms_buddy_free(struct page *page, unsigned int order);
int mms_buddy_adopt(struct page *page, unsigned int order);

extern const struct mms_mechanism mms_buddy_mechanism;

#endif /* _MMSCOPE_BUDDY_H */
