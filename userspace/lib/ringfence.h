/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libringfence: per-task io_uring restrictions with the Linux 7.x ABI, on
 * kernels that have them natively and on 6.1/6.12 with the ringfence module.
 *
 * Error convention (as in liburing): functions that can fail return 0 (or a
 * non-negative value) on success and a negative errno value on failure. They
 * never set or clobber errno.
 */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#include <stdint.h>
#include <linux/ringfence.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Restrict the calling task, exactly as Linux 7.x does for
 * io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, 1): every ring
 * the task or its descendants create afterwards allows only what res[]
 * allows. nr == 0 denies every submission and every register opcode.
 *
 * Tries the native system call first and falls back to the
 * /dev/ringfence ioctl when the kernel does not know the call.
 *
 * Returns 0, or:
 *   -EPERM   the task already has a restriction set (sets never stack);
 *   -EACCES  the task has neither no_new_privs nor CAP_SYS_ADMIN;
 *   -EINVAL  an invalid entry, e.g. an opcode this kernel does not know,
 *            or nr larger than the kernel accepts;
 *   -EFAULT  res is NULL while nr > 0;
 *   -ENOMEM;
 *   -ENOSYS  neither the kernel nor a usable ringfence module (absent, or
 *            of another ABI version) provides the feature;
 *   any other error the device node's open(2) fails with.
 */
int ringfence_register_task_restrictions(const struct io_uring_restriction *res,
					 unsigned int nr);

struct ringfence_info {
	/* The kernel implements task restrictions itself (Linux 7.x). */
	int native;
	/* io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, ...) works,
	 * natively or through the module. */
	int syscall_supported;
	/* ringfence_register_task_restrictions() can succeed here. */
	int available;
	/* The calling task already has a restriction set; meaningful only
	 * when syscall_supported. */
	int task_restricted;
	/* /dev/ringfence answered RINGFENCE_IOC_VERSION. */
	int module_loaded;
	/* Why the module could not be asked when !module_loaded: -ENOENT
	 * when there is no device node, else the open/ioctl error. */
	int module_error;
	uint32_t abi_version;		/* module's RINGFENCE_ABI_VERSION */
	uint64_t features;		/* module's RINGFENCE_FEAT_* */
	char module_version[32];	/* NUL-terminated, "" without module */
	uint32_t reserved[8];
};

/*
 * Find out what the running kernel and module offer, without changing
 * anything. Returns 0, -EFAULT (info is NULL) or -ENOMEM.
 */
int ringfence_query(struct ringfence_info *info);

/*
 * Names. Lookups ignore case; the canonical spelling is upper case.
 *  - SQE opcodes: the IORING_OP_* enum names without the prefix, e.g.
 *    "NOP", "READ_FIXED", "SOCKET", "URING_CMD128" (every opcode of Linux
 *    7.2). "EPOLL" (the kernel's own name for EPOLL_CTL) is also accepted.
 *  - Register opcodes: the IORING_REGISTER_* / IORING_UNREGISTER_* enum
 *    names without "IORING_", e.g. "REGISTER_BUFFERS", "UNREGISTER_FILES".
 *  - SQE flags: the IOSQE_* names without the prefix, e.g. "FIXED_FILE",
 *    "IO_LINK", "CQE_SKIP_SUCCESS".
 *
 * *_from_name() return the opcode (or, for flags, the IOSQE_* bit value),
 * or -EINVAL for an unknown name. *_name() return the canonical name, or
 * NULL for a value without one. *_count() return one past the highest
 * opcode (or flag bit) known.
 */
int ringfence_op_from_name(const char *name);
const char *ringfence_op_name(unsigned int op);
unsigned int ringfence_op_count(void);

int ringfence_register_op_from_name(const char *name);
const char *ringfence_register_op_name(unsigned int op);
unsigned int ringfence_register_op_count(void);

int ringfence_sqe_flag_from_name(const char *name);
/* bit is the bit number (IOSQE_*_BIT), not the mask. */
const char *ringfence_sqe_flag_name(unsigned int bit);
unsigned int ringfence_sqe_flag_count(void);

#ifdef __cplusplus
}
#endif

#endif /* RINGFENCE_H */
