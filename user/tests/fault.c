// SPDX-License-Identifier: GPL-2.0
/*
 * Suite "fault": /dev/mmscope as an in-memory file served by page faults.
 *
 * Every claim is checked twice: against mmscope's own view (debugfs
 * mmscope/fault/, MMSCOPE_IOC_FILE_INFO, MMSCOPE_IOC_PAGEWALK) and against
 * an independent source: getrusage() minor faults, /proc/vmstat,
 * /proc/self/smaps, /proc/meminfo, /proc/self/pagemap + /proc/kpageflags,
 * or the kernel's memfd (shmem) doing the same thing.
 *
 * Runs as root in the VM with mmscope.ko loaded; leaves it loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <linux/kernel-page-flags.h>
#include <sched.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define NPAGES		1000
#define FAULT_DIR	MMSCOPE_DEBUGFS_PATH "/fault/"

static size_t psz;

/* ---- helpers ------------------------------------------------------------ */

static int file_new(size_t pages)
{
	__u64 size;
	int fd;

	psz = sysconf(_SC_PAGESIZE);
	size = pages * psz;
	fd = mms_open_dev();
	ASSERT_OK(fd);
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	return fd;
}

/* A memfd of @pages pages: the shmem reference the device is held to. */
static int memfd_new(const char *name, size_t pages)
{
	int fd = memfd_create(name, 0);

	psz = sysconf(_SC_PAGESIZE);
	ASSERT_OK(fd);
	ASSERT_OK(ftruncate(fd, pages * psz));
	return fd;
}

static char *map(int fd, size_t pages, int flags, off_t off)
{
	char *p = mmap(NULL, pages * psz, PROT_READ | PROT_WRITE, flags, fd,
		       off);

	ASSERT_TRUE(p != MAP_FAILED);
	return p;
}

static struct mmscope_pagewalk walk(int fd, const void *addr)
{
	struct mmscope_pagewalk pw = { .addr = (uintptr_t)addr };

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_PAGEWALK, &pw));
	return pw;
}

static struct mmscope_file_info info(int fd)
{
	struct mmscope_file_info fi;

	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_INFO, &fi));
	return fi;
}

/* A one-number file (debugfs, sysfs, sysctl); fails the case if absent. */
static long long read_num(const char *path)
{
	uint64_t v;

	if (mms_read_u64(path, &v)) {
		ktap_diag("%s: %s", path, strerror(errno));
		ASSERT_TRUE(0);
	}
	return v;
}

static long long ctr(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), FAULT_DIR "%s", name);
	return read_num(path);
}

#define write_str(path, s)	ASSERT_OK(mms_write_file(path, s))

/*
 * An earlier case can leave a page parked for a moment (a concurrent fault
 * still held it when its file went away); it is retried every second. A
 * case that counts its own parking exactly starts once none is left; a
 * page that never leaves is a leak and fails here.
 */
static void settle_parked(void)
{
	long long left = ctr("parked_now");
	int i;

	if (left)
		ktap_diag("%lld page(s) still parked from earlier cases", left);
	for (i = 0; i < 50 && left; i++) {
		write_str(FAULT_DIR "retry_parked", "1");
		usleep(100 * 1000);
		left = ctr("parked_now");
	}
	ASSERT_EQ(0, left);
}

/* "key value" files: /proc/vmstat, /proc/meminfo ("Key:   123 kB"). */
static long long keyed(const char *path, const char *key)
{
	char line[256];
	size_t n = strlen(key);
	long long v = -1;
	FILE *f = fopen(path, "r");

	ASSERT_TRUE(f);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, n) && (line[n] == ' ' || line[n] == ':')) {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	fclose(f);
	return v;
}

/* A field of the /proc/self/smaps entry of the mapping containing @addr. */
static long long smaps_kb(const void *addr, const char *key)
{
	uintptr_t a = (uintptr_t)addr, lo, hi;
	size_t n = strlen(key);
	char line[512];
	long long v = -1;
	int in = 0;
	FILE *f = fopen("/proc/self/smaps", "r");

	ASSERT_TRUE(f);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			in = a >= lo && a < hi;
			continue;
		}
		if (in && !strncmp(line, key, n) && line[n] == ':') {
			v = strtoll(line + n + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return v;
}

static uint64_t pagemap(const void *addr)
{
	uint64_t e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	ASSERT_OK(fd);
	ASSERT_EQ(8, pread(fd, &e, 8, (uintptr_t)addr / psz * 8));
	close(fd);
	return e;
}

#define PM_PRESENT	(1ULL << 63)
#define PM_PFN(e)	((e) & ((1ULL << 55) - 1))

static uint64_t kpageflags(uint64_t pfn)
{
	uint64_t f = 0;
	int fd = open("/proc/kpageflags", O_RDONLY);

	ASSERT_OK(fd);
	ASSERT_EQ(8, pread(fd, &f, 8, pfn * 8));
	close(fd);
	return f;
}

static void touch_read(const volatile char *p, size_t pages)
{
	size_t i;

	for (i = 0; i < pages; i++)
		(void)p[i * psz];
}

static void touch_write(volatile char *p, size_t pages, char v)
{
	size_t i;

	for (i = 0; i < pages; i++)
		p[i * psz] = v;
}

static int all_zero(const char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (p[i])
			return 0;
	return 1;
}

/* Run @fn with SIGBUS and SIGSEGV caught; returns the signal or 0. */
static sigjmp_buf sig_env;
static volatile sig_atomic_t sig_got;

static void sig_handler(int sig)
{
	sig_got = sig;
	siglongjmp(sig_env, 1);
}

static int access_signal(volatile char *p, int write)
{
	struct sigaction sa = { .sa_handler = sig_handler };

	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGSEGV, &sa, NULL);
	sig_got = 0;
	if (!sigsetjmp(sig_env, 1)) {
		if (write)
			*p = 1;
		else
			(void)*p;
	}
	signal(SIGBUS, SIG_DFL);
	signal(SIGSEGV, SIG_DFL);
	return sig_got;
}

/* ---- access control ----------------------------------------------------- */

static void open_as_nobody_expect(int expected_errno)
{
	pid_t pid = fork();

	ASSERT_OK(pid);
	if (!pid) {
		if (mms_become_nobody())
			_exit(2);
		if (mms_open_dev() >= 0)
			_exit(3);
		_exit(errno == expected_errno ? 0 : 4);
	}
	ASSERT_EQ(0, mms_wait_exit(pid));
}

KTAP_CASE_FN(unprivileged_open_refused)
{
	struct stat st;

	ASSERT_OK(stat(MMSCOPE_DEVICE_PATH, &st));
	ASSERT_EQ(0600, st.st_mode & 0777);
	/* The node's mode stops nobody first... */
	open_as_nobody_expect(EACCES);
	/* ...and a chmod'ed node still needs CAP_SYS_ADMIN. */
	ASSERT_OK(chmod(MMSCOPE_DEVICE_PATH, 0666));
	open_as_nobody_expect(EPERM);
	ASSERT_OK(chmod(MMSCOPE_DEVICE_PATH, 0600));
}

