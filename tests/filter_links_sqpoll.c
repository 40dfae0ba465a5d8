// SPDX-License-Identifier: GPL-2.0
/*
 * Filter denials inside link chains and batches, and on SQPOLL rings.
 *
 * A request denied by a filter fails like any request that fails at init:
 * in a chain, it completes with -EACCES and every other member with
 * -ECANCELED, head included, and none of them runs. With
 * IORING_SETUP_SUBMIT_ALL the rest of the batch is submitted. On an SQPOLL
 * ring the SQ thread applies the ring creator's filters.
 *
 * Policy: a task filter that denies OPENAT with O_CREAT; whether a file
 * appeared shows whether the denied SQE ran, and a WRITE to an empty file
 * shows whether an allowed member ran.
 */
#include <fcntl.h>
#include <unistd.h>

#include "bpf.h"
#include "chain.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static void deny_creat(void)
{
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT,
				  RF_MATCH_MASKED(open.flags, O_CREAT, O_CREAT)), 0);
}

static void setup_flags(struct rf_chain *c, unsigned int setup_flags)
{
	ASSERT_RES(rf_chain_files(c), 0);
	deny_creat();
	ASSERT_RES(rf_chain_ring(c, setup_flags), 0);
}

static void setup(struct rf_chain *c)
{
	setup_flags(c, 0);
}

/* ---- link chains ---- */

/* Control: the filter lets the chain's members through. */
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

/* A denied member that links on does not end the batch. */
TEST(denied_linked_member_does_not_end_batch)
{
	struct rf_chain c;

	setup(&c);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	EXPECT_EQ(rf_sq_pending(&c.r), 0);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_RES(c.res[2], 3);
	EXPECT_EQ(rf_chain_written(&c), 3);
	rf_chain_teardown(&c);
}

/* A chain left open at the end of the batch still fails. */
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

/* Two chains in one batch: only the one with the denied member fails. */
TEST(denial_fails_only_its_own_chain)
{
	struct rf_chain c;

	setup_flags(&c, IORING_SETUP_SUBMIT_ALL);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 4);
	ASSERT_RES(rf_reap_by_data(&c.r, 4, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_RES(c.res[2], 0);
	EXPECT_RES(c.res[3], 3);
	EXPECT_EQ(rf_chain_written(&c), 3);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

/* ---- batches ---- */

/* With IORING_SETUP_SUBMIT_ALL a denied SQE does not stop the batch. */
TEST(submit_all_runs_rest_of_batch)
{
	struct rf_chain c;

	setup_flags(&c, IORING_SETUP_SUBMIT_ALL);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 4);
	EXPECT_EQ(rf_sq_pending(&c.r), 0);
	ASSERT_RES(rf_reap_by_data(&c.r, 4, c.res), 0);
	EXPECT_RES(c.res[0], 0);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_RES(c.res[2], 3);
	EXPECT_RES(c.res[3], 0);
	EXPECT_EQ(rf_chain_written(&c), 3);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

TEST(submit_all_denied_first_and_last)
{
	struct rf_chain c;

	setup_flags(&c, IORING_SETUP_SUBMIT_ALL);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], 3);
	EXPECT_RES(c.res[2], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

/*
 * Without SUBMIT_ALL, 7.2 ends the batch at a denied SQE that does not link
 * on, as at any init failure: io_uring_enter returns the count up to and
 * including it and the rest stays in the SQ. The module filters requests
 * where it cannot stop the kernel's submission loop, so under the module
 * the rest of the batch is submitted; this one case is 7.2-only.
 */
TEST(native_only_batch_stops_at_denied_sqe_without_submit_all)
{
	struct io_uring_cqe cqe;
	struct rf_chain c;

	if (rf_expect_module())
		SKIP("the module cannot end the kernel's submission batch at a "
		     "filter denial (native 7.x behaviour only)");
	setup(&c);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	EXPECT_EQ(rf_sq_pending(&c.r), 1);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], 0);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(rf_chain_written(&c), 0);
	/* The rest runs on the next submit. */
	EXPECT_RES(rf_submit(&c.r), 1);
	ASSERT_RES(rf_wait_cqes(&c.r, 1), 0);
	ASSERT_RES(rf_pop_cqe(&c.r, &cqe), 0);
	EXPECT_EQ(cqe.user_data, 2);
	EXPECT_RES(cqe.res, 3);
	EXPECT_EQ(rf_chain_written(&c), 3);

	/* A denied chain tail ends the batch the same way. */
	c.n = 0;
	rf_chain_add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, 0);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	EXPECT_EQ(rf_sq_pending(&c.r), 1);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}

/* ---- SQPOLL ---- */

TEST(sqpoll_ring_of_filtered_task_filters)
{
	struct rf_ring r;
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), "sqpoll");
	deny_creat();
	ASSERT_RES(rf_sqpoll_ring(&r, -1), 0);
	EXPECT_RES(rf_run_creat(&r, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	EXPECT_RES(rf_ring_nop(&r), 0);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, "/", O_RDONLY, 0);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
}

TEST(sqpoll_ring_filter_registered_on_ring)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "sqring");
	ASSERT_RES(rf_sqpoll_ring(&r, -1), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	ASSERT_RES(rf_bpf_deny_if(r.fd, IORING_OP_OPENAT,
				  RF_MATCH_MASKED(open.flags, O_CREAT, O_CREAT)), 0);
	EXPECT_RES(rf_run_creat(&r, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

/* Filtered and unfiltered rings sharing one SQ thread keep their own. */
TEST(attached_sqpoll_rings_keep_their_filters)
{
	struct rf_ring free_ring, filtered;
	char path[64], path2[64];
	int res;

	rf_tmp_path(path, sizeof(path), "attached");
	rf_tmp_path(path2, sizeof(path2), "owner");
	ASSERT_RES(rf_sqpoll_ring(&free_ring, -1), 0);
	deny_creat();
	ASSERT_RES(rf_sqpoll_ring(&filtered, free_ring.fd), 0);
	EXPECT_RES(rf_run_creat(&filtered, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	res = rf_run_creat(&free_ring, path2);
	EXPECT_TRUE(res >= 0);
	EXPECT_TRUE(rf_path_exists(path2));
	unlink(path2);
}

TEST(sqpoll_denied_member_fails_chain)
{
	struct rf_chain c;

	setup_flags(&c, IORING_SETUP_SQPOLL);
	rf_chain_add(&c, IORING_OP_WRITE, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	rf_chain_add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_RES(c.res[2], -ECANCELED);
	EXPECT_EQ(rf_chain_written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	rf_chain_teardown(&c);
}
