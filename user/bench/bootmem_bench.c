// SPDX-License-Identifier: GPL-2.0
/*
 * bootmem_bench: mmscope's bitmap allocator (module/bootmem_core.c) against
 * the kernel's lib/genalloc on the same workload, both run in the kernel
 * by MMSCOPE_IOC_BOOTMEM_BENCH: random sizes of 1..64 pages at 50 %
 * occupancy, 100000 operations, one seed. Prints a table of ops/s and the
 * ratio; each figure is the median of several runs.
 *
 *	bootmem_bench [-o ops] [-s seed] [-r runs] [-m max_pages]
 *		      [-u occupancy_pct] [node_pages...]
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <uapi/mmscope.h>

#define MAX_RUNS	31

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t median(uint64_t *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	return v[n / 2];
}

int main(int argc, char **argv)
{
	static const uint64_t default_sizes[] = { 4096, 16384, 65536 };
	uint64_t ops = 100000, seed = 20240607, mms[MAX_RUNS], gp[MAX_RUNS];
	unsigned int max_pages = 64, occupancy = 50;
	int runs = 5, fd, opt, i, r, nsizes;
	uint64_t sizes[16];
	double worst = 0;

	while ((opt = getopt(argc, argv, "o:s:r:m:u:")) != -1) {
		switch (opt) {
		case 'o':
			ops = strtoull(optarg, NULL, 0);
			break;
		case 's':
			seed = strtoull(optarg, NULL, 0);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'm':
			max_pages = strtoul(optarg, NULL, 0);
			break;
		case 'u':
			occupancy = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s [-o ops] [-s seed] [-r runs] [-m max_pages] [-u occupancy_pct] [node_pages...]\n",
				argv[0]);
			return 2;
		}
	}
	if (runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "runs: 1..%d\n", MAX_RUNS);
		return 2;
	}
	nsizes = 0;
	for (i = optind; i < argc && nsizes < 16; i++)
		sizes[nsizes++] = strtoull(argv[i], NULL, 0);
	if (!nsizes) {
		memcpy(sizes, default_sizes, sizeof(default_sizes));
		nsizes = 3;
	}

	fd = open(MMSCOPE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		perror(MMSCOPE_DEVICE_PATH);
		return 1;
	}

	printf("bootmem_bench: %" PRIu64 " ops, sizes 1..%u pages, %u%% occupancy, seed %" PRIu64 ", median of %d runs, in the kernel\n",
	       ops, max_pages, occupancy, seed, runs);
	printf("%-11s %-22s %12s %14s %12s\n", "node pages", "allocator", "ms",
	       "ops/s", "failures");
	for (i = 0; i < nsizes; i++) {
		struct mmscope_bootmem_bench b;
		double mms_ops, gp_ops;

		for (r = 0; r < runs; r++) {
			memset(&b, 0, sizeof(b));
			b.nr_pages = sizes[i];
			b.nr_ops = ops;
			b.seed = seed;
			b.max_alloc_pages = max_pages;
			b.occupancy_pct = occupancy;
			if (ioctl(fd, MMSCOPE_IOC_BOOTMEM_BENCH, &b)) {
				fprintf(stderr, "MMSCOPE_IOC_BOOTMEM_BENCH: %s\n",
					strerror(errno));
				return 1;
			}
			mms[r] = b.mms_ns;
			gp[r] = b.genpool_ns;
		}
		mms_ops = ops * 1e9 / median(mms, runs);
		gp_ops = ops * 1e9 / median(gp, runs);
		printf("%-11" PRIu64 " %-22s %12.2f %14.0f %12" PRIu64 "\n",
		       sizes[i], "mmscope bootmem", ops * 1e3 / mms_ops, mms_ops,
		       (uint64_t)b.mms_failures);
		printf("%-11" PRIu64 " %-22s %12.2f %14.0f %12" PRIu64 "\n",
		       sizes[i], "lib/genalloc gen_pool", ops * 1e3 / gp_ops,
		       gp_ops, (uint64_t)b.genpool_failures);
		printf("%-11" PRIu64 " ratio mmscope/gen_pool %10.2fx  (%" PRIu64 " allocs, %" PRIu64 " frees)\n",
		       sizes[i], mms_ops / gp_ops, (uint64_t)b.allocs,
		       (uint64_t)b.frees);
		if (!i || mms_ops / gp_ops < worst)
			worst = mms_ops / gp_ops;
	}
	printf("lowest ratio: %.2fx\n", worst);
	close(fd);
	return 0;
}
