// SPDX-License-Identifier: GPL-2.0
/*
 * The filter consumer of the submit path: a ring's cBPF filters judge each
 * request where 7.x runs them, right after io_init_req(). The opcode's prep
 * has run, so the payload is read from the kernel's own copy (the socket
 * arguments, the open_how, the connect address) and never from the SQE or
 * user memory that another thread may be rewriting. The one exception is
 * the first look at a CONNECT on kernels that copy its address only at
 * issue (request.c), which the judgement at issue overrides.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/io_uring_types.h>
#include <linux/string.h>
#include <net/ipv6.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "layout.h"

/* 7.3's io_connect_bpf_populate(). */
static void notrace rf_fill_connect(struct io_uring_bpf_ctx *bctx,
				    const struct sockaddr_storage *ss, int addr_len)
{
	if (!ss || addr_len < (int)sizeof(sa_family_t))
		return;
	bctx->connect.family = ss->ss_family;
	switch (ss->ss_family) {
	case AF_INET: {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)ss;

		if (addr_len < (int)sizeof(*sin))
			break;
		bctx->connect.port = sin->sin_port;
		bctx->connect.v4_addr = sin->sin_addr.s_addr;
		break;
	}
	case AF_INET6: {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)ss;

		if (addr_len < SIN6_LEN_RFC2133)
			break;
		bctx->connect.port = sin6->sin6_port;
		memcpy(bctx->connect.v6_addr, &sin6->sin6_addr,
		       sizeof(bctx->connect.v6_addr));
		break;
	}
	}
}

/*
 * 7.3's io_uring_populate_bpf_ctx(). @addr: a CONNECT's address to judge,
 * or NULL when there is none to read. Inlined: out of line it was a call
 * on every filtered request, with its own frame and a second zeroing of
 * @bctx over the one the kernel's stack initialisation had done.
 */
static __always_inline void rf_fill_ctx(struct io_uring_bpf_ctx *bctx,
					struct io_kiocb *req,
					const struct sockaddr_storage *addr)
{
	memset(bctx, 0, sizeof(*bctx));
	bctx->user_data = req->cqe.user_data;
	bctx->opcode = req->opcode;
	bctx->sqe_flags = rf_req_sqe_flags(req);
	bctx->pdu_size = ringfence_filter_pdu_bytes(req->opcode);

	switch (req->opcode) {
	case IORING_OP_SOCKET: {
		const struct rf_io_socket *sock = (const void *)req;

		bctx->socket.family = sock->domain;
		/* 7.3 shows the type without SOCK_NONBLOCK/SOCK_CLOEXEC; 7.2 kept them. */
		bctx->socket.type = sock->type & SOCK_TYPE_MASK;
		bctx->socket.protocol = sock->protocol;
		break;
	}
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2: {
		const struct rf_io_open *open = (const void *)req;

		bctx->open.flags = open->how.flags;
		bctx->open.mode = open->how.mode;
		bctx->open.resolve = open->how.resolve;
		/*
		 * 7.x's prep forces these opens async, and filters see that as
		 * IOSQE_ASYNC; a kernel whose prep does not is shown the same.
		 */
		if (open->how.flags & (O_TRUNC | O_CREAT | __O_TMPFILE))
			bctx->sqe_flags |= IOSQE_ASYNC;
		break;
	}
	case IORING_OP_CONNECT:
		rf_fill_connect(bctx, addr, rf_req_connect_addr_len(req));
		break;
	}
}

/* The filter of the stack @f that denies the request, or NULL. */
static noinline const struct rf_filter *notrace
rf_stack_denier(const struct rf_filter *f, struct io_kiocb *req,
		const struct sockaddr_storage *addr)
{
	struct io_uring_bpf_ctx bctx;

	rf_fill_ctx(&bctx, req, addr);
	return rf_filters_denier(f, &bctx);
}

/* A CONNECT is judged with its address; apart, so others never zero @ss. */
static noinline const struct rf_filter *notrace
rf_connect_denier_at_submit(const struct rf_filter *f, struct io_kiocb *req)
{
	const struct sockaddr_storage *addr = rf_req_connect_addr(req);
	struct sockaddr_storage ss;

	if (!addr) {
		/* The kernel copied it at prep: without the copy, nothing to judge. */
		if (!rf_kernel_connect_copied_at_issue())
			return f;
		if (!rf_req_connect_early(req, &ss))
			return NULL;
		addr = &ss;
	}
	return rf_stack_denier(f, req, addr);
}

