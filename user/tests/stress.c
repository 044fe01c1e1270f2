// SPDX-License-Identifier: GPL-2.0
/*
 * stress suite: a bounded random workload against mmscope while another
 * process eats most of the guest's memory.
 *
 * STRESS_PROCS processes of STRESS_THREADS threads each run, for
 * STRESS_SECONDS, random actions drawn by weight from stress_actions[]:
 * device open/close and ioctls, reads of every debugfs file, mmap of the
 * device (and of anonymous memory, the kernel's own path) in every
 * protection and flag combination, first-touch reads and writes, partial
 * and whole munmap, mprotect, madvise(DONTNEED), mremap, fork with the
 * mappings live. Every random choice comes from a per-thread generator
 * seeded from STRESS_SEED, so a run is reproducible up to scheduling.
 *
 * An action either succeeds, fails with an errno it documents as possible,
 * or counts an error (and the first one is reported). Afterwards every
 * mmscope counter of pages in use must be back at its value before the run.
 * The harness then unloads the module and checks the kernel log.
 *
 * Adding an action: write `static int act_x(struct stress_thread *t)`
 * (return 0, or stress_fail(t, ...) for an unexpected outcome) and add
 * one STRESS_ACTION(x, weight) line to stress_actions[]. Adding a counter
 * of pages in use: one line in stress_counters[].
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define STRESS_SEED		1
#define STRESS_SECONDS		30
#define STRESS_PROCS		4
#define STRESS_THREADS		2
#define STRESS_SLOTS		8	/* live mappings per thread */
#define STRESS_MAX_PAGES	64	/* per mapping */
#define STRESS_HELD		16	/* buddy blocks, bootmem allocations */
#define STRESS_BUDDY_ORDERS	6	/* orders 0..5 */
#define STRESS_HOG_SPARE_MB	192	/* the hog leaves this much available */
#define STRESS_MAX_FILES	256
#define STRESS_MAX_COUNTERS	32
#define STRESS_SUMMARY		"/tmp/stress.summary"

/*
 * Counters of pages mmscope holds on behalf of user space: "file" under
 * the debugfs root, and "key" for a "key value" line in it (NULL: the file
 * holds one number). A missing file is skipped: its mechanism is absent.
 * The table ends with an empty entry.
 */
struct stress_counter {
	const char *file;
	const char *key;
};

static const struct stress_counter stress_counters[] = {
	{ "bootmem/pages_reserved", NULL },
	{ "buddy/stats", "user_blocks" },
	{ "buddy/stats", "user_pages" },
	{ "buddy/stats", "pages_allocated" },
	{ "fault/files", NULL },
	{ "fault/file_pages", NULL },
	{ "fault/parked_now", NULL },
	{ NULL, NULL }
};

struct stress_map {
	char *addr;
	size_t len;
	int prot;
	bool dev;
	bool shared;
};

struct stress_thread {
	uint64_t rng;
	int fd;
	struct stress_map maps[STRESS_SLOTS];
	struct mmscope_buddy_block blocks[STRESS_HELD];
	unsigned int nr_blocks;
	struct mmscope_bootmem_range bm[STRESS_HELD];
	unsigned int nr_bm;
};

struct stress_action {
	const char *name;
	unsigned int weight;
	int (*run)(struct stress_thread *t);
};

/* Shared by all workers (MAP_SHARED | MAP_ANONYMOUS). */
struct stress_shared {
	uint64_t ops[32];
	uint64_t refused[32];	/* documented errno */
	uint64_t sigbus;
	uint64_t errors;
	int first_error_set;
	char first_error[256];
};

static struct stress_shared *sh;
static size_t page_size;
static char debugfs_files[STRESS_MAX_FILES][160];
static unsigned int nr_debugfs_files;
static __thread unsigned int cur_action;

static uint64_t rnd(struct stress_thread *t)
{
	/* xorshift64* */
	t->rng ^= t->rng >> 12;
	t->rng ^= t->rng << 25;
	t->rng ^= t->rng >> 27;
	return t->rng * 0x2545f4914f6cdd1dULL;
}

static unsigned int rnd_below(struct stress_thread *t, unsigned int n)
{
	return rnd(t) % n;
}

