// SPDX-License-Identifier: GPL-2.0
/*
 * badinput suite: every ioctl of every mechanism and every writable
 * debugfs file, given bad input. Each refusal must give its exact errno,
 * bump the counter the module keeps for it, and change nothing else: the
 * bootmem map and stats, the buddy allocator's pages and handles, the
 * device files' pages are read before and after and compared.
 *
 * Adding a case is one line in ioctl_cases[] (command, argument builder,
 * errno, counter); the pointer cases (NULL, unmapped, kernel, straddling,
 * read-only) are generated for every command in commands[].
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define DBG		MMSCOPE_DEBUGFS_PATH
#define U64_MAX_	0xffffffffffffffffULL
/* A direct-map address: kernel memory user space must not reach. */
#define KADDR		0xffff888000000000ULL

static long psz;

/* ---- state: everything a refused call must leave alone --------------- */

/* Counters that count refusals; they are checked, not compared. */
enum counter {
	C_NONE,
	C_DEV,		/* mmscope/ioctl_refused */
	C_BM_REFUSED,	/* bootmem refused */
	C_BM_INVALID,	/* bootmem invalid */
	C_BM_NOMEM,	/* bootmem alloc_failures */
	C_BUDDY_INVALID,	/* buddy user_invalid */
	C_BUDDY_HANDLE,	/* buddy user_bad_handles */
	C_FILE,		/* fault/refused */
	C_NR
};

static const char *const counter_names[C_NR] = {
	"none", "ioctl_refused", "bootmem.refused", "bootmem.invalid",
	"bootmem.alloc_failures", "buddy.user_invalid",
	"buddy.user_bad_handles", "fault/refused",
};

struct state {
	struct mmscope_bootmem_stats bm;
	struct mmscope_buddy_stats bd;
	uint64_t map[1024];
	uint64_t file_pages, files, dev_refused, file_refused;
};

static int state_fd = -1;

