/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the parts of the ringfence module, from the
 * bottom up. Each part calls only those above it in this file:
 *
 *   kernel facts   btf.c, ksym.c, kernel.c  (and compat/, layout.h, btf.h)
 *   mechanism      reserve.c (entries for where nothing may sleep)
 *   model          policy.c (restriction sets), filter.c (filter tables)
 *   state          task.c (per task), ring.c (per ring)
 *   consumers      request.c (acting on a request), judge.c (filters),
 *                  parity.c, parity_map.c (seccomp parity)
 *   entry points   register.c (io_uring_register), dev.c (/dev/ringfence),
 *                  entry.c (every hook, through hook.c's mechanism)
 *   main.c
 *
 * hook.c, the mechanism, is below them all: it knows hooks by id, never
 * their callbacks' owners (hook.h).
 */
#ifndef _RINGFENCE_H
#define _RINGFENCE_H

#include <linux/types.h>
#include <linux/bitmap.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/ringfence.h>

struct file;
struct io_kiocb;
struct io_ring_ctx;
struct pt_regs;
struct sockaddr_storage;
struct task_struct;

/* ---- kernel facts ---- */

/* The BTF parser is btf.h's: kernel.c alone uses it. */

/* Kernel data objects by name, proved by kallsyms (ksym.c). */
unsigned long rf_ksym_data(const char *name);
bool rf_ksym_names(unsigned long addr, const char *name);

/*
 * The io_uring objects and facts the module relies on (kernel.c). The
 * kernel's BTF stays parsed from rf_kernel_init() to rf_kernel_release_btf().
 */
struct rf_btf;
int rf_kernel_init(void);
const struct rf_btf *rf_kernel_btf(void);
void rf_kernel_release_btf(void);
bool rf_is_ring_file(const struct file *file);
/* Before 6.10: a CONNECT's address is copied only when it is issued. */
bool rf_kernel_connect_copied_at_issue(void);

/* ---- model: restriction sets (policy.c) and filter tables (filter.c) ---- */

/*
 * A task's restriction set, as 7.x's struct io_restriction. Immutable once
 * published: a task and all the children that inherit it share one, so a
 * fork costs a reference, not a copy.
 */
struct rf_policy {
	refcount_t ref;
	struct rcu_head rcu;
	DECLARE_BITMAP(register_op, RF_UPSTREAM_IORING_REGISTER_LAST);
	DECLARE_BITMAP(sqe_op, RF_UPSTREAM_IORING_OP_LAST);
	u8 sqe_flags_allowed;
	u8 sqe_flags_required;
	bool op_registered;	/* SQE_OP / SQE_FLAGS_* entries: restricts submissions */
	bool reg_registered;	/* REGISTER_OP entries: restricts io_uring_register */
	/* Requests are judged by the task's seccomp filters (parity.c). */
	bool seccomp_parity;
	struct rf_filters *filters;	/* cBPF filters, or NULL */
};

struct rf_policy *rf_policy_alloc(void);
struct rf_policy *rf_policy_clone(const struct rf_policy *old);
/* May @policy's holder register ring filters on a ring it created? */
bool rf_policy_allows_register_op(const struct rf_policy *policy,
				  unsigned int opcode);
void rf_policy_put(struct rf_policy *policy);
/* Whether @policy holds anything upstream counts as a task's restriction set. */
bool rf_policy_has_set(const struct rf_policy *policy);
/* Turns seccomp parity on in an unpublished @policy. Process context. */
int rf_policy_set_parity(struct rf_policy *policy);
int rf_policy_parse(struct rf_policy *policy,
		    const struct io_uring_restriction __user *entries,
		    unsigned int nr);

static inline struct rf_policy *rf_policy_get(struct rf_policy *policy)
{
	refcount_inc(&policy->ref);
	return policy;
}

struct rf_filters;
struct rf_filter;

struct rf_filters *rf_filters_add(struct rf_filters *old,
				  struct io_uring_bpf __user *arg);
struct rf_filters *rf_filters_get(struct rf_filters *t);
void rf_filters_put(struct rf_filters *t);
/*
 * The filters that judge @opcode in @t, for rf_filters_deny(); NULL when the
 * request is allowed without running any.
 */
const struct rf_filter *rf_filters_stack(const struct rf_filters *t,
					 unsigned int opcode);
/*
 * Whether a filter of the stack denies the request @bctx describes. The
 * caller keeps the task on its CPU, as bpf_prog_run() needs.
 */
bool rf_filters_deny(const struct rf_filter *f,
		     const struct io_uring_bpf_ctx *bctx);

/* ---- state: per task (task.c) ---- */

/* Returns the policy of current or NULL; valid while current lives. */
struct rf_policy *rf_current_policy(void);
/*
 * Makes @policy current's restriction set in place of @old (NULL if none);
 * consumes the reference on @policy and drops current's on @old.
 */
int rf_task_set_current(struct rf_policy *old, struct rf_policy *policy);
/* copy_process() entry, in the parent: -ENOMEM must fail the fork. Atomic. */
int rf_task_fork_prepare(void);
/* copy_process()'s end, before @child runs. Atomic. */
void rf_task_fork_finish(struct task_struct *child);
/* @task is being freed. Atomic (an RCU callback). */
void rf_task_gone(struct task_struct *task);
int rf_task_init(void);
void rf_task_exit(void);

/* ---- state: per ring (ring.c) ---- */

/* io_sq_offload_create() entry: -ENOMEM must fail the ring setup. Atomic. */
int rf_ring_created(struct io_ring_ctx *ctx);
/* io_ring_ctx_free() is freeing @ctx. */
void rf_ring_gone(struct io_ring_ctx *ctx);
/* Adds @arg's filter to the ring; the caller holds a reference on its file. */
int rf_ring_add_filter(struct io_ring_ctx *ctx, struct io_uring_bpf __user *arg,
		       unsigned int nr_args);
int rf_ring_register_restrictions(struct io_ring_ctx *ctx, void __user *arg,
				  unsigned int nr_args);
/* The filters in force on @ctx, or NULL; caller in an RCU read section (any flavour). */
const struct rf_filters *rf_ring_filters(const struct io_ring_ctx *ctx);
bool rf_ring_any_filters(void);
int rf_ring_init(void);
void rf_ring_exit(void);

/*
 * Whether the submit path must look @ctx up: every ring the module judges
 * has a registered set (ring.c gives a filtered ring an open one), and most
 * other rings have none, so this is one load.
 */
static inline bool rf_ring_watched(const struct io_ring_ctx *ctx)
{
	return READ_ONCE(ctx->restrictions.registered);
}

/* ---- consumers: acting on a request (request.c) ---- */

void rf_request_init(void);
/* Fails @req with @err as io_submit_fail_init() would, its link with it. */
void rf_req_deny(struct io_kiocb *req, int err);
/* The IOSQE_* flags the user submitted @req with. */
u8 rf_req_sqe_flags(const struct io_kiocb *req);
int rf_req_connect_addr_len(const struct io_kiocb *req);
/* The kernel's copy of a CONNECT's address, or NULL if not made yet. */
const struct sockaddr_storage *rf_req_connect_addr(const struct io_kiocb *req);
/*
 * A CONNECT the kernel copies only at issue: stamp it for the issue-time
 * judgement, send it async, and read the user's address into @ss without
 * faulting. False if there is nothing 7.x would judge at submit.
 */
bool rf_req_connect_early(struct io_kiocb *req, struct sockaddr_storage *ss);
bool rf_req_connect_stamped(const struct io_kiocb *req);
void rf_req_connect_unstamp(struct io_kiocb *req);

/* ---- consumers: the filters' verdicts (judge.c), 0 or an errno ---- */

int rf_judge_submit(struct io_kiocb *req);
int rf_judge_connect_issue(struct io_kiocb *req);

/* ---- consumers: seccomp parity (parity.c) ---- */

struct ringfence_seccomp_op;
/* The system-wide switch counts 1, each restriction set with parity 1. */
extern atomic_t rf_parity_users;
int rf_parity_init(const struct rf_btf *btf);
int rf_parity_start(void);
/* The verdict of current's seccomp filters on @req: 0 or an errno. */
int rf_parity_judge(struct io_kiocb *req);
void rf_parity_describe(unsigned int op, struct ringfence_seccomp_op *out);

/*
 * Whether the submit path must ask parity about current's request: one load
 * while parity is off everywhere, two for a task without seccomp filters.
 */
static inline bool rf_parity_watching(void)
{
	return atomic_read(&rf_parity_users) &&
	       READ_ONCE(current->seccomp.mode) == SECCOMP_MODE_FILTER;
}

/* ---- entry points ---- */

/* Registration (register.c). */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args);
int rf_register_task_filter(void __user *arg, unsigned int nr_args);
int rf_register_task_parity(void);
bool rf_register_is_ours(unsigned int opcode);
bool rf_register_blind_refused(unsigned int opcode);
long rf_sys_io_uring_register(const struct pt_regs *regs);

/* The misc device (dev.c). */
int rf_dev_init(void);
void rf_dev_exit(void);

/* Every hook (entry.c). */
int rf_entry_init(void);
void rf_entry_exit(void);

#endif /* _RINGFENCE_H */
