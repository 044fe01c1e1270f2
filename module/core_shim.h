/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The allocator cores (*_core.c) are compiled twice: into mmscope.ko and,
 * unchanged, into host test and fuzz programs (user/host/), as
 * tools/testing/memblock does for mm/memblock.c. They include this header
 * and nothing else, so everything they use must exist on both sides: the
 * kernel headers below, or their stand-ins in user/host/host_shim.h.
 */
#ifndef _MMSCOPE_CORE_SHIM_H
#define _MMSCOPE_CORE_SHIM_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/pfn.h>
#include <linux/string.h>
#include <linux/types.h>
#include <asm/page.h>
#else
#include "host_shim.h"
#endif

#endif /* _MMSCOPE_CORE_SHIM_H */
