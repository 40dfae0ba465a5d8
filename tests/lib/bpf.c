// SPDX-License-Identifier: GPL-2.0
/* io_uring cBPF filters (see bpf.h). */
#include "bpf.h"

#include <errno.h>
#include <stdlib.h>

#include "uring.h"

_Static_assert(sizeof(struct io_uring_bpf_ctx) == RF_BPF_CTX_SIZE,
	       "struct io_uring_bpf_ctx is 40 bytes");
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
	       "RF_MATCH compares the low word of 64-bit fields");

uint32_t rf_ctx_word(const struct io_uring_bpf_ctx *ctx, unsigned int off)
{
	uint32_t w;

	memcpy(&w, (const char *)ctx + off, sizeof(w));
	return w;
}

void rf_bpf_init(struct io_uring_bpf *reg, uint32_t opcode, uint32_t flags,
		 const struct sock_filter *insns, unsigned int len)
{
	memset(reg, 0, sizeof(*reg));
	reg->cmd_type = IO_URING_BPF_CMD_FILTER;
	reg->filter.opcode = opcode;
	reg->filter.flags = flags;
	reg->filter.filter_len = len;
	reg->filter.filter_ptr = (uintptr_t)insns;
}

int rf_bpf_register_raw(int fd, void *arg, unsigned int nr_args)
{
	return rf_sys_register(fd, RINGFENCE_IORING_REGISTER_BPF_FILTER, arg,
			       nr_args);
}

int rf_bpf_filter(int fd, uint32_t opcode, uint32_t flags,
		  const struct sock_filter *insns, unsigned int len)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, opcode, flags, insns, len);
	return rf_bpf_register_raw(fd, &reg, 1);
}

int rf_bpf_allow(int fd, uint32_t opcode)
{
	return RF_BPF_FILTER(fd, opcode, 0, RF_RET(1));
}

int rf_bpf_deny(int fd, uint32_t opcode)
{
	return RF_BPF_FILTER(fd, opcode, 0, RF_RET(0));
}

static int match_filter(int fd, uint32_t opcode, struct rf_match m,
			uint32_t on_match)
{
	return RF_BPF_FILTER(fd, opcode, 0,
		RF_LD(m.off),
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, m.mask),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m.val, 0, 1),
		RF_RET(on_match),
		RF_RET(!on_match));
}

int rf_bpf_allow_if(int fd, uint32_t opcode, struct rf_match m)
{
	return match_filter(fd, opcode, m, 1);
}

int rf_bpf_deny_if(int fd, uint32_t opcode, struct rf_match m)
{
	return match_filter(fd, opcode, m, 0);
}

int rf_bpf_allow_if_all(int fd, uint32_t opcode, const struct rf_match *m,
			unsigned int nr)
{
	/* Three instructions a match, then the two returns. */
	unsigned int len = 3 * nr + 2, i;
	struct sock_filter *p = calloc(len, sizeof(*p));
	int ret;

	if (!p)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		/* On a mismatch, jump to the final "deny". */
		uint8_t to_deny = (uint8_t)(3 * (nr - i - 1) + 1);

		p[3 * i] = (struct sock_filter)RF_LD(m[i].off);
		p[3 * i + 1] = (struct sock_filter)
			BPF_STMT(BPF_ALU | BPF_AND | BPF_K, m[i].mask);
		p[3 * i + 2] = (struct sock_filter)
			BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, m[i].val, 0, to_deny);
	}
	p[len - 2] = (struct sock_filter)RF_RET(1);
	p[len - 1] = (struct sock_filter)RF_RET(0);
	ret = rf_bpf_filter(fd, opcode, 0, p, len);
	free(p);
	return ret;
}
