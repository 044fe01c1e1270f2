// SPDX-License-Identifier: GPL-2.0
/*
 * The bootmem node: the boot-time bitmap allocator of Linux 2.4/2.6
 * (bootmem_core.c) running live over pages mmscope takes from the kernel.
 *
 * At load and on every MMSCOPE_IOC_BOOTMEM_INIT the node takes its pages
 * with alloc_pages() in naturally aligned chunks, laid out in the node
 * largest first, so that a node offset aligned to a chunk's size is
 * physically aligned too; split_page() gives every page its own refcount
 * so each can be handed on alone. The pages are PG_reserved while the
 * node owns them, as a driver's pages are. The map lives in the node's
 * own pages, mapped with vmap() because chunks need not be adjacent.
 *
 * MMSCOPE_IOC_BOOTMEM_RETIRE is free_all_bootmem(): every free page goes
 * to mmscope's buddy allocator, then the map pages; the node is retired
 * and refuses requests with -ESHUTDOWN until the next INIT. Pages still
 * reserved go back to the kernel at the next INIT or at unload.
 *
 * One mutex serialises the node: every operation is a short bit walk.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": bootmem: " fmt

#include <linux/bitmap.h>
#include <linux/debugfs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <uapi/mmscope.h>
#include "bootmem.h"
#include "bootmem_core.h"
#include "buddy.h"
#include "compat.h"
#include "mmscope.h"

#define MMS_BOOTMEM_MIN_PAGES	64
#define MMS_BOOTMEM_MAX_PAGES	65536

/**
 * struct mms_bootmem - the node and the pages under it
 * @node: the allocator's state
 * @pages: page i of the node; NULL once handed to the buddy allocator
 * @nr_pages: entries in @pages
 * @map: vmap() of the map pages, the memory @node.map points into
 * @retired_blocks: whole-word blocks handed over by RETIRE (this node)
 * @retire_refused: pages the buddy allocator refused (this node)
 * @refused: requests refused since load (no node, retired, bad fields)
 * @inits: nodes created since load
 */
struct mms_bootmem {
	struct bootmem_node node;
	struct page **pages;
	unsigned long nr_pages;
	unsigned long *map;
	u64 retired_blocks;
	u64 retire_refused;
	u64 refused;
	u64 inits;
};

static DEFINE_MUTEX(mms_bm_lock);
static struct mms_bootmem mms_bm;

