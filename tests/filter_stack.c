// SPDX-License-Identifier: GPL-2.0
/*
 * Several filters: they stack per opcode and a request runs only if every
 * filter of its opcode allows it, so a filter added later can narrow what
 * runs but never widen it. (7.2 runs the newest first and stops at the
 * first denial; filters have no side effects, so only the conjunction is
 * observable.) IO_URING_BPF_FILTER_DENY_REST puts a permanent deny on every
 * opcode that has no filter yet; filters added later for such an opcode
 * register fine and cannot lift it.
 */
#include <sys/socket.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/* NOP with each user_data 0..@n-1 on a new ring: bit i set if it ran. */
static unsigned int nop_mask(unsigned int n)
{
	unsigned int mask = 0, i;
	struct rf_ring r;

	rf_new_ring(&r);
	for (i = 0; i < n; i++) {
		int res = rf_run_nop(&r, i);

		if (res == 0)
			mask |= 1U << i;
		else if (res != -EACCES)
			FAIL("NOP %u: unexpected result %d", i, res);
	}
	rf_ring_exit(&r);
	return mask;
}

static int deny_user_data(int fd, uint32_t v)
{
	return rf_bpf_deny_if(fd, IORING_OP_NOP, rf_match_word(0, v));
}

/* Allow user_data in [lo, hi]. */
static int allow_range(int fd, uint32_t lo, uint32_t hi)
{
	return RF_BPF_FILTER(fd, IORING_OP_NOP, 0,
		RF_LD(0),
		BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, lo, 0, 2),
		BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, hi, 1, 0),
		RF_RET(1),
		RF_RET(0));
}

static int socket_op(struct rf_ring *r, int domain)
{
	rf_prep_socket(rf_get_sqe(r), domain, SOCK_STREAM, 0);
	return rf_run1(r);
}

/* ---- stacking ---- */

TEST(two_allowing_filters_allow)
{
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(4), 0xf);
}

TEST(later_deny_wins_over_earlier_allow)
{
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(4), 0);
}

TEST(later_allow_cannot_loosen_earlier_deny)
{
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(4), 0);
}

TEST(every_filter_must_allow)
{
	ASSERT_RES(allow_range(-1, 1, 4), 0);
	EXPECT_EQ(nop_mask(8), 0x1e);
	ASSERT_RES(allow_range(-1, 3, 6), 0);
	EXPECT_EQ(nop_mask(8), 0x18);
	ASSERT_RES(deny_user_data(-1, 4), 0);
	EXPECT_EQ(nop_mask(8), 0x08);
	/* A wider filter added last changes nothing. */
	ASSERT_RES(allow_range(-1, 0, 7), 0);
	EXPECT_EQ(nop_mask(8), 0x08);
}

TEST(many_stacked_filters)
{
	unsigned int i;

	for (i = 0; i < 64; i++)
		ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(2), 0x3);
	ASSERT_RES(deny_user_data(-1, 1), 0);
	for (i = 0; i < 64; i++)
		ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(2), 0x1);
}

TEST(stacks_are_per_opcode)
{
	struct rf_ring r;
	int before;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_SOCKET), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
	EXPECT_RES(socket_op(&r, AF_UNIX), -EACCES);
	before = rf_count_fds();
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_SOCKET), 0);
	rf_ring_exit(&r);
	rf_new_ring(&r);
	EXPECT_RES(socket_op(&r, AF_UNIX), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
}

/* ---- DENY_REST ---- */

TEST(deny_rest_denies_other_opcodes)
{
	struct rf_ring r;
	char path[64], buf[1];
	int before, p[2];

	rf_tmp_path(path, sizeof(path), "rest");
	ASSERT_OK(pipe(p));
	ASSERT_EQ(write(p[1], "x", 1), 1);
	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
	before = rf_count_fds();
	EXPECT_RES(rf_run_creat(&r, path), -EACCES);
	EXPECT_RES(socket_op(&r, AF_UNIX), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	EXPECT_TRUE(!rf_path_exists(path));
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, p[0], buf, 1, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_EQ(read(p[0], buf, 1), 1);
}

/* The filter carrying the flag still decides for its own opcode. */
TEST(deny_rest_filter_applies_to_its_opcode)
{
	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_LD(0),
				 BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
				 RF_RET(1), RF_RET(0)), 0);
	EXPECT_EQ(nop_mask(4), 0x4);
}

