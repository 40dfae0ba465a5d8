// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of task restrictions, reached two ways that end here:
 * io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, 1) as on Linux
 * 7.x, and the /dev/ringfence ioctl.
 *
 * The syscall route: an IPMODIFY ftrace hook on the syscall's entry wrapper
 * (entry.c; x86_64's 32-bit callers have a wrapper and a hook of their own)
 * sends exactly the calls this module implements (the blind
 * IORING_REGISTER_RESTRICTIONS, and IORING_REGISTER_BPF_FILTER, which these
 * kernels do not know) to rf_sys_io_uring_register(); every other
 * io_uring_register() call runs the kernel's code untouched. Nothing calls
 * the kernel's implementation through a pointer.
 */
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/nospec.h>
#include <linux/io_uring_types.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "hook.h"

static bool rf_may_restrict_self(void)
{
	/* As seccomp: only a task that cannot gain privileges, or an admin. */
	return task_no_new_privs(current) ||
	       ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN);
}

/*
 * Installs @policy, a clone of current's @old with @lo as its log-only
 * part (taking @lo's reference), as current's.
 */
static int rf_set_log_only(struct rf_policy *old, struct rf_policy *lo)
{
	struct rf_policy *policy;
	int ret;

	/* Its set is judged by the submit probe, not by the kernel. */
	if (!lo->holds_submit_hook) {
		ret = rf_hook_get(RF_HOOK_SUBMIT);
		if (ret) {
			rf_policy_put(lo);
			return ret;
		}
		lo->holds_submit_hook = true;
	}
	policy = rf_policy_clone(old);
	if (!policy) {
		rf_policy_put(lo);
		return -ENOMEM;
	}
	rf_policy_put(policy->log_only);
	policy->log_only = lo;
	return rf_task_set_current(old, policy);
}

/*
 * Mirrors 7.3's io_register_restrictions_task(), check for check. From
 * the ioctl, tres.flags may ask for a log-only set instead: once per task
 * too, and it leaves the enforcing set alone.
 */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args, bool ioctl)
{
	struct io_uring_task_restriction __user *ures = arg;
	struct io_uring_task_restriction tres;
	struct rf_policy *old, *policy;
	bool log_only;
	int ret;

	/*
	 * Once per task, inherited sets and filter-only sets included; seccomp
	 * parity alone is not a set. A log-only set is asked for in the struct,
	 * so from the ioctl a task with a set gets its -EPERM after the copy.
	 */
	old = rf_current_policy();
	if (old && rf_policy_has_set(old) && !ioctl)
		return -EPERM;
	if (!rf_may_restrict_self())
		return old && rf_policy_has_set(old) ? -EPERM : -EACCES;
	if (nr_args != 1)
		return -EINVAL;

	if (copy_from_user(&tres, ures, sizeof(tres)))
		return -EFAULT;
	log_only = tres.flags & RINGFENCE_REGISTER_LOG_ONLY;
	if (!log_only && old && rf_policy_has_set(old))
		return -EPERM;
	if (tres.flags & ~(ioctl ? RINGFENCE_REGISTER_LOG_ONLY : 0))
		return -EINVAL;
	if (memchr_inv(tres.resv, 0, sizeof(tres.resv)))
		return -EINVAL;

	if (log_only) {
		if (old && old->log_only && rf_policy_has_set(old->log_only))
			return -EPERM;
		policy = rf_policy_clone(old ? old->log_only : NULL);
	} else {
		policy = rf_policy_clone(old);
	}
	if (!policy)
		return -ENOMEM;
	ret = rf_policy_parse(policy, ures->restrictions, tres.nr_res);
	if (ret) {
		rf_policy_put(policy);
		return ret;
	}
	if (log_only)
		return rf_set_log_only(old, policy);
	return rf_task_set_current(old, policy);
}

/*
 * Seccomp parity for the caller and everything it starts, for good, or
 * (@log_only) only its would-be denials recorded. Not an upstream call;
 * the same privilege rule as a restriction set.
 */
int rf_register_task_parity(bool log_only)
{
	struct rf_policy *old, *policy;
	int ret;

	if (!rf_may_restrict_self())
		return -EACCES;
	old = rf_current_policy();
	if (log_only) {
		if (old && old->log_only && old->log_only->seccomp_parity)
			return 0;
		policy = rf_policy_clone(old ? old->log_only : NULL);
	} else {
		if (old && old->seccomp_parity)
			return 0;
		policy = rf_policy_clone(old);
	}
	if (!policy)
		return -ENOMEM;
	ret = rf_policy_set_parity(policy);
	if (ret) {
		rf_policy_put(policy);
		return ret;
	}
	if (log_only)
		return rf_set_log_only(old, policy);
	return rf_task_set_current(old, policy);
}

