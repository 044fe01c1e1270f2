// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs root of mmscope: /sys/kernel/debug/mmscope/.
 *
 * The root holds "version" and "ioctl_refused" (ioctls with a command
 * number no mechanism knows); every mechanism gets a directory of its own
 * (created by main.c) for its counters. Read-only files are 0444 so they
 * stay readable under lockdown; controls are 0200/0600.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>

#include <uapi/mmscope.h>
#include "mmscope.h"

static struct dentry *mms_debugfs_root;

static int version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "mmscope %s uapi %u kernel %s\n", MMSCOPE_VERSION,
		   MMSCOPE_UAPI_VERSION, init_utsname()->release);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(version);

static int ioctl_refused_get(void *data, u64 *val)
{
	*val = mms_dev_refused_count();
	return 0;
}
DEFINE_DEBUGFS_ATTRIBUTE(ioctl_refused_fops, ioctl_refused_get, NULL,
			 "%llu\n");

/**
 * mms_debugfs_init() - create /sys/kernel/debug/mmscope/ and its version file
 *
 * Context: module init.
 * Return: the root directory, or an ERR_PTR.
 */
struct dentry *mms_debugfs_init(void)
{
	struct dentry *root;

	root = debugfs_create_dir("mmscope", NULL);
	if (IS_ERR(root))
		return root;
	debugfs_create_file("version", 0444, root, NULL, &version_fops);
	debugfs_create_file_unsafe("ioctl_refused", 0444, root, NULL,
				   &ioctl_refused_fops);
	mms_debugfs_root = root;
	return root;
}

/**
 * mms_debugfs_exit() - remove the whole mmscope debugfs tree
 *
 * Context: module exit, after every mechanism has gone.
 */
void mms_debugfs_exit(void)
{
	debugfs_remove_recursive(mms_debugfs_root);
	mms_debugfs_root = NULL;
}