static int stress_fail(struct stress_thread *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int stress_fail(struct stress_thread *t, const char *fmt, ...)
{
	va_list ap;

	(void)t;
	__atomic_add_fetch(&sh->errors, 1, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&sh->first_error_set, 1, __ATOMIC_ACQ_REL))
		return -1;
	va_start(ap, fmt);
	vsnprintf(sh->first_error, sizeof(sh->first_error), fmt, ap);
	va_end(ap);
	return -1;
}

/* A call failed with errno: fine if it is one of the documented ones. */
static int stress_refused(struct stress_thread *t, const char *call,
			  const int *ok, size_t nr_ok)
{
	int e = errno;
	size_t i;

	for (i = 0; i < nr_ok; i++) {
		if (ok[i] == e) {
			__atomic_add_fetch(&sh->refused[cur_action], 1,
					   __ATOMIC_RELAXED);
			return 0;
		}
	}
	return stress_fail(t, "%s: unexpected errno %d (%s)", call, e,
			   strerror(e));
}

#define REFUSED(t, call, ...) ({					\
	static const int __ok[] = { __VA_ARGS__ };			\
	stress_refused(t, call, __ok, ARRAY_SIZE(__ok));		\
})

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- touching memory that may legitimately raise SIGBUS --------------- */

static __thread sigjmp_buf touch_env;
static __thread volatile sig_atomic_t touch_armed;

static void touch_handler(int sig)
{
	if (touch_armed)
		siglongjmp(touch_env, sig);
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Read or write one byte; the signal it raised, or 0. */
static int touch(volatile char *p, bool write)
{
	int sig;

	sig = sigsetjmp(touch_env, 1);
	if (sig) {
		touch_armed = 0;
		return sig;
	}
	touch_armed = 1;
	if (write)
		*p = 0x5a;
	else
		(void)*p;
	touch_armed = 0;
	return 0;
}

/* ---- mapping slots ------------------------------------------------------ */

static struct stress_map *pick_map(struct stress_thread *t)
{
	unsigned int i, start = rnd_below(t, STRESS_SLOTS);

	for (i = 0; i < STRESS_SLOTS; i++) {
		struct stress_map *m = &t->maps[(start + i) % STRESS_SLOTS];

		if (m->addr)
			return m;
	}
	return NULL;
}

static int unmap_slot(struct stress_thread *t, struct stress_map *m)
{
	if (munmap(m->addr, m->len))
		return stress_fail(t, "munmap(%zu): %s", m->len, strerror(errno));
	memset(m, 0, sizeof(*m));
	return 0;
}

/* Each open is a new file of size 0: give it room for most mappings. */
static int ensure_fd(struct stress_thread *t)
{
	uint64_t size = 4 * STRESS_MAX_PAGES * page_size;

	if (t->fd >= 0)
		return 0;
	t->fd = mms_open_dev();
	if (t->fd < 0)
		return stress_fail(t, "open %s: %s", MMSCOPE_DEVICE_PATH,
				   strerror(errno));
	if (ioctl(t->fd, MMSCOPE_IOC_FILE_SET_SIZE, &size))
		return stress_fail(t, "FILE_SET_SIZE: %s", strerror(errno));
	return 0;
}

/* ---- actions ------------------------------------------------------------ */

static int act_open_close(struct stress_thread *t)
{
	int fd = mms_open_dev();

	if (fd < 0)
		return stress_fail(t, "open: %s", strerror(errno));
	close(fd);
	return 0;
}

static int act_info_ioctl(struct stress_thread *t)
{
	struct mmscope_info info;

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, MMSCOPE_IOC_INFO, &info))
		return stress_fail(t, "MMSCOPE_IOC_INFO: %s", strerror(errno));
	if (info.uapi_version != MMSCOPE_UAPI_VERSION)
		return stress_fail(t, "uapi_version %u", info.uapi_version);
	return 0;
}

