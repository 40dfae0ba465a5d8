// SPDX-License-Identifier: GPL-2.0
/*
 * Which classic BPF programs a filter registration accepts: first the
 * generic checks (bpf_check_classic: known codes, jump ranges, division by
 * a constant zero, scratch memory, a RET at the end), then io_uring's own
 * whitelist (io_uring_check_cbpf_filter): 32-bit aligned loads inside the
 * 40-byte ctx, LEN as the immediate 40, no packet or ancillary loads, no
 * BPF_MOD. Accepted programs are run to show they compute what they should.
 *
 * Every program is registered on a ring of its own for NOP (the checker is
 * the same for task and ring registrations), so one test can try many.
 */
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

/* Register @n instructions for NOP on a new ring: 0 or -errno. */
static int load(const struct sock_filter *p, unsigned int n)
{
	struct rf_ring r;
	int ret;

	ret = rf_ring_init(&r, 4, 0);
	if (ret < 0)
		return ret;
	ret = rf_bpf_filter(r.fd, IORING_OP_NOP, 0, p, n);
	rf_ring_exit(&r);
	return ret;
}

/*
 * Register them on a new ring and submit a NOP: 1 if it ran, 0 if it was
 * denied, or the registration (or other) error.
 */
static int verdict(const struct sock_filter *p, unsigned int n)
{
	struct rf_ring r;
	int ret;

	ret = rf_ring_init(&r, 4, 0);
	if (ret < 0)
		return ret;
	ret = rf_bpf_filter(r.fd, IORING_OP_NOP, 0, p, n);
	if (!ret) {
		ret = rf_ring_nop(&r);
		ret = ret == 0 ? 1 : ret == -EACCES ? 0 : ret;
	}
	rf_ring_exit(&r);
	return ret;
}

#define LOAD(...)	load(RF_INSNS(__VA_ARGS__), RF_NR_INSNS(__VA_ARGS__))
#define VERDICT(...)	verdict(RF_INSNS(__VA_ARGS__), RF_NR_INSNS(__VA_ARGS__))

/* A one-instruction code @code with @k, followed by RET 1. */
static int load_code(uint16_t code, uint32_t k)
{
	return LOAD(BPF_STMT(code, k), RF_RET(1));
}

#define EXPECT_CODE_EINVAL(code, k) do {				\
	if (!EXPECT_RES(load_code(code, k), -EINVAL))			\
		rf_note("code 0x%x k 0x%x", (unsigned int)(code),	\
			(unsigned int)(k));				\
} while (0)

/* ---- loads ---- */

TEST(ld_w_abs_every_aligned_offset_accepted)
{
	unsigned int k;

	for (k = 0; k < RF_BPF_CTX_SIZE; k += 4)
		if (!EXPECT_RES(VERDICT(RF_LD(k), RF_RET(1)), 1))
			rf_note("k %u", k);
}

TEST(ld_w_abs_unaligned_einval)
{
	static const uint32_t ks[] = { 1, 2, 3, 5, 6, 7, 9, 10, 18, 22, 37, 38, 39 };
	unsigned int i;

	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		EXPECT_CODE_EINVAL(BPF_LD | BPF_W | BPF_ABS, ks[i]);
}

TEST(ld_w_abs_out_of_range_einval)
{
	static const uint32_t ks[] = {
		40, 44, 48, 64, 0x1000, 0x7ffffffc, 0xfffffffc,
	};
	unsigned int i;

	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++)
		EXPECT_CODE_EINVAL(BPF_LD | BPF_W | BPF_ABS, ks[i]);
}

TEST(ancillary_loads_einval)
{
	static const int32_t ks[] = {
		SKF_AD_OFF + SKF_AD_PROTOCOL, SKF_AD_OFF + SKF_AD_PKTTYPE,
		SKF_AD_OFF + SKF_AD_IFINDEX, SKF_AD_OFF + SKF_AD_MARK,
		SKF_AD_OFF + SKF_AD_CPU, SKF_AD_OFF + SKF_AD_RANDOM,
		SKF_AD_OFF + SKF_AD_VLAN_TAG, SKF_NET_OFF, SKF_LL_OFF,
	};
	unsigned int i;

	for (i = 0; i < sizeof(ks) / sizeof(ks[0]); i++) {
		EXPECT_CODE_EINVAL(BPF_LD | BPF_W | BPF_ABS, (uint32_t)ks[i]);
		EXPECT_CODE_EINVAL(BPF_LD | BPF_H | BPF_ABS, (uint32_t)ks[i]);
		EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_ABS, (uint32_t)ks[i]);
	}
}

TEST(ld_h_and_b_abs_einval)
{
	EXPECT_CODE_EINVAL(BPF_LD | BPF_H | BPF_ABS, 0);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_H | BPF_ABS, 8);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_ABS, 0);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_ABS, 8);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_ABS, 9);
}

