// SPDX-License-Identifier: GPL-2.0
/*
 * Task filters are inherited like task restrictions: by every task created
 * afterwards (fork, threads, grandchildren), across execve, never by tasks
 * that existed before or sit above the registering one. A descendant can
 * add filters of its own; they do not reach its parent.
 *
 * Filters and classic restrictions share the task's restriction set: a
 * task with filters can no longer register classic restrictions (-EPERM),
 * a task with classic restrictions can still add filters, and both apply.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/* NOP with each user_data 0..@n-1 on a new ring: bit i set if it ran. */
static unsigned int nop_mask(unsigned int n)
{
	unsigned int mask = 0, i;
	struct rf_ring r;

	if (rf_ring_init(&r, 8, 0) < 0) {
		FAIL("io_uring_setup failed");
		return ~0U;
	}
	for (i = 0; i < n; i++)
		if (rf_run_nop(&r, i) == 0)
			mask |= 1U << i;
	rf_ring_exit(&r);
	return mask;
}

static int deny_user_data(uint32_t v)
{
	return rf_bpf_deny_if(-1, IORING_OP_NOP, rf_match_word(0, v));
}

/*
 * A forked child (@what) adds deny_user_data(@deny), unless @deny is
 * negative, and sees nop_mask(@n) == @mask.
 */
static void child_expects_mask(int deny, unsigned int n, unsigned int mask,
			       const char *what)
{
	pid_t pid = rf_fork();

	if (pid == 0) {
		if (deny >= 0)
			ASSERT_RES(deny_user_data((uint32_t)deny), 0);
		EXPECT_EQ(nop_mask(n), mask);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, what);
}

RF_HELPER(check_filtered)
{
	(void)argc;
	(void)argv;
	/* Registered before exec: user_data 1 denied. */
	EXPECT_EQ(nop_mask(3), 0x5);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
	return rf_status();
}

TEST(fork_child_filtered)
{
	ASSERT_RES(deny_user_data(1), 0);
	child_expects_mask(-1, 3, 0x5, "forked child");
}

/* Each generation adds a filter: each sees its ancestors' and its own. */
TEST(three_generations)
{
	pid_t pid;

	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		ASSERT_RES(deny_user_data(2), 0);
		child_expects_mask(3, 5, 0x11, "grandchild");
		EXPECT_EQ(nop_mask(5), 0x19);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
	EXPECT_EQ(nop_mask(5), 0x1d);
}

/* A grandchild that registers nothing still has the grandparent's filter. */
TEST(grandchild_filtered)
{
	pid_t pid;

	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		child_expects_mask(-1, 3, 0x5, "grandchild");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

/* A parent's first filter, registered after fork, is not in the child. */
TEST(parent_first_filter_after_fork_not_in_child)
{
	int go[2];
	pid_t pid;
	char c;

	ASSERT_OK(pipe(go));
	pid = rf_fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			FAIL("parent went away");
		EXPECT_EQ(nop_mask(3), 0x7);
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
		rf_exit();
	}
	close(go[0]);
	ASSERT_RES(deny_user_data(1), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	EXPECT_CHILD_OK(pid, "child");
	EXPECT_EQ(nop_mask(3), 0x5);
}

/*
 * A parent's filter added after a fork: 7.2 marks only the child's side of
 * the shared table copy-on-write, so the parent adds to the table in place
 * and the filter reaches the child; 7.3 (50b617ba788e, "mark source as COW
 * when cloning filters") marks both sides, so it does not. Each native
 * kernel shows its own release; the module shows the one it declares.
 */
TEST(parent_filter_after_fork_reaches_child_until_7_3)
{
	bool reaches = rf_upstream() < RF_UPSTREAM_7_3;
	int go[2];
	pid_t pid;
	char c;

	ASSERT_OK(pipe(go));
	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			FAIL("parent went away");
		EXPECT_EQ(nop_mask(3), reaches ? 0x1 : 0x5);
		rf_exit();
	}
	close(go[0]);
	ASSERT_RES(deny_user_data(2), 0);
	ASSERT_EQ(write(go[1], "x", 1), 1);
	EXPECT_CHILD_OK(pid, "child");
	EXPECT_EQ(nop_mask(3), 0x1);
}

