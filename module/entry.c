// SPDX-License-Identifier: GPL-2.0
/*
 * Every place the kernel enters the module, in one table: the hooks, what
 * each one hands its consumer, and which redirect it may take. The
 * callbacks only translate: they read the hooked function's arguments
 * (compat/), call the consumer that owns the state, and turn its answer
 * into a redirect. They hold no state of their own.
 *
 * Every callback but the register redirect's target runs in the context of
 * the hooked code: ftrace callbacks and tracepoint probes on these kernels
 * run with preemption off, so nothing below them sleeps. A redirect goes to
 * a function of the hooked function's prototype in this file, never back
 * into the kernel through a pointer.
 */
#include <linux/err.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/tracepoint.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "hook.h"

/* ---- tasks ---- */

/* Same prototype as copy_process(): what a fork that must fail runs. */
static notrace struct task_struct *
rf_copy_process_enomem(struct pid *pid, int trace, int node,
		       struct kernel_clone_args *args)
{
	return ERR_PTR(-ENOMEM);
}

/* Every copy_process() on the machine, in the parent; nothing from users. */
static void notrace rf_copy_process_entry(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *ops,
					  struct ftrace_regs *fregs)
{
	if (rf_task_fork_prepare())
		rf_fregs_set_ip(fregs, (unsigned long)rf_copy_process_enomem);
}

/* End of copy_process(): @task is the kernel's new task, not yet running. */
static void notrace rf_task_newtask_probe(void *data, struct task_struct *task,
					  rf_clone_flags_t clone_flags)
{
	rf_task_fork_finish(task);
}

/* The RCU callback that drops @task's last RCU user; nothing from users. */
static void notrace rf_sched_process_free_probe(void *data,
						struct task_struct *task)
{
	rf_task_gone(task);
}

/* ---- rings ---- */

/* Same prototype as io_sq_offload_create(): a ring setup that fails. */
static notrace int rf_sq_offload_create_enomem(struct io_ring_ctx *ctx,
					       struct io_uring_params *p)
{
	return -ENOMEM;
}

/*
 * Inside io_uring_setup(), by current: @ctx is the kernel's new ring, which
 * no one else can reach yet. The user's io_uring_params were copied and
 * checked by the kernel; nothing of them is read.
 */
static void notrace rf_sq_offload_create_entry(unsigned long ip,
					       unsigned long parent_ip,
					       struct ftrace_ops *ops,
					       struct ftrace_regs *fregs)
{
	struct io_ring_ctx *ctx = (struct io_ring_ctx *)rf_fregs_arg(fregs, 0);

	if (rf_ring_created(ctx))
		rf_fregs_set_ip(fregs, (unsigned long)rf_sq_offload_create_enomem);
}

/* Only io_ring_ctx_free() calls io_destroy_buffers(): @ctx is going. */
static void notrace rf_destroy_buffers_entry(unsigned long ip,
					     unsigned long parent_ip,
					     struct ftrace_ops *ops,
					     struct ftrace_regs *fregs)
{
	rf_ring_gone((struct io_ring_ctx *)rf_fregs_arg(fregs, 0));
}

/* ---- requests ---- */

/* A denial, a log-only layer's would-be denial, or a learning ring's request. */
static noinline void notrace rf_submit_record(struct io_kiocb *req,
					      const struct rf_verdict *v)
{
	struct ringfence_record rec;

	rf_record_init_sqe(&rec, req);
	rf_judge_fill(req, &rec);
	if (v->err) {
		rec.flags = RINGFENCE_RECORD_DENIED;
		rec.layer = v->layer;
		rec.error = v->err;
	} else if (v->log_only_layer) {
		rec.flags = RINGFENCE_RECORD_LOG_ONLY;
		rec.layer = v->log_only_layer;
		rec.error = v->log_only_err;
	}
	rf_record(req->ctx, &rec);
}

