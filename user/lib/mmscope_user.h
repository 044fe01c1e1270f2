/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by mmscope's user-space programs (tests, benchmarks,
 * tools): module load/unload, debugfs reads, privilege drop.
 */
#ifndef _MMSCOPE_USER_H
#define _MMSCOPE_USER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/utsname.h>

/* Where the guest keeps the module; override with $MMSCOPE_KO. */
#define MMSCOPE_KO_PATH	"/mmscope/mmscope.ko"

/* Read a whole (small) file into buf, NUL-terminated. Bytes read or -1. */
ssize_t mms_read_file(const char *path, char *buf, size_t size);
/* Read a file holding one unsigned number (debugfs one-value files). */
int mms_read_u64(const char *path, uint64_t *val);
/* Read a debugfs file of mmscope: mms_debugfs_u64("buddy/nr_free", &v). */
int mms_debugfs_u64(const char *rel, uint64_t *val);
/* Write a string to a file (debugfs controls). 0 or -1 with errno. */
int mms_write_file(const char *path, const char *s);
/* One write(2) of @len bytes to a new open of @path: its result. */
ssize_t mms_write_buf(const char *path, const void *buf, size_t len);
/*
 * Call @fn for every file under @dir (not directories), depth first.
 * 0, or -1 with errno if a directory could not be read.
 */
int mms_walk_files(const char *dir,
		   void (*fn)(const char *path, mode_t mode, void *ctx),
		   void *ctx);

/* Become uid/gid 65534 (nobody) for good. 0 or -1 with errno. */
int mms_become_nobody(void);
/* Wait for a child; its exit status, or 128 + signal, or -1. */
int mms_wait_exit(pid_t pid);
/* Minor faults of this process so far (getrusage ru_minflt). */
long mms_minflt(void);

/* finit_module(MMSCOPE_KO_PATH, params). 0 or -1 with errno. */
int mms_module_load(const char *params);
/* delete_module("mmscope", O_NONBLOCK). 0 or -1 with errno. */
int mms_module_unload(void);

/* open(MMSCOPE_DEVICE_PATH, O_RDWR | O_CLOEXEC). fd or -1. */
int mms_open_dev(void);

#endif /* _MMSCOPE_USER_H */