/* A child that has added a filter of its own has its own table. */
TEST(parent_filter_after_fork_not_in_child_with_own_table)
{
	int to_child[2], to_parent[2];
	pid_t pid;
	char c;

	ASSERT_OK(pipe(to_child));
	ASSERT_OK(pipe(to_parent));
	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		ASSERT_RES(deny_user_data(3), 0);
		ASSERT_EQ(write(to_parent[1], "x", 1), 1);
		if (read(to_child[0], &c, 1) != 1)
			FAIL("parent went away");
		EXPECT_EQ(nop_mask(4), 0x5);
		rf_exit();
	}
	ASSERT_EQ(read(to_parent[0], &c, 1), 1);
	ASSERT_RES(deny_user_data(2), 0);
	ASSERT_EQ(write(to_child[1], "x", 1), 1);
	EXPECT_CHILD_OK(pid, "child");
	EXPECT_EQ(nop_mask(4), 0x9);
}

/*
 * A task that inherited its table copies it on its first filter: its own
 * children, which still share the inherited table, do not get that filter.
 */
TEST(inheriting_task_filter_not_in_its_existing_child)
{
	pid_t pid;

	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		int to_gc[2], to_child[2];
		pid_t grandchild;
		char c;

		ASSERT_OK(pipe(to_gc));
		ASSERT_OK(pipe(to_child));
		grandchild = rf_fork();
		if (grandchild == 0) {
			if (read(to_gc[0], &c, 1) != 1)
				FAIL("child went away");
			EXPECT_EQ(nop_mask(3), 0x5);
			rf_exit();
		}
		ASSERT_RES(deny_user_data(2), 0);
		EXPECT_EQ(nop_mask(3), 0x1);
		ASSERT_EQ(write(to_gc[1], "x", 1), 1);
		EXPECT_CHILD_OK(grandchild, "grandchild");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
	EXPECT_EQ(nop_mask(3), 0x5);
}

/* ... nor does a child's filter reach its parent or a later sibling. */
TEST(child_filter_not_in_parent_or_sibling)
{
	ASSERT_RES(deny_user_data(1), 0);
	child_expects_mask(0, 3, 0x4, "filtering child");
	EXPECT_EQ(nop_mask(3), 0x5);
	child_expects_mask(-1, 3, 0x5, "sibling");
}

/* An unfiltered parent's child filters itself only. */
TEST(child_registration_leaves_parent_free)
{
	child_expects_mask(0, 2, 0x2, "child");
	EXPECT_EQ(nop_mask(2), 0x3);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
}

static void *thread_mask(void *arg)
{
	unsigned int *mask = arg;

	*mask = nop_mask(3);
	return NULL;
}

TEST(thread_created_after_registration_filtered)
{
	unsigned int mask = 0;
	pthread_t t;

	ASSERT_RES(deny_user_data(1), 0);
	ASSERT_EQ(pthread_create(&t, NULL, thread_mask, &mask), 0);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(mask, 0x5);
}

struct waiting_thread {
	int go[2];
	unsigned int mask;
};

static void *thread_wait_then_mask(void *arg)
{
	struct waiting_thread *w = arg;
	char c;

	if (read(w->go[0], &c, 1) != 1)
		return NULL;
	w->mask = nop_mask(3);
	return NULL;
}

