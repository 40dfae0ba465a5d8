// SPDX-License-Identifier: GPL-2.0
/*
 * SQE opcode enforcement on a ring created by a restricted task: allowed
 * opcodes run, denied ones complete with -EACCES and leave no trace, and a
 * denied SQE ends a batch exactly as any other init failure does on 7.2.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/* The policy of this file: NOP and READ only. */
static void restrict_nop_read(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_sqe_op(IORING_OP_READ)), 0);
}

static void restricted_ring(struct rf_ring *r, unsigned int flags)
{
	restrict_nop_read();
	ASSERT_RES(rf_ring_init(r, 8, flags), 0);
}

static void queue_nop(struct rf_ring *r, uint64_t user_data)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	rf_prep_nop(sqe);
	sqe->user_data = user_data;
}

static void queue_creat(struct rf_ring *r, const char *path, uint64_t user_data)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	rf_prep_openat(sqe, AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	sqe->user_data = user_data;
}

TEST(allowed_nop_completes)
{
	struct rf_ring r;

	restricted_ring(&r, 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
}

TEST(allowed_read_reads)
{
	char path[64], buf[16] = "";
	struct rf_ring r;
	int fd;

	rf_tmp_path(path, sizeof(path), "read");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_OK(fd);
	ASSERT_EQ(write(fd, "hello", 5), 5);
	restricted_ring(&r, 0);

	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, fd, buf, sizeof(buf), 0);
	EXPECT_RES(rf_run1(&r), 5);
	EXPECT_TRUE(!memcmp(buf, "hello", 5));
	unlink(path);
}

TEST(denied_openat_creates_no_file)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "creat");
	restricted_ring(&r, 0);

	queue_creat(&r, path, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(denied_socket_creates_no_descriptor)
{
	struct rf_ring r;
	int before;

	restricted_ring(&r, 0);
	before = rf_count_fds();
	ASSERT_TRUE(before > 0);

	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_STREAM, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
}

TEST(denied_write_writes_nothing)
{
	struct rf_ring r;
	struct stat st;
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), "write");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_OK(fd);
	restricted_ring(&r, 0);

	rf_prep_rw(rf_get_sqe(&r), IORING_OP_WRITE, fd, "abc", 3, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	ASSERT_OK(fstat(fd, &st));
	EXPECT_EQ(st.st_size, 0);
	unlink(path);
}

TEST(denied_sqe_counts_as_submitted)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "count");
	restricted_ring(&r, 0);

	queue_creat(&r, path, 0);
	EXPECT_RES(rf_submit(&r), 1);
	EXPECT_EQ(rf_sq_pending(&r), 0);
	EXPECT_RES(rf_wait_cqes(&r, 1), 0);
}

/*
 * IOSQE_CQE_SKIP_SUCCESS hides successes only: a denial is still posted.
 * (CQEs are matched by user_data: 6.1 posts an init failure before the
 * batch's earlier inline completions, 7.2 after them.)
 */
#define NO_CQE 1

TEST(denied_sqe_with_cqe_skip_success_posts_cqe)
{
	int res[3] = { NO_CQE, NO_CQE, NO_CQE };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe cqe;
	struct rf_ring r;
	char path[64];
	int i;

	rf_tmp_path(path, sizeof(path), "skip");
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
			       rf_r_flags_allowed(IOSQE_CQE_SKIP_SUCCESS)), 0);
	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);

	/* An allowed, skipped NOP posts nothing; the plain NOP is a marker. */
	sqe = rf_get_sqe(&r);
	rf_prep_nop(sqe);
	sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = 0;
	queue_nop(&r, 1);
	sqe = rf_get_sqe(&r);
	rf_prep_openat(sqe, AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	sqe->flags = IOSQE_CQE_SKIP_SUCCESS;
	sqe->user_data = 2;

	EXPECT_RES(rf_submit(&r), 3);
	ASSERT_RES(rf_wait_cqes(&r, 2), 0);
	for (i = 0; i < 2; i++) {
		ASSERT_RES(rf_pop_cqe(&r, &cqe), 0);
		ASSERT_TRUE(cqe.user_data < 3);
		res[cqe.user_data] = cqe.res;
	}
	EXPECT_EQ(rf_cq_ready(&r), 0);
	EXPECT_RES(res[0], NO_CQE);
	EXPECT_RES(res[1], 0);
	EXPECT_RES(res[2], -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

/*
 * 7.2 checks the restriction before the opcode's prep, so a denied SQE
 * that prep would also reject still reports -EACCES.
 */
TEST(denied_socket_with_bad_fields_reports_eacces)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;

	restricted_ring(&r, 0);
	sqe = rf_get_sqe(&r);
	rf_prep_socket(sqe, AF_INET, SOCK_STREAM, 0);
	sqe->rw_flags = 1;
	EXPECT_RES(rf_run1(&r), -EACCES);
}

TEST(denied_openat_with_unreadable_path_reports_eacces)
{
	struct rf_ring r;

	restricted_ring(&r, 0);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, (const char *)8,
		       O_CREAT | O_WRONLY, 0600);
	EXPECT_RES(rf_run1(&r), -EACCES);
}

TEST(unknown_opcode_still_einval)
{
	struct rf_ring r;

	restricted_ring(&r, 0);
	rf_get_sqe(&r)->opcode = 250;
	EXPECT_RES(rf_run1(&r), -EINVAL);
}

/*
 * A denied SQE that is not part of a link fails init, and on 7.2 an init
 * failure ends the batch: the SQEs after it stay in the SQ ring until the
 * next io_uring_enter.
 */
TEST(denied_sqe_ends_batch)
{
	struct rf_ring r;
	char path[64];
	int res[4] = { 1, 1, 1, 1 };

	rf_tmp_path(path, sizeof(path), "batch");
	restricted_ring(&r, 0);
	queue_nop(&r, 0);
	queue_creat(&r, path, 1);
	queue_nop(&r, 2);
	queue_nop(&r, 3);

	EXPECT_RES(rf_submit(&r), 2);
	EXPECT_EQ(rf_sq_pending(&r), 2);
	ASSERT_RES(rf_reap_by_data(&r, 2, res), 0);
	EXPECT_RES(res[0], 0);
	EXPECT_RES(res[1], -EACCES);
	EXPECT_EQ(rf_cq_ready(&r), 0);

	EXPECT_RES(rf_submit(&r), 2);
	EXPECT_EQ(rf_sq_pending(&r), 0);
	ASSERT_RES(rf_wait_cqes(&r, 2), 0);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(denied_sqe_with_submit_all_continues_batch)
{
	struct rf_ring r;
	char path[64];
	int res[4] = { 1, 1, 1, 1 };

	rf_tmp_path(path, sizeof(path), "all");
	restricted_ring(&r, IORING_SETUP_SUBMIT_ALL);
	queue_nop(&r, 0);
	queue_creat(&r, path, 1);
	queue_nop(&r, 2);
	queue_nop(&r, 3);

	EXPECT_RES(rf_submit(&r), 4);
	EXPECT_EQ(rf_sq_pending(&r), 0);
	ASSERT_RES(rf_reap_by_data(&r, 4, res), 0);
	EXPECT_RES(res[0], 0);
	EXPECT_RES(res[1], -EACCES);
	EXPECT_RES(res[2], 0);
	EXPECT_RES(res[3], 0);
	EXPECT_TRUE(!rf_path_exists(path));
}