/*
 * A request the ring's filters deny, one a log-only layer or learning
 * records, or one seccomp parity must judge: the whole verdict, its record
 * and the denial. Out of line, so an allowed request on a ring with filters
 * alone builds no verdict.
 */
static noinline void notrace rf_submit_settle(struct io_kiocb *req,
					      const struct rf_ring_view *ring,
					      const struct rf_filter *denier)
{
	struct rf_verdict v = { };

	/* Parity alone judges a request no filter denies and nothing records. */
	if (denier || rf_ring_view_records(ring))
		rf_judge_settle(ring, denier, req, &v);
	if (!v.err && rf_parity_watching())
		rf_parity_judge(req, &v);
	if (v.err || v.log_only_layer || v.learn)
		rf_submit_record(req, &v);
	if (v.err)
		rf_req_deny(req, v.err);
}

/*
 * A request on a ring that records: judged and settled apart, so that the
 * view kept across the filters' run costs the dispatch no stack slot.
 */
static noinline void notrace rf_submit_recorded(struct io_kiocb *req,
						const struct rf_ring_view *ring)
{
	rf_submit_settle(req, ring, rf_judge_submit(ring, req));
}

/*
 * Every consumer's verdict on a request on a ring the module watches: the
 * ring's filters, then the submitter's seccomp filters. A request must
 * pass both. The ring's log-only layers are asked too, and only recorded.
 *
 * Whether the ring records is asked before its filters run, so nothing
 * lives across that call but @req: an allowed request pays the records
 * one test. A ring that does not record has nothing for the settling but
 * its denier, so it passes no view.
 *
 * This and rf_submit_parity() take the probe's first two arguments, in
 * the registers the probe has them: it jumps to either with no move, and
 * no move is hoisted onto the path of a ring nobody watches. @data is
 * unused; __noclone keeps GCC from dropping it, which would bring back
 * the move.
 */
static noinline __noclone void notrace rf_submit_dispatch(void *data, struct io_kiocb *req)
{
	const struct rf_ring_view *ring = rf_ring_view(req->ctx);
	const struct rf_filter *denier;

	if (unlikely(ring->records)) {
		rf_submit_recorded(req, ring);
		return;
	}
	denier = rf_judge_submit(ring, req);
	if (denier || rf_parity_watching())
		rf_submit_settle(req, NULL, denier);
}

/* A request on a ring the module does not watch, that seccomp parity judges. */
static noinline __noclone void notrace rf_submit_parity(void *data, struct io_kiocb *req)
{
	rf_submit_settle(req, NULL, NULL);
}

/*
 * Right after io_init_req(), for every request on the machine while a
 * consumer holds this hook. @req is the kernel's request: its opcode, flags
 * and ctx are the kernel's, and what a consumer judges is the kernel's copy
 * made by the opcode's prep. A ring no consumer watches is let go after one
 * load and a branch; the rest, with the settling's stack frame (zeroed
 * where the kernel initialises all stack variables), is out of line. The
 * ring is asked here only: the dispatch does not ask again.
 */
static void notrace rf_submit_probe(void *data, RF_TP_SUBMIT_ARGS)
{
	if (rf_ring_watched(req->ctx))
		rf_submit_dispatch(data, req);
	else if (rf_parity_watching())
		rf_submit_parity(data, req);
}

/*
 * io_submit_fail_init(), for a request io_init_req() refused: -EACCES on a
 * restricted ring is the kernel enforcing the ring's set. @req is the
 * kernel's; @sqe (user-shared memory) is not read.
 */
static void notrace rf_req_failed_probe(void *data, const struct io_uring_sqe *sqe,
					struct io_kiocb *req, int error)
{
	if (error == -EACCES && req->ctx->restricted)
		rf_record_restriction_denial(req);
}

