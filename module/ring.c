// SPDX-License-Identifier: GPL-2.0
/*
 * A ring created by a restricted task takes the task's restriction set for
 * its lifetime. The set is written into the ring's own struct io_restriction
 * (the 5.10 per-ring mechanism), so the kernel's io_check_restriction() in
 * io_init_req() and the register-opcode check in __io_uring_register()
 * enforce it: denial, the CQE, link-chain failure and batch accounting are
 * then the kernel's own code paths, and the policy dies with the ring.
 *
 * It is applied at io_sq_offload_create() entry. io_uring_create() calls it
 * after allocating the ctx and rings but before the SQPOLL thread is started
 * or joined and before the ring's file and fd exist, so nothing can submit to
 * the ring before it is restricted: not a sibling thread, not an SQPOLL
 * thread, not a REGISTERED_FD_ONLY user. The ctx is fresh from kzalloc, so
 * a reused address carries nothing of an older ring.
 */
#include <linux/io_uring_types.h>
#include <linux/bitmap.h>

#include "ringfence.h"

/*
 * 7.0 split the ring's single "restricted" flag into SQE-op and register-op
 * restriction. 6.x has the single flag, so the half a set does not restrict
 * is opened fully.
 */
static void rf_ring_restrict(struct io_ring_ctx *ctx,
			     const struct rf_policy *policy)
{
	struct io_restriction *r = &ctx->restrictions;

	BUILD_BUG_ON(IORING_OP_LAST > RF_UPSTREAM_IORING_OP_LAST);
	BUILD_BUG_ON(IORING_REGISTER_LAST > RF_UPSTREAM_IORING_REGISTER_LAST);

	if (policy->op_registered) {
		bitmap_copy(r->sqe_op, policy->sqe_op, IORING_OP_LAST);
		r->sqe_flags_allowed = policy->sqe_flags_allowed;
		r->sqe_flags_required = policy->sqe_flags_required;
	} else {
		bitmap_fill(r->sqe_op, IORING_OP_LAST);
		r->sqe_flags_allowed = 0xff;
		r->sqe_flags_required = 0;
	}
	if (policy->reg_registered)
		bitmap_copy(r->register_op, policy->register_op,
			    IORING_REGISTER_LAST);
	else
		bitmap_fill(r->register_op, IORING_REGISTER_LAST);

	/* Like an inherited set on 7.x: no second IORING_REGISTER_RESTRICTIONS. */
	r->registered = true;
	ctx->restricted = 1;
}

static void notrace rf_sq_offload_create_entry(unsigned long ip,
					       unsigned long parent_ip,
					       struct ftrace_ops *ops,
					       struct ftrace_regs *fregs)
{
	struct io_ring_ctx *ctx = (struct io_ring_ctx *)rf_fregs_arg(fregs, 0);
	struct rf_policy *policy;

	policy = rf_current_policy();
	if (policy)
		rf_ring_restrict(ctx, policy);
}

static struct rf_ftrace_hook rf_ring_create_hook = {
	.symbol = "io_sq_offload_create",
	.func = rf_sq_offload_create_entry,
};

int rf_ring_init(void)
{
	return rf_ftrace_hook_register(&rf_ring_create_hook);
}

void rf_ring_exit(void)
{
	rf_ftrace_hook_unregister(&rf_ring_create_hook);
}
