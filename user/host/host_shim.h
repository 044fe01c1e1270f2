/* SPDX-License-Identifier: GPL-2.0 */
/*
 * User-space stand-ins for the few kernel facilities the allocator cores
 * use (see module/core_shim.h). Keep them semantically identical to the
 * kernel's: a core that behaves differently here tests nothing.
 */
#ifndef _MMSCOPE_HOST_SHIM_H
#define _MMSCOPE_HOST_SHIM_H

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define BITS_PER_LONG		(8 * (int)sizeof(long))
#define BITS_TO_LONGS(n)	(((n) + BITS_PER_LONG - 1) / BITS_PER_LONG)
#define BIT(n)			(1UL << (n))

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)
#ifndef __always_inline
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __maybe_unused		__attribute__((unused))
#define fallthrough		__attribute__((fallthrough))

/* Single-threaded host programs: a volatile access is all it takes. */
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	do { *(volatile __typeof__(x) *)&(x) = (val); } while (0)

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define __ALIGN_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define min(a, b)		((a) < (b) ? (a) : (b))
#define max(a, b)		((a) > (b) ? (a) : (b))
#define min_t(t, a, b)		((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b)		((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define BUILD_BUG_ON(c)		_Static_assert(!(c), #c)
#define check_add_overflow(a, b, d)	__builtin_add_overflow(a, b, d)
#define check_mul_overflow(a, b, d)	__builtin_mul_overflow(a, b, d)

/* x86-64's page size; the cores take PAGE_SIZE from here in host builds. */
#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define PFN_UP(x)		(((x) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define PFN_DOWN(x)		((x) >> PAGE_SHIFT)
#define PFN_PHYS(x)		((u64)(x) << PAGE_SHIFT)

static inline bool is_power_of_2(unsigned long n)
{
	return n != 0 && (n & (n - 1)) == 0;
}

/* Bit search: same contracts as include/asm-generic/bitops/. */
static inline unsigned long __ffs(unsigned long w)	{ return __builtin_ctzl(w); }
static inline unsigned long __fls(unsigned long w)	{ return BITS_PER_LONG - 1 - __builtin_clzl(w); }
static inline unsigned long ffz(unsigned long w)	{ return __builtin_ctzl(~w); }
static inline int fls(unsigned int x)	{ return x ? 32 - __builtin_clz(x) : 0; }
static inline int fls64(u64 x)		{ return x ? 64 - __builtin_clzll(x) : 0; }
static inline unsigned int hweight_long(unsigned long w)
{
	return __builtin_popcountl(w);
}
static inline int ilog2(unsigned long n)	{ return (int)__fls(n); }

/*
 * WARN_ON_ONCE marks a broken invariant of mmscope's own. In host builds it
 * counts and prints, and the tests assert the count stays zero.
 */
extern unsigned long host_warn_count;
#define WARN_ON_ONCE(cond) ({						\
	int __c = !!(cond);						\
	if (unlikely(__c)) {						\
		host_warn_count++;					\
		fprintf(stderr, "WARNING: %s:%d: %s\n",			\
			__FILE__, __LINE__, #cond);			\
	}								\
	__c;								\
})
#define WARN_ON(cond)		WARN_ON_ONCE(cond)

/* A minimal struct list_head, identical in behaviour to linux/list.h. */
struct list_head {
	struct list_head *next, *prev;
};

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *l)
{
	l->next = l;
	l->prev = l;
}

static inline void __list_add(struct list_head *n, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = n;
	n->next = next;
	n->prev = prev;
	prev->next = n;
}

static inline void list_add(struct list_head *n, struct list_head *h)
{
	__list_add(n, h, h->next);
}

static inline void list_add_tail(struct list_head *n, struct list_head *h)
{
	__list_add(n, h->prev, h);
}

static inline void list_del(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	e->next = NULL;
	e->prev = NULL;
}

static inline void list_del_init(struct list_head *e)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	INIT_LIST_HEAD(e);
}

static inline void list_move_tail(struct list_head *e, struct list_head *h)
{
	e->next->prev = e->prev;
	e->prev->next = e->next;
	list_add_tail(e, h);
}

static inline void list_splice_tail_init(struct list_head *list,
					 struct list_head *h)
{
	if (list->next != list) {
		struct list_head *first = list->next, *last = list->prev;

		first->prev = h->prev;
		h->prev->next = first;
		last->next = h;
		h->prev = last;
		INIT_LIST_HEAD(list);
	}
}

static inline bool list_empty(const struct list_head *h)
{
	return h->next == h;
}

#define container_of(ptr, type, member)					\
	((type *)((char *)(ptr) - offsetof(type, member)))
#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)				\
	list_entry((ptr)->next, type, member)
#define list_for_each_entry(pos, head, member)				\
	for (pos = list_entry((head)->next, __typeof__(*pos), member);	\
	     &pos->member != (head);					\
	     pos = list_entry(pos->member.next, __typeof__(*pos), member))
#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_entry((head)->next, __typeof__(*pos), member),	\
	     n = list_entry(pos->member.next, __typeof__(*pos), member);\
	     &pos->member != (head);					\
	     pos = n, n = list_entry(n->member.next, __typeof__(*n), member))

#endif /* _MMSCOPE_HOST_SHIM_H */
