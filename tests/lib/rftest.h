/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A tiny kselftest-like framework. Every TEST() runs in its own forked child
 * (io_uring task restrictions are per task and irreversible, so the runner
 * must stay unrestricted) under an alarm, and the runner prints TAP.
 *
 * Assertions: EXPECT_* records a failure and carries on, ASSERT_* records it
 * and ends the current process (the test, or a helper process of the test).
 * Values that are "0 or a negated errno" (io_uring results) are printed
 * symbolically.
 */
#ifndef RFTEST_H
#define RFTEST_H

#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>

#define RF_DEFAULT_TIMEOUT	20

struct rf_test {
	const char *name;
	void (*fn)(void);
	unsigned int timeout;
	int line;
};

struct rf_helper {
	const char *name;
	int (*fn)(int argc, char **argv);
};

void rf_register_test(const struct rf_test *t);
void rf_register_helper(const struct rf_helper *h);

#define TEST_TIMEOUT(tname, secs)					\
	static void tname(void);					\
	static const struct rf_test rf_test_##tname = {			\
		#tname, tname, secs, __LINE__ };			\
	__attribute__((constructor)) static void rf_reg_##tname(void)	\
	{ rf_register_test(&rf_test_##tname); }				\
	static void tname(void)

#define TEST(tname) TEST_TIMEOUT(tname, RF_DEFAULT_TIMEOUT)

/*
 * A helper is a function the test re-executes /proc/self/exe into (see
 * rf_exec_helper()); it returns the process exit status.
 */
#define RF_HELPER(hname)						\
	static int hname(int argc, char **argv);			\
	static const struct rf_helper rf_helper_##hname = {		\
		#hname, hname };					\
	__attribute__((constructor)) static void rf_regh_##hname(void)	\
	{ rf_register_helper(&rf_helper_##hname); }			\
	static int hname(int argc, char **argv)

/* ---- reporting ---- */

__attribute__((format(printf, 1, 2)))
void rf_note(const char *fmt, ...);
__attribute__((format(printf, 3, 4), noreturn))
void rf_skip_at(const char *file, int line, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
void rf_fail_at(const char *file, int line, const char *fmt, ...);
__attribute__((noreturn)) void rf_abort(void);

#define SKIP(...)	rf_skip_at(__FILE__, __LINE__, __VA_ARGS__)
#define FAIL(...)	rf_fail_at(__FILE__, __LINE__, __VA_ARGS__)

/* Whether this process has recorded a failure. */
bool rf_failed(void);
/* Exit status for a helper process: 0 if nothing failed in it. */
int rf_status(void);
__attribute__((noreturn)) void rf_exit(void);

/* "EACCES" for 13; "errno 4095" for unknown numbers. */
const char *rf_errname(int err);
/* "0", "-EACCES", "42": a value that is >= 0 or a negated errno. */
const char *rf_resname(long long res, char *buf, size_t len);

bool rf_check_int(const char *file, int line, const char *expr,
		  long long got, long long exp, bool eq);
bool rf_check_res(const char *file, int line, const char *expr,
		  long long got, long long exp);
bool rf_check_errno(const char *file, int line, const char *expr,
		    long long ret, int err, int exp);
bool rf_check_ok(const char *file, int line, const char *expr,
		 long long ret, int err);
bool rf_check_true(const char *file, int line, const char *expr, bool v);

/* Plain integers. */
#define EXPECT_EQ(got, exp) \
	rf_check_int(__FILE__, __LINE__, #got, (long long)(got), (long long)(exp), true)
#define EXPECT_NE(got, exp) \
	rf_check_int(__FILE__, __LINE__, #got, (long long)(got), (long long)(exp), false)
#define EXPECT_TRUE(cond) \
	rf_check_true(__FILE__, __LINE__, #cond, !!(cond))
/* A value that is >= 0 or a negated errno (CQE res, raw io_uring calls). */
#define EXPECT_RES(got, exp) \
	rf_check_res(__FILE__, __LINE__, #got, (long long)(got), (long long)(exp))
/* A libc call that must fail with -1 and errno == err. */
#define EXPECT_ERRNO(call, err) ({					\
	errno = 0;							\
	long long rf_ret_ = (long long)(call);				\
	rf_check_errno(__FILE__, __LINE__, #call, rf_ret_, errno, (err)); })
/* A libc call that must not return -1. */
#define EXPECT_OK(call) ({						\
	errno = 0;							\
	long long rf_ret_ = (long long)(call);				\
	rf_check_ok(__FILE__, __LINE__, #call, rf_ret_, errno); })

#define ASSERT_EQ(got, exp)	do { if (!EXPECT_EQ(got, exp)) rf_abort(); } while (0)
#define ASSERT_NE(got, exp)	do { if (!EXPECT_NE(got, exp)) rf_abort(); } while (0)
#define ASSERT_TRUE(cond)	do { if (!EXPECT_TRUE(cond)) rf_abort(); } while (0)
#define ASSERT_RES(got, exp)	do { if (!EXPECT_RES(got, exp)) rf_abort(); } while (0)
#define ASSERT_ERRNO(call, err)	do { if (!EXPECT_ERRNO(call, err)) rf_abort(); } while (0)
#define ASSERT_OK(call)		do { if (!EXPECT_OK(call)) rf_abort(); } while (0)

/* ---- processes ---- */

/* fork() that aborts the test if it fails. */
pid_t rf_fork(void);
/*
 * Reap @pid and check that it exited with status 0; any other outcome is a
 * failure of the caller, reported with @what.
 */
bool rf_wait_ok_at(const char *file, int line, pid_t pid, const char *what);
#define EXPECT_CHILD_OK(pid, what) rf_wait_ok_at(__FILE__, __LINE__, pid, what)
/* Describe a wait status: "exit 1", "signal SIGSEGV". */
const char *rf_wstatus(int status, char *buf, size_t len);

/*
 * Replace this process with /proc/self/exe running helper @name with the
 * NULL-terminated extra arguments; returns only on failure (-errno).
 */
int rf_exec_helper(const char *name, ...) __attribute__((sentinel));

/* Environment of the VM run. */
bool rf_expect_module(void);
const char *rf_kernel(void);
/*
 * The upstream release whose behaviour this run shows where releases
 * differ, major << 8 | minor: the module's declared one (RINGFENCE_IOC_
 * VERSION) when it is loaded, else the running native kernel's.
 */
unsigned int rf_upstream(void);
#define RF_UPSTREAM_7_3	0x0703

#endif /* RFTEST_H */
