// SPDX-License-Identifier: GPL-2.0
/*
 * mmscope: makes the kernel's memory-management mechanisms visible and
 * measurable. This file only wires the mechanisms together; each one lives
 * in a file named after it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "bootmem.h"
#include "buddy.h"
#include "file.h"
#include "mmscope.h"

unsigned int mms_bootmem_pages = 1024;
module_param_named(bootmem_pages, mms_bootmem_pages, uint, 0444);
MODULE_PARM_DESC(bootmem_pages,
		 "Pages in the bootmem node (64..65536, default 1024)");

unsigned int mms_buddy_max_mb = 64;
module_param_named(buddy_max_mb, mms_buddy_max_mb, uint, 0444);
MODULE_PARM_DESC(buddy_max_mb,
		 "Most memory the buddy allocator takes from the kernel, MiB (4..4096, default 64)");

/*
 * Bring-up order: a mechanism may use those above it (bootmem retires its
 * pages into the buddy allocator; the device file maps buddy pages).
 */
static const struct mms_mechanism *const mms_mechanisms[] = {
	&mms_buddy_mechanism,
	&mms_bootmem_mechanism,
	&mms_file_mechanism,
};

static int mms_check_params(void)
{
	if (mms_bootmem_pages < 64 || mms_bootmem_pages > 65536) {
		pr_err("bootmem_pages=%u out of range 64..65536\n",
		       mms_bootmem_pages);
		return -EINVAL;
	}
	if (mms_buddy_max_mb < 4 || mms_buddy_max_mb > 4096) {
		pr_err("buddy_max_mb=%u out of range 4..4096\n",
		       mms_buddy_max_mb);
		return -EINVAL;
	}
	return 0;
}

static int __init mms_init(void)
{
	struct dentry *root;
	size_t i = 0;
	int ret;

	ret = mms_check_params();
	if (ret)
		return ret;

	root = mms_debugfs_init();
	if (IS_ERR(root))
		return PTR_ERR(root);

	for (i = 0; i < ARRAY_SIZE(mms_mechanisms); i++) {
		const struct mms_mechanism *m = mms_mechanisms[i];

		ret = m->init(debugfs_create_dir(m->name, root));
		if (ret) {
			pr_err("%s: init failed: %d\n", m->name, ret);
			goto err_mechs;
		}
	}

	ret = mms_dev_register(mms_mechanisms, ARRAY_SIZE(mms_mechanisms));
	if (ret)
		goto err_mechs;
	return 0;

err_mechs:
	while (i--)
		mms_mechanisms[i]->exit();
	mms_debugfs_exit();
	return ret;
}

static void __exit mms_exit(void)
{
	size_t i = ARRAY_SIZE(mms_mechanisms);

	mms_dev_unregister();
	while (i--)
		mms_mechanisms[i]->exit();
	mms_debugfs_exit();
}

module_init(mms_init);
module_exit(mms_exit);

MODULE_DESCRIPTION("mmscope: observe and measure memory-management mechanisms");
MODULE_LICENSE("GPL");
MODULE_VERSION(MMSCOPE_VERSION);
