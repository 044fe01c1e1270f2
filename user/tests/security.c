// SPDX-License-Identifier: GPL-2.0
/*
 * security suite: what an unprivileged user or another process can learn
 * or do through mmscope. Only root gets in; no kernel address appears in
 * debugfs or in mmscope's kernel messages; a page another process wrote
 * reaches the next user zeroed, whether it came back through a per-CPU
 * cache, the free lists or a chunk returned and taken again; sizes and
 * offsets near 2^64 are refused cleanly.
 */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

#define DBG		MMSCOPE_DEBUGFS_PATH
#define KADDR		0xffff888000000000ULL

static long psz;

#define KMSG_MARK	"security suite: kernel messages from here"

/* ---- the debugfs tree -------------------------------------------------- */

static char files[256][512];
static unsigned int nr_files;

static void collect_one(const char *path, mode_t mode, void *ctx)
{
	(void)mode;
	(void)ctx;
	if (nr_files < 256)
		snprintf(files[nr_files++], sizeof(files[0]), "%s", path);
}

static void collect(const char *dir)
{
	ASSERT_OK(mms_walk_files(dir, collect_one, NULL));
	ASSERT_LT(nr_files, 256);
}

KTAP_CASE_FN(unprivileged_user_is_refused_device_and_every_debugfs_file)
{
	unsigned int i;
	int fd;

	collect(DBG);
	ASSERT_GT(nr_files, 20);
	/* A root fd survives the drop, as for any file: the check is at open. */
	fd = mms_open_dev();
	ASSERT_OK(fd);
	ASSERT_OK(mms_become_nobody());
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEVICE_PATH, O_RDWR));
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEVICE_PATH, O_RDONLY));
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEVICE_PATH, O_WRONLY));
	for (i = 0; i < nr_files; i++) {
		errno = 0;
		if (open(files[i], O_RDONLY) != -1 || errno != EACCES) {
			ktap_diag("%s: open as nobody: errno %d", files[i], errno);
			ASSERT_TRUE(0);
		}
		errno = 0;
		if (open(files[i], O_WRONLY) != -1 || errno != EACCES) {
			ktap_diag("%s: open for write as nobody: errno %d",
				  files[i], errno);
			ASSERT_TRUE(0);
		}
	}
	ASSERT_ERRNO(EACCES, open(DBG, O_RDONLY | O_DIRECTORY));
	ktap_diag("%u debugfs files refused to nobody", nr_files);
	close(fd);
}

KTAP_CASE_FN(chmod_of_debugfs_file_does_not_let_nobody_in)
{
	pid_t pid;

	/* debugfs is mounted 0700: opening up one file is not enough. */
	ASSERT_OK(chmod(DBG "/buddy/drain", 0666));
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		if (mms_become_nobody())
			_exit(2);
		_exit(mms_write_file(DBG "/buddy/drain", "3") == -1 &&
		      errno == EACCES ? 0 : 1);
	}
	pid = mms_wait_exit(pid);
	ASSERT_OK(chmod(DBG "/buddy/drain", 0200));
	ASSERT_EQ(0, pid);
}

/* ---- no kernel addresses ---------------------------------------------- */

/*
 * The values a test itself passed in, which mmscope may echo in its
 * refusal messages: user input, not a leak.
 */
static const unsigned long long echoed[] = {
	KADDR, 0xffffffffffffffffULL, 0xfffffffffffff000ULL,
	0x8000000000000000ULL, 0xffffffffffff1000ULL,
};

static int looks_kernel(unsigned long long v)
{
	unsigned int i;

	/* The x86-64 kernel half (direct map, vmalloc, vmemmap, text). */
	if (v < 0xffff800000000000ULL || v == 0xffffffffffffffffULL)
		return 0;
	for (i = 0; i < sizeof(echoed) / sizeof(echoed[0]); i++)
		if (v == echoed[i])
			return 0;
	return 1;
}

/*
 * Every run of 12 to 16 hex digits in @text (with or without 0x) that
 * reads as a kernel-half address. Returns how many, printing them.
 */
