// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp parity for a 32-bit (ia32 on x86_64, AArch32 on arm64) caller.
 * Parity judges a request by the native system call map, but a 32-bit
 * task's filters see another arch and other numbers: under parity the
 * module denies such a task's requests that stand for a system call, and
 * those on a ring a 32-bit task set up, with -EPERM. The filter here allows
 * everything, so an -EPERM can only be that rule's: judged as the native
 * call, the request would pass.
 *
 * There is no 32-bit libseccomp here: the filter is raw cBPF. Parity is the
 * module's; on native 7.x those tests are skipped, the rest run everywhere.
 */
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "parity.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

_Static_assert(sizeof(void *) == 4, "compat32_parity must be a 32-bit program");

/* A filter that returns SECCOMP_RET_ALLOW for every call of every arch. */
static void allow_all_filter(void)
{
	struct sock_filter insns[] = {
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = 1, .filter = insns };

	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	ASSERT_OK(syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog));
}

/* Parity on for this test's process, or the test is skipped. */
static void parity_on(void)
{
	rf_need_parity();
	ASSERT_RES(rf_enable_parity(), 0);
}

/* OPENAT(O_CREAT) of a new file @tag on @r: denied with -EPERM, no file. */
static void expect_creat_denied(struct rf_ring *r, const char *tag)
{
	char path[64];
	int res;

	rf_tmp_path(path, sizeof(path), tag);
	res = rf_run_creat(r, path);
	EXPECT_RES(res, -EPERM);
	if (res >= 0)
		close(res);
	EXPECT_TRUE(!rf_path_exists(path));
	unlink(path);
}

/* The same, that creates the file. */
static void expect_creat_works(struct rf_ring *r, const char *tag)
{
	char path[64];
	int res;

	rf_tmp_path(path, sizeof(path), tag);
	res = rf_run_creat(r, path);
	EXPECT_TRUE(res >= 0);
	if (res >= 0)
		close(res);
	EXPECT_TRUE(rf_path_exists(path));
	unlink(path);
}

TEST(parity_denies_a_32bit_callers_openat)
{
	struct rf_ring r;
	char path[64];
	int fd;

	parity_on();
	allow_all_filter();
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	expect_creat_denied(&r, "c32parity");
	/* The system call itself is allowed by the filter. */
	fd = open(rf_tmp_path(path, sizeof(path), "c32direct"),
		  O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	EXPECT_OK(fd);
	if (fd >= 0)
		close(fd);
	unlink(path);
	rf_ring_exit(&r);
}

TEST(parity_denies_a_32bit_callers_socket)
{
	struct rf_ring r;
	int before;

	parity_on();
	allow_all_filter();
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	before = rf_count_fds();
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	EXPECT_RES(rf_run1(&r), -EPERM);
	EXPECT_EQ(rf_count_fds(), before);
	rf_ring_exit(&r);
}

/* A NOP stands for no system call: parity has nothing to judge. */
TEST(parity_lets_a_32bit_callers_nop_through)
{
	struct rf_ring r;

	parity_on();
	allow_all_filter();
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	EXPECT_RES(rf_run_nop(&r, 7), 0);
	rf_ring_exit(&r);
}

/* The SQ thread of a 32-bit task's ring submits for it: denied as well. */
TEST(parity_denies_on_a_32bit_tasks_sqpoll_ring)
{
	struct rf_ring r;

	parity_on();
	allow_all_filter();
	ASSERT_RES(rf_sqpoll_ring(&r, -1), 0);
	expect_creat_denied(&r, "c32sqpoll");
	EXPECT_RES(rf_run_nop(&r, 2), 0);
	rf_ring_exit(&r);
}

/* Without a seccomp filter parity has nothing to say (native 7.x too). */
TEST(without_filter_a_32bit_callers_openat_works)
{
	struct rf_ring r;

	if (rf_expect_module())
		ASSERT_RES(rf_enable_parity(), 0);
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	expect_creat_works(&r, "c32nofilter");
	rf_ring_exit(&r);
}

/* A filter without parity: io_uring walks around seccomp, as upstream. */
TEST(without_parity_a_32bit_callers_openat_works)
{
	struct rf_ring r;

	allow_all_filter();
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	expect_creat_works(&r, "c32noparity");
	rf_ring_exit(&r);
}