KTAP_CASE_FN(set_size_validates_and_info_reports)
{
	long long refused = ctr("refused");
	int fd = file_new(0);
	__u64 size = 12345;
	struct mmscope_file_info fi;

	fi = info(fd);
	ASSERT_EQ(0, fi.size);
	ASSERT_EQ(psz, fi.page_size);
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	size = 1ULL << 63;
	ASSERT_ERRNO(EFBIG, ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_EQ(refused + 2, ctr("refused"));
	size = 16 * psz;
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_EQ(16 * psz, info(fd).size);
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IO(MMSCOPE_IOC_MAGIC, MMSCOPE_IOC_FILE_BASE + 9)));
	close(fd);
}

/* ---- zero page, fresh pages ----------------------------------------------- */

KTAP_CASE_FN(read_faults_map_zero_page_and_allocate_nothing)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_SHARED, 0);
	long long zero0 = ctr("zero_maps"), fresh0 = ctr("fresh_pages");
	long long mapped0 = keyed("/proc/meminfo", "Mapped");
	long long pgf0 = keyed("/proc/vmstat", "pgfault");
	uint64_t zero_pfn = 0;
	long f0, faults;
	size_t i;

	f0 = mms_minflt();
	touch_read(p, NPAGES);
	faults = mms_minflt() - f0;

	ASSERT_EQ(NPAGES, faults);
	ASSERT_GE(keyed("/proc/vmstat", "pgfault") - pgf0, NPAGES);
	ASSERT_EQ(zero0 + NPAGES, ctr("zero_maps"));
	ASSERT_EQ(fresh0, ctr("fresh_pages"));
	ASSERT_EQ(0, info(fd).pages);
	ASSERT_EQ(1, info(fd).zero_mapped);
	/* Zero-page PTEs are not counted as resident or mapped file pages. */
	ASSERT_EQ(0, smaps_kb(p, "Rss"));
	ASSERT_LT(keyed("/proc/meminfo", "Mapped") - mapped0, NPAGES * psz / 1024 / 4);

	for (i = 0; i < NPAGES; i++) {
		struct mmscope_pagewalk pw = walk(fd, p + i * psz);
		uint64_t pm = pagemap(p + i * psz);

		ASSERT_EQ(MMSCOPE_VMA_MMSCOPE, pw.vma_kind);
		ASSERT_EQ(MMSCOPE_PW_PTE, pw.leaf);
		ASSERT_TRUE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
		ASSERT_FALSE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
		ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_SPECIAL);
		if (!i)
			zero_pfn = pw.pfn;
		ASSERT_EQ(zero_pfn, pw.pfn);
		/* Independent: pagemap's pfn and kpageflags' ZERO_PAGE bit. */
		ASSERT_TRUE(pm & PM_PRESENT);
		ASSERT_EQ(pw.pfn, PM_PFN(pm));
	}
	ASSERT_TRUE(kpageflags(zero_pfn) & (1ULL << KPF_ZERO_PAGE));
	ASSERT_TRUE(all_zero(p, NPAGES * psz));
	close(fd);
}

KTAP_CASE_FN(write_faults_map_fresh_zeroed_pages)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_SHARED, 0);
	long long fresh0 = ctr("fresh_pages"), zero0 = ctr("zero_maps");
	long long mapped0 = keyed("/proc/meminfo", "Mapped");
	long long pages0 = ctr("file_pages"), mapped;
	uint64_t *pfns = calloc(NPAGES, sizeof(*pfns));
	long f0, faults;
	size_t i, j;

	f0 = mms_minflt();
	touch_write(p, NPAGES, 0x5a);
	faults = mms_minflt() - f0;

	ASSERT_EQ(NPAGES, faults);
	ASSERT_EQ(fresh0 + NPAGES, ctr("fresh_pages"));
	ASSERT_EQ(zero0, ctr("zero_maps"));
	ASSERT_EQ(NPAGES, info(fd).pages);
	ASSERT_EQ(pages0 + NPAGES, ctr("file_pages"));
	ASSERT_EQ(NPAGES * psz / 1024, smaps_kb(p, "Rss"));
	ASSERT_EQ(NPAGES * psz / 1024, smaps_kb(p, "Private_Dirty"));
	mapped = keyed("/proc/meminfo", "Mapped") - mapped0;
	ASSERT_GE(mapped, NPAGES * psz / 1024 * 9 / 10);
	ASSERT_LE(mapped, NPAGES * psz / 1024 * 11 / 10);

	for (i = 0; i < NPAGES; i++) {
		struct mmscope_pagewalk pw = walk(fd, p + i * psz);
		uint32_t fl = pw.flags[MMSCOPE_PW_PTE];

		ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
		ASSERT_TRUE(fl & MMSCOPE_PW_WRITE);
		ASSERT_TRUE(fl & MMSCOPE_PW_DIRTY);
		ASSERT_FALSE(fl & MMSCOPE_PW_SPECIAL);
		ASSERT_EQ(pw.pfn, PM_PFN(pagemap(p + i * psz)));
		pfns[i] = pw.pfn;
		/* Zeroed before mapping (the allocator hands out dirty pages). */
		ASSERT_EQ(0x5a, p[i * psz]);
		ASSERT_TRUE(all_zero(p + i * psz + 1, psz - 1));
	}
	for (i = 0; i < NPAGES; i++)
		for (j = i + 1; j < NPAGES; j++)
			ASSERT_NE(pfns[i], pfns[j]);
	ASSERT_FALSE(kpageflags(pfns[0]) & (1ULL << KPF_ZERO_PAGE));
	ASSERT_TRUE(kpageflags(pfns[0]) & (1ULL << KPF_MMAP));
	ASSERT_FALSE(kpageflags(pfns[0]) & (1ULL << KPF_ANON));
	free(pfns);
	close(fd);
}

/*
 * Pages freed by a truncation go back to the buddy allocator's per-CPU
 * cache and come straight back: they must be cleared again (only pages
 * nobody had since the kernel zeroed them may skip it).
 */
KTAP_CASE_FN(recycled_pages_are_cleared_before_reuse)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_SHARED, 0);
	long long fresh0 = ctr("fresh_pages");
	__u64 size = 0;
	size_t i;
	int round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < NPAGES; i++)
			ASSERT_TRUE(all_zero(p + i * psz, psz));
		memset(p, 0xa5, NPAGES * psz);
		size = 0;
		ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
		ASSERT_EQ(0, info(fd).pages);
		size = NPAGES * psz;
		ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	}
	/* Each round's reads mapped the zero page; the memset wrote pages. */
	ASSERT_EQ(fresh0 + 3 * NPAGES, ctr("fresh_pages"));
	touch_write(p, NPAGES, 0x5a);
	for (i = 0; i < NPAGES; i++) {
		ASSERT_EQ(0x5a, p[i * psz]);
		ASSERT_TRUE(all_zero(p + i * psz + 1, psz - 1));
	}
	munmap(p, NPAGES * psz);
	close(fd);
}

/*
 * Design choice (docs/fault.md): refcounted pages so get_user_pages works;
 * a shared read-then-write costs three faults: zero page, ->pfn_mkwrite
 * replaces it, then ->fault maps the fresh page writable.
 */