static int act_bad_ioctl(struct stress_thread *t)
{
	/* Numbers past the last mechanism block belong to nobody. */
	unsigned int nr = 0x80 + rnd_below(t, 0x80);

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, _IO(MMSCOPE_IOC_MAGIC, nr), 0) != -1 || errno != ENOTTY)
		return stress_fail(t, "ioctl nr %#x: want ENOTTY, got %s", nr,
				   strerror(errno));
	if (ioctl(t->fd, MMSCOPE_IOC_INFO, NULL) != -1 || errno != EFAULT)
		return stress_fail(t, "INFO(NULL): want EFAULT, got %s",
				   strerror(errno));
	return 0;
}

static int act_read_debugfs(struct stress_thread *t)
{
	static __thread char buf[65536];
	const char *path;

	if (!nr_debugfs_files)
		return 0;
	path = debugfs_files[rnd_below(t, nr_debugfs_files)];
	if (mms_read_file(path, buf, sizeof(buf)) < 0)
		return stress_fail(t, "read %s: %s", path, strerror(errno));
	return 0;
}

static const int stress_prots[] = {
	PROT_NONE, PROT_READ, PROT_WRITE, PROT_READ | PROT_WRITE,
};

static int act_mmap(struct stress_thread *t)
{
	static const int extra[] = { 0, MAP_POPULATE, MAP_NORESERVE, MAP_LOCKED };
	struct stress_map *m = &t->maps[rnd_below(t, STRESS_SLOTS)];
	size_t len = (1 + rnd_below(t, STRESS_MAX_PAGES)) * page_size;
	int prot = stress_prots[rnd_below(t, ARRAY_SIZE(stress_prots))];
	int flags = (rnd(t) & 1 ? MAP_SHARED : MAP_PRIVATE) |
		    extra[rnd_below(t, ARRAY_SIZE(extra))];
	bool dev = rnd(t) & 1;
	off_t off = dev ? (off_t)rnd_below(t, 4) * len : 0;
	void *p;

	if (m->addr && unmap_slot(t, m))
		return -1;
	if (dev && ensure_fd(t))
		return -1;
	if (dev)
		p = mmap(NULL, len, prot, flags, t->fd, off);
	else
		p = mmap(NULL, len, prot, flags | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		/* ENODEV: no mmap support; the rest: limits and refusals. */
		return REFUSED(t, dev ? "mmap(dev)" : "mmap(anon)", ENODEV,
			       EINVAL, ENOMEM, EACCES, EPERM, EAGAIN, ENXIO,
			       EOVERFLOW);
	*m = (struct stress_map){ p, len, prot, dev, flags & MAP_SHARED };
	return 0;
}

static int act_touch(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);
	unsigned int i, n;
	bool write;
	int sig;

	if (!m || !(m->prot & (PROT_READ | PROT_WRITE)))
		return 0;
	n = 1 + rnd_below(t, 8);
	for (i = 0; i < n; i++) {
		size_t pg = rnd_below(t, m->len / page_size);

		write = (m->prot & PROT_WRITE) && (rnd(t) & 1);
		sig = touch(m->addr + pg * page_size + rnd_below(t, page_size),
			    write);
		if (sig == SIGBUS && m->dev) {
			/* The device may refuse a fault: SIGBUS is its errno. */
			__atomic_add_fetch(&sh->sigbus, 1, __ATOMIC_RELAXED);
		} else if (sig) {
			return stress_fail(t, "%s %s page %zu of %zu: signal %d",
					   write ? "write" : "read",
					   m->dev ? "device" : "anon", pg,
					   m->len / page_size, sig);
		}
	}
	return 0;
}

static int act_munmap_part(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);
	size_t pages, cut;

	if (!m)
		return 0;
	pages = m->len / page_size;
	if (pages < 2)
		return unmap_slot(t, m);
	cut = (1 + rnd_below(t, pages - 1)) * page_size;
	if (rnd(t) & 1) {
		/* The head goes; the slot keeps the tail. */
		if (munmap(m->addr, cut))
			return stress_fail(t, "munmap head: %s", strerror(errno));
		m->addr += cut;
	} else if (munmap(m->addr + m->len - cut, cut)) {
		return stress_fail(t, "munmap tail: %s", strerror(errno));
	}
	m->len -= cut;
	return 0;
}