#define mms_bm_complain(fmt, ...)					\
	pr_warn_ratelimited("%s[%d]: " fmt, current->comm,		\
			    task_pid_nr(current), ##__VA_ARGS__)

/* Give every page the node still owns back to the kernel. */
static void mms_bm_release(void)
{
	unsigned long i;

	if (mms_bm.map) {
		vunmap(mms_bm.map);
		mms_bm.map = NULL;
	}
	for (i = 0; i < mms_bm.nr_pages; i++) {
		if (!mms_bm.pages[i])
			continue;
		ClearPageReserved(mms_bm.pages[i]);
		__free_page(mms_bm.pages[i]);
	}
	kvfree(mms_bm.pages);
	mms_bm.pages = NULL;
	mms_bm.nr_pages = 0;
	mms_bm.retired_blocks = 0;
	mms_bm.retire_refused = 0;
	memset(&mms_bm.node, 0, sizeof(mms_bm.node));
}

/*
 * Fill @nr page slots, largest naturally aligned chunk first; a chunk the
 * kernel cannot give is asked for as two halves. The caller releases on
 * failure.
 */
static int mms_bm_take(unsigned long nr)
{
	unsigned long off = 0, i;
	unsigned int order;
	struct page *page;
	gfp_t gfp;

	mms_bm.pages = kvcalloc(nr, sizeof(*mms_bm.pages), GFP_KERNEL);
	if (!mms_bm.pages)
		return -ENOMEM;
	mms_bm.nr_pages = nr;

	while (off < nr) {
		order = min_t(unsigned int, MMS_MAX_PAGE_ORDER, ilog2(nr - off));
		if (off)
			order = min_t(unsigned int, order, __ffs(off));
		for (;;) {
			gfp = GFP_KERNEL;
			if (order)
				gfp |= __GFP_NOWARN | __GFP_NORETRY;
			page = alloc_pages(gfp, order);
			if (page || !order)
				break;
			order--;
		}
		if (!page)
			return -ENOMEM;
		if (order)
			split_page(page, order);
		for (i = 0; i < 1UL << order; i++) {
			mms_bm.pages[off + i] = nth_page(page, i);
			SetPageReserved(mms_bm.pages[off + i]);
		}
		off += 1UL << order;
	}
	return 0;
}

static int mms_bm_create(unsigned long nr, unsigned long map_page)
{
	unsigned long map_pages = bootmem_map_pages(nr);
	int ret;

	mms_bm_release();
	ret = mms_bm_take(nr);
	if (ret)
		goto err;
	mms_bm.map = vmap(&mms_bm.pages[map_page], map_pages, VM_MAP,
			  PAGE_KERNEL);
	if (!mms_bm.map) {
		ret = -ENOMEM;
		goto err;
	}
	ret = bootmem_init(&mms_bm.node, mms_bm.map, nr, map_page);
	if (WARN_ON_ONCE(ret))
		goto err;
	mms_bm.inits++;
	return 0;

err:
	mms_bm_release();
	return ret;
}

/* Count and report a refusal of the node's state (-ENODEV, -ESHUTDOWN). */
static int mms_bm_state_refusal(const char *what, int ret)
{
	if (ret == -ENODEV || ret == -ESHUTDOWN) {
		mms_bm.refused++;
		mms_bm_complain("%s: node %s\n", what,
				ret == -ENODEV ? "absent" : "retired");
	}
	return ret;
}

/* Count a request refused before it reached the node. */
static void mms_bm_count_refusal(void)
{
	mutex_lock(&mms_bm_lock);
	mms_bm.refused++;
	mutex_unlock(&mms_bm_lock);
}

/* Count and report an argument user space cannot give or take back. */
static int mms_bm_bad_buffer(const char *what)
{
	mms_bm_count_refusal();
	mms_bm_complain("%s: bad user buffer\n", what);
	return -EFAULT;
}

/*
 * Copy an ioctl argument in; its @nr_reserved trailing __u64 fields must be
 * zero so that they can take a meaning later. The argument must also take
 * the result, checked now so that nothing is done for a caller who would
 * then get EFAULT.
 */
static int mms_bm_copy_in(void *in, void __user *arg, size_t size,
			  size_t nr_reserved, const char *what)
{
	const __u64 *reserved;
	size_t i;

	if (copy_from_user(in, arg, size) || !mms_user_writable(arg, size))
		return mms_bm_bad_buffer(what);
	reserved = (const __u64 *)((const char *)in + size) - nr_reserved;
	for (i = 0; i < nr_reserved; i++) {
		if (reserved[i]) {
			mms_bm_count_refusal();
			mms_bm_complain("%s: reserved fields not zero\n", what);
			return -EINVAL;
		}
	}
	return 0;
}

static long mms_bm_ioc_init(void __user *arg)
{
	struct mmscope_bootmem_init in;
	unsigned long nr, map_pages;
	int ret;

	ret = mms_bm_copy_in(&in, arg, sizeof(in), ARRAY_SIZE(in.reserved),
			     "init");
	if (ret)
		return ret;
	nr = in.nr_pages ? in.nr_pages : mms_bootmem_pages;
	if (nr < MMS_BOOTMEM_MIN_PAGES || nr > MMS_BOOTMEM_MAX_PAGES ||
	    in.map_page > nr - bootmem_map_pages(nr)) {
		mms_bm_count_refusal();
		mms_bm_complain("init: %llu pages, map at %llu: out of range\n",
				in.nr_pages, in.map_page);
		return -EINVAL;
	}

	mutex_lock(&mms_bm_lock);
	ret = mms_bm_create(nr, in.map_page);
	map_pages = mms_bm.node.map_pages;
	mutex_unlock(&mms_bm_lock);
	if (ret)
		return ret;
	in.map_pages = map_pages;
	if (copy_to_user(arg, &in, sizeof(in)))
		return -EFAULT;
	return 0;
}

enum mms_bm_range_op { MMS_BM_FREE, MMS_BM_RESERVE, MMS_BM_FREE_ALLOC };

static const char *const mms_bm_range_names[] = {
	[MMS_BM_FREE] = "free",
	[MMS_BM_RESERVE] = "reserve",
	[MMS_BM_FREE_ALLOC] = "free_alloc",
};

static long mms_bm_ioc_range(void __user *arg, enum mms_bm_range_op op)
{
	const char *what = mms_bm_range_names[op];
	struct mmscope_bootmem_range r;
	unsigned long pages = 0, twice = 0;
	int ret;

	ret = mms_bm_copy_in(&r, arg, sizeof(r), ARRAY_SIZE(r.reserved), what);
	if (ret)
		return ret;

	mutex_lock(&mms_bm_lock);
	switch (op) {
	case MMS_BM_FREE:
		ret = bootmem_free(&mms_bm.node, r.addr, r.size, &pages);
		break;
	case MMS_BM_RESERVE:
		ret = bootmem_reserve(&mms_bm.node, r.addr, r.size, &pages,
				      &twice);
		break;
	default:
		ret = bootmem_free_alloc(&mms_bm.node, r.addr, r.size,
					 &pages);
		break;
	}
	mms_bm_state_refusal(what, ret);
	mutex_unlock(&mms_bm_lock);

	if (ret == -EINVAL)
		mms_bm_complain("%s [%#llx, +%#llx): outside the node or empty\n",
				what, r.addr, r.size);
	else if (ret == -EALREADY)
		mms_bm_complain("%s [%#llx, +%#llx): a page is free already\n",
				what, r.addr, r.size);
	else if (twice)
		mms_bm_complain("hm, %lu pages of [%#llx, +%#llx) reserved twice\n",
				twice, r.addr, r.size);
	if (ret)
		return ret;
	r.pages = pages;
	r.twice = twice;
	if (copy_to_user(arg, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long mms_bm_ioc_alloc(void __user *arg)
{
	struct mmscope_bootmem_alloc a;
	u64 addr = 0;
	int ret;

	ret = mms_bm_copy_in(&a, arg, sizeof(a), ARRAY_SIZE(a.reserved),
			     "alloc");
	if (ret)
		return ret;

	mutex_lock(&mms_bm_lock);
	ret = bootmem_alloc(&mms_bm.node, a.size, a.align, a.goal, &addr);
	mms_bm_state_refusal("alloc", ret);
	mutex_unlock(&mms_bm_lock);

	if (ret == -EINVAL)
		mms_bm_complain("alloc %#llx bytes align %#llx: bad size or alignment\n",
				a.size, a.align);
	if (ret)
		return ret;
	a.addr = addr;
	if (copy_to_user(arg, &a, sizeof(a)))
		return -EFAULT;
	return 0;
}

static bool mms_bm_contiguous(unsigned long idx, unsigned int order)
{
	unsigned long pfn = page_to_pfn(mms_bm.pages[idx]), i;

	if (!IS_ALIGNED(pfn, 1UL << order))
		return false;
	for (i = 1; i < 1UL << order; i++)
		if (!mms_bm.pages[idx + i] ||
		    page_to_pfn(mms_bm.pages[idx + i]) != pfn + i)
			return false;
	return true;
}

/* Give 2^order node pages to the buddy allocator, or else to the kernel. */
static void mms_bm_hand_over(unsigned long idx, unsigned int order,
			     struct mmscope_bootmem_retire *r)
{
	struct page *page = mms_bm.pages[idx];
	unsigned long i, n = 1UL << order;

	for (i = 0; i < n; i++)
		ClearPageReserved(nth_page(page, i));
	if (mms_buddy_adopt(page, order)) {
		for (i = 0; i < n; i++)
			__free_page(nth_page(page, i));
		r->refused += n;
		mms_bm.retire_refused += n;
	}
	for (i = 0; i < n; i++)
		mms_bm.pages[idx + i] = NULL;
}

static int mms_bm_retire_block(void *ctx, unsigned long idx,
			       unsigned int order)
{
	struct mmscope_bootmem_retire *r = ctx;
	unsigned long i;

	/* A free bit is always a page the node still owns. */
	for (i = 0; i < 1UL << order; i++)
		if (WARN_ON_ONCE(!mms_bm.pages[idx + i]))
			return -EINVAL;
	r->pages += 1UL << order;
	/* Chunks smaller than a word (a fallback in mms_bm_take()) split. */
	if (order && mms_bm_contiguous(idx, order)) {
		r->blocks++;
		mms_bm.retired_blocks++;
		mms_bm_hand_over(idx, order, r);
		return 0;
	}
	for (i = 0; i < 1UL << order; i++)
		mms_bm_hand_over(idx + i, 0, r);
	return 0;
}

static long mms_bm_ioc_retire(void __user *arg)
{
	struct mmscope_bootmem_retire r = {
		.block_order = BOOTMEM_WORD_ORDER,
	};
	unsigned long i;
	int ret;

	if (!mms_user_writable(arg, sizeof(r)))
		return mms_bm_bad_buffer("retire");
	mutex_lock(&mms_bm_lock);
	ret = bootmem_retire(&mms_bm.node, mms_bm_retire_block, &r);
	if (!ret) {
		/* The map goes last, as in free_all_bootmem_core(). */
		vunmap(mms_bm.map);
		mms_bm.map = NULL;
		for (i = 0; i < mms_bm.node.map_pages; i++) {
			mms_bm_hand_over(mms_bm.node.map_start + i, 0, &r);
			r.map_pages++;
		}
	}
	mms_bm_state_refusal("retire", ret);
	mutex_unlock(&mms_bm_lock);
	if (ret)
		return ret;
	if (copy_to_user(arg, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}

static long mms_bm_ioc_read_map(void __user *arg)
{
	struct mmscope_bootmem_map m;
	u64 total, n = 0, *words = NULL;
	int ret;

	ret = mms_bm_copy_in(&m, arg, sizeof(m), ARRAY_SIZE(m.reserved),
			     "read_map");
	if (ret)
		return ret;

	mutex_lock(&mms_bm_lock);
	if (!mms_bm.node.map) {
		ret = mms_bm_state_refusal("read_map", mms_bm.node.retired ?
					   -ESHUTDOWN : -ENODEV);
		goto unlock;
	}
	total = DIV_ROUND_UP(mms_bm.node.nr_pages, 64);
	if (m.first_word > total) {
		mms_bm.refused++;
		ret = -EINVAL;
		goto unlock;
	}
	n = min(m.nr_words, total - m.first_word);
	if (n) {
		words = kmalloc_array(n, sizeof(*words), GFP_KERNEL);
		if (!words) {
			ret = -ENOMEM;
			goto unlock;
		}
		/* Whole 64-bit words: bits past the node stay set. */
		bitmap_to_arr64(words,
				mms_bm.node.map + m.first_word * 64 / BITS_PER_LONG,
				n * 64);
	}
	m.nr_words = n;
	m.total_words = total;
	m.nr_pages = mms_bm.node.nr_pages;
unlock:
	mutex_unlock(&mms_bm_lock);
	if (ret == -EINVAL)
		mms_bm_complain("read_map: first word %llu past the map\n",
				m.first_word);
	if (!ret && n &&
	    copy_to_user(u64_to_user_ptr(m.buf), words, n * sizeof(*words)))
		ret = mms_bm_bad_buffer("read_map");
	kfree(words);
	if (!ret && copy_to_user(arg, &m, sizeof(m)))
		ret = -EFAULT;
	return ret;
}

static void mms_bm_snapshot(struct mmscope_bootmem_stats *st)
{
	const struct bootmem_node *node = &mms_bm.node;
	const struct bootmem_stats *s = &node->stats;

	memset(st, 0, sizeof(*st));
	mutex_lock(&mms_bm_lock);
	if (node->retired)
		st->state = MMSCOPE_BOOTMEM_RETIRED;
	else if (node->map)
		st->state = MMSCOPE_BOOTMEM_LIVE;
	st->nr_pages = node->nr_pages;
	st->map_page = node->map_start;
	st->map_pages = node->map_pages;
	st->pages_reserved = node->nr_reserved;
	st->pages_free = node->nr_pages - node->nr_reserved;
	st->allocs = s->allocs;
	st->alloc_failures = s->alloc_failures;
	st->alloc_bytes = s->alloc_bytes;
	st->alloc_pages = s->alloc_pages;
	st->alloc_packed = s->alloc_packed;
	st->alloc_frees = s->alloc_frees;
	st->range_frees = s->range_frees;
	st->reserves = s->reserves;
	st->pages_freed = s->pages_freed;
	st->reserve_pages = s->pages_reserved;
	st->double_frees = s->double_frees;
	st->reserved_twice = s->reserved_twice;
	st->invalid = s->invalid;
	st->retired_pages = s->retired_pages;
	st->retired_blocks = mms_bm.retired_blocks;
	st->retire_refused = mms_bm.retire_refused;
	st->refused = mms_bm.refused;
	st->inits = mms_bm.inits;
	mutex_unlock(&mms_bm_lock);
}

static long mms_bm_ioc_stats(void __user *arg)
{
	struct mmscope_bootmem_stats st;

	mms_bm_snapshot(&st);
	if (copy_to_user(arg, &st, sizeof(st)))
		return mms_bm_bad_buffer("stats");
	return 0;
}

static long mms_bm_ioc_bench(void __user *arg)
{
	struct mmscope_bootmem_bench b;
	int ret;

	ret = mms_bm_copy_in(&b, arg, sizeof(b), ARRAY_SIZE(b.reserved),
			     "bench");
	if (ret)
		return ret;
	ret = mms_bootmem_bench(&b);
	if (ret == -EINVAL) {
		mms_bm_count_refusal();
		mms_bm_complain("bench: parameters out of range\n");
	}
	if (ret)
		return ret;
	if (copy_to_user(arg, &b, sizeof(b)))
		return -EFAULT;
	return 0;
}

static long mms_bootmem_ioctl(struct file *file, unsigned int cmd,
			      void __user *arg)
{
	switch (cmd) {
	case MMSCOPE_IOC_BOOTMEM_INIT:
		return mms_bm_ioc_init(arg);
	case MMSCOPE_IOC_BOOTMEM_FREE:
		return mms_bm_ioc_range(arg, MMS_BM_FREE);
	case MMSCOPE_IOC_BOOTMEM_RESERVE:
		return mms_bm_ioc_range(arg, MMS_BM_RESERVE);
	case MMSCOPE_IOC_BOOTMEM_ALLOC:
		return mms_bm_ioc_alloc(arg);
	case MMSCOPE_IOC_BOOTMEM_FREE_ALLOC:
		return mms_bm_ioc_range(arg, MMS_BM_FREE_ALLOC);
	case MMSCOPE_IOC_BOOTMEM_RETIRE:
		return mms_bm_ioc_retire(arg);
	case MMSCOPE_IOC_BOOTMEM_READ_MAP:
		return mms_bm_ioc_read_map(arg);
	case MMSCOPE_IOC_BOOTMEM_STATS:
		return mms_bm_ioc_stats(arg);
	case MMSCOPE_IOC_BOOTMEM_BENCH:
		return mms_bm_ioc_bench(arg);
	}
	return -ENOTTY;
}

/* debugfs: a /proc/meminfo-style summary, the map, and one-value files. */

static const char *const mms_bm_state_names[] = {
	[MMSCOPE_BOOTMEM_NONE] = "none",
	[MMSCOPE_BOOTMEM_LIVE] = "live",
	[MMSCOPE_BOOTMEM_RETIRED] = "retired",
};

#define MMS_BM_FIELD(file, field)					\
	{ file, offsetof(struct mmscope_bootmem_stats, field) }

static const struct mms_bm_field {
	const char *name;
	size_t offset;
} mms_bm_fields[] = {
	MMS_BM_FIELD("Pages:", nr_pages),
	MMS_BM_FIELD("MapPage:", map_page),
	MMS_BM_FIELD("MapPages:", map_pages),
	MMS_BM_FIELD("Reserved:", pages_reserved),
	MMS_BM_FIELD("Free:", pages_free),
	MMS_BM_FIELD("Allocations:", allocs),
	MMS_BM_FIELD("AllocFailures:", alloc_failures),
	MMS_BM_FIELD("AllocBytes:", alloc_bytes),
	MMS_BM_FIELD("AllocPages:", alloc_pages),
	MMS_BM_FIELD("AllocPacked:", alloc_packed),
	MMS_BM_FIELD("AllocFrees:", alloc_frees),
	MMS_BM_FIELD("RangeFrees:", range_frees),
	MMS_BM_FIELD("Reserves:", reserves),
	MMS_BM_FIELD("PagesFreed:", pages_freed),
	MMS_BM_FIELD("ReservePages:", reserve_pages),
	MMS_BM_FIELD("DoubleFrees:", double_frees),
	MMS_BM_FIELD("ReservedTwice:", reserved_twice),
	MMS_BM_FIELD("Invalid:", invalid),
	MMS_BM_FIELD("RetiredPages:", retired_pages),
	MMS_BM_FIELD("RetiredBlocks:", retired_blocks),
	MMS_BM_FIELD("RetireRefused:", retire_refused),
	MMS_BM_FIELD("Refused:", refused),
	MMS_BM_FIELD("Inits:", inits),
};

/* One-value files, for scripts. */
static const struct mms_bm_field mms_bm_value_files[] = {
	MMS_BM_FIELD("nr_pages", nr_pages),
	MMS_BM_FIELD("map_pages", map_pages),
	MMS_BM_FIELD("pages_reserved", pages_reserved),
	MMS_BM_FIELD("pages_free", pages_free),
	MMS_BM_FIELD("allocs", allocs),
	MMS_BM_FIELD("alloc_failures", alloc_failures),
	MMS_BM_FIELD("double_frees", double_frees),
	MMS_BM_FIELD("reserved_twice", reserved_twice),
	MMS_BM_FIELD("invalid", invalid),
	MMS_BM_FIELD("retired_pages", retired_pages),
	MMS_BM_FIELD("refused", refused),
};

static u64 mms_bm_field_value(const struct mmscope_bootmem_stats *st,
			      const struct mms_bm_field *f)
{
	return *(const u64 *)((const char *)st + f->offset);
}

static int stats_show(struct seq_file *m, void *v)
{
	struct mmscope_bootmem_stats st;
	size_t i;

	mms_bm_snapshot(&st);
	seq_printf(m, "%-16s%10s\n", "State:", mms_bm_state_names[st.state]);
	for (i = 0; i < ARRAY_SIZE(mms_bm_fields); i++)
		seq_printf(m, "%-16s%10llu\n", mms_bm_fields[i].name,
			   mms_bm_field_value(&st, &mms_bm_fields[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int value_show(struct seq_file *m, void *v)
{
	struct mmscope_bootmem_stats st;

	mms_bm_snapshot(&st);
	seq_printf(m, "%llu\n", mms_bm_field_value(&st, m->private));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(value);

static int state_show(struct seq_file *m, void *v)
{
	struct mmscope_bootmem_stats st;

	mms_bm_snapshot(&st);
	seq_printf(m, "%s\n", mms_bm_state_names[st.state]);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(state);

/* Four map words a line, each line led by the page of its first bit. */
static int bitmap_show(struct seq_file *m, void *v)
{
	unsigned long w, words;

	mutex_lock(&mms_bm_lock);
	if (mms_bm.node.map) {
		words = bootmem_map_words(mms_bm.node.nr_pages);
		for (w = 0; w < words; w++) {
			if (w % 4 == 0)
				seq_printf(m, "%s%08lx:", w ? "\n" : "",
					   w * BITS_PER_LONG);
			seq_printf(m, " %0*lx", BITS_PER_LONG / 4,
				   mms_bm.node.map[w]);
		}
		seq_putc(m, '\n');
	}
	mutex_unlock(&mms_bm_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(bitmap);

static int mms_bootmem_init(struct dentry *dir)
{
	size_t i;
	int ret;

	mutex_lock(&mms_bm_lock);
	ret = mms_bm_create(mms_bootmem_pages, 0);
	mutex_unlock(&mms_bm_lock);
	if (ret)
		return ret;

	debugfs_create_file("stats", 0444, dir, NULL, &stats_fops);
	debugfs_create_file("bitmap", 0444, dir, NULL, &bitmap_fops);
	debugfs_create_file("state", 0444, dir, NULL, &state_fops);
	for (i = 0; i < ARRAY_SIZE(mms_bm_value_files); i++)
		debugfs_create_file(mms_bm_value_files[i].name, 0444, dir,
				    (void *)&mms_bm_value_files[i],
				    &value_fops);
	return 0;
}

static void mms_bootmem_exit(void)
{
	mutex_lock(&mms_bm_lock);
	mms_bm_release();
	mutex_unlock(&mms_bm_lock);
}

const struct mms_mechanism mms_bootmem_mechanism = {
	.name = "bootmem",
	.feature = MMSCOPE_FEAT_BOOTMEM,
	.init = mms_bootmem_init,
	.exit = mms_bootmem_exit,
	.ioc_base = MMSCOPE_IOC_BOOTMEM_BASE,
	.ioctl = mms_bootmem_ioctl,
};
