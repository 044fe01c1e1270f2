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

/*
 * Each open() of /dev/mmscope is a new, empty in-memory file, as with
 * memfd_create(): every MAP_SHARED mapping of that open file (in this
 * process, across fork(), or in a process given the fd) sees the same
 * pages; MAP_PRIVATE mappings copy on write. mmap offsets are byte offsets
 * into the file, in units of the file's page size (PAGE_SIZE today).
 *
 * The size starts at 0 and is set with MMSCOPE_IOC_FILE_SET_SIZE, like
 * ftruncate() (which a character device cannot offer): an access at or
 * past the size raises SIGBUS; shrinking unmaps and frees the pages past
 * the new end.
 *
 * Room for the huge-page pool (PMD mappings): command 0x33 is reserved for
 * MMSCOPE_IOC_FILE_SET_PAGE_SIZE (switch an empty file to 2 MiB pages);
 * mmscope_file_info.page_size reports which kind a file is.
 */

/**
 * struct mmscope_file_info - one open file of /dev/mmscope
 *	(MMSCOPE_IOC_FILE_INFO)
 * @size: file size in bytes
 * @page_size: size of the file's pages in bytes (PAGE_SIZE)
 * @pages: pages the file holds (written at least once, not truncated)
 * @zero_mapped: 1 if a read of a hole may have mapped the shared zero page
 *	since the file was last emptied (a shared write to a hole then also
 *	unmaps that offset from every mapping), else 0
 * @reserved: zero
 */
struct mmscope_file_info {
	__u64 size;
	__u64 page_size;
	__u64 pages;
	__u64 zero_mapped;
	__u64 reserved[4];
};

/* Page-table levels, indices of mmscope_pagewalk.entry[] and .flags[]. */
#define MMSCOPE_PW_PGD		0
#define MMSCOPE_PW_P4D		1
#define MMSCOPE_PW_PUD		2
#define MMSCOPE_PW_PMD		3
#define MMSCOPE_PW_PTE		4
#define MMSCOPE_PW_NR_LEVELS	5
#define MMSCOPE_PW_NO_LEAF	0xff	/* .leaf: nothing maps the address */

/* Bits of mmscope_pagewalk.flags[level], decoded from entry[level]. */
#define MMSCOPE_PW_PRESENT	(1U << 0)	/* hardware present bit */
#define MMSCOPE_PW_WRITE	(1U << 1)	/* R/W */
#define MMSCOPE_PW_USER		(1U << 2)	/* U/S */
#define MMSCOPE_PW_ACCESSED	(1U << 3)
#define MMSCOPE_PW_DIRTY	(1U << 4)
#define MMSCOPE_PW_HUGE		(1U << 5)	/* PSE at PUD/PMD: maps a page */
#define MMSCOPE_PW_NX		(1U << 6)
#define MMSCOPE_PW_SPECIAL	(1U << 7)	/* software bit: no page refcount */
#define MMSCOPE_PW_PROTNONE	(1U << 8)	/* PROT_NONE or NUMA hint entry */
#define MMSCOPE_PW_FOLDED	(1U << 9)	/* level folded (P4D with 4 levels) */
#define MMSCOPE_PW_LEAF		(1U << 10)	/* the entry that maps the page */

/* Bits of mmscope_pagewalk.result. */
#define MMSCOPE_PW_R_MAPPED	(1U << 0)	/* a present leaf maps @addr */
#define MMSCOPE_PW_R_ZERO_PAGE	(1U << 1)	/* the shared (huge) zero page */

/* mmscope_pagewalk.vma_kind */
#define MMSCOPE_VMA_NONE	0	/* no mapping at @addr */
#define MMSCOPE_VMA_ANON	1
#define MMSCOPE_VMA_FILE	2	/* any other file, including shmem */
#define MMSCOPE_VMA_HUGETLB	3
#define MMSCOPE_VMA_MMSCOPE	4	/* a mapping of /dev/mmscope */
#define MMSCOPE_VMA_PFNMAP	5	/* VM_PFNMAP or VM_IO */

/**
 * struct mmscope_pagewalk - the page-table entries that translate one
 *	address of the calling process (MMSCOPE_IOC_PAGEWALK)
 * @addr: in: a user virtual address of the caller
 * @entry: out: raw entry read at each level (pgd, p4d, pud, pmd, pte);
 *	zero below the level where the walk stopped
 * @flags: out: MMSCOPE_PW_* bits decoded from each entry
 * @levels: out: paging levels the CPU uses (4 or 5)
 * @last: out: deepest level read (MMSCOPE_PW_*)
 * @leaf: out: level of the entry mapping @addr, or MMSCOPE_PW_NO_LEAF
 * @vma_kind: out: MMSCOPE_VMA_* of the mapping containing @addr
 * @pfn: out: page frame of the 4 KiB page at @addr (valid with
 *	MMSCOPE_PW_R_MAPPED; for a huge leaf: its first pfn + the index)
 * @page_size: out: bytes the leaf maps (4 KiB, 2 MiB or 1 GiB)
 * @vm_flags: out: the mapping's vm_flags (VM_* of include/linux/mm.h)
 * @result: out: MMSCOPE_PW_R_* bits
 * @reserved: zero
 */
struct mmscope_pagewalk {
	__u64 addr;
	__u64 entry[MMSCOPE_PW_NR_LEVELS];
	__u32 flags[MMSCOPE_PW_NR_LEVELS];
	__u32 levels;
	__u32 last;
	__u32 leaf;
	__u32 vma_kind;
	__u32 result;
	__u64 pfn;
	__u64 page_size;
	__u64 vm_flags;
	__u64 reserved[4];
};

/* Set the size of this open file (bytes, a multiple of its page size). */
#define MMSCOPE_IOC_FILE_SET_SIZE \
	_IOW(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 0, __u64)
#define MMSCOPE_IOC_FILE_INFO \
	_IOR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 1, struct mmscope_file_info)
/* Any open file: walks the caller's page tables, not the file's. */
#define MMSCOPE_IOC_PAGEWALK \
	_IOWR(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 2, struct mmscope_pagewalk)
/* MMSCOPE_IOC_FILE_BASE + 3: reserved, MMSCOPE_IOC_FILE_SET_PAGE_SIZE. */

/* ---- huge page pool (MMSCOPE_IOC_HUGEPOOL_BASE) ------------------------ */

/* ---- kprobes on the kernel's mm (MMSCOPE_IOC_PROBES_BASE) -------------- */

#endif /* _UAPI_MMSCOPE_H */
