// SPDX-License-Identifier: GPL-2.0
/*
 * Host check of the test framework itself: runs selftest_sample (a program
 * with known outcomes) and checks its TAP output and exit status, so that a
 * broken runner cannot turn failing conformance tests into passes.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rftest.h"

static char out[16384];
static int exit_status;

static void run_sample(const char *args)
{
	char self[PATH_MAX], cmd[PATH_MAX + 128];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	size_t len = 0;
	FILE *p;
	int st;

	ASSERT_TRUE(n > 0);
	self[n] = '\0';
	snprintf(cmd, sizeof(cmd), "%s/selftest_sample %s", dirname(self), args);
	p = popen(cmd, "r");
	ASSERT_TRUE(p != NULL);
	while (len < sizeof(out) - 1 && !feof(p))
		len += fread(out + len, 1, sizeof(out) - 1 - len, p);
	out[len] = '\0';
	st = pclose(p);
	ASSERT_TRUE(WIFEXITED(st));
	exit_status = WEXITSTATUS(st);
}

static bool has_line(const char *line)
{
	size_t n = strlen(line);
	const char *p = out;

	while ((p = strstr(p, line))) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n' || !p[n]))
			return true;
		p++;
	}
	return false;
}

/* @first must be on a line of its own before the line @second. */
static bool line_before(const char *first, const char *second)
{
	const char *a = strstr(out, first), *b = strstr(out, second);

	return a && b && a < b;
}

#define EXPECT_LINE(l) do { if (!has_line(l)) FAIL("no line \"%s\" in:\n%s", l, out); } while (0)

TEST(reports_every_outcome)
{
	run_sample("");
	EXPECT_TRUE(!strncmp(out, "1..9\n", 5));
	EXPECT_LINE("ok 1 - passes");
	EXPECT_LINE("not ok 2 - fails_expect_res");
	EXPECT_LINE("not ok 3 - fails_errno");
	EXPECT_LINE("not ok 4 - fails_assert_and_stops");
	EXPECT_LINE("ok 5 - skips # SKIP no reason at all");
	EXPECT_LINE("not ok 6 - times_out");
	EXPECT_LINE("not ok 7 - crashes");
	EXPECT_LINE("not ok 8 - child_failure_fails_test");
	EXPECT_LINE("ok 9 - helper_runs_with_args");
	EXPECT_NE(exit_status, 0);
}

TEST(diagnostics_name_errnos_before_not_ok)
{
	run_sample("");
	EXPECT_TRUE(line_before("selftest_sample.c:22: -EPERM (got -EPERM, expected -EACCES)",
				"not ok 2 - fails_expect_res"));
	EXPECT_TRUE(line_before("close(-1) (got errno EBADF, expected EPERM)",
				"not ok 3 - fails_errno"));
	EXPECT_TRUE(line_before("times_out: timed out after 1 s", "not ok 6"));
	EXPECT_TRUE(line_before("crashes: ended by signal SEGV", "not ok 7"));
	EXPECT_TRUE(strstr(out, "reached code after a failed ASSERT") == NULL);
}

TEST(exit_status_zero_when_all_pass)
{
	run_sample("passes skips helper_runs_with_args");
	EXPECT_TRUE(!strncmp(out, "1..3\n", 5));
	EXPECT_LINE("ok 2 - skips # SKIP no reason at all");
	EXPECT_EQ(exit_status, 0);
}