static int act_munmap(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);

	return m ? unmap_slot(t, m) : 0;
}

static int act_mprotect(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);
	int prot = stress_prots[rnd_below(t, ARRAY_SIZE(stress_prots))];

	if (!m)
		return 0;
	if (mprotect(m->addr, m->len, prot))
		return REFUSED(t, "mprotect", EACCES, ENOMEM);
	m->prot = prot;
	return 0;
}

static int act_madvise_dontneed(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);

	if (!m)
		return 0;
	if (madvise(m->addr, m->len, MADV_DONTNEED))
		/* EINVAL: VM_LOCKED or VM_PFNMAP mappings refuse it. */
		return REFUSED(t, "madvise(DONTNEED)", EINVAL);
	return 0;
}

static int act_mremap(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);
	size_t len = (1 + rnd_below(t, STRESS_MAX_PAGES)) * page_size;
	void *p;

	if (!m)
		return 0;
	/*
	 * Shared anonymous memory is a shmem file of the size first mapped:
	 * pages a grown mapping adds past it raise SIGBUS. Only shrink it.
	 */
	if (m->shared && !m->dev && len > m->len)
		len = m->len;
	p = mremap(m->addr, m->len, len, MREMAP_MAYMOVE);
	if (p == MAP_FAILED)
		/* EFAULT: a VM_DONTEXPAND mapping cannot grow. */
		return REFUSED(t, "mremap", EFAULT, ENOMEM, EINVAL, EAGAIN);
	m->addr = p;
	m->len = len;
	return 0;
}

/* The child reads the first page of every live mapping, then exits. */
static int act_fork(struct stress_thread *t)
{
	unsigned int i;
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		return REFUSED(t, "fork", EAGAIN, ENOMEM);
	if (pid == 0) {
		for (i = 0; i < STRESS_SLOTS; i++) {
			struct stress_map *m = &t->maps[i];
			int sig;

			if (!m->addr || !(m->prot & PROT_READ))
				continue;
			sig = touch(m->addr, false);
			if (sig && !(sig == SIGBUS && m->dev))
				_exit(10 + i);
		}
		_exit(0);
	}
	st = mms_wait_exit(pid);
	if (st)
		return stress_fail(t, "forked child: exit status %d", st);
	return 0;
}

/*
 * Buddy and bootmem: each thread allocates and frees its own blocks; the
 * calls that act on the whole allocator (bootmem INIT/RETIRE/FREE of a
 * range, buddy RESET) would invalidate other threads' blocks and are left
 * to their suites.
 */
static int act_buddy_alloc(struct stress_thread *t)
{
	struct mmscope_buddy_block b = {
		.order = rnd_below(t, STRESS_BUDDY_ORDERS),
	};

	if (t->nr_blocks == STRESS_HELD || ensure_fd(t))
		return 0;
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_ALLOC, &b))
		/* ENOMEM: buddy_max_mb reached, or the hog won. */
		return REFUSED(t, "BUDDY_ALLOC", ENOMEM);
	t->blocks[t->nr_blocks++] = b;
	return 0;
}

static int act_buddy_free(struct stress_thread *t)
{
	struct mmscope_buddy_block *b, wrong;

	if (!t->nr_blocks || ensure_fd(t))
		return 0;
	b = &t->blocks[rnd_below(t, t->nr_blocks)];
	if (rnd(t) & 1) {
		/* The wrong order is refused and the block stays ours. */
		wrong = *b;
		wrong.order = (b->order + 1) % STRESS_BUDDY_ORDERS;
		if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_FREE, &wrong) != -1 ||
		    errno != EINVAL)
			return stress_fail(t, "BUDDY_FREE wrong order: %s",
					   strerror(errno));
	}
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_FREE, b))
		return stress_fail(t, "BUDDY_FREE order %u: %s", b->order,
				   strerror(errno));
	*b = t->blocks[--t->nr_blocks];
	return 0;
}

static int act_buddy_bad_handle(struct stress_thread *t)
{
	/* Handles are opaque ids; none has the top bit set. */
	struct mmscope_buddy_block b = { .handle = 1ULL << 63 | rnd(t) };

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_FREE, &b) != -1 || errno != ENOENT)
		return stress_fail(t, "BUDDY_FREE unknown handle: %s",
				   strerror(errno));
	return 0;
}