/*
 * Mirrors 7.3's io_register_bpf_filter_task(). From the ioctl, cmd_flags
 * may ask for a log-only filter, which goes to the log-only table.
 */
int rf_register_task_filter(void __user *arg, unsigned int nr_args, bool ioctl)
{
	struct rf_policy *old, *policy, *into;
	struct rf_filters *filters;
	struct rf_filter *f;
	bool log_only = false;

	if (!rf_may_restrict_self())
		return -EACCES;
	if (nr_args != 1)
		return -EINVAL;

	f = rf_filter_build(arg, RINGFENCE_LAYER_TASK_FILTER, ioctl ? &log_only : NULL);
	if (IS_ERR(f))
		return PTR_ERR(f);
	old = rf_current_policy();
	into = old && log_only ? old->log_only : log_only ? NULL : old;
	filters = rf_filters_add(into ? into->filters : NULL, f);
	if (IS_ERR(filters))
		return PTR_ERR(filters);
	policy = rf_policy_clone(into);
	if (!policy) {
		rf_filters_put(filters);
		return -ENOMEM;
	}
	rf_filters_put(policy->filters);
	policy->filters = filters;
	if (log_only)
		return rf_set_log_only(old, policy);
	return rf_task_set_current(old, policy);
}

/*
 * A learning descriptor for the caller and everything it starts. The fd is
 * installed last: until then nothing is visible, and a failure undoes all.
 */
int rf_register_task_learn(const struct ringfence_learn __user *arg)
{
	struct ringfence_learn req;
	struct rf_policy *old, *policy;
	struct file *file;
	struct rf_learn *l;
	int fd, ret;

	if (copy_from_user(&req, arg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.resv)
		return -EINVAL;
	if (!rf_may_restrict_self())
		return -EACCES;
	old = rf_current_policy();
	if (old && old->learn)
		return -EBUSY;
	l = rf_learn_new();
	if (!l)
		return -ENOMEM;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		rf_learn_put(l);
		return fd;
	}
	file = rf_learn_file(l);
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		rf_learn_put(l);
		return PTR_ERR(file);
	}
	ret = -ENOMEM;
	policy = rf_policy_clone(old);
	if (policy) {
		policy->learn = l;	/* the clone had none: it takes ours */
		l = NULL;
		ret = rf_task_set_current(old, policy);
	}
	rf_learn_put(l);
	if (ret) {
		fput(file);
		put_unused_fd(fd);
		return ret;
	}
	fd_install(fd, file);
	return fd;
}

/* 7.2's io_uring_ctx_get_file(), always returning a counted reference. */
static struct file *rf_get_ring_file(unsigned int fd, bool registered_ring)
{
	struct file *file;

	if (registered_ring) {
		struct io_uring_task *tctx = current->io_uring;

		if (unlikely(!tctx || fd >= IO_RINGFD_REG_MAX))
			return ERR_PTR(-EINVAL);
		fd = array_index_nospec(fd, IO_RINGFD_REG_MAX);
		file = tctx->registered_rings[fd];
		if (file)
			get_file(file);
	} else {
		file = fget(fd);
	}
	if (unlikely(!file))
		return ERR_PTR(-EBADF);
	if (rf_is_ring_file(file))
		return file;
	fput(file);
	return ERR_PTR(-EOPNOTSUPP);
}

/* Mirrors 7.2's ring path of io_uring_register() for the opcodes we own. */
static int rf_register_ring(unsigned int fd, bool registered_ring,
			    unsigned int opcode, void __user *arg,
			    unsigned int nr_args)
{
	struct io_ring_ctx *ctx;
	struct file *file;
	int ret;

	file = rf_get_ring_file(fd, registered_ring);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ctx = file->private_data;

	if (opcode == RINGFENCE_IORING_REGISTER_RESTRICTIONS)
		ret = rf_ring_register_restrictions(ctx, arg, nr_args);
	else
		ret = rf_ring_add_filter(ctx, arg, nr_args);
	rf_register_done(ctx, opcode, ret);
	fput(file);
	return ret;
}

/*
 * What the stand-ins for the system call's entry wrappers below (each of
 * its wrapper's prototype) do, where entry.c's hooks send the calls
 * rf_register_is_ours() picks. Entered holding the module reference the
 * hook took; entry.c's exit waits out the instructions that run after it
 * is dropped.
 *
 * Entry point for every local user. From user space: fd, opcode and nr_args
 * (plain values, range-checked where used), arg (a user pointer, only ever
 * read with copy_from_user() once per structure, and written back only with
 * copy_to_user()). A descriptor becomes a ring only if its f_op is the
 * kernel's io_uring_fops (rf_is_ring_file()); only then is private_data
 * taken for a ctx, kept alive by the file reference held across the call.
 * A registered-ring index is bounded and read from current's own table,
 * which only current changes.
 */
