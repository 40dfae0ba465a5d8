// SPDX-License-Identifier: GPL-2.0
/*
 * What a task filter sees and what its verdict does, on requests without a
 * payload: a filter returning 0 fails the request with -EACCES (still
 * counted as submitted), any other value lets it run; the ctx carries
 * user_data, opcode, sqe_flags and pdu_size, and everything after them is
 * zero. Filters are per opcode.
 */
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/* Submit one NOP with @user_data and @flags and return its CQE res. */
static int nop(struct rf_ring *r, uint64_t user_data, uint8_t flags)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	rf_prep_nop(sqe);
	sqe->user_data = user_data;
	sqe->flags = flags;
	return rf_run1(r);
}

TEST(deny_all_nop_eacces)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, 0), -EACCES);
}

TEST(denied_request_counts_as_submitted)
{
	struct io_uring_cqe cqe;
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	rf_new_ring(&r);
	rf_prep_nop(rf_get_sqe(&r));
	EXPECT_RES(rf_submit(&r), 1);
	EXPECT_EQ(rf_sq_pending(&r), 0);
	ASSERT_RES(rf_wait_cqes(&r, 1), 0);
	ASSERT_RES(rf_pop_cqe(&r, &cqe), 0);
	EXPECT_RES(cqe.res, -EACCES);
}

TEST(allow_all_nop_runs)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, 0), 0);
	EXPECT_RES(nop(&r, 7, 0), 0);
}

/* Any non-zero return allows, from RET K as from RET A. */
TEST(nonzero_return_values_allow)
{
	static const uint32_t vals[] = { 1, 2, 0x7fff0000, 0x80000000, 0xffffffff };
	struct rf_ring r;
	unsigned int i;

	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		rf_new_ring(&r);
		ASSERT_RES(RF_BPF_FILTER(r.fd, IORING_OP_NOP, 0, RF_RET(vals[i])), 0);
		EXPECT_RES(nop(&r, 0, 0), 0);
		rf_ring_exit(&r);

		rf_new_ring(&r);
		ASSERT_RES(RF_BPF_FILTER(r.fd, IORING_OP_NOP, 0,
					 BPF_STMT(BPF_LD | BPF_IMM, vals[i]),
					 BPF_STMT(BPF_RET | BPF_A, 0)), 0);
		EXPECT_RES(nop(&r, 0, 0), 0);
		rf_ring_exit(&r);
	}
	rf_new_ring(&r);
	ASSERT_RES(RF_BPF_FILTER(r.fd, IORING_OP_NOP, 0,
				 BPF_STMT(BPF_LD | BPF_IMM, 0),
				 BPF_STMT(BPF_RET | BPF_A, 0)), 0);
	EXPECT_RES(nop(&r, 0, 0), -EACCES);
}

TEST(user_data_visible)
{
	struct rf_ring r;

	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_NOP,
				       rf_match_word(0, 42), rf_match_word(4, 0)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 42, 0), 0);
	EXPECT_RES(nop(&r, 43, 0), -EACCES);
	EXPECT_RES(nop(&r, 0, 0), -EACCES);
	EXPECT_RES(nop(&r, 42ULL | (1ULL << 32), 0), -EACCES);
}

TEST(user_data_high_word_visible)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_NOP,
				   rf_match_word(4, 0xdeadbeef)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0xdeadbeef00000001ULL, 0), 0);
	EXPECT_RES(nop(&r, 0xdeadbeefULL, 0), -EACCES);
}

TEST(opcode_visible)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_NOP,
				   RF_MATCH(opcode, IORING_OP_NOP)), 0);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_READ,
				   RF_MATCH(opcode, IORING_OP_READ)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, 0), 0);
	/* A filter for READ that only accepts opcode NOP never allows. */
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_READ,
				   RF_MATCH(opcode, IORING_OP_NOP)), 0);
	rf_ring_exit(&r);
	rf_new_ring(&r);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, 0, NULL, 0, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
}

