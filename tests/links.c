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
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

struct chain {
	struct rf_ring r;
	char path[64];	/* what the denied OPENAT would create */
	char wpath[64];	/* what the WRITEs go to */
	int wfd;
	int res[4];
	unsigned int n;	/* SQEs queued: the next user_data */
};

static void setup(struct chain *c)
{
	rf_tmp_path(c->path, sizeof(c->path), "denied");
	rf_tmp_path(c->wpath, sizeof(c->wpath), "written");
	c->wfd = open(c->wpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_OK(c->wfd);
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_sqe_op(IORING_OP_WRITE),
			       rf_r_flags_allowed(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)),
		   0);
	ASSERT_RES(rf_ring_init(&c->r, 8, 0), 0);
	c->n = 0;
	for (int i = 0; i < 4; i++)
		c->res[i] = 1;
}

static void add(struct chain *c, int op, uint8_t flags)
{
	struct io_uring_sqe *sqe = rf_get_sqe(&c->r);

	switch (op) {
	case IORING_OP_NOP:
		rf_prep_nop(sqe);
		break;
	case IORING_OP_WRITE:
		rf_prep_rw(sqe, IORING_OP_WRITE, c->wfd, "abc", 3, 0);
		break;
	case IORING_OP_OPENAT:
		rf_prep_openat(sqe, AT_FDCWD, c->path, O_CREAT | O_WRONLY, 0600);
		break;
	}
	sqe->flags = flags;
	sqe->user_data = c->n++;
}

static off_t written(struct chain *c)
{
	struct stat st;

	if (fstat(c->wfd, &st))
		return -1;
	return st.st_size;
}

static void teardown(struct chain *c)
{
	unlink(c->wpath);
}

/* Control: links themselves are allowed by the policy. */
TEST(allowed_chain_runs)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], 0);
	EXPECT_RES(c.res[1], 3);
	EXPECT_EQ(written(&c), 3);
	teardown(&c);
}

TEST(nop_linked_to_denied_openat)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	teardown(&c);
}

TEST(write_linked_to_denied_openat_does_not_write)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_WRITE, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	teardown(&c);
}

TEST(denied_head_cancels_linked_write)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_EQ(written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	teardown(&c);
}

TEST(denied_middle_fails_whole_chain)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_RES(c.res[2], -ECANCELED);
	EXPECT_EQ(written(&c), 0);
	teardown(&c);
}

TEST(two_nops_linked_to_denied_openat)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_RES(c.res[2], -EACCES);
	EXPECT_TRUE(!rf_path_exists(c.path));
	teardown(&c);
}

TEST(hardlinked_write_to_denied_openat_does_not_write)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_WRITE, IOSQE_IO_HARDLINK);
	add(&c, IORING_OP_OPENAT, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(written(&c), 0);
	EXPECT_TRUE(!rf_path_exists(c.path));
	teardown(&c);
}

TEST(denied_hardlink_head_cancels_linked_write)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_OPENAT, IOSQE_IO_HARDLINK);
	add(&c, IORING_OP_WRITE, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_EQ(written(&c), 0);
	teardown(&c);
}

/* A denied last member ends the chain and, like any init failure, the batch. */
TEST(denied_chain_tail_ends_batch)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_NOP, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, 0);
	add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 2);
	EXPECT_EQ(rf_sq_pending(&c.r), 1);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	teardown(&c);
}

/* A denied member that links on does not end the batch. */
TEST(denied_linked_member_does_not_end_batch)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	add(&c, IORING_OP_NOP, 0);
	add(&c, IORING_OP_NOP, 0);
	EXPECT_RES(rf_submit(&c.r), 3);
	EXPECT_EQ(rf_sq_pending(&c.r), 0);
	ASSERT_RES(rf_reap_by_data(&c.r, 3, c.res), 0);
	EXPECT_RES(c.res[0], -EACCES);
	EXPECT_RES(c.res[1], -ECANCELED);
	EXPECT_RES(c.res[2], 0);
	teardown(&c);
}

/*
 * A chain left open at the end of the batch is flushed at submit end; its
 * denied member still fails it.
 */
TEST(unterminated_chain_with_denied_member_fails)
{
	struct chain c;

	setup(&c);
	add(&c, IORING_OP_WRITE, IOSQE_IO_LINK);
	add(&c, IORING_OP_OPENAT, IOSQE_IO_LINK);
	EXPECT_RES(rf_submit(&c.r), 2);
	ASSERT_RES(rf_reap_by_data(&c.r, 2, c.res), 0);
	EXPECT_RES(c.res[0], -ECANCELED);
	EXPECT_RES(c.res[1], -EACCES);
	EXPECT_EQ(written(&c), 0);
	teardown(&c);
}
