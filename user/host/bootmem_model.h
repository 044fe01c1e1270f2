/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A trivially correct model of module/bootmem_core.c: one byte per page,
 * every search a plain loop over candidate pages. Shared by the host
 * suite's differential test and the fuzz target; both drive the core and
 * the model with the same operations and compare every result.
 *
 * It follows the documented rules, not the code: rounding of each call,
 * the candidate order of an allocation (hint, then goal, then page 0),
 * last_end_off packing, the map's own pages staying reserved.
 */
#ifndef _MMSCOPE_BOOTMEM_MODEL_H
#define _MMSCOPE_BOOTMEM_MODEL_H

#include "bootmem_core.h"

struct bm_model {
	unsigned char *st;	/* 1 = reserved */
	unsigned long n, map_start, map_pages;
	unsigned long hint;
	u64 last_end_off;
	u64 invalid, double_frees, reserved_twice;
};

static inline bool bm_model_is_map(const struct bm_model *m, unsigned long i)
{
	return i >= m->map_start && i < m->map_start + m->map_pages;
}

static inline void bm_model_init(struct bm_model *m, unsigned long n,
				 unsigned long map_start)
{
	free(m->st);
	memset(m, 0, sizeof(*m));
	m->st = malloc(n);
	memset(m->st, 1, n);
	m->n = n;
	m->map_start = map_start;
	/* One bit per page, in whole longs, in whole pages. */
	m->map_pages = ((n + 63) / 64 * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
}

static inline void bm_model_destroy(struct bm_model *m)
{
	free(m->st);
	m->st = NULL;
}

static inline unsigned long bm_model_reserved(const struct bm_model *m)
{
	unsigned long i, r = 0;

	for (i = 0; i < m->n; i++)
		r += m->st[i];
	return r;
}

static inline bool bm_model_range_ok(struct bm_model *m, u64 addr, u64 size)
{
	u64 bytes = (u64)m->n * PAGE_SIZE;

	if (size == 0 || addr > bytes || size > bytes - addr) {
		m->invalid++;
		return false;
	}
	return true;
}

/* Free the pages i with first <= i < last; the caller has rounded. */
static inline int bm_model_clear(struct bm_model *m, unsigned long first,
				 unsigned long last, unsigned long *freed)
{
	unsigned long i;

	*freed = 0;
	if (first >= last)
		return 0;
	for (i = first; i < last; i++) {
		if (!m->st[i]) {
			m->double_frees++;
			return -EALREADY;
		}
	}
	for (i = first; i < last; i++) {
		if (!bm_model_is_map(m, i)) {
			m->st[i] = 0;
			(*freed)++;
		}
	}
	if (m->hint > first)
		m->hint = first;
	if (m->last_end_off % PAGE_SIZE &&
	    m->last_end_off / PAGE_SIZE >= first &&
	    m->last_end_off / PAGE_SIZE < last)
		m->last_end_off = 0;
	return 0;
}

static inline int bm_model_free(struct bm_model *m, u64 addr, u64 size,
				unsigned long *freed)
{
	unsigned long i, first = m->n, last = 0;

	*freed = 0;
	if (!bm_model_range_ok(m, addr, size))
		return -EINVAL;
	/* Pages lying wholly inside the range. */
	for (i = 0; i < m->n; i++) {
		if ((u64)i * PAGE_SIZE >= addr &&
		    (u64)(i + 1) * PAGE_SIZE <= addr + size) {
			if (first == m->n)
				first = i;
			last = i + 1;
		}
	}
	return bm_model_clear(m, first, last, freed);
}

static inline int bm_model_free_alloc(struct bm_model *m, u64 addr, u64 size,
				      unsigned long *freed)
{
	unsigned long i, first, last;

	*freed = 0;
	if (!bm_model_range_ok(m, addr, size))
		return -EINVAL;
	/* The allocation owns the pages that start inside it, and its tail. */
	first = (addr + PAGE_SIZE - 1) / PAGE_SIZE;
	last = (addr + size + PAGE_SIZE - 1) / PAGE_SIZE;
	for (i = first; i < last; i++) {
		if (bm_model_is_map(m, i)) {
			m->invalid++;
			return -EINVAL;
		}
	}
	return bm_model_clear(m, first, last, freed);
}

static inline int bm_model_reserve(struct bm_model *m, u64 addr, u64 size,
				   unsigned long *reserved,
				   unsigned long *twice)
{
	unsigned long i;

	*reserved = 0;
	*twice = 0;
	if (!bm_model_range_ok(m, addr, size))
		return -EINVAL;
	/* Pages touching the range. */
	for (i = 0; i < m->n; i++) {
		if ((u64)(i + 1) * PAGE_SIZE <= addr ||
		    (u64)i * PAGE_SIZE >= addr + size ||
		    bm_model_is_map(m, i))
			continue;
		if (m->st[i])
			(*twice)++;
		else
			(*reserved)++;
		m->st[i] = 1;
	}
	m->reserved_twice += *twice;
	return 0;
}

static inline bool bm_model_fits(const struct bm_model *m, u64 c,
				 unsigned long pages)
{
	unsigned long i;

	if (c + pages > m->n)
		return false;
	for (i = 0; i < pages; i++)
		if (m->st[c + i])
			return false;
	return true;
}

/* First candidate c in [from, upto), c a multiple of step, that fits. */
static inline u64 bm_model_scan(const struct bm_model *m, u64 from, u64 upto,
				unsigned long pages, u64 step)
{
	u64 c;

	for (c = from; c < upto && c < m->n; c += step)
		if (bm_model_fits(m, c, pages))
			return c;
	return m->n;
}

static inline u64 bm_model_roundup(u64 x, u64 a)
{
	return (x + a - 1) / a * a;
}

static inline int bm_model_alloc(struct bm_model *m, u64 size, u64 align,
				 u64 goal, u64 *addr)
{
	u64 bytes = (u64)m->n * PAGE_SIZE, step, start, s, c, start_off;
	u64 end_off, i;
	unsigned long pages;
	bool merge;

	if (size == 0 || align == 0 || (align & (align - 1))) {
		m->invalid++;
		return -EINVAL;
	}
	if (size > bytes)
		return -ENOMEM;
	pages = (size + PAGE_SIZE - 1) / PAGE_SIZE;
	step = align / PAGE_SIZE ? align / PAGE_SIZE : 1;

	start = 0;
	if (goal / PAGE_SIZE > 0 && goal / PAGE_SIZE < m->n)
		start = bm_model_roundup(goal / PAGE_SIZE, step);
	s = start;
	if (m->hint > start)
		s = bm_model_roundup(m->hint, step);
	c = bm_model_scan(m, s, m->n, pages, step);
	if (c == m->n)
		c = bm_model_scan(m, start, s, pages, step);
	if (c == m->n)
		c = bm_model_scan(m, 0, start, pages, step);
	if (c == m->n)
		return -ENOMEM;

	start_off = c * PAGE_SIZE;
	if (m->last_end_off % PAGE_SIZE &&
	    m->last_end_off / PAGE_SIZE + 1 == c)
		start_off = bm_model_roundup(m->last_end_off, align);
	merge = start_off / PAGE_SIZE < c;
	end_off = start_off + size;
	for (i = start_off / PAGE_SIZE + merge;
	     i < (end_off + PAGE_SIZE - 1) / PAGE_SIZE; i++) {
		if (m->st[i])
			abort();	/* the model itself is broken */
		m->st[i] = 1;
	}
	m->last_end_off = end_off;
	m->hint = (end_off + PAGE_SIZE - 1) / PAGE_SIZE;
	*addr = start_off;
	return 0;
}

#endif /* _MMSCOPE_BOOTMEM_MODEL_H */
