// SPDX-License-Identifier: GPL-2.0
/*
 * The device file: each open() of /dev/mmscope is a new in-memory file
 * whose pages come from mmscope's buddy allocator and reach user space
 * through page faults, the way do_anonymous_page() serves anonymous memory:
 *
 *  - a read fault on a never-written offset maps the kernel's shared zero
 *    page read-only (a special PTE, no reference) and allocates nothing;
 *  - a write fault allocates a page, zeroes it and maps it writable as a
 *    normal, refcounted PTE, so get_user_pages() works as on shmem;
 *  - a shared write on a zero-page PTE reaches ->pfn_mkwrite, which adds a
 *    fresh page to the file, removes the zero page from every mapping of
 *    that offset and lets the access fault once more into ->fault (three
 *    faults for read-then-write: see docs/fault.md for why not two);
 *  - private writes are copied by the kernel's own COW (do_cow_fault,
 *    wp_page_copy), exactly as for any private file mapping.
 *
 * Each file has an inode of its own (a pseudo filesystem, as device-dax
 * does) so unmap_mapping_range() reaches only that file's mappings, and
 * its pages carry ->mapping and ->index so process-shared futexes key on
 * them as on shmem.
 *
 * Locking, per file: mapping->invalidate_lock is held shared by ->fault
 * from the size check until the PTE (zero page) is in place or the page is
 * locked, and exclusive by truncation and by the zero->fresh replacement,
 * which both unmap. A page returned by ->fault stays locked until the core
 * has installed its PTE; truncation waits for that lock before unmapping.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": fault: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/highmem.h>
#include <linux/kprobes.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/pagemap.h>
#include <linux/percpu.h>
#include <linux/pfn_t.h>
#include <linux/pseudo_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/uaccess.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>

#include <uapi/mmscope.h>
#include "buddy.h"
#include "file.h"
#include "mmscope.h"

#define MMS_FS_MAGIC		0x6d6d7363	/* "mmsc" */
#define MMS_FILE_MAX_SIZE	MAX_LFS_FILESIZE
#define MMS_PARK_RETRY		HZ

/**
 * struct mms_file - one open file of /dev/mmscope
 * @inode: private inode; its i_mapping is the file's f_mapping
 * @pages: page offset -> struct page *
 * @size: bytes; changed under the mapping's invalidate_lock (exclusive)
 * @nr_pages: pages in @pages
 * @zero_mapped: a read of a hole may have mapped the zero page somewhere;
 *	cleared only when truncation to 0 has unmapped everything
 */
struct mms_file {
	struct inode *inode;
	struct xarray pages;
	loff_t size;
	atomic_long_t nr_pages;
	bool zero_mapped;
};

/* ---- counters ----------------------------------------------------------- */

enum mms_fault_event {
	MMS_EV_ZERO_MAP,	/* read of a hole: zero page mapped */
	MMS_EV_PAGE_MAP,	/* fault served an existing file page */
	MMS_EV_FRESH,		/* page allocated, zeroed and added to a file */
	MMS_EV_ZERO_REPLACED,	/* a fresh page replaced a zero-page PTE */
	MMS_EV_ZERO_UNMAP,	/* offset unmapped everywhere: zero page gone */
	MMS_EV_ZERO_MKWRITE,	/* shared write on a zero-page PTE */
	MMS_EV_COW_FAULT,	/* private write fault: kernel copies (do_cow_fault) */
	MMS_EV_COW_WP,		/* private write on a read-only PTE: wp_page_copy */
	MMS_EV_ANON_COW,	/* wp_page_copy of an anon page (fork COW) */
	MMS_EV_SIGBUS,		/* access at or past the end of the file */
	MMS_EV_NOMEM,		/* buddy allocator empty: SIGBUS */
	MMS_EV_FREED,		/* pages given back to the buddy allocator */
	MMS_EV_PARKED,		/* pages still referenced when released */
	MMS_EV_UNPARKED,	/* parked pages given back later */
	MMS_EV_PARK_RETRY,	/* passes over the parked pages */
	MMS_EV_TRUNCATED,	/* pages removed by shrinking a file */
	MMS_EV_REFUSED,		/* bad requests from user space */
	MMS_NR_EVENTS
};