TEST(ld_ind_einval)
{
	EXPECT_CODE_EINVAL(BPF_LD | BPF_W | BPF_IND, 0);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_H | BPF_IND, 0);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_IND, 0);
}

TEST(ldx_b_msh_einval)
{
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_B | BPF_MSH, 0);
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_B | BPF_MSH, 8);
}

/* What the checker turns LD|W|ABS into is not accepted from userspace. */
TEST(ldx_w_abs_code_einval)
{
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_W | BPF_ABS, 0);
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_W | BPF_IND, 0);
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_H | BPF_ABS, 0);
}

TEST(ld_w_len_is_40)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RF_BPF_CTX_SIZE, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
	/* The k of the instruction is ignored. */
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 1234),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RF_BPF_CTX_SIZE, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
}

TEST(ldx_w_len_is_40)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LDX | BPF_W | BPF_LEN, 0),
			   BPF_STMT(BPF_MISC | BPF_TXA, 0),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, RF_BPF_CTX_SIZE, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
}

TEST(len_of_other_sizes_einval)
{
	EXPECT_CODE_EINVAL(BPF_LD | BPF_H | BPF_LEN, 0);
	EXPECT_CODE_EINVAL(BPF_LD | BPF_B | BPF_LEN, 0);
	EXPECT_CODE_EINVAL(BPF_LDX | BPF_H | BPF_LEN, 0);
}

/* ---- ALU ---- */

struct alu_case {
	uint16_t op;
	uint32_t a, operand, result;
	const char *name;
};

static const struct alu_case alu_cases[] = {
	{ BPF_ADD, 6, 3, 9, "ADD" },
	{ BPF_SUB, 6, 3, 3, "SUB" },
	{ BPF_SUB, 3, 6, 0xfffffffd, "SUB (wraps)" },
	{ BPF_MUL, 6, 3, 18, "MUL" },
	{ BPF_DIV, 7, 2, 3, "DIV" },
	{ BPF_AND, 6, 3, 2, "AND" },
	{ BPF_OR, 6, 3, 7, "OR" },
	{ BPF_XOR, 6, 3, 5, "XOR" },
	{ BPF_LSH, 6, 3, 48, "LSH" },
	{ BPF_RSH, 6, 1, 3, "RSH" },
	{ BPF_RSH, 0x80000000, 31, 1, "RSH (logical)" },
};

TEST(alu_k_ops_accepted_and_compute)
{
	unsigned int i;

	for (i = 0; i < sizeof(alu_cases) / sizeof(alu_cases[0]); i++) {
		const struct alu_case *c = &alu_cases[i];

		if (!EXPECT_RES(VERDICT(
				BPF_STMT(BPF_LD | BPF_IMM, c->a),
				BPF_STMT(BPF_ALU | c->op | BPF_K, c->operand),
				BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, c->result, 0, 1),
				RF_RET(1), RF_RET(0)), 1))
			rf_note("%s K", c->name);
	}
}

TEST(alu_x_ops_accepted_and_compute)
{
	unsigned int i;

	for (i = 0; i < sizeof(alu_cases) / sizeof(alu_cases[0]); i++) {
		const struct alu_case *c = &alu_cases[i];

		if (!EXPECT_RES(VERDICT(
				BPF_STMT(BPF_LD | BPF_IMM, c->a),
				BPF_STMT(BPF_LDX | BPF_IMM, c->operand),
				BPF_STMT(BPF_ALU | c->op | BPF_X, 0),
				BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, c->result, 0, 1),
				RF_RET(1), RF_RET(0)), 1))
			rf_note("%s X", c->name);
	}
}

TEST(alu_neg_accepted_and_computes)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_IMM, 6),
			   BPF_STMT(BPF_ALU | BPF_NEG, 0),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xfffffffa, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
}

/* bpf_check_classic allows BPF_MOD; io_uring's list does not. */
TEST(alu_mod_einval)
{
	EXPECT_RES(LOAD(BPF_STMT(BPF_LD | BPF_IMM, 7),
			BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 2),
			BPF_STMT(BPF_RET | BPF_A, 0)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_LD | BPF_IMM, 7),
			BPF_STMT(BPF_LDX | BPF_IMM, 2),
			BPF_STMT(BPF_ALU | BPF_MOD | BPF_X, 0),
			BPF_STMT(BPF_RET | BPF_A, 0)), -EINVAL);
}

TEST(alu_div_by_constant_zero_einval)
{
	EXPECT_CODE_EINVAL(BPF_ALU | BPF_DIV | BPF_K, 0);
}

/* Division by an X of zero ends a classic program with 0: denied. */
TEST(alu_div_by_x_zero_denies)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_IMM, 7),
			   BPF_STMT(BPF_LDX | BPF_IMM, 0),
			   BPF_STMT(BPF_ALU | BPF_DIV | BPF_X, 0),
			   RF_RET(1)), 0);
}

