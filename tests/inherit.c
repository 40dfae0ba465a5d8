// SPDX-License-Identifier: GPL-2.0
/*
 * Inheritance: every task created after registration (fork, vfork, clone,
 * threads, grandchildren) carries the restriction, it survives execve, and
 * it never reaches tasks that existed before or sit above the caller.
 *
 * The policy is "READ only", so a NOP on a new ring tells restricted
 * (-EACCES) from unrestricted (0).
 */
#include <pthread.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"

static void restrict_read_only(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

/* What a restricted descendant checks about itself. */
static void expect_restricted_self(void)
{
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
}

RF_HELPER(check_restricted)
{
	(void)argc;
	(void)argv;
	expect_restricted_self();
	return rf_status();
}

RF_HELPER(check_unrestricted)
{
	(void)argc;
	(void)argv;
	EXPECT_RES(rf_new_ring_nop(), 0);
	return rf_status();
}

TEST(fork_child_restricted)
{
	pid_t pid;

	restrict_read_only();
	pid = rf_fork();
	if (pid == 0) {
		expect_restricted_self();
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "forked child");
}

TEST(vfork_child_restricted)
{
	pid_t pid;

	restrict_read_only();
	pid = vfork();
	if (pid == 0) {
		/* A vfork child may only exec or exit. */
		rf_exec_helper("check_restricted", (char *)NULL);
		_exit(127);
	}
	ASSERT_TRUE(pid > 0);
	EXPECT_CHILD_OK(pid, "vforked child");
}

TEST(clone_sigchld_child_restricted)
{
	long pid;

	restrict_read_only();
	pid = syscall(SYS_clone, SIGCHLD, NULL, NULL, NULL, NULL);
	if (pid == 0) {
		expect_restricted_self();
		rf_exit();
	}
	ASSERT_TRUE(pid > 0);
	EXPECT_CHILD_OK((pid_t)pid, "clone(SIGCHLD) child");
}

static int clone_vm_child(void *arg)
{
	int *res = arg;

	/* Shares our memory: report through it and touch nothing else. */
	res[0] = rf_new_ring_nop();
	res[1] = RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP));
	return 0;
}

TEST(clone_vm_vfork_child_restricted)
{
	size_t stack_len = 256 * 1024;
	char *stack = malloc(stack_len);
	int res[2] = { 1, 1 };
	pid_t pid;

	ASSERT_TRUE(stack != NULL);
	restrict_read_only();
	pid = clone(clone_vm_child, stack + stack_len,
		    CLONE_VM | CLONE_VFORK | SIGCHLD, res);
	ASSERT_OK(pid);
	EXPECT_CHILD_OK(pid, "clone(CLONE_VM|CLONE_VFORK) child");
	EXPECT_RES(res[0], -EACCES);
	EXPECT_RES(res[1], -EPERM);
}

static void *thread_probe(void *arg)
{
	int *res = arg;

	res[0] = rf_new_ring_nop();
	return NULL;
}

