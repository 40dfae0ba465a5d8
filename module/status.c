// SPDX-License-Identifier: GPL-2.0
/*
 * RINGFENCE_IOC_STATUS: the policy in force for a process and for the
 * rings in its file table, for `ringfence status`.
 *
 * It names another task, so it is the one operation that reads what is not
 * the caller's. The caller needs what ptrace read access needs, checked
 * as __ptrace_may_access() checks it for PTRACE_MODE_READ_FSCREDS (which
 * no module may call): the same thread group; or the caller's fsuid and
 * fsgid equal the target's real, effective and saved ids and the target is
 * dumpable; or CAP_SYS_PTRACE over the target's user namespace (and, for a
 * target that is not dumpable, over its mm's). LSM ptrace hooks are not
 * consulted: no exported route reaches them.
 */
#include <linux/cred.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <linux/ringfence.h>
#include "ringfence.h"

static bool rf_may_read(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	struct mm_struct *mm;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) && uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) && gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) && gid_eq(cred->fsgid, tcred->gid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;
	/* As __ptrace_may_access(): dumpability after the credentials. */
	smp_rmb();
	task_lock(task);
	mm = task->mm;
	ok = !mm || get_dumpable(mm) == SUID_DUMP_USER || ns_capable(mm->user_ns, CAP_SYS_PTRACE);
	task_unlock(task);
	return ok;
}

struct rf_status_walk {
	struct ringfence_status *st;
};

/* Under the file table's lock: nothing here sleeps. */
static int rf_status_ring(const void *p, struct file *file, unsigned int fd)
{
	const struct rf_status_walk *walk = p;
	struct ringfence_status *st = walk->st;
	struct ringfence_status_ring *ring;

	if (!rf_is_ring_file(file))
		return 0;
	if (st->nr_rings < RINGFENCE_STATUS_MAX_RINGS) {
		ring = &st->rings[st->nr_rings];
		ring->fd = fd;
		rf_ring_describe(file->private_data, ring);
	}
	st->nr_rings++;
	return 0;
}

static void rf_status_fill(struct task_struct *task, struct ringfence_status *st)
{
	struct rf_status_walk walk = { .st = st };
	struct rf_policy *policy = rf_task_policy(task);

	if (policy) {
		st->flags |= RINGFENCE_STATUS_CONFINED;
		if (policy->seccomp_parity)
			st->flags |= RINGFENCE_STATUS_PARITY;
		if (policy->log_only && policy->log_only->seccomp_parity)
			st->flags |= RINGFENCE_STATUS_PARITY_LOG_ONLY;
		if (policy->learn)
			st->flags |= RINGFENCE_STATUS_LEARNING;
		rf_policy_describe(policy, &st->set);
		rf_policy_describe(policy->log_only, &st->log_only_set);
		rf_filters_describe(policy->filters, &st->filters);
		rf_filters_describe(policy->log_only ? policy->log_only->filters : NULL,
				    &st->log_only_filters);
		rf_stats_read(policy->stats, st->denied, st->log_only);
		rf_policy_put(policy);
	}
	if (rf_parity_everyone())
		st->flags |= RINGFENCE_STATUS_PARITY_ALL;

	task_lock(task);
	if (task->files)
		iterate_fd(task->files, 0, rf_status_ring, &walk);
	task_unlock(task);
}

/*
 * Entry point for every local user (through /dev/ringfence). From user
 * space: @arg, read once (pid and the zero fields) and written once. The
 * pid is looked up in the caller's namespace; the target is held by a
 * reference for the call and only read.
 */
long rf_status(struct ringfence_status __user *arg)
{
	struct task_struct *task;
	struct ringfence_status *st;
	struct pid *pid;
	long ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(&st->pid, &arg->pid, sizeof(st->pid)))
		goto out;
	ret = -EINVAL;
	if (st->pid < 0)
		goto out;
	if (st->pid) {
		pid = find_get_pid(st->pid);
		task = get_pid_task(pid, PIDTYPE_PID);
		put_pid(pid);
	} else {
		task = get_task_struct(current);
	}
	ret = -ESRCH;
	if (!task)
		goto out;
	ret = -EPERM;
	if (rf_may_read(task)) {
		rf_status_fill(task, st);
		ret = copy_to_user(arg, st, sizeof(*st)) ? -EFAULT : 0;
	}
	put_task_struct(task);
out:
	kfree(st);
	return ret;
}