TEST(later_filter_cannot_lift_deny_rest)
{
	struct rf_ring r;
	int before;

	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	/* Registering for a denied opcode works... */
	EXPECT_RES(rf_bpf_allow(-1, IORING_OP_SOCKET), 0);
	EXPECT_RES(RF_BPF_FILTER(-1, IORING_OP_SOCKET, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	/* ... and changes nothing. */
	rf_new_ring(&r);
	before = rf_count_fds();
	EXPECT_RES(socket_op(&r, AF_UNIX), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
}

/* Opcodes that already have a filter keep it, and only it. */
TEST(deny_rest_keeps_existing_filters)
{
	struct rf_ring r;
	int fd;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.family, AF_UNIX)), 0);
	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	rf_new_ring(&r);
	fd = socket_op(&r, AF_UNIX);
	EXPECT_TRUE(fd >= 0);
	close(fd);
	EXPECT_RES(socket_op(&r, AF_INET), -EACCES);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, -1, NULL, 0, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
}

/* More filters on the opcodes DENY_REST spared keep stacking as usual. */
TEST(deny_rest_then_stacking_on_allowed_opcode)
{
	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	ASSERT_RES(deny_user_data(-1, 0), 0);
	EXPECT_EQ(nop_mask(3), 0x6);
}

/* A DENY_REST filter that denies its own opcode too: nothing runs. */
TEST(deny_rest_with_denying_filter_denies_everything)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "none");
	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(0)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_run_nop(&r, 0), -EACCES);
	EXPECT_RES(rf_run_creat(&r, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

/* DENY_REST has no effect on the register side. */
TEST(deny_rest_leaves_register_ops_alone)
{
	struct rf_ring r;

	ASSERT_RES(RF_BPF_FILTER(-1, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(rf_bpf_allow(r.fd, IORING_OP_NOP), 0);
}

/* A program of @len instructions that allows, and is too long to fold. */
static int register_long_allow(int fd, uint32_t opcode, unsigned int len)
{
	static struct sock_filter insns[BPF_MAXINSNS];
	unsigned int i;

	for (i = 0; i + 1 < len; i++)
		insns[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, 1);
	insns[len - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_A, 0);
	return rf_bpf_filter(fd, opcode, 0, insns, len);
}

/*
 * The module's bound, not upstream's: a stack costs its instructions plus 4
 * a filter, at most 32768 per opcode (seccomp's MAX_INSNS_PER_PATH), since
 * 6.x runs the stack with preemption off. 7.x has no bound.
 */
TEST(stack_past_seccomp_path_bound_enomem_module)
{
	struct rf_ring r;
	unsigned int i;

	if (!rf_expect_module())
		SKIP("the bound is ringfence's; native 7.x has none");
	rf_new_ring(&r);
	for (i = 0; i < 7; i++)
		ASSERT_RES(register_long_allow(r.fd, IORING_OP_NOP, BPF_MAXINSNS), 0);
	/* 7 * (4096 + 4) = 28700: room for 4064 more instructions, no more. */
	EXPECT_RES(register_long_allow(r.fd, IORING_OP_NOP, 4065), -ENOMEM);
	EXPECT_RES(register_long_allow(r.fd, IORING_OP_NOP, 4064), 0);
	EXPECT_RES(register_long_allow(r.fd, IORING_OP_NOP, 9), -ENOMEM);
	/* Another opcode's stack is its own; the ring still works. */
	EXPECT_RES(register_long_allow(r.fd, IORING_OP_READ, BPF_MAXINSNS), 0);
	EXPECT_RES(rf_run_nop(&r, 1), 0);
	rf_ring_exit(&r);
}
