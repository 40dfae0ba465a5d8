// SPDX-License-Identifier: GPL-2.0
/*
 * Many fork/exit and ring create/destroy cycles under a restricted task with
 * stacked filters: the restriction holds in every generation, and once the
 * tasks and rings are gone the module holds nothing for them.
 *
 * Each live task or ring entry pins the ringfence module, so its reference
 * count returning to where it was shows that every entry was freed; the
 * filter tables and policies those entries shared are plain allocations,
 * which kmemleak checks in `make check-debug`. RINGFENCE_CYCLES (the guest's
 * rf.cycles=) sets the number of forks, rings being a quarter of it, for
 * soak runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

/* Enough to churn every cache the module uses; KASAN kernels run 10x slower. */
#define DEFAULT_CYCLES	5000
#define DEBUG_CYCLES	1000
/* Every this many forks, the new child proves it is still restricted. */
#define PROBE_EVERY	1000
/* Tasks are freed an RCU grace period after they are reaped. */
#define SETTLE_SECONDS	10

static long cycles(void)
{
	const char *s = getenv("RINGFENCE_CYCLES");
	long n = s ? strtol(s, NULL, 10) : 0;

	if (n > 0)
		return n;
	return strstr(rf_kernel(), "debug") ? DEBUG_CYCLES : DEFAULT_CYCLES;
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/ringfence/refcnt", "r");
	long n = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &n) != 1)
		n = -1;
	fclose(f);
	return n;
}

/* Waits for the module's references to drop to @limit; returns the last count. */
static long settle_refcnt(long limit)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	time_t end = time(NULL) + SETTLE_SECONDS;
	long n;

	do {
		n = module_refcnt();
		if (n <= limit)
			break;
		nanosleep(&pause, NULL);
	} while (time(NULL) < end);
	return n;
}

/* Three filters that allow NOP under one that denies it. */
static void restrict_self(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_sqe_op(IORING_OP_READ)), 0);
	for (int i = 0; i < 3; i++)
		ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
}

/* Runs in the restricted task; returns the number of failed cycles. */
static long churn(long forks, long rings)
{
	long bad = 0;

	for (long i = 0; i < forks; i++) {
		pid_t pid = fork();
		int status;

		if (pid < 0)
			return bad + forks - i;
		if (pid == 0)
			_exit(i % PROBE_EVERY ? 0 : rf_new_ring_nop() != -EACCES);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			bad++;
	}
	for (long i = 0; i < rings; i++) {
		struct rf_ring r;

		if (rf_ring_init(&r, 4, 0)) {
			bad++;
			continue;
		}
		if (i % PROBE_EVERY == 0 && rf_ring_nop(&r) != -EACCES)
			bad++;
		rf_ring_exit(&r);
	}
	return bad;
}

TEST_TIMEOUT(fork_and_ring_cycles_keep_policy_and_free_everything, 600)
{
	long forks = cycles(), rings = forks / 4;
	long before = -1, after;
	pid_t pid;

	if (rf_expect_module()) {
		before = module_refcnt();
		ASSERT_TRUE(before >= 0);
	}
	pid = rf_fork();
	if (pid == 0) {
		long bad;

		restrict_self();
		bad = churn(forks, rings);
		if (bad)
			FAIL("%ld of %ld fork and %ld ring cycles failed", bad,
			     forks, rings);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "restricted task cycling forks and rings");
	if (before < 0)
		return;
	after = settle_refcnt(before);
	rf_note("module references: %ld before, %ld after %ld forks and %ld rings",
		before, after, forks, rings);
	EXPECT_TRUE(after <= before);
}