static unsigned int scan(const char *where, const char *text)
{
	const char *p = text, *q;
	unsigned int found = 0;

	while (*p) {
		if (!isxdigit((unsigned char)*p)) {
			p++;
			continue;
		}
		for (q = p; isxdigit((unsigned char)*q); q++)
			;
		if (q - p >= 12 && q - p <= 16) {
			unsigned long long v = strtoull(p, NULL, 16);

			if (looks_kernel(v)) {
				ktap_diag("%s: '%.*s' looks like a kernel address",
					  where, (int)(q - p), p);
				found++;
			}
		}
		p = q;
	}
	return found;
}



/* The bitmap file shows map words, whatever bits they hold: compare. */
static void check_bitmap_is_the_map(const char *text)
{
	struct mmscope_bootmem_map m = { 0 };
	static uint64_t words[1024];
	const char *p = text;
	unsigned long long v;
	unsigned int w = 0;
	int fd = mms_open_dev();
	char *end;

	ASSERT_OK(fd);
	m.buf = (uintptr_t)words;
	m.nr_words = 1024;
	if (ioctl(fd, MMSCOPE_IOC_BOOTMEM_READ_MAP, &m)) {
		close(fd);
		return;	/* retired or absent: the file is empty */
	}
	close(fd);
	while (*p) {
		/* "%08lx:" leads each line, then four words. */
		strtoull(p, &end, 16);
		ASSERT_TRUE(*end == ':');
		p = end + 1;
		while (*p == ' ') {
			v = strtoull(p, &end, 16);
			ASSERT_EQ(16, end - p - 1);
			ASSERT_LT(w, m.nr_words);
			ASSERT_EQ(words[w], v);
			w++;
			p = end;
		}
		ASSERT_TRUE(*p == '\n');
		p++;
	}
	ASSERT_EQ(m.nr_words, w);
}

/* Exercise the refusal messages that print values, then scan. */
static void provoke_messages(void)
{
	struct mmscope_pagewalk pw = { .addr = KADDR };
	struct mmscope_bootmem_range r = { .addr = ~0ULL, .size = 1 };
	struct mmscope_buddy_badfree bf = {
		.kind = MMSCOPE_BUDDY_BADFREE_FOREIGN,
	};
	struct mmscope_buddy_block b = { .order = 1 };
	__u64 size = 1ULL << 63;
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	ioctl(fd, MMSCOPE_IOC_PAGEWALK, &pw);
	ioctl(fd, MMSCOPE_IOC_BOOTMEM_FREE, &r);
	ioctl(fd, MMSCOPE_IOC_BUDDY_BADFREE, &bf);
	ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size);
	ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, NULL);
	ioctl(fd, _IO(MMSCOPE_IOC_MAGIC, 0x4f), NULL);
	/* A block freed with the wrong order: the allocator names the caller. */
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &b));
	b.order = 0;
	ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &b);
	b.order = 1;
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &b));
	close(fd);
}

KTAP_CASE_FN(no_kernel_address_in_any_debugfs_file)
{
	static char buf[1 << 20];
	unsigned int i, found = 0;

	provoke_messages();
	collect(DBG);
	for (i = 0; i < nr_files; i++) {
		struct stat st;

		ASSERT_OK(stat(files[i], &st));
		if (!(st.st_mode & 0444))
			continue;
		ASSERT_OK(mms_read_file(files[i], buf, sizeof(buf)));
		if (strstr(files[i], "bootmem/bitmap")) {
			check_bitmap_is_the_map(buf);
			continue;
		}
		found += scan(files[i], buf);
	}
	ASSERT_EQ(0, found);
}

KTAP_CASE_FN(no_kernel_address_in_mmscope_kernel_messages)
{
	static char buf[1 << 20];
	char *line, *save, *from, *mark;
	unsigned int found = 0, lines = 0;
	int n;

	/*
	 * Only this suite's messages: other suites pass kernel addresses on
	 * purpose (a page walk of kernel text) and mmscope echoes them.
	 */
	ASSERT_OK(mms_write_file("/dev/kmsg", KMSG_MARK "\n"));
	provoke_messages();
	n = klogctl(3, buf, sizeof(buf) - 1);	/* SYSLOG_ACTION_READ_ALL */
	ASSERT_OK(n);
	buf[n] = '\0';
	from = buf;
	while ((mark = strstr(from, KMSG_MARK)))
		from = mark + 1;
	ASSERT_TRUE(from != buf);
	for (line = strtok_r(from, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strstr(line, "mmscope"))
			continue;
		lines++;
		found += scan("dmesg", line);
	}
	ktap_diag("%u mmscope lines in the kernel log", lines);
	ASSERT_GT(lines, 0);
	ASSERT_EQ(0, found);
}