static const char *const mms_event_names[MMS_NR_EVENTS] = {
	[MMS_EV_ZERO_MAP]	= "zero_maps",
	[MMS_EV_PAGE_MAP]	= "page_maps",
	[MMS_EV_FRESH]		= "fresh_pages",
	[MMS_EV_ZERO_REPLACED]	= "zero_replaced",
	[MMS_EV_ZERO_UNMAP]	= "zero_unmaps",
	[MMS_EV_ZERO_MKWRITE]	= "zero_mkwrite",
	[MMS_EV_COW_FAULT]	= "private_copy_fault",
	[MMS_EV_COW_WP]		= "private_copy_wp",
	[MMS_EV_ANON_COW]	= "anon_cow",
	[MMS_EV_SIGBUS]		= "sigbus",
	[MMS_EV_NOMEM]		= "nomem",
	[MMS_EV_FREED]		= "freed",
	[MMS_EV_PARKED]		= "parked",
	[MMS_EV_UNPARKED]	= "unparked",
	[MMS_EV_PARK_RETRY]	= "park_retries",
	[MMS_EV_TRUNCATED]	= "truncated",
	[MMS_EV_REFUSED]	= "refused",
};

struct mms_fault_counters {
	u64 ev[MMS_NR_EVENTS];
};

static DEFINE_PER_CPU(struct mms_fault_counters, mms_fault_counters);

static void mms_count(enum mms_fault_event ev)
{
	this_cpu_inc(mms_fault_counters.ev[ev]);
}

static u64 mms_event_sum(enum mms_fault_event ev)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mms_fault_counters.ev[ev], cpu);
	return sum;
}

/* Open files: changed at open and release only. */
static atomic_t mms_nr_files = ATOMIC_INIT(0);
/*
 * Pages in all files: a write fault adds one, so per CPU as the event
 * counters; a page may leave on another CPU, so one CPU's part can be
 * negative and only the sum means anything.
 */
static DEFINE_PER_CPU(long, mms_nr_file_pages);

static u64 mms_file_pages_now(void)
{
	long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(mms_nr_file_pages, cpu);
	/* Parts read at different times: never report a transient < 0. */
	return max(sum, 0L);
}

static struct vfsmount *mms_file_mnt;
/* Source of private copies of holes: never mapped, never written. */
static struct page *mms_zero_src;

/* ---- page lifetime ------------------------------------------------------ */

/*
 * A page is given back to the buddy allocator only when nothing but the
 * file held it: get_user_pages() users (O_DIRECT, vmsplice, /proc/pid/mem)
 * may keep a reference after every mapping and the file are gone. Such
 * pages wait on this list, linked through page->lru (unused: they are on
 * no LRU), and are retried every MMS_PARK_RETRY. While any page is parked
 * the module holds a reference on itself, so it cannot be unloaded.
 */
static LIST_HEAD(mms_parked);
static DEFINE_SPINLOCK(mms_parked_lock);
static unsigned long mms_nr_parked;

static void mms_park_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(mms_park_work, mms_park_work_fn);

static struct page *mms_page_new(struct mms_file *f, pgoff_t pgoff)
{
	struct page *page;
	bool zeroed;

	page = mms_buddy_alloc_page(&zeroed);
	if (!page) {
		mms_count(MMS_EV_NOMEM);
		pr_warn_ratelimited("%s[%d]: buddy allocator empty, SIGBUS\n",
				    current->comm, task_pid_nr(current));
		return NULL;
	}
	/*
	 * Nobody may see what the page held before. A page the kernel zeroed
	 * and nobody has had since needs no second clearing.
	 */
	if (!zeroed)
		clear_highpage(page);
	page->mapping = f->inode->i_mapping;
	page->index = pgoff;
	/*
	 * There is no writeback: born dirty, so a write fault finds the page
	 * dirty already and skips the dirty-page throttling path.
	 */
	SetPageDirty(page);
	mms_count(MMS_EV_FRESH);
	return page;
}

