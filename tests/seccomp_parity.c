// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp parity: with it on, an io_uring request is judged by the
 * submitting task's seccomp filters as the system call it stands for. The
 * filters are built with libseccomp, as systemd and container runtimes
 * build theirs. Each test compares what io_uring does with what the system
 * call does under the same filter, and looks at the effect: whether the
 * socket, the file or the connection exists.
 *
 * Without parity (every kernel, native 7.x included) io_uring walks around
 * seccomp: that test is upstream behaviour. The rest need the module.
 * The system-wide switch is tested last in the run (seccomp_parity_system).
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "scmp.h"
#include "uring.h"
#include "util.h"

/* io_uring SOCKET(@domain, SOCK_STREAM): the fd, or -errno. */
static int uring_socket(struct rf_ring *r, int domain)
{
	rf_prep_socket(rf_get_sqe(r), domain, SOCK_STREAM | SOCK_CLOEXEC, 0);
	return rf_run1(r);
}

static int sys_socket(int domain)
{
	int fd = socket(domain, SOCK_STREAM | SOCK_CLOEXEC, 0);

	return fd < 0 ? -errno : fd;
}

/* The same check of a result, whatever made it: a socket is closed. */
static void expect_socket_res(int res, int exp, const char *what)
{
	if (res >= 0) {
		if (exp < 0)
			FAIL("%s created a socket, expected %s", what, rf_errname(-exp));
		close(res);
	} else if (res != exp) {
		FAIL("%s: %s, expected %s", what, rf_errname(-res),
		     exp >= 0 ? "a socket" : rf_errname(-exp));
	}
}

static int uring_open(struct rf_ring *r, const char *path, int flags)
{
	rf_prep_openat(rf_get_sqe(r), AT_FDCWD, path, flags, 0600);
	return rf_run1(r);
}

/* ---- without parity ---- */

TEST(without_parity_io_uring_walks_around_seccomp)
{
	struct rf_ring r;

	rf_new_ring(&r);
	rf_scmp_unix_sockets_only();
	/* The system call obeys the filter, io_uring does not. */
	EXPECT_RES(sys_socket(AF_INET), -EAFNOSUPPORT);
	expect_socket_res(uring_socket(&r, AF_INET), 0, "io_uring SOCKET(AF_INET)");
	rf_ring_exit(&r);
}

/* ---- per-task parity ---- */

TEST(parity_socket_family_refused_with_the_filters_errno)
{
	struct rf_ring r;
	int before;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_unix_sockets_only();
	before = rf_count_fds();
	EXPECT_RES(sys_socket(AF_INET), -EAFNOSUPPORT);
	EXPECT_RES(uring_socket(&r, AF_INET), -EAFNOSUPPORT);
	EXPECT_RES(uring_socket(&r, AF_INET6), -EAFNOSUPPORT);
	EXPECT_EQ(rf_count_fds(), before);
	/* What the filter allows still works. */
	expect_socket_res(uring_socket(&r, AF_UNIX), 0, "io_uring SOCKET(AF_UNIX)");
	rf_ring_exit(&r);
}

TEST(parity_openat_creat_refused_rdonly_works)
{
	char path[64], existing[64];
	struct rf_ring r;
	int fd;

	rf_need_parity();
	rf_tmp_path(path, sizeof(path), "pcreat");
	rf_tmp_path(existing, sizeof(existing), "pexist");
	fd = open(existing, O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	ASSERT_OK(fd);
	close(fd);
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_deny_openat_creat(EROFS);
	EXPECT_ERRNO(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600), EROFS);
	EXPECT_RES(uring_open(&r, path, O_CREAT | O_WRONLY | O_CLOEXEC), -EROFS);
	EXPECT_TRUE(!rf_path_exists(path));
	fd = uring_open(&r, existing, O_RDONLY | O_CLOEXEC);
	EXPECT_TRUE(fd >= 0);
	if (fd >= 0)
		close(fd);
	unlink(existing);
	rf_ring_exit(&r);
}

/* A thread rewrites the SQE's flags between O_RDONLY and O_CREAT meanwhile. */
struct flipper {
	volatile uint32_t *flags;
	volatile int stop;
};

static void *flip(void *arg)
{
	struct flipper *f = arg;

	while (!f->stop) {
		*f->flags = O_RDONLY;
		*f->flags = O_CREAT | O_WRONLY;
	}
	return NULL;
}

