// SPDX-License-Identifier: GPL-2.0
/*
 * Runner and assertion helpers of the test framework (see rftest.h).
 *
 * Output goes straight to fd 1 with dprintf(): nothing is buffered, so a
 * fork() never duplicates pending output and diagnostics printed by a test
 * always come before the runner's "not ok" line.
 */
#include "rftest.h"

#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <fcntl.h>
#include <linux/ringfence.h>
#include <sys/wait.h>
#include <unistd.h>

#define RF_MAX_TESTS	128
#define RF_MAX_HELPERS	32
#define RF_EXIT_SKIP	4
#define RF_SKIP_LEN	256

static const struct rf_test *tests[RF_MAX_TESTS];
static unsigned int nr_tests;
static const struct rf_helper *helpers[RF_MAX_HELPERS];
static unsigned int nr_helpers;

static bool failed;
/* Shared with the test child so that it can hand a SKIP reason back. */
static char *skip_reason;

void rf_register_test(const struct rf_test *t)
{
	if (nr_tests == RF_MAX_TESTS) {
		dprintf(2, "rftest: too many tests\n");
		exit(2);
	}
	tests[nr_tests++] = t;
}

void rf_register_helper(const struct rf_helper *h)
{
	if (nr_helpers == RF_MAX_HELPERS) {
		dprintf(2, "rftest: too many helpers\n");
		exit(2);
	}
	helpers[nr_helpers++] = h;
}

void rf_note(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dprintf(1, "# %s\n", buf);
}

static const char *basename_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

void rf_fail_at(const char *file, int line, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	dprintf(1, "# %s:%d: %s\n", basename_of(file), line, buf);
	failed = true;
}

void rf_skip_at(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	(void)file;
	(void)line;
	if (skip_reason) {
		va_start(ap, fmt);
		vsnprintf(skip_reason, RF_SKIP_LEN, fmt, ap);
		va_end(ap);
	}
	_exit(RF_EXIT_SKIP);
}

void rf_abort(void)
{
	_exit(1);
}

bool rf_failed(void)
{
	return failed;
}

int rf_status(void)
{
	return failed ? 1 : 0;
}

void rf_exit(void)
{
	_exit(rf_status());
}

const char *rf_errname(int err)
{
	static __thread char buf[32];
	const char *name = err > 0 ? strerrorname_np(err) : NULL;

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "errno %d", err);
	return buf;
}

const char *rf_resname(long long res, char *buf, size_t len)
{
	if (res < 0 && res > -4096) {
		const char *name = strerrorname_np((int)-res);

		if (name) {
			snprintf(buf, len, "-%s", name);
			return buf;
		}
	}
	snprintf(buf, len, "%lld", res);
	return buf;
}

bool rf_check_int(const char *file, int line, const char *expr,
		  long long got, long long exp, bool eq)
{
	if ((got == exp) == eq)
		return true;
	if (eq)
		rf_fail_at(file, line, "%s (got %lld, expected %lld)", expr, got, exp);
	else
		rf_fail_at(file, line, "%s (got %lld, expected anything else)",
			   expr, got);
	return false;
}

bool rf_check_res(const char *file, int line, const char *expr,
		  long long got, long long exp)
{
	char g[48], e[48];

	if (got == exp)
		return true;
	rf_fail_at(file, line, "%s (got %s, expected %s)", expr,
		   rf_resname(got, g, sizeof(g)), rf_resname(exp, e, sizeof(e)));
	return false;
}

bool rf_check_errno(const char *file, int line, const char *expr,
		    long long ret, int err, int exp)
{
	if (ret == -1 && err == exp)
		return true;
	if (ret != -1)
		rf_fail_at(file, line, "%s (got %lld, expected -1 with errno %s)",
			   expr, ret, rf_errname(exp));
	else
		rf_fail_at(file, line, "%s (got errno %s, expected %s)", expr,
			   rf_errname(err), rf_errname(exp));
	return false;
}

bool rf_check_ok(const char *file, int line, const char *expr,
		 long long ret, int err)
{
	if (ret != -1)
		return true;
	rf_fail_at(file, line, "%s (got -1 with errno %s, expected success)",
		   expr, rf_errname(err));
	return false;
}

bool rf_check_true(const char *file, int line, const char *expr, bool v)
{
	if (v)
		return true;
	rf_fail_at(file, line, "%s (got false, expected true)", expr);
	return false;
}

const char *rf_wstatus(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exit %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "signal %s",
			 sigabbrev_np(WTERMSIG(status)) ?: "?");
	else
		snprintf(buf, len, "wait status 0x%x", status);
	return buf;
}

pid_t rf_fork(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		rf_fail_at(__FILE__, __LINE__, "fork (got errno %s)",
			   rf_errname(errno));
		rf_abort();
	}
	/* The child's exit status speaks for the child alone. */
	if (pid == 0)
		failed = false;
	return pid;
}