/* Give @page back if only its owner refers to it; false: still in use. */
static bool mms_page_try_free(struct page *page)
{
	/* Frozen at 0, no speculative get_page_unless_zero() can sneak in. */
	if (page_mapped(page) || !page_ref_freeze(page, 1))
		return false;
	page_ref_unfreeze(page, 1);
	ClearPageDirty(page);
	ClearPageReferenced(page);
	page->index = 0;
	if (WARN_ON_ONCE(PageLocked(page) || PageMlocked(page)))
		return true;	/* leak it rather than hand out a bad page */
	if (WARN_ON_ONCE(mms_buddy_free(page, 0)))
		return true;
	mms_count(MMS_EV_FREED);
	return true;
}

/* @page was never published in a file: nobody else can hold it. */
static void mms_page_discard(struct page *page)
{
	page->mapping = NULL;
	WARN_ON_ONCE(!mms_page_try_free(page));
}

/* A page was just stored in @f. */
static void mms_file_account_page(struct mms_file *f)
{
	atomic_long_inc(&f->nr_pages);
	this_cpu_inc(mms_nr_file_pages);
}

/* @page is no longer part of a file and not mapped: free or park it. */
static void mms_page_release(struct page *page)
{
	/*
	 * Clear ->mapping under the page lock: set_page_dirty_lock() from a
	 * late GUP user then sees either the live inode or none.
	 */
	lock_page(page);
	page->mapping = NULL;
	unlock_page(page);
	this_cpu_dec(mms_nr_file_pages);

	if (mms_page_try_free(page))
		return;

	spin_lock(&mms_parked_lock);
	if (!mms_nr_parked++)
		__module_get(THIS_MODULE);
	list_add_tail(&page->lru, &mms_parked);
	spin_unlock(&mms_parked_lock);
	mms_count(MMS_EV_PARKED);
	schedule_delayed_work(&mms_park_work, MMS_PARK_RETRY);
}

/* Retry every parked page; returns how many are still parked. */
static unsigned long mms_park_retry(void)
{
	struct page *page, *next;
	unsigned long freed = 0, left;
	LIST_HEAD(busy);
	LIST_HEAD(still);

	spin_lock(&mms_parked_lock);
	list_splice_init(&mms_parked, &busy);
	spin_unlock(&mms_parked_lock);

	mms_count(MMS_EV_PARK_RETRY);
	list_for_each_entry_safe(page, next, &busy, lru) {
		list_del(&page->lru);
		if (mms_page_try_free(page)) {
			freed++;
			mms_count(MMS_EV_UNPARKED);
			continue;
		}
		list_add_tail(&page->lru, &still);
	}

	spin_lock(&mms_parked_lock);
	list_splice_tail(&still, &mms_parked);
	mms_nr_parked -= freed;
	left = mms_nr_parked;
	spin_unlock(&mms_parked_lock);

	if (freed && !left)
		module_put(THIS_MODULE);
	return left;
}

static u64 mms_parked_now(void)
{
	u64 n;

	spin_lock(&mms_parked_lock);
	n = mms_nr_parked;
	spin_unlock(&mms_parked_lock);
	return n;
}

static void mms_park_work_fn(struct work_struct *work)
{
	if (mms_park_retry())
		schedule_delayed_work(&mms_park_work, MMS_PARK_RETRY);
}

/* ---- fault handlers ----------------------------------------------------- */

static bool mms_file_in_size(struct mms_file *f, pgoff_t pgoff)
{
	return pgoff < (READ_ONCE(f->size) >> PAGE_SHIFT);
}

