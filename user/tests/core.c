// SPDX-License-Identifier: GPL-2.0
/*
 * core suite: the module loads and unloads cleanly, its device node and
 * debugfs tree exist with the right permissions, and only root gets in.
 * The guest runner has loaded mmscope.ko before this suite runs.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include <uapi/mmscope.h>
#include "ktap.h"
#include "mmscope_user.h"

KTAP_CASE_FN(device_node_is_root_only_char_device)
{
	struct stat st;

	ASSERT_OK(stat(MMSCOPE_DEVICE_PATH, &st));
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(0600, st.st_mode & 07777);
	ASSERT_EQ(0, st.st_uid);
	ASSERT_EQ(0, st.st_gid);
}

KTAP_CASE_FN(info_ioctl_reports_uapi_version)
{
	struct mmscope_info info;
	int fd;

	fd = open(MMSCOPE_DEVICE_PATH, O_RDWR);
	ASSERT_OK(fd);
	memset(&info, 0xa5, sizeof(info));
	ASSERT_OK(ioctl(fd, MMSCOPE_IOC_INFO, &info));
	ASSERT_EQ(MMSCOPE_UAPI_VERSION, info.uapi_version);
	ASSERT_EQ(sysconf(_SC_PAGESIZE), info.page_size);
	ASSERT_EQ(11, info.nr_page_orders);
	ASSERT_EQ(0, info.pad);
	close(fd);
}

KTAP_CASE_FN(unknown_ioctl_is_enotty)
{
	int fd = open(MMSCOPE_DEVICE_PATH, O_RDWR);

	ASSERT_OK(fd);
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IO(MMSCOPE_IOC_MAGIC, 0x0f)));
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IO('x', 0x00)));
	ASSERT_ERRNO(ENOTTY, ioctl(fd, _IO(MMSCOPE_IOC_MAGIC, 0xff)));
	close(fd);
}

KTAP_CASE_FN(info_ioctl_rejects_bad_pointer)
{
	int fd = open(MMSCOPE_DEVICE_PATH, O_RDWR);

	ASSERT_OK(fd);
	ASSERT_ERRNO(EFAULT, ioctl(fd, MMSCOPE_IOC_INFO, NULL));
	ASSERT_ERRNO(EFAULT, ioctl(fd, MMSCOPE_IOC_INFO, (void *)16));
	close(fd);
}

KTAP_CASE_FN(debugfs_version_names_module_and_kernel)
{
	char buf[256], want[128];
	struct stat st;
	struct utsname u;

	ASSERT_OK(stat(MMSCOPE_DEBUGFS_PATH "/version", &st));
	ASSERT_EQ(0444, st.st_mode & 07777);
	ASSERT_OK(mms_read_file(MMSCOPE_DEBUGFS_PATH "/version", buf, sizeof(buf)));
	ASSERT_OK(uname(&u));
	snprintf(want, sizeof(want), "uapi %u kernel %s\n",
		 MMSCOPE_UAPI_VERSION, u.release);
	if (!strstr(buf, want)) {
		ktap_diag("version file: '%s', want '...%s'", buf, want);
		ASSERT_TRUE(0);
	}
	ASSERT_EQ(0, strncmp(buf, "mmscope ", 8));
}

KTAP_CASE_FN(unprivileged_user_cannot_open_device)
{
	ASSERT_OK(mms_become_nobody());
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEVICE_PATH, O_RDWR));
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEVICE_PATH, O_RDONLY));
}

KTAP_CASE_FN(unprivileged_user_cannot_read_debugfs)
{
	ASSERT_OK(mms_become_nobody());
	/* debugfs itself is 0700 root: nothing under it is reachable. */
	ASSERT_ERRNO(EACCES, open(MMSCOPE_DEBUGFS_PATH "/version", O_RDONLY));
}

KTAP_CASE_FN(device_open_needs_cap_sys_admin_even_if_node_is_opened_up)
{
	int ret;

	/* A chmod'ed node must not let a non-admin in: open checks caps. */
	ASSERT_OK(chmod(MMSCOPE_DEVICE_PATH, 0666));
	ret = fork();
	ASSERT_OK(ret);
	if (ret == 0) {
		if (mms_become_nobody())
			_exit(2);
		_exit(open(MMSCOPE_DEVICE_PATH, O_RDWR) == -1 && errno == EPERM ? 0 : 1);
	}
	ret = mms_wait_exit(ret);
	ASSERT_OK(chmod(MMSCOPE_DEVICE_PATH, 0600));
	ASSERT_EQ(0, ret);
}

KTAP_CASE_FN(module_unloads_and_reloads_cleanly)
{
	struct stat st;

	ASSERT_OK(mms_module_unload());
	ASSERT_ERRNO(ENOENT, stat(MMSCOPE_DEVICE_PATH, &st));
	ASSERT_ERRNO(ENOENT, stat(MMSCOPE_DEBUGFS_PATH, &st));
	ASSERT_OK(mms_module_load(""));
	ASSERT_OK(stat(MMSCOPE_DEVICE_PATH, &st));
	ASSERT_OK(mms_module_unload());
	ASSERT_OK(mms_module_load(""));
	ASSERT_OK(stat(MMSCOPE_DEBUGFS_PATH "/version", &st));
}

KTAP_CASE_FN(open_device_pins_the_module)
{
	int fd = open(MMSCOPE_DEVICE_PATH, O_RDWR);

	ASSERT_OK(fd);
	ASSERT_ERRNO(EWOULDBLOCK, mms_module_unload());
	close(fd);
}

KTAP_CASE_FN(bad_module_parameters_are_refused)
{
	ASSERT_OK(mms_module_unload());
	ASSERT_ERRNO(EINVAL, mms_module_load("bootmem_pages=1"));
	ASSERT_ERRNO(EINVAL, mms_module_load("buddy_max_mb=100000"));
	ASSERT_ERRNO(EINVAL, mms_module_load("bootmem_pages=banana"));
	ASSERT_OK(mms_module_load(""));
}

static const struct ktap_case cases[] = {
	KTAP_CASE(device_node_is_root_only_char_device),
	KTAP_CASE(info_ioctl_reports_uapi_version),
	KTAP_CASE(unknown_ioctl_is_enotty),
	KTAP_CASE(info_ioctl_rejects_bad_pointer),
	KTAP_CASE(debugfs_version_names_module_and_kernel),
	KTAP_CASE(unprivileged_user_cannot_open_device),
	KTAP_CASE(unprivileged_user_cannot_read_debugfs),
	KTAP_CASE(device_open_needs_cap_sys_admin_even_if_node_is_opened_up),
	KTAP_CASE(module_unloads_and_reloads_cleanly),
	KTAP_CASE(open_device_pins_the_module),
	KTAP_CASE(bad_module_parameters_are_refused),
};

KTAP_MAIN("core", cases)
