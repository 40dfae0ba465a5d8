// SPDX-License-Identifier: GPL-2.0
/*
 * Running a ring's cBPF filters on each request, where 7.x runs them: right
 * after io_init_req(), which is where the submit tracepoint fires. The
 * opcode's prep has run, so the payload is read from the kernel's own copy
 * (the socket arguments, the open_how, the connect address) and never from
 * the SQE or user memory that another thread may be rewriting.
 *
 * A denied request is failed the way io_submit_fail_init() fails one: the
 * request carries -EACCES and REQ_F_FAIL, the head of the link it joins is
 * failed with -ECANCELED, and io_submit_sqe() then routes both through the
 * kernel's failure path, so the CQEs and the link chain come out as on 7.x.
 *
 * CONNECT: kernels before 6.10 copy the address only at issue. There the
 * request is judged on a non-faulting read of the user's address at submit
 * (so an obvious denial fails it at init, as on 7.x), forced down the async
 * path so the kernel copies the address before issue, and judged again on
 * that copy at io_connect() entry, which is what decides. An address 7.x's
 * prep would reject (bad length, unreadable) is not judged at submit: the
 * forced async prep then fails it with the same -EINVAL or -EFAULT.
 */
#include <linux/io_uring_types.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tracepoint.h>
#include <linux/random.h>
#include <linux/mutex.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "layout.h"

/* io_uring/io_uring.h's SQE_VALID_FLAGS: every IOSQE_* bit. */
#define RF_SQE_VALID_FLAGS	0x7f

/*
 * Forcing a CONNECT async sets the bit filters see as IOSQE_ASYNC, so the
 * issue-time judgement needs the flags the user submitted. They are kept in
 * the request's command area after struct io_connect, which the kernel
 * never touches (btf.c checks that it fits). That memory holds whatever the
 * request's previous opcode, or a previous ring, left there, so the saved
 * flags count only under a stamp no earlier content can match: the
 * request's and its ring's addresses keyed with a secret chosen at load. A
 * stamp left by a request that never reached io_connect() (denied at
 * submit, or failed by its prep) can only match again on the same ring
 * with the same request slot, where it costs a second judgement by that
 * ring's own filters, never a wrong one.
 */
struct rf_connect_cmd {
	struct rf_io_connect conn;
	u64 stamp;
	u8 sqe_flags;
};
static_assert(sizeof(struct rf_connect_cmd) <= sizeof(struct io_cmd_data));

static u64 rf_connect_key __read_mostly;

static u64 rf_connect_stamp(const struct io_kiocb *req)
{
	return rf_connect_key ^ (u64)(unsigned long)req ^
	       ror64((u64)(unsigned long)req->ctx, 32);
}