/*
 * The end of io_uring_register() on a ring: @ctx is the kernel's, @ret
 * what the call returns. -EACCES on a restricted ring is the kernel
 * enforcing the ring's register restrictions; a learning ring notes every
 * call, and a ring with log-only layers what they would refuse.
 */
static void notrace rf_register_done_probe(void *data, void *ctx, unsigned int opcode,
					   unsigned int nr_files, unsigned int nr_bufs,
					   long ret)
{
	rf_register_done(ctx, opcode, ret);
}

/* Same prototype as io_connect(): a connect refused at issue. */
static notrace int rf_io_connect_eacces(struct io_kiocb *req,
					unsigned int issue_flags)
{
	return -EACCES;
}

/*
 * Where a CONNECT is issued: @req is the kernel's, its async data the
 * address the kernel copied (layout proved at load). May be preemptible.
 */
static void notrace rf_io_connect_entry(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *ops,
					struct ftrace_regs *fregs)
{
	struct io_kiocb *req = (struct io_kiocb *)rf_fregs_arg(fregs, 0);

	if (rf_judge_connect_issue(req))
		rf_fregs_set_ip(fregs, (unsigned long)rf_io_connect_eacces);
}

/* ---- io_uring_register() ---- */

/*
 * The syscall wrapper's entry, for every io_uring_register() on the
 * machine. @regs, its only argument, is the kernel's copy of the caller's
 * registers; of them only the fd and opcode are read here. The calls the
 * module implements go to rf_sys_io_uring_register(), holding a module
 * reference (the caller may sleep in our code holding nothing else of
 * ours); a module already going away leaves the call to the kernel. The
 * -EACCES stub does not sleep: rf_entry_exit()'s synchronize_rcu_tasks()
 * covers it.
 */
/* Same prototype as the syscall wrapper: a blind call the task's set refuses. */
static notrace long rf_sys_io_uring_register_eacces(const struct pt_regs *regs)
{
	return -EACCES;
}

/*
 * Set once the module's load can no longer fail. Until then a register
 * call the module implements goes to the kernel (which refuses it, as
 * without the module): a restriction registered while init may still
 * fail would outlive the module, which the kernel then frees whatever
 * its reference count says.
 */
static bool rf_register_open;

void rf_entry_open(void)
{
	/* Pairs with rf_register_entry(): everything init set up is seen. */
	smp_store_release(&rf_register_open, true);
}

/* Either entry's: @ours is the module's stand-in for that entry. */
static __always_inline void rf_register_entry(struct ftrace_regs *fregs,
					      unsigned int fd, unsigned int opcode,
					      unsigned long ours)
{
	if (rf_register_is_ours(opcode)) {
		/* Pairs with rf_entry_open(). */
		if (smp_load_acquire(&rf_register_open) && try_module_get(THIS_MODULE))
			rf_fregs_set_ip(fregs, ours);
	} else if (fd == (unsigned int)-1) {
		/* The kernel's other blind calls (SEND_MSG_RING...), 7.3's check. */
		if (rf_register_blind_refused(opcode))
			rf_fregs_set_ip(fregs, (unsigned long)rf_sys_io_uring_register_eacces);
	}
}

static void notrace rf_io_uring_register_entry(unsigned long ip,
					       unsigned long parent_ip,
					       struct ftrace_ops *ops,
					       struct ftrace_regs *fregs)
{
	const struct pt_regs *regs = (const struct pt_regs *)rf_fregs_arg(fregs, 0);

	rf_register_entry(fregs, rf_syscall_arg(regs, 0), rf_syscall_arg(regs, 1),
			  (unsigned long)rf_sys_io_uring_register);
}

/* 32-bit callers' own entry (x86_64's ia32), the same with their registers. */
static void notrace rf_io_uring_register_compat_entry(unsigned long ip,
						      unsigned long parent_ip,
						      struct ftrace_ops *ops,
						      struct ftrace_regs *fregs)
{
	const struct pt_regs *regs = (const struct pt_regs *)rf_fregs_arg(fregs, 0);