static int act_buddy_check(struct stress_thread *t)
{
	struct mmscope_buddy_check c;
	struct mmscope_buddy_stats st;
	struct mmscope_buddy_drain d = { .flags = rnd_below(t, 4) };

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_CHECK, &c))
		return stress_fail(t, "BUDDY_CHECK: %s (%.112s)", strerror(errno),
				   c.message);
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_STATS, &st))
		return stress_fail(t, "BUDDY_STATS: %s", strerror(errno));
	if (ioctl(t->fd, MMSCOPE_IOC_BUDDY_DRAIN, &d))
		return stress_fail(t, "BUDDY_DRAIN: %s", strerror(errno));
	return 0;
}

static int act_bootmem_alloc(struct stress_thread *t)
{
	/* Whole, aligned pages: no packing, so frees never overlap. */
	struct mmscope_bootmem_alloc a = {
		.size = (1 + rnd_below(t, 8)) * page_size,
		.align = page_size << rnd_below(t, 4),
		.goal = rnd_below(t, 1024) * page_size,
	};

	if (t->nr_bm == STRESS_HELD || ensure_fd(t))
		return 0;
	if (ioctl(t->fd, MMSCOPE_IOC_BOOTMEM_ALLOC, &a))
		return REFUSED(t, "BOOTMEM_ALLOC", ENOMEM);
	t->bm[t->nr_bm++] = (struct mmscope_bootmem_range){
		.addr = a.addr, .size = a.size,
	};
	return 0;
}

static int act_bootmem_free(struct stress_thread *t)
{
	struct mmscope_bootmem_range *r;

	if (!t->nr_bm || ensure_fd(t))
		return 0;
	r = &t->bm[rnd_below(t, t->nr_bm)];
	if (ioctl(t->fd, MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, r))
		return stress_fail(t, "BOOTMEM_FREE_ALLOC %llu bytes: %s",
				   (unsigned long long)r->size,
				   strerror(errno));
	*r = t->bm[--t->nr_bm];
	return 0;
}

static int act_bootmem_read(struct stress_thread *t)
{
	uint64_t words[16];
	struct mmscope_bootmem_stats st;
	struct mmscope_bootmem_map m = {
		.buf = (uintptr_t)words,
		.first_word = rnd_below(t, 32),
		.nr_words = 1 + rnd_below(t, 16),
	};

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, MMSCOPE_IOC_BOOTMEM_STATS, &st))
		return stress_fail(t, "BOOTMEM_STATS: %s", strerror(errno));
	if (ioctl(t->fd, MMSCOPE_IOC_BOOTMEM_READ_MAP, &m))
		/* EINVAL: first_word past a small node's map. */
		return REFUSED(t, "BOOTMEM_READ_MAP", EINVAL);
	return 0;
}

/* Grow or shrink the thread's file: shrinking unmaps pages under it. */
static int act_file_size(struct stress_thread *t)
{
	uint64_t size = rnd_below(t, 5 * STRESS_MAX_PAGES) * page_size;
	struct mmscope_file_info info;

	if (ensure_fd(t))
		return -1;
	if (ioctl(t->fd, MMSCOPE_IOC_FILE_SET_SIZE, &size))
		return stress_fail(t, "FILE_SET_SIZE %llu: %s",
				   (unsigned long long)size, strerror(errno));
	if (ioctl(t->fd, MMSCOPE_IOC_FILE_INFO, &info))
		return stress_fail(t, "FILE_INFO: %s", strerror(errno));
	if (info.size != size || info.pages > size / page_size)
		return stress_fail(t, "FILE_INFO: size %llu, %llu pages after SET_SIZE %llu",
				   (unsigned long long)info.size,
				   (unsigned long long)info.pages,
				   (unsigned long long)size);
	return 0;
}

