/* SPDX-License-Identifier: LGPL-2.1-or-later */
#ifndef RINGFENCE_INTERNAL_H
#define RINGFENCE_INTERNAL_H

#include <stdint.h>

#include "ringfence.h"

/* Built with -fvisibility=hidden: only what carries this is exported. */
#define RINGFENCE_PUBLIC __attribute__((visibility("default")))

/* Raw io_uring_register(2): 0 or a negative errno; errno is not kept. */
int rf_sys_register(int fd, unsigned int opcode, void *arg, unsigned int nr);

/*
 * Ask the kernel, without side effects, whether it handles a task
 * registration (natively or through the module's hook). Returns 1 if it
 * does, 0 if not; *restricted tells whether the task already has a set.
 */
int rf_probe_task_register(int *restricted);

/*
 * The same for IORING_REGISTER_BPF_FILTER on fd (-1: the task; else a
 * ring): 1 if the kernel knows the call, 0 if not, or -ENOMEM.
 */
int rf_probe_filter_register(int fd);

/*
 * Open /dev/ringfence and read its version. Returns the open fd (the
 * caller closes it), or a negative errno: -ENOENT when no module is there.
 */
int rf_dev_open(struct ringfence_version *ver);

/* The module can take IOC_REGISTER_TASK_RESTRICTIONS from this library. */
int rf_dev_usable(const struct ringfence_version *ver);

/* The module speaks this library's ABI and has every bit of feature. */
int rf_dev_has(const struct ringfence_version *ver, uint64_t feature);

/*
 * ioctl(request, arg) on /dev/ringfence if the module has feature: what
 * the ioctl returned (0, or a new descriptor) or a negative errno, -ENOSYS
 * when no module with that feature is there.
 */
int rf_dev_call(unsigned long request, void *arg, uint64_t feature);

/*
 * Register through RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS: 0 or a negative
 * errno, -ENOSYS when no usable module is there.
 */
int rf_dev_register(struct io_uring_task_restriction *arg);

/*
 * The argument of a task restriction registration, header and nr entries
 * from res, in one allocation the caller frees: 0, -EINVAL, -EFAULT or
 * -ENOMEM.
 */
int rf_restriction_arg(const struct io_uring_restriction *res, unsigned int nr,
		       unsigned int flags, struct io_uring_task_restriction **out);

/*
 * The argument of a filter registration: pdu_size as given, or with
 * IO_URING_BPF_FILTER_SZ_STRICT the opcode's known size. 0, -EFAULT or
 * -EINVAL.
 */
int rf_filter_arg(struct io_uring_bpf *reg, unsigned int opcode,
		  const struct sock_filter *prog, unsigned int len,
		  unsigned int flags, const unsigned int *pdu_size);

#endif /* RINGFENCE_INTERNAL_H */
