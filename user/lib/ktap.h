/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small KTAP test harness for mmscope's test programs, in the spirit of
 * tools/testing/selftests/kselftest_harness.h but with one explicit table
 * of cases per suite:
 *
 *	KTAP_CASE_FN(read_fault_maps_zero_page)
 *	{
 *		ASSERT_EQ(0, something());
 *	}
 *
 *	static const struct ktap_case cases[] = {
 *		KTAP_CASE(read_fault_maps_zero_page),
 *	};
 *	KTAP_MAIN("fault", cases)
 *
 * Every case runs in a forked child with a timeout, so a crash, a SIGBUS or
 * a hang fails that case and not the suite. ASSERT_* prints expected and
 * actual and ends the case; EXPECT_* prints and carries on; SKIP() ends the
 * case as skipped with a reason.
 *
 * Output: "KTAP version 1", "1..N", one "ok"/"not ok" line per case, and a
 * "# <suite>: pass:P fail:F skip:S" totals line. Exit status 0 when no case
 * failed. Pass case names as arguments to run only those.
 */
#ifndef _MMSCOPE_KTAP_H
#define _MMSCOPE_KTAP_H

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

struct ktap_case {
	const char *name;
	void (*fn)(void);
	unsigned int timeout_s;		/* 0: KTAP_DEFAULT_TIMEOUT */
};

#define KTAP_DEFAULT_TIMEOUT	120

#define KTAP_CASE_FN(name)	static void name(void)
#define KTAP_CASE(name)		{ #name, name, 0 }
#define KTAP_CASE_TIMEOUT(name, s)	{ #name, name, (s) }

/* Shared with the forked child: how the case ended and why. */
struct ktap_result {
	int failed;
	int skipped;
	char reason[256];
};

static struct ktap_result *ktap_res;

#define KTAP_EXIT_PASS	0
#define KTAP_EXIT_FAIL	1
#define KTAP_EXIT_SKIP	4

static inline void ktap_diag(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static inline void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
	fflush(stdout);
}

static inline void ktap_fail_case(void)
{
	if (ktap_res)
		ktap_res->failed = 1;
}

static inline void ktap_end_case(void)
{
	fflush(stdout);
	_exit(ktap_res && ktap_res->failed ? KTAP_EXIT_FAIL : KTAP_EXIT_PASS);
}

#define SKIP(fmt, ...) do {						\
	if (ktap_res) {							\
		snprintf(ktap_res->reason, sizeof(ktap_res->reason),	\
			 fmt, ##__VA_ARGS__);				\
		ktap_res->skipped = 1;					\
	}								\
	fflush(stdout);							\
	_exit(KTAP_EXIT_SKIP);						\
} while (0)

/*
 * Comparisons go through long long (signed) or unsigned long long: both are
 * printed, in decimal and hex, with the expression text.
 */
#define __KTAP_CMP(exp, op, act, fatal) do {				\
	long long __e = (long long)(exp);				\
	long long __a = (long long)(act);				\
	if (!(__e op __a)) {						\
		ktap_diag("%s:%d: expected %s %s %s: %lld (0x%llx) vs %lld (0x%llx)", \
			  __FILE__, __LINE__, #exp, #op, #act,		\
			  __e, (unsigned long long)__e,			\
			  __a, (unsigned long long)__a);		\
		ktap_fail_case();					\
		if (fatal)						\
			ktap_end_case();				\
	}								\
} while (0)

#define ASSERT_EQ(exp, act)	__KTAP_CMP(exp, ==, act, 1)
#define ASSERT_NE(exp, act)	__KTAP_CMP(exp, !=, act, 1)
#define ASSERT_LT(exp, act)	__KTAP_CMP(exp, <, act, 1)
#define ASSERT_LE(exp, act)	__KTAP_CMP(exp, <=, act, 1)
#define ASSERT_GT(exp, act)	__KTAP_CMP(exp, >, act, 1)
#define ASSERT_GE(exp, act)	__KTAP_CMP(exp, >=, act, 1)
#define EXPECT_EQ(exp, act)	__KTAP_CMP(exp, ==, act, 0)
#define EXPECT_NE(exp, act)	__KTAP_CMP(exp, !=, act, 0)
#define EXPECT_LE(exp, act)	__KTAP_CMP(exp, <=, act, 0)
#define EXPECT_GE(exp, act)	__KTAP_CMP(exp, >=, act, 0)

