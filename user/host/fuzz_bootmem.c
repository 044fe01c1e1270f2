// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for module/bootmem_core.c: the input is a node size and
 * a list of operations; each runs on the core and on the one-byte-per-page
 * model of bootmem_model.h, and any difference aborts.
 *
 *	make -C user fuzzers O=$PWD/build/user
 *	build/user/fuzz/fuzz-bootmem -runs=200000
 */
#include "bootmem_core.h"
#include "bootmem_model.h"

struct input {
	const u8 *p;
	size_t left;
};

static u64 take(struct input *in, unsigned int bytes)
{
	u64 v = 0;

	while (bytes-- && in->left) {
		v = v << 8 | *in->p++;
		in->left--;
	}
	return v;
}

/* Mostly small values near page boundaries, sometimes anything. */
static u64 take_bytes(struct input *in, unsigned long n)
{
	u64 sel = take(in, 1);

	switch (sel & 3) {
	case 0:
		return take(in, 8);
	case 1:
		return take(in, 2) % (n * PAGE_SIZE + 1);
	default:
		return (take(in, 2) % (n + 1)) * PAGE_SIZE +
		       (s8)take(in, 1);
	}
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "mismatch: %s\n", what);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	struct input in = { data, size };
	struct bm_model m = { .st = NULL };
	struct bootmem_node node;
	unsigned long n, map_start, map_pages, i, r1, r2, t1, t2;
	unsigned long *map;
	u64 a, s, al, g, addr, maddr;
	int rc, mrc;

	n = 1 + take(&in, 2) % 1100;
	map_start = take(&in, 2) % n;
	map = calloc(bootmem_map_words(n), sizeof(long));
	if (bootmem_init(&node, map, n, map_start)) {
		/* The map does not fit: the model must agree. */
		map_pages = ((n + 63) / 64 * 8 + PAGE_SIZE - 1) / PAGE_SIZE;
		check(n < map_start + map_pages, "init refused");
		free(map);
		return 0;
	}
	bm_model_init(&m, n, map_start);

	while (in.left) {
		switch (take(&in, 1) % 5) {
		case 0:
			s = take_bytes(&in, n);
			al = 1ULL << (take(&in, 1) % 64);
			if (!(take(&in, 1) & 7))
				al = take(&in, 8);
			g = take_bytes(&in, n);
			rc = bootmem_alloc(&node, s, al, g, &addr);
			mrc = bm_model_alloc(&m, s, al, g, &maddr);
			check(rc == mrc, "alloc rc");
			check(rc || addr == maddr, "alloc addr");
			break;
		case 1:
			a = take_bytes(&in, n);
			s = take_bytes(&in, n);
			rc = bootmem_free(&node, a, s, &r1);
			mrc = bm_model_free(&m, a, s, &r2);
			check(rc == mrc && r1 == r2, "free");
			break;
		case 2:
			a = take_bytes(&in, n);
			s = take_bytes(&in, n);
			rc = bootmem_free_alloc(&node, a, s, &r1);
			mrc = bm_model_free_alloc(&m, a, s, &r2);
			check(rc == mrc && r1 == r2, "free_alloc");
			break;
		case 3:
			a = take_bytes(&in, n);
			s = take_bytes(&in, n);
			rc = bootmem_reserve(&node, a, s, &r1, &t1);
			mrc = bm_model_reserve(&m, a, s, &r2, &t2);
			check(rc == mrc && r1 == r2 && t1 == t2, "reserve");
			break;
		default:
			/* Free everything but the map, as at boot. */
			mrc = bm_model_free(&m, 0, n * PAGE_SIZE, &r2);
			rc = bootmem_free(&node, 0, n * PAGE_SIZE, &r1);
			check(rc == mrc && r1 == r2, "free all");
			break;
		}
		for (i = 0; i < n; i++)
			check((map[i / BITS_PER_LONG] >> (i % BITS_PER_LONG) &
			       1) == m.st[i], "map");
		check(node.nr_reserved == bm_model_reserved(&m), "count");
	}
	check(host_warn_count == 0, "WARN_ON");
	bm_model_destroy(&m);
	free(map);
	return 0;
}