/* ---- pages reach the next user zeroed --------------------------------- */

#define SECRET_PAGES	300
#define SECRET_ROUNDS	8

/* In a child: a fresh file of SECRET_PAGES, mapped; exits 2 on failure. */
static unsigned char *child_map(int flags)
{
	__u64 size = SECRET_PAGES * psz;
	int fd = mms_open_dev();
	unsigned char *p;

	if (fd < 0 || ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size))
		_exit(2);
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, flags, fd, 0);
	if (p == MAP_FAILED)
		_exit(2);
	return p;
}

/* In a child: write @secret over every page of a fresh file; exit frees it. */
static void write_secret(unsigned char secret)
{
	pid_t pid = fork();

	ASSERT_OK(pid);
	if (pid == 0) {
		unsigned char *p = child_map(MAP_SHARED);

		memset(p, secret, SECRET_PAGES * psz);
		_exit(0);
	}
	ASSERT_EQ(0, mms_wait_exit(pid));
}

/*
 * In another child: a fresh file; a one-byte write to each page takes a
 * page from the allocator; every other byte must be zero. Exit status:
 * 0, or 1 if any byte of a secret showed.
 */
static void read_back(int private)
{
	pid_t pid = fork();

	ASSERT_OK(pid);
	if (pid == 0) {
		unsigned char *p = child_map(private ? MAP_PRIVATE : MAP_SHARED);
		long i, j;

		for (i = 0; i < SECRET_PAGES; i++) {
			p[i * psz] = 1;
			for (j = 1; j < psz; j++)
				if (p[i * psz + j])
					_exit(1);
		}
		_exit(0);
	}
	ASSERT_EQ(0, mms_wait_exit(pid));
}

KTAP_CASE_FN(freed_pages_reach_the_next_process_zeroed)
{
	struct mmscope_buddy_stats a, b;
	struct mmscope_buddy_drain d = { .flags = MMSCOPE_BUDDY_DRAIN_PCP };
	uint64_t fresh0, fresh1;
	unsigned int r;
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_STATS, &a));
	ASSERT_OK(mms_debugfs_u64("fault/fresh_pages", &fresh0));
	for (r = 0; r < SECRET_ROUNDS; r++) {
		write_secret(0xa5 + r);
		/*
		 * Round by round: straight from the per-CPU caches, through the
		 * free lists (caches drained), and from chunks given back to
		 * the kernel and taken again.
		 */
		if (r % 3 == 1)
			ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_DRAIN, &d));
		if (r % 3 == 2) {
			d.flags = MMSCOPE_BUDDY_DRAIN_PCP | MMSCOPE_BUDDY_DRAIN_SPARE;
			ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_DRAIN, &d));
			d.flags = MMSCOPE_BUDDY_DRAIN_PCP;
		}
		read_back(r & 1);
	}
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_STATS, &b));
	ASSERT_OK(mms_debugfs_u64("fault/fresh_pages", &fresh1));
	/* The pages did go round: through caches, lists and chunks. */
	ktap_diag("fresh pages %llu, pcp hits %llu, chunks taken %llu returned %llu",
		  (unsigned long long)(fresh1 - fresh0),
		  (unsigned long long)(b.pcp_hits - a.pcp_hits),
		  (unsigned long long)(b.chunks_taken - a.chunks_taken),
		  (unsigned long long)(b.chunks_returned - a.chunks_returned));
	ASSERT_GE(fresh1 - fresh0, SECRET_ROUNDS * SECRET_PAGES * 3 / 2);
	ASSERT_GT(b.pcp_hits - a.pcp_hits, SECRET_PAGES);
	ASSERT_GT(b.pcp_drained - a.pcp_drained, 0);
	ASSERT_GT(b.chunks_returned - a.chunks_returned, 0);
	close(fd);
}

