// SPDX-License-Identifier: GPL-2.0
/*
 * Register-opcode restrictions on rings created by a restricted task, the
 * 7.0 split between SQE and register restrictions, and what a restricted
 * task can still do with an IORING_SETUP_R_DISABLED ring.
 */
#include <fcntl.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static int register_devnull(int ring_fd)
{
	int fd = open("/dev/null", O_RDONLY);
	int ret;

	if (fd < 0)
		return -errno;
	ret = rf_sys_register(ring_fd, IORING_REGISTER_FILES, &fd, 1);
	close(fd);
	return ret;
}

static int run_creat(struct rf_ring *r, const char *path)
{
	rf_prep_openat(rf_get_sqe(r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	return rf_run1(r);
}

static int run_read(struct rf_ring *r)
{
	static char buf[4];
	int fd = open("/dev/zero", O_RDONLY);
	int ret;

	if (fd < 0)
		return -errno;
	rf_prep_rw(rf_get_sqe(r), IORING_OP_READ, fd, buf, sizeof(buf), 0);
	ret = rf_run1(r);
	close(fd);
	return ret;
}

static int enable(int ring_fd)
{
	return rf_sys_register(ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0);
}

static int ring_restrict_nop(int ring_fd)
{
	struct io_uring_restriction res = rf_r_sqe_op(IORING_OP_NOP);

	return rf_sys_register(ring_fd, IORING_REGISTER_RESTRICTIONS, &res, 1);
}

TEST(allowed_register_op_works)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE),
			       rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(rf_register_probe(r.fd), 0);
}

TEST(register_op_outside_set_denied)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE),
			       rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_devnull(r.fd), -EACCES);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_RING_FDS, NULL, 0), -EACCES);
}

TEST(register_ops_only_leave_submissions_free)
{
	struct rf_ring r;
	char path[64];
	int res;

	rf_tmp_path(path, sizeof(path), "regonly");
	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	res = run_creat(&r, path);
	EXPECT_TRUE(res >= 0);
	EXPECT_TRUE(rf_path_exists(path));
	unlink(path);
}

TEST(register_ops_only_still_restrict_register)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_devnull(r.fd), -EACCES);
}

TEST(sqe_ops_only_leave_register_free)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_devnull(r.fd), 0);
	EXPECT_RES(rf_register_probe(r.fd), 0);
}

TEST(sqe_ops_only_still_restrict_submissions)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(run_read(&r), -EACCES);
}

TEST(flags_only_leave_register_free)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_devnull(r.fd), 0);
}

TEST(empty_set_restricts_submissions)
{
	struct rf_ring r;

	ASSERT_RES(rf_restrict(NULL, 0), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
}

TEST(empty_set_restricts_register)
{
	struct rf_ring r;

	ASSERT_RES(rf_restrict(NULL, 0), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(rf_register_probe(r.fd), -EACCES);
	EXPECT_RES(register_devnull(r.fd), -EACCES);
}

/* Baseline: the 5.10 per-ring restrictions of an unrestricted task. */
TEST(ring_restrictions_of_unrestricted_task_work)
{
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(ring_restrict_nop(r.fd), 0);
	EXPECT_RES(enable(r.fd), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	EXPECT_RES(run_read(&r), -EACCES);
}

/*
 * An R_DISABLED ring created by a task whose set has no register entries:
 * it already carries SQE restrictions, so a ring-level set is refused with
 * -EBUSY; enabling works and the inherited SQE restriction applies.
 */
TEST(disabled_ring_sqe_set_refuses_ring_restrictions)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(ring_restrict_nop(r.fd), -EBUSY);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(enable(r.fd), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	EXPECT_RES(run_read(&r), -EACCES);
}

/*
 * Inherited register restrictions apply to a disabled ring too (unlike a
 * ring's own): only the opcodes in the set work while it is disabled.
 */
TEST(disabled_ring_inherited_register_set_applies)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_ENABLE_RINGS),
			       rf_r_sqe_op(IORING_OP_NOP)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(rf_register_probe(r.fd), -EACCES);
	EXPECT_RES(ring_restrict_nop(r.fd), -EACCES);
	EXPECT_RES(enable(r.fd), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	EXPECT_RES(run_read(&r), -EACCES);
}

TEST(disabled_ring_allowed_restrictions_op_is_busy)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_RESTRICTIONS),
			       rf_r_reg_op(IORING_REGISTER_ENABLE_RINGS)), 0);
	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(ring_restrict_nop(r.fd), -EBUSY);
	EXPECT_RES(enable(r.fd), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
}

TEST(disabled_ring_of_empty_set_cannot_be_enabled)
{
	struct rf_ring r;

	ASSERT_RES(rf_restrict(NULL, 0), 0);
	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(enable(r.fd), -EACCES);
	EXPECT_RES(ring_restrict_nop(r.fd), -EACCES);
	rf_prep_nop(rf_get_sqe(&r));
	EXPECT_RES(rf_submit(&r), -EBADFD);
}

/* Restricting the task later does not touch an existing ring's register ops. */
TEST(ring_created_before_registration_register_free)
{
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	ASSERT_RES(rf_restrict(NULL, 0), 0);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(register_devnull(r.fd), 0);
}

/*
 * A ring's own set gets 7.0's split too: SQE entries alone leave
 * io_uring_register free once the ring is enabled...
 */
TEST(ring_own_sqe_set_leaves_register_ops_free)
{
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(ring_restrict_nop(r.fd), 0);
	ASSERT_RES(enable(r.fd), 0);
	EXPECT_RES(run_read(&r), -EACCES);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(register_devnull(r.fd), 0);
}

/* ...and REGISTER_OP entries alone leave submissions free. */
TEST(ring_own_register_set_leaves_submissions_free)
{
	struct io_uring_restriction res = rf_r_reg_op(IORING_REGISTER_PROBE);
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &res, 1), 0);
	ASSERT_RES(enable(r.fd), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	EXPECT_RES(run_read(&r), 4);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(register_devnull(r.fd), -EACCES);
}

/* A ring's own set is checked and refused as 7.2 does. */
TEST(ring_own_set_errors)
{
	struct io_uring_restriction bad = rf_r_reg_op(200);
	struct rf_ring r, on;

	ASSERT_RES(rf_ring_init(&r, 4, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, &bad, 1), -EINVAL);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, NULL, 1), -EINVAL);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS, (void *)8, 1), -EFAULT);
	/* None of the failures registered a set. */
	ASSERT_RES(ring_restrict_nop(r.fd), 0);
	EXPECT_RES(ring_restrict_nop(r.fd), -EBUSY);
	ASSERT_RES(rf_ring_init(&on, 4, 0), 0);
	EXPECT_RES(ring_restrict_nop(on.fd), -EBADFD);
}
