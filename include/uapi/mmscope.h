/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * mmscope user-space API: the one header shared by mmscope.ko and the
 * programs in user/.
 *
 * Rules that keep it growable:
 *  - every command is _IOR/_IOW/_IOWR on MMSCOPE_IOC_MAGIC, so the struct
 *    size is part of the command number; a struct never changes size, it
 *    gains a new command or uses its reserved fields (which must be zero);
 *  - fixed-width types only, explicit padding, 8-byte aligned structs;
 *  - each mechanism owns one block of command numbers (below), so new
 *    mechanisms never renumber old ones.
 */
#ifndef _UAPI_MMSCOPE_H
#define _UAPI_MMSCOPE_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define MMSCOPE_DEVICE_PATH	"/dev/mmscope"
#define MMSCOPE_DEBUGFS_PATH	"/sys/kernel/debug/mmscope"

/* Bumped whenever a command is added; reported by MMSCOPE_IOC_INFO. */
#define MMSCOPE_UAPI_VERSION	1

/* 0xB9 is unused in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define MMSCOPE_IOC_MAGIC	0xB9

/* Command number blocks (_IOC_NR), one per mechanism. */
#define MMSCOPE_IOC_CORE_BASE		0x00	/* 0x00-0x0f */
#define MMSCOPE_IOC_BOOTMEM_BASE	0x10	/* 0x10-0x1f */
#define MMSCOPE_IOC_BUDDY_BASE		0x20	/* 0x20-0x2f */
#define MMSCOPE_IOC_FILE_BASE		0x30	/* 0x30-0x3f: device file, faults, page walk */
#define MMSCOPE_IOC_HUGEPOOL_BASE	0x40	/* 0x40-0x4f */
#define MMSCOPE_IOC_PROBES_BASE		0x50	/* 0x50-0x5f */
#define MMSCOPE_IOC_BLOCK_SIZE		0x10

/* ---- core ------------------------------------------------------------- */

/* Bits of mmscope_info.features: which mechanisms this module has. */
#define MMSCOPE_FEAT_BOOTMEM	(1ULL << 0)
#define MMSCOPE_FEAT_BUDDY	(1ULL << 1)
#define MMSCOPE_FEAT_FILE	(1ULL << 2)
#define MMSCOPE_FEAT_HUGEPOOL	(1ULL << 3)
#define MMSCOPE_FEAT_PROBES	(1ULL << 4)

/**
 * struct mmscope_info - what the loaded module is (MMSCOPE_IOC_INFO)
 * @uapi_version: MMSCOPE_UAPI_VERSION the module was built with
 * @page_size: PAGE_SIZE of the kernel
 * @features: MMSCOPE_FEAT_* bits
 * @nr_page_orders: number of buddy orders (orders 0 .. nr_page_orders - 1)
 * @pad: zero
 * @reserved: zero; room to grow
 */
struct mmscope_info {
	__u32 uapi_version;
	__u32 page_size;
	__u64 features;
	__u32 nr_page_orders;
	__u32 pad;
	__u64 reserved[4];
};

#define MMSCOPE_IOC_INFO \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_CORE_BASE + 0, struct mmscope_info)

/* ---- bootmem (MMSCOPE_IOC_BOOTMEM_BASE) -------------------------------- */

/* ---- buddy (MMSCOPE_IOC_BUDDY_BASE) ------------------------------------ */

/* ---- device file, faults, page walk (MMSCOPE_IOC_FILE_BASE) ------------ */

/* ---- huge page pool (MMSCOPE_IOC_HUGEPOOL_BASE) ------------------------ */

/* ---- kprobes on the kernel's mm (MMSCOPE_IOC_PROBES_BASE) -------------- */

#endif /* _UAPI_MMSCOPE_H */
