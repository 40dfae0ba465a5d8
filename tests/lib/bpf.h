/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io_uring cBPF filters (Linux 7.x ABI): building filter programs and
 * registering them with io_uring_register(fd, IORING_REGISTER_BPF_FILTER,
 * struct io_uring_bpf *, 1), fd == -1 for the calling task.
 *
 * A filter reads struct io_uring_bpf_ctx with 32-bit aligned loads only
 * (BPF_LD|BPF_W|BPF_ABS), in the machine's byte order. RF_MATCH() turns a
 * field and a value into the word to load, the mask and the expected value,
 * computed from the structure itself, so that byte order and the position of
 * sub-word fields (sqe_flags, connect.port) never have to be spelled out.
 */
#ifndef RF_BPF_H
#define RF_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <linux/filter.h>
#include <linux/ringfence.h>

/* 7.2's payload sizes (opdef.c filter_pdu_size); 0 for every other opcode. */
#define RF_PDU_SOCKET	12
#define RF_PDU_OPEN	24	/* OPENAT, OPENAT2 */
#define RF_PDU_CONNECT	24

/* sizeof(struct io_uring_bpf_ctx): what LD|W|LEN loads. */
#define RF_BPF_CTX_SIZE	40

/* The ctx word that holds opcode (byte 8), sqe_flags (9), pdu_size (10). */
#define RF_CTX_OPCODE_WORD	offsetof(struct io_uring_bpf_ctx, opcode)

/* A test of one aligned 32-bit word of the ctx: (word & mask) == val. */
struct rf_match {
	unsigned int off;
	uint32_t mask;
	uint32_t val;
};

/* The 32-bit word at @off of @ctx, as a filter loads it. */
uint32_t rf_ctx_word(const struct io_uring_bpf_ctx *ctx, unsigned int off);

/*
 * Match ctx field @field (a member path such as connect.port) against
 * @value. The field must lie inside one aligned word; for the 64-bit fields
 * (user_data, open.*) only the low word is compared (little endian).
 */
#define RF_MATCH(field, value) ({					\
	struct io_uring_bpf_ctx rf_m_, rf_v_;				\
	unsigned int rf_off_ =						\
		offsetof(struct io_uring_bpf_ctx, field) & ~3U;		\
	memset(&rf_m_, 0, sizeof(rf_m_));				\
	memset(&rf_v_, 0, sizeof(rf_v_));				\
	memset(&rf_m_.field, 0xff,					\
	       sizeof(rf_m_.field) < 4 ? sizeof(rf_m_.field) : 4);	\
	rf_v_.field = (value);						\
	(struct rf_match){ rf_off_, rf_ctx_word(&rf_m_, rf_off_),	\
			   rf_ctx_word(&rf_v_, rf_off_) & 			\
			   rf_ctx_word(&rf_m_, rf_off_) };			\
})

/* The same with an explicit mask applied to the field (e.g. a subnet). */
#define RF_MATCH_MASKED(field, value, fmask) ({				\
	struct io_uring_bpf_ctx rf_m_, rf_v_;				\
	unsigned int rf_off_ =						\
		offsetof(struct io_uring_bpf_ctx, field) & ~3U;		\
	memset(&rf_m_, 0, sizeof(rf_m_));				\
	memset(&rf_v_, 0, sizeof(rf_v_));				\
	rf_m_.field = (fmask);						\
	rf_v_.field = (value);						\
	(struct rf_match){ rf_off_, rf_ctx_word(&rf_m_, rf_off_),	\
			   rf_ctx_word(&rf_v_, rf_off_) &		\
			   rf_ctx_word(&rf_m_, rf_off_) };		\
})

/* A match on the whole 32-bit word at @off. */
static inline struct rf_match rf_match_word(unsigned int off, uint32_t val)
{
	return (struct rf_match){ off, 0xffffffffU, val };
}

/* ---- registration ---- */

/*
 * A valid registration of @len instructions for @opcode with @flags;
 * pdu_size 0 (accepted whatever the kernel's size, unless SZ_STRICT).
 */
void rf_bpf_init(struct io_uring_bpf *reg, uint32_t opcode, uint32_t flags,
		 const struct sock_filter *insns, unsigned int len);
/* io_uring_register(fd, IORING_REGISTER_BPF_FILTER, arg, nr_args). */
int rf_bpf_register_raw(int fd, void *arg, unsigned int nr_args);
/* Register @len instructions for @opcode on @fd (-1: the task); 0 or -errno. */
int rf_bpf_filter(int fd, uint32_t opcode, uint32_t flags,
		  const struct sock_filter *insns, unsigned int len);

#define RF_INSNS(...) ((const struct sock_filter[]){ __VA_ARGS__ })
#define RF_NR_INSNS(...) \
	(sizeof(RF_INSNS(__VA_ARGS__)) / sizeof(struct sock_filter))
/* RF_BPF_FILTER(fd, opcode, flags, insn, insn, ...) */
#define RF_BPF_FILTER(fd, opcode, flags, ...)				\
	rf_bpf_filter(fd, opcode, flags, RF_INSNS(__VA_ARGS__),		\
		      RF_NR_INSNS(__VA_ARGS__))

#define RF_LD(off)	BPF_STMT(BPF_LD | BPF_W | BPF_ABS, (off))
#define RF_RET(v)	BPF_STMT(BPF_RET | BPF_K, (v))

/* Programs that return @ret whatever the request. */
int rf_bpf_allow(int fd, uint32_t opcode);
int rf_bpf_deny(int fd, uint32_t opcode);
/* Allow (deny) exactly the requests of @opcode that satisfy @m. */
int rf_bpf_allow_if(int fd, uint32_t opcode, struct rf_match m);
int rf_bpf_deny_if(int fd, uint32_t opcode, struct rf_match m);
/* Allow the requests that satisfy every one of @nr matches. */
int rf_bpf_allow_if_all(int fd, uint32_t opcode, const struct rf_match *m,
			unsigned int nr);

#define RF_MATCHES(...) ((const struct rf_match[]){ __VA_ARGS__ })
#define RF_BPF_ALLOW_IF_ALL(fd, opcode, ...)				\
	rf_bpf_allow_if_all(fd, opcode, RF_MATCHES(__VA_ARGS__),	\
			    sizeof(RF_MATCHES(__VA_ARGS__)) /		\
			    sizeof(struct rf_match))

#endif /* RF_BPF_H */