static void state_read(struct state *s)
{
	struct mmscope_bootmem_map m = { 0 };

	memset(s, 0, sizeof(*s));
	if (state_fd < 0)
		state_fd = mms_open_dev();
	ASSERT_OK(state_fd);
	ASSERT_OK(ioctl(state_fd, MMSCOPE_IOC_BOOTMEM_STATS, &s->bm));
	ASSERT_OK(ioctl(state_fd, MMSCOPE_IOC_BUDDY_STATS, &s->bd));
	if (s->bm.state == MMSCOPE_BOOTMEM_LIVE) {
		m.buf = (uintptr_t)s->map;
		m.nr_words = 1024;
		ASSERT_OK(ioctl(state_fd, MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	}
	ASSERT_OK(mms_debugfs_u64("fault/file_pages", &s->file_pages));
	ASSERT_OK(mms_debugfs_u64("fault/files", &s->files));
	ASSERT_OK(mms_debugfs_u64("ioctl_refused", &s->dev_refused));
	ASSERT_OK(mms_debugfs_u64("fault/refused", &s->file_refused));
}

static uint64_t counter_of(const struct state *s, enum counter c)
{
	switch (c) {
	case C_DEV:
		return s->dev_refused;
	case C_BM_REFUSED:
		return s->bm.refused;
	case C_BM_INVALID:
		return s->bm.invalid;
	case C_BM_NOMEM:
		return s->bm.alloc_failures;
	case C_BUDDY_INVALID:
		return s->bd.user_invalid;
	case C_BUDDY_HANDLE:
		return s->bd.user_bad_handles;
	case C_FILE:
		return s->file_refused;
	default:
		return 0;
	}
}

/* Zero the refusal counters so that the rest compares byte for byte. */
static void state_mask(struct state *s)
{
	unsigned int o;

	s->bm.refused = s->bm.invalid = s->bm.alloc_failures = 0;
	s->bd.user_invalid = s->bd.user_bad_handles = 0;
	s->bd.bad_free_foreign = s->bd.bad_free_double = 0;
	s->bd.bad_free_order = s->bd.bad_free_tail = s->bd.bad_free_busy = 0;
	for (o = 0; o < MMSCOPE_BUDDY_MAX_ORDERS; o++)
		s->bd.alloc_failures[o] = 0;
	s->dev_refused = s->file_refused = 0;
}

/*
 * Nothing but counter @c changed between @a and @b, and @c went up by
 * exactly @n (the calls refused in between).
 */
static void state_expect(const char *what, struct state *a, struct state *b,
			 enum counter c, uint64_t n)
{
	uint64_t d = counter_of(b, c) - counter_of(a, c);
	unsigned int i;

	if (c != C_NONE && d != n) {
		ktap_diag("%s: counter %s went up by %llu, want %llu", what,
			  counter_names[c], (unsigned long long)d,
			  (unsigned long long)n);
		ASSERT_TRUE(0);
	}
	state_mask(a);
	state_mask(b);
	if (memcmp(&a->bm, &b->bm, sizeof(a->bm))) {
		for (i = 0; i < sizeof(a->bm) / 8; i++)
			if (((uint64_t *)&a->bm)[i] != ((uint64_t *)&b->bm)[i])
				ktap_diag("%s: bootmem stats word %u: %llu -> %llu",
					  what, i,
					  (unsigned long long)((uint64_t *)&a->bm)[i],
					  (unsigned long long)((uint64_t *)&b->bm)[i]);
		ASSERT_TRUE(0);
	}
	if (memcmp(a->map, b->map, sizeof(a->map))) {
		ktap_diag("%s: bootmem map changed", what);
		ASSERT_TRUE(0);
	}
	EXPECT_EQ(a->bd.pages_allocated, b->bd.pages_allocated);
	EXPECT_EQ(a->bd.pages_held, b->bd.pages_held);
	EXPECT_EQ(a->bd.user_blocks, b->bd.user_blocks);
	EXPECT_EQ(a->bd.user_pages, b->bd.user_pages);
	EXPECT_EQ(a->bd.chunks_taken, b->bd.chunks_taken);
	EXPECT_EQ(a->bd.chunks_returned, b->bd.chunks_returned);
	EXPECT_EQ(a->bd.checks, b->bd.checks);
	EXPECT_EQ(a->file_pages, b->file_pages);
	EXPECT_EQ(a->files, b->files);
	if (ktap_res->failed) {
		ktap_diag("%s: state changed", what);
		ktap_end_case();
	}
}

/* ---- argument builders ----------------------------------------------- */

/* Room for the largest argument; builders fill it. */
union arg {
	struct mmscope_info info;
	struct mmscope_bootmem_init bm_init;
	struct mmscope_bootmem_range bm_range;
	struct mmscope_bootmem_alloc bm_alloc;
	struct mmscope_bootmem_retire bm_retire;
	struct mmscope_bootmem_map bm_map;
	struct mmscope_bootmem_stats bm_stats;
	struct mmscope_bootmem_bench bm_bench;
	struct mmscope_buddy_block bd_block;
	struct mmscope_buddy_check bd_check;
	struct mmscope_buddy_drain bd_drain;
	struct mmscope_buddy_stats bd_stats;
	struct mmscope_buddy_reset bd_reset;
	struct mmscope_buddy_badfree bd_badfree;
	struct mmscope_buddy_bench bd_bench;
	struct mmscope_file_info file_info;
	struct mmscope_pagewalk pw;
	__u64 size;
	char bytes[4096];
};

typedef void (*builder)(union arg *a);

static void b_zero(union arg *a) { (void)a; }
static void b_bm_init_ok(union arg *a) { a->bm_init.nr_pages = 1024; }
static void b_bm_init_small(union arg *a) { a->bm_init.nr_pages = 63; }
static void b_bm_init_big(union arg *a) { a->bm_init.nr_pages = 65537; }
static void b_bm_init_max(union arg *a) { a->bm_init.nr_pages = U64_MAX_; }
static void b_bm_init_map_past(union arg *a)
{
	a->bm_init.nr_pages = 64;
	a->bm_init.map_page = 64;
}
static void b_bm_init_map_max(union arg *a) { a->bm_init.map_page = U64_MAX_; }
static void b_bm_init_rsv(union arg *a) { a->bm_init.reserved[2] = 1; }
/* A valid range: page 16 of the all-reserved node. */
static void b_bm_range_ok(union arg *a)
{
	a->bm_range.addr = 16 * psz;
	a->bm_range.size = psz;
}
static void b_bm_range_empty(union arg *a) { a->bm_range.addr = psz; }
static void b_bm_range_wrap(union arg *a)
{
	a->bm_range.addr = 16 * psz;
	a->bm_range.size = U64_MAX_ - 8 * psz;
}
static void b_bm_range_max_addr(union arg *a)
{
	a->bm_range.addr = U64_MAX_;
	a->bm_range.size = 1;
}
static void b_bm_range_max_size(union arg *a)
{
	a->bm_range.size = U64_MAX_;
}
static void b_bm_range_past(union arg *a)
{
	a->bm_range.addr = 1024 * psz;
	a->bm_range.size = psz;
}
static void b_bm_range_straddle_end(union arg *a)
{
	a->bm_range.addr = 1023 * psz + 1;
	a->bm_range.size = psz;
}
static void b_bm_range_rsv(union arg *a)
{
	b_bm_range_ok(a);
	a->bm_range.reserved[1] = 1;
}
static void b_bm_range_outs(union arg *a)
{
	/* Out fields are outputs: garbage in them is ignored, not refused. */
	b_bm_range_past(a);
	a->bm_range.pages = 7;
}
static void b_bm_alloc_ok(union arg *a)
{
	a->bm_alloc.size = psz;
	a->bm_alloc.align = psz;
}
static void b_bm_alloc_zero(union arg *a) { a->bm_alloc.align = 1; }
static void b_bm_alloc_align0(union arg *a) { a->bm_alloc.size = 1; }
static void b_bm_alloc_align3(union arg *a)
{
	a->bm_alloc.size = 1;
	a->bm_alloc.align = 3;
}
static void b_bm_alloc_align_max(union arg *a)
{
	a->bm_alloc.size = 1;
	a->bm_alloc.align = U64_MAX_;
}
static void b_bm_alloc_huge(union arg *a)
{
	a->bm_alloc.size = U64_MAX_;
	a->bm_alloc.align = 8;
}
static void b_bm_alloc_rsv(union arg *a)
{
	b_bm_alloc_ok(a);
	a->bm_alloc.reserved[0] = 1;
}
static uint64_t map_words[32];
static void b_bm_map_ok(union arg *a)
{
	a->bm_map.buf = (uintptr_t)map_words;
	a->bm_map.nr_words = 32;
}
static void b_bm_map_first_max(union arg *a)
{
	b_bm_map_ok(a);
	a->bm_map.first_word = U64_MAX_;
}
static void b_bm_map_first_past(union arg *a)
{
	b_bm_map_ok(a);
	a->bm_map.first_word = 17;
}
static void b_bm_map_buf_null(union arg *a) { a->bm_map.nr_words = 4; }
static void b_bm_map_buf_kernel(union arg *a)
{
	a->bm_map.buf = KADDR;
	a->bm_map.nr_words = U64_MAX_;
}
static void b_bm_map_rsv(union arg *a)
{
	b_bm_map_ok(a);
	a->bm_map.reserved[2] = 1;
}
static void b_bm_bench_ok(union arg *a)
{
	a->bm_bench.nr_pages = 64;
	a->bm_bench.nr_ops = 10;
	a->bm_bench.max_alloc_pages = 1;
	a->bm_bench.occupancy_pct = 50;
}
static void b_bm_bench_ops0(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.nr_ops = 0;
}
static void b_bm_bench_ops_max(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.nr_ops = U64_MAX_;
}
static void b_bm_bench_pages_max(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.nr_pages = U64_MAX_;
}
static void b_bm_bench_occ(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.occupancy_pct = 91;
}
static void b_bm_bench_maxalloc0(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.max_alloc_pages = 0;
}
static void b_bm_bench_rsv(union arg *a)
{
	b_bm_bench_ok(a);
	a->bm_bench.reserved[3] = 1;
}
static void b_bd_block_order0(union arg *a) { (void)a; }
static void b_bd_order_past(union arg *a) { a->bd_block.order = 11; }
static void b_bd_order_max(union arg *a) { a->bd_block.order = 0xffffffff; }
static void b_bd_flags(union arg *a) { a->bd_block.flags = 1; }
static void b_bd_rsv(union arg *a) { a->bd_block.reserved[1] = 1; }
static void b_bd_handle_max(union arg *a) { a->bd_block.handle = U64_MAX_; }
static void b_bd_handle_big(union arg *a)
{
	a->bd_block.handle = 1ULL << 32 | 1;
}
static void b_bd_handle_kaddr(union arg *a) { a->bd_block.handle = KADDR; }
static void b_bd_drain_ok(union arg *a)
{
	a->bd_drain.flags = MMSCOPE_BUDDY_DRAIN_PCP;
}
static void b_bd_drain_flags(union arg *a) { a->bd_drain.flags = 4; }
static void b_bd_drain_flags_max(union arg *a)
{
	a->bd_drain.flags = 0xffffffff;
}
static void b_bd_drain_pad(union arg *a)
{
	b_bd_drain_ok(a);
	a->bd_drain.pad = 1;
}
static void b_bd_drain_rsv(union arg *a)
{
	b_bd_drain_ok(a);
	a->bd_drain.reserved[1] = 1;
}
static void b_bd_badfree_foreign(union arg *a)
{
	a->bd_badfree.kind = MMSCOPE_BUDDY_BADFREE_FOREIGN;
}
static void b_bd_badfree_kind0(union arg *a) { (void)a; }
static void b_bd_badfree_kind_max(union arg *a)
{
	a->bd_badfree.kind = 0xffffffff;
}
static void b_bd_badfree_pad(union arg *a)
{
	b_bd_badfree_foreign(a);
	a->bd_badfree.pad = 1;
}
static void b_bd_badfree_rsv(union arg *a)
{
	b_bd_badfree_foreign(a);
	a->bd_badfree.reserved[0] = 1;
}
static void b_bd_badfree_nohandle(union arg *a)
{
	a->bd_badfree.kind = MMSCOPE_BUDDY_BADFREE_DOUBLE;
	a->bd_badfree.handle = U64_MAX_;
}
static void b_bd_bench_ok(union arg *a)
{
	a->bd_bench.workload = MMSCOPE_BUDDY_BENCH_PAIRS;
	a->bd_bench.allocator = MMSCOPE_BUDDY_BENCH_MMSCOPE;
	a->bd_bench.ops = 2;
}
static void b_bd_bench_ops0(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.ops = 0;
}
static void b_bd_bench_ops_big(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.ops = (1ULL << 32) + 1;
}
static void b_bd_bench_ops_max(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.ops = U64_MAX_;
}
static void b_bd_bench_workload(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.workload = 0;
}
static void b_bd_bench_workload_max(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.workload = 0xffffffff;
}
static void b_bd_bench_allocator(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.allocator = 4;
}
static void b_bd_bench_pad(union arg *a)
{
	b_bd_bench_ok(a);
	a->bd_bench.pad = 1;
}
static void b_size_unaligned(union arg *a) { a->size = psz + 1; }
static void b_size_max(union arg *a) { a->size = U64_MAX_; }
static void b_size_max_pages(union arg *a) { a->size = U64_MAX_ & ~(psz - 1); }
static void b_size_sign(union arg *a) { a->size = 1ULL << 63; }
static void b_size_lfs_plus(union arg *a)
{
	a->size = 0x7fffffffffffffffULL + 1 + psz;
}
static void b_pw_ok(union arg *a) { a->pw.addr = (uintptr_t)&psz; }
static void b_pw_kaddr(union arg *a) { a->pw.addr = KADDR; }
static void b_pw_max(union arg *a) { a->pw.addr = U64_MAX_; }
static void b_pw_noncanonical(union arg *a)
{
	/* Not canonical with 4 or 5 paging levels. */
	a->pw.addr = 0x8000000000000000ULL;
}
static void b_pw_rsv(union arg *a)
{
	b_pw_ok(a);
	a->pw.reserved[3] = 1;
}

/* ---- every command, with a valid argument ---------------------------- */

struct command {
	const char *name;
	unsigned long cmd;
	builder ok;		/* an argument the command accepts */
	enum counter counter;	/* where its bad pointers are counted */
};

static const struct command commands[] = {
	{ "INFO", MMSCOPE_IOC_INFO, b_zero, C_NONE },
	{ "BOOTMEM_INIT", MMSCOPE_IOC_BOOTMEM_INIT, b_bm_init_ok, C_BM_REFUSED },
	/* In an order where each valid argument is accepted in turn. */
	{ "BOOTMEM_FREE", MMSCOPE_IOC_BOOTMEM_FREE, b_bm_range_ok, C_BM_REFUSED },
	{ "BOOTMEM_ALLOC", MMSCOPE_IOC_BOOTMEM_ALLOC, b_bm_alloc_ok, C_BM_REFUSED },
	{ "BOOTMEM_FREE_ALLOC", MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, b_bm_range_ok, C_BM_REFUSED },
	{ "BOOTMEM_RESERVE", MMSCOPE_IOC_BOOTMEM_RESERVE, b_bm_range_ok, C_BM_REFUSED },
	{ "BOOTMEM_READ_MAP", MMSCOPE_IOC_BOOTMEM_READ_MAP, b_bm_map_ok, C_BM_REFUSED },
	{ "BOOTMEM_STATS", MMSCOPE_IOC_BOOTMEM_STATS, b_zero, C_BM_REFUSED },
	{ "BOOTMEM_BENCH", MMSCOPE_IOC_BOOTMEM_BENCH, b_bm_bench_ok, C_BM_REFUSED },
	{ "BUDDY_ALLOC", MMSCOPE_IOC_BUDDY_ALLOC, b_bd_block_order0, C_BUDDY_INVALID },
	{ "BUDDY_FREE", MMSCOPE_IOC_BUDDY_FREE, b_bd_block_order0, C_BUDDY_INVALID },
	{ "BUDDY_CHECK", MMSCOPE_IOC_BUDDY_CHECK, b_zero, C_BUDDY_INVALID },
	{ "BUDDY_DRAIN", MMSCOPE_IOC_BUDDY_DRAIN, b_bd_drain_ok, C_BUDDY_INVALID },
	{ "BUDDY_STATS", MMSCOPE_IOC_BUDDY_STATS, b_zero, C_BUDDY_INVALID },
	{ "BUDDY_RESET", MMSCOPE_IOC_BUDDY_RESET, b_zero, C_BUDDY_INVALID },
	{ "BUDDY_BADFREE", MMSCOPE_IOC_BUDDY_BADFREE, b_bd_badfree_foreign, C_BUDDY_INVALID },
	{ "BUDDY_BENCH", MMSCOPE_IOC_BUDDY_BENCH, b_bd_bench_ok, C_BUDDY_INVALID },
	{ "FILE_SET_SIZE", MMSCOPE_IOC_FILE_SET_SIZE, b_zero, C_FILE },
	{ "FILE_INFO", MMSCOPE_IOC_FILE_INFO, b_zero, C_FILE },
	{ "PAGEWALK", MMSCOPE_IOC_PAGEWALK, b_pw_ok, C_FILE },
	{ "BOOTMEM_RETIRE", MMSCOPE_IOC_BOOTMEM_RETIRE, b_zero, C_BM_REFUSED },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* ---- the table of bad arguments -------------------------------------- */

struct ioctl_case {
	unsigned long cmd;
	builder build;
	int err;		/* expected errno */
	enum counter counter;	/* goes up by one */
	const char *what;
};

#define CASE(c, b, e, k)	{ MMSCOPE_IOC_##c, b, e, k, #c " " #b }

static const struct ioctl_case ioctl_cases[] = {
	CASE(BOOTMEM_INIT, b_bm_init_small, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_INIT, b_bm_init_big, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_INIT, b_bm_init_max, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_INIT, b_bm_init_map_past, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_INIT, b_bm_init_map_max, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_INIT, b_bm_init_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_FREE, b_bm_range_empty, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_wrap, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_max_addr, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_max_size, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_past, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_straddle_end, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE, b_bm_range_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_FREE, b_bm_range_outs, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_empty, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_wrap, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_max_addr, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_max_size, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_straddle_end, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_RESERVE, b_bm_range_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_FREE_ALLOC, b_bm_range_empty, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE_ALLOC, b_bm_range_wrap, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE_ALLOC, b_bm_range_max_addr, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE_ALLOC, b_bm_range_past, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_FREE_ALLOC, b_bm_range_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_zero, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_align0, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_align3, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_align_max, EINVAL, C_BM_INVALID),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_huge, ENOMEM, C_BM_NOMEM),
	CASE(BOOTMEM_ALLOC, b_bm_alloc_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_READ_MAP, b_bm_map_first_max, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_READ_MAP, b_bm_map_first_past, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_READ_MAP, b_bm_map_buf_null, EFAULT, C_BM_REFUSED),
	CASE(BOOTMEM_READ_MAP, b_bm_map_buf_kernel, EFAULT, C_BM_REFUSED),
	CASE(BOOTMEM_READ_MAP, b_bm_map_rsv, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_ops0, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_ops_max, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_pages_max, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_occ, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_maxalloc0, EINVAL, C_BM_REFUSED),
	CASE(BOOTMEM_BENCH, b_bm_bench_rsv, EINVAL, C_BM_REFUSED),
	CASE(BUDDY_ALLOC, b_bd_order_past, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_ALLOC, b_bd_order_max, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_ALLOC, b_bd_flags, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_ALLOC, b_bd_rsv, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_FREE, b_bd_block_order0, ENOENT, C_BUDDY_HANDLE),
	CASE(BUDDY_FREE, b_bd_handle_max, ENOENT, C_BUDDY_HANDLE),
	CASE(BUDDY_FREE, b_bd_handle_big, ENOENT, C_BUDDY_HANDLE),
	CASE(BUDDY_FREE, b_bd_handle_kaddr, ENOENT, C_BUDDY_HANDLE),
	CASE(BUDDY_FREE, b_bd_flags, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_FREE, b_bd_rsv, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_DRAIN, b_bd_drain_flags, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_DRAIN, b_bd_drain_flags_max, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_DRAIN, b_bd_drain_pad, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_DRAIN, b_bd_drain_rsv, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BADFREE, b_bd_badfree_kind0, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BADFREE, b_bd_badfree_kind_max, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BADFREE, b_bd_badfree_pad, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BADFREE, b_bd_badfree_rsv, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BADFREE, b_bd_badfree_nohandle, ENOENT, C_BUDDY_HANDLE),
	CASE(BUDDY_BENCH, b_bd_bench_ops0, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_ops_big, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_ops_max, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_workload, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_workload_max, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_allocator, EINVAL, C_BUDDY_INVALID),
	CASE(BUDDY_BENCH, b_bd_bench_pad, EINVAL, C_BUDDY_INVALID),
	CASE(FILE_SET_SIZE, b_size_unaligned, EINVAL, C_FILE),
	CASE(FILE_SET_SIZE, b_size_max, EINVAL, C_FILE),
	CASE(FILE_SET_SIZE, b_size_max_pages, EFBIG, C_FILE),
	CASE(FILE_SET_SIZE, b_size_sign, EFBIG, C_FILE),
	CASE(FILE_SET_SIZE, b_size_lfs_plus, EFBIG, C_FILE),
	CASE(PAGEWALK, b_pw_kaddr, EINVAL, C_FILE),
	CASE(PAGEWALK, b_pw_max, EINVAL, C_FILE),
	CASE(PAGEWALK, b_pw_noncanonical, EINVAL, C_FILE),
	CASE(PAGEWALK, b_pw_rsv, EINVAL, C_FILE),
};

#define NR_IOCTL_CASES	(sizeof(ioctl_cases) / sizeof(ioctl_cases[0]))

/* Run one call that must fail with @err, bumping @c once, changing nothing. */
static void expect_refused(int fd, const char *what, unsigned long cmd,
			   void *arg, int err, enum counter c)
{
	struct state before, after;
	long r;

	state_read(&before);
	errno = 0;
	r = ioctl(fd, cmd, arg);
	if (r != -1 || errno != err) {
		ktap_diag("%s (cmd %#lx): returned %ld errno %d (%s), want %s",
			  what, cmd, r, errno, strerror(errno),
			  strerrorname_np(err));
		ASSERT_TRUE(0);
	}
	state_read(&after);
	state_expect(what, &before, &after, c, 1);
}

KTAP_CASE_FN(every_bad_argument_gets_its_errno_a_count_and_no_change)
{
	static union arg a;
	int fd = mms_open_dev();
	unsigned int i;

	ASSERT_OK(fd);
	for (i = 0; i < NR_IOCTL_CASES; i++) {
		const struct ioctl_case *c = &ioctl_cases[i];

		memset(&a, 0, sizeof(a));
		c->build(&a);
		expect_refused(fd, c->what, c->cmd, &a, c->err, c->counter);
	}
	ktap_diag("%u bad arguments refused", (unsigned int)NR_IOCTL_CASES);
	close(fd);
}

/* ---- bad pointers, generated for every command ----------------------- */

enum ptr_kind { P_NULL, P_UNMAPPED, P_KERNEL, P_STRADDLE, P_READONLY, P_NR };

static const char *const ptr_names[P_NR] = {
	"NULL", "unmapped", "kernel", "straddling an unmapped page",
	"read-only",
};

/*
 * Two pages, the second one unmapped; a read-only page holding a valid
 * argument. Returns the pointer of @kind for @cmd.
 */
static void *bad_pointer(enum ptr_kind kind, const struct command *c)
{
	static char *two, *ro;
	size_t size = _IOC_SIZE(c->cmd);
	union arg a;

	if (!two) {
		two = mmap(NULL, 2 * psz, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ro = mmap(NULL, psz, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		ASSERT_TRUE(two != MAP_FAILED && ro != MAP_FAILED);
		ASSERT_OK(munmap(two + psz, psz));
	}
	switch (kind) {
	case P_NULL:
		return NULL;
	case P_UNMAPPED:
		return two + psz;
	case P_KERNEL:
		return (void *)(uintptr_t)KADDR;
	case P_STRADDLE:
		/* A valid argument whose last byte is unmapped. */
		memset(&a, 0, sizeof(a));
		c->ok(&a);
		memcpy(two + psz - size + 1, &a, size - 1);
		return two + psz - size + 1;
	default:
		ASSERT_OK(mprotect(ro, psz, PROT_READ | PROT_WRITE));
		memset(&a, 0, sizeof(a));
		c->ok(&a);
		memcpy(ro, &a, size);
		ASSERT_OK(mprotect(ro, psz, PROT_READ));
		return ro;
	}
}

KTAP_CASE_FN(every_command_refuses_bad_pointers_without_acting)
{
	unsigned int i, k, n = 0;
	int fd = mms_open_dev();
	char what[128];

	ASSERT_OK(fd);
	for (i = 0; i < NR_COMMANDS; i++) {
		const struct command *c = &commands[i];

		for (k = 0; k < P_NR; k++) {
			/* Read-only is bad only for commands that write back. */
			if (k == P_READONLY && !(_IOC_DIR(c->cmd) & _IOC_READ))
				continue;
			snprintf(what, sizeof(what), "%s with a %s pointer",
				 c->name, ptr_names[k]);
			expect_refused(fd, what, c->cmd, bad_pointer(k, c),
				       EFAULT, c->counter);
			n++;
		}
	}
	ktap_diag("%u bad pointers refused", n);
	close(fd);
}

/* The read-only arguments above were valid: the same calls succeed. */
KTAP_CASE_FN(the_valid_arguments_of_the_pointer_cases_are_accepted)
{
	struct mmscope_bootmem_init in = { .nr_pages = 1024 };
	static union arg a;
	unsigned int i;
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	for (i = 0; i < NR_COMMANDS; i++) {
		const struct command *c = &commands[i];

		memset(&a, 0, sizeof(a));
		c->ok(&a);
		errno = 0;
		if (c->cmd == MMSCOPE_IOC_BUDDY_FREE) {
			/* Handle 0 is never valid: FREE needs an ALLOC first. */
			ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &a));
		}
		if (ioctl(fd, c->cmd, &a)) {
			ktap_diag("%s: %s", c->name, strerror(errno));
			ASSERT_TRUE(0);
		}
	}
	/* RETIRE ran last: a fresh node for the next cases. */
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BOOTMEM_INIT, &in));
	close(fd);
}

