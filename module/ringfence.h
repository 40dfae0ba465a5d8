/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the parts of the ringfence module, from the
 * bottom up. Each part calls only those above it in this file:
 *
 *   kernel facts   btf.c, ksym.c, kernel.c  (and compat/, layout.h, btf.h)
 *   mechanism      reserve.c (entries for where nothing may sleep)
 *   model          policy.c (restriction sets, tree counters), filter.c
 *                  (filter tables), learn.c (what a learning tree does)
 *   state          task.c (per task), ring.c (per ring)
 *   consumers      request.c (acting on a request), record.c (denial
 *                  records), judge.c (filters), parity.c, parity_map.c
 *                  (seccomp parity)
 *   entry points   register.c (io_uring_register), status.c (a process's
 *                  policy), dev.c (/dev/ringfence), entry.c (every hook,
 *                  through hook.c's mechanism)
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
 * As rf_ksym_data(), or where kallsyms has no data symbols, the one address
 * that function @referrer's first instructions form and @is_it accepts
 * (it must read @addr with copy_from_kernel_nofault()). 0 if none or two.
 */
unsigned long rf_ksym_data_via(const char *name, const char *referrer,
			       bool (*is_it)(unsigned long addr, const void *arg),
			       const void *arg);

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
 * Denials of a task tree: everything that shares a policy's lineage, from
 * its first registration on, through every fork and later registration.
 */
struct rf_stats {
	refcount_t ref;
	struct rcu_head rcu;
	atomic64_t denied[RINGFENCE_LAYER_NR];
	atomic64_t log_only[RINGFENCE_LAYER_NR];
};

struct rf_learn;

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
	/* A log-only part: its sets are judged at submit, so it holds the hook. */
	bool holds_submit_hook;
	struct rf_filters *filters;	/* cBPF filters, or NULL */
	/* The tree's counters (a task's policy only; shared by its clones). */
	struct rf_stats *stats;
	/* Layers evaluated and recorded but never enforced, or NULL. */
	struct rf_policy *log_only;
	/* Every request of the tree's rings is noted here, or NULL. */
	struct rf_learn *learn;
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
	if (policy)
		refcount_inc(&policy->ref);
	return policy;
}

/* Whether @policy's set (op_registered) refuses @opcode with @sqe_flags. */
bool rf_policy_denies_sqe(const struct rf_policy *policy, unsigned int opcode,
			  u8 sqe_flags);
/* Whether @policy's set (reg_registered) refuses register @opcode. */
bool rf_policy_denies_register(const struct rf_policy *policy, unsigned int opcode);
void rf_policy_describe(const struct rf_policy *policy, struct ringfence_status_set *set);
struct rf_stats *rf_stats_new(void);
void rf_stats_put(struct rf_stats *stats);
void rf_stats_count(struct rf_stats *stats, const struct ringfence_record *rec);
void rf_stats_read(const struct rf_stats *stats, u64 *denied, u64 *log_only);

struct rf_filters;
struct rf_filter;

/*
 * The filter @arg describes, checked and built, registered at @layer (task
 * or ring). Its cmd_flags may carry RINGFENCE_REGISTER_LOG_ONLY only if
 * @log_only is not NULL; it says whether they did. ERR_PTR on failure.
 */
struct rf_filter *rf_filter_build(struct io_uring_bpf __user *arg, u8 layer,
				  bool *log_only);
void rf_filter_put(struct rf_filter *f);
/*
 * A new table: @old's stacks (shared) plus @f, whose reference it takes.
 * @old is not changed. ERR_PTR on failure (and @f is put).
 */
struct rf_filters *rf_filters_add(struct rf_filters *old, struct rf_filter *f);
struct rf_filters *rf_filters_get(struct rf_filters *t);
void rf_filters_put(struct rf_filters *t);
/* The filters of @t, for status: opcode, layer, length, registrant. */
void rf_filters_describe(const struct rf_filters *t, struct ringfence_status_filters *out);
unsigned int rf_filters_count(const struct rf_filters *t);
/*
 * The filters that judge @opcode in @t, for rf_filters_deny(); NULL when the
 * request is allowed without running any.
 */
const struct rf_filter *rf_filters_stack(const struct rf_filters *t,
					 unsigned int opcode);
/*
 * The filter of the stack that denies the request @bctx describes, or
 * NULL. The caller keeps the task on its CPU, as bpf_prog_run() needs.
 */
const struct rf_filter *rf_filters_denier(const struct rf_filter *f,
					  const struct io_uring_bpf_ctx *bctx);
/* RINGFENCE_LAYER_TASK_FILTER or _RING_FILTER: where @f was registered. */
u8 rf_filter_layer(const struct rf_filter *f);

/* ---- model: learning (learn.c) ---- */

/* Whether anyone learns: a load, for the paths that would look. */
bool rf_learn_any(void);
struct rf_learn *rf_learn_new(void);
struct rf_learn *rf_learn_get(struct rf_learn *l);
void rf_learn_put(struct rf_learn *l);
/* Notes @rec's shape once more. Any context. */
void rf_learn_note(struct rf_learn *l, const struct ringfence_record *rec);
/* A file whose read(2) drains @l; it holds its own reference. */
struct file *rf_learn_file(struct rf_learn *l);

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
/* Counts @rec for current's tree, if it has one. Atomic. */
void rf_task_count(const struct ringfence_record *rec);
/* current's learning channel, or NULL; caller in an RCU read section. */
struct rf_learn *rf_task_learn(void);
/* @task's policy, with a reference, or NULL. */
struct rf_policy *rf_task_policy(struct task_struct *task);
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
/*
 * What the submit path needs of a ring's entry: its filters, its creator's
 * log-only layers and learning channel (each may be NULL). Part of the
 * entry, so the per-request path reads it in place, with no copy.
 */
