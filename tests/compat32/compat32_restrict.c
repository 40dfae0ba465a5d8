// SPDX-License-Identifier: GPL-2.0
/*
 * A 32-bit caller: AArch32 (EABI) on an arm64 kernel, ia32 on an x86_64
 * one. An AArch32 caller's io_uring_register reaches the same
 * __arm64_sys_io_uring_register as a 64-bit caller's (the compat table
 * points at it); an ia32 caller's reaches __ia32_sys_io_uring_register,
 * which the module hooks as well. Task restrictions and task filters
 * registered with fd -1 hold for it as for any other task: natively on 7.x,
 * through the module's register redirect on 6.x. Built as a static 32-bit
 * program (tests/Makefile: arm-linux-gnueabihf-gcc with TARGET=arm64, else
 * gcc -m32).
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

_Static_assert(sizeof(void *) == 4, "compat32_restrict must be a 32-bit program");

static void restricted_ring(struct rf_ring *r)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(r, 8, 0), 0);
}

TEST(restriction_from_32bit_caller_allows_nop)
{
	struct rf_ring r;

	restricted_ring(&r);
	EXPECT_RES(rf_ring_nop(&r), 0);
}

TEST(restriction_from_32bit_caller_denies_openat)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "compat32");
	restricted_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(restriction_from_32bit_caller_reaches_children)
{
	struct rf_ring r;
	pid_t pid;
	int status;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	pid = fork();
	ASSERT_OK(pid);
	if (pid == 0) {
		if (rf_ring_init(&r, 8, 0))
			_exit(2);
		rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM, 0);
		_exit(rf_run1(&r) == -EACCES ? 0 : 1);
	}
	ASSERT_EQ(waitpid(pid, &status, 0), pid);
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

TEST(task_filter_from_32bit_caller_denies_socket)
{
	struct rf_ring r;
	int before;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_SOCKET), 0);
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	before = rf_count_fds();
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	EXPECT_RES(rf_ring_nop(&r), 0);
}
