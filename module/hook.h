/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The hook layer's mechanism (hook.c): one table of every place the module
 * attaches to the kernel, attached in table order and detached in reverse.
 * The table and its callbacks are entry.c's; consumers below it only ask
 * for an on-demand hook by its id.
 */
#ifndef _RINGFENCE_HOOK_H
#define _RINGFENCE_HOOK_H

#include <linux/atomic.h>
#include <linux/ftrace.h>
#include <linux/types.h>

/* Every hook, in the order they attach. */
enum rf_hook_id {
	RF_HOOK_TASK_FREE,	/* tracepoint sched_process_free */
	RF_HOOK_TASK_NEW,	/* tracepoint task_newtask */
	RF_HOOK_FORK,		/* ftrace copy_process() */
	RF_HOOK_RING_FREE,	/* ftrace io_destroy_buffers() */
	RF_HOOK_RING_CREATE,	/* ftrace io_sq_offload_create() */
	RF_HOOK_CONNECT,	/* ftrace io_connect(), where a CONNECT is copied at issue */
	RF_HOOK_REQ_FAILED,	/* tracepoint io_uring_req_failed */
	RF_HOOK_REGISTER_DONE,	/* tracepoint io_uring_register (the end of a ring's call) */
	RF_HOOK_REGISTER,	/* ftrace the io_uring_register() syscall entry */
	RF_HOOK_REGISTER_COMPAT,	/* ftrace 32-bit callers' own entry, if any */
	RF_HOOK_SUBMIT,		/* tracepoint after io_init_req(), on demand */
	RF_HOOK_NR
};

enum rf_hook_kind {
	RF_HOOK_FTRACE,
	RF_HOOK_TRACEPOINT,
};

struct rf_hook {
	const char *target;		/* function or tracepoint name */
	enum rf_hook_kind kind;
	void *func;			/* ftrace_func_t, or the probe */
	/*
	 * RF_FTRACE_IPMODIFY_FLAGS (compat/ftrace.h): the callback may
	 * redirect the function.
	 */
	unsigned long ftrace_flags;
	/* Attached only while a consumer holds it (rf_hook_get()). */
	bool on_demand;
	/* Not needed on this kernel: never attached (set before rf_hooks_attach()). */
	bool unused;

	/* State, the mechanism's own. */
	struct ftrace_ops ops;
	struct tracepoint *tp;
	bool attached;
	atomic_t users;
};

/*
 * Proves, on a function of the module's own, that an ftrace redirect really
 * happens on this kernel; anything else is an error. Before any attach.
 */
int rf_hooks_selftest(void);
int rf_hooks_attach(struct rf_hook *table);
/* Detaches the hooks attached at load, in reverse order. */
void rf_hooks_detach(void);
/*
 * After the last consumer's RCU callbacks have run (the caller's
 * rcu_barrier()): detaches what is still attached on demand.
 */
void rf_hooks_exit(void);

/*
 * An on-demand hook is attached by the time rf_hook_get() returns 0, and
 * detached a while after its last rf_hook_put() (any context).
 */
int rf_hook_get(enum rf_hook_id id);
void rf_hook_put(enum rf_hook_id id);

#endif /* _RINGFENCE_HOOK_H */