/* Walk the page tables at an address of a live mapping, or anywhere. */
static int act_pagewalk(struct stress_thread *t)
{
	struct stress_map *m = pick_map(t);
	struct mmscope_pagewalk pw = { 0 };

	if (ensure_fd(t))
		return -1;
	if (m && rnd(t) % 4)
		pw.addr = (uintptr_t)m->addr + rnd_below(t, m->len);
	else
		pw.addr = rnd(t) & ((1ULL << 47) - 1);
	if (ioctl(t->fd, MMSCOPE_IOC_PAGEWALK, &pw))
		/* EINTR: a fatal signal is pending (the end of the run). */
		return REFUSED(t, "PAGEWALK", EINTR);
	return 0;
}

#define STRESS_ACTION(fn, w)	{ #fn, w, act_##fn }

/* Each entry's ops and refusals are counted in struct stress_shared. */
static const struct stress_action stress_actions[] = {
	STRESS_ACTION(open_close, 2),
	STRESS_ACTION(info_ioctl, 2),
	STRESS_ACTION(bad_ioctl, 1),
	STRESS_ACTION(read_debugfs, 3),
	STRESS_ACTION(mmap, 6),
	STRESS_ACTION(touch, 10),
	STRESS_ACTION(munmap_part, 2),
	STRESS_ACTION(munmap, 2),
	STRESS_ACTION(mprotect, 2),
	STRESS_ACTION(madvise_dontneed, 2),
	STRESS_ACTION(mremap, 2),
	STRESS_ACTION(fork, 1),
	STRESS_ACTION(buddy_alloc, 4),
	STRESS_ACTION(buddy_free, 4),
	STRESS_ACTION(buddy_bad_handle, 1),
	STRESS_ACTION(buddy_check, 1),
	STRESS_ACTION(bootmem_alloc, 3),
	STRESS_ACTION(bootmem_free, 3),
	STRESS_ACTION(bootmem_read, 1),
	STRESS_ACTION(file_size, 2),
	STRESS_ACTION(pagewalk, 2),
};
_Static_assert(ARRAY_SIZE(stress_actions) <= ARRAY_SIZE(((struct stress_shared *)0)->ops),
	       "struct stress_shared counts too few actions");

/* ---- workers, hog, bookkeeping ----------------------------------------- */

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static uint64_t deadline_ns;

static void *worker_thread(void *arg)
{
	struct stress_thread t = { .rng = (uintptr_t)arg, .fd = -1 };
	unsigned int i, total = 0, pick;

	for (i = 0; i < ARRAY_SIZE(stress_actions); i++)
		total += stress_actions[i].weight;
	while (now_ns() < deadline_ns) {
		pick = rnd_below(&t, total);
		for (i = 0; pick >= stress_actions[i].weight; i++)
			pick -= stress_actions[i].weight;
		cur_action = i;
		stress_actions[i].run(&t);
		__atomic_add_fetch(&sh->ops[i], 1, __ATOMIC_RELAXED);
	}
	for (i = 0; i < STRESS_SLOTS; i++)
		if (t.maps[i].addr)
			unmap_slot(&t, &t.maps[i]);
	while (t.nr_blocks)
		act_buddy_free(&t);
	while (t.nr_bm)
		act_bootmem_free(&t);
	if (t.fd >= 0)
		close(t.fd);
	return NULL;
}

static void worker_process(unsigned int proc)
{
	pthread_t th[STRESS_THREADS];
	unsigned int i;

	for (i = 0; i < STRESS_THREADS; i++) {
		uint64_t seed = STRESS_SEED * 0x9e3779b97f4a7c15ULL +
				proc * STRESS_THREADS + i + 1;

		if (pthread_create(&th[i], NULL, worker_thread,
				   (void *)(uintptr_t)seed))
			_exit(3);
	}
	for (i = 0; i < STRESS_THREADS; i++)
		pthread_join(th[i], NULL);
	_exit(0);
}