static vm_fault_t mms_sigbus(void)
{
	mms_count(MMS_EV_SIGBUS);
	return VM_FAULT_SIGBUS;
}

/* Map the shared zero page read-only at vmf->address. Lock held shared. */
static vm_fault_t mms_map_zero(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	unsigned long pfn = my_zero_pfn(vmf->address);

	/*
	 * The zero page must never become writable: shared mappings get
	 * write-notify from ->pfn_mkwrite, so vm_page_prot is read-only.
	 */
	if (WARN_ON_ONCE(pte_write(pfn_pte(pfn, vma->vm_page_prot))))
		return VM_FAULT_SIGBUS;
	mms_count(MMS_EV_ZERO_MAP);
	return vmf_insert_mixed(vma, vmf->address, pfn_to_pfn_t(pfn));
}

/* Hand @page to the core locked, with a reference for the new PTE. */
static vm_fault_t mms_return_page(struct vm_fault *vmf, struct page *page)
{
	get_page(page);
	lock_page(page);
	vmf->page = page;
	return VM_FAULT_LOCKED;
}

/*
 * Unmap the offset of @vmf from every mapping of the file, so that a zero
 * page mapped there anywhere is replaced by the file's page at the next
 * access. Allocates that page first if @alloc (->pfn_mkwrite). Takes the
 * invalidate_lock exclusive: no read fault can put a zero PTE back behind
 * the unmap.
 */
static vm_fault_t mms_unmap_zero(struct vm_fault *vmf, bool alloc)
{
	struct address_space *mapping = vmf->vma->vm_file->f_mapping;
	struct mms_file *f = vmf->vma->vm_file->private_data;
	vm_fault_t ret = 0;
	struct page *page;
	void *old;

	filemap_invalidate_lock(mapping);
	if (!mms_file_in_size(f, vmf->pgoff)) {
		ret = mms_sigbus();
		goto unlock;
	}
	if (alloc && !xa_load(&f->pages, vmf->pgoff)) {
		page = mms_page_new(f, vmf->pgoff);
		if (!page) {
			ret = VM_FAULT_SIGBUS;
			goto unlock;
		}
		old = xa_store(&f->pages, vmf->pgoff, page, GFP_KERNEL);
		if (xa_is_err(old)) {
			mms_page_discard(page);
			ret = VM_FAULT_OOM;
			goto unlock;
		}
		mms_file_account_page(f);
		mms_count(MMS_EV_ZERO_REPLACED);
	}
	unmap_mapping_range(mapping, (loff_t)vmf->pgoff << PAGE_SHIFT,
			    PAGE_SIZE, 0);
	mms_count(MMS_EV_ZERO_UNMAP);
unlock:
	filemap_invalidate_unlock(mapping);
	return ret;
}

/*
 * Read fault on a hole. Sets zero_mapped before looking again for a page:
 * with the barrier pairing the one in mms_file_fault()'s shared write
 * path, either that writer sees zero_mapped and unmaps this offset under
 * the exclusive lock (which waits for us), or we see its page here.
 */
static vm_fault_t mms_read_hole(struct vm_fault *vmf, struct mms_file *f)
{
	struct page *page;

	if (!READ_ONCE(f->zero_mapped))
		WRITE_ONCE(f->zero_mapped, true);
	/* Flag store before page load; pairs with the writer's smp_mb(). */
	smp_mb();
	page = xa_load(&f->pages, vmf->pgoff);
	if (page) {
		mms_count(MMS_EV_PAGE_MAP);
		return mms_return_page(vmf, page);
	}
	return mms_map_zero(vmf);
}

