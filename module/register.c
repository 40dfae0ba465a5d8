// SPDX-License-Identifier: GPL-2.0
/*
 * Registration of task restrictions, reached two ways that end here:
 * io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, 1) as on Linux
 * 7.x, and the /dev/ringfence ioctl.
 *
 * The syscall route: an IPMODIFY ftrace hook on the syscall's entry wrapper
 * sends exactly the "blind" calls this module implements to
 * rf_sys_io_uring_register(); every other io_uring_register() call runs the
 * kernel's code untouched. Nothing calls the kernel's implementation through
 * a pointer.
 */
#include <linux/cred.h>
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <linux/module.h>
#include <linux/rcupdate.h>

#include <linux/ringfence.h>
#include "ringfence.h"

/* Mirrors 7.2's io_register_restrictions_task(), check for check. */
int rf_register_task_restrictions(void __user *arg, unsigned int nr_args)
{
	struct io_uring_task_restriction __user *ures = arg;
	struct io_uring_task_restriction tres;
	struct rf_policy *policy;
	int ret;

	/* Once per task, inherited sets included. */
	if (rf_current_policy())
		return -EPERM;
	/* As seccomp: only a task that cannot gain privileges, or an admin. */
	if (!task_no_new_privs(current) &&
	    !ns_capable_noaudit(current_user_ns(), CAP_SYS_ADMIN))
		return -EACCES;
	if (nr_args != 1)
		return -EINVAL;

	if (copy_from_user(&tres, ures, sizeof(tres)))
		return -EFAULT;
	if (tres.flags)
		return -EINVAL;
	if (memchr_inv(tres.resv, 0, sizeof(tres.resv)))
		return -EINVAL;

	policy = rf_policy_alloc();
	if (!policy)
		return -ENOMEM;
	ret = rf_policy_parse(policy, ures->restrictions, tres.nr_res);
	if (ret) {
		rf_policy_put(policy);
		return ret;
	}
	return rf_task_set_current(policy);
}

/*
 * Same prototype as __x64_sys_io_uring_register(), which it stands in for.
 * Entered holding the module reference the hook took; rf_register_exit()
 * waits out the instructions that run after it is dropped.
 */
static notrace long rf_sys_io_uring_register(const struct pt_regs *regs)
{
	long ret;

	ret = rf_register_task_restrictions((void __user *)regs->dx,
					    (unsigned int)regs->r10);
	module_put(THIS_MODULE);
	return ret;
}

/* The blind opcodes this module implements; everything else is the kernel's. */
static bool rf_is_ours(unsigned int fd, unsigned int opcode)
{
	opcode &= ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	return fd == (unsigned int)-1 &&
	       opcode == RINGFENCE_IORING_REGISTER_RESTRICTIONS;
}

static void notrace rf_io_uring_register_entry(unsigned long ip,
					       unsigned long parent_ip,
					       struct ftrace_ops *ops,
					       struct ftrace_regs *fregs)
{
	/* The syscall wrapper's only argument: the user's saved registers. */
	const struct pt_regs *regs = (const struct pt_regs *)rf_fregs_arg(fregs, 0);

	/*
	 * The caller may sleep in our code while holding nothing of ours, so it
	 * pins the module; a module already going away leaves the call alone.
	 */
	if (rf_is_ours(regs->di, regs->si) && try_module_get(THIS_MODULE))
		rf_fregs_set_ip(fregs, (unsigned long)rf_sys_io_uring_register);
}

static struct rf_ftrace_hook rf_register_hook = {
	.symbol = "__x64_sys_io_uring_register",
	.func = rf_io_uring_register_entry,
	.flags = FTRACE_OPS_FL_IPMODIFY,
};

int rf_register_init(void)
{
	return rf_ftrace_hook_register(&rf_register_hook);
}

void rf_register_exit(void)
{
	rf_ftrace_hook_unregister(&rf_register_hook);
	/* A caller past its module_put() has yet to leave our text. */
	synchronize_rcu_tasks();
}