TEST(sqe_flags_visible)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_NOP,
				  RF_MATCH_MASKED(sqe_flags, IOSQE_ASYNC,
						  IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, 0), 0);
	EXPECT_RES(nop(&r, 0, IOSQE_ASYNC), -EACCES);
	EXPECT_RES(nop(&r, 0, IOSQE_IO_LINK), 0);
}

/* sqe_flags is the request's flags as the SQE gave them. */
TEST(sqe_flags_exact_value)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_NOP,
				   RF_MATCH(sqe_flags, IOSQE_ASYNC | IOSQE_IO_DRAIN)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, IOSQE_ASYNC | IOSQE_IO_DRAIN), 0);
	EXPECT_RES(nop(&r, 0, IOSQE_ASYNC), -EACCES);
	EXPECT_RES(nop(&r, 0, 0), -EACCES);
}

/*
 * sqe_flags is taken from the request after io_init_req and the opcode's
 * prep: flags the kernel adds there show up. IOSQE_IO_DRAIN forces the
 * request async, so a drained NOP is seen with IOSQE_ASYNC too.
 */
TEST(sqe_flags_drain_seen_with_async)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_NOP,
				   RF_MATCH(sqe_flags, IOSQE_IO_DRAIN | IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, IOSQE_IO_DRAIN), 0);
}

/* OPENAT with O_CREAT or O_TRUNC is forced async by its prep. */
TEST(sqe_flags_openat_creat_seen_with_async)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), "async");
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT,
				  RF_MATCH_MASKED(sqe_flags, IOSQE_ASYNC,
						  IOSQE_ASYNC)), 0);
	rf_new_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ASSERT_OK(fd);
	close(fd);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_WRONLY | O_TRUNC, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	sqe = rf_get_sqe(&r);
	rf_prep_openat(sqe, AT_FDCWD, path, O_WRONLY, 0);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
	unlink(path);
}

TEST(nop_pdu_size_zero_and_rest_zeroed)
{
	struct rf_ring r;

	/* Word 8: opcode, sqe_flags, pdu_size, pad[0]; the rest all zero. */
	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_NOP,
				       rf_match_word(8, IORING_OP_NOP),
				       rf_match_word(12, 0), rf_match_word(16, 0),
				       rf_match_word(20, 0), rf_match_word(24, 0),
				       rf_match_word(28, 0), rf_match_word(32, 0),
				       rf_match_word(36, 0)), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0x1234, 0), 0);
}

TEST(openat_opcode_word)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), "ctx");
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	ASSERT_OK(fd);
	close(fd);
	/* opcode 18, no flags, pdu_size 24, pad 0. */
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT,
				   rf_match_word(8, IORING_OP_OPENAT |
						 (RF_PDU_OPEN << 16))), 0);
	rf_new_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_RDONLY, 0);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
	/* sqe_flags share the word: the same open with IOSQE_ASYNC fails. */
	sqe = rf_get_sqe(&r);
	rf_prep_openat(sqe, AT_FDCWD, path, O_RDONLY, 0);
	sqe->flags = IOSQE_ASYNC;
	EXPECT_RES(rf_run1(&r), -EACCES);
	unlink(path);
}

TEST(socket_pdu_size_visible)
{
	struct rf_ring r;
	int fd;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(pdu_size, RF_PDU_SOCKET)), 0);
	rf_new_ring(&r);
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM, 0);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
}

TEST(filter_applies_to_its_opcode_only)
{
	struct rf_ring r;
	char buf[4];
	int p[2];

	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "abc", 3), 3);
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_READ), 0);
	rf_new_ring(&r);
	EXPECT_RES(nop(&r, 0, 0), 0);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, p[0], buf, 3, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	/* The denied READ consumed nothing. */
	EXPECT_EQ(read(p[0], buf, 3), 3);
}

/* A task with only filters has no classic restriction: other ops run. */
TEST(filter_only_task_has_no_op_restriction)
{
	struct rf_ring r;
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), "free");
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	rf_new_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	fd = rf_run1(&r);
	EXPECT_TRUE(fd >= 0);
	EXPECT_TRUE(rf_path_exists(path));
	EXPECT_RES(rf_register_probe(r.fd), 0);
	unlink(path);
}
