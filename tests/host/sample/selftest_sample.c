// SPDX-License-Identifier: GPL-2.0
/*
 * Not a test of ringfence: a program with known outcomes that host/framework
 * runs to check that the framework reports passes, failures, skips,
 * timeouts and crashes the way the TAP consumers expect.
 */
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rftest.h"

TEST(passes)
{
	EXPECT_EQ(1 + 1, 2);
	EXPECT_RES(-EACCES, -EACCES);
}

TEST(fails_expect_res)
{
	EXPECT_RES(-EPERM, -EACCES);
	EXPECT_RES(0, 0);
}

TEST(fails_errno)
{
	EXPECT_ERRNO(close(-1), EPERM);
}

TEST(fails_assert_and_stops)
{
	ASSERT_EQ(3, 4);
	FAIL("reached code after a failed ASSERT");
}

TEST(skips)
{
	SKIP("no reason at all");
}

TEST_TIMEOUT(times_out, 1)
{
	pause();
}

TEST(crashes)
{
	raise(SIGSEGV);
}

TEST(child_failure_fails_test)
{
	pid_t pid = rf_fork();

	if (pid == 0) {
		EXPECT_EQ(0, 1);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

RF_HELPER(echo_args)
{
	return argc == 3 && !strcmp(argv[1], "a") && !strcmp(argv[2], "b") ? 7 : 1;
}

TEST(helper_runs_with_args)
{
	pid_t pid = rf_fork();
	int status;

	if (pid == 0) {
		rf_exec_helper("echo_args", "a", "b", (char *)NULL);
		_exit(99);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WEXITSTATUS(status), 7);
}
