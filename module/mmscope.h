/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mmscope internals shared by the files of mmscope.ko.
 *
 * Each mechanism (bootmem, buddy, the device file, ...) lives in its own
 * file and describes itself with a struct mms_mechanism; main.c brings
 * them up in table order and tears them down in reverse.
 */
#ifndef _MMSCOPE_H
#define _MMSCOPE_H

#include <linux/types.h>
#include <linux/compiler.h>

struct dentry;
struct file;

#define MMSCOPE_VERSION	"0.1"

/**
 * struct mms_mechanism - one mechanism of mmscope
 * @name: also the name of its debugfs directory under mmscope/
 * @feature: MMSCOPE_FEAT_* bit reported by MMSCOPE_IOC_INFO
 * @init: set up; @dir is the mechanism's debugfs directory. Returns 0 or
 *	a negative errno. Runs before the device is registered.
 * @exit: undo @init; runs after the device is gone.
 * @ioc_base: first _IOC_NR of the command block served by @ioctl
 * @ioctl: handle a command of the block; -ENOTTY for unknown ones
 */
struct mms_mechanism {
	const char *name;
	u64 feature;
	int (*init)(struct dentry *dir);
	void (*exit)(void);
	unsigned int ioc_base;
	long (*ioctl)(struct file *file, unsigned int cmd, void __user *arg);
};

/* Module parameters, validated once in main.c. */
extern unsigned int mms_bootmem_pages;
extern unsigned int mms_buddy_max_mb;

/* dev.c */
int mms_dev_register(const struct mms_mechanism *const *mechs, size_t nr);
void mms_dev_unregister(void);
bool mms_user_writable(void __user *arg, size_t size);
u64 mms_dev_refused_count(void);

/* debugfs.c */
struct dentry *mms_debugfs_init(void);
void mms_debugfs_exit(void);

#endif /* _MMSCOPE_H */
