// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int rf_dev_register(struct io_uring_task_restriction *arg)
{
	return rf_dev_call(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, arg,
			   RINGFENCE_FEAT_TASK_RESTRICTIONS);
}

/* The kernel answered as if it has no task registration at all. */
static int kernel_lacks_call(int ret)
{
	int restricted;

	if (ret == -EBADF || ret == -ENOSYS)
		return 1;
	/*
	 * 6.13+ kernels without the feature route fd -1 to their other
	 * blind opcodes and answer -EINVAL, as 7.x does for a bad set; only
	 * a probe tells the two apart.
	 */
	if (ret == -EINVAL)
		return rf_probe_task_register(&restricted) == 0;
	return 0;
}

int rf_restriction_arg(const struct io_uring_restriction *res, unsigned int nr,
		       unsigned int flags, struct io_uring_task_restriction **out)
{
	struct io_uring_task_restriction *arg;

	if (nr > UINT16_MAX)
		return -EINVAL;
	if (nr && !res)
		return -EFAULT;
	/* One buffer, header and entries, for every route. */
	arg = calloc(1, sizeof(*arg) + (size_t)nr * sizeof(*res));
	if (!arg)
		return -ENOMEM;
	arg->flags = (uint16_t)flags;
	arg->nr_res = (uint16_t)nr;
	if (nr)
		memcpy(arg->restrictions, res, (size_t)nr * sizeof(*res));
	*out = arg;
	return 0;
}

static int do_register(const struct io_uring_restriction *res, unsigned int nr)
{
	struct io_uring_task_restriction *arg;
	int ret = rf_restriction_arg(res, nr, 0, &arg);

	if (ret)
		return ret;
	ret = rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS, arg, 1);
	if (ret && kernel_lacks_call(ret))
		ret = rf_dev_register(arg);
	free(arg);
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_register_task_restrictions(const struct io_uring_restriction *res,
					 unsigned int nr)
{
	int saved_errno = errno;
	int ret = do_register(res, nr);

	errno = saved_errno;
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_enable_seccomp_parity(void)
{
	int saved_errno = errno;
	int ret = rf_dev_call(RINGFENCE_IOC_ENABLE_SECCOMP_PARITY, NULL,
			      RINGFENCE_FEAT_SECCOMP_PARITY);

	errno = saved_errno;
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_seccomp_map(struct ringfence_seccomp_op *ops, unsigned int nr)
{
	struct ringfence_seccomp_map map = {
		.nr_ops = nr, .ops = (uintptr_t)ops,
	};
	int saved_errno = errno;
	int ret = rf_dev_call(RINGFENCE_IOC_SECCOMP_MAP, &map,
			      RINGFENCE_FEAT_SECCOMP_PARITY);

	errno = saved_errno;
	return ret ? ret : (int)map.nr_ops;
}