TEST(parity_judges_the_kernels_copy_while_the_sqe_changes)
{
	unsigned int i, denied = 0, opened = 0, hits = 0;
	struct io_uring_params p;
	struct flipper f = { 0 };
	uint64_t deadline;
	struct rf_ring r;
	pthread_t th;
	char path[64];

	rf_need_parity();
	rf_tmp_path(path, sizeof(path), "prace");
	ASSERT_RES(rf_enable_parity(), 0);
	memset(&p, 0, sizeof(p));
	ASSERT_RES(rf_ring_init_params(&r, 1, &p), 0);
	rf_scmp_deny_openat_creat(EROFS);
	f.flags = &r.sqes[0].open_flags;
	ASSERT_EQ(pthread_create(&th, NULL, flip, &f), 0);
	/* 2000, and more while the flipper has not landed in the window (a busy machine). */
	deadline = rf_now_ms() + 15000;
	for (i = 0; (i < 2000 || (!hits && rf_now_ms() < deadline)) && !rf_failed(); i++) {
		bool wrote_creat = i & 1;
		int res;

		rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path,
			       wrote_creat ? O_CREAT | O_WRONLY : O_RDONLY, 0600);
		res = rf_run1(&r);
		if (res == -EROFS) {
			denied++;
			hits += !wrote_creat;
		} else if (res == -ENOENT) {
			opened++;
			hits += wrote_creat;
		} else {
			FAIL("submission %u: %d, expected -EROFS or -ENOENT", i, res);
			if (res >= 0)
				close(res);
		}
		if (rf_path_exists(path)) {
			FAIL("submission %u created the file", i);
			unlink(path);
		}
	}
	f.stop = 1;
	pthread_join(th, NULL);
	rf_note("%u denied, %u read-only; the flipper decided %u", denied, opened, hits);
	EXPECT_TRUE(hits > 0);
	rf_ring_exit(&r);
}

static int listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, len) || listen(fd, 8) ||
	    getsockname(fd, (struct sockaddr *)sa, &len)) {
		FAIL("listener (got errno %s)", rf_errname(errno));
		rf_abort();
	}
	return fd;
}

TEST(parity_connect_refused_no_connection)
{
	struct sockaddr_in sa;
	struct rf_ring r;
	int l, fd, afd;

	rf_need_parity();
	l = listener(&sa);
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_all(SCMP_SYS(connect), SCMP_ACT_ERRNO(ENETUNREACH));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_OK(fd);
	EXPECT_ERRNO(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), ENETUNREACH);
	rf_prep_connect(rf_get_sqe(&r), fd, &sa, sizeof(sa));
	EXPECT_RES(rf_run1(&r), -ENETUNREACH);
	afd = accept4(l, NULL, NULL, SOCK_CLOEXEC);
	EXPECT_TRUE(afd < 0);
	if (afd >= 0)
		close(afd);
	close(fd);
	close(l);
	rf_ring_exit(&r);
}

TEST(parity_kill_action_fails_the_request_and_nothing_dies)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_KILL_PROCESS);
	EXPECT_RES(uring_socket(&r, AF_UNIX), -EPERM);
	/* Still here: a NOP runs. */
	EXPECT_RES(rf_run_nop(&r, 1), 0);
	rf_ring_exit(&r);
}

TEST(parity_trap_and_user_notif_fail_with_eperm)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_TRAP);
	EXPECT_RES(uring_socket(&r, AF_UNIX), -EPERM);
	EXPECT_RES(rf_run_nop(&r, 1), 0);
	rf_ring_exit(&r);
}

TEST(parity_log_action_allows_and_logs)
{
	char line[96];
	struct rf_ring r;
	int before;

	rf_need_parity();
	snprintf(line, sizeof(line), "seccomp parity: pid=%d ", (int)getpid());
	before = rf_klog_count(line);
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_LOG);
	expect_socket_res(uring_socket(&r, AF_UNIX), 0, "io_uring SOCKET under LOG");
	EXPECT_EQ(rf_klog_count(line), before + 1);
	rf_ring_exit(&r);
}

/* Two filters: seccomp's strictest action wins, io_uring's too. */
TEST(parity_stacked_filters_strictest_wins)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_ERRNO(EXDEV));
	EXPECT_RES(sys_socket(AF_UNIX), -EXDEV);
	EXPECT_RES(uring_socket(&r, AF_UNIX), -EXDEV);
	/* Of two equal actions, seccomp keeps the newest filter's. */
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_ERRNO(ENOENT));
	EXPECT_RES(sys_socket(AF_UNIX), -ENOENT);
	EXPECT_RES(uring_socket(&r, AF_UNIX), -ENOENT);
	rf_scmp_all(SCMP_SYS(socket), SCMP_ACT_KILL_PROCESS);
	/* KILL outranks ERRNO: io_uring fails the request with -EPERM. */
	EXPECT_RES(uring_socket(&r, AF_UNIX), -EPERM);
	rf_ring_exit(&r);
}

