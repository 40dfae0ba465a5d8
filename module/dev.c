// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ringfence: version query and registration by ioctl, for callers that
 * prefer not to depend on the io_uring_register() route, and ringfence's
 * own operations (log-only layers, learning, status). Mode 0666 is safe
 * because every operation only ever restricts or records the caller, and
 * status reads another process only with ptrace read access.
 */
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/uaccess.h>
#include <linux/string.h>

#include <linux/ringfence.h>
#include "ringfence.h"

static long rf_ioctl_version(struct ringfence_version __user *uver)
{
	struct ringfence_version ver;

	if (copy_from_user(&ver, uver, sizeof(ver)))
		return -EFAULT;
	if (ver.upstream)
		return -EINVAL;
	memset(&ver, 0, sizeof(ver));
	ver.abi_version = RINGFENCE_ABI_VERSION;
	ver.upstream = RF_UPSTREAM_RELEASE;
	ver.features = RINGFENCE_FEAT_TASK_RESTRICTIONS |
		       RINGFENCE_FEAT_UPSTREAM_REGISTER |
		       RINGFENCE_FEAT_BPF_FILTER |
		       RINGFENCE_FEAT_SECCOMP_PARITY |
		       RINGFENCE_FEAT_RECORDS;
	strscpy(ver.module_version, RINGFENCE_VERSION, sizeof(ver.module_version));
	if (copy_to_user(uver, &ver, sizeof(ver)))
		return -EFAULT;
	return 0;
}

/*
 * Entry point for every local user (the device is 0666). From user space:
 * @cmd (unknown ones get -ENOTTY) and @arg, a user pointer read and written
 * only through copy_from_user()/copy_to_user(), each structure once. The
 * 32-bit compat path passes the same pointer: every structure has one
 * layout in both ABIs. Every operation but the status query restricts,
 * or records, the caller only; the status query reads another process's
 * policy under ptrace read rules (status.c).
 */
/*
 * The map, entry by entry: @umap's header is copied once, then each entry
 * is written to user memory as it is made; nothing is read back.
 */
static long rf_ioctl_seccomp_map(struct ringfence_seccomp_map __user *umap)
{
	struct ringfence_seccomp_op __user *uops;
	struct ringfence_seccomp_map map;
	struct ringfence_seccomp_op op;
	unsigned int i;

	if (copy_from_user(&map, umap, sizeof(map)))
		return -EFAULT;
	if (map.resv)
		return -EINVAL;
	uops = u64_to_user_ptr(map.ops);
	for (i = 0; i < map.nr_ops && i < IORING_OP_LAST; i++) {
		rf_parity_describe(i, &op);
		if (copy_to_user(&uops[i], &op, sizeof(op)))
			return -EFAULT;
	}
	map.nr_ops = IORING_OP_LAST;
	if (copy_to_user(&umap->nr_ops, &map.nr_ops, sizeof(map.nr_ops)))
		return -EFAULT;
	return 0;
}

static long rf_dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	void __user *argp = (void __user *)arg;

	switch (cmd) {
	case RINGFENCE_IOC_VERSION:
		return rf_ioctl_version(argp);
	case RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS:
		return rf_register_task_restrictions(argp, 1, true);
	case RINGFENCE_IOC_REGISTER_BPF_FILTER:
		return rf_register_task_filter(argp, 1, true);
	case RINGFENCE_IOC_ENABLE_SECCOMP_PARITY:
		return rf_register_task_parity(false);
	case RINGFENCE_IOC_LOG_SECCOMP_PARITY:
		return rf_register_task_parity(true);
	case RINGFENCE_IOC_SECCOMP_MAP:
		return rf_ioctl_seccomp_map(argp);
	case RINGFENCE_IOC_LEARN:
		return rf_register_task_learn(argp);
	case RINGFENCE_IOC_STATUS:
		return rf_status(argp);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations rf_dev_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = rf_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice rf_miscdev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "ringfence",
	.fops = &rf_dev_fops,
	.mode = 0666,
};

int rf_dev_init(void)
{
	int ret = misc_register(&rf_miscdev);

	if (ret)
		pr_err("cannot register /dev/ringfence (%d)\n", ret);
	return ret;
}

void rf_dev_exit(void)
{
	misc_deregister(&rf_miscdev);
}