static uint64_t meminfo_kb(const char *key)
{
	char buf[4096], *p;

	if (mms_read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return 0;
	p = strstr(buf, key);
	return p ? strtoull(p + strlen(key) + 1, NULL, 10) : 0;
}

/* Takes all but STRESS_HOG_SPARE_MB of the available memory and keeps it
 * resident until killed; the OOM killer picks it first. */
static void hog_process(int report_fd)
{
	uint64_t avail_mb = meminfo_kb("MemAvailable") / 1024, got = 0;
	const size_t chunk = 16 << 20;
	char *chunks[256];
	unsigned int n = 0, i;

	mms_write_file("/proc/self/oom_score_adj", "1000");
	while (n < ARRAY_SIZE(chunks) &&
	       got + STRESS_HOG_SPARE_MB + 16 <= avail_mb) {
		chunks[n] = mmap(NULL, chunk, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (chunks[n] == MAP_FAILED)
			break;
		memset(chunks[n], 0xa5, chunk);
		n++;
		got += 16;
	}
	if (write(report_fd, &got, sizeof(got)) != sizeof(got))
		_exit(1);
	close(report_fd);
	for (;;) {
		for (i = 0; i < n; i++)
			chunks[i][(rand() % (chunk / 4096)) * 4096]++;
		usleep(100000);
	}
}

static void collect_debugfs(const char *dir)
{
	char path[512];
	struct dirent *d;
	struct stat st;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp)) && nr_debugfs_files < STRESS_MAX_FILES) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, d->d_name);
		if (stat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			collect_debugfs(path);
		else if (S_ISREG(st.st_mode) && (st.st_mode & 0444) &&
			 strlen(path) < sizeof(debugfs_files[0]))
			strcpy(debugfs_files[nr_debugfs_files++], path);
	}
	closedir(dp);
}

