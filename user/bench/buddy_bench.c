// SPDX-License-Identifier: GPL-2.0
/*
 * buddy_bench: mmscope's buddy allocator against the kernel's own
 * alloc_pages()/__free_pages(), on the same workloads, in the same VM run,
 * timed inside the kernel (MMSCOPE_IOC_BUDDY_BENCH) so that no system call
 * cost is in either figure:
 *   (a) order-0 alloc + free pairs
 *   (b) batches of 512 order-0 allocations, then 512 frees
 *   (c) random orders 0-3 over 64 live slots (same seed on both sides)
 * Each cell is the best of several interleaved runs after a warm-up.
 *
 * The kernel zeroes every page it allocates when init_on_alloc is on
 * (Debian's default); mmscope never does, its callers clear what they
 * expose. The "mmscope+clear" column adds that clearing, for a like-for-
 * like comparison.
 *
 *	buddy_bench [-n OPS] [-r RUNS]
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <uapi/mmscope.h>
#include "mmscope_user.h"

static const struct {
	unsigned int id;
	const char *name;
} workloads[] = {
	{ MMSCOPE_BUDDY_BENCH_PAIRS, "(a) order-0 alloc+free pairs" },
	{ MMSCOPE_BUDDY_BENCH_BATCH, "(b) 512 order-0 allocs, 512 frees" },
	{ MMSCOPE_BUDDY_BENCH_RANDOM, "(c) random orders 0-3" },
};

static const unsigned int allocators[] = {
	MMSCOPE_BUDDY_BENCH_KERNEL,
	MMSCOPE_BUDDY_BENCH_MMSCOPE,
	MMSCOPE_BUDDY_BENCH_MMSCOPE_CLEAR,
};
#define NR_ALLOC (sizeof(allocators) / sizeof(allocators[0]))

static int run(int fd, unsigned int workload, unsigned int allocator,
	       uint64_t ops, struct mmscope_buddy_bench *b)
{
	memset(b, 0, sizeof(*b));
	b->workload = workload;
	b->allocator = allocator;
	b->ops = ops;
	b->seed = 0x6d6d73636f7065ULL;
	if (ioctl(fd, MMSCOPE_IOC_BUDDY_BENCH, b)) {
		perror("MMSCOPE_IOC_BUDDY_BENCH");
		return -1;
	}
	if (b->failures)
		fprintf(stderr, "workload %u allocator %u: %llu failed allocations\n",
			workload, allocator, (unsigned long long)b->failures);
	return 0;
}

int main(int argc, char **argv)
{
	double best[3][NR_ALLOC] = { { 0 } };
	struct mmscope_buddy_bench b;
	uint64_t ops = 400000;
	unsigned int w, a, r, runs = 3, init_on_alloc = 0;
	cpu_set_t cpus;
	int fd, opt;

	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		switch (opt) {
		case 'n':
			ops = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			runs = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-n OPS] [-r RUNS]\n", argv[0]);
			return 2;
		}
	}
	/* One CPU: one per-CPU cache on our side, one pcp list on theirs. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	sched_setaffinity(0, sizeof(cpus), &cpus);
	fd = mms_open_dev();
	if (fd < 0) {
		perror(MMSCOPE_DEVICE_PATH);
		return 1;
	}
	for (w = 0; w < 3; w++) {
		/* Warm-up: chunks taken, caches and pcp lists filled. */
		for (a = 0; a < NR_ALLOC; a++)
			if (run(fd, workloads[w].id, allocators[a], ops / 4, &b))
				return 1;
		for (r = 0; r < runs; r++) {
			for (a = 0; a < NR_ALLOC; a++) {
				double rate;

				if (run(fd, workloads[w].id, allocators[a], ops, &b))
					return 1;
				init_on_alloc = b.init_on_alloc;
				rate = b.ns ? b.done * 1e9 / b.ns : 0;
				if (rate > best[w][a])
					best[w][a] = rate;
			}
		}
	}
	printf("# buddy_bench: ops/s (allocs + frees), best of %u runs of %llu ops, timed in the kernel\n",
	       runs, (unsigned long long)ops);
	printf("# init_on_alloc=%u: the kernel %s every page it allocates\n",
	       init_on_alloc, init_on_alloc ? "zeroes" : "does not zero");
	printf("%-36s %12s %12s %7s %14s %7s\n", "workload", "kernel",
	       "mmscope", "ratio", "mmscope+clear", "ratio");
	for (w = 0; w < 3; w++)
		printf("%-36s %12.0f %12.0f %6.2fx %14.0f %6.2fx\n",
		       workloads[w].name, best[w][0], best[w][1],
		       best[w][1] / best[w][0], best[w][2],
		       best[w][2] / best[w][0]);
	printf("# target mmscope >= 1.0x kernel on (a) and (c): %s\n",
	       best[0][1] >= best[0][0] && best[2][1] >= best[2][0] ?
	       "met" : "NOT met");
	close(fd);
	return 0;
}