#define ASSERT_TRUE(cond) do {						\
	if (!(cond)) {							\
		ktap_diag("%s:%d: expected %s to be true",		\
			  __FILE__, __LINE__, #cond);			\
		ktap_fail_case();					\
		ktap_end_case();					\
	}								\
} while (0)
#define ASSERT_FALSE(cond)	ASSERT_TRUE(!(cond))

/* A call that must fail with -1 and a given errno. */
#define ASSERT_ERRNO(expected_errno, call) do {				\
	long __r;							\
	errno = 0;							\
	__r = (long)(call);						\
	if (__r != -1 || errno != (expected_errno)) {			\
		ktap_diag("%s:%d: expected %s to fail with %s: returned %ld, errno %d (%s)", \
			  __FILE__, __LINE__, #call,			\
			  strerrorname_np(expected_errno) ?: "?", __r,	\
			  errno, strerror(errno));			\
		ktap_fail_case();					\
		ktap_end_case();					\
	}								\
} while (0)

/* A call that must succeed (return >= 0); prints errno otherwise. */
#define ASSERT_OK(call) do {						\
	long __r;							\
	errno = 0;							\
	__r = (long)(call);						\
	if (__r < 0) {							\
		ktap_diag("%s:%d: %s failed: %ld, errno %d (%s)",	\
			  __FILE__, __LINE__, #call, __r, errno,	\
			  strerror(errno));				\
		ktap_fail_case();					\
		ktap_end_case();					\
	}								\
} while (0)

static inline int ktap_selected(const struct ktap_case *c, int argc,
				char **argv)
{
	int i;

	if (argc <= 1)
		return 1;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], c->name))
			return 1;
	return 0;
}

static inline int ktap_run_one(const struct ktap_case *c, unsigned int nr)
{
	unsigned int timeout = c->timeout_s ? c->timeout_s : KTAP_DEFAULT_TIMEOUT;
	int status, verdict;
	pid_t pid;

	memset(ktap_res, 0, sizeof(*ktap_res));
	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("not ok %u %s # fork: %s\n", nr, c->name, strerror(errno));
		return KTAP_EXIT_FAIL;
	}
	if (pid == 0) {
		alarm(timeout);
		c->fn();
		ktap_end_case();
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) == KTAP_EXIT_SKIP) {
		printf("ok %u %s # SKIP %s\n", nr, c->name, ktap_res->reason);
		verdict = KTAP_EXIT_SKIP;
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
		   !ktap_res->failed) {
		printf("ok %u %s\n", nr, c->name);
		verdict = KTAP_EXIT_PASS;
	} else if (WIFSIGNALED(status)) {
		printf("not ok %u %s # killed by %s%s\n", nr, c->name,
		       strsignal(WTERMSIG(status)),
		       WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
		verdict = KTAP_EXIT_FAIL;
	} else {
		printf("not ok %u %s\n", nr, c->name);
		verdict = KTAP_EXIT_FAIL;
	}
	fflush(stdout);
	return verdict;
}

static inline int ktap_main(const char *suite, const struct ktap_case *cases,
			    unsigned int nr_cases, int argc, char **argv)
{
	unsigned int i, n = 0, pass = 0, fail = 0, skip = 0;

	ktap_res = mmap(NULL, sizeof(*ktap_res), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ktap_res == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 0; i < nr_cases; i++)
		n += ktap_selected(&cases[i], argc, argv);
	printf("KTAP version 1\n# Subtest: %s\n1..%u\n", suite, n);
	n = 0;
	for (i = 0; i < nr_cases; i++) {
		if (!ktap_selected(&cases[i], argc, argv))
			continue;
		switch (ktap_run_one(&cases[i], ++n)) {
		case KTAP_EXIT_PASS:
			pass++;
			break;
		case KTAP_EXIT_SKIP:
			skip++;
			break;
		default:
			fail++;
		}
	}
	printf("# %s: pass:%u fail:%u skip:%u\n", suite, pass, fail, skip);
	return fail ? 1 : 0;
}

#define KTAP_MAIN(suite, cases)						\
	int main(int argc, char **argv)					\
	{								\
		return ktap_main(suite, cases,				\
				 sizeof(cases) / sizeof(cases[0]),	\
				 argc, argv);				\
	}

#endif /* _MMSCOPE_KTAP_H */
