// SPDX-License-Identifier: GPL-2.0
/*
 * mmscope-demo: narrated walkthroughs of mmscope's mechanisms, printing
 * what the running kernel reports at every step (ioctls, debugfs,
 * getrusage, the page-table walk). Nothing printed is precomputed.
 *
 *	mmscope-demo bootmem|buddy|fault|all
 *
 * Runs as root with mmscope.ko loaded. Exit status 1 if a step's system
 * call fails, 2 on bad usage.
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/mmscope.h>
#include "mmscope_user.h"

typedef unsigned long long ull;

static int dev_fd = -1;
static long psz;

/* ---- output and error handling ------------------------------------------ */

static void __attribute__((noreturn)) fail(const char *what)
{
	int e = errno;

	fflush(stdout);
	fprintf(stderr, "mmscope-demo: %s: %s\n", what, strerror(e));
	exit(1);
}

static void xioctl(int fd, unsigned long cmd, void *arg, const char *name)
{
	if (ioctl(fd, cmd, arg))
		fail(name);
}

/* An ioctl on the demo's device fd, named after its command in errors. */
#define IOC(cmd, arg)	xioctl(dev_fd, cmd, arg, #cmd)

static void title(const char *s)
{
	printf("\n======== %s ========\n", s);
}

static void __attribute__((format(printf, 1, 2))) step(const char *fmt, ...)
{
	va_list ap;

	printf("\n-- ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	va_list ap;

	printf("   ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

/* Print a file of mmscope's debugfs directory, as `cat` would, indented. */
static void show_file(const char *rel)
{
	char path[256], buf[8192], *line, *next;

	snprintf(path, sizeof(path), "%s/%s", MMSCOPE_DEBUGFS_PATH, rel);
	if (mms_read_file(path, buf, sizeof(buf)) < 0)
		fail(path);
	printf("   $ cat %s\n", path);
	for (line = buf; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		printf("   %s\n", line);
	}
}

/* ---- bootmem ------------------------------------------------------------ */

static void bm_stats_line(void)
{
	struct mmscope_bootmem_stats st;

	IOC(MMSCOPE_IOC_BOOTMEM_STATS, &st);
	say("stats: %llu pages, %llu reserved, %llu free; %llu allocations (%llu bytes asked, %llu pages taken, %llu packed)",
	    (ull)st.nr_pages, (ull)st.pages_reserved, (ull)st.pages_free,
	    (ull)st.allocs, (ull)st.alloc_bytes, (ull)st.alloc_pages,
	    (ull)st.alloc_packed);
}

/* The map, read back with READ_MAP, as runs of reserved pages. */
static void bm_show_map(void)
{
	struct mmscope_bootmem_map m = { .nr_words = 0 };
	uint64_t i, first = 0, reserved = 0;
	unsigned int runs = 0;
	uint64_t *words;
	int in = 0;

	IOC(MMSCOPE_IOC_BOOTMEM_READ_MAP, &m);
	words = calloc(m.total_words, sizeof(*words));
	if (!words)
		fail("calloc");
	m.buf = (uintptr_t)words;
	m.nr_words = m.total_words;
	IOC(MMSCOPE_IOC_BOOTMEM_READ_MAP, &m);
	printf("   map (READ_MAP, %llu words): reserved pages", (ull)m.nr_words);
	for (i = 0; i <= m.nr_pages; i++) {
		int r = i < m.nr_pages && (words[i / 64] >> (i % 64) & 1);

		if (r && !in) {
			first = i;
			in = 1;
		} else if (!r && in) {
			printf("%s %#llx-%#llx", runs++ % 6 ? "," : "\n     ",
			       (ull)first, (ull)i - 1);
			reserved += i - first;
			in = 0;
		}
	}
	printf("\n     = %llu reserved, %llu free of %llu\n", (ull)reserved,
	       (ull)(m.nr_pages - reserved), (ull)m.nr_pages);
	free(words);
}

static void bm_range(unsigned long cmd, const char *name, uint64_t addr,
		     uint64_t size, struct mmscope_bootmem_range *r)
{
	memset(r, 0, sizeof(*r));
	r->addr = addr;
	r->size = size;
	xioctl(dev_fd, cmd, r, name);
}

static uint64_t bm_alloc(const char *what, uint64_t size, uint64_t align,
			 uint64_t goal)
{
	struct mmscope_bootmem_alloc a = {
		.size = size, .align = align, .goal = goal,
	};

	IOC(MMSCOPE_IOC_BOOTMEM_ALLOC, &a);
	say("%-34s size %7llu align %4llu goal %#9llx -> addr %#llx (page %#llx%s)",
	    what, (ull)size, (ull)align, (ull)goal, (ull)a.addr,
	    (ull)(a.addr / psz), a.addr % psz ? ", inside a page" : "");
	return a.addr;
}

/*
 * The seed's setup_memory() (Linux 2.4, arch/i386/kernel/setup.c) on a
 * 32 MiB PC, the inputs as the seed had them: kernel image up to
 * 0x3a5123, the map right after it, the BIOS-e820 usable ranges.
 */
static void demo_bootmem(void)
{
	const uint64_t nr_pages = 8192;			/* max_low_pfn */
	const uint64_t kernel_end = 0x3a5123;		/* __pa(&_end) */
	const uint64_t start_pfn = (kernel_end + psz - 1) / psz;
	const uint64_t bootmap_size = nr_pages / 8;	/* one bit per page */
	const uint64_t high_memory = 0x100000;		/* 1 MiB */
	const uint64_t dma = 0x1000000;			/* __pa(MAX_DMA_ADDRESS) */
	struct mmscope_bootmem_init init = {
		.nr_pages = nr_pages, .map_page = start_pfn,
	};
	struct mmscope_buddy_stats bs0, bs1;
	struct mmscope_bootmem_retire ret;
	struct mmscope_bootmem_alloc a;
	struct mmscope_bootmem_range r;
	struct mmscope_bootmem_stats st;

	title("bootmem: the boot-time bitmap allocator (docs/bootmem.md)");
	say("Linux 2.4's setup_memory() on a 32 MiB PC, replayed through the MMSCOPE_IOC_BOOTMEM_* ioctls.");
	say("Addresses are byte offsets in the node: page i is [i * %ld, (i + 1) * %ld).",
	    psz, psz);

	step("init_bootmem(start_pfn %#llx, max_low_pfn %llu): MMSCOPE_IOC_BOOTMEM_INIT",
	     (ull)start_pfn, (ull)nr_pages);
	IOC(MMSCOPE_IOC_BOOTMEM_INIT, &init);
	say("the kernel gave the node %llu pages; the map (%llu bytes) takes %llu page(s) from page %#llx",
	    (ull)nr_pages, (ull)bootmap_size, (ull)init.map_pages,
	    (ull)start_pfn);
	say("every page starts reserved, as init_bootmem_core() left them:");
	bm_show_map();

	step("register_bootmem_low_pages(): free the BIOS-e820 usable RAM (free rounds inwards)");
	bm_range(MMSCOPE_IOC_BOOTMEM_FREE, "MMSCOPE_IOC_BOOTMEM_FREE", 0,
		 0x9fc00, &r);
	say("free [0, 0x9fc00): %llu pages freed (the partly usable page at 0x9f000 stays reserved)",
	    (ull)r.pages);
	bm_range(MMSCOPE_IOC_BOOTMEM_FREE, "MMSCOPE_IOC_BOOTMEM_FREE",
		 high_memory, nr_pages * psz - high_memory, &r);
	say("free [%#llx, %#llx): %llu pages freed (the map's page is skipped)",
	    (ull)high_memory, (ull)(nr_pages * psz), (ull)r.pages);

	step("reserve_bootmem(): the kernel image and the map, then page 0 and page 1 (reserve rounds outwards)");
	bm_range(MMSCOPE_IOC_BOOTMEM_RESERVE, "MMSCOPE_IOC_BOOTMEM_RESERVE",
		 high_memory,
		 start_pfn * psz + bootmap_size + psz - 1 - high_memory, &r);
	say("reserve kernel + map from %#llx: %llu pages reserved, %llu were reserved already",
	    (ull)high_memory, (ull)r.pages, (ull)r.twice);
	bm_range(MMSCOPE_IOC_BOOTMEM_RESERVE, "MMSCOPE_IOC_BOOTMEM_RESERVE",
		 0, psz, &r);
	say("reserve page 0 (BIOS data):     %llu page reserved", (ull)r.pages);
	bm_range(MMSCOPE_IOC_BOOTMEM_RESERVE, "MMSCOPE_IOC_BOOTMEM_RESERVE",
		 psz, psz, &r);
	say("reserve page 1 (SMP trampoline): %llu page reserved", (ull)r.pages);
	say("before any allocation:");
	bm_show_map();
	bm_stats_line();

	step("paging_init() and friends allocate: MMSCOPE_IOC_BOOTMEM_ALLOC (first fit from the goal)");
	bm_alloc("alloc_bootmem_low_pages(PAGE_SIZE)", psz, psz, 0);
	bm_alloc("mem_map (120 pages of struct page)", 491520, 32, dma);
	bm_alloc("a 200-byte structure", 200, 32, dma);
	bm_alloc("a 100-byte structure", 100, 32, dma);
	say("the last one starts in the page the previous one ended in: small allocations share pages");
	say("after the allocations:");
	bm_show_map();
	show_file("bootmem/stats");

	step("free_all_bootmem(): MMSCOPE_IOC_BOOTMEM_RETIRE hands every free page to the buddy allocator");
	IOC(MMSCOPE_IOC_BUDDY_STATS, &bs0);
	IOC(MMSCOPE_IOC_BOOTMEM_RETIRE, &ret);
	IOC(MMSCOPE_IOC_BUDDY_STATS, &bs1);
	say("retire: %llu free pages handed over, %llu of them as whole map words (order-%llu blocks of %d pages),",
	    (ull)ret.pages, (ull)ret.blocks, (ull)ret.block_order,
	    1 << (int)ret.block_order);
	say("        the rest one page at a time; then %llu map page(s); %llu refused by the buddy allocator",
	    (ull)ret.map_pages, (ull)ret.refused);
	say("buddy allocator: adopted_pages %llu -> %llu, adopted ranges %llu -> %llu, free pages %llu -> %llu",
	    (ull)bs0.adopted_pages, (ull)bs1.adopted_pages,
	    (ull)bs0.adopted_ranges, (ull)bs1.adopted_ranges,
	    (ull)bs0.pages_free, (ull)bs1.pages_free);
	show_file("buddy/buddyinfo");
	say("(adopted pages are handed out before pages of chunks from the kernel)");
	IOC(MMSCOPE_IOC_BOOTMEM_STATS, &st);
	memset(&a, 0, sizeof(a));
	a.size = psz;
	a.align = psz;
	errno = 0;
	if (!ioctl(dev_fd, MMSCOPE_IOC_BOOTMEM_ALLOC, &a) || errno != ESHUTDOWN) {
		if (!errno)
			errno = EINVAL;
		fail("MMSCOPE_IOC_BOOTMEM_ALLOC on a retired node did not fail with ESHUTDOWN");
	}
	say("state %s: an allocation now fails with ESHUTDOWN (%s): bootmem is gone, as after boot",
	    st.state == MMSCOPE_BOOTMEM_RETIRED ? "retired" : "NOT retired",
	    strerror(ESHUTDOWN));
	if (st.state != MMSCOPE_BOOTMEM_RETIRED) {
		errno = EPROTO;
		fail("node state after RETIRE");
	}
}

/* ---- buddy -------------------------------------------------------------- */

static void buddy_stats(struct mmscope_buddy_stats *st)
{
	IOC(MMSCOPE_IOC_BUDDY_STATS, st);
}

/* Per-order changes of splits or merges between two stats snapshots. */
static void buddy_show_delta(const char *what, const __u64 *a,
			     const __u64 *b, unsigned int nr_orders)
{
	unsigned int o, n = 0;

	printf("   %s:", what);
	for (o = 0; o < nr_orders; o++)
		if (b[o] != a[o]) {
			printf(" order %u x%llu", o, (ull)(b[o] - a[o]));
			n++;
		}
	printf("%s\n", n ? "" : " none");
}

static void buddy_alloc(struct mmscope_buddy_block *b, unsigned int order)
{
	struct mmscope_buddy_stats s0, s1;

	memset(b, 0, sizeof(*b));
	b->order = order;
	buddy_stats(&s0);
	IOC(MMSCOPE_IOC_BUDDY_ALLOC, b);
	buddy_stats(&s1);
	step("allocate order %u (%u pages): MMSCOPE_IOC_BUDDY_ALLOC", order,
	     1U << order);
	say("got range %u, pages %u-%u; chunks taken from the kernel: +%llu",
	    b->range_id, b->offset, b->offset + (1U << order) - 1,
	    (ull)(s1.chunks_taken - s0.chunks_taken));
	buddy_show_delta("blocks split", s0.splits, s1.splits, s1.nr_orders);
	show_file("buddy/buddyinfo");
}

static void buddy_free(const struct mmscope_buddy_block *blk)
{
	struct mmscope_buddy_block b = { .handle = blk->handle,
					 .order = blk->order };
	struct mmscope_buddy_stats s0, s1;

	buddy_stats(&s0);
	IOC(MMSCOPE_IOC_BUDDY_FREE, &b);
	buddy_stats(&s1);
	step("free the order-%u block at page %u: its buddy is page %u ^ %u = %u",
	     blk->order, blk->offset, blk->offset, 1U << blk->order,
	     blk->offset ^ (1U << blk->order));
	buddy_show_delta("merged with a free buddy", s0.merges, s1.merges,
			 s1.nr_orders);
	show_file("buddy/buddyinfo");
}

static void demo_buddy(void)
{
	static const unsigned int orders[] = { 3, 5, 1 };
	struct mmscope_buddy_block blk[3];
	struct mmscope_buddy_drain drain;
	struct mmscope_buddy_reset reset;
	struct mmscope_buddy_check check;
	struct mmscope_buddy_stats st;
	cpu_set_t cpus;
	unsigned int i;

	title("buddy: split and merge (docs/buddy.md)");
	say("Blocks of 2^order pages; an allocation splits the smallest free block that fits,");
	say("a free merges the block with its buddy (index ^ 2^order) while that one is free.");

	step("start clean: MMSCOPE_IOC_BUDDY_RESET, MMSCOPE_IOC_BUDDY_DRAIN (per-CPU caches, empty chunks)");
	/* One CPU, so that no other CPU's cache holds pages meanwhile. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	if (sched_setaffinity(0, sizeof(cpus), &cpus))
		fail("sched_setaffinity");
	IOC(MMSCOPE_IOC_BUDDY_RESET, &reset);
	memset(&drain, 0, sizeof(drain));
	drain.flags = MMSCOPE_BUDDY_DRAIN_PCP | MMSCOPE_BUDDY_DRAIN_SPARE;
	IOC(MMSCOPE_IOC_BUDDY_DRAIN, &drain);
	buddy_stats(&st);
	say("reset freed %llu blocks; drain moved %llu cached pages, returned %llu chunks",
	    (ull)reset.blocks, (ull)drain.pages_drained,
	    (ull)drain.chunks_returned);
	say("now: %llu chunks held (at most %llu), %llu pages held, %llu adopted from bootmem, %llu free",
	    (ull)st.chunks_held, (ull)st.chunks_max, (ull)st.pages_held,
	    (ull)st.adopted_pages, (ull)st.pages_free);
	if (st.adopted_pages)
		say("(adopted pages are used first: the blocks below come from them, not from a chunk)");
	show_file("buddy/buddyinfo");

	for (i = 0; i < 3; i++)
		buddy_alloc(&blk[i], orders[i]);

	step("fragmentation now, per order (formats of /sys/kernel/debug/extfrag/)");
	say("extfrag_index: -1.000 = a request of that order succeeds; towards 1 it fails for fragmentation");
	show_file("buddy/extfrag/extfrag_index");
	say("unusable_index: share of free memory in blocks too small for that order");
	show_file("buddy/extfrag/unusable_index");

	/* Smallest first: each free merges a little, the last one all the way. */
	buddy_free(&blk[2]);
	buddy_free(&blk[0]);
	buddy_free(&blk[1]);

	step("fragmentation after the frees");
	show_file("buddy/extfrag/extfrag_index");
	show_file("buddy/extfrag/unusable_index");

	step("consistency checker (MMSCOPE_IOC_BUDDY_CHECK) and the chunk going back to the kernel");
	memset(&check, 0, sizeof(check));
	IOC(MMSCOPE_IOC_BUDDY_CHECK, &check);
	say("checker: %s", check.message[0] ? check.message : "ok");
	memset(&drain, 0, sizeof(drain));
	drain.flags = MMSCOPE_BUDDY_DRAIN_SPARE;
	IOC(MMSCOPE_IOC_BUDDY_DRAIN, &drain);
	buddy_stats(&st);
	say("the empty chunk was kept as a spare; draining it returned %llu chunk(s): %llu held now, %llu taken and %llu returned since load",
	    (ull)drain.chunks_returned, (ull)st.chunks_held,
	    (ull)st.chunks_taken, (ull)st.chunks_returned);
}

/* ---- fault -------------------------------------------------------------- */

#define MAX_CTRS	32

struct fault_ctrs {
	unsigned int n;
	char name[MAX_CTRS][24];
	long long val[MAX_CTRS];
};

/* All counters of debugfs fault/stats ("name value" lines) at once. */
static void fault_snap(struct fault_ctrs *c)
{
	char buf[4096], *line, *next;

	if (mms_read_file(MMSCOPE_DEBUGFS_PATH "/fault/stats", buf,
			  sizeof(buf)) < 0)
		fail(MMSCOPE_DEBUGFS_PATH "/fault/stats");
	c->n = 0;
	for (line = buf; *line && c->n < MAX_CTRS; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (sscanf(line, "%23s %lld", c->name[c->n], &c->val[c->n]) == 2)
			c->n++;
	}
}

/* What one access cost: minor faults, and the counters that moved. */
static void fault_show(const struct fault_ctrs *a, const struct fault_ctrs *b,
		       long faults)
{
	unsigned int i, n = 0;

	if (faults >= 0)
		printf("   %ld fault%s (getrusage ru_minflt);", faults,
		       faults == 1 ? "" : "s");
	else
		printf("  ");
	printf(" fault/ counters:");
	for (i = 0; i < a->n && i < b->n; i++)
		if (b->val[i] != a->val[i] && !strcmp(a->name[i], b->name[i])) {
			printf("%s %s %+lld", n++ % 4 ? "," : "\n     ",
			       b->name[i], b->val[i] - a->val[i]);
		}
	printf("%s\n", n ? "" : " none moved");
}

static const char *const vma_kinds[] = {
	[MMSCOPE_VMA_NONE] = "none", [MMSCOPE_VMA_ANON] = "anon",
	[MMSCOPE_VMA_FILE] = "file", [MMSCOPE_VMA_HUGETLB] = "hugetlb",
	[MMSCOPE_VMA_MMSCOPE] = "mmscope", [MMSCOPE_VMA_PFNMAP] = "pfnmap",
};

static const char *const level_names[MMSCOPE_PW_NR_LEVELS] = {
	[MMSCOPE_PW_PGD] = "pgd", [MMSCOPE_PW_P4D] = "p4d",
	[MMSCOPE_PW_PUD] = "pud", [MMSCOPE_PW_PMD] = "pmd",
	[MMSCOPE_PW_PTE] = "pte",
};

/* MMSCOPE_IOC_PAGEWALK of @addr, printed: the leaf entry, decoded. */
static struct mmscope_pagewalk show_walk(const char *label,
					 const volatile void *addr)
{
	struct mmscope_pagewalk pw = { .addr = (uintptr_t)addr };
	uint32_t f;

	IOC(MMSCOPE_IOC_PAGEWALK, &pw);
	if (!(pw.result & MMSCOPE_PW_R_MAPPED)) {
		say("page walk %s: not mapped (the walk stopped at the %s)",
		    label, pw.last < MMSCOPE_PW_NR_LEVELS ?
		    level_names[pw.last] : "?");
		return pw;
	}
	f = pw.flags[pw.leaf];
	say("page walk %s: %s %#018llx -> pfn %#llx%s",
	    label, pw.leaf < MMSCOPE_PW_NR_LEVELS ? level_names[pw.leaf] : "?",
	    (ull)pw.entry[pw.leaf], (ull)pw.pfn,
	    pw.result & MMSCOPE_PW_R_ZERO_PAGE ? " = the zero page" : "");
	say("    %s%s%s%s%s, %s mapping, %u-level paging",
	    f & MMSCOPE_PW_WRITE ? "writable" : "read-only",
	    f & MMSCOPE_PW_DIRTY ? " dirty" : "",
	    f & MMSCOPE_PW_ACCESSED ? " accessed" : "",
	    f & MMSCOPE_PW_SPECIAL ? " special (no refcount)" : "",
	    f & MMSCOPE_PW_NX ? " nx" : "",
	    pw.vma_kind < sizeof(vma_kinds) / sizeof(vma_kinds[0]) ?
	    vma_kinds[pw.vma_kind] : "?", pw.levels);
	return pw;
}

/* One access to @p with the faults it cost. */
static void fault_access(volatile char *p, int write, char v)
{
	struct fault_ctrs a, b;
	char got = 0;
	long f0, f1;

	fault_snap(&a);
	f0 = mms_minflt();
	if (write)
		*p = v;
	else
		got = *p;
	f1 = mms_minflt();
	fault_snap(&b);
	if (write)
		say("write '%c'", v);
	else
		say("read -> 0x%02x", (unsigned char)got);
	fault_show(&a, &b, f1 - f0);
}

/* The fork part of the walkthrough; the child reports over a pipe. */
static void fault_fork(volatile char *priv)
{
	struct mmscope_pagewalk pw, before;
	struct fault_ctrs a, b;
	uint64_t child[4];
	int pfd[2], status;
	pid_t pid;

	step("fork(): parent and child now share the private page; the child writes to it");
	before = show_walk("parent, before fork", priv);
	if (pipe(pfd))
		fail("pipe");
	fault_snap(&a);
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (!pid) {
		long f0;

		close(pfd[0]);
		memset(&pw, 0, sizeof(pw));
		pw.addr = (uintptr_t)priv;
		if (ioctl(dev_fd, MMSCOPE_IOC_PAGEWALK, &pw))
			_exit(1);
		child[0] = pw.pfn;
		child[1] = !!(pw.flags[pw.leaf] & MMSCOPE_PW_WRITE);
		f0 = mms_minflt();
		*priv = 'C';
		child[3] = mms_minflt() - f0;
		if (ioctl(dev_fd, MMSCOPE_IOC_PAGEWALK, &pw))
			_exit(1);
		child[2] = pw.pfn;
		if (write(pfd[1], child, sizeof(child)) != sizeof(child))
			_exit(1);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], child, sizeof(child)) != sizeof(child))
		fail("read from the child");
	close(pfd[0]);
	status = mms_wait_exit(pid);
	if (status) {
		errno = ECHILD;
		fail("the child of the COW step failed");
	}
	fault_snap(&b);
	say("child: its PTE after fork: pfn %#llx, %s", (ull)child[0],
	    child[1] ? "writable" : "read-only (fork write-protected it)");
	say("child: wrote 'C': %llu fault(s), pfn %#llx -> %#llx: the kernel copied the page",
	    (ull)child[3], (ull)child[0], (ull)child[2]);
	fault_show(&a, &b, -1);

	step("parent writes the same page, which only it maps now");
	show_walk("parent, after the child's copy", priv);
	fault_access(priv, 1, 'P');
	pw = show_walk("parent", priv);
	say("pfn %#llx -> %#llx: %s; the parent reads '%c', the child had '%c'",
	    (ull)before.pfn, (ull)pw.pfn, pw.pfn == before.pfn ?
	    "reused, do_wp_page found no one else using the page" :
	    "copied", *priv, 'C');
}

static void demo_fault(void)
{
	const size_t pages = 16, len = pages * psz;
	struct mmscope_pagewalk zero, pw, filepg;
	struct mmscope_file_info fi;
	struct fault_ctrs a, b;
	char *shr, *priv;
	__u64 size = len;
	uint64_t cow;
	int fd;

	title("fault: /dev/mmscope mapped, page by page (docs/fault.md)");
	if (mms_debugfs_u64("fault/cow_probe", &cow))
		fail("debugfs fault/cow_probe");
	say("Each open() of /dev/mmscope is a new empty in-memory file; its pages reach user space only by faults.");
	say("Every access below is timed by getrusage() minor faults and explained by mmscope's counters;");
	say("MMSCOPE_IOC_PAGEWALK then reads this process's page table for the address.");
	say("(private_copy_wp counts through a kprobe on wp_page_copy: %s)",
	    cow ? "armed" : "NOT armed, it stays 0");

	step("open, size and map: open(/dev/mmscope), MMSCOPE_IOC_FILE_SET_SIZE %zu pages, mmap(MAP_SHARED)",
	     pages);
	fd = mms_open_dev();
	if (fd < 0)
		fail(MMSCOPE_DEVICE_PATH);
	xioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size,
	       "MMSCOPE_IOC_FILE_SET_SIZE");
	shr = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shr == MAP_FAILED)
		fail("mmap MAP_SHARED");
	xioctl(fd, MMSCOPE_IOC_FILE_INFO, &fi, "MMSCOPE_IOC_FILE_INFO");
	say("file: size %llu bytes, %llu pages held; nothing is mapped yet:",
	    (ull)fi.size, (ull)fi.pages);
	show_walk("page 0", shr);

	step("read page 0, a hole: the shared zero page is mapped, read-only, nothing allocated");
	fault_access(shr, 0, 0);
	zero = show_walk("page 0", shr);

	step("write page 1, a hole: a fresh page from mmscope's buddy allocator, mapped writable");
	fault_access(shr + psz, 1, 'A');
	filepg = show_walk("page 1", shr + psz);
	say("(zero_unmaps: the file has mapped the zero page before, so a new page's offset is unmapped");
	say(" from every mapping of the file, lest another one keep seeing zeros there)");

	step("page 2: read, then write (the zero page must be replaced: ->pfn_mkwrite unmaps, the access faults again)");
	fault_access(shr + 2 * psz, 0, 0);
	show_walk("page 2 after the read", shr + 2 * psz);
	fault_access(shr + 2 * psz, 1, 'B');
	pw = show_walk("page 2 after the write", shr + 2 * psz);
	say("pfn %#llx (zero page) -> %#llx (the file's own page)",
	    (ull)zero.pfn, (ull)pw.pfn);
	xioctl(fd, MMSCOPE_IOC_FILE_INFO, &fi, "MMSCOPE_IOC_FILE_INFO");
	say("the file now holds %llu pages; page 0 is still a hole read through the zero page",
	    (ull)fi.pages);

	step("mmap(MAP_PRIVATE) of the same file: reads see the file, writes copy");
	priv = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (priv == MAP_FAILED)
		fail("mmap MAP_PRIVATE");
	fault_access(priv + psz, 0, 0);
	pw = show_walk("private page 1", priv + psz);
	say("the same page as the shared mapping's page 1: %s (pfn %#llx)",
	    pw.pfn == filepg.pfn ? "yes" : "NO", (ull)filepg.pfn);
	fault_access(priv + psz, 1, 'p');
	pw = show_walk("private page 1", priv + psz);
	say("copy on write: pfn %#llx -> %#llx; the private mapping reads '%c', the file still '%c'",
	    (ull)filepg.pfn, (ull)pw.pfn, priv[psz], shr[psz]);

	fault_fork(priv + psz);

	step("unmap and close: the file's pages go back to the buddy allocator");
	fault_snap(&a);
	if (munmap(priv, len) || munmap(shr, len))
		fail("munmap");
	close(fd);
	fault_snap(&b);
	fault_show(&a, &b, -1);
}