TEST(thread_created_before_registration_unfiltered)
{
	struct waiting_thread w = { .mask = 0 };
	pthread_t t;

	ASSERT_OK(pipe(w.go));
	ASSERT_EQ(pthread_create(&t, NULL, thread_wait_then_mask, &w), 0);
	ASSERT_RES(deny_user_data(1), 0);
	ASSERT_EQ(write(w.go[1], "x", 1), 1);
	ASSERT_EQ(pthread_join(t, NULL), 0);
	EXPECT_EQ(w.mask, 0x7);
	EXPECT_EQ(nop_mask(3), 0x5);
}

TEST(execve_keeps_filters)
{
	pid_t pid;

	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		rf_exec_helper("check_filtered", (char *)NULL);
		FAIL("exec of /proc/self/exe failed");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "re-executed child");
}

/* Before 7.2, a task that had used io_uring lost its set on exec. */
TEST(execve_after_io_uring_use_keeps_filters)
{
	struct rf_ring r;

	ASSERT_RES(deny_user_data(1), 0);
	rf_new_ring(&r);
	ASSERT_RES(rf_run_nop(&r, 1), -EACCES);
	rf_exec_helper("check_filtered", (char *)NULL);
	FAIL("exec of /proc/self/exe failed");
}

/* ---- filters and classic restrictions ---- */

TEST(classic_after_filter_eperm)
{
	ASSERT_RES(deny_user_data(1), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
	EXPECT_RES(rf_restrict(NULL, 0), -EPERM);
	/* The failed attempts changed nothing. */
	EXPECT_EQ(nop_mask(3), 0x5);
}

TEST(classic_in_child_of_filtered_task_eperm)
{
	pid_t pid;

	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

/* Even a filter that only allows makes the task's set exist. */
TEST(classic_after_allow_all_filter_eperm)
{
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
}

TEST(filter_after_classic_both_apply)
{
	struct rf_ring r;
	char path[64];
	int fd, before;

	rf_tmp_path(path, sizeof(path), "classic");
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_sqe_op(IORING_OP_SOCKET)), 0);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.family, AF_UNIX)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM, 0);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	before = rf_count_fds();
	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_STREAM, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	/* The classic set still denies what it does not list. */
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	/* And a second classic registration is still refused. */
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_OPENAT)), -EPERM);
}

/* An allow-all filter cannot open up an opcode the classic set denies. */
TEST(filter_cannot_widen_classic_restriction)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "widen");
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_OPENAT), 0);
	rf_new_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

/* A restricted child adds a filter; the parent keeps only the classic set. */
TEST(child_of_classic_task_adds_filter)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	child_expects_mask(0, 2, 0x2, "child");
	EXPECT_EQ(nop_mask(2), 0x3);
}

/* Classic set and filters both reach a grandchild. */
TEST(classic_and_filter_inherited_together)
{
	pid_t pid;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(deny_user_data(1), 0);
	pid = rf_fork();
	if (pid == 0) {
		pid_t grandchild = rf_fork();

		if (grandchild == 0) {
			struct rf_ring r;
			char buf[1];

			EXPECT_EQ(nop_mask(3), 0x5);
			rf_new_ring(&r);
			rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, -1, buf, 1, 0);
			EXPECT_RES(rf_run1(&r), -EACCES);
			rf_exit();
		}
		EXPECT_CHILD_OK(grandchild, "grandchild");
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

#define NR_SIBLINGS 16

TEST(many_concurrent_children_filtered)
{
	pid_t pids[NR_SIBLINGS];
	int i;

	ASSERT_RES(deny_user_data(1), 0);
	for (i = 0; i < NR_SIBLINGS; i++) {
		pids[i] = rf_fork();
		if (pids[i] == 0) {
			/* Every child adds one of its own: copy on write. */
			ASSERT_RES(deny_user_data(2), 0);
			EXPECT_EQ(nop_mask(3), 0x1);
			rf_exit();
		}
	}
	for (i = 0; i < NR_SIBLINGS; i++)
		EXPECT_CHILD_OK(pids[i], "one of many children");
	EXPECT_EQ(nop_mask(3), 0x5);
}