static vm_fault_t mms_file_fault(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	struct address_space *mapping = vma->vm_file->f_mapping;
	struct mms_file *f = vma->vm_file->private_data;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	bool shared = vma->vm_flags & VM_SHARED;
	struct page *page, *old;
	vm_fault_t ret;

again:
	filemap_invalidate_lock_shared(mapping);
	if (!mms_file_in_size(f, vmf->pgoff)) {
		ret = mms_sigbus();
		goto unlock;
	}
	page = xa_load(&f->pages, vmf->pgoff);
	if (page) {
		/* Read, shared write, or the source of a private copy. */
		mms_count(write && !shared ? MMS_EV_COW_FAULT : MMS_EV_PAGE_MAP);
		ret = mms_return_page(vmf, page);
	} else if (!write) {
		ret = mms_read_hole(vmf, f);
	} else if (!shared) {
		/*
		 * Private write to a hole: the core copies vmf->page into its
		 * own anonymous page. Copy from a zero page of ours rather
		 * than allocate a file page only to have it copied.
		 */
		mms_count(MMS_EV_COW_FAULT);
		ret = mms_return_page(vmf, mms_zero_src);
	} else {
		page = mms_page_new(f, vmf->pgoff);
		if (!page) {
			ret = VM_FAULT_SIGBUS;
			goto unlock;
		}
		old = xa_cmpxchg(&f->pages, vmf->pgoff, NULL, page, GFP_KERNEL);
		if (old) {
			/* Lost a race, or no memory for the xarray. */
			mms_page_discard(page);
			filemap_invalidate_unlock_shared(mapping);
			if (xa_is_err(old))
				return VM_FAULT_OOM;
			goto again;
		}
		mms_file_account_page(f);
		/* Pairs with smp_mb() in mms_read_hole(). */
		smp_mb();
		if (READ_ONCE(f->zero_mapped)) {
			/* Other mappings may map the zero page here. */
			filemap_invalidate_unlock_shared(mapping);
			ret = mms_unmap_zero(vmf, false);
			if (ret)
				return ret;
			goto again;
		}
		ret = mms_return_page(vmf, page);
	}
unlock:
	filemap_invalidate_unlock_shared(mapping);
	return ret;
}

/*
 * Write to a read-only special PTE in a shared mapping. The only special
 * PTEs mmscope creates map the zero page; returning 0 here would make the
 * core set that PTE writable, so this never returns 0.
 */
static vm_fault_t mms_file_pfn_mkwrite(struct vm_fault *vmf)
{
	vm_fault_t ret;

	if (WARN_ON_ONCE(!is_zero_pfn(pte_pfn(vmf->orig_pte))))
		return VM_FAULT_SIGBUS;
	mms_count(MMS_EV_ZERO_MKWRITE);
	ret = mms_unmap_zero(vmf, true);
	return ret ? ret : VM_FAULT_NOPAGE;
}

static const struct vm_operations_struct mms_file_vm_ops = {
	.fault = mms_file_fault,
	.pfn_mkwrite = mms_file_pfn_mkwrite,
};

/**
 * mms_file_vma() - is @vma a mapping of /dev/mmscope?
 * @vma: any VMA
 *
 * Return: true for mappings made by mms_file_mmap().
 */
bool mms_file_vma(const struct vm_area_struct *vma)
{
	return vma->vm_ops == &mms_file_vm_ops;
}

/**
 * mms_file_count_refused() - count a bad request from user space
 */
void mms_file_count_refused(void)
{
	mms_count(MMS_EV_REFUSED);
}

/*
 * 6.1 has no hook for a private copy-on-write: count the kernel's
 * wp_page_copy() on mmscope mappings with a kprobe on its entry.
 */
static int mms_cow_probe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct vm_fault *vmf = (void *)regs_get_kernel_argument(regs, 0);

	if (!mms_file_vma(vmf->vma))
		return 0;
	if (vmf->page && PageAnon(vmf->page))
		mms_count(MMS_EV_ANON_COW);
	else
		mms_count(MMS_EV_COW_WP);
	return 0;
}

static struct kprobe mms_cow_probe = {
	.symbol_name = "wp_page_copy",
	.pre_handler = mms_cow_probe_pre,
};

static bool mms_cow_probe_on;

/* ---- file operations ---------------------------------------------------- */