TEST(alu_shift_by_constant_32_einval)
{
	EXPECT_CODE_EINVAL(BPF_ALU | BPF_LSH | BPF_K, 32);
	EXPECT_CODE_EINVAL(BPF_ALU | BPF_RSH | BPF_K, 32);
	EXPECT_RES(load_code(BPF_ALU | BPF_LSH | BPF_K, 31), 0);
}

/* eBPF-only ALU operations are unknown to classic BPF. */
TEST(alu_unknown_ops_einval)
{
	EXPECT_CODE_EINVAL(BPF_ALU | 0xb0 | BPF_K, 1);	/* MOV */
	EXPECT_CODE_EINVAL(BPF_ALU | 0xc0 | BPF_K, 1);	/* ARSH */
	EXPECT_CODE_EINVAL(BPF_ALU | 0xd0 | BPF_K, 16);	/* END */
	EXPECT_CODE_EINVAL(BPF_ALU | BPF_NEG | BPF_X, 0);
}

/* ---- registers and scratch memory ---- */

TEST(a_and_x_start_at_zero)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_RET | BPF_A, 0)), 0);
	EXPECT_RES(VERDICT(BPF_STMT(BPF_MISC | BPF_TXA, 0),
			   BPF_STMT(BPF_RET | BPF_A, 0)), 0);
}

TEST(imm_tax_txa_accepted)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_IMM, 5),
			   BPF_STMT(BPF_MISC | BPF_TAX, 0),
			   BPF_STMT(BPF_LD | BPF_IMM, 0),
			   BPF_STMT(BPF_MISC | BPF_TXA, 0),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
}

TEST(scratch_memory_accepted)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_IMM, 7),
			   BPF_STMT(BPF_ST, 15),
			   BPF_STMT(BPF_LDX | BPF_IMM, 9),
			   BPF_STMT(BPF_STX, 0),
			   BPF_STMT(BPF_LD | BPF_IMM, 0),
			   BPF_STMT(BPF_LDX | BPF_IMM, 0),
			   BPF_STMT(BPF_LDX | BPF_MEM, 15),
			   BPF_STMT(BPF_LD | BPF_MEM, 0),
			   BPF_STMT(BPF_ALU | BPF_SUB | BPF_X, 0),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 2, 0, 1),
			   RF_RET(1), RF_RET(0)), 1);
}

TEST(scratch_memory_index_16_einval)
{
	EXPECT_RES(LOAD(BPF_STMT(BPF_ST, 16), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_STX, 16), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_ST, 0), BPF_STMT(BPF_LD | BPF_MEM, 16),
			RF_RET(1)), -EINVAL);
}

TEST(uninitialised_scratch_load_einval)
{
	EXPECT_RES(LOAD(BPF_STMT(BPF_LD | BPF_MEM, 0), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_ST, 1), BPF_STMT(BPF_LDX | BPF_MEM, 0),
			RF_RET(1)), -EINVAL);
}

/* ---- jumps and returns ---- */

struct jmp_case {
	uint16_t op;
	uint32_t a, operand;
	bool taken;
	const char *name;
};

static const struct jmp_case jmp_cases[] = {
	{ BPF_JEQ, 5, 5, true, "JEQ" },
	{ BPF_JEQ, 5, 6, false, "JEQ" },
	{ BPF_JGE, 5, 5, true, "JGE" },
	{ BPF_JGE, 5, 6, false, "JGE" },
	{ BPF_JGT, 5, 5, false, "JGT" },
	{ BPF_JGT, 6, 5, true, "JGT" },
	{ BPF_JGT, 0xffffffff, 1, true, "JGT (unsigned)" },
	{ BPF_JSET, 5, 4, true, "JSET" },
	{ BPF_JSET, 5, 2, false, "JSET" },
};

TEST(conditional_jumps_k_and_x_accepted_and_compute)
{
	unsigned int i;

	for (i = 0; i < sizeof(jmp_cases) / sizeof(jmp_cases[0]); i++) {
		const struct jmp_case *c = &jmp_cases[i];

		if (!EXPECT_RES(VERDICT(
				BPF_STMT(BPF_LD | BPF_IMM, c->a),
				BPF_JUMP(BPF_JMP | c->op | BPF_K, c->operand, 0, 1),
				RF_RET(1), RF_RET(0)), c->taken))
			rf_note("%s K, A %u, K %u", c->name, c->a, c->operand);
		if (!EXPECT_RES(VERDICT(
				BPF_STMT(BPF_LD | BPF_IMM, c->a),
				BPF_STMT(BPF_LDX | BPF_IMM, c->operand),
				BPF_JUMP(BPF_JMP | c->op | BPF_X, 0, 0, 1),
				RF_RET(1), RF_RET(0)), c->taken))
			rf_note("%s X, A %u, X %u", c->name, c->a, c->operand);
	}
}