/* ---- unknown commands, wrong sizes, wrong directions ----------------- */

static int known(unsigned long cmd)
{
	unsigned int i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (commands[i].cmd == cmd)
			return 1;
	return 0;
}

KTAP_CASE_FN(unknown_commands_wrong_sizes_and_directions_are_enotty)
{
	static const unsigned int dirs[] = {
		_IOC_NONE, _IOC_READ, _IOC_WRITE, _IOC_READ | _IOC_WRITE,
	};
	static union arg a;
	struct state before, after;
	unsigned int nr, d, i, n = 0;
	unsigned long cmd;
	int fd = mms_open_dev();
	long r;

	ASSERT_OK(fd);
	state_read(&before);
	/* Every number of every block (and past them), every direction. */
	for (nr = 0; nr < 0x100; nr++) {
		for (d = 0; d < 4; d++) {
			cmd = _IOC(dirs[d], MMSCOPE_IOC_MAGIC, nr, 8);
			if (known(cmd))
				continue;
			errno = 0;
			r = ioctl(fd, cmd, nr & 1 ? NULL : &a);
			if (r != -1 || errno != ENOTTY) {
				ktap_diag("cmd %#lx: %ld errno %d", cmd, r, errno);
				ASSERT_TRUE(0);
			}
			n++;
		}
	}
	/* Each known command with another size or direction. */
	for (i = 0; i < NR_COMMANDS; i++) {
		unsigned long c = commands[i].cmd;
		unsigned long variants[] = {
			_IOC(_IOC_DIR(c), _IOC_TYPE(c), _IOC_NR(c), _IOC_SIZE(c) + 8),
			_IOC(_IOC_DIR(c), _IOC_TYPE(c), _IOC_NR(c), _IOC_SIZE(c) - 8),
			_IOC(_IOC_DIR(c), _IOC_TYPE(c), _IOC_NR(c), 0),
			_IOC(_IOC_DIR(c) ^ _IOC_READ, _IOC_TYPE(c), _IOC_NR(c), _IOC_SIZE(c)),
			_IOC(_IOC_DIR(c) ^ _IOC_WRITE, _IOC_TYPE(c), _IOC_NR(c), _IOC_SIZE(c)),
			_IOC(_IOC_NONE, _IOC_TYPE(c), _IOC_NR(c), 0),
			_IOC(_IOC_DIR(c), 'x', _IOC_NR(c), _IOC_SIZE(c)),
		};
		unsigned int v;

		for (v = 0; v < sizeof(variants) / sizeof(variants[0]); v++) {
			if (known(variants[v]))
				continue;
			memset(&a, 0, sizeof(a));
			commands[i].ok(&a);
			errno = 0;
			r = ioctl(fd, variants[v], &a);
			if (r != -1 || errno != ENOTTY) {
				ktap_diag("%s variant %u (cmd %#lx): %ld errno %d",
					  commands[i].name, v, variants[v], r,
					  errno);
				ASSERT_TRUE(0);
			}
			n++;
		}
	}
	state_read(&after);
	state_expect("unknown commands", &before, &after, C_DEV, n);
	ktap_diag("%u unknown commands refused", n);
	close(fd);
}

