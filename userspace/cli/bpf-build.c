// SPDX-License-Identifier: LGPL-2.1-or-later
/* Building classic BPF programs as lists of rules (see bpf.h). */
#include <errno.h>
#include <string.h>

#include "bpf.h"

uint32_t ctx_word(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
	const uint8_t bytes[4] = { b0, b1, b2, b3 };
	uint32_t word;

	memcpy(&word, bytes, sizeof(word));
	return word;
}

void bb_init(struct bpf_builder *b, struct sock_filter *insn, unsigned int cap)
{
	memset(b, 0, sizeof(*b));
	b->insn = insn;
	b->cap = cap;
}

void bb_emit(struct bpf_builder *b, uint16_t code, uint8_t jt, uint8_t jf,
	     uint32_t k)
{
	if (b->len >= b->cap) {
		b->overflow = true;
		return;
	}
	b->insn[b->len++] = (struct sock_filter){ code, jt, jf, k };
}

void bb_load(struct bpf_builder *b, uint32_t off)
{
	bb_emit(b, BPF_LD | BPF_W | BPF_ABS, 0, 0, off);
}

void bb_and(struct bpf_builder *b, uint32_t mask)
{
	bb_emit(b, BPF_ALU | BPF_AND | BPF_K, 0, 0, mask);
}

void bb_jump_next(struct bpf_builder *b, uint16_t code, uint32_t k, bool next_if)
{
	if (b->nr_fixups >= BB_MAX_FIXUPS || b->len >= b->cap) {
		b->overflow = true;
		return;
	}
	b->fixup[b->nr_fixups++] = 2 * b->len + next_if;
	bb_emit(b, code, 0, 0, k);
}

void bb_require_eq(struct bpf_builder *b, uint32_t k)
{
	bb_jump_next(b, BPF_JMP | BPF_JEQ | BPF_K, k, false);
}

void bb_require_ne(struct bpf_builder *b, uint32_t k)
{
	bb_jump_next(b, BPF_JMP | BPF_JEQ | BPF_K, k, true);
}

void bb_require_in(struct bpf_builder *b, const uint32_t *v, unsigned int n)
{
	unsigned int i;

	if (n == 0 || n > 256) {
		/* Nothing can match (or the jumps cannot reach): no rule. */
		b->overflow = b->overflow || n > 256;
		bb_jump_next(b, BPF_JMP | BPF_JA, 0, true);
		return;
	}
	/* A match skips the remaining tests of the list. */
	for (i = 0; i + 1 < n; i++)
		bb_emit(b, BPF_JMP | BPF_JEQ | BPF_K, (uint8_t)(n - 1 - i), 0,
			v[i]);
	bb_require_eq(b, v[n - 1]);
}

void bb_require_clear(struct bpf_builder *b, uint32_t mask)
{
	bb_jump_next(b, BPF_JMP | BPF_JSET | BPF_K, mask, true);
}

void bb_end_rule(struct bpf_builder *b, uint32_t value)
{
	unsigned int i;

	bb_emit(b, BPF_RET | BPF_K, 0, 0, value);
	for (i = 0; i < b->nr_fixups && !b->overflow; i++) {
		unsigned int pc = b->fixup[i] / 2;
		unsigned int dist = b->len - pc - 1;
		struct sock_filter *f = &b->insn[pc];

		if (dist > UINT8_MAX && BPF_OP(f->code) != BPF_JA) {
			b->overflow = true;
			break;
		}
		if (BPF_OP(f->code) == BPF_JA)
			f->k = dist;
		else if (b->fixup[i] & 1)
			f->jt = (uint8_t)dist;
		else
			f->jf = (uint8_t)dist;
	}
	b->nr_fixups = 0;
}

int bb_finish(struct bpf_builder *b)
{
	if (b->overflow || b->nr_fixups)
		return -E2BIG;
	return (int)b->len;
}