bool rf_wait_ok_at(const char *file, int line, pid_t pid, const char *what)
{
	char buf[48];
	int status;
	pid_t r;

	do {
		r = waitpid(pid, &status, __WALL);
	} while (r < 0 && errno == EINTR);
	if (r < 0) {
		rf_fail_at(file, line, "waitpid for %s (got errno %s)", what,
			   rf_errname(errno));
		return false;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return true;
	rf_fail_at(file, line, "%s (got %s, expected exit 0)", what,
		   rf_wstatus(status, buf, sizeof(buf)));
	return false;
}

int rf_exec_helper(const char *name, ...)
{
	char *argv[16];
	unsigned int n = 0;
	va_list ap;
	char *arg;

	argv[n++] = program_invocation_name;
	argv[n++] = "--rf-helper";
	argv[n++] = (char *)name;
	va_start(ap, name);
	while ((arg = va_arg(ap, char *)) && n < 15)
		argv[n++] = arg;
	va_end(ap);
	argv[n] = NULL;
	execv("/proc/self/exe", argv);
	return -errno;
}

bool rf_expect_module(void)
{
	const char *v = getenv("RINGFENCE_EXPECT_MODULE");

	return v && !strcmp(v, "1");
}

const char *rf_kernel(void)
{
	const char *v = getenv("RINGFENCE_KERNEL");

	return v ? v : "unknown";
}

static int run_helper(int argc, char **argv)
{
	unsigned int i;

	for (i = 0; i < nr_helpers; i++)
		if (!strcmp(helpers[i]->name, argv[0]))
			return helpers[i]->fn(argc, argv);
	dprintf(2, "rftest: no helper %s\n", argv[0]);
	return 2;
}

static int by_line(const void *a, const void *b)
{
	const struct rf_test *x = *(const struct rf_test *const *)a;
	const struct rf_test *y = *(const struct rf_test *const *)b;

	return x->line - y->line;
}

static bool selected(const struct rf_test *t, int argc, char **argv)
{
	int i;

	if (argc < 2)
		return true;
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], t->name))
			return true;
	return false;
}

/* Returns true if the test passed or was skipped. */
static bool run_one(unsigned int num, const struct rf_test *t)
{
	char buf[48];
	int status;
	pid_t pid, r;

	skip_reason[0] = '\0';
	pid = fork();
	if (pid < 0) {
		dprintf(1, "# fork: %s\nnot ok %u - %s\n", rf_errname(errno),
			num, t->name);
		return false;
	}
	if (pid == 0) {
		/* Own process group, so that leftovers can be killed as one. */
		setpgid(0, 0);
		alarm(t->timeout);
		t->fn();
		rf_exit();
	}
	setpgid(pid, pid);
	do {
		r = waitpid(pid, &status, 0);
	} while (r < 0 && errno == EINTR);
	kill(-pid, SIGKILL);

	if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		dprintf(1, "ok %u - %s\n", num, t->name);
		return true;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == RF_EXIT_SKIP) {
		skip_reason[RF_SKIP_LEN - 1] = '\0';
		dprintf(1, "ok %u - %s # SKIP %s\n", num, t->name, skip_reason);
		return true;
	}
	if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM)
		dprintf(1, "# %s: timed out after %u s\n", t->name, t->timeout);
	else if (!WIFEXITED(status))
		dprintf(1, "# %s: ended by %s\n", t->name,
			rf_wstatus(status, buf, sizeof(buf)));
	dprintf(1, "not ok %u - %s\n", num, t->name);
	return false;
}

int main(int argc, char **argv)
{
	unsigned int i, num = 0, nr_sel = 0, nr_failed = 0;
	struct utsname uts;

	if (argc >= 3 && !strcmp(argv[1], "--rf-helper"))
		return run_helper(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "--list")) {
		for (i = 0; i < nr_tests; i++)
			dprintf(1, "%s\n", tests[i]->name);
		return 0;
	}

	skip_reason = mmap(NULL, RF_SKIP_LEN, PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (skip_reason == MAP_FAILED) {
		dprintf(2, "rftest: mmap: %s\n", rf_errname(errno));
		return 2;
	}
	qsort(tests, nr_tests, sizeof(tests[0]), by_line);
	for (i = 0; i < nr_tests; i++)
		nr_sel += selected(tests[i], argc, argv);

	dprintf(1, "1..%u\n", nr_sel);
	uname(&uts);
	dprintf(1, "# %s: kernel %s, RINGFENCE_KERNEL=%s, module %s\n",
		basename_of(argv[0]), uts.release, rf_kernel(),
		rf_expect_module() ? "expected" : "not expected");
	for (i = 0; i < nr_tests; i++) {
		if (!selected(tests[i], argc, argv))
			continue;
		if (!run_one(++num, tests[i]))
			nr_failed++;
	}
	if (nr_failed)
		dprintf(1, "# %u of %u failed\n", nr_failed, nr_sel);
	return nr_failed ? 1 : 0;
}

unsigned int rf_upstream(void)
{
	struct ringfence_version v;
	struct utsname u;
	unsigned int major = 0, minor = 0;
	int fd;

	if (rf_expect_module()) {
		memset(&v, 0, sizeof(v));
		fd = open(RINGFENCE_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
		if (fd >= 0 && !ioctl(fd, RINGFENCE_IOC_VERSION, &v)) {
			close(fd);
			return v.upstream ? v.upstream : 0x0702;
		}
		if (fd >= 0)
			close(fd);
		return 0;
	}
	if (uname(&u) || sscanf(u.release, "%u.%u", &major, &minor) != 2)
		return 0;
	return major << 8 | minor;
}
