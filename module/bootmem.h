/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmscope's bootmem node: the bootmem algorithm (bootmem_core.c) running
 * over pages taken from the kernel, driven through /dev/mmscope.
 */
#ifndef _MMSCOPE_BOOTMEM_H
#define _MMSCOPE_BOOTMEM_H

#include "mmscope.h"

struct mmscope_bootmem_bench;

extern const struct mms_mechanism mms_bootmem_mechanism;

/* bootmem_bench.c */
int mms_bootmem_bench(struct mmscope_bootmem_bench *b);

#endif /* _MMSCOPE_BOOTMEM_H */
