/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Internal interfaces between the parts of the ringfence module.
 */
#ifndef _RINGFENCE_H
#define _RINGFENCE_H

#include <linux/types.h>
#include <linux/bitmap.h>
#include <linux/refcount.h>
#include <linux/rcupdate.h>
#include <linux/ftrace.h>
#include <linux/io_uring.h>
#include <linux/io_uring_types.h>
#include <linux/ringfence.h>

/*
 * Linux 7.2's limits. Task restrictions are validated against these so that
 * every input gets the answer 7.2 gives; opcodes the running kernel does not
 * know are rejected by the kernel itself when they are used.
 */
#define RF_UPSTREAM_IORING_OP_LAST		65
#define RF_UPSTREAM_IORING_REGISTER_LAST	38
#define RF_UPSTREAM_IORING_RESTRICTION_LAST	4
#define RF_UPSTREAM_MAX_RESTRICTIONS	(RF_UPSTREAM_IORING_RESTRICTION_LAST + \
					 RF_UPSTREAM_IORING_REGISTER_LAST + \
					 RF_UPSTREAM_IORING_OP_LAST)

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
	struct rf_filters *filters;	/* cBPF filters, or NULL */
};

/* cBPF filter tables (filter.c). */
struct rf_filters;

struct rf_filters *rf_filters_add(struct rf_filters *old,
				  struct io_uring_bpf __user *arg,
				  const struct task_struct *owner);
bool rf_filters_owned_by(const struct rf_filters *t,
			 const struct task_struct *task);
int rf_filters_add_in_place(struct rf_filters *t,
			    struct io_uring_bpf __user *arg);
void rf_filters_disown(struct rf_filters *t, const struct task_struct *task);
struct rf_filters *rf_filters_get(struct rf_filters *t);
void rf_filters_put(struct rf_filters *t);
/*
 * The filters that judge @opcode in @t, for rf_filters_run(); NULL when the
 * request is allowed without running any.
 */
const struct rf_filter *rf_filters_stack(const struct rf_filters *t,
					 unsigned int opcode);
/*
 * True if a filter of the stack denies the request @bctx describes. The
 * caller keeps the task on its CPU, as bpf_prog_run() needs.
 */
bool rf_filters_run(const struct rf_filter *f,
		    const struct io_uring_bpf_ctx *bctx);

struct rf_policy *rf_policy_alloc(void);
struct rf_policy *rf_policy_clone(const struct rf_policy *old);
/* May @policy's holder register ring filters on a ring it created? */
bool rf_policy_allows_register_op(const struct rf_policy *policy,
				  unsigned int opcode);
void rf_policy_put(struct rf_policy *policy);
int rf_policy_parse(struct rf_policy *policy,
		    const struct io_uring_restriction __user *entries,
		    unsigned int nr);

static inline struct rf_policy *rf_policy_get(struct rf_policy *policy)
{
	refcount_inc(&policy->ref);
	return policy;
}

/*
 * Refuses a kernel whose io_uring structures differ from layout.h, and
 * reads where its opcode table keeps what kernel.c reads (btf.c).
 */
struct rf_opdef_layout;
int rf_btf_check_layouts(struct rf_opdef_layout *opdef);

/* Kernel data objects by name, proved by kallsyms (ksym.c). */
unsigned long rf_ksym_data(const char *name);
bool rf_ksym_names(unsigned long addr, const char *name);

/* The io_uring objects the module recognises or reads (kernel.c). */
int rf_kernel_init(void);
struct file;
bool rf_is_ring_file(const struct file *file);

/* Per-task state (task.c). */
int rf_task_init(void);
void rf_task_exit(void);
/* Returns the policy of current or NULL; valid while current lives. */
struct rf_policy *rf_current_policy(void);
/*
 * Makes @policy current's restriction set in place of @old (NULL if none);
 * consumes the reference on @policy and drops current's on @old.
 */
int rf_task_set_current(struct rf_policy *old, struct rf_policy *policy);
unsigned int rf_task_count(void);

/* Rings (ring.c). */
int rf_ring_init(void);
void rf_ring_exit(void);
struct io_ring_ctx;
/* Adds @arg's filter to the ring; the caller holds a reference on its file. */
int rf_ring_add_filter(struct io_ring_ctx *ctx, struct io_uring_bpf __user *arg,
		       unsigned int nr_args);
int rf_ring_register_restrictions(struct io_ring_ctx *ctx, void __user *arg,
				  unsigned int nr_args);
/* The filters in force on @ctx, or NULL; caller in an RCU read section (any flavour). */
const struct rf_filters *rf_ring_filters(const struct io_ring_ctx *ctx);
bool rf_ring_any_filters(void);

/*
 * Whether the submit hook must look @ctx up: a ring with filters always has
 * a registered set (ring.c gives it an open one), most other rings have none.
 */
static inline bool rf_ring_may_have_filters(const struct io_ring_ctx *ctx)
{
	return READ_ONCE(ctx->restrictions.registered);
}

/* The submission hook (submit.c). */
int rf_submit_init(void);
void rf_submit_exit(void);
/* A filter table is about to exist / has been freed (any context). */
int rf_submit_table_get(void);
void rf_submit_table_put(void);

/* Registration (register.c). */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args);
int rf_register_task_filter(void __user *arg, unsigned int nr_args);
int rf_register_init(void);
void rf_register_exit(void);

/* The misc device (dev.c). */
int rf_dev_init(void);
void rf_dev_exit(void);

/* Hooks (hook.c). */
struct rf_ftrace_hook {
	const char *symbol;
	ftrace_func_t func;
	unsigned long flags;	/* extra FTRACE_OPS_FL_*, e.g. IPMODIFY */
	struct ftrace_ops ops;
	bool registered;
};

int rf_ftrace_hook_register(struct rf_ftrace_hook *hook);
void rf_ftrace_hook_unregister(struct rf_ftrace_hook *hook);

struct rf_tracepoint_hook {
	const char *name;
	void *probe;
	struct tracepoint *tp;
	bool attached;
};

/* find + attach. Batch detaches, then synchronize. */
int rf_tracepoint_hook_register(struct rf_tracepoint_hook *hook);
int rf_tracepoint_hook_find(struct rf_tracepoint_hook *hook);
int rf_tracepoint_hook_attach(struct rf_tracepoint_hook *hook);
void rf_tracepoint_hook_detach(struct rf_tracepoint_hook *hook);

#endif /* _RINGFENCE_H */