/* ---- debugfs -------------------------------------------------------- */

/* Paths of every file under mmscope's debugfs tree, and their modes. */
struct dbgfile {
	char path[512];
	mode_t mode;
};

static struct dbgfile dbgfiles[256];
static unsigned int nr_dbgfiles;

static void collect_one(const char *path, mode_t mode, void *ctx)
{
	(void)ctx;
	if (nr_dbgfiles >= 256)
		return;
	snprintf(dbgfiles[nr_dbgfiles].path, sizeof(dbgfiles[0].path), "%s",
		 path);
	dbgfiles[nr_dbgfiles++].mode = mode;
}

static void collect_all(void)
{
	if (!nr_dbgfiles)
		ASSERT_OK(mms_walk_files(DBG, collect_one, NULL));
	ASSERT_LT(nr_dbgfiles, 256);
	ASSERT_GT(nr_dbgfiles, 20);
}

KTAP_CASE_FN(debugfs_modes_are_0444_or_0200)
{
	unsigned int i, writable = 0;

	collect_all();
	for (i = 0; i < nr_dbgfiles; i++) {
		if (dbgfiles[i].mode != 0444 && dbgfiles[i].mode != 0200) {
			ktap_diag("%s: mode %o", dbgfiles[i].path,
				  dbgfiles[i].mode);
			ASSERT_TRUE(0);
		}
		writable += dbgfiles[i].mode == 0200;
	}
	/* buddy/drain, fault/retry_parked */
	ASSERT_EQ(2, writable);
}

