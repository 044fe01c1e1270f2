// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by mmscope's user-space programs; see mmscope_user.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <uapi/mmscope.h>
#include "mmscope_user.h"

ssize_t mms_read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	if (!size) {
		errno = EINVAL;
		return -1;
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;

			close(fd);
			errno = e;
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

int mms_read_u64(const char *path, uint64_t *val)
{
	char buf[64], *end;

	if (mms_read_file(path, buf, sizeof(buf)) < 0)
		return -1;
	errno = 0;
	*val = strtoull(buf, &end, 0);
	if (errno || end == buf || (*end && *end != '\n')) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

int mms_debugfs_u64(const char *rel, uint64_t *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", MMSCOPE_DEBUGFS_PATH, rel);
	return mms_read_u64(path, val);
}

ssize_t mms_write_buf(const char *path, const void *buf, size_t len)
{
	ssize_t n;
	int fd, e;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, buf, len);
	e = errno;
	close(fd);
	errno = e;
	return n;
}

int mms_write_file(const char *path, const char *s)
{
	return mms_write_buf(path, s, strlen(s)) < 0 ? -1 : 0;
}

int mms_walk_files(const char *dir,
		   void (*fn)(const char *path, mode_t mode, void *ctx),
		   void *ctx)
{
	char path[512];
	struct dirent *e;
	struct stat st;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d)
		return -1;
	while (!ret && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st))
			ret = -1;
		else if (S_ISDIR(st.st_mode))
			ret = mms_walk_files(path, fn, ctx);
		else
			fn(path, st.st_mode & 07777, ctx);
	}
	closedir(d);
	return ret;
}

int mms_become_nobody(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		return -1;
	return 0;
}

int mms_wait_exit(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

long mms_minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return -1;
	return ru.ru_minflt;
}

int mms_module_load(const char *params)
{
	const char *path = getenv("MMSCOPE_KO") ?: MMSCOPE_KO_PATH;
	int fd, ret, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = syscall(SYS_finit_module, fd, params ?: "", 0);
	e = errno;
	close(fd);
	errno = e;
	return ret;
}

int mms_module_unload(void)
{
	return syscall(SYS_delete_module, "mmscope", O_NONBLOCK);
}

int mms_open_dev(void)
{
	return open(MMSCOPE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}