KTAP_CASE_FN(buddy_blocks_freed_and_reallocated_are_zeroed_when_mapped)
{
	/*
	 * The same recycling, with blocks of every order 0..3 held and freed
	 * through the ioctls in between, so pages also come back from split
	 * and merged blocks.
	 */
	struct mmscope_buddy_block blk[64];
	unsigned int r, i;
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	for (r = 0; r < 4; r++) {
		write_secret(0x5a + r);
		for (i = 0; i < 64; i++) {
			memset(&blk[i], 0, sizeof(blk[i]));
			blk[i].order = i % 4;
			ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_ALLOC, &blk[i]));
		}
		for (i = 0; i < 64; i++)
			ASSERT_OK(ioctl(fd, MMSCOPE_IOC_BUDDY_FREE, &blk[i]));
		read_back(0);
	}
	close(fd);
}

/* ---- size arithmetic near 2^64 ---------------------------------------- */

KTAP_CASE_FN(largest_file_size_maps_its_last_page_and_refuses_wrap)
{
	__u64 max = 0x7fffffffffffffffULL & ~(__u64)(psz - 1);
	__u64 size = max + psz;
	struct mmscope_file_info info;
	unsigned char *p;
	off_t last = (off_t)(max - psz);
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	ASSERT_ERRNO(EFBIG, ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &max));
	/* The last page: mapped, written, counted, freed by truncation. */
	p = mmap(NULL, psz, PROT_READ | PROT_WRITE, MAP_SHARED, fd, last);
	ASSERT_TRUE(p != MAP_FAILED);
	p[psz - 1] = 7;
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_INFO, &info));
	ASSERT_EQ(max, info.size);
	ASSERT_EQ(1, info.pages);
	ASSERT_OK(munmap(p, psz));
	/*
	 * Offsets the kernel cannot express as a file position (negative,
	 * pgoff + length past ULONG_MAX bytes) and lengths near 2^64.
	 */
	ASSERT_TRUE(mmap(NULL, psz, PROT_READ, MAP_SHARED, fd, (off_t)-psz) ==
		    MAP_FAILED);
	ASSERT_EQ(EOVERFLOW, errno);
	ASSERT_TRUE(mmap(NULL, (size_t)-psz, PROT_READ, MAP_SHARED, fd, 0) ==
		    MAP_FAILED);
	ASSERT_EQ(ENOMEM, errno);
	size = 0;
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_SET_SIZE, &size));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_FILE_INFO, &info));
	ASSERT_EQ(0, info.pages);
	close(fd);
}

KTAP_CASE_FN(bootmem_ranges_that_wrap_are_refused)
{
	struct mmscope_bootmem_range r = { .addr = 16 * psz };
	struct mmscope_bootmem_map m = { .first_word = ~0ULL / 64 };
	int fd = mms_open_dev();

	ASSERT_OK(fd);
	r.size = 0xffffffffffff1000ULL;	/* addr + size == 2^64 + psz */
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BOOTMEM_FREE, &r));
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BOOTMEM_RESERVE, &r));
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BOOTMEM_FREE_ALLOC, &r));
	/* first_word * 64 would wrap: refused before any arithmetic. */
	ASSERT_ERRNO(EINVAL, ioctl(fd, MMSCOPE_IOC_BOOTMEM_READ_MAP, &m));
	close(fd);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(unprivileged_user_is_refused_device_and_every_debugfs_file),
	KTAP_CASE(chmod_of_debugfs_file_does_not_let_nobody_in),
	KTAP_CASE(freed_pages_reach_the_next_process_zeroed),
	KTAP_CASE(buddy_blocks_freed_and_reallocated_are_zeroed_when_mapped),
	KTAP_CASE(largest_file_size_maps_its_last_page_and_refuses_wrap),
	KTAP_CASE(bootmem_ranges_that_wrap_are_refused),
	KTAP_CASE(no_kernel_address_in_any_debugfs_file),
	KTAP_CASE(no_kernel_address_in_mmscope_kernel_messages),
};

int main(int argc, char **argv)
{
	psz = sysconf(_SC_PAGESIZE);
	return ktap_main("security", cases, sizeof(cases) / sizeof(cases[0]),
			 argc, argv);
}
