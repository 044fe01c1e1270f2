// SPDX-License-Identifier: GPL-2.0
/*
 * Host suite "shim": the user-space side of module/tests/shim_cases.h. The
 * same table runs in the debug kernel as KUnit suite mmscope_shim; a
 * stand-in in host_shim.h that drifts from the kernel fails here or there.
 */
#include "ktap.h"

#define MMS_SHIM_CTX	void *
#define MMS_SHIM_EXPECT_EQ(ctx, what, in, exp, act) do {		\
	unsigned long long __e = (exp), __a = (act);			\
	(void)(ctx);							\
	if (__e != __a) {						\
		ktap_diag("%s(%#llx): expected %llu (%#llx), got %llu (%#llx)", \
			  what, (unsigned long long)(in), __e, __e, __a, __a); \
		ktap_fail_case();					\
	}								\
} while (0)
#include "tests/shim_cases.h"

KTAP_CASE_FN(bitops_match_kernel)
{
	mms_shim_check_words(NULL);
	mms_shim_check_fls(NULL);
}

KTAP_CASE_FN(align_macros_match_kernel)
{
	mms_shim_check_align(NULL);
}

KTAP_CASE_FN(overflow_checks_match_kernel)
{
	mms_shim_check_overflow(NULL);
}

KTAP_CASE_FN(list_ops_match_kernel)
{
	mms_shim_check_list(NULL);
}

static const struct ktap_case cases[] = {
	KTAP_CASE(bitops_match_kernel),
	KTAP_CASE(align_macros_match_kernel),
	KTAP_CASE(overflow_checks_match_kernel),
	KTAP_CASE(list_ops_match_kernel),
};
KTAP_MAIN("shim", cases)