/**
 * mms_file_open() - make the new open file of /dev/mmscope an empty file
 * @inode: the device node's inode
 * @file: the new open file
 *
 * Gives @file an inode of its own, whose address_space becomes f_mapping.
 *
 * Return: 0 or a negative errno.
 */
int mms_file_open(struct inode *inode, struct file *file)
{
	struct mms_file *f;
	int ret;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	f->inode = alloc_anon_inode(mms_file_mnt->mnt_sb);
	if (IS_ERR(f->inode)) {
		ret = PTR_ERR(f->inode);
		goto err_free;
	}
	xa_init(&f->pages);
	file->f_mapping = f->inode->i_mapping;
	file->private_data = f;
	atomic_inc(&mms_nr_files);
	return 0;

err_free:
	kfree(f);
	return ret;
}

/* Entries removed per hold of the xarray lock. */
#define MMS_REMOVE_BATCH	64

/*
 * Remove every entry at or after @start; @f's mappings are unmapped. One
 * walk under the xarray lock, dropped every MMS_REMOVE_BATCH entries so a
 * big file does not hold it (and the CPU) for long.
 *
 * The walk resumes with xas_set() at the next index, not xas_pause(): on
 * 6.1, when storing NULL has just freed a leaf node, xas_pause() moves on
 * from the parent without masking the index and skips the next leaf's
 * first 63 entries, which then stay in the file past its end.
 */
static void mms_file_remove_pages(struct mms_file *f, pgoff_t start,
				  struct list_head *list)
{
	XA_STATE(xas, &f->pages, start);
	unsigned long nr = 0, batch = 0;
	struct page *page;

	xas_lock(&xas);
	xas_for_each(&xas, page, ULONG_MAX) {
		pgoff_t next = xas.xa_index + 1;

		xas_store(&xas, NULL);
		list_add_tail(&page->lru, list);
		nr++;
		if (++batch == MMS_REMOVE_BATCH && next) {
			batch = 0;
			xas_unlock(&xas);
			cond_resched();
			xas_lock(&xas);
			xas_set(&xas, next);
		}
	}
	xas_unlock(&xas);
	atomic_long_sub(nr, &f->nr_pages);
}

static void mms_release_list(struct list_head *list)
{
	struct page *page, *next;

	list_for_each_entry_safe(page, next, list, lru) {
		list_del(&page->lru);
		mms_page_release(page);
	}
}

/**
 * mms_file_release() - the last reference to an open file is gone
 * @inode: the device node's inode
 * @file: the file
 *
 * No mapping is left (each holds the file), so every page goes back to
 * the buddy allocator, or is parked while someone else still holds it.
 *
 * Return: 0.
 */
int mms_file_release(struct inode *inode, struct file *file)
{
	struct mms_file *f = file->private_data;
	LIST_HEAD(list);

	mms_file_remove_pages(f, 0, &list);
	mms_release_list(&list);
	xa_destroy(&f->pages);
	iput(f->inode);
	kfree(f);
	atomic_dec(&mms_nr_files);
	return 0;
}

/* Shrink @f to @start pages, as truncate does. Lock held exclusive. */
static void mms_file_truncate(struct mms_file *f, pgoff_t start)
{
	struct address_space *mapping = f->inode->i_mapping;
	struct page *page;
	LIST_HEAD(list);

	mms_file_remove_pages(f, start, &list);
	/*
	 * Faults that found these pages before the size changed may still be
	 * installing PTEs (page locked until done): wait, then unmap, private
	 * copies included, so nothing past the end stays mapped.
	 */
	list_for_each_entry(page, &list, lru) {
		lock_page(page);
		unlock_page(page);
		mms_count(MMS_EV_TRUNCATED);
	}
	lock_page(mms_zero_src);
	unlock_page(mms_zero_src);
	unmap_mapping_range(mapping, (loff_t)start << PAGE_SHIFT, 0, 1);
	/* Nothing is mapped any more, zero page included. */
	if (!start)
		WRITE_ONCE(f->zero_mapped, false);
	mms_release_list(&list);
}

