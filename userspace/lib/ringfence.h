/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libringfence: per-task io_uring restrictions and cBPF filters with the
 * Linux 7.x ABI, on kernels that have them natively and on 6.1/6.12 with the
 * ringfence module.
 *
 * Error convention (as in liburing): functions that can fail return 0 (or a
 * non-negative value) on success and a negative errno value on failure. They
 * never set or clobber errno.
 */
#ifndef RINGFENCE_H
#define RINGFENCE_H

#include <stdint.h>
#include <linux/filter.h>
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

/*
 * cBPF filters, as Linux 7.x's io_uring_register(fd,
 * IORING_REGISTER_BPF_FILTER, struct io_uring_bpf *, 1) registers them.
 *
 * prog[0..len) is a classic BPF program that runs for every submission of
 * the given IORING_OP_* opcode, after the request was prepared. It reads a
 * struct io_uring_bpf_ctx (40 bytes: user_data, opcode, sqe_flags,
 * pdu_size, then the opcode's payload: socket() arguments for SOCKET,
 * open_how for OPENAT/OPENAT2, the address for CONNECT) through aligned
 * 32-bit BPF_LD|BPF_W|BPF_ABS loads only, in the machine's byte order, and
 * returns non-zero to allow the request or 0 to deny it: a denied request
 * completes with -EACCES in its CQE. Besides those loads the kernel accepts
 * BPF_LEN (40), ALU (no MOD), JMP, RET, IMM, MEM, ST/STX and TAX/TXA.
 *
 * Filters only add up: each opcode runs all of its filters, newest first,
 * and the request needs every one to allow it. Once a task has a filter it
 * counts as restricted, so ringfence_register_task_restrictions() then
 * fails with -EPERM; register classic restrictions first.
 *
 * flags:
 *   IO_URING_BPF_FILTER_DENY_REST  also deny, for good, every opcode that
 *                                  has no filter yet;
 *   IO_URING_BPF_FILTER_SZ_STRICT  refuse (-EMSGSIZE) unless the kernel's
 *                                  payload for opcode is as large as
 *                                  Linux 7.2's (ringfence_filter_pdu_size()).
 * Without SZ_STRICT these two calls state no payload size (pdu_size 0), so
 * any kernel accepts the filter; ringfence_register_filter() states one.
 *
 * ringfence_register_task_filter() filters every ring the calling task and
 * its descendants create afterwards (rings created earlier are not
 * affected). It tries the native system call first and falls back to the
 * /dev/ringfence ioctl, as ringfence_register_task_restrictions() does, and
 * needs no_new_privs or CAP_SYS_ADMIN. ringfence_register_ring_filter()
 * filters one ring, whoever submits to it, and needs no privilege, but the
 * ring's own register restrictions must allow REGISTER_BPF_FILTER.
 *
 * Returns 0, or:
 *   -EINVAL    the kernel refused the program or an argument: an opcode it
 *              does not know, unknown flags, len 0 or above BPF_MAXINSNS
 *              (4096), an instruction outside the subset above, a jump out
 *              of range, a program that does not end in RET;
 *   -EMSGSIZE  the payload size stated does not fit the kernel's (see
 *              ringfence_register_filter());
 *   -EACCES    task: neither no_new_privs nor CAP_SYS_ADMIN; ring: its
 *              register restrictions forbid filters;
 *   -EFAULT    prog is NULL while len > 0;
 *   -EBADF, -EOPNOTSUPP  ring_fd is not an io_uring;
 *   -ENOMEM;
 *   -ENOSYS    task: neither the kernel nor a usable ringfence module (with
 *              RINGFENCE_FEAT_BPF_FILTER) provides filters; ring: the kernel
 *              does not know IORING_REGISTER_BPF_FILTER;
 *   any other error the device node's open(2) fails with.
 */
int ringfence_register_task_filter(unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags);
int ringfence_register_ring_filter(int ring_fd, unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags);

/*
 * Either of the above, stating the payload size: fd -1 for the task, else a
 * ring. *pdu_size holds, on entry, how many payload bytes (from offset 16)
 * the program needs; the kernel refuses with -EMSGSIZE if its own payload
 * for the opcode is smaller, or with SZ_STRICT if it differs. On return it
 * holds the kernel's payload size for the opcode whenever the kernel got
 * that far (on success and on -EMSGSIZE); otherwise it is unchanged.
 * *pdu_size above 255 is -EINVAL. pdu_size NULL means as the calls above.
 */
int ringfence_register_filter(int fd, unsigned int opcode,
			      const struct sock_filter *prog, unsigned int len,
			      unsigned int flags, unsigned int *pdu_size);

/*
 * The payload size Linux 7.2 gives filters of opcode: 12 for SOCKET, 24 for
 * OPENAT, OPENAT2 and CONNECT, 0 for every other opcode; -EINVAL for an
 * opcode past the last one known. (7.0 and 7.1 give CONNECT none.)
 */
int ringfence_filter_pdu_size(unsigned int opcode);

/*
 * Seccomp parity (ringfence only; no upstream kernel has it): from now on
 * every io_uring request the calling task, or anything it starts, submits
 * is judged by the submitter's seccomp filters as the system call the
 * request stands for, and cannot be switched off again. Needs no_new_privs
 * or CAP_SYS_ADMIN, as task restrictions do. Returns 0 (also when it is on
 * already), -EACCES, or -ENOSYS when no ringfence module with
 * RINGFENCE_FEAT_SECCOMP_PARITY is loaded.
 */
int ringfence_enable_seccomp_parity(void);

/*
 * What seccomp parity judges each opcode as on the running kernel: fills
 * up to nr entries of ops (by opcode) and returns how many opcodes the
 * kernel has (which may be more than nr), or -ENOSYS without the module.
 */
int ringfence_seccomp_map(struct ringfence_seccomp_op *ops, unsigned int nr);

/*
 * Log-only (complain mode; ringfence only): like the calls above, but what
 * the set, filter or parity would deny is recorded (kernel log, the
 * ringfence:deny trace event, counters) and allowed. Layers that enforce
 * still deny. Same privilege rule and arguments (pdu_size as for
 * ringfence_register_filter()); -ENOSYS without a module that has
 * RINGFENCE_FEAT_RECORDS.
 */
int ringfence_log_only_task_restrictions(const struct io_uring_restriction *res,
					 unsigned int nr);
int ringfence_log_only_task_filter(unsigned int opcode,
				   const struct sock_filter *prog,
				   unsigned int len, unsigned int flags,
				   unsigned int *pdu_size);
int ringfence_log_only_seccomp_parity(void);

/*
 * A descriptor (close-on-exec) whose read(2) returns struct ringfence_record
 * for every request and register call of the caller and all it starts from
 * now on, folded by shape; or a negative errno (-EBUSY: learning already).
 */
int ringfence_learn(void);

/*
 * The policy in force for process pid (0: the caller) and its rings, into
 * *st. Needs ptrace read access to it: -EPERM, -ESRCH, or -ENOSYS.
 */
int ringfence_status(int pid, struct ringfence_status *st);

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
	/* io_uring_register(-1, IORING_REGISTER_BPF_FILTER, ...) works,
	 * natively or through the module. */
	int filter_syscall_supported;
	/* ringfence_register_task_filter() can succeed here: the call works,
	 * or the module has RINGFENCE_FEAT_BPF_FILTER. */
	int filter_available;
	/* The upstream release the module reproduces where releases differ,
	 * major << 8 | minor (0x0703: 7.3); 0 without a module that says. */
	uint32_t upstream;
	uint32_t reserved[5];
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
