// SPDX-License-Identifier: GPL-2.0
/*
 * Page-table walk (MMSCOPE_IOC_PAGEWALK): what the MMU sees for one address
 * of the calling process, any kind of mapping.
 *
 * walk_page_range() is not exported in 6.1, so this walks by hand, the way
 * /proc/pid/pagemap's callbacks read entries: under mmap_read_lock, each
 * entry read once (READ_ONCE) into a local copy and the next level found
 * from that copy, stopping at a none, non-present, bad or huge entry. With
 * the mmap lock held for read no page table can be freed under the walk
 * (only munmap and khugepaged's collapse free them, both with the lock held
 * for write); a huge PMD may be split meanwhile, and then the walk reports
 * the entry it read.
 *
 * x86-64 only: the flag bits are the hardware's (_PAGE_*).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": pagewalk: " fmt

#include <linux/hugetlb.h>
#include <linux/string.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/uaccess.h>

#include <uapi/mmscope.h>
#include "file.h"
#include "mmscope.h"

static u32 mms_pw_decode(u64 v, unsigned int level, bool leaf)
{
	u32 f = 0;

	if (v & _PAGE_PRESENT)
		f |= MMSCOPE_PW_PRESENT;
	if (v & _PAGE_RW)
		f |= MMSCOPE_PW_WRITE;
	if (v & _PAGE_USER)
		f |= MMSCOPE_PW_USER;
	if (v & _PAGE_ACCESSED)
		f |= MMSCOPE_PW_ACCESSED;
	if (v & _PAGE_NX)
		f |= MMSCOPE_PW_NX;
	/* Bit 7 is PSE above the PTE level, PAT in a PTE. */
	if ((level == MMSCOPE_PW_PUD || level == MMSCOPE_PW_PMD) &&
	    (v & _PAGE_PSE))
		f |= MMSCOPE_PW_HUGE;
	if (!leaf)
		return f;
	f |= MMSCOPE_PW_LEAF;
	if (v & _PAGE_DIRTY)
		f |= MMSCOPE_PW_DIRTY;
	if (v & _PAGE_SPECIAL)
		f |= MMSCOPE_PW_SPECIAL;
	if (!(v & _PAGE_PRESENT) && (v & _PAGE_PROTNONE))
		f |= MMSCOPE_PW_PROTNONE;
	return f;
}

static void mms_pw_set(struct mmscope_pagewalk *pw, unsigned int level,
		       u64 v, bool leaf)
{
	pw->entry[level] = v;
	pw->flags[level] = mms_pw_decode(v, level, leaf);
	pw->last = level;
}

static void mms_pw_leaf(struct mmscope_pagewalk *pw, unsigned int level,
			unsigned long pfn, unsigned long size)
{
	pw->leaf = level;
	pw->page_size = size;
	pw->pfn = pfn + ((pw->addr & (size - 1)) >> PAGE_SHIFT);
	pw->result |= MMSCOPE_PW_R_MAPPED;
}

static u32 mms_pw_vma_kind(struct vm_area_struct *vma)
{
	if (!vma)
		return MMSCOPE_VMA_NONE;
	if (mms_file_vma(vma))
		return MMSCOPE_VMA_MMSCOPE;
	if (is_vm_hugetlb_page(vma))
		return MMSCOPE_VMA_HUGETLB;
	if (vma->vm_flags & (VM_PFNMAP | VM_IO))
		return MMSCOPE_VMA_PFNMAP;
	if (vma_is_anonymous(vma))
		return MMSCOPE_VMA_ANON;
	return MMSCOPE_VMA_FILE;
}

/*
 * The huge zero page's pfn is not exported; in an anonymous VMA a huge PMD
 * maps either an anonymous THP or the huge zero page, which is not anon.
 */
static bool mms_pw_huge_zero(struct mm_struct *mm, struct vm_area_struct *vma,
			     pmd_t pmd)
{
	return test_bit(MMF_HUGE_ZERO_PAGE, &mm->flags) && vma &&
	       vma_is_anonymous(vma) && !PageAnon(pmd_page(pmd));
}

static void mms_pw_walk(struct mm_struct *mm, struct vm_area_struct *vma,
			struct mmscope_pagewalk *pw)
{
	unsigned long addr = pw->addr;
	pgd_t pgd;
	p4d_t p4d;
	pud_t pud;
	pmd_t pmd;
	pte_t pte, *ptep;

	pgd = READ_ONCE(*pgd_offset(mm, addr));
	mms_pw_set(pw, MMSCOPE_PW_PGD, pgd_val(pgd), false);
	if (pgd_none(pgd) || pgd_bad(pgd))
		return;

