// SPDX-License-Identifier: LGPL-2.1-or-later
/* Classic BPF as people read it: tcpdump -d's mnemonics, context fields. */
#include <stdio.h>
#include <string.h>
#include <linux/io_uring.h>

#include "bpf.h"

static const char *alu_name(uint16_t op)
{
	switch (op) {
	case BPF_ADD: return "add";
	case BPF_SUB: return "sub";
	case BPF_MUL: return "mul";
	case BPF_DIV: return "div";
	case BPF_MOD: return "mod";
	case BPF_AND: return "and";
	case BPF_OR: return "or";
	case BPF_XOR: return "xor";
	case BPF_LSH: return "lsh";
	case BPF_RSH: return "rsh";
	case BPF_NEG: return "neg";
	}
	return NULL;
}

static const char *jmp_name(uint16_t op)
{
	switch (op) {
	case BPF_JEQ: return "jeq";
	case BPF_JGT: return "jgt";
	case BPF_JGE: return "jge";
	case BPF_JSET: return "jset";
	}
	return NULL;
}

static void disasm_ld(const struct sock_filter *f, char *buf, size_t size)
{
	const char *reg = BPF_CLASS(f->code) == BPF_LD ? "ld" : "ldx";
	const char *width = BPF_SIZE(f->code) == BPF_B ? "b" :
			    BPF_SIZE(f->code) == BPF_H ? "h" : "";

	switch (BPF_MODE(f->code)) {
	case BPF_ABS:
		snprintf(buf, size, "%s%s [%u]", reg, width, f->k);
		return;
	case BPF_IND:
		snprintf(buf, size, "%s%s [x + %u]", reg, width, f->k);
		return;
	case BPF_LEN:
		snprintf(buf, size, "%s #len", reg);
		return;
	case BPF_IMM:
		snprintf(buf, size, "%s #%u", reg, f->k);
		return;
	case BPF_MEM:
		snprintf(buf, size, "%s M[%u]", reg, f->k);
		return;
	case BPF_MSH:
		snprintf(buf, size, "%sb 4*([%u]&0xf)", reg, f->k);
		return;
	}
	snprintf(buf, size, "code 0x%04x", f->code);
}

void bpf_disasm(const struct sock_filter *f, unsigned int pc, char *buf,
		size_t size)
{
	const char *name;

	switch (BPF_CLASS(f->code)) {
	case BPF_LD:
	case BPF_LDX:
		disasm_ld(f, buf, size);
		return;
	case BPF_ST:
		snprintf(buf, size, "st M[%u]", f->k);
		return;
	case BPF_STX:
		snprintf(buf, size, "stx M[%u]", f->k);
		return;
	case BPF_ALU:
		name = alu_name(BPF_OP(f->code));
		if (!name)
			break;
		if (BPF_OP(f->code) == BPF_NEG)
			snprintf(buf, size, "neg");
		else if (BPF_SRC(f->code) == BPF_X)
			snprintf(buf, size, "%s x", name);
		else
			snprintf(buf, size, "%s #0x%x", name, f->k);
		return;
	case BPF_JMP:
		if (BPF_OP(f->code) == BPF_JA) {
			snprintf(buf, size, "ja %u", pc + 1 + f->k);
			return;
		}
		name = jmp_name(BPF_OP(f->code));
		if (!name)
			break;
		if (BPF_SRC(f->code) == BPF_X)
			snprintf(buf, size, "%s x jt %u jf %u", name,
				 pc + 1 + f->jt, pc + 1 + f->jf);
		else
			snprintf(buf, size, "%s #0x%x jt %u jf %u", name, f->k,
				 pc + 1 + f->jt, pc + 1 + f->jf);
		return;
	case BPF_RET:
		if (BPF_RVAL(f->code) == BPF_A)
			snprintf(buf, size, "ret a");
		else
			snprintf(buf, size, "ret #%u", f->k);
		return;
	case BPF_MISC:
		if (f->code == (BPF_MISC | BPF_TAX)) {
			snprintf(buf, size, "tax");
			return;
		}
		if (f->code == (BPF_MISC | BPF_TXA)) {
			snprintf(buf, size, "txa");
			return;
		}
		break;
	}
	snprintf(buf, size, "code 0x%04x", f->code);
}

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define LOW_HIGH(field) field ", low half", field ", high half"
#else
#define LOW_HIGH(field) field ", high half", field ", low half"
#endif

/* Words 0 to 3: the same for every opcode. */
static const char *const header_words[] = {
	LOW_HIGH("user_data"),
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	"opcode | sqe_flags << 8 | pdu_size << 16",
#else
	"opcode << 24 | sqe_flags << 16 | pdu_size << 8",
#endif
	"padding, always 0",
};

static const char *const socket_words[] = {
	"socket.family", "socket.type", "socket.protocol",
};

static const char *const open_words[] = {
	LOW_HIGH("open.flags"), LOW_HIGH("open.mode"), LOW_HIGH("open.resolve"),
};

static const char *const connect_words[] = {
	"connect.family",
	"connect.port (network byte order), then 2 zero bytes",
	"connect.v4_addr, or connect.v6_addr[0..3]",
	"connect.v6_addr[4..7]",
	"connect.v6_addr[8..11]",
	"connect.v6_addr[12..15]",
};

#define WORDS(a) (sizeof(a) / sizeof((a)[0]))

const char *bpf_ctx_field(unsigned int opcode, uint32_t off)
{
	uint32_t word;

	if (off >= CTX_SIZE || off % 4)
		return NULL;
	if (off < CTX_PAYLOAD)
		return header_words[off / 4];
	word = (off - CTX_PAYLOAD) / 4;
	switch (opcode) {
	case IORING_OP_SOCKET:
		return word < WORDS(socket_words) ? socket_words[word] :
			"past the SOCKET payload, always 0";
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		return open_words[word];
	case IORING_OP_CONNECT:
		return connect_words[word];
	}
	return "payload, always 0: this opcode has none";
}

void bpf_print(FILE *out, unsigned int opcode, const struct sock_filter *insn,
	       unsigned int len)
{
	unsigned int pc;

	for (pc = 0; pc < len; pc++) {
		const struct sock_filter *f = &insn[pc];
		const char *field = NULL;
		char text[64];

		bpf_disasm(f, pc, text, sizeof(text));
		if (f->code == (BPF_LD | BPF_W | BPF_ABS))
			field = bpf_ctx_field(opcode, f->k);
		fprintf(out, "0x%02x %3u %3u 0x%08x  # %4u: ", f->code, f->jt,
			f->jf, f->k, pc);
		if (field)
			fprintf(out, "%-24s ; %s\n", text, field);
		else
			fprintf(out, "%s\n", text);
	}
}
