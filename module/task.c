// SPDX-License-Identifier: GPL-2.0
/*
 * Per-task restriction state: a hashtable keyed by task pointer, filled by
 * registration, copied to every child at fork and freed with the task.
 *
 * A child's entry must exist before the child can run, and a fork whose
 * entry cannot be allocated must fail, as upstream's io_uring_fork() does.
 * Neither fork tracepoint can fail a fork, and copy_process() must never be
 * called through a pointer (its ENDBR is sealed on IBT kernels), so the work
 * is split (entry.c attaches both halves):
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

#include "ringfence.h"
#include "reserve.h"

struct rf_task {
	struct hlist_node node;
	struct task_struct *task;
	struct rf_policy *policy;
	struct rf_task *pending;	/* the next child's entry */
	struct rcu_head rcu;
};

#define RF_TASK_HASH_BITS 12
static DEFINE_HASHTABLE(rf_tasks, RF_TASK_HASH_BITS);
/* Raw: taken in tracepoint probes and ftrace callbacks, also on PREEMPT_RT. */
static DEFINE_RAW_SPINLOCK(rf_tasks_lock);
/* Children's entries, for copy_process() entry, where nothing may sleep. */
static struct rf_reserve rf_task_reserve;
/* Lets every hook return after one load while nobody is restricted. */
static atomic_t rf_nr_tasks = ATOMIC_INIT(0);

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
	raw_spin_lock_irqsave(&rf_tasks_lock, flags);
	hash_add_rcu(rf_tasks, &t->node, (unsigned long)t->task);
	atomic_inc(&rf_nr_tasks);
	raw_spin_unlock_irqrestore(&rf_tasks_lock, flags);
}

static void rf_task_free(struct rf_task *t)
{
	rf_reserve_give(&rf_task_reserve, t->pending);
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

void notrace rf_task_count(const struct ringfence_record *rec)
{
	const struct rf_policy *policy = rf_current_policy();

	if (policy)
		rf_stats_count(policy->stats, rec);
}

struct rf_learn *notrace rf_task_learn(void)
{
	const struct rf_policy *policy = rf_current_policy();

	return policy ? policy->learn : NULL;
}

struct rf_policy *rf_task_policy(struct task_struct *task)
{
	struct rf_policy *policy = NULL;
	struct rf_task *t;

	if (!atomic_read(&rf_nr_tasks))
		return NULL;
	/* The entry's policy is freed after a grace period: take it inside one. */
	rcu_read_lock();
	t = rf_task_lookup(task);
	policy = t ? READ_ONCE(t->policy) : NULL;
	if (policy && !refcount_inc_not_zero(&policy->ref))
		policy = NULL;
	rcu_read_unlock();
	return policy;
}

int rf_task_set_current(struct rf_policy *old, struct rf_policy *policy)
{
	struct rf_task *t;

	/* The tree's counters start with its first policy. */
	if (!policy->stats) {
		policy->stats = rf_stats_new();
		if (!policy->stats) {
			rf_policy_put(policy);
			return -ENOMEM;
		}
	}

	if (old) {
		/* Only current reads or writes its own entry's policy. */
		rcu_read_lock();
		t = rf_task_lookup(current);
		rcu_read_unlock();
		if (WARN_ON_ONCE(!t || t->policy != old)) {
			rf_policy_put(policy);
			return -EINVAL;
		}
		WRITE_ONCE(t->policy, policy);
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

/*
 * At copy_process() entry, in the parent: the child's entry is allocated
 * now, because nothing can fail the fork later. -ENOMEM fails the fork.
 * Atomic: ftrace callbacks cannot sleep.
 */
int rf_task_fork_prepare(void)
{
	struct rf_task *t;
	int ret = 0;

	if (!atomic_read(&rf_nr_tasks))
		return 0;
	rcu_read_lock();
	t = rf_task_lookup(current);
	if (t && !t->pending) {
		t->pending = rf_reserve_take(&rf_task_reserve);
		if (!t->pending)
			ret = -ENOMEM;
	}
	rcu_read_unlock();
	return ret;
}

/*
 * At the end of copy_process(), before @child can run: current's pending
 * entry becomes the child's.
 */
void rf_task_fork_finish(struct task_struct *child)
{
	struct rf_task *parent, *entry;

	if (!atomic_read(&rf_nr_tasks))
		return;
	rcu_read_lock();
	parent = rf_task_lookup(current);
	if (!parent) {
		rcu_read_unlock();
		return;
	}
	entry = parent->pending;
	parent->pending = NULL;
	if (unlikely(!entry)) {
		/*
		 * rf_task_fork_prepare() always leaves an entry here; if that
		 * ever failed to hold, the child must not run unrestricted.
		 */
		WARN_ONCE(1, "no pending entry for a restricted task's child\n");
		entry = rf_reserve_take(&rf_task_reserve);
		if (!entry) {
			rcu_read_unlock();
			send_sig_info(SIGKILL, SEND_SIG_PRIV, child);
			return;
		}
	}
	entry->task = child;
	entry->policy = rf_policy_get(parent->policy);
	rcu_read_unlock();
	rf_task_publish(entry);
}

/* When @task's memory is about to be freed (an RCU callback). */
void rf_task_gone(struct task_struct *task)
{
	struct rf_task *t;
	unsigned long flags;

	if (!atomic_read(&rf_nr_tasks))
		return;
	raw_spin_lock_irqsave(&rf_tasks_lock, flags);
	t = rf_task_lookup(task);
	if (t) {
		hash_del_rcu(&t->node);
		atomic_dec(&rf_nr_tasks);
	}
	raw_spin_unlock_irqrestore(&rf_tasks_lock, flags);
	if (t)
		rf_task_free(t);
}

int rf_task_init(void)
{
	return rf_reserve_init(&rf_task_reserve, sizeof(struct rf_task));
}

/*
 * Only reached with no live entry (each holds a module reference), after
 * the RCU callbacks that free them have run.
 */
void rf_task_exit(void)
{
	WARN_ON(atomic_read(&rf_nr_tasks));
	rf_reserve_exit(&rf_task_reserve);
}