TEST(thread_created_after_registration_restricted)
{
	int res[1] = { 1 };
	pthread_t t;

	restrict_read_only();
	ASSERT_EQ(pthread_create(&t, NULL, thread_probe, res), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_RES(res[0], -EACCES);
}

struct waiting_thread {
	int go[2];
	int res;
};

static void *thread_wait_then_probe(void *arg)
{
	struct waiting_thread *w = arg;
	char c;

	if (read(w->go[0], &c, 1) != 1)
		return NULL;
	w->res = rf_new_ring_nop();
	return NULL;
}

TEST(thread_created_before_registration_unrestricted)
{
	struct waiting_thread w = { .res = 1 };
	pthread_t t;

	ASSERT_OK(pipe(w.go));
	ASSERT_EQ(pthread_create(&t, NULL, thread_wait_then_probe, &w), 0);
	restrict_read_only();
	ASSERT_EQ(write(w.go[1], "x", 1), 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_RES(w.res, 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

static void *thread_register(void *arg)
{
	int *res = arg;

	res[0] = RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ));
	res[1] = rf_new_ring_nop();
	return NULL;
}

TEST(registration_in_thread_leaves_other_threads_free)
{
	int res[2] = { 1, 1 };
	pthread_t t;

	ASSERT_EQ(pthread_create(&t, NULL, thread_register, res), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_RES(res[0], 0);
	EXPECT_RES(res[1], -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

TEST(grandchild_restricted)
{
	pid_t pid;

	restrict_read_only();
	pid = rf_fork();
	if (pid == 0) {
		pid_t grandchild = rf_fork();

		if (grandchild == 0) {
			expect_restricted_self();
			rf_exit();
		}
		EXPECT_CHILD_OK(grandchild, "grandchild");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

/* A descendant registering restricts neither its parent nor its siblings. */
TEST(child_registration_leaves_parent_free)
{
	pid_t pid = rf_fork();

	if (pid == 0) {
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "restricting child");
	EXPECT_RES(rf_new_ring_nop(), 0);
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(rf_new_ring_nop(), 0);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "sibling forked later");
}

#define NR_SIBLINGS 24

TEST(many_concurrent_children_restricted)
{
	pid_t pids[NR_SIBLINGS];
	int i;

	restrict_read_only();
	for (i = 0; i < NR_SIBLINGS; i++) {
		pids[i] = rf_fork();
		if (pids[i] == 0) {
			expect_restricted_self();
			rf_exit();
		}
	}
	for (i = 0; i < NR_SIBLINGS; i++)
		EXPECT_CHILD_OK(pids[i], "one of many children");
}

/*
 * Forks faster than anything refills: each child's state comes from a pool
 * topped up in process context (module/reserve.c), and where nothing else
 * may be allocated (PREEMPT_RT) a fork, or a child's ring setup, fails with
 * ENOMEM when the pool is dry. Either way every child that exists is
 * restricted and no ring of theirs runs unrestricted. Reports how many
 * forks and ring setups were refused.
 */
#define NR_STORM 400

TEST_TIMEOUT(fork_storm_children_all_restricted, 120)
{
	static pid_t pids[NR_STORM];
	unsigned int i, refused = 0, forked = 0, rings_refused = 0;
	int status, go[2];
	pid_t pid;
	char c;

	/*
	 * The children block on a pipe until the parent closes its end:
	 * polling would starve the parent's forks on a slow (TCG) machine.
	 */
	if (pipe2(go, O_CLOEXEC))
		FAIL("pipe2: %s", rf_errname(errno));
	restrict_read_only();
	/* All forked before any is reaped: nothing waits for a refill. */
	for (i = 0; i < NR_STORM; i++) {
		pid = fork();
		if (pid < 0) {
			if (errno != ENOMEM)
				FAIL("fork: %s", rf_errname(errno));
			refused++;
			continue;
		}
		if (pid == 0) {
			/* Until the parent is done forking, so all live at once. */
			close(go[1]);
			while (read(go[0], &c, 1) < 0 && errno == EINTR)
				;
			switch (rf_new_ring_nop()) {
			case -EACCES:
				_exit(0);
			case -ENOMEM:
				_exit(2);	/* the ring setup refused: fail closed */
			default:
				_exit(1);
			}
		}
		pids[forked++] = pid;
	}
	close(go[1]);
	close(go[0]);
	for (i = 0; i < forked; i++) {
		if (waitpid(pids[i], &status, 0) != pids[i] || !WIFEXITED(status)) {
			FAIL("child %u of the storm did not exit", i);
			continue;
		}
		if (WEXITSTATUS(status) == 2)
			rings_refused++;
		else if (WEXITSTATUS(status))
			FAIL("child %u of the storm ran a NOP or failed otherwise", i);
	}
	rf_note("%u forks, %u refused with ENOMEM; %u ring setups refused with ENOMEM",
		forked, refused, rings_refused);
	EXPECT_TRUE(forked > 0);
}

/*
 * Restricted tasks come and go; tasks created afterwards by an unrestricted
 * parent (possibly in recycled task memory) must be free.
 */
TEST(children_after_restricted_ones_exit_are_free)
{
	int i;

	for (i = 0; i < NR_SIBLINGS; i++) {
		pid_t restricted = rf_fork(), free_child;

		if (restricted == 0) {
			EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
			rf_exit();
		}
		EXPECT_CHILD_OK(restricted, "restricting child");
		free_child = rf_fork();
		if (free_child == 0) {
			EXPECT_RES(rf_new_ring_nop(), 0);
			EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
			rf_exit();
		}
		EXPECT_CHILD_OK(free_child, "child forked afterwards");
	}
}

TEST(execve_keeps_restriction)
{
	pid_t pid;

	restrict_read_only();
	pid = rf_fork();
	if (pid == 0) {
		rf_exec_helper("check_restricted", (char *)NULL);
		FAIL("exec of /proc/self/exe failed");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "re-executed child");
}

/* Before 7.2, a task that had used io_uring lost its restriction on exec. */
TEST(execve_after_io_uring_use_keeps_restriction)
{
	struct rf_ring r;

	restrict_read_only();
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	ASSERT_RES(rf_ring_nop(&r), -EACCES);
	rf_exec_helper("check_restricted", (char *)NULL);
	FAIL("exec of /proc/self/exe failed");
}

TEST(execve_of_unrestricted_task_stays_unrestricted)
{
	pid_t pid = rf_fork();

	if (pid == 0) {
		rf_exec_helper("check_unrestricted", (char *)NULL);
		FAIL("exec of /proc/self/exe failed");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "re-executed child");
}
