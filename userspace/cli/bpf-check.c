// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The checks Linux 7.2 makes before it takes a filter: bpf_check_classic()
 * in net/core/filter.c, then io_uring_check_cbpf_filter() in
 * io_uring/bpf_filter.c. Done here too so that a bad program is refused
 * with a reason rather than a bare EINVAL.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/ringfence.h>

#include "bpf.h"

static int fail(char *err, size_t errlen, const struct sock_filter *insn,
		unsigned int pc, const char *fmt, ...)
{
	char text[64];
	size_t used;
	va_list ap;

	bpf_disasm(&insn[pc], pc, text, sizeof(text));
	snprintf(err, errlen, "instruction %u (%s): ", pc, text);
	used = strnlen(err, errlen);
	va_start(ap, fmt);
	vsnprintf(err + used, errlen - used, fmt, ap);
	va_end(ap);
	return -1;
}

#define PLAIN_CASE(code)	case code:

/* Everything io_uring lets through; BPF_LEN becomes an immediate 40. */
static bool allowed(uint16_t code)
{
	switch (code) {
	case BPF_LD | BPF_W | BPF_ABS:
	case BPF_LD | BPF_W | BPF_LEN:
	case BPF_LDX | BPF_W | BPF_LEN:
	RINGFENCE_CBPF_PLAIN_CODES(PLAIN_CASE)
		return true;
	}
	return false;
}

static bool is_cond_jump(uint16_t code)
{
	return BPF_CLASS(code) == BPF_JMP && BPF_OP(code) != BPF_JA;
}

/* One instruction on its own. */
static int check_insn(const struct sock_filter *insn, unsigned int len,
		      unsigned int pc, char *err, size_t errlen)
{
	const struct sock_filter *f = &insn[pc];

	if (!allowed(f->code))
		return fail(err, errlen, insn, pc,
			    "not allowed in an io_uring filter (it may only "
			    "load 32-bit words of the context, not bytes, "
			    "half-words, IND, MSH or ancillary data, and has "
			    "no MOD)");
	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		if (f->k >= CTX_SIZE || f->k % 4)
			return fail(err, errlen, insn, pc,
				    "loads must be 4-byte aligned and below "
				    "offset %u", CTX_SIZE);
		break;
	case BPF_ALU | BPF_DIV | BPF_K:
		if (!f->k)
			return fail(err, errlen, insn, pc, "division by zero");
		break;
	case BPF_ALU | BPF_LSH | BPF_K:
	case BPF_ALU | BPF_RSH | BPF_K:
		if (f->k >= 32)
			return fail(err, errlen, insn, pc,
				    "shift by 32 or more");
		break;
	case BPF_LD | BPF_MEM:
	case BPF_LDX | BPF_MEM:
	case BPF_ST:
	case BPF_STX:
		if (f->k >= BPF_MEMWORDS)
			return fail(err, errlen, insn, pc,
				    "there are only %d memory words",
				    BPF_MEMWORDS);
		break;
	case BPF_JMP | BPF_JA:
		if (f->k >= len - pc - 1)
			return fail(err, errlen, insn, pc,
				    "jumps past the last instruction");
		break;
	}
	if (is_cond_jump(f->code) &&
	    (pc + f->jt + 1 >= len || pc + f->jf + 1 >= len))
		return fail(err, errlen, insn, pc,
			    "jumps past the last instruction");
	return 0;
}

/*
 * check_load_and_stores(): a memory word may only be read where every
 * path to the read has stored it.
 */
static int check_memory(const struct sock_filter *insn, unsigned int len,
			char *err, size_t errlen)
{
	uint16_t valid_at[BPF_MAXINSNS];
	uint16_t valid = 0;
	unsigned int pc;

	for (pc = 0; pc < len; pc++)
		valid_at[pc] = UINT16_MAX;
	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insn[pc];

		valid &= valid_at[pc];
		switch (f->code) {
		case BPF_ST:
		case BPF_STX:
			valid |= 1u << f->k;
			break;
		case BPF_LD | BPF_MEM:
		case BPF_LDX | BPF_MEM:
			if (!(valid & (1u << f->k)))
				return fail(err, errlen, insn, pc,
					    "reads M[%u] before every path "
					    "to it has stored it", f->k);
			break;
		case BPF_JMP | BPF_JA:
			valid_at[pc + 1 + f->k] &= valid;
			valid = UINT16_MAX;
			break;
		default:
			if (is_cond_jump(f->code)) {
				valid_at[pc + 1 + f->jt] &= valid;
				valid_at[pc + 1 + f->jf] &= valid;
				valid = UINT16_MAX;
			}
		}
	}
	return 0;
}

int bpf_check(const struct sock_filter *insn, unsigned int len,
	      char *err, size_t errlen)
{
	unsigned int pc;

	if (len == 0 || len > BPF_MAXINSNS) {
		snprintf(err, errlen, "a filter has 1 to %d instructions, "
			 "not %u", BPF_MAXINSNS, len);
		return -1;
	}
	for (pc = 0; pc < len; pc++)
		if (check_insn(insn, len, pc, err, errlen))
			return -1;
	if (BPF_CLASS(insn[len - 1].code) != BPF_RET)
		return fail(err, errlen, insn, len - 1,
			    "the last instruction must be a ret");
	return check_memory(insn, len, err, errlen);
}

unsigned int bpf_payload_needed(const struct sock_filter *insn,
				unsigned int len)
{
	unsigned int pc, need = 0;

	for (pc = 0; pc < len; pc++)
		if (insn[pc].code == (BPF_LD | BPF_W | BPF_ABS) &&
		    insn[pc].k >= CTX_PAYLOAD && insn[pc].k < CTX_SIZE &&
		    insn[pc].k + 4 - CTX_PAYLOAD > need)
			need = insn[pc].k + 4 - CTX_PAYLOAD;
	return need;
}