struct rf_ring_view {
	struct rf_filters __rcu *filters;
	struct rf_policy *log_only;
	struct rf_learn *learn;
	/*
	 * log_only || learn: a request is recorded even when it is allowed.
	 * Both are set before the entry is published and never change, so
	 * one byte tells the submit path, in one test.
	 */
	bool records;
};

/*
 * @ctx's entry's view, or an empty one (no filters, nothing recorded) if
 * the module has none: never NULL, so the submit path tests nothing more
 * than the fields. RCU read section.
 */
const struct rf_ring_view *rf_ring_view(const struct io_ring_ctx *ctx);

/* Whether a request on @v's ring is recorded even when it is allowed. */
static inline bool rf_ring_view_records(const struct rf_ring_view *v)
{
	return v && v->records;
}

/*
 * Counts @rec for @ctx's entry if it is a denial; returns the ring's id
 * (0: no entry) and its learning channel in @learn. RCU read section.
 */
u32 rf_ring_note(const struct io_ring_ctx *ctx, const struct ringfence_record *rec,
		 struct rf_learn **learn);
/* The layer whose set @ctx enforces: its creator's, or its own. */
u8 rf_ring_set_layer(const struct io_ring_ctx *ctx);
/* What status shows of @ctx; false if the module has no entry for it. */
bool rf_ring_describe(const struct io_ring_ctx *ctx, struct ringfence_status_ring *out);
bool rf_ring_any_filters(void);
/* Whether the module has an entry for any ring: one load. */
bool rf_ring_any(void);
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
/* The user's address of a CONNECT, read without faulting; for records only. */
bool rf_req_connect_peek(const struct io_kiocb *req, struct sockaddr_storage *ss);
bool rf_req_connect_stamped(const struct io_kiocb *req);
void rf_req_connect_unstamp(struct io_kiocb *req);

/* ---- consumers: denial records (record.c) ---- */

void rf_record(const struct io_ring_ctx *ctx, const struct ringfence_record *rec);
void rf_record_init_sqe(struct ringfence_record *rec, const struct io_kiocb *req);
void rf_record_restriction_denial(struct io_kiocb *req);
void rf_record_register(const struct io_ring_ctx *ctx, unsigned int opcode,
			u8 layer, int err, u32 flags);

/* ---- consumers: the verdicts at submit ---- */

/* What the consumers make of one request at submit (entry.c's dispatcher). */
struct rf_verdict {
	int err;		/* 0, or the errno the request fails with */
	u8 layer;		/* the RINGFENCE_LAYER_* of err */
	u8 log_only_layer;	/* a log-only layer that would deny it, or 0 */
	int log_only_err;
	struct rf_learn *learn;	/* the ring learns: record every request */
};

/* The filters' verdict (judge.c), and the ring's log-only layers. */
const struct rf_filter *rf_judge_submit(const struct rf_ring_view *ring, struct io_kiocb *req);
void rf_judge_settle(const struct rf_ring_view *ring, const struct rf_filter *denier,
		     struct io_kiocb *req, struct rf_verdict *v);
/*
 * @rec's payload as a filter sees @req. Only the record path calls it, so
 * an allowed request never builds a record.
 */
void rf_judge_fill(struct io_kiocb *req, struct ringfence_record *rec);
int rf_judge_connect_issue(struct io_kiocb *req);

/* ---- consumers: seccomp parity (parity.c) ---- */

struct ringfence_seccomp_op;
/* The system-wide switch counts 1, each restriction set with parity 1. */
extern atomic_t rf_parity_users;
int rf_parity_init(const struct rf_btf *btf);
int rf_parity_start(void);
/* seccomp_parity=1: every task with a seccomp filter. */
bool rf_parity_everyone(void);
/* current's seccomp filters' verdict on @req, enforcing or log-only, into @v. */
void rf_parity_judge(struct io_kiocb *req, struct rf_verdict *v);
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

/*
 * Registration (register.c). @ioctl: the /dev/ringfence route, which alone
 * takes RINGFENCE_REGISTER_LOG_ONLY.
 */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args, bool ioctl);
int rf_register_task_filter(void __user *arg, unsigned int nr_args, bool ioctl);
int rf_register_task_parity(bool log_only);
int rf_register_task_learn(const struct ringfence_learn __user *arg);
bool rf_register_is_ours(unsigned int opcode);
/* A blind call of current's: whether its set refuses it; recorded either way. */
bool rf_register_blind_refused(unsigned int opcode);
/* A ring's register call returned @ret: records what there is to record. */
void rf_register_done(const struct io_ring_ctx *ctx, unsigned int opcode, long ret);
long rf_sys_io_uring_register(const struct pt_regs *regs);
long rf_sys_io_uring_register_compat(const struct pt_regs *regs);

/* A process's policy (status.c). */
long rf_status(struct ringfence_status __user *arg);

/* The misc device (dev.c). */
int rf_dev_init(void);
void rf_dev_exit(void);

/* Every hook (entry.c). */
int rf_entry_init(void);
void rf_entry_open(void);
void rf_entry_exit(void);

#endif /* _RINGFENCE_H */