	rf_register_entry(fregs, rf_syscall_compat_arg(regs, 0),
			  rf_syscall_compat_arg(regs, 1),
			  (unsigned long)rf_sys_io_uring_register_compat);
}

/* ---- the table ---- */

static struct rf_hook rf_hooks[RF_HOOK_NR] = {
	/* Tasks: free before newtask before fork, so no child escapes. */
	[RF_HOOK_TASK_FREE] = {
		.target = "sched_process_free", .kind = RF_HOOK_TRACEPOINT,
		.func = rf_sched_process_free_probe,
	},
	[RF_HOOK_TASK_NEW] = {
		.target = "task_newtask", .kind = RF_HOOK_TRACEPOINT,
		.func = rf_task_newtask_probe,
	},
	[RF_HOOK_FORK] = {
		.target = "copy_process", .kind = RF_HOOK_FTRACE,
		.func = rf_copy_process_entry,
		.ftrace_flags = RF_FTRACE_IPMODIFY_FLAGS,
	},
	/* Rings: free before create, so no entry outlives its ring. */
	[RF_HOOK_RING_FREE] = {
		.target = "io_destroy_buffers", .kind = RF_HOOK_FTRACE,
		.func = rf_destroy_buffers_entry,
	},
	[RF_HOOK_RING_CREATE] = {
		.target = "io_sq_offload_create", .kind = RF_HOOK_FTRACE,
		.func = rf_sq_offload_create_entry,
		.ftrace_flags = RF_FTRACE_IPMODIFY_FLAGS,
	},
	[RF_HOOK_CONNECT] = {
		.target = "io_connect", .kind = RF_HOOK_FTRACE,
		.func = rf_io_connect_entry,
		.ftrace_flags = RF_FTRACE_IPMODIFY_FLAGS,
	},
	/* Failure paths only: what the kernel's own checks refused. */
	[RF_HOOK_REQ_FAILED] = {
		.target = "io_uring_req_failed", .kind = RF_HOOK_TRACEPOINT,
		.func = rf_req_failed_probe,
	},
	[RF_HOOK_REGISTER_DONE] = {
		.target = "io_uring_register", .kind = RF_HOOK_TRACEPOINT,
		.func = rf_register_done_probe,
	},
	/* Last: registration opens only once everything it feeds is live. */
	[RF_HOOK_REGISTER] = {
		.target = RF_SYSCALL_REGISTER_SYMBOL, .kind = RF_HOOK_FTRACE,
		.func = rf_io_uring_register_entry,
		.ftrace_flags = RF_FTRACE_IPMODIFY_FLAGS,
	},
	[RF_HOOK_REGISTER_COMPAT] = {
		.target = RF_SYSCALL_REGISTER_COMPAT_SYMBOL, .kind = RF_HOOK_FTRACE,
		.func = rf_io_uring_register_compat_entry,
		.ftrace_flags = RF_FTRACE_IPMODIFY_FLAGS,
	},
	[RF_HOOK_SUBMIT] = {
		.target = RF_TP_SUBMIT_NAME, .kind = RF_HOOK_TRACEPOINT,
		.func = rf_submit_probe, .on_demand = true,
	},
};

int rf_entry_init(void)
{
	/* Kernels whose CONNECT prep copies the address judge it at submit. */
	rf_hooks[RF_HOOK_CONNECT].unused = !rf_kernel_connect_copied_at_issue();
	/* Where 32-bit callers reach the native entry, it serves them. */
	rf_hooks[RF_HOOK_REGISTER_COMPAT].unused = !rf_hooks[RF_HOOK_REGISTER_COMPAT].target;
	return rf_hooks_attach(rf_hooks);
}

void rf_entry_exit(void)
{
	rf_hooks_detach();
	/* A register call past its module_put() has yet to leave our text. */
	synchronize_rcu_tasks();
}
