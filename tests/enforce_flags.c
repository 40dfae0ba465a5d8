// SPDX-License-Identifier: GPL-2.0
/*
 * SQE flag enforcement: IORING_RESTRICTION_SQE_FLAGS_ALLOWED and
 * _REQUIRED. A flag outside allowed|required, or a missing required flag,
 * gets -EACCES; a set without flag entries allows no flag at all.
 */
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

static int nop_with_flags(struct rf_ring *r, uint8_t flags)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	rf_prep_nop(sqe);
	sqe->flags = flags;
	return rf_run1(r);
}

TEST(allowed_flag_accepted)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC), 0);
}

TEST(allowed_flag_is_optional)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, 0), 0);
}

TEST(flag_outside_allowed_denied)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_IO_DRAIN), -EACCES);
}

TEST(allowed_plus_outside_flag_denied)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC | IOSQE_IO_DRAIN), -EACCES);
}

TEST(missing_required_flag_denied)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_required(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, 0), -EACCES);
}

TEST(required_flag_present_accepted)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_required(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC), 0);
}

TEST(required_flag_plus_outside_flag_denied)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_required(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC | IOSQE_IO_DRAIN), -EACCES);
}

TEST(required_and_allowed_combine)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_required(IOSQE_ASYNC),
			       rf_r_flags_allowed(IOSQE_IO_DRAIN)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC | IOSQE_IO_DRAIN), 0);
	EXPECT_RES(nop_with_flags(&r, IOSQE_IO_DRAIN), -EACCES);
}

TEST(ops_without_flag_entry_allow_no_flags)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, 0), 0);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC), -EACCES);
	EXPECT_RES(nop_with_flags(&r, IOSQE_IO_DRAIN), -EACCES);
}

/* Each FLAGS entry replaces the previous value; the last one counts. */
TEST(last_allowed_entry_wins)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_ASYNC),
			       rf_r_flags_allowed(IOSQE_IO_DRAIN)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, IOSQE_IO_DRAIN), 0);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC), -EACCES);
}

/* A flags entry alone restricts submissions with an empty opcode set. */
TEST(flags_entry_without_ops_denies_every_op)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_flags_allowed(IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, 0), -EACCES);
	EXPECT_RES(nop_with_flags(&r, IOSQE_ASYNC), -EACCES);
}

/* Flag bits that no kernel knows are rejected before the restriction. */
TEST(invalid_flag_bit_still_einval)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop_with_flags(&r, 1U << 7), -EINVAL);
}
