// SPDX-License-Identifier: GPL-2.0
/*
 * mmscope_kunit.ko: mmscope's KUnit suites, one file per suite in
 * module/tests/<name>_kunit.c (see docs/reliability.md). Built only against
 * kernels with CONFIG_KUNIT (the debug kernel); loading the module runs every
 * suite and prints KTAP to the kernel log.
 */
#include <linux/module.h>

MODULE_DESCRIPTION("mmscope KUnit suites");
MODULE_LICENSE("GPL");