/* Sum of "key value" / "key: value" or a lone number in a debugfs file. */
static int read_counter(const struct stress_counter *c, uint64_t *val)
{
	char path[256], buf[8192], *p;
	size_t klen;

	snprintf(path, sizeof(path), "%s/%s", MMSCOPE_DEBUGFS_PATH, c->file);
	if (!c->key)
		return mms_read_u64(path, val);
	if (mms_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	klen = strlen(c->key);
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, c->key, klen) &&
		    (p[klen] == ' ' || p[klen] == ':' || p[klen] == '\t')) {
			*val = strtoull(p + klen + 1 + strspn(p + klen + 1, " :\t"),
					NULL, 0);
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

struct stress_summary {
	unsigned int nr_counters;
	int present[STRESS_MAX_COUNTERS];
	uint64_t before[STRESS_MAX_COUNTERS];
	uint64_t after[STRESS_MAX_COUNTERS];
};

static void read_counters(struct stress_summary *s, uint64_t *vals)
{
	unsigned int i;

	for (i = 0; i < s->nr_counters; i++)
		s->present[i] = !read_counter(&stress_counters[i], &vals[i]);
}

/*
 * A bootmem node starts with every page reserved: free all but its map
 * for the workers' allocations (@undo: reserve them back), as the seed's
 * boot code freed the usable RAM.
 */
static int bootmem_open_node(bool undo, struct mmscope_bootmem_range *r)
{
	struct mmscope_bootmem_stats st;
	int fd = mms_open_dev(), ret;

	if (fd < 0)
		return -1;
	ret = ioctl(fd, MMSCOPE_IOC_BOOTMEM_STATS, &st);
	if (!ret && st.state == MMSCOPE_BOOTMEM_LIVE) {
		*r = (struct mmscope_bootmem_range){
			.addr = (st.map_page + st.map_pages) * page_size,
			.size = (st.nr_pages - st.map_page - st.map_pages) *
				page_size,
		};
		ret = ioctl(fd, undo ? MMSCOPE_IOC_BOOTMEM_RESERVE :
			    MMSCOPE_IOC_BOOTMEM_FREE, r);
	}
	close(fd);
	return ret;
}

KTAP_CASE_FN(random_workload_meets_only_documented_errors)
{
	struct mmscope_bootmem_range bm_range = { 0 };
	uint64_t bm_freed;
	struct stress_summary sum = { 0 };
	pid_t pids[STRESS_PROCS], hog;
	uint64_t hog_mb = 0, total = 0, t0;
	unsigned int i;
	int pfd[2], fd;
	struct sigaction sa = { .sa_handler = touch_handler };

	page_size = sysconf(_SC_PAGESIZE);
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(sh != MAP_FAILED);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	collect_debugfs(MMSCOPE_DEBUGFS_PATH);
	ASSERT_OK(bootmem_open_node(false, &bm_range));
	bm_freed = bm_range.pages;
	while (stress_counters[sum.nr_counters].file)
		sum.nr_counters++;
	ASSERT_LE(sum.nr_counters, STRESS_MAX_COUNTERS);
	read_counters(&sum, sum.before);

	ASSERT_OK(pipe(pfd));
	hog = fork();
	ASSERT_OK(hog);
	if (hog == 0) {
		close(pfd[0]);
		hog_process(pfd[1]);
	}
	close(pfd[1]);
	ASSERT_EQ(sizeof(hog_mb), read(pfd[0], &hog_mb, sizeof(hog_mb)));
	close(pfd[0]);

	t0 = now_ns();
	deadline_ns = t0 + STRESS_SECONDS * 1000000000ULL;
	for (i = 0; i < STRESS_PROCS; i++) {
		pids[i] = fork();
		ASSERT_OK(pids[i]);
		if (pids[i] == 0)
			worker_process(i);
	}
	for (i = 0; i < STRESS_PROCS; i++)
		EXPECT_EQ(0, mms_wait_exit(pids[i]));
	kill(hog, SIGKILL);
	mms_wait_exit(hog);
	/* Pages still referenced at unmap are parked; retry them now. */
	mms_write_file(MMSCOPE_DEBUGFS_PATH "/fault/retry_parked", "1");
	read_counters(&sum, sum.after);
	ASSERT_OK(bootmem_open_node(true, &bm_range));
	ktap_diag("bootmem: %llu pages freed for the workers, %llu reserved again after",
		  (unsigned long long)bm_freed,
		  (unsigned long long)bm_range.pages);

	for (i = 0; i < ARRAY_SIZE(stress_actions); i++) {
		ktap_diag("%-18s %8llu ops %8llu refused", stress_actions[i].name,
			  (unsigned long long)sh->ops[i],
			  (unsigned long long)sh->refused[i]);
		total += sh->ops[i];
	}
	ktap_diag("%u processes x %u threads, %.1f s, seed %d, %llu ops, %llu device SIGBUS, hog %llu MiB, %u debugfs files",
		  STRESS_PROCS, STRESS_THREADS, (now_ns() - t0) / 1e9,
		  STRESS_SEED, (unsigned long long)total,
		  (unsigned long long)sh->sigbus,
		  (unsigned long long)hog_mb, nr_debugfs_files);
	if (sh->errors)
		ktap_diag("%llu errors; first: %s",
			  (unsigned long long)sh->errors, sh->first_error);

	fd = open(STRESS_SUMMARY, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_OK(fd);
	ASSERT_EQ(sizeof(sum), write(fd, &sum, sizeof(sum)));
	close(fd);
	ASSERT_EQ(0, sh->errors);
	ASSERT_GT(total, 0);
}

KTAP_CASE_FN(pages_in_use_return_to_baseline)
{
	char buf[sizeof(struct stress_summary) + 1];
	struct stress_summary sum;
	unsigned int i, checked = 0;

	if (mms_read_file(STRESS_SUMMARY, buf, sizeof(buf)) != sizeof(sum))
		SKIP("the workload case did not run");
	memcpy(&sum, buf, sizeof(sum));
	for (i = 0; i < sum.nr_counters; i++) {
		if (!sum.present[i])
			continue;
		ktap_diag("%s%s%s: %llu before, %llu after",
			  stress_counters[i].file,
			  stress_counters[i].key ? " " : "",
			  stress_counters[i].key ?: "",
			  (unsigned long long)sum.before[i],
			  (unsigned long long)sum.after[i]);
		EXPECT_EQ(sum.before[i], sum.after[i]);
		checked++;
	}
	if (!checked)
		SKIP("no mechanism of this module counts pages in use");
}

static const struct ktap_case cases[] = {
	KTAP_CASE_TIMEOUT(random_workload_meets_only_documented_errors,
			  STRESS_SECONDS + 120),
	KTAP_CASE(pages_in_use_return_to_baseline),
};

KTAP_MAIN("stress", cases)
