// SPDX-License-Identifier: GPL-2.0
/*
 * fault_bench: first-touch page faults, the method of will-it-scale's
 * page_fault1/page_fault3 (map, touch every page, unmap, repeat), on
 *   (a) MAP_PRIVATE|MAP_ANONYMOUS with MADV_NOHUGEPAGE (4 KiB anon),
 *   (a') the same without the madvise, 2 MiB aligned (Debian's THP default),
 *   (b) a memfd mapped MAP_SHARED,
 *   (c) /dev/mmscope mapped MAP_SHARED (and MAP_PRIVATE),
 * reading one byte per page and writing one byte per page. Files are
 * emptied after every pass (ftruncate / MMSCOPE_IOC_FILE_SET_SIZE to 0) so
 * each pass touches holes, as anonymous memory does; the emptying is timed
 * like munmap is. The floor is memset() of the same bytes already mapped.
 *
 * Prints pages/s (median of rounds, variants interleaved within each
 * round), the ratio to (a), and minor faults per page from getrusage().
 *
 * Usage: fault_bench [pages per pass, default 4096] [rounds, default 7]
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <uapi/mmscope.h>
#include "mmscope_user.h"

#define PASS_NS		200000000ULL	/* at least this long per measurement */
#define THP_SIZE	(2UL << 20)

enum kind { ANON_4K, ANON_THP, MEMFD, DEV_SHARED, DEV_PRIVATE, FLOOR, NR_KINDS };

static const char *const kind_name[NR_KINDS] = {
	[ANON_4K]	= "anon 4K (MADV_NOHUGEPAGE)  (a)",
	[ANON_THP]	= "anon THP default           (a')",
	[MEMFD]		= "memfd MAP_SHARED           (b)",
	[DEV_SHARED]	= "mmscope MAP_SHARED         (c)",
	[DEV_PRIVATE]	= "mmscope MAP_PRIVATE",
	[FLOOR]		= "memset, already mapped (floor)",
};

static size_t psz, npages;
static int memfd = -1, devfd = -1;
static char *floor_buf;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static void dev_set_size(__u64 size)
{
	if (ioctl(devfd, MMSCOPE_IOC_FILE_SET_SIZE, &size))
		die("MMSCOPE_IOC_FILE_SET_SIZE");
}

static void touch(volatile char *p, int write)
{
	size_t i;

	if (write)
		for (i = 0; i < npages; i++)
			p[i * psz] = 1;
	else
		for (i = 0; i < npages; i++)
			(void)p[i * psz];
}

/* One map-touch-unmap pass. */
static void pass(enum kind k, int write)
{
	size_t len = npages * psz;
	char *p;

	switch (k) {
	case ANON_4K:
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			die("mmap anon");
		if (madvise(p, len, MADV_NOHUGEPAGE))
			die("madvise");
		touch(p, write);
		munmap(p, len);
		break;
	case ANON_THP: {
		/* 6.1 does not align anonymous mmaps: align to 2 MiB here. */
		char *m = mmap(NULL, len + THP_SIZE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (m == MAP_FAILED)
			die("mmap anon");
		p = (char *)(((uintptr_t)m + THP_SIZE - 1) & ~(THP_SIZE - 1));
		touch(p, write);
		munmap(m, len + THP_SIZE);
		break;
	}
	case MEMFD:
		if (ftruncate(memfd, len))
			die("ftruncate");
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
		if (p == MAP_FAILED)
			die("mmap memfd");
		touch(p, write);
		munmap(p, len);
		if (ftruncate(memfd, 0))
			die("ftruncate");
		break;
	case DEV_SHARED:
	case DEV_PRIVATE:
		dev_set_size(len);
		p = mmap(NULL, len, PROT_READ | PROT_WRITE,
			 k == DEV_SHARED ? MAP_SHARED : MAP_PRIVATE, devfd, 0);
		if (p == MAP_FAILED)
			die("mmap /dev/mmscope");
		touch(p, write);
		munmap(p, len);
		dev_set_size(0);
		break;
	case FLOOR:
		memset(floor_buf, write, len);
		__asm__ volatile("" : : "r"(floor_buf) : "memory");
		break;
	default:
		break;
	}
}

/* Pages per second over at least PASS_NS; faults per page via *fpp. */
static double measure(enum kind k, int write, double *fpp)
{
	uint64_t t0, t;
	long f0, passes = 0;

	f0 = mms_minflt();
	t0 = now_ns();
	do {
		pass(k, write);
		passes++;
		t = now_ns() - t0;
	} while (t < PASS_NS || passes < 3);
	*fpp = (double)(mms_minflt() - f0) / (passes * npages);
	return passes * npages * 1e9 / t;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int rounds = argc > 2 ? atoi(argv[2]) : 7, r, w;
	double (*rate)[2], med[NR_KINDS][2], fpp[NR_KINDS][2];
	enum kind k;

	psz = sysconf(_SC_PAGESIZE);
	npages = argc > 1 ? strtoul(argv[1], NULL, 0) : 4096;
	if (!npages || rounds < 1) {
		fprintf(stderr, "usage: %s [pages] [rounds]\n", argv[0]);
		return 2;
	}
	rate = calloc((size_t)rounds * NR_KINDS, sizeof(*rate));
	memfd = memfd_create("fault_bench", 0);
	devfd = mms_open_dev();
	floor_buf = mmap(NULL, npages * psz, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (!rate || memfd < 0 || devfd < 0 || floor_buf == MAP_FAILED)
		die("setup");
	madvise(floor_buf, npages * psz, MADV_NOHUGEPAGE);

	/* Interleave variants within a round so drift hits all alike. */
	for (r = 0; r < rounds; r++)
		for (k = 0; k < NR_KINDS; k++)
			for (w = 0; w < 2; w++)
				rate[r * NR_KINDS + k][w] = measure(k, w, &fpp[k][w]);

	for (k = 0; k < NR_KINDS; k++)
		for (w = 0; w < 2; w++) {
			double v[64];
			int n = rounds < 64 ? rounds : 64;

			for (r = 0; r < n; r++)
				v[r] = rate[r * NR_KINDS + k][w];
			qsort(v, n, sizeof(v[0]), cmp_double);
			med[k][w] = v[n / 2];
		}

	printf("# fault_bench: %zu pages (%zu KiB) per pass, median of %d rounds, pages/s\n",
	       npages, npages * psz / 1024, rounds);
	printf("%-34s %12s %6s %7s   %12s %6s %7s\n", "variant", "read/s",
	       "x(a)", "flt/pg", "write/s", "x(a)", "flt/pg");
	for (k = 0; k < NR_KINDS; k++)
		printf("%-34s %12.0f %6.2f %7.3f   %12.0f %6.2f %7.3f\n",
		       kind_name[k], med[k][0], med[k][0] / med[ANON_4K][0],
		       fpp[k][0], med[k][1], med[k][1] / med[ANON_4K][1],
		       fpp[k][1]);
	printf("# device vs memfd: read %.2fx, write %.2fx\n",
	       med[DEV_SHARED][0] / med[MEMFD][0],
	       med[DEV_SHARED][1] / med[MEMFD][1]);
	return 0;
}
