// SPDX-License-Identifier: LGPL-2.1-or-later
#include <string.h>

#include "bpf-interp.h"

static int alu(uint16_t op, uint32_t *a, uint32_t operand)
{
	switch (op) {
	case BPF_ADD: *a += operand; return 0;
	case BPF_SUB: *a -= operand; return 0;
	case BPF_MUL: *a *= operand; return 0;
	case BPF_DIV:
		/* Division by a zero X makes the program return 0. */
		if (!operand)
			return 1;
		*a /= operand;
		return 0;
	case BPF_AND: *a &= operand; return 0;
	case BPF_OR: *a |= operand; return 0;
	case BPF_XOR: *a ^= operand; return 0;
	case BPF_LSH: *a <<= operand & 31; return 0;
	case BPF_RSH: *a >>= operand & 31; return 0;
	case BPF_NEG: *a = -*a; return 0;
	}
	return -1;
}

static int jump(uint16_t op, uint32_t a, uint32_t operand, int *taken)
{
	switch (op) {
	case BPF_JEQ: *taken = a == operand; return 0;
	case BPF_JGT: *taken = a > operand; return 0;
	case BPF_JGE: *taken = a >= operand; return 0;
	case BPF_JSET: *taken = (a & operand) != 0; return 0;
	}
	return -1;
}

int64_t bpf_interp(const struct sock_filter *prog, unsigned int len,
		   const void *ctx, size_t ctx_size)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = { 0 };
	unsigned int pc = 0;

	while (pc < len) {
		const struct sock_filter *f = &prog[pc++];
		uint32_t operand = BPF_SRC(f->code) == BPF_X ? x : f->k;
		int taken, ret;

		if (f->code > 0xff)
			return -1;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k % 4 || f->k >= ctx_size ||
			    ctx_size - f->k < 4)
				return -1;
			memcpy(&a, (const char *)ctx + f->k, 4);
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
			a = (uint32_t)ctx_size;
			continue;
		case BPF_LDX | BPF_W | BPF_LEN:
			x = (uint32_t)ctx_size;
			continue;
		case BPF_LD | BPF_IMM:
			a = f->k;
			continue;
		case BPF_LDX | BPF_IMM:
			x = f->k;
			continue;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
		case BPF_ST:
		case BPF_STX:
			if (f->k >= BPF_MEMWORDS)
				return -1;
			if (f->code == BPF_ST)
				mem[f->k] = a;
			else if (f->code == BPF_STX)
				mem[f->k] = x;
			else if (BPF_CLASS(f->code) == BPF_LD)
				a = mem[f->k];
			else
				x = mem[f->k];
			continue;
		case BPF_MISC | BPF_TAX:
			x = a;
			continue;
		case BPF_MISC | BPF_TXA:
			a = x;
			continue;
		case BPF_RET | BPF_K:
			return f->k;
		case BPF_RET | BPF_A:
			return a;
		case BPF_JMP | BPF_JA:
			if (f->k >= len - pc)
				return -1;
			pc += f->k;
			continue;
		}
		switch (BPF_CLASS(f->code)) {
		case BPF_ALU:
			if (BPF_OP(f->code) == BPF_MOD)
				return -1;	/* not for io_uring */
			ret = alu(BPF_OP(f->code), &a, operand);
			if (ret < 0)
				return -1;
			if (ret)
				return 0;
			continue;
		case BPF_JMP:
			if (jump(BPF_OP(f->code), a, operand, &taken))
				return -1;
			pc += taken ? f->jt : f->jf;
			continue;
		}
		return -1;
	}
	return -1;
}