KTAP_CASE_FN(shared_read_then_write_costs_three_faults)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_SHARED, 0);
	long long zero0 = ctr("zero_maps"), mk0 = ctr("zero_mkwrite");
	long long rep0 = ctr("zero_replaced"), fresh0 = ctr("fresh_pages");
	long long pgf0 = keyed("/proc/vmstat", "pgfault");
	long f0, rd, wr;
	size_t i;

	f0 = mms_minflt();
	touch_read(p, NPAGES);
	rd = mms_minflt() - f0;
	touch_write(p, NPAGES, 1);
	wr = mms_minflt() - f0 - rd;

	ASSERT_EQ(NPAGES, rd);
	ASSERT_EQ(2 * NPAGES, wr);
	ASSERT_GE(keyed("/proc/vmstat", "pgfault") - pgf0, 3 * NPAGES);
	ASSERT_EQ(zero0 + NPAGES, ctr("zero_maps"));
	ASSERT_EQ(mk0 + NPAGES, ctr("zero_mkwrite"));
	ASSERT_EQ(rep0 + NPAGES, ctr("zero_replaced"));
	ASSERT_EQ(fresh0 + NPAGES, ctr("fresh_pages"));
	ASSERT_EQ(NPAGES, info(fd).pages);
	ASSERT_EQ(NPAGES * psz / 1024, smaps_kb(p, "Rss"));
	for (i = 0; i < NPAGES; i++) {
		struct mmscope_pagewalk pw = walk(fd, p + i * psz);

		ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
		ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
	}
	close(fd);
}

KTAP_CASE_FN(private_read_then_write_costs_two_faults_kernel_copies)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_PRIVATE, 0);
	long long cow0 = ctr("private_copy_wp"), fresh0 = ctr("fresh_pages");
	long f0, rd, wr;
	size_t i;

	f0 = mms_minflt();
	touch_read(p, NPAGES);
	rd = mms_minflt() - f0;
	touch_write(p, NPAGES, 1);
	wr = mms_minflt() - f0 - rd;

	ASSERT_EQ(NPAGES, rd);
	ASSERT_EQ(NPAGES, wr);
	if (ctr("cow_probe") == 1)
		ASSERT_EQ(cow0 + NPAGES, ctr("private_copy_wp"));
	/* The copies are the kernel's anonymous pages, not the file's. */
	ASSERT_EQ(fresh0, ctr("fresh_pages"));
	ASSERT_EQ(0, info(fd).pages);
	ASSERT_EQ(NPAGES * psz / 1024, smaps_kb(p, "Anonymous"));
	for (i = 0; i < NPAGES; i++) {
		struct mmscope_pagewalk pw = walk(fd, p + i * psz);

		ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
		ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
		ASSERT_TRUE(kpageflags(pw.pfn) & (1ULL << KPF_ANON));
	}
	close(fd);
}

KTAP_CASE_FN(private_write_to_hole_allocates_no_file_page)
{
	int fd = file_new(NPAGES);
	char *p = map(fd, NPAGES, MAP_PRIVATE, 0);
	long long cow0 = ctr("private_copy_fault"), fresh0 = ctr("fresh_pages");
	long f0, wr;

	f0 = mms_minflt();
	touch_write(p, NPAGES, 7);
	wr = mms_minflt() - f0;

	ASSERT_EQ(NPAGES, wr);
	ASSERT_EQ(cow0 + NPAGES, ctr("private_copy_fault"));
	ASSERT_EQ(fresh0, ctr("fresh_pages"));
	ASSERT_EQ(0, info(fd).pages);
	ASSERT_EQ(NPAGES * psz / 1024, smaps_kb(p, "Anonymous"));
	ASSERT_EQ(7, p[0]);
	ASSERT_TRUE(all_zero(p + 1, psz - 1));
	close(fd);
}

KTAP_CASE_FN(zero_page_never_becomes_writable)
{
	int fd = file_new(4), mem;
	char *p = mmap(NULL, 4 * psz, PROT_READ, MAP_SHARED, fd, 0);
	char *anon = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	struct mmscope_pagewalk pw;
	char v = 0x42;

	ASSERT_TRUE(p != MAP_FAILED && anon != MAP_FAILED);
	touch_read(p, 4);
	/* mprotect never upgrades the clean zero-page PTE. */
	ASSERT_OK(mprotect(p, 4 * psz, PROT_READ | PROT_WRITE));
	pw = walk(fd, p);
	ASSERT_TRUE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
	ASSERT_FALSE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
	/* A write through the mapping replaces it with a fresh page. */
	p[0] = 1;
	pw = walk(fd, p);
	ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
	/* So does a write through get_user_pages (FOLL_FORCE). */
	mem = open("/proc/self/mem", O_RDWR);
	ASSERT_OK(mem);
	ASSERT_EQ(1, pwrite(mem, &v, 1, (uintptr_t)(p + psz)));
	close(mem);
	ASSERT_EQ(0x42, p[psz]);
	pw = walk(fd, p + psz);
	ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
	/* The global zero page still reads as zeros everywhere. */
	(void)*(volatile char *)anon;
	ASSERT_TRUE(walk(fd, anon).result & MMSCOPE_PW_R_ZERO_PAGE);
	ASSERT_TRUE(all_zero(anon, psz));
	ASSERT_TRUE(all_zero(p + 2 * psz, 2 * psz));
	close(fd);
}

/* ---- sharing ------------------------------------------------------------- */

KTAP_CASE_FN(shared_mappings_of_one_file_share_pages)
{
	int fd = file_new(8);
	char *a = map(fd, 8, MAP_SHARED, 0);
	char *b = map(fd, 8, MAP_SHARED, 0);
	int other = file_new(8);
	char *c = map(other, 8, MAP_SHARED, 0);

	long long unmaps0 = ctr("zero_unmaps");

	/* b reads first (zero page), then a writes: b must see the data. */
	touch_read(b, 8);
	touch_write(a, 8, 'a');
	ASSERT_EQ(unmaps0 + 8, ctr("zero_unmaps"));
	ASSERT_EQ('a', b[0]);
	ASSERT_EQ('a', b[7 * psz]);
	touch_read(b, 8);
	ASSERT_EQ(walk(fd, a).pfn, walk(fd, b).pfn);
	ASSERT_EQ(walk(fd, a + 5 * psz).pfn, walk(fd, b + 5 * psz).pfn);
	ASSERT_EQ(8 * psz / 1024, smaps_kb(a, "Shared_Dirty"));
	ASSERT_EQ(8 * psz / 1024, smaps_kb(b, "Shared_Dirty"));
	/* Another open of /dev/mmscope is another file. */
	ASSERT_EQ(0, c[0]);
	c[0] = 'c';
	ASSERT_EQ('a', a[0]);
	ASSERT_NE(walk(fd, a).pfn, walk(other, c).pfn);
	close(other);
	close(fd);
}

