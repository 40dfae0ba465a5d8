// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of task restrictions, reached two ways that end here:
 * io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, 1) as on Linux
 * 7.x, and the /dev/ringfence ioctl.
 *
 * The syscall route: an IPMODIFY ftrace hook on the syscall's entry wrapper
 * (entry.c) sends exactly the calls this module implements (the blind
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

static bool rf_may_restrict_self(void)
{
	/* As seccomp: only a task that cannot gain privileges, or an admin. */
	return task_no_new_privs(current) ||
	       ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN);
}

/* Mirrors 7.3's io_register_restrictions_task(), check for check. */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args)
{
	struct io_uring_task_restriction __user *ures = arg;
	struct io_uring_task_restriction tres;
	struct rf_policy *old, *policy;
	int ret;

	/*
	 * Once per task, inherited sets and filter-only sets included; seccomp
	 * parity alone is not a set.
	 */
	old = rf_current_policy();
	if (old && rf_policy_has_set(old))
		return -EPERM;
	if (!rf_may_restrict_self())
		return -EACCES;
	if (nr_args != 1)
		return -EINVAL;

	if (copy_from_user(&tres, ures, sizeof(tres)))
		return -EFAULT;
	if (tres.flags)
		return -EINVAL;
	if (memchr_inv(tres.resv, 0, sizeof(tres.resv)))
		return -EINVAL;

	policy = rf_policy_clone(old);
	if (!policy)
		return -ENOMEM;
	ret = rf_policy_parse(policy, ures->restrictions, tres.nr_res);
	if (ret) {
		rf_policy_put(policy);
		return ret;
	}
	return rf_task_set_current(old, policy);
}

/*
 * Seccomp parity for the caller and everything it starts, for good. Not an
 * upstream call; the same privilege rule as a restriction set.
 */
int rf_register_task_parity(void)
{
	struct rf_policy *old, *policy;
	int ret;

	if (!rf_may_restrict_self())
		return -EACCES;
	old = rf_current_policy();
	if (old && old->seccomp_parity)
		return 0;
	policy = rf_policy_clone(old);
	if (!policy)
		return -ENOMEM;
	ret = rf_policy_set_parity(policy);
	if (ret) {
		rf_policy_put(policy);
		return ret;
	}
	return rf_task_set_current(old, policy);
}

/* Mirrors 7.3's io_register_bpf_filter_task(). */
int rf_register_task_filter(void __user *arg, unsigned int nr_args)
{
	struct rf_policy *old, *policy;
	struct rf_filters *filters;

	if (!rf_may_restrict_self())
		return -EACCES;
	if (nr_args != 1)
		return -EINVAL;

	old = rf_current_policy();
	filters = rf_filters_add(old ? old->filters : NULL, arg);
	if (IS_ERR(filters))
		return PTR_ERR(filters);
	policy = rf_policy_clone(old);
	if (!policy) {
		rf_filters_put(filters);
		return -ENOMEM;
	}
	rf_filters_put(policy->filters);
	policy->filters = filters;
	return rf_task_set_current(old, policy);
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
	fput(file);
	return ret;
}

/*
 * Stands in for the system call's entry wrapper (same prototype), where
 * entry.c's hook sends the calls rf_register_is_ours() picks. Entered
 * holding the module reference the hook took; entry.c's exit waits out the
 * instructions that run after it is dropped.
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
long notrace rf_sys_io_uring_register(const struct pt_regs *regs)
{
	unsigned int fd = rf_syscall_arg(regs, 0);
	unsigned int opcode = rf_syscall_arg(regs, 1);
	void __user *arg = (void __user *)rf_syscall_arg(regs, 2);
	unsigned int nr_args = rf_syscall_arg(regs, 3);
	bool registered_ring;
	long ret;

	registered_ring = opcode & RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	if (fd != (unsigned int)-1)
		ret = rf_register_ring(fd, registered_ring, opcode, arg, nr_args);
	else if (rf_register_blind_refused(opcode))
		ret = -EACCES;
	else if (opcode == RINGFENCE_IORING_REGISTER_BPF_FILTER)
		ret = rf_register_task_filter(arg, nr_args);
	else
		ret = rf_register_task_restrictions(arg, nr_args);
	module_put(THIS_MODULE);
	return ret;
}

/*
 * 7.3's io_uring_register_blind(): a task whose set restricts register
 * opcodes may make no blind call (fd -1) its set does not name, ours or
 * the kernel's (7.2 did not check).
 */
bool notrace rf_register_blind_refused(unsigned int opcode)
{
	const struct rf_policy *policy = rf_current_policy();

	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	return policy && policy->reg_registered &&
	       (opcode >= RF_UPSTREAM_IORING_REGISTER_LAST ||
		!test_bit(array_index_nospec(opcode, RF_UPSTREAM_IORING_REGISTER_LAST),
			  policy->register_op));
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
