// SPDX-License-Identifier: GPL-2.0
/*
 * Link chains with a denied member. A denied SQE fails at init, which on
 * 7.2 fails the whole chain: the denied SQE completes with -EACCES and every
 * other member with -ECANCELED, head included, and none of them runs.
 *
 * Policy: NOP and WRITE, with IOSQE_IO_LINK and IOSQE_IO_HARDLINK allowed.
 * OPENAT(O_CREAT) is the denied SQE; whether a file appeared shows whether
 * it ran, and a WRITE to an empty file shows whether an allowed member ran.
 */
#include "chain.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static void setup(struct rf_chain *c)
{
	ASSERT_RES(rf_chain_files(c), 0);
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_sqe_op(IORING_OP_WRITE),
			       rf_r_flags_allowed(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)),
		   0);
	ASSERT_RES(rf_chain_ring(c, 0), 0);
}

/* Control: links themselves are allowed by the policy. */
TEST(allowed_chain_runs)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], 0);
	EXPECT_RES(c.res[1], 3);
	EXPECT_EQ(rf_chain_written(&c), 3);
	rf_chain_teardown(&c);
}

TEST(nop_linked_to_denied_openat)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(write_linked_to_denied_openat_does_not_write)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_WRITE, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(rf_chain_written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(denied_head_cancels_linked_write)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_EQ(rf_chain_written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(denied_middle_fails_whole_chain)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_RES(c.res[2], -ECANCELED);
	EXPECT_EQ(rf_chain_written(&c), 0);
	rf_chain_teardown(&c);
}

TEST(two_nops_linked_to_denied_openat)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_RES(c.res[2], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(hardlinked_write_to_denied_openat_does_not_write)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_WRITE, IOSQE_IO_HARDLINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(rf_chain_written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(denied_hardlink_head_cancels_linked_write)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_HARDLINK);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_EQ(rf_chain_written(&c), 0);
	rf_chain_teardown(&c);
}

/* A denied last member ends the chain and, like any init failure, the batch. */
TEST(denied_chain_tail_ends_batch)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	EXPECT_EQ(rf_sq_pending(&c.r), 1);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	rf_chain_teardown(&c);
}

/* A denied member that links on does not end the batch. */
TEST(denied_linked_member_does_not_end_batch)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	EXPECT_EQ(rf_sq_pending(&c.r), 0);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_RES(c.res[2], 0);
	rf_chain_teardown(&c);
}

/*
 * A chain left open at the end of the batch is flushed at submit end; its
 * denied member still fails it.
 */
TEST(unterminated_chain_with_denied_member_fails)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_WRITE, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(rf_chain_written(&c), 0);
	rf_chain_teardown(&c);
}