static void *thread_socket(void *arg)
{
	struct rf_ring *r = arg;

	return (void *)(long)uring_socket(r, AF_INET);
}

TEST(parity_holds_in_threads_children_and_after_execve)
{
	struct rf_ring r;
	pthread_t th;
	void *res;
	pid_t pid;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_scmp_unix_sockets_only();
	rf_new_ring(&r);
	ASSERT_EQ(pthread_create(&th, NULL, thread_socket, &r), 0);
	pthread_join(th, &res);
	EXPECT_RES((long)res, -EAFNOSUPPORT);
	rf_ring_exit(&r);

	pid = rf_fork();
	if (pid == 0) {
		struct rf_ring cr;

		rf_new_ring(&cr);
		EXPECT_RES(uring_socket(&cr, AF_INET), -EAFNOSUPPORT);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "forked child");

	pid = rf_fork();
	if (pid == 0) {
		rf_exec_helper("socket_inet_refused", NULL);
		_exit(3);
	}
	EXPECT_CHILD_OK(pid, "child after execve");
}

RF_HELPER(socket_inet_refused)
{
	struct rf_ring r;

	(void)argc;
	(void)argv;
	rf_new_ring(&r);
	EXPECT_RES(uring_socket(&r, AF_INET), -EAFNOSUPPORT);
	expect_socket_res(uring_socket(&r, AF_UNIX), 0, "AF_UNIX after execve");
	return rf_status();
}

/* The submitter is judged: a ring made before the filter obeys it. */
TEST(parity_ring_created_before_the_filter)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	expect_socket_res(uring_socket(&r, AF_INET), 0, "before the filter");
	rf_scmp_unix_sockets_only();
	EXPECT_RES(uring_socket(&r, AF_INET), -EAFNOSUPPORT);
	rf_ring_exit(&r);
}

/*
 * SQPOLL: the SQ thread submits, with the filters its creator had when the
 * ring was set up; a filter added later is not the SQ thread's.
 */
TEST(parity_sqpoll_thread_has_its_creators_filters)
{
	struct rf_ring before, after;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	ASSERT_RES(rf_sqpoll_ring(&before, -1), 0);
	rf_scmp_unix_sockets_only();
	ASSERT_RES(rf_sqpoll_ring(&after, -1), 0);
	EXPECT_RES(uring_socket(&after, AF_INET), -EAFNOSUPPORT);
	expect_socket_res(uring_socket(&after, AF_UNIX), 0, "SQPOLL AF_UNIX");
	expect_socket_res(uring_socket(&before, AF_INET), 0,
			  "SQ thread created before the filter");
	rf_ring_exit(&after);
	rf_ring_exit(&before);
}

TEST(parity_without_seccomp_filter_changes_nothing)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	expect_socket_res(uring_socket(&r, AF_INET), 0, "SOCKET without a filter");
	EXPECT_RES(rf_run_nop(&r, 1), 0);
	rf_ring_exit(&r);
}

/* Parity is opt-in: a filtered task without it keeps the old behaviour. */
TEST(parity_off_for_a_task_that_did_not_ask)
{
	struct rf_ring r;

	rf_need_parity();
	rf_scmp_unix_sockets_only();
	rf_new_ring(&r);
	expect_socket_res(uring_socket(&r, AF_INET), 0, "SOCKET, parity not asked for");
	rf_ring_exit(&r);
}

TEST(parity_needs_no_new_privs_or_cap_sys_admin)
{
	rf_need_parity();
	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(rf_enable_parity(), -EACCES);
}

/* Restrictions, filters and parity combine: each must pass. */
TEST(parity_combines_with_restrictions)
{
	struct rf_ring r;

	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_SOCKET)), 0);
	rf_scmp_unix_sockets_only();
	rf_new_ring(&r);
	EXPECT_RES(rf_run_nop(&r, 1), -EACCES);
	EXPECT_RES(uring_socket(&r, AF_INET), -EAFNOSUPPORT);
	expect_socket_res(uring_socket(&r, AF_UNIX), 0, "allowed by both");
	rf_ring_exit(&r);
}

/* Parity first, then a restriction set: parity alone is no set. */
TEST(restrictions_after_parity_still_accepted)
{
	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), -EPERM);
}