/* 7.2's io_connect_bpf_populate(). */
static void rf_fill_connect(struct io_uring_bpf_ctx *bctx,
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
 * 7.2's io_uring_populate_bpf_ctx(). @addr: a CONNECT's address to judge,
 * or NULL when there is none to read.
 */
static void rf_fill_ctx(struct io_uring_bpf_ctx *bctx, struct io_kiocb *req,
			const struct sockaddr_storage *addr)
{
	memset(bctx, 0, sizeof(*bctx));
	bctx->user_data = req->cqe.user_data;
	bctx->opcode = req->opcode;
	bctx->sqe_flags = (__force u64)req->flags & RF_SQE_VALID_FLAGS;
	bctx->pdu_size = ringfence_filter_pdu_bytes(req->opcode);

	switch (req->opcode) {
	case IORING_OP_SOCKET: {
		const struct rf_io_socket *sock = (const void *)req;

		bctx->socket.family = sock->domain;
		bctx->socket.type = sock->type;
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
		 * Since 6.6 the prep forces these opens async, and filters see
		 * that as IOSQE_ASYNC; 6.1's prep does not, so show it the same.
		 */
		if (open->how.flags & (O_TRUNC | O_CREAT | __O_TMPFILE))
			bctx->sqe_flags |= IOSQE_ASYNC;
		break;
	}
	case IORING_OP_CONNECT: {
		const struct rf_connect_cmd *cmd = (const void *)req;

		if (cmd->stamp == rf_connect_stamp(req))
			bctx->sqe_flags = cmd->sqe_flags;
		rf_fill_connect(bctx, addr, cmd->conn.addr_len);
		break;
	}
	}
}

static void rf_req_fail_link_node(struct io_kiocb *req, int res)
{
	req->flags |= REQ_F_FAIL;
	if (req->flags & REQ_F_CQE_SKIP) {
		req->flags &= ~REQ_F_CQE_SKIP;
		req->flags |= REQ_F_SKIP_LINK_CQES;
	}
	req->cqe.res = res;
	req->cqe.flags = 0;
}

static void rf_req_deny(struct io_kiocb *req)
{
	struct io_kiocb *head = req->ctx->submit_state.link.head;

	/* Denied now: io_connect() must not judge it again. */
	if (req->opcode == IORING_OP_CONNECT)
		((struct rf_connect_cmd *)req)->stamp = 0;

	rf_req_fail_link_node(req, -EACCES);
	if (head && !(head->flags & REQ_F_FAIL))
		rf_req_fail_link_node(head, -ECANCELED);
}

static const struct sockaddr_storage *rf_req_connect_addr(struct io_kiocb *req)
{
	return (req->flags & REQ_F_ASYNC_DATA) ? req->async_data : NULL;
}

/*
 * A CONNECT whose address the kernel has not copied yet: read it without
 * faulting into @ss for a first judgement, and send the request down the
 * async path, whose prep copies it for io_connect()'s entry to judge. False
 * if 7.x's prep would have failed the request, or the read faulted: then
 * only the issue-time judgement (or the kernel's own -EINVAL/-EFAULT) counts.
 */
static bool rf_submit_connect_early(struct io_kiocb *req,
				    struct sockaddr_storage *ss)
{
	struct rf_connect_cmd *cmd = (void *)req;
	int len = cmd->conn.addr_len;

	cmd->sqe_flags = (__force u32)req->flags & RF_SQE_VALID_FLAGS;
	cmd->stamp = rf_connect_stamp(req);
	req->flags |= REQ_F_FORCE_ASYNC;
	if (len < 0 || len > sizeof(*ss))
		return false;
	memset(ss, 0, sizeof(*ss));
	return !copy_from_user_nofault(ss, cmd->conn.addr, len);
}

/* Runs the stack @f on the request; true if it is denied. */
static noinline bool notrace rf_submit_run(const struct rf_filter *f,
					   struct io_kiocb *req,
					   const struct sockaddr_storage *addr)
{
	struct io_uring_bpf_ctx bctx;

	rf_fill_ctx(&bctx, req, addr);
	return rf_filters_run(f, &bctx);
}

/* A CONNECT is judged with its address; apart, so others never zero @ss. */
static noinline bool notrace rf_submit_connect(const struct rf_filter *f,
					       struct io_kiocb *req)
{
	const struct sockaddr_storage *addr = rf_req_connect_addr(req);
	struct sockaddr_storage ss;

	if (!addr) {
		if (!rf_submit_connect_early(req, &ss))
			return false;
		addr = &ss;
	}
	return rf_submit_run(f, req, addr);
}

static noinline void notrace rf_submit(struct io_kiocb *req)
{
	const struct rf_filters *t;
	const struct rf_filter *f;
	bool denied;

	/*
	 * The tracepoint runs its probes with preemption off, which is an RCU
	 * read-side section, so no rcu_read_lock() (a call on PREEMPT_RCU
	 * kernels) is taken; it also keeps bpf_prog_run() on this CPU.
	 */
	lockdep_assert_preemption_disabled();
	t = rf_ring_filters(req->ctx);
	f = t ? rf_filters_stack(t, req->opcode) : NULL;
	if (!f)
		return;
	if (req->opcode == IORING_OP_CONNECT)
		denied = rf_submit_connect(f, req);
	else
		denied = rf_submit_run(f, req, NULL);
	if (denied)
		rf_req_deny(req);
}

/*
 * Trusts @req, the kernel's request after io_init_req(): its opcode, flags
 * and ctx are the kernel's, and the payload a filter sees is the kernel's
 * copy made by the opcode's prep (layouts proved at load, btf.c). The only
 * user memory read is a 6.1 CONNECT's address, without faulting, for a first
 * judgement that io_connect()'s entry repeats on the kernel's copy.
 *
 * Every request on the machine passes here while a filter exists, so the
 * test that lets most of them go is all the probe does itself: the rest,
 * with its stack frame (zeroed where the kernel initialises all stack
 * variables), is out of line.
 */
#ifdef RF_HAVE_TP_SUBMIT_REQ
static void notrace rf_submit_probe(void *data, struct io_kiocb *req)
#else
static void notrace rf_submit_probe(void *data, struct io_kiocb *req,
				    bool force_nonblock)
#endif
{
	if (rf_ring_may_have_filters(req->ctx))
		rf_submit(req);
}

static struct rf_tracepoint_hook rf_submit_hook = {
	.name = RF_TP_SUBMIT_NAME,
	.probe = rf_submit_probe,
};

/* Same prototype as io_connect(): a connect its filters refused at issue. */
static notrace int rf_io_connect_eacces(struct io_kiocb *req,
					unsigned int issue_flags)
{
	return -EACCES;
}

/*
 * At io_connect() entry, where the request is issued. @req is the kernel's;
 * its async data holds the address the kernel copied, a sockaddr_storage
 * at offset 0 as btf.c and kernel.c proved at load. Nothing from user space.
 */
static void notrace rf_io_connect_entry(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct io_kiocb *req = (struct io_kiocb *)rf_fregs_arg(fregs, 0);
	struct rf_connect_cmd *cmd = (void *)req;
	const struct sockaddr_storage *addr;
	const struct rf_filters *t;
	const struct rf_filter *f;
	bool denied;

	/*
	 * Only a request the submit probe judged on the user's memory is
	 * judged again here, on the kernel's copy: where prep copies the
	 * address (6.10+) the submit judgement was final, as on 7.x. The
	 * stamp is cleared so that a retried issue, or the request slot's
	 * next CONNECT, does not count as stamped.
	 */
	if (!rf_ring_any_filters() || cmd->stamp != rf_connect_stamp(req))
		return;
	rcu_read_lock();
	/*
	 * A ring's filters are never taken away: one without any now never had
	 * any, and the stamp is stale. With filters, no kernel copy means
	 * nothing safe to judge.
	 */
	t = rf_ring_filters(req->ctx);
	addr = rf_req_connect_addr(req);
	f = t ? rf_filters_stack(t, req->opcode) : NULL;
	denied = t && !addr;
	if (!denied && f) {
		/* This entry may be preemptible; bpf_prog_run() must not migrate. */
		migrate_disable();
		denied = rf_submit_run(f, req, addr);
		migrate_enable();
	}
	if (denied)
		rf_fregs_set_ip(fregs, (unsigned long)rf_io_connect_eacces);
	rcu_read_unlock();
	cmd->stamp = 0;
}

static struct rf_ftrace_hook rf_connect_hook = {
	.symbol = "io_connect",
	.func = rf_io_connect_entry,
	.flags = FTRACE_OPS_FL_IPMODIFY,
};

/*
 * The submit probe runs for every request on the system, restricted or
 * not, so it is attached only while some filter table exists: a machine
 * with only classic restrictions (which the kernel enforces itself) or none
 * pays nothing per request. A table is counted before it can be published
 * and the probe is attached by then, so no filtered ring ever submits
 * unjudged; the last table's RCU free detaches it from a work item, which
 * rechecks the count under the same lock a new table attaches under. The
 * work waits a second: attaching patches kernel text on every CPU, and a
 * stream of short-lived sandboxed processes should not do that each time.
 */
#define RF_SUBMIT_DETACH_DELAY	HZ

static DEFINE_MUTEX(rf_submit_attach_lock);
static atomic_t rf_nr_tables = ATOMIC_INIT(0);

static void rf_submit_detach_work(struct work_struct *work)
{
	mutex_lock(&rf_submit_attach_lock);
	if (!atomic_read(&rf_nr_tables) && rf_submit_hook.attached) {
		rf_tracepoint_hook_detach(&rf_submit_hook);
		tracepoint_synchronize_unregister();
	}
	mutex_unlock(&rf_submit_attach_lock);
}

static DECLARE_DELAYED_WORK(rf_submit_detach, rf_submit_detach_work);

int rf_submit_table_get(void)
{
	int ret = 0;

	mutex_lock(&rf_submit_attach_lock);
	if (!rf_submit_hook.attached)
		ret = rf_tracepoint_hook_attach(&rf_submit_hook);
	if (!ret)
		atomic_inc(&rf_nr_tables);
	mutex_unlock(&rf_submit_attach_lock);
	return ret;
}

void rf_submit_table_put(void)
{
	if (atomic_dec_and_test(&rf_nr_tables))
		schedule_delayed_work(&rf_submit_detach, RF_SUBMIT_DETACH_DELAY);
}

int rf_submit_init(void)
{
	int ret;

	rf_connect_key = get_random_u64();
	ret = rf_tracepoint_hook_find(&rf_submit_hook);
	if (ret)
		return ret;
	return rf_ftrace_hook_register(&rf_connect_hook);
}

/* After the last table's RCU free: main.c's rcu_barrier() comes first. */
void rf_submit_exit(void)
{
	cancel_delayed_work_sync(&rf_submit_detach);
	rf_tracepoint_hook_detach(&rf_submit_hook);
	tracepoint_synchronize_unregister();
	rf_ftrace_hook_unregister(&rf_connect_hook);
}
