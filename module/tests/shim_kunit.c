// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit suite mmscope_shim: the kernel side of module/tests/shim_cases.h.
 * The same table runs on the host against user/host/host_shim.h
 * (user/host/test_shim.c); together they prove the stand-ins match.
 */
#include <kunit/test.h>

#define MMS_SHIM_CTX	struct kunit *
#define MMS_SHIM_EXPECT_EQ(t, what, in, exp, act)			\
	KUNIT_EXPECT_EQ_MSG(t, (u64)(exp), (u64)(act), "%s(%#llx)",	\
			    what, (u64)(in))
#include "shim_cases.h"

static void bitops_match_kernel(struct kunit *t)
{
	mms_shim_check_words(t);
	mms_shim_check_fls(t);
}

static void align_macros_match_kernel(struct kunit *t)
{
	mms_shim_check_align(t);
}

static void overflow_checks_match_kernel(struct kunit *t)
{
	mms_shim_check_overflow(t);
}

static void list_ops_match_kernel(struct kunit *t)
{
	mms_shim_check_list(t);
}

static struct kunit_case mms_shim_cases[] = {
	KUNIT_CASE(bitops_match_kernel),
	KUNIT_CASE(align_macros_match_kernel),
	KUNIT_CASE(overflow_checks_match_kernel),
	KUNIT_CASE(list_ops_match_kernel),
	{}
};

static struct kunit_suite mms_shim_suite = {
	.name = "mmscope_shim",
	.test_cases = mms_shim_cases,
};

kunit_test_suite(mms_shim_suite);