TEST(ja_accepted)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_JMP | BPF_JA, 1), RF_RET(0), RF_RET(1)), 1);
	EXPECT_RES(VERDICT(BPF_STMT(BPF_JMP | BPF_JA, 0), RF_RET(0), RF_RET(1)), 0);
}

TEST(ja_out_of_range_einval)
{
	EXPECT_RES(LOAD(BPF_STMT(BPF_JMP | BPF_JA, 2), RF_RET(0), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_JMP | BPF_JA, 0xffffffff), RF_RET(1)), -EINVAL);
}

TEST(conditional_jump_out_of_range_einval)
{
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0),
			RF_RET(0), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
			RF_RET(0), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JGT | BPF_X, 0, 255, 0),
			RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 1),
			RF_RET(1)), -EINVAL);
	/* Both in range: fine. */
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, 1, 1, 0),
			RF_RET(0), RF_RET(1)), 0);
}

/* Jump codes classic BPF does not have, among them JA with X. */
TEST(unknown_jump_codes_einval)
{
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | BPF_JA | BPF_X, 0, 0, 0),
			RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | 0x50 | BPF_K, 0, 0, 0),	/* JNE */
			RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | 0xa0 | BPF_X, 0, 0, 0),	/* JLT */
			RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(BPF_JUMP(BPF_JMP | 0x80 | BPF_K, 0, 0, 0),	/* CALL */
			RF_RET(1)), -EINVAL);
}

TEST(ret_k_and_a_accepted_ret_x_einval)
{
	EXPECT_RES(load_code(BPF_RET | BPF_K, 1), 0);
	EXPECT_RES(LOAD(BPF_STMT(BPF_RET | BPF_A, 0)), 0);
	EXPECT_RES(LOAD(BPF_STMT(BPF_RET | BPF_X, 0)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_RET | 0x18, 0)), -EINVAL);
}

TEST(unknown_misc_codes_einval)
{
	EXPECT_CODE_EINVAL(BPF_MISC | 0x08, 0);
	EXPECT_CODE_EINVAL(BPF_MISC | 0x40, 0);
	EXPECT_CODE_EINVAL(0xffff, 0);
	EXPECT_CODE_EINVAL(0x100 | BPF_RET | BPF_K, 1);
}

/* ---- program shape ---- */

TEST(program_not_ending_in_ret_einval)
{
	EXPECT_RES(LOAD(RF_RET(1), BPF_STMT(BPF_LD | BPF_IMM, 0)), -EINVAL);
	EXPECT_RES(LOAD(BPF_STMT(BPF_LD | BPF_IMM, 1)), -EINVAL);
	EXPECT_RES(LOAD(RF_LD(0)), -EINVAL);
}

/* Unreachable instructions are checked like any other. */
TEST(forbidden_insn_in_dead_code_einval)
{
	EXPECT_RES(LOAD(RF_RET(1), BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
			RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(RF_RET(1), RF_LD(40), RF_RET(1)), -EINVAL);
	EXPECT_RES(LOAD(RF_RET(1), BPF_STMT(BPF_ALU | BPF_MOD | BPF_K, 3),
			RF_RET(1)), -EINVAL);
}

TEST(empty_and_over_long_programs_einval)
{
	size_t n = BPF_MAXINSNS + 1, i;
	struct sock_filter *p = calloc(n, sizeof(*p));

	ASSERT_TRUE(p != NULL);
	for (i = 0; i < n; i++)
		p[i] = (struct sock_filter)RF_RET(1);
	EXPECT_RES(load(p, 0), -EINVAL);
	EXPECT_RES(load(p, n), -EINVAL);
	EXPECT_RES(load(p, n - 1), 0);
}

/* A realistic program mixing most accepted instructions. */
TEST(mixed_program_accepted)
{
	EXPECT_RES(VERDICT(BPF_STMT(BPF_LD | BPF_W | BPF_LEN, 0),
			   BPF_STMT(BPF_ST, 0),
			   RF_LD(8),				/* opcode word */
			   BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xff),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, IORING_OP_NOP, 1, 0),
			   RF_RET(0),
			   RF_LD(16),
			   BPF_STMT(BPF_MISC | BPF_TAX, 0),
			   BPF_STMT(BPF_LD | BPF_MEM, 0),
			   BPF_STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
			   BPF_STMT(BPF_ALU | BPF_RSH | BPF_K, 3),
			   BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 5, 0, 2),
			   BPF_STMT(BPF_ALU | BPF_XOR | BPF_K, 4),
			   BPF_STMT(BPF_RET | BPF_A, 0),
			   RF_RET(0)), 1);
}
