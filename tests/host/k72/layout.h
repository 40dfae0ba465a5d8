/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ABI facts checked by abi_layout, as X-macro lists so that the same
 * list can be expanded against uapi/linux/ringfence.h and against Linux
 * 7.2's own uapi headers.
 */
#ifndef RF_HOST_LAYOUT_H
#define RF_HOST_LAYOUT_H

#include <stddef.h>

/* X(struct tag, expected sizeof on x86_64 per 7.2) */
#define RF_LAYOUT_SIZES(X)						\
	X(io_uring_restriction, 16)					\
	X(io_uring_task_restriction, 16)				\
	X(io_uring_bpf_ctx, 40)						\
	X(io_uring_bpf_filter, 64)					\
	X(io_uring_bpf, 72)

/* F(struct tag, member, expected offset) */
#define RF_LAYOUT_FIELDS(F)						\
	F(io_uring_restriction, opcode, 0)				\
	F(io_uring_restriction, register_op, 2)				\
	F(io_uring_restriction, sqe_op, 2)				\
	F(io_uring_restriction, sqe_flags, 2)				\
	F(io_uring_restriction, resv, 3)				\
	F(io_uring_restriction, resv2, 4)				\
	F(io_uring_task_restriction, flags, 0)				\
	F(io_uring_task_restriction, nr_res, 2)				\
	F(io_uring_task_restriction, resv, 4)				\
	F(io_uring_task_restriction, restrictions, 16)			\
	F(io_uring_bpf_ctx, user_data, 0)				\
	F(io_uring_bpf_ctx, opcode, 8)					\
	F(io_uring_bpf_ctx, sqe_flags, 9)				\
	F(io_uring_bpf_ctx, pdu_size, 10)				\
	F(io_uring_bpf_ctx, pad, 11)					\
	F(io_uring_bpf_ctx, socket.family, 16)				\
	F(io_uring_bpf_ctx, socket.type, 20)				\
	F(io_uring_bpf_ctx, socket.protocol, 24)			\
	F(io_uring_bpf_ctx, open.flags, 16)				\
	F(io_uring_bpf_ctx, open.mode, 24)				\
	F(io_uring_bpf_ctx, open.resolve, 32)				\
	F(io_uring_bpf_ctx, connect.family, 16)				\
	F(io_uring_bpf_ctx, connect.port, 20)				\
	F(io_uring_bpf_ctx, connect.pad, 22)				\
	F(io_uring_bpf_ctx, connect.v4_addr, 24)			\
	F(io_uring_bpf_ctx, connect.v6_addr, 24)			\
	F(io_uring_bpf_filter, opcode, 0)				\
	F(io_uring_bpf_filter, flags, 4)				\
	F(io_uring_bpf_filter, filter_len, 8)				\
	F(io_uring_bpf_filter, pdu_size, 12)				\
	F(io_uring_bpf_filter, resv, 13)				\
	F(io_uring_bpf_filter, filter_ptr, 16)				\
	F(io_uring_bpf_filter, resv2, 24)				\
	F(io_uring_bpf, cmd_type, 0)					\
	F(io_uring_bpf, cmd_flags, 2)					\
	F(io_uring_bpf, resv, 4)					\
	F(io_uring_bpf, filter, 8)

/* C(name, ringfence.h spelling, 7.2 spelling, expected value) */
#define RF_LAYOUT_CONSTS(C)						\
	C(REGISTER_RESTRICTIONS, RINGFENCE_IORING_REGISTER_RESTRICTIONS, IORING_REGISTER_RESTRICTIONS, 11) \
	C(REGISTER_BPF_FILTER, RINGFENCE_IORING_REGISTER_BPF_FILTER, IORING_REGISTER_BPF_FILTER, 37) \
	C(REGISTER_USE_REGISTERED_RING, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING, IORING_REGISTER_USE_REGISTERED_RING, 1UL << 31) \
	C(RESTRICTION_REGISTER_OP, IORING_RESTRICTION_REGISTER_OP, IORING_RESTRICTION_REGISTER_OP, 0) \
	C(RESTRICTION_SQE_OP, IORING_RESTRICTION_SQE_OP, IORING_RESTRICTION_SQE_OP, 1) \
	C(RESTRICTION_SQE_FLAGS_ALLOWED, IORING_RESTRICTION_SQE_FLAGS_ALLOWED, IORING_RESTRICTION_SQE_FLAGS_ALLOWED, 2) \
	C(RESTRICTION_SQE_FLAGS_REQUIRED, IORING_RESTRICTION_SQE_FLAGS_REQUIRED, IORING_RESTRICTION_SQE_FLAGS_REQUIRED, 3) \
	C(BPF_FILTER_DENY_REST, IO_URING_BPF_FILTER_DENY_REST, IO_URING_BPF_FILTER_DENY_REST, 1) \
	C(BPF_FILTER_SZ_STRICT, IO_URING_BPF_FILTER_SZ_STRICT, IO_URING_BPF_FILTER_SZ_STRICT, 2) \
	C(BPF_CMD_FILTER, IO_URING_BPF_CMD_FILTER, IO_URING_BPF_CMD_FILTER, 1)

struct rf_layout_fact {
	const char *name;
	unsigned long value;
};

/* Filled from 7.2's headers by k72_layout.c; NULL when they were absent. */
extern const struct rf_layout_fact *const rf_k72_facts;
extern const unsigned int rf_k72_nr_facts;

#endif /* RF_HOST_LAYOUT_H */
