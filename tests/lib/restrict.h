/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-task io_uring restrictions (Linux 7.x ABI): building the
 * io_uring_task_restriction argument and probing what a ring allows.
 */
#ifndef RF_RESTRICT_H
#define RF_RESTRICT_H

#include <stdint.h>
#include <linux/ringfence.h>

#include "uring.h"

struct io_uring_restriction rf_r_sqe_op(uint8_t op);
struct io_uring_restriction rf_r_reg_op(uint8_t op);
struct io_uring_restriction rf_r_flags_allowed(uint8_t flags);
struct io_uring_restriction rf_r_flags_required(uint8_t flags);

/* io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, nr_args). */
int rf_register_task_raw(void *arg, unsigned int nr_args);
/* Restrict the calling task to @nr entries (0 or -errno). */
int rf_restrict(const struct io_uring_restriction *res, unsigned int nr);

#define RF_RESTRICTION_ARRAY(...) \
	((const struct io_uring_restriction[]){ __VA_ARGS__ })
#define RF_RESTRICT(...)						\
	rf_restrict(RF_RESTRICTION_ARRAY(__VA_ARGS__),			\
		    sizeof(RF_RESTRICTION_ARRAY(__VA_ARGS__)) /		\
		    sizeof(struct io_uring_restriction))

/*
 * Submit one NOP on @r: 0 if the ring allows it, -EACCES if it is denied,
 * or another -errno.
 */
int rf_ring_nop(struct rf_ring *r);
/* An 8-entry ring; a setup error ends the test. */
void rf_new_ring(struct rf_ring *r);
/* The same on a ring created for the purpose (a setup error is returned). */
int rf_new_ring_nop(void);
/* IORING_REGISTER_PROBE on @fd: a register opcode with no side effect. */
int rf_register_probe(int fd);

#endif /* RF_RESTRICT_H */