static long mms_file_set_size(struct file *file, u64 __user *arg)
{
	struct address_space *mapping = file->f_mapping;
	struct mms_file *f = file->private_data;
	bool shrink;
	u64 size;

	if (get_user(size, arg)) {
		mms_file_count_refused();
		return -EFAULT;
	}
	if (size & ~PAGE_MASK || size > MMS_FILE_MAX_SIZE) {
		mms_file_count_refused();
		pr_info_ratelimited("%s[%d]: size %llu not a page multiple or too big\n",
				    current->comm, task_pid_nr(current), size);
		return size & ~PAGE_MASK ? -EINVAL : -EFBIG;
	}

	filemap_invalidate_lock(mapping);
	shrink = size < f->size;
	WRITE_ONCE(f->size, size);
	if (shrink)
		mms_file_truncate(f, size >> PAGE_SHIFT);
	filemap_invalidate_unlock(mapping);
	return 0;
}

static long mms_file_info(struct file *file, void __user *arg)
{
	struct mms_file *f = file->private_data;
	struct mmscope_file_info info = {
		.size = READ_ONCE(f->size),
		.page_size = PAGE_SIZE,
		.pages = atomic_long_read(&f->nr_pages),
		.zero_mapped = READ_ONCE(f->zero_mapped),
	};

	if (copy_to_user(arg, &info, sizeof(info))) {
		mms_file_count_refused();
		return -EFAULT;
	}
	return 0;
}

/**
 * mms_file_mmap() - map an open file of /dev/mmscope
 * @file: the file
 * @vma: the new mapping
 *
 * Nothing is mapped here: pages arrive through mms_file_fault(). A plain
 * VMA (no VM_MIXEDMAP/VM_PFNMAP), so pages are ordinary refcounted ones.
 *
 * Return: 0.
 */
int mms_file_mmap(struct file *file, struct vm_area_struct *vma)
{
	vma->vm_ops = &mms_file_vm_ops;
	return 0;
}

/**
 * mms_file_get_unmapped_area() - choose the address of a new mapping
 * @file: the file
 * @addr: hint
 * @len: length
 * @pgoff: file offset in pages
 * @flags: MAP_* flags
 *
 * 4 KiB files take the process's usual layout; a file of the future huge
 * page pool would align to PMD_SIZE here (thp_get_unmapped_area()).
 *
 * Return: the address, or a negative errno.
 */
unsigned long mms_file_get_unmapped_area(struct file *file, unsigned long addr,
					 unsigned long len, unsigned long pgoff,
					 unsigned long flags)
{
	return current->mm->get_unmapped_area(file, addr, len, pgoff, flags);
}

static long mms_file_ioctl(struct file *file, unsigned int cmd,
			   void __user *arg)
{
	switch (cmd) {
	case MMSCOPE_IOC_FILE_SET_SIZE:
		return mms_file_set_size(file, arg);
	case MMSCOPE_IOC_FILE_INFO:
		return mms_file_info(file, arg);
	case MMSCOPE_IOC_PAGEWALK:
		return mms_pagewalk_ioctl(arg);
	}
	return -ENOTTY;
}

/* ---- debugfs: mmscope/fault/ -------------------------------------------- */

static int mms_event_get(void *data, u64 *val)
{
	*val = mms_event_sum((uintptr_t)data);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_event_fops, mms_event_get, NULL, "%llu\n");

static int mms_files_get(void *data, u64 *val)
{
	*val = atomic_read(&mms_nr_files);
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_files_fops, mms_files_get, NULL, "%llu\n");

static int mms_file_pages_get(void *data, u64 *val)
{
	*val = mms_file_pages_now();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_file_pages_fops, mms_file_pages_get, NULL,
			 "%llu\n");

static int mms_parked_now_get(void *data, u64 *val)
{
	*val = mms_parked_now();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_parked_now_fops, mms_parked_now_get, NULL,
			 "%llu\n");