/* ---- main --------------------------------------------------------------- */

static const struct {
	const char *name;
	void (*fn)(void);
	uint64_t feature;
} demos[] = {
	/* buddy first: its chunk story starts from an allocator bootmem has not fed. */
	{ "buddy", demo_buddy, MMSCOPE_FEAT_BUDDY },
	{ "bootmem", demo_bootmem, MMSCOPE_FEAT_BOOTMEM | MMSCOPE_FEAT_BUDDY },
	{ "fault", demo_fault, MMSCOPE_FEAT_FILE },
};

int main(int argc, char **argv)
{
	const char *which = argc > 1 ? argv[1] : "";
	struct mmscope_info info;
	unsigned int i, ran = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < sizeof(demos) / sizeof(demos[0]); i++)
		if (!strcmp(which, demos[i].name))
			break;
	if (argc != 2 || (strcmp(which, "all") &&
			  i == sizeof(demos) / sizeof(demos[0]))) {
		fprintf(stderr, "usage: %s bootmem|buddy|fault|all\n"
			"  all runs buddy, bootmem, fault (bootmem's retire feeds the buddy allocator)\n",
			argv[0]);
		return 2;
	}
	psz = sysconf(_SC_PAGESIZE);
	dev_fd = mms_open_dev();
	if (dev_fd < 0)
		fail(MMSCOPE_DEVICE_PATH " (is mmscope.ko loaded?)");
	memset(&info, 0, sizeof(info));
	IOC(MMSCOPE_IOC_INFO, &info);
	printf("mmscope: uapi %u, page size %u, %u buddy orders, features %#llx\n",
	       info.uapi_version, info.page_size, info.nr_page_orders,
	       (ull)info.features);
	for (i = 0; i < sizeof(demos) / sizeof(demos[0]); i++) {
		if (strcmp(which, "all") && strcmp(which, demos[i].name))
			continue;
		if ((info.features & demos[i].feature) != demos[i].feature) {
			errno = EOPNOTSUPP;
			fail(demos[i].name);
		}
		demos[i].fn();
		ran++;
	}
	close(dev_fd);
	printf("\nmmscope-demo: %u walkthrough%s done\n", ran,
	       ran == 1 ? "" : "s");
	return 0;
}
