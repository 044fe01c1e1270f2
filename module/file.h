/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The device file of /dev/mmscope (file.c) and the page-table walk
 * (pagewalk.c): mechanism "fault", ioctl block MMSCOPE_IOC_FILE_BASE.
 */
#ifndef _MMSCOPE_FILE_H
#define _MMSCOPE_FILE_H

#include <linux/compiler.h>
#include <linux/types.h>

struct file;
struct inode;
struct vm_area_struct;
struct mms_mechanism;

extern const struct mms_mechanism mms_file_mechanism;

/* file_operations of /dev/mmscope that belong to the file (dev.c). */
int mms_file_open(struct inode *inode, struct file *file);
int mms_file_release(struct inode *inode, struct file *file);
int mms_file_mmap(struct file *file, struct vm_area_struct *vma);
unsigned long mms_file_get_unmapped_area(struct file *file, unsigned long addr,
					 unsigned long len, unsigned long pgoff,
					 unsigned long flags);

bool mms_file_vma(const struct vm_area_struct *vma);
void mms_file_count_refused(void);

/* pagewalk.c */
long mms_pagewalk_ioctl(void __user *arg);

#endif /* _MMSCOPE_FILE_H */