	/* With 4 levels p4d_offset() returns the pgd entry itself. */
	p4d = READ_ONCE(*p4d_offset(&pgd, addr));
	mms_pw_set(pw, MMSCOPE_PW_P4D, p4d_val(p4d), false);
	if (!pgtable_l5_enabled())
		pw->flags[MMSCOPE_PW_P4D] |= MMSCOPE_PW_FOLDED;
	if (p4d_none(p4d) || p4d_bad(p4d))
		return;

	pud = READ_ONCE(*pud_offset(&p4d, addr));
	if (pud_leaf(pud) && pud_present(pud)) {
		mms_pw_set(pw, MMSCOPE_PW_PUD, pud_val(pud), true);
		mms_pw_leaf(pw, MMSCOPE_PW_PUD, pud_pfn(pud), PUD_SIZE);
		return;
	}
	mms_pw_set(pw, MMSCOPE_PW_PUD, pud_val(pud), false);
	if (pud_none(pud) || pud_bad(pud))
		return;

	pmd = READ_ONCE(*pmd_offset(&pud, addr));
	if (pmd_none(pmd)) {
		mms_pw_set(pw, MMSCOPE_PW_PMD, pmd_val(pmd), false);
		return;
	}
	if (pmd_leaf(pmd) || !pmd_present(pmd)) {
		/* Huge, PROT_NONE huge, or a migration entry. */
		mms_pw_set(pw, MMSCOPE_PW_PMD, pmd_val(pmd), true);
		if (!pmd_present(pmd))
			return;
		mms_pw_leaf(pw, MMSCOPE_PW_PMD, pmd_pfn(pmd), PMD_SIZE);
		if (mms_pw_huge_zero(mm, vma, pmd))
			pw->result |= MMSCOPE_PW_R_ZERO_PAGE;
		return;
	}
	mms_pw_set(pw, MMSCOPE_PW_PMD, pmd_val(pmd), false);
	if (pmd_bad(pmd))
		return;

	ptep = pte_offset_map(&pmd, addr);
	pte = ptep_get(ptep);
	pte_unmap(ptep);
	mms_pw_set(pw, MMSCOPE_PW_PTE, pte_val(pte), !pte_none(pte));
	if (!pte_present(pte))
		return;
	mms_pw_leaf(pw, MMSCOPE_PW_PTE, pte_pfn(pte), PAGE_SIZE);
	if (is_zero_pfn(pte_pfn(pte)))
		pw->result |= MMSCOPE_PW_R_ZERO_PAGE;
}

/**
 * mms_pagewalk_ioctl() - MMSCOPE_IOC_PAGEWALK
 * @arg: struct mmscope_pagewalk: .addr, and .reserved which must be zero
 *
 * Context: process context; takes the caller's mmap_lock for read.
 * Return: 0, -EFAULT, -EINVAL for an address outside user space or nonzero
 * reserved fields, or -EINTR if killed while waiting for the lock.
 */
long mms_pagewalk_ioctl(void __user *arg)
{
	struct mm_struct *mm = current->mm;
	struct mmscope_pagewalk pw;
	struct vm_area_struct *vma;
	u64 addr;

	/* Must take the result too: the walk changes nothing, but say so now. */
	if (copy_from_user(&pw, arg, sizeof(pw)) ||
	    !mms_user_writable(arg, sizeof(pw))) {
		mms_file_count_refused();
		return -EFAULT;
	}
	addr = pw.addr;
	if (memchr_inv(pw.reserved, 0, sizeof(pw.reserved))) {
		mms_file_count_refused();
		pr_info_ratelimited("%s[%d]: page walk: reserved fields not zero\n",
				    current->comm, task_pid_nr(current));
		return -EINVAL;
	}
	if (!mm || addr >= TASK_SIZE_MAX) {
		mms_file_count_refused();
		pr_info_ratelimited("%s[%d]: 0x%llx is not a user address\n",
				    current->comm, task_pid_nr(current), addr);
		return -EINVAL;
	}

	memset(&pw, 0, sizeof(pw));
	pw.addr = addr;
	pw.levels = pgtable_l5_enabled() ? 5 : 4;
	pw.leaf = MMSCOPE_PW_NO_LEAF;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	vma = vma_lookup(mm, addr);
	pw.vma_kind = mms_pw_vma_kind(vma);
	pw.vm_flags = vma ? vma->vm_flags : 0;
	mms_pw_walk(mm, vma, &pw);
	mmap_read_unlock(mm);

	if (copy_to_user(arg, &pw, sizeof(pw))) {
		mms_file_count_refused();
		return -EFAULT;
	}
	return 0;
}
