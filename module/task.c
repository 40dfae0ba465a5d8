// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task restriction state: a hashtable keyed by task pointer, filled by
 * registration, copied to every child at fork and freed with the task.
 *
 * A child's entry must exist before the child can run, and a fork whose
 * entry cannot be allocated must fail, as upstream's io_uring_fork() does.
 * Neither fork tracepoint can fail a fork, and copy_process() must never be
 * called through a pointer (its ENDBR is sealed on IBT kernels), so the work
 * is split:
 *   - at copy_process() entry (ftrace, in the parent) the child's entry is
 *     allocated into the parent's ->pending slot; if that fails the call is
 *     redirected to a function returning -ENOMEM, so copy_process() never
 *     runs and the fork fails;
 *   - at task_newtask (end of copy_process(), before the child is woken) the
 *     pending entry is filled in for the child and published.
 * Only the owning task touches its ->pending slot, and copy_process() does
 * not nest, so the slot needs no lock.
 */
#include <linux/hashtable.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/module.h>
#include <linux/err.h>
#include <linux/tracepoint.h>

#include "ringfence.h"

struct rf_task {
	struct hlist_node node;
	struct task_struct *task;
	struct rf_policy *policy;
	struct rf_task *pending;	/* the next child's entry */
	struct rcu_head rcu;
};

#define RF_TASK_HASH_BITS 12
static DEFINE_HASHTABLE(rf_tasks, RF_TASK_HASH_BITS);
static DEFINE_SPINLOCK(rf_tasks_lock);
/* Lets every hook return after one load while nobody is restricted. */
static atomic_t rf_nr_tasks = ATOMIC_INIT(0);

unsigned int rf_task_count(void)
{
	return atomic_read(&rf_nr_tasks);
}

/* Caller holds rcu_read_lock() or rf_tasks_lock. */
static struct rf_task *rf_task_lookup(const struct task_struct *task)
{
	struct rf_task *t;

	hash_for_each_possible_rcu(rf_tasks, t, node, (unsigned long)task,
				   lockdep_is_held(&rf_tasks_lock))
		if (t->task == task)
			return t;
	return NULL;
}

static void rf_task_publish(struct rf_task *t)
{
	unsigned long flags;

	/* Live entries pin the module: a restricted task outlives no hook. */
	__module_get(THIS_MODULE);
	spin_lock_irqsave(&rf_tasks_lock, flags);
	hash_add_rcu(rf_tasks, &t->node, (unsigned long)t->task);
	atomic_inc(&rf_nr_tasks);
	spin_unlock_irqrestore(&rf_tasks_lock, flags);
}

static void rf_task_free(struct rf_task *t)
{
	kfree(t->pending);
	rf_policy_put(t->policy);
	kfree_rcu(t, rcu);
	module_put(THIS_MODULE);
}

struct rf_policy *rf_current_policy(void)
{
	struct rf_policy *policy = NULL;
	struct rf_task *t;

	if (!atomic_read(&rf_nr_tasks))
		return NULL;
	rcu_read_lock();
	t = rf_task_lookup(current);
	if (t)
		policy = t->policy;
	rcu_read_unlock();
	return policy;
}

int rf_task_set_current(struct rf_policy *old, struct rf_policy *policy)
{
	struct rf_task *t;

	if (old) {
		/* Only current reads or writes its own entry's policy. */
		rcu_read_lock();
		t = rf_task_lookup(current);
		rcu_read_unlock();
		if (WARN_ON_ONCE(!t || t->policy != old)) {
			rf_policy_put(policy);
			return -EINVAL;
		}
		t->policy = policy;
		rf_policy_put(old);
		return 0;
	}

	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t) {
		rf_policy_put(policy);
		return -ENOMEM;
	}
	t->task = current;
	t->policy = policy;
	rf_task_publish(t);
	return 0;
}

/* Same prototype as copy_process(): what a failed fork returns instead. */
static notrace struct task_struct *
rf_copy_process_enomem(struct pid *pid, int trace, int node,
		       struct kernel_clone_args *args)
{
	return ERR_PTR(-ENOMEM);
}

/*
 * At every copy_process() on the machine, in the parent. Reaches only
 * current's own entry; nothing from user space. Atomic: GFP_ATOMIC only.
 */
