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
};

struct rf_policy *rf_policy_alloc(void);
void rf_policy_put(struct rf_policy *policy);
int rf_policy_parse(struct rf_policy *policy,
		    const struct io_uring_restriction __user *entries,
		    unsigned int nr);

static inline struct rf_policy *rf_policy_get(struct rf_policy *policy)
{
	refcount_inc(&policy->ref);
	return policy;
}

/* Per-task state (task.c). */
int rf_task_init(void);
void rf_task_exit(void);
/* Returns the policy of current or NULL; valid while current lives. */
struct rf_policy *rf_current_policy(void);
/* Makes @policy current's restriction set; consumes the reference. */
int rf_task_set_current(struct rf_policy *policy);
unsigned int rf_task_count(void);

/* Ring creation (ring.c). */
int rf_ring_init(void);
void rf_ring_exit(void);

/* Registration (register.c). */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args);
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
};

int rf_tracepoint_hook_register(struct rf_tracepoint_hook *hook);
void rf_tracepoint_hook_unregister(struct rf_tracepoint_hook *hook);

#endif /* _RINGFENCE_H */