KTAP_CASE_FN(debugfs_controls_refuse_garbage_and_change_nothing)
{
	static const char *const garbage[] = {
		"", "banana", "-1", "0", "4", "1 2", "0x", "1banana",
		"99999999999999999999999999", "18446744073709551616",
		"\x01\x02\xff", "\n",
	};
	static const int want[] = {
		EINVAL, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL, EINVAL,
		EINVAL, ERANGE, ERANGE, EINVAL, EINVAL,
	};
	char big[8192];
	struct state before, after;
	unsigned int i, j;

	collect_all();
	memset(big, '7', sizeof(big));
	for (i = 0; i < nr_dbgfiles; i++) {
		const char *p = dbgfiles[i].path;

		if (dbgfiles[i].mode != 0200)
			continue;
		for (j = 0; j < sizeof(garbage) / sizeof(garbage[0]); j++) {
			/* retry_parked takes any number: only non-numbers fail. */
			if (strstr(p, "retry_parked") && want[j] == EINVAL &&
			    (!strcmp(garbage[j], "0") || !strcmp(garbage[j], "4")))
				continue;
			state_read(&before);
			errno = 0;
			if (mms_write_buf(p, garbage[j], strlen(garbage[j])) != -1 ||
			    errno != want[j]) {
				ktap_diag("%s <- '%s': errno %d, want %d", p,
					  garbage[j], errno, want[j]);
				ASSERT_TRUE(0);
			}
			state_read(&after);
			state_expect(p, &before, &after, C_NONE, 0);
		}
		/* A NULL buffer, a buffer past the end of memory. */
		ASSERT_ERRNO(EFAULT, mms_write_buf(p, NULL, 4));
		ASSERT_ERRNO(EFAULT, mms_write_buf(p, (void *)(uintptr_t)KADDR, 4));
		/* A long number: cut at the attribute's buffer, out of range. */
		ASSERT_ERRNO(ERANGE, mms_write_buf(p, big, sizeof(big)));
		/* A control has nothing to read. */
		{
			char buf[16];
			int fd = open(p, O_RDONLY);

			ASSERT_OK(fd);
			ASSERT_ERRNO(EACCES, read(fd, buf, sizeof(buf)));
			close(fd);
		}
	}
}