static const struct rf_filter *notrace rf_denier(const struct rf_filters *t,
						 struct io_kiocb *req)
{
	const struct rf_filter *f = t ? rf_filters_stack(t, req->opcode) : NULL;

	if (!f)
		return NULL;
	if (req->opcode == IORING_OP_CONNECT)
		return rf_connect_denier_at_submit(f, req);
	return rf_stack_denier(f, req, NULL);
}

/*
 * The filter of @ring's that denies @req at submit, or NULL. The caller is
 * the submit tracepoint's probe, with preemption off: that is an RCU
 * read-side section, so no rcu_read_lock() (a call on PREEMPT_RCU kernels)
 * is taken, and bpf_prog_run() stays on this CPU.
 */
const struct rf_filter *notrace rf_judge_submit(const struct rf_ring_view *ring,
						struct io_kiocb *req)
{
	lockdep_assert_preemption_disabled();
	return rf_denier(rcu_dereference_check(ring->filters, rcu_read_lock_any_held()), req);
}

/*
 * Into @v: @denier's verdict (from rf_judge_submit()), and what @ring's
 * log-only layers make of @req. Called only for a request that is denied
 * or recorded, so an allowed request on a ring with neither pays nothing
 * of this. Same context as rf_judge_submit().
 */
void notrace rf_judge_settle(const struct rf_ring_view *ring, const struct rf_filter *denier,
			     struct io_kiocb *req, struct rf_verdict *v)
{
	if (denier) {
		v->err = -EACCES;
		v->layer = rf_filter_layer(denier);
	}
	if (!ring)
		return;
	v->learn = ring->learn;
	if (!ring->log_only)
		return;
	/* Log-only layers judge as the enforcing ones would, in their order. */
	if (rf_policy_denies_sqe(ring->log_only, req->opcode, rf_req_sqe_flags(req)))
		v->log_only_layer = RINGFENCE_LAYER_TASK_RESTRICTION;
	else if (rf_denier(ring->log_only->filters, req))
		v->log_only_layer = RINGFENCE_LAYER_TASK_FILTER;
	if (v->log_only_layer)
		v->log_only_err = -EACCES;
}

/*
 * For a record: the payload as a filter sees it. A CONNECT's address the
 * kernel has not copied yet is read without faulting, with no other
 * effect: this judges nothing.
 */
void notrace rf_judge_fill(struct io_kiocb *req, struct ringfence_record *rec)
{
	const struct sockaddr_storage *addr;
	struct sockaddr_storage ss;

	addr = req->opcode == IORING_OP_CONNECT ? rf_req_connect_addr(req) : NULL;
	if (req->opcode == IORING_OP_CONNECT && !addr && rf_req_connect_peek(req, &ss))
		addr = &ss;
	rf_fill_ctx(&rec->ctx, req, addr);
	rec->ctx.user_data = 0;
}

/* A CONNECT denied at issue: its record, with the address judged. */
static void rf_record_connect_issue(struct io_kiocb *req,
				    const struct sockaddr_storage *addr, u8 layer)
{
	struct ringfence_record rec;

	rf_record_init_sqe(&rec, req);
	rf_fill_ctx(&rec.ctx, req, addr);
	rec.ctx.user_data = 0;
	rec.flags = RINGFENCE_RECORD_DENIED;
	rec.layer = layer;
	rec.error = -EACCES;
	rf_record(req->ctx, &rec);
}

/*
 * The verdict at io_connect() entry, on the kernel's copy of the address,
 * for a CONNECT judged at submit on the user's memory; 0 for every other.
 * The caller may be preemptible.
 */
int notrace rf_judge_connect_issue(struct io_kiocb *req)
{
	const struct sockaddr_storage *addr;
	const struct rf_filter *f, *denier;
	const struct rf_filters *t;

	if (!rf_ring_any_filters() || !rf_req_connect_stamped(req))
		return 0;
	rcu_read_lock();
	/*
	 * A ring's filters are never taken away: one without any now never had
	 * any, and the stamp is stale. With filters, no kernel copy means
	 * nothing safe to judge.
	 */
	t = rf_ring_filters(req->ctx);
	addr = rf_req_connect_addr(req);
	f = t ? rf_filters_stack(t, req->opcode) : NULL;
	denier = t && !addr ? f : NULL;
	if (!denier && f && addr) {
		/* bpf_prog_run() must not migrate. */
		migrate_disable();
		denier = rf_stack_denier(f, req, addr);
		migrate_enable();
	}
	rcu_read_unlock();
	rf_req_connect_unstamp(req);
	if (!denier)
		return 0;
	rf_record_connect_issue(req, addr, rf_filter_layer(denier));
	return -EACCES;
}
