// SPDX-License-Identifier: GPL-2.0
#include "restrict.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static struct io_uring_restriction entry(uint16_t type, uint8_t val)
{
	struct io_uring_restriction r;

	memset(&r, 0, sizeof(r));
	r.opcode = type;
	/* register_op, sqe_op and sqe_flags share one byte. */
	r.sqe_op = val;
	return r;
}

struct io_uring_restriction rf_r_sqe_op(uint8_t op)
{
	return entry(IORING_RESTRICTION_SQE_OP, op);
}

struct io_uring_restriction rf_r_reg_op(uint8_t op)
{
	return entry(IORING_RESTRICTION_REGISTER_OP, op);
}

struct io_uring_restriction rf_r_flags_allowed(uint8_t flags)
{
	return entry(IORING_RESTRICTION_SQE_FLAGS_ALLOWED, flags);
}

struct io_uring_restriction rf_r_flags_required(uint8_t flags)
{
	return entry(IORING_RESTRICTION_SQE_FLAGS_REQUIRED, flags);
}

int rf_register_task_raw(void *arg, unsigned int nr_args)
{
	return rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS,
			       arg, nr_args);
}

int rf_restrict(const struct io_uring_restriction *res, unsigned int nr)
{
	struct io_uring_task_restriction *tr;
	size_t len = sizeof(*tr) + nr * sizeof(*res);
	int ret;

	tr = calloc(1, len);
	if (!tr)
		return -ENOMEM;
	tr->nr_res = (uint16_t)nr;
	if (nr)
		memcpy(tr->restrictions, res, nr * sizeof(*res));
	ret = rf_register_task_raw(tr, 1);
	free(tr);
	return ret;
}

int rf_ring_nop(struct rf_ring *r)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	rf_prep_nop(sqe);
	return rf_run1(r);
}

int rf_new_ring_nop(void)
{
	struct rf_ring r;
	int ret;

	ret = rf_ring_init(&r, 4, 0);
	if (ret < 0)
		return ret;
	ret = rf_ring_nop(&r);
	rf_ring_exit(&r);
	return ret;
}

int rf_register_probe(int fd)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;

	memset(&probe, 0, sizeof(probe));
	return rf_sys_register(fd, IORING_REGISTER_PROBE, &probe, 256);
}