KTAP_CASE_FN(shared_mapping_seen_by_forked_child_both_ways)
{
	int fd = file_new(4), to_child[2], to_parent[2], status;
	volatile char *p = map(fd, 4, MAP_SHARED, 0);
	char c;
	pid_t pid;

	ASSERT_OK(pipe(to_child));
	ASSERT_OK(pipe(to_parent));
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		p[psz] = 'c';
		if (write(to_parent[1], "x", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		_exit(p[0] == 'p' ? 0 : 3);
	}
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	ASSERT_EQ('c', p[psz]);
	p[0] = 'p';
	ASSERT_EQ(1, write(to_child[1], "x", 1));
	ASSERT_OK(waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

KTAP_CASE_FN(shared_mapping_in_process_given_the_fd)
{
	int sv[2], status, fd;
	char buf[CMSG_SPACE(sizeof(int))], c = 0;
	struct iovec iov = { &c, 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
			      .msg_control = buf,
			      .msg_controllen = sizeof(buf) };
	struct cmsghdr *cm;
	char *p;
	pid_t pid;

	psz = sysconf(_SC_PAGESIZE);
	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		/* Did not inherit the file: receives it. */
		if (recvmsg(sv[1], &msg, 0) != 1)
			_exit(2);
		cm = CMSG_FIRSTHDR(&msg);
		memcpy(&fd, CMSG_DATA(cm), sizeof(fd));
		p = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		if (p == MAP_FAILED || p[0] != 'p')
			_exit(3);
		p[1] = 'c';
		_exit(write(sv[1], "x", 1) == 1 ? 0 : 4);
	}
	fd = file_new(1);
	p = map(fd, 1, MAP_SHARED, 0);
	p[0] = 'p';
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(fd));
	ASSERT_EQ(1, sendmsg(sv[0], &msg, 0));
	ASSERT_EQ(1, read(sv[0], &c, 1));
	ASSERT_EQ('c', p[1]);
	ASSERT_OK(waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

KTAP_CASE_FN(private_mapping_isolated_after_fork_both_ways)
{
	int fd = file_new(4), to_child[2], to_parent[2], status;
	volatile char *p = map(fd, 4, MAP_PRIVATE, 0);
	volatile char *s = map(fd, 4, MAP_SHARED, 0);
	char c;
	pid_t pid;

	p[0] = 'b';	/* before fork: both see 'b' afterwards */
	ASSERT_OK(pipe(to_child));
	ASSERT_OK(pipe(to_parent));
	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		p[psz] = 'c';
		if (p[0] != 'b')
			_exit(5);
		if (write(to_parent[1], "x", 1) != 1 ||
		    read(to_child[0], &c, 1) != 1)
			_exit(2);
		/* Parent's private write is invisible here. */
		_exit(p[2 * psz] == 0 && p[0] == 'b' ? 0 : 3);
	}
	ASSERT_EQ(1, read(to_parent[0], &c, 1));
	ASSERT_EQ(0, p[psz]);		/* child's write invisible here */
	ASSERT_EQ(0, s[psz]);		/* and never reached the file */
	p[2 * psz] = 'p';
	p[0] = 'q';
	ASSERT_EQ(1, write(to_child[1], "x", 1));
	ASSERT_OK(waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, s[2 * psz]);
	ASSERT_EQ(0, info(fd).pages);
	close(fd);
}

/*
 * One script of shared and private accesses, run on a memfd and on the
 * device: shmem is the reference, the bytes seen must match exactly.
 */
static void sharing_script(int fd, char *seen)
{
	char *s = map(fd, 4, MAP_SHARED, 0);
	char *p = map(fd, 4, MAP_PRIVATE, 0);
	int n = 0;

	seen[n++] = p[0];		/* hole */
	s[0] = 'A';
	seen[n++] = p[0];		/* private sees the file... */
	p[psz] = 'P';
	s[psz] = 'B';
	seen[n++] = p[psz];		/* ...until it wrote that page */
	seen[n++] = s[psz];
	(void)p[2 * psz];
	s[2 * psz] = 'C';
	seen[n++] = p[2 * psz];		/* read hole, then file written */
	ASSERT_OK(madvise(p, 4 * psz, MADV_DONTNEED));
	seen[n++] = p[psz];		/* private copy dropped: file again */
	ASSERT_OK(madvise(s, 4 * psz, MADV_DONTNEED));
	seen[n++] = s[0];		/* shared data survives */
	seen[n++] = p[3 * psz];
	munmap(s, 4 * psz);
	munmap(p, 4 * psz);
}

KTAP_CASE_FN(private_and_shared_semantics_match_memfd)
{
	int fd = file_new(4), mfd = memfd_new("ref", 4);
	char ref[16] = { 0 }, dev[16] = { 0 };
	int i;

	sharing_script(mfd, ref);
	sharing_script(fd, dev);
	for (i = 0; i < 16; i++) {
		if (ref[i] != dev[i])
			ktap_diag("step %d: memfd %d device %d", i, ref[i], dev[i]);
		EXPECT_EQ(ref[i], dev[i]);
	}
	ASSERT_EQ('A', dev[1]);
	close(mfd);
	close(fd);
}

/* ---- size ----------------------------------------------------------------- */

KTAP_CASE_FN(sigbus_past_end_of_file)
{
	int fd = file_new(4);
	char *s = map(fd, 8, MAP_SHARED, 0);
	char *p = map(fd, 8, MAP_PRIVATE, 0);
	long long bus0 = ctr("sigbus");

	ASSERT_EQ(0, access_signal(s + 3 * psz, 1));
	ASSERT_EQ(SIGBUS, access_signal(s + 4 * psz, 0));
	ASSERT_EQ(SIGBUS, access_signal(s + 7 * psz, 1));
	ASSERT_EQ(SIGBUS, access_signal(p + 5 * psz, 0));
	ASSERT_EQ(SIGBUS, access_signal(p + 5 * psz, 1));
	ASSERT_EQ(bus0 + 4, ctr("sigbus"));
	ASSERT_EQ(1, info(fd).pages);
	close(fd);
}

KTAP_CASE_FN(shrinking_unmaps_and_frees_pages_past_the_end)
{
	int fd = file_new(8);
	char *s = map(fd, 8, MAP_SHARED, 0);
	char *p = map(fd, 8, MAP_PRIVATE, 0);
	long long trunc0 = ctr("truncated"), freed0 = ctr("freed");
	__u64 size = 2 * psz;

	touch_write(s, 8, 's');
	p[6 * psz] = 'p';		/* a private copy past the new end */
	(void)p[7 * psz];
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_EQ(2, info(fd).pages);
	ASSERT_EQ(trunc0 + 6, ctr("truncated"));
	ASSERT_EQ(freed0 + 6, ctr("freed"));
	ASSERT_EQ(SIGBUS, access_signal(s + 2 * psz, 0));
	ASSERT_EQ(SIGBUS, access_signal(p + 6 * psz, 0));
	ASSERT_EQ(SIGBUS, access_signal(p + 7 * psz, 0));
	ASSERT_EQ('s', s[psz]);
	ASSERT_EQ(2 * psz / 1024, smaps_kb(s, "Rss"));
	/* Growing again gives holes, not the old data. */
	size = 8 * psz;
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_EQ(0, s[5 * psz]);
	ASSERT_TRUE(walk(fd, s + 5 * psz).result & MMSCOPE_PW_R_ZERO_PAGE);
	close(fd);
}

/* ---- mm syscalls ---------------------------------------------------------- */

KTAP_CASE_FN(madvise_dontneed_shared_keeps_data_private_rereads_file)
{
	int fd = file_new(4);
	char *s = map(fd, 4, MAP_SHARED, 0);
	char *p = map(fd, 4, MAP_PRIVATE, 0);
	long long maps0;

	s[0] = 'd';
	ASSERT_OK(madvise(s, 4 * psz, MADV_DONTNEED));
	ASSERT_EQ(0, smaps_kb(s, "Rss"));
	maps0 = ctr("page_maps");
	ASSERT_EQ('d', s[0]);
	ASSERT_EQ(maps0 + 1, ctr("page_maps"));

	p[psz] = 'x';
	ASSERT_EQ(psz / 1024, smaps_kb(p, "Anonymous"));
	ASSERT_OK(madvise(p, 4 * psz, MADV_DONTNEED));
	ASSERT_EQ(0, smaps_kb(p, "Anonymous"));
	ASSERT_EQ(0, p[psz]);		/* zero again: the file's hole */
	ASSERT_TRUE(walk(fd, p + psz).result & MMSCOPE_PW_R_ZERO_PAGE);
	ASSERT_EQ(1, info(fd).pages);
	close(fd);
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ	22
#define MADV_POPULATE_WRITE	23
#endif

KTAP_CASE_FN(madvise_populate_works_remove_is_refused)
{
	int fd = file_new(8);
	char *s = map(fd, 8, MAP_SHARED, 0);

	ASSERT_OK(madvise(s, 4 * psz, MADV_POPULATE_READ));
	ASSERT_TRUE(walk(fd, s + 3 * psz).result & MMSCOPE_PW_R_ZERO_PAGE);
	ASSERT_EQ(0, info(fd).pages);
	ASSERT_OK(madvise(s + 4 * psz, 4 * psz, MADV_POPULATE_WRITE));
	ASSERT_EQ(4, info(fd).pages);
	ASSERT_TRUE(walk(fd, s + 5 * psz).flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
	/* Punching holes needs fallocate, which a device file has not. */
	ASSERT_ERRNO(ENODEV, madvise(s, psz, MADV_REMOVE));
	close(fd);
}

KTAP_CASE_FN(partial_munmap_keeps_the_rest)
{
	int fd = file_new(8);
	char *p = map(fd, 8, MAP_SHARED, 0), *q;
	size_t i;

	for (i = 0; i < 8; i++)
		p[i * psz] = 'a' + i;
	ASSERT_OK(munmap(p + 3 * psz, 2 * psz));
	ASSERT_EQ(6 * psz / 1024, smaps_kb(p, "Rss") + smaps_kb(p + 5 * psz, "Rss"));
	ASSERT_EQ(SIGSEGV, access_signal(p + 3 * psz, 0));
	for (i = 0; i < 8; i++)
		if (i < 3 || i > 4)
			ASSERT_EQ('a' + i, p[i * psz]);
	/* The file kept the unmapped pages. */
	ASSERT_EQ(8, info(fd).pages);
	q = map(fd, 2, MAP_SHARED, 3 * psz);
	ASSERT_EQ('d', q[0]);
	ASSERT_EQ('e', q[psz]);
	close(fd);
}

KTAP_CASE_FN(mremap_grow_shrink_move_keep_pages)
{
	int fd = file_new(8);
	char *p = map(fd, 4, MAP_SHARED, 0), *q, *r, *dst;
	uint64_t pfn0, pfn3;

	touch_write(p, 4, 'm');
	pfn0 = walk(fd, p).pfn;
	pfn3 = walk(fd, p + 3 * psz).pfn;
	q = mremap(p, 4 * psz, 8 * psz, MREMAP_MAYMOVE);
	ASSERT_TRUE(q != MAP_FAILED);
	ASSERT_EQ('m', q[3 * psz]);
	ASSERT_EQ(pfn3, walk(fd, q + 3 * psz).pfn);
	ASSERT_EQ(0, q[6 * psz]);	/* grown part: a hole of the file */
	q[7 * psz] = 'g';
	r = mremap(q, 8 * psz, 2 * psz, 0);
	ASSERT_TRUE(r == q);
	ASSERT_EQ(SIGSEGV, access_signal(q + 3 * psz, 0));
	dst = mmap(NULL, 2 * psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(dst != MAP_FAILED);
	r = mremap(q, 2 * psz, 2 * psz, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_TRUE(r == dst);
	ASSERT_EQ(pfn0, walk(fd, r).pfn);
	ASSERT_EQ('m', r[0]);
	ASSERT_EQ(5, info(fd).pages);
	close(fd);
}

KTAP_CASE_FN(mprotect_and_msync_behave_as_on_shmem)
{
	int fd = file_new(4);
	char *p = map(fd, 4, MAP_SHARED, 0);

	p[0] = 1;
	ASSERT_OK(mprotect(p, 4 * psz, PROT_READ));
	ASSERT_FALSE(walk(fd, p).flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
	ASSERT_EQ(SIGSEGV, access_signal(p, 1));
	ASSERT_OK(mprotect(p, 4 * psz, PROT_READ | PROT_WRITE));
	p[0] = 2;
	p[psz] = 3;
	ASSERT_OK(msync(p, 4 * psz, MS_SYNC));
	ASSERT_OK(msync(p, 4 * psz, MS_ASYNC));
	ASSERT_OK(msync(p, 4 * psz, MS_INVALIDATE));
	ASSERT_EQ(2, p[0]);
	ASSERT_EQ(3, p[psz]);
	close(fd);
}

/* NR_MLOCK is batched per CPU; the vm events are exact. */
#define MLOCK_SLACK_KB	256

KTAP_CASE_FN(mlock_counts_and_releases_pages)
{
	long long locked0 = keyed("/proc/meminfo", "Mlocked");
	long long ml0 = keyed("/proc/vmstat", "unevictable_pgs_mlocked");
	long long mu0 = keyed("/proc/vmstat", "unevictable_pgs_munlocked");
	long long freed0 = ctr("freed"), locked;
	int fd = file_new(1024);
	char *p = map(fd, 1024, MAP_SHARED, 0), *dummy;
	cpu_set_t cpus;

	/* munlock is batched per CPU: stay on one CPU to drain it. */
	CPU_ZERO(&cpus);
	CPU_SET(0, &cpus);
	ASSERT_OK(sched_setaffinity(0, sizeof(cpus), &cpus));
	touch_write(p, 1024, 1);
	ASSERT_OK(mlock(p, 1024 * psz));
	ASSERT_EQ(ml0 + 1024, keyed("/proc/vmstat", "unevictable_pgs_mlocked"));
	locked = keyed("/proc/meminfo", "Mlocked") - locked0;
	ASSERT_GE(locked, 1024 * psz / 1024 - MLOCK_SLACK_KB);
	ASSERT_LE(locked, 1024 * psz / 1024 + MLOCK_SLACK_KB);
	ASSERT_OK(munlock(p, 1024 * psz));
	ASSERT_EQ(mu0 + 1024, keyed("/proc/vmstat", "unevictable_pgs_munlocked"));
	ASSERT_OK(mlock(p, 1024 * psz));
	ASSERT_OK(munmap(p, 1024 * psz));
	/* Any munmap drains this CPU's batch. */
	dummy = mmap(NULL, psz, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_OK(munmap(dummy, psz));
	ASSERT_EQ(mu0 + 2048, keyed("/proc/vmstat", "unevictable_pgs_munlocked"));
	locked = keyed("/proc/meminfo", "Mlocked") - locked0;
	ASSERT_LE(locked, MLOCK_SLACK_KB);
	close(fd);
	write_str(FAULT_DIR "retry_parked", "1");
	ASSERT_EQ(0, ctr("parked_now"));
	ASSERT_EQ(freed0 + 1024, ctr("freed"));
}

/*
 * Concurrency: writers, readers (read-then-write transitions), MADV_DONTNEED
 * and truncation race on one file through two shared mappings; a SIGBUS
 * during a shrink is expected and skipped. Afterwards both mappings must
 * agree page by page (same data, same pfn). Bounded by iterations.
 */
#define RACE_PAGES	128
#define RACE_ITERS	300

static __thread sigjmp_buf race_env;
static char *race_a, *race_b;
static int race_fd;

static void race_sigbus(int sig)
{
	(void)sig;
	siglongjmp(race_env, 1);
}

static void *race_thread(void *arg)
{
	long id = (long)arg;
	unsigned int seed = id;
	int it, i;

	for (it = 0; it < RACE_ITERS; it++) {
		for (i = 0; i < RACE_PAGES; i++) {
			volatile char *a = race_a + i * psz;
			volatile char *b = race_b + i * psz;

			if (sigsetjmp(race_env, 1))
				continue;	/* truncated under us */
			switch (id) {
			case 0:
				*a = (char)(i + 1);
				break;
			case 1:		/* read then write */
				(void)*b;
				*b = (char)(i + 1);
				break;
			case 2:
				if (!(rand_r(&seed) % 64))
					madvise((void *)((uintptr_t)b & ~(psz - 1)),
						psz, MADV_DONTNEED);
				(void)*a;
				break;
			}
		}
		if (id == 3) {
			__u64 size = (rand_r(&seed) % RACE_PAGES) * psz;

			ioctl(race_fd, MMSCOPE_IOC_FILE_SET_SIZE, &size);
			size = RACE_PAGES * psz;
			ioctl(race_fd, MMSCOPE_IOC_FILE_SET_SIZE, &size);
		}
	}
	return NULL;
}

KTAP_CASE_FN(concurrent_faults_and_truncation_stay_consistent)
{
	struct sigaction sa = { .sa_handler = race_sigbus };
	pthread_t th[4];
	long i;

	race_fd = file_new(RACE_PAGES);
	race_a = map(race_fd, RACE_PAGES, MAP_SHARED, 0);
	race_b = map(race_fd, RACE_PAGES, MAP_SHARED, 0);
	sigaction(SIGBUS, &sa, NULL);
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, race_thread, (void *)i));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, pthread_join(th[i], NULL));
	signal(SIGBUS, SIG_DFL);

	for (i = 0; i < RACE_PAGES; i++) {
		char va = race_a[i * psz], vb = race_b[i * psz];
		struct mmscope_pagewalk wa = walk(race_fd, race_a + i * psz);
		struct mmscope_pagewalk wb = walk(race_fd, race_b + i * psz);

		ASSERT_EQ(va, vb);
		ASSERT_TRUE(va == 0 || va == (char)(i + 1));
		ASSERT_EQ(wa.pfn, wb.pfn);
		ASSERT_TRUE(all_zero(race_a + i * psz + 1, psz - 1));
	}
	ASSERT_LE(info(race_fd).pages, RACE_PAGES);
	close(race_fd);
}

/* ---- get_user_pages ------------------------------------------------------- */

KTAP_CASE_FN(gup_process_vm_readv_and_proc_mem_work)
{
	int fd = file_new(4), mem;
	char *p = map(fd, 4, MAP_SHARED, 0), buf[8] = { 1 };
	char *q = map(fd, 4, MAP_PRIVATE, 0);
	struct iovec local = { buf, 4 }, remote = { p, 4 };

	memcpy(p, "gup", 4);
	ASSERT_EQ(4, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	ASSERT_EQ(0, memcmp(buf, "gup", 4));
	remote.iov_base = p + 2 * psz;	/* a hole: reads the zero page */
	ASSERT_EQ(4, process_vm_readv(getpid(), &local, 1, &remote, 1, 0));
	ASSERT_TRUE(all_zero(buf, 4));

	mem = open("/proc/self/mem", O_RDWR);
	ASSERT_OK(mem);
	ASSERT_EQ(4, pread(mem, buf, 4, (uintptr_t)p));
	ASSERT_EQ(0, memcmp(buf, "gup", 4));
	ASSERT_EQ(3, pwrite(mem, "mem", 3, (uintptr_t)(p + 3 * psz)));
	ASSERT_EQ(0, memcmp(p + 3 * psz, "mem", 3));
	/* A FOLL_FORCE write into a private mapping copies, as on shmem. */
	ASSERT_EQ(3, pwrite(mem, "prv", 3, (uintptr_t)q));
	ASSERT_EQ(0, memcmp(q, "prv", 3));
	ASSERT_EQ(0, memcmp(p, "gup", 4));
	close(mem);
	close(fd);
}

/*
 * O_DIRECT on a block device pins the user buffer (bio_iov_iter_get_pages)
 * and the driver copies into or out of the pinned pages. A RAM disk
 * stands in for a disk. Same round trip on a memfd: "works as on shmem".
 */
#define DIO_DEV		"/dev/ram0"
#define DIO_PAGES	8

/* Disk -> mapping (holes, so GUP faults pages in) -> disk -> memory. */
static void o_direct_round_trip(int dio, char *map_at, char *mem)
{
	size_t len = DIO_PAGES * psz, i;

	for (i = 0; i < len; i++)
		mem[i] = (char)(i * 7 + i / psz);
	ASSERT_EQ(len, pwrite(dio, mem, len, 0));
	ASSERT_EQ(len, pread(dio, map_at, len, 0));
	ASSERT_EQ(0, memcmp(map_at, mem, len));
	/* Out of the mapping: pages just filled, then holes (zero page). */
	ASSERT_EQ(len, pwrite(dio, map_at, len, len));
	ASSERT_EQ(len, pwrite(dio, map_at + len, len, 2 * len));
	memset(mem, 0xee, len);
	ASSERT_EQ(len, pread(dio, mem, len, len));
	ASSERT_EQ(0, memcmp(map_at, mem, len));
	ASSERT_EQ(len, pread(dio, mem, len, 2 * len));
	ASSERT_TRUE(all_zero(mem, len));
}

KTAP_CASE_FN(o_direct_into_and_out_of_mapping_works_as_on_shmem)
{
	int fd = file_new(2 * DIO_PAGES), mfd, dio;
	char *p = map(fd, 2 * DIO_PAGES, MAP_SHARED, 0), *m, *mem;
	long long fresh0, freed0;

	dio = open(DIO_DEV, O_RDWR | O_DIRECT);
	if (dio < 0 && errno == ENOENT && access("/sys/module/brd", F_OK) &&
	    access("/mmscope/kmod/brd.ko", F_OK))
		SKIP("this kernel has no RAM disk (brd)");
	ASSERT_OK(dio);
	mem = mmap(NULL, DIO_PAGES * psz, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(mem != MAP_FAILED);

	mfd = memfd_new("dio", 2 * DIO_PAGES);
	m = map(mfd, 2 * DIO_PAGES, MAP_SHARED, 0);
	o_direct_round_trip(dio, m, mem);

	settle_parked();
	fresh0 = ctr("fresh_pages");
	freed0 = ctr("freed");
	o_direct_round_trip(dio, p, mem);
	/* GUP wrote the first half (allocated), only read the holes. */
	ASSERT_EQ(DIO_PAGES, info(fd).pages);
	ASSERT_EQ(fresh0 + DIO_PAGES, ctr("fresh_pages"));
	ASSERT_EQ(0, memcmp(p, m, 2 * DIO_PAGES * psz));
	/* The I/O is over, its pins are gone: every page goes straight back. */
	ASSERT_OK(munmap(p, 2 * DIO_PAGES * psz));
	close(fd);
	ASSERT_EQ(0, ctr("parked_now"));
	ASSERT_EQ(freed0 + DIO_PAGES, ctr("freed"));

	munmap(m, 2 * DIO_PAGES * psz);
	munmap(mem, DIO_PAGES * psz);
	close(mfd);
	close(dio);
}

KTAP_CASE_FN(process_shared_futex_works)
{
	int fd = file_new(1), status, i;
	uint32_t *w = (uint32_t *)map(fd, 1, MAP_SHARED, 0);
	long woken = 0;
	pid_t pid;

	pid = fork();
	ASSERT_OK(pid);
	if (!pid) {
		struct timespec ts = { 30, 0 };
		long r = syscall(SYS_futex, w, FUTEX_WAIT, 0, &ts, NULL, 0);

		_exit(r == 0 ? 0 : 10 + errno);
	}
	/* Wake until the child is found waiting (or it failed and exited). */
	for (i = 0; i < 20000 && !woken; i++) {
		woken = syscall(SYS_futex, w, FUTEX_WAKE, 1, NULL, NULL, 0);
		ASSERT_GE(woken, 0);
		if (!woken && waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(1000);
	}
	ASSERT_EQ(1, woken);
	ASSERT_OK(waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	close(fd);
}

KTAP_CASE_FN(page_held_by_pipe_is_parked_until_released)
{
	int fd = file_new(2), pfd[2];
	char *p = map(fd, 2, MAP_SHARED, 0), buf[4];
	long long parked0, unparked0, freed0;
	struct iovec iov;

	settle_parked();
	parked0 = ctr("parked");
	unparked0 = ctr("unparked");
	freed0 = ctr("freed");
	memcpy(p, "kept", 4);
	p[psz] = 1;
	ASSERT_OK(pipe(pfd));
	iov.iov_base = p;
	iov.iov_len = 4;
	ASSERT_EQ(4, vmsplice(pfd[1], &iov, 1, 0));
	ASSERT_OK(munmap(p, 2 * psz));
	close(fd);			/* the file is gone, the pipe holds a page */
	ASSERT_EQ(parked0 + 1, ctr("parked"));
	ASSERT_EQ(1, ctr("parked_now"));
	ASSERT_EQ(freed0 + 1, ctr("freed"));
	/* While a page is parked the module cannot go. */
	ASSERT_ERRNO(EWOULDBLOCK, mms_module_unload());
	write_str(FAULT_DIR "retry_parked", "1");
	ASSERT_EQ(1, ctr("parked_now"));
	/* The page was neither freed nor reused: its data is intact. */
	ASSERT_EQ(4, read(pfd[0], buf, 4));
	ASSERT_EQ(0, memcmp(buf, "kept", 4));
	close(pfd[0]);
	close(pfd[1]);
	write_str(FAULT_DIR "retry_parked", "1");
	ASSERT_EQ(0, ctr("parked_now"));
	ASSERT_EQ(unparked0 + 1, ctr("unparked"));
	ASSERT_EQ(freed0 + 2, ctr("freed"));
}

/* ---- module lifetime ------------------------------------------------------ */

KTAP_CASE_FN(rmmod_refused_while_mapped_clean_after)
{
	char params[128];
	long long bootmem = read_num("/sys/module/mmscope/parameters/bootmem_pages");
	long long buddy = read_num("/sys/module/mmscope/parameters/buddy_max_mb");
	long long fresh0, freed0;
	int fd = file_new(16);
	char *p = map(fd, 16, MAP_SHARED, 0);

	settle_parked();
	fresh0 = ctr("fresh_pages");
	freed0 = ctr("freed");
	touch_write(p, 16, 1);
	close(fd);			/* the mapping still holds the file */
	ASSERT_ERRNO(EWOULDBLOCK, mms_module_unload());
	ASSERT_GE(read_num("/sys/module/mmscope/refcnt"), 1);
	ASSERT_EQ(1, ctr("files"));
	ASSERT_OK(munmap(p, 16 * psz));
	/* Every page went back before the module may go. */
	ASSERT_EQ(0, ctr("files"));
	ASSERT_EQ(0, ctr("file_pages"));
	ASSERT_EQ(0, ctr("parked_now"));
	ASSERT_EQ(ctr("fresh_pages") - fresh0, ctr("freed") - freed0);
	ASSERT_OK(mms_module_unload());
	ASSERT_ERRNO(ENOENT, access("/sys/module/mmscope", F_OK));
	snprintf(params, sizeof(params), "bootmem_pages=%lld buddy_max_mb=%lld",
		 bootmem, buddy);
	ASSERT_OK(mms_module_load(params));
	ASSERT_OK(access(MMSCOPE_DEVICE_PATH, F_OK));
	ASSERT_EQ(0, ctr("fresh_pages"));
}

/* ---- page-table walk ------------------------------------------------------ */

KTAP_CASE_FN(pagewalk_refuses_kernel_addresses_reports_holes)
{
	int fd = file_new(0);
	struct mmscope_pagewalk pw = { .addr = 0xffffffff81000000ULL };
	char *p = mmap(NULL, psz, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_PAGEWALK, &pw));
	ASSERT_OK(munmap(p, psz));
	pw = walk(fd, p);
	ASSERT_EQ(MMSCOPE_VMA_NONE, pw.vma_kind);
	ASSERT_EQ(MMSCOPE_PW_NO_LEAF, pw.leaf);
	ASSERT_EQ(0, pw.result);
	ASSERT_TRUE(pw.levels == 4 || pw.levels == 5);
	ASSERT_EQ(pw.levels == 4,
		  !!(pw.flags[MMSCOPE_PW_P4D] & MMSCOPE_PW_FOLDED));
	close(fd);
}

KTAP_CASE_FN(pagewalk_anon_4k_page_matches_pagemap)
{
	int fd = file_new(0);
	char *p = mmap(NULL, 4 * psz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct mmscope_pagewalk pw;
	int l;

	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(madvise(p, 4 * psz, MADV_NOHUGEPAGE));
	(void)*(volatile char *)p;
	pw = walk(fd, p);
	ASSERT_EQ(MMSCOPE_VMA_ANON, pw.vma_kind);
	ASSERT_TRUE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
	p[0] = 1;
	pw = walk(fd, p + 5);
	ASSERT_EQ(MMSCOPE_PW_PTE, pw.leaf);
	ASSERT_EQ(psz, pw.page_size);
	ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
	ASSERT_EQ(PM_PFN(pagemap(p)), pw.pfn);
	for (l = MMSCOPE_PW_PGD; l <= MMSCOPE_PW_PTE; l++) {
		ASSERT_TRUE(pw.flags[l] & MMSCOPE_PW_PRESENT);
		ASSERT_TRUE(pw.flags[l] & MMSCOPE_PW_USER);
		ASSERT_NE(0, pw.entry[l]);
	}
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_WRITE);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_DIRTY);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_ACCESSED);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PTE] & MMSCOPE_PW_NX);
	ASSERT_EQ(pw.pfn, (pw.entry[MMSCOPE_PW_PTE] & 0x000ffffffffff000ULL) >> 12);
	close(fd);
}

static char *map_pmd_aligned(size_t len, int flags)
{
	char *p = mmap(NULL, 2 * len, PROT_READ | PROT_WRITE, flags, -1, 0);
	char *a;

	ASSERT_TRUE(p != MAP_FAILED);
	a = (char *)(((uintptr_t)p + len - 1) & ~(uintptr_t)(len - 1));
	return a;
}

KTAP_CASE_FN(pagewalk_reports_thp_and_huge_zero_page)
{
	int fd = file_new(0);
	size_t pmd = 2UL << 20;
	char *a = map_pmd_aligned(pmd, MAP_PRIVATE | MAP_ANONYMOUS);
	char *b = map_pmd_aligned(pmd, MAP_PRIVATE | MAP_ANONYMOUS);
	struct mmscope_pagewalk pw;
	char mode[64] = "";
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");

	if (f) {
		if (!fgets(mode, sizeof(mode), f))
			mode[0] = 0;
		fclose(f);
	}
	if (!strstr(mode, "[always]") && !strstr(mode, "[madvise]"))
		SKIP("THP is off (%s)", mode);
	ASSERT_OK(madvise(a, pmd, MADV_HUGEPAGE));
	ASSERT_OK(madvise(b, pmd, MADV_HUGEPAGE));
	a[4096 + 7] = 1;
	pw = walk(fd, a + 4096 + 7);
	if (pw.leaf != MMSCOPE_PW_PMD)
		SKIP("no THP available (leaf %u)", pw.leaf);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PMD] & MMSCOPE_PW_HUGE);
	ASSERT_EQ(pmd, pw.page_size);
	ASSERT_EQ(PM_PFN(pagemap(a + 4096)), pw.pfn);
	ASSERT_FALSE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);

	(void)*(volatile char *)b;
	pw = walk(fd, b);
	if (read_num("/sys/kernel/mm/transparent_hugepage/use_zero_page") == 1) {
		ASSERT_EQ(MMSCOPE_PW_PMD, pw.leaf);
		ASSERT_TRUE(pw.result & MMSCOPE_PW_R_ZERO_PAGE);
		ASSERT_FALSE(pw.flags[MMSCOPE_PW_PMD] & MMSCOPE_PW_WRITE);
		ASSERT_TRUE(kpageflags(PM_PFN(pagemap(b))) & (1ULL << KPF_ZERO_PAGE));
	}
	close(fd);
}

KTAP_CASE_FN(pagewalk_reports_hugetlb_pmd)
{
	int fd = file_new(0);
	long long old = read_num("/proc/sys/vm/nr_hugepages");
	struct mmscope_pagewalk pw;
	char buf[32];
	char *p;

	write_str("/proc/sys/vm/nr_hugepages", "1");
	p = mmap(NULL, 2UL << 20, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (p == MAP_FAILED) {
		snprintf(buf, sizeof(buf), "%lld", old);
		write_str("/proc/sys/vm/nr_hugepages", buf);
		SKIP("no huge page: %s", strerror(errno));
	}
	p[100] = 1;
	pw = walk(fd, p + 100);
	ASSERT_EQ(MMSCOPE_VMA_HUGETLB, pw.vma_kind);
	ASSERT_EQ(MMSCOPE_PW_PMD, pw.leaf);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PMD] & MMSCOPE_PW_HUGE);
	ASSERT_TRUE(pw.flags[MMSCOPE_PW_PMD] & MMSCOPE_PW_DIRTY);
	ASSERT_EQ(PM_PFN(pagemap(p)), pw.pfn);
	munmap(p, 2UL << 20);
	snprintf(buf, sizeof(buf), "%lld", old);
	write_str("/proc/sys/vm/nr_hugepages", buf);
	close(fd);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(unprivileged_open_refused),
	KTAP_CASE(set_size_validates_and_info_reports),
	KTAP_CASE(read_faults_map_zero_page_and_allocate_nothing),
	KTAP_CASE(write_faults_map_fresh_zeroed_pages),
	KTAP_CASE(recycled_pages_are_cleared_before_reuse),
	KTAP_CASE(shared_read_then_write_costs_three_faults),
	KTAP_CASE(private_read_then_write_costs_two_faults_kernel_copies),
	KTAP_CASE(private_write_to_hole_allocates_no_file_page),
	KTAP_CASE(zero_page_never_becomes_writable),
	KTAP_CASE(shared_mappings_of_one_file_share_pages),
	KTAP_CASE(shared_mapping_seen_by_forked_child_both_ways),
	KTAP_CASE(shared_mapping_in_process_given_the_fd),
	KTAP_CASE(private_mapping_isolated_after_fork_both_ways),
	KTAP_CASE(private_and_shared_semantics_match_memfd),
	KTAP_CASE(sigbus_past_end_of_file),
	KTAP_CASE(shrinking_unmaps_and_frees_pages_past_the_end),
	KTAP_CASE(madvise_dontneed_shared_keeps_data_private_rereads_file),
	KTAP_CASE(madvise_populate_works_remove_is_refused),
	KTAP_CASE(partial_munmap_keeps_the_rest),
	KTAP_CASE(mremap_grow_shrink_move_keep_pages),
	KTAP_CASE(mprotect_and_msync_behave_as_on_shmem),
	KTAP_CASE(mlock_counts_and_releases_pages),
	KTAP_CASE(concurrent_faults_and_truncation_stay_consistent),
	KTAP_CASE(gup_process_vm_readv_and_proc_mem_work),
	KTAP_CASE(o_direct_into_and_out_of_mapping_works_as_on_shmem),
	KTAP_CASE(process_shared_futex_works),
	KTAP_CASE(page_held_by_pipe_is_parked_until_released),
	KTAP_CASE(rmmod_refused_while_mapped_clean_after),
	KTAP_CASE(pagewalk_refuses_kernel_addresses_reports_holes),
	KTAP_CASE(pagewalk_anon_4k_page_matches_pagemap),
	KTAP_CASE(pagewalk_reports_thp_and_huge_zero_page),
	KTAP_CASE(pagewalk_reports_hugetlb_pmd),
};

KTAP_MAIN("fault", cases)
