// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/mmscope: the misc device through which user space drives mmscope.
 *
 * ioctl commands are dispatched by command-number block to the mechanism
 * that owns the block (see include/uapi/mmscope.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/pagemap.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/uaccess.h>

#include <uapi/mmscope.h>
#include "compat.h"
#include "file.h"
#include "mmscope.h"

static const struct mms_mechanism *const *mms_mechs;
static size_t mms_nr_mechs;
/* ioctls with a command number no mechanism knows. */
static atomic_long_t mms_dev_refused = ATOMIC_LONG_INIT(0);

static long mms_dev_refuse(unsigned int cmd, long ret, const char *why)
{
	atomic_long_inc(&mms_dev_refused);
	pr_warn_ratelimited("%s[%d]: ioctl %#x: %s\n", current->comm,
			    task_pid_nr(current), cmd, why);
	return ret;
}

static long mms_ioctl_info(void __user *arg)
{
	struct mmscope_info info = {
		.uapi_version = MMSCOPE_UAPI_VERSION,
		.page_size = PAGE_SIZE,
		.nr_page_orders = MMS_NR_PAGE_ORDERS,
	};
	size_t i;

	for (i = 0; i < mms_nr_mechs; i++)
		info.features |= mms_mechs[i]->feature;
	if (copy_to_user(arg, &info, sizeof(info)))
		return -EFAULT;
	return 0;
}

static long mms_ioctl(struct file *file, unsigned int cmd, unsigned long uarg)
{
	void __user *arg = (void __user *)uarg;
	unsigned int nr = _IOC_NR(cmd);
	size_t i;
	long ret;

	if (_IOC_TYPE(cmd) != MMSCOPE_IOC_MAGIC)
		return mms_dev_refuse(cmd, -ENOTTY, "not mmscope's");
	if (cmd == MMSCOPE_IOC_INFO)
		return mms_ioctl_info(arg);

	for (i = 0; i < mms_nr_mechs; i++) {
		const struct mms_mechanism *m = mms_mechs[i];

		if (m->ioctl && nr >= m->ioc_base &&
		    nr < m->ioc_base + MMSCOPE_IOC_BLOCK_SIZE) {
			ret = m->ioctl(file, cmd, arg);
			if (ret == -ENOTTY)
				mms_dev_refuse(cmd, ret, "unknown command");
			return ret;
		}
	}
	return mms_dev_refuse(cmd, -ENOTTY, "unknown command");
}

static int mms_open(struct inode *inode, struct file *file)
{
	/* The node is 0600 root; refuse a chmod'ed node to non-admins too. */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	/* Each open is a new in-memory file (file.c). */
	return mms_file_open(inode, file);
}

static const struct file_operations mms_fops = {
	.owner = THIS_MODULE,
	.open = mms_open,
	.release = mms_file_release,
	.unlocked_ioctl = mms_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = mms_file_mmap,
	.get_unmapped_area = mms_file_get_unmapped_area,
	/* No backing store: msync(MS_SYNC) succeeds as on shmem. */
	.fsync = noop_fsync,
	.llseek = noop_llseek,
};

static struct miscdevice mms_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "mmscope",
	.fops = &mms_fops,
	.mode = 0600,
};

/**
 * mms_user_writable() - can a command's result be written back to @arg?
 * @arg: the user argument
 * @size: its size
 *
 * A command that changes state and then writes back must not act and
 * then fail with EFAULT: its handler calls this first. The pages are
 * faulted in for writing without storing to them, so a concurrent writer
 * in the caller's process never loses an update.
 *
 * Context: process context; may fault and sleep.
 * Return: true if every page of [@arg, @arg + @size) is writable.
 */
bool mms_user_writable(void __user *arg, size_t size)
{
	if (!size)
		return true;
	return access_ok(arg, size) && !fault_in_safe_writeable(arg, size);
}

/**
 * mms_dev_refused_count() - ioctls refused for an unknown command number
 *
 * Return: the count since load.
 */
u64 mms_dev_refused_count(void)
{
	return atomic_long_read(&mms_dev_refused);
}

/**
 * mms_dev_register() - create /dev/mmscope
 * @mechs: the mechanisms, whose ioctl blocks the device dispatches to
 * @nr: number of entries in @mechs
 *
 * Context: module init, after every mechanism is ready.
 * Return: 0 or a negative errno.
 */
int mms_dev_register(const struct mms_mechanism *const *mechs, size_t nr)
{
	mms_mechs = mechs;
	mms_nr_mechs = nr;
	return misc_register(&mms_miscdev);
}

/**
 * mms_dev_unregister() - remove /dev/mmscope
 *
 * Context: module exit. No file can be open: each holds a module reference.
 */
void mms_dev_unregister(void)
{
	misc_deregister(&mms_miscdev);
}
