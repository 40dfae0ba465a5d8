// SPDX-License-Identifier: LGPL-2.1-or-later
/* cBPF filter registration, for the task or for one ring. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "internal.h"

/* The kernel answered as if it has no task filter registration at all. */
static int kernel_lacks_task_call(int ret)
{
	if (ret == -EBADF || ret == -ENOSYS)
		return 1;
	/*
	 * Kernels without the opcode answer -EINVAL (it is past their
	 * IORING_REGISTER_LAST), as 7.x does for a bad program; only a probe
	 * tells the two apart.
	 */
	if (ret == -EINVAL)
		return rf_probe_filter_register(-1) == 0;
	return 0;
}

static int register_task(struct io_uring_bpf *reg)
{
	uint8_t pdu_size = reg->filter.pdu_size;
	int ret = rf_sys_register(-1, RINGFENCE_IORING_REGISTER_BPF_FILTER,
				  reg, 1);

	if (!ret || !kernel_lacks_task_call(ret))
		return ret;
	reg->filter.pdu_size = pdu_size;
	return rf_dev_call(RINGFENCE_IOC_REGISTER_BPF_FILTER, reg,
			   RINGFENCE_FEAT_BPF_FILTER);
}

static int register_ring(int fd, struct io_uring_bpf *reg)
{
	int ret = rf_sys_register(fd, RINGFENCE_IORING_REGISTER_BPF_FILTER,
				  reg, 1);

	if (ret == -EINVAL && rf_probe_filter_register(fd) == 0)
		return -ENOSYS;
	return ret;
}

int rf_filter_arg(struct io_uring_bpf *reg, unsigned int opcode,
		  const struct sock_filter *prog, unsigned int len,
		  unsigned int flags, const unsigned int *pdu_size)
{
	int size;

	if (len && !prog)
		return -EFAULT;
	memset(reg, 0, sizeof(*reg));
	reg->cmd_type = IO_URING_BPF_CMD_FILTER;
	reg->filter.opcode = opcode;
	reg->filter.flags = flags;
	reg->filter.filter_len = len;
	reg->filter.filter_ptr = (uint64_t)(uintptr_t)prog;
	if (pdu_size) {
		if (*pdu_size > UINT8_MAX)
			return -EINVAL;
		reg->filter.pdu_size = (uint8_t)*pdu_size;
	} else if (flags & IO_URING_BPF_FILTER_SZ_STRICT) {
		size = ringfence_filter_pdu_size(opcode);
		/* An opcode past 7.2's: let the kernel judge it. */
		reg->filter.pdu_size = size < 0 ? 0 : (uint8_t)size;
	}
	return 0;
}

static int do_register(int fd, unsigned int opcode,
		       const struct sock_filter *prog, unsigned int len,
		       unsigned int flags, unsigned int *pdu_size)
{
	struct io_uring_bpf reg;
	int ret = rf_filter_arg(&reg, opcode, prog, len, flags, pdu_size);

	if (ret)
		return ret;
	ret = fd == -1 ? register_task(&reg) : register_ring(fd, &reg);
	/* The kernel writes its size back, even when it refuses ours. */
	if (pdu_size)
		*pdu_size = reg.filter.pdu_size;
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_register_filter(int fd, unsigned int opcode,
			      const struct sock_filter *prog, unsigned int len,
			      unsigned int flags, unsigned int *pdu_size)
{
	int saved_errno = errno;
	int ret = do_register(fd, opcode, prog, len, flags, pdu_size);

	errno = saved_errno;
	return ret;
}

RINGFENCE_PUBLIC
int ringfence_register_task_filter(unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags)
{
	return ringfence_register_filter(-1, opcode, prog, len, flags, NULL);
}

RINGFENCE_PUBLIC
int ringfence_register_ring_filter(int ring_fd, unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags)
{
	/* -1 would mean the task: not a ring. */
	if (ring_fd < 0)
		return -EBADF;
	return ringfence_register_filter(ring_fd, opcode, prog, len, flags,
					 NULL);
}