KTAP_CASE_FN(debugfs_read_only_files_refuse_writes)
{
	struct state before, after;
	unsigned int i;

	collect_all();
	state_read(&before);
	for (i = 0; i < nr_dbgfiles; i++) {
		if (dbgfiles[i].mode != 0444)
			continue;
		errno = 0;
		if (mms_write_buf(dbgfiles[i].path, "1\n", 2) != -1 ||
		    (errno != EINVAL && errno != EACCES && errno != EPERM)) {
			ktap_diag("%s took a write (errno %d)",
				  dbgfiles[i].path, errno);
			ASSERT_TRUE(0);
		}
	}
	state_read(&after);
	state_expect("writes to read-only files", &before, &after, C_NONE, 0);
}

/* ---- concurrency ---------------------------------------------------- */

#define HAMMER_THREADS	4
#define HAMMER_ROUNDS	3000

struct hammer {
	int fd;
	unsigned int seed;
	unsigned int wrong;	/* calls that did not end as expected */
	unsigned int bad, good;
};

static unsigned int rnd(unsigned int *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void *hammer_fn(void *p)
{
	struct hammer *h = p;
	union arg *a = calloc(1, sizeof(*a));
	unsigned int i;
	long r;

	for (i = 0; i < HAMMER_ROUNDS; i++) {
		unsigned int pick = rnd(&h->seed) % (NR_IOCTL_CASES + 4);

		memset(a, 0, sizeof(*a));
		if (pick < NR_IOCTL_CASES) {
			const struct ioctl_case *c = &ioctl_cases[pick];

			/* INIT/RETIRE-like state changes would race the rest. */
			c->build(a);
			r = ioctl(h->fd, c->cmd, a);
			h->wrong += r != -1 || errno != c->err;
			h->bad++;
			continue;
		}
		/* Good calls: a buddy block in and out, stats, a walk. */
		switch (pick - NR_IOCTL_CASES) {
		case 0:
			a->bd_block.order = rnd(&h->seed) % 4;
			r = ioctl(h->fd, MMSCOPE_IOC_BUDDY_ALLOC, a);
			h->wrong += r != 0;
			if (!r)
				h->wrong += ioctl(h->fd, MMSCOPE_IOC_BUDDY_FREE, a) != 0;
			break;
		case 1:
			h->wrong += ioctl(h->fd, MMSCOPE_IOC_BUDDY_STATS, a) != 0;
			break;
		case 2:
			b_pw_ok(a);
			h->wrong += ioctl(h->fd, MMSCOPE_IOC_PAGEWALK, a) != 0;
			break;
		default:
			h->wrong += ioctl(h->fd, MMSCOPE_IOC_BOOTMEM_STATS, a) != 0;
			break;
		}
		h->good++;
	}
	free(a);
	return NULL;
}

KTAP_CASE_FN(threads_mixing_good_and_bad_calls_leave_state_intact)
{
	struct hammer h[HAMMER_THREADS];
	pthread_t t[HAMMER_THREADS];
	struct state before, after;
	struct mmscope_buddy_check chk;
	unsigned int i, bad = 0, good = 0;
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	state_read(&before);
	for (i = 0; i < HAMMER_THREADS; i++) {
		h[i] = (struct hammer){ .fd = fd, .seed = 1 + i };
		ASSERT_EQ(0, pthread_create(&t[i], NULL, hammer_fn, &h[i]));
	}
	for (i = 0; i < HAMMER_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], NULL));
		EXPECT_EQ(0, h[i].wrong);
		bad += h[i].bad;
		good += h[i].good;
	}
	ktap_diag("%u threads: %u bad calls, %u good calls", HAMMER_THREADS,
		  bad, good);
	memset(&chk, 0, sizeof(chk));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_CHECK, &chk));
	state_read(&after);
	/* The good calls moved pages through the caches: compare holdings. */
	ASSERT_EQ(before.bd.user_blocks, after.bd.user_blocks);
	ASSERT_EQ(before.bd.user_pages, after.bd.user_pages);
	ASSERT_EQ(0, memcmp(before.map, after.map, sizeof(before.map)));
	ASSERT_EQ(before.bm.pages_reserved, after.bm.pages_reserved);
	ASSERT_EQ(before.file_pages, after.file_pages);
	close(fd);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(every_bad_argument_gets_its_errno_a_count_and_no_change),
	KTAP_CASE(every_command_refuses_bad_pointers_without_acting),
	KTAP_CASE(the_valid_arguments_of_the_pointer_cases_are_accepted),
	KTAP_CASE(unknown_commands_wrong_sizes_and_directions_are_enotty),
	KTAP_CASE(debugfs_modes_are_0444_or_0200),
	KTAP_CASE(debugfs_controls_refuse_garbage_and_change_nothing),
	KTAP_CASE(debugfs_read_only_files_refuse_writes),
	KTAP_CASE_TIMEOUT(threads_mixing_good_and_bad_calls_leave_state_intact, 600),
};

int main(int argc, char **argv)
{
	psz = sysconf(_SC_PAGESIZE);
	return ktap_main("badinput", cases, sizeof(cases) / sizeof(cases[0]),
			 argc, argv);
}
