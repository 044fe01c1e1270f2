// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by mmscope's user-space programs; see mmscope_user.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
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

int mms_write_file(const char *path, const char *s)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = write(fd, s, len);
	if (n < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	close(fd);
	return 0;
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