static long notrace rf_register_call(unsigned int fd, unsigned int opcode,
				     void __user *arg, unsigned int nr_args)
{
	bool registered_ring;
	long ret;

	registered_ring = opcode & RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	if (fd != (unsigned int)-1)
		ret = rf_register_ring(fd, registered_ring, opcode, arg, nr_args);
	else if (rf_register_blind_refused(opcode))
		ret = -EACCES;
	else if (opcode == RINGFENCE_IORING_REGISTER_BPF_FILTER)
		ret = rf_register_task_filter(arg, nr_args, false);
	else
		ret = rf_register_task_restrictions(arg, nr_args, false);
	module_put(THIS_MODULE);
	return ret;
}

long notrace rf_sys_io_uring_register(const struct pt_regs *regs)
{
	return rf_register_call(rf_syscall_arg(regs, 0), rf_syscall_arg(regs, 1),
				(void __user *)rf_syscall_arg(regs, 2),
				rf_syscall_arg(regs, 3));
}

/*
 * The same for a 32-bit caller's own entry (compat/syscall.h): what it
 * registers has the same layout for 32- and 64-bit callers, its pointers
 * are __u64.
 */
long notrace rf_sys_io_uring_register_compat(const struct pt_regs *regs)
{
	return rf_register_call(rf_syscall_compat_arg(regs, 0),
				rf_syscall_compat_arg(regs, 1),
				(void __user *)rf_syscall_compat_arg(regs, 2),
				rf_syscall_compat_arg(regs, 3));
}

/*
 * 7.3's io_uring_register_blind(): a task whose set restricts register
 * opcodes may make no blind call (fd -1) its set does not name, ours or
 * the kernel's (7.2 did not check). Whether it is refused; the call is
 * recorded: as a denial, as what current's log-only set would refuse, or
 * for a learning task.
 */
bool notrace rf_register_blind_refused(unsigned int opcode)
{
	const struct rf_policy *policy = rf_current_policy();

	if (!policy)
		return false;
	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	if (rf_policy_denies_register(policy, opcode)) {
		rf_record_register(NULL, opcode, RINGFENCE_LAYER_TASK_RESTRICTION, -EACCES,
				   RINGFENCE_RECORD_DENIED);
		return true;
	}
	if (policy->log_only && rf_policy_denies_register(policy->log_only, opcode))
		rf_record_register(NULL, opcode, RINGFENCE_LAYER_TASK_RESTRICTION, -EACCES,
				   RINGFENCE_RECORD_LOG_ONLY);
	else if (policy->learn)
		rf_record_register(NULL, opcode, RINGFENCE_LAYER_NONE, 0, 0);
	return false;
}

/*
 * A register call on @ctx returned @ret (the kernel's, from its tracepoint,
 * or ours): -EACCES on a restricted ring is the ring's register set; a
 * ring with log-only layers records what they would refuse, a learning
 * ring every call.
 */
void notrace rf_register_done(const struct io_ring_ctx *ctx, unsigned int opcode, long ret)
{
	const struct rf_ring_view *v;

	if (ret == -EACCES && ctx->restricted) {
		rf_record_register(ctx, opcode, rf_ring_set_layer(ctx), -EACCES,
				   RINGFENCE_RECORD_DENIED);
		return;
	}
	if (!rf_ring_any())
		return;
	rcu_read_lock();
	v = rf_ring_view(ctx);
	if (v->log_only && rf_policy_denies_register(v->log_only, opcode))
		rf_record_register(ctx, opcode, RINGFENCE_LAYER_TASK_RESTRICTION, -EACCES,
				   RINGFENCE_RECORD_LOG_ONLY);
	else if (v->learn)
		rf_record_register(ctx, opcode, RINGFENCE_LAYER_NONE, (int)ret, 0);
	rcu_read_unlock();
}

/*
 * The calls this module implements; everything else is the kernel's. A
 * ring's own IORING_REGISTER_RESTRICTIONS is ours too: 6.x's would refuse a
 * set naming IORING_REGISTER_BPF_FILTER and would not split it as 7.0 does.
 */
bool rf_register_is_ours(unsigned int opcode)
{
	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	return opcode == RINGFENCE_IORING_REGISTER_BPF_FILTER ||
	       opcode == RINGFENCE_IORING_REGISTER_RESTRICTIONS;
}
