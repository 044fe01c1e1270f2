/* SPDX-License-Identifier: GPL-2.0 */
/*
 * TEMPORARY STUB HEADER (branch fault): the buddy branch owns this file and
 * its real implementation. Drop this file and buddy_stub.c when merging.
 *
 * The kernel API of mmscope's buddy allocator, as agreed for issue 6.
 */
#ifndef _MMSCOPE_BUDDY_H
#define _MMSCOPE_BUDDY_H

struct page;
struct mms_mechanism;

/* TEMPORARY: the stub's mechanism (keeps freed pages; frees them at exit). */
extern const struct mms_mechanism mms_buddy_stub_mechanism;

/**
 * mms_buddy_alloc() - take a block of 2^@order pages from mmscope's buddy
 * @order: block order
 *
 * The pages are split_page()'d: each has refcount 1 and may be mapped as a
 * normal refcounted page. They are NOT zeroed.
 *
 * Return: the first page, or NULL if no block is free.
 */
struct page *mms_buddy_alloc(unsigned int order);

/**
 * mms_buddy_free() - give a block back to mmscope's buddy
 * @page: first page of a block from mms_buddy_alloc()
 * @order: its order
 *
 * Return: 0, or a negative errno if @page is not an allocated block.
 */
int mms_buddy_free(struct page *page, unsigned int order);

#endif /* _MMSCOPE_BUDDY_H */
