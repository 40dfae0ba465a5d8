// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * ringfence's own observability calls: log-only registrations, learning
 * descriptors and the status of a process. No upstream kernel has them,
 * so they go to /dev/ringfence only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int keep_errno(int ret, int saved_errno)
{
	errno = saved_errno;
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_log_only_task_restrictions(const struct io_uring_restriction *res,
					 unsigned int nr)
{
	struct io_uring_task_restriction *arg;
	int saved_errno = errno;
	int ret = rf_restriction_arg(res, nr, RINGFENCE_REGISTER_LOG_ONLY, &arg);

	if (ret)
		return keep_errno(ret, saved_errno);
	ret = rf_dev_call(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, arg,
			  RINGFENCE_FEAT_RECORDS);
	free(arg);
	return keep_errno(ret, saved_errno);
}

RINGFENCE_PUBLIC
int ringfence_log_only_task_filter(unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags,
				   unsigned int *pdu_size)
{
	struct io_uring_bpf reg;
	int saved_errno = errno;
	int ret = rf_filter_arg(&reg, opcode, prog, len, flags, pdu_size);

	if (ret)
		return keep_errno(ret, saved_errno);
	reg.cmd_flags = RINGFENCE_REGISTER_LOG_ONLY;
	ret = rf_dev_call(RINGFENCE_IOC_REGISTER_BPF_FILTER, &reg, RINGFENCE_FEAT_RECORDS);
	if (pdu_size)
		*pdu_size = reg.filter.pdu_size;
	return keep_errno(ret, saved_errno);
}

RINGFENCE_PUBLIC
int ringfence_log_only_seccomp_parity(void)
{
	int saved_errno = errno;

	return keep_errno(rf_dev_call(RINGFENCE_IOC_LOG_SECCOMP_PARITY, NULL,
				      RINGFENCE_FEAT_RECORDS), saved_errno);
}

RINGFENCE_PUBLIC
int ringfence_learn(void)
{
	struct ringfence_learn arg = { 0 };
	int saved_errno = errno;

	return keep_errno(rf_dev_call(RINGFENCE_IOC_LEARN, &arg,
				      RINGFENCE_FEAT_RECORDS), saved_errno);
}

RINGFENCE_PUBLIC
int ringfence_status(int pid, struct ringfence_status *st)
{
	int saved_errno = errno;

	if (!st)
		return -EFAULT;
	memset(st, 0, sizeof(*st));
	st->pid = pid;
	return keep_errno(rf_dev_call(RINGFENCE_IOC_STATUS, st,
				      RINGFENCE_FEAT_RECORDS), saved_errno);
}