static int mms_cow_probe_get(void *data, u64 *val)
{
	*val = mms_cow_probe_on;
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_cow_probe_fops, mms_cow_probe_get, NULL, "%llu\n");

/* Writing anything retries the parked pages now instead of next tick. */
static int mms_retry_parked_set(void *data, u64 val)
{
	mms_park_retry();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(mms_retry_parked_fops, NULL, mms_retry_parked_set,
			 "%llu\n");

/* Same layout as /proc/vmstat: "name value" per line. */
static int mms_stats_show(struct seq_file *m, void *v)
{
	int i;

	seq_printf(m, "files %d\n", atomic_read(&mms_nr_files));
	seq_printf(m, "file_pages %llu\n", mms_file_pages_now());
	seq_printf(m, "parked_now %llu\n", mms_parked_now());
	for (i = 0; i < MMS_NR_EVENTS; i++)
		seq_printf(m, "%s %llu\n", mms_event_names[i],
			   mms_event_sum(i));
	seq_printf(m, "cow_probe %d\n", mms_cow_probe_on);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(mms_stats);

static void mms_file_debugfs(struct dentry *dir)
{
	uintptr_t i;

	for (i = 0; i < MMS_NR_EVENTS; i++)
		debugfs_create_file_unsafe(mms_event_names[i], 0444, dir,
					   (void *)i, &mms_event_fops);
	debugfs_create_file_unsafe("files", 0444, dir, NULL, &mms_files_fops);
	debugfs_create_file_unsafe("file_pages", 0444, dir, NULL,
				   &mms_file_pages_fops);
	debugfs_create_file_unsafe("parked_now", 0444, dir, NULL,
				   &mms_parked_now_fops);
	debugfs_create_file_unsafe("cow_probe", 0444, dir, NULL,
				   &mms_cow_probe_fops);
	debugfs_create_file_unsafe("retry_parked", 0200, dir, NULL,
				   &mms_retry_parked_fops);
	debugfs_create_file("stats", 0444, dir, NULL, &mms_stats_fops);
}

/* ---- mechanism ---------------------------------------------------------- */

static int mms_file_init_fs_context(struct fs_context *fc)
{
	return init_pseudo(fc, MMS_FS_MAGIC) ? 0 : -ENOMEM;
}

/* No .owner: the module's own mount must not pin the module. */
static struct file_system_type mms_file_fs_type = {
	.name = "mmscope",
	.init_fs_context = mms_file_init_fs_context,
	.kill_sb = kill_anon_super,
};

static int mms_file_init(struct dentry *dir)
{
	int ret;

	mms_zero_src = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!mms_zero_src)
		return -ENOMEM;
	mms_file_mnt = kern_mount(&mms_file_fs_type);
	if (IS_ERR(mms_file_mnt)) {
		ret = PTR_ERR(mms_file_mnt);
		goto err_page;
	}
	ret = register_kprobe(&mms_cow_probe);
	if (ret)
		pr_warn("no kprobe on wp_page_copy (%d): private_copy_wp stays 0\n",
			ret);
	mms_cow_probe_on = !ret;
	mms_file_debugfs(dir);
	return 0;

err_page:
	__free_page(mms_zero_src);
	return ret;
}

static void mms_file_exit(void)
{
	if (mms_cow_probe_on)
		unregister_kprobe(&mms_cow_probe);
	/* Parked pages hold the module: none is left, but the work may run. */
	cancel_delayed_work_sync(&mms_park_work);
	kern_unmount(mms_file_mnt);
	__free_page(mms_zero_src);
}

const struct mms_mechanism mms_file_mechanism = {
	.name = "fault",
	.feature = MMSCOPE_FEAT_FILE,
	.init = mms_file_init,
	.exit = mms_file_exit,
	.ioc_base = MMSCOPE_IOC_FILE_BASE,
	.ioctl = mms_file_ioctl,
};
