/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Classic BPF for io_uring filters: building programs (bpf-build.c),
 * reading them from files (bpf-file.c), checking them as the kernel will
 * (bpf-check.c) and printing them (bpf-print.c).
 */
#ifndef RINGFENCE_CLI_BPF_H
#define RINGFENCE_CLI_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/filter.h>

/* What the filter's BPF_LD|BPF_W|BPF_ABS loads read. */
#define CTX_SIZE	40u	/* sizeof(struct io_uring_bpf_ctx) */
#define CTX_PAYLOAD	16u	/* where the opcode's payload starts */

/* What a filter returns to let a request through; 0 denies it. */
#define BPF_ALLOW	1u

/*
 * The offset of the 32-bit word that holds the low (or high) half of the
 * u64 context field at off: loads read words in the machine's byte order.
 */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define CTX_U64_LOW(off)	(off)
#define CTX_U64_HIGH(off)	((off) + 4)
#else
#define CTX_U64_LOW(off)	((off) + 4)
#define CTX_U64_HIGH(off)	(off)
#endif

/* The 32-bit word a load gets from these four bytes of the context. */
uint32_t ctx_word(uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3);

/* ---- bpf-build.c: programs made of rules ---- */

/*
 * A program is a list of rules followed by a final verdict. A rule is a
 * list of tests; a test that fails jumps to the next rule, and a rule
 * whose tests all pass ends in its own RET. All jumps stay short whatever
 * the number of rules, since no jump leaves its rule.
 */
#define BB_MAX_FIXUPS	32

struct bpf_builder {
	struct sock_filter *insn;
	unsigned int len;
	unsigned int cap;
	/* Jumps of the current rule that go to the next one: 2 * pc + 1
	 * for a true branch, 2 * pc for a false one. */
	unsigned int fixup[BB_MAX_FIXUPS];
	unsigned int nr_fixups;
	bool overflow;
};

void bb_init(struct bpf_builder *b, struct sock_filter *insn, unsigned int cap);
void bb_emit(struct bpf_builder *b, uint16_t code, uint8_t jt, uint8_t jf,
	     uint32_t k);
/* A = the context word at off. */
void bb_load(struct bpf_builder *b, uint32_t off);
/* A &= mask. */
void bb_and(struct bpf_builder *b, uint32_t mask);
/* Conditional jump (code is BPF_JMP|op|BPF_K): if the condition is
 * next_if, go to the next rule, else fall through. */
void bb_jump_next(struct bpf_builder *b, uint16_t code, uint32_t k, bool next_if);
/* The rule goes on only if A == k / A != k / A is one of v[0..n) /
 * A & mask == 0. */
void bb_require_eq(struct bpf_builder *b, uint32_t k);
void bb_require_ne(struct bpf_builder *b, uint32_t k);
void bb_require_in(struct bpf_builder *b, const uint32_t *v, unsigned int n);
void bb_require_clear(struct bpf_builder *b, uint32_t mask);
/* End the rule with RET value; the next rule starts after it. */
void bb_end_rule(struct bpf_builder *b, uint32_t value);
/* The program's length, or -E2BIG if it did not fit (or jumped too far). */
int bb_finish(struct bpf_builder *b);

/* ---- bpf-check.c: what the kernel will accept ---- */

/*
 * The checks of Linux 7.2 (bpf_check_classic() and io_uring's own, which
 * lets only aligned 32-bit loads below offset 40 read the context). Returns
 * 0, or -1 with a message naming the instruction in err.
 */
int bpf_check(const struct sock_filter *insn, unsigned int len,
	      char *err, size_t errlen);

/* How many payload bytes (from offset 16) the program may read. */
unsigned int bpf_payload_needed(const struct sock_filter *insn,
				unsigned int len);

/* ---- bpf-file.c: programs from files ---- */

/*
 * A program from data[0..size): binary (struct sock_filter[], host byte
 * order) if it contains a NUL byte, text otherwise. Text is one
 * instruction a line, "code jt jf k", decimal or 0x hex, separated by
 * blanks or commas; braces are ignored and '#' starts a comment; a lone
 * number before the first instruction is an instruction count and must be
 * right. Returns the number of instructions (at most cap), or -1 with a
 * message in err.
 */
int bpf_parse(const char *data, size_t size, struct sock_filter *out,
	      unsigned int cap, char *err, size_t errlen);

/* bpf_parse() on the contents of path. */
int bpf_read_file(const char *path, struct sock_filter *out, unsigned int cap,
		  char *err, size_t errlen);

/* ---- bpf-print.c: readable programs ---- */

/* One instruction as an assembler would write it, jump targets absolute:
 * "ld [16]", "jeq #0x2 jt 3 jf 5", "ret #1". */
void bpf_disasm(const struct sock_filter *insn, unsigned int pc, char *buf,
		size_t size);

/* What the word at off of the context holds for this opcode, or NULL. */
const char *bpf_ctx_field(unsigned int opcode, uint32_t off);

/*
 * The program in the text format bpf_parse() reads, one instruction a
 * line, with its disassembly (and for loads the field) in a comment.
 */
void bpf_print(FILE *out, unsigned int opcode, const struct sock_filter *insn,
	       unsigned int len);

#endif /* RINGFENCE_CLI_BPF_H */
