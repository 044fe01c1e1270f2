/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels mmscope builds for lives here:
 * Debian 12's 6.1 now, Debian 13's 6.12 next. Code elsewhere uses only the
 * mms_* names below, never a LINUX_VERSION_CODE test of its own.
 */
#ifndef _MMSCOPE_COMPAT_H
#define _MMSCOPE_COMPAT_H

#include <linux/version.h>
#include <linux/mmzone.h>
#include <linux/mm.h>

/*
 * Number of buddy orders. 6.1: MAX_ORDER is exclusive (11: orders 0..10).
 * 6.4 made MAX_ORDER inclusive (10); 6.8 renamed it MAX_PAGE_ORDER and
 * added NR_PAGE_ORDERS.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
#define MMS_NR_PAGE_ORDERS	NR_PAGE_ORDERS
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define MMS_NR_PAGE_ORDERS	(MAX_ORDER + 1)
#else
#define MMS_NR_PAGE_ORDERS	MAX_ORDER
#endif
#define MMS_MAX_PAGE_ORDER	(MMS_NR_PAGE_ORDERS - 1)

/* 6.3 made vma->vm_flags read-only behind vm_flags_set()/vm_flags_clear(). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
static inline void mms_vm_flags_set(struct vm_area_struct *vma,
				    vm_flags_t flags)
{
	vm_flags_set(vma, flags);
}

static inline void mms_vm_flags_clear(struct vm_area_struct *vma,
				      vm_flags_t flags)
{
	vm_flags_clear(vma, flags);
}
#else
static inline void mms_vm_flags_set(struct vm_area_struct *vma,
				    vm_flags_t flags)
{
	vma->vm_flags |= flags;
}

static inline void mms_vm_flags_clear(struct vm_area_struct *vma,
				      vm_flags_t flags)
{
	vma->vm_flags &= ~flags;
}
#endif

#endif /* _MMSCOPE_COMPAT_H */