static void notrace rf_copy_process_entry(unsigned long ip,
					  unsigned long parent_ip,
					  struct ftrace_ops *ops,
					  struct ftrace_regs *fregs)
{
	struct rf_task *t;

	if (!atomic_read(&rf_nr_tasks))
		return;
	rcu_read_lock();
	t = rf_task_lookup(current);
	/* ftrace callbacks cannot sleep. */
	if (t && !t->pending) {
		t->pending = kzalloc(sizeof(*t), GFP_ATOMIC | __GFP_NOWARN);
		if (!t->pending)
			rf_fregs_set_ip(fregs, (unsigned long)rf_copy_process_enomem);
	}
	rcu_read_unlock();
}

static struct rf_ftrace_hook rf_copy_process_hook = {
	.symbol = "copy_process",
	.func = rf_copy_process_entry,
	.flags = FTRACE_OPS_FL_IPMODIFY,
};

/*
 * At the end of copy_process(), before @task can run. @task is the kernel's
 * new task; the entry moved to it is current's own pending one.
 */
static void notrace rf_task_newtask(void *data, struct task_struct *task,
				    unsigned long clone_flags)
{
	struct rf_task *parent, *child;

	if (!atomic_read(&rf_nr_tasks))
		return;
	rcu_read_lock();
	parent = rf_task_lookup(current);
	if (!parent) {
		rcu_read_unlock();
		return;
	}
	child = parent->pending;
	parent->pending = NULL;
	if (unlikely(!child)) {
		/*
		 * copy_process() entry always leaves an entry here; if that
		 * ever failed to hold, the child must not run unrestricted.
		 */
		WARN_ONCE(1, "no pending entry for a restricted task's child\n");
		child = kzalloc(sizeof(*child), GFP_ATOMIC | __GFP_NOWARN);
		if (!child) {
			rcu_read_unlock();
			send_sig_info(SIGKILL, SEND_SIG_PRIV, task);
			return;
		}
	}
	child->task = task;
	child->policy = rf_policy_get(parent->policy);
	rcu_read_unlock();
	rf_task_publish(child);
}

static struct rf_tracepoint_hook rf_newtask_hook = {
	.name = "task_newtask",
	.probe = rf_task_newtask,
};

/*
 * Runs from the RCU callback that drops the task's last RCU user: @task is
 * the kernel's, about to be freed; nothing from user space.
 */
static void notrace rf_sched_process_free(void *data, struct task_struct *task)
{
	struct rf_task *t;
	unsigned long flags;

	if (!atomic_read(&rf_nr_tasks))
		return;
	spin_lock_irqsave(&rf_tasks_lock, flags);
	t = rf_task_lookup(task);
	if (t) {
		hash_del_rcu(&t->node);
		atomic_dec(&rf_nr_tasks);
	}
	spin_unlock_irqrestore(&rf_tasks_lock, flags);
	if (!t)
		return;
	/* A later task at this address must not inherit the ownership. */
	if (t->policy)
		rf_filters_disown(t->policy->filters, task);
	rf_task_free(t);
}

static struct rf_tracepoint_hook rf_free_hook = {
	.name = "sched_process_free",
	.probe = rf_sched_process_free,
};

int rf_task_init(void)
{
	int ret;

	/* Attach in the order that never lets a child escape: free, newtask, fork. */
	ret = rf_tracepoint_hook_register(&rf_free_hook);
	if (ret)
		return ret;
	ret = rf_tracepoint_hook_register(&rf_newtask_hook);
	if (ret)
		goto err_free;
	ret = rf_ftrace_hook_register(&rf_copy_process_hook);
	if (ret)
		goto err_newtask;
	return 0;

err_newtask:
	rf_tracepoint_hook_detach(&rf_newtask_hook);
err_free:
	rf_tracepoint_hook_detach(&rf_free_hook);
	tracepoint_synchronize_unregister();
	return ret;
}

/* Only reached with no live entry: each one holds a module reference. */
void rf_task_exit(void)
{
	rf_ftrace_hook_unregister(&rf_copy_process_hook);
	rf_tracepoint_hook_detach(&rf_newtask_hook);
	rf_tracepoint_hook_detach(&rf_free_hook);
	tracepoint_synchronize_unregister();
	WARN_ON(atomic_read(&rf_nr_tasks));
}
