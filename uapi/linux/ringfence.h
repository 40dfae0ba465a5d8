/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ringfence: Linux 7.x per-task io_uring restrictions and cBPF filters for
 * kernels that lack them.
 *
 * This header is the one place that defines the ABI shared by the kernel
 * module, the library, the CLI and the tests:
 *   - the upstream 7.x io_uring additions (task restrictions, BPF filters),
 *     spelled exactly as in include/uapi/linux/io_uring.h and
 *     include/uapi/linux/io_uring/bpf_filter.h of Linux 7.2, so that code
 *     written against those headers compiles unchanged;
 *   - the /dev/ringfence ioctls.
 */
#ifndef _UAPI_LINUX_RINGFENCE_H
#define _UAPI_LINUX_RINGFENCE_H

#include <linux/types.h>
#include <linux/ioctl.h>
#include <linux/io_uring.h>

/*
 * Upstream 7.x ABI. A system header that already carries it (7.0+
 * linux-libc-dev) provides io_uring/bpf_filter.h; use it rather than
 * clash with it.
 */
#if defined(__has_include) && !defined(__KERNEL__)
# if __has_include(<linux/io_uring/bpf_filter.h>)
#  include <linux/io_uring/bpf_filter.h>
#  define RINGFENCE_SYSTEM_HAS_UPSTREAM_ABI 1
# endif
#endif

/* Register opcodes added by 7.0; plain macros so they never clash with enums. */
#define RINGFENCE_IORING_REGISTER_RESTRICTIONS	11
#define RINGFENCE_IORING_REGISTER_BPF_FILTER	37
#define RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING	(1U << 31)

#ifndef RINGFENCE_SYSTEM_HAS_UPSTREAM_ABI

/* include/uapi/linux/io_uring.h (7.0+): argument of a blind (fd == -1)
 * IORING_REGISTER_RESTRICTIONS. */
struct io_uring_task_restriction {
	__u16 flags;
	__u16 nr_res;
	__u32 resv[3];
	struct io_uring_restriction restrictions[];
};

/* include/uapi/linux/io_uring/bpf_filter.h (7.0+, CONNECT payload 7.2) */
struct io_uring_bpf_ctx {
	__u64	user_data;
	__u8	opcode;
	__u8	sqe_flags;
	__u8	pdu_size;
	__u8	pad[5];
	union {
		struct {
			__u32	family;
			__u32	type;
			__u32	protocol;
		} socket;
		struct {
			__u64	flags;
			__u64	mode;
			__u64	resolve;
		} open;
		struct {
			__u32	family;
			__be16	port;
			__u8	pad[2];
			union {
				__be32	v4_addr;
				__u8	v6_addr[16];
			};
		} connect;
	};
};

enum {
	IO_URING_BPF_FILTER_DENY_REST	= 1,
	IO_URING_BPF_FILTER_SZ_STRICT	= 2,
};

struct io_uring_bpf_filter {
	__u32	opcode;
	__u32	flags;
	__u32	filter_len;
	__u8	pdu_size;
	__u8	resv[3];
	__u64	filter_ptr;
	__u64	resv2[5];
};

enum {
	IO_URING_BPF_CMD_FILTER	= 1,
};

struct io_uring_bpf {
	__u16	cmd_type;
	__u16	cmd_flags;
	__u32	resv;
	union {
		struct io_uring_bpf_filter	filter;
	};
};

#endif /* !RINGFENCE_SYSTEM_HAS_UPSTREAM_ABI */

/*
 * Linux 7.2's per-opcode filter_pdu_size: the bytes of the payload union a
 * filter of @opcode may read (0: none). The module and the library both
 * use it.
 */
static inline unsigned int ringfence_filter_pdu_bytes(unsigned int opcode)
{
	switch (opcode) {
	case IORING_OP_SOCKET:
		return sizeof(((struct io_uring_bpf_ctx *)0)->socket);
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		return sizeof(((struct io_uring_bpf_ctx *)0)->open);
	case IORING_OP_CONNECT:
		return sizeof(((struct io_uring_bpf_ctx *)0)->connect);
	default:
		return 0;
	}
}

/*
 * The classic BPF instructions an io_uring filter may hold besides the three
 * context accesses (BPF_LD|BPF_W|BPF_ABS, and BPF_LD/BPF_LDX|BPF_W|BPF_LEN,
 * which the kernel rewrites): Linux 7.2's io_uring_check_cbpf_filter()
 * list. X(code) is applied to each; the module's checker and the CLI's
 * both expand it, so they cannot disagree. Codes use <linux/filter.h>.
 */
#define RINGFENCE_CBPF_PLAIN_CODES(X)					\
	X(BPF_RET | BPF_K) X(BPF_RET | BPF_A)				\
	X(BPF_ALU | BPF_ADD | BPF_K) X(BPF_ALU | BPF_ADD | BPF_X)	\
	X(BPF_ALU | BPF_SUB | BPF_K) X(BPF_ALU | BPF_SUB | BPF_X)	\
	X(BPF_ALU | BPF_MUL | BPF_K) X(BPF_ALU | BPF_MUL | BPF_X)	\
	X(BPF_ALU | BPF_DIV | BPF_K) X(BPF_ALU | BPF_DIV | BPF_X)	\
	X(BPF_ALU | BPF_AND | BPF_K) X(BPF_ALU | BPF_AND | BPF_X)	\
	X(BPF_ALU | BPF_OR | BPF_K) X(BPF_ALU | BPF_OR | BPF_X)		\
	X(BPF_ALU | BPF_XOR | BPF_K) X(BPF_ALU | BPF_XOR | BPF_X)	\
	X(BPF_ALU | BPF_LSH | BPF_K) X(BPF_ALU | BPF_LSH | BPF_X)	\
	X(BPF_ALU | BPF_RSH | BPF_K) X(BPF_ALU | BPF_RSH | BPF_X)	\
	X(BPF_ALU | BPF_NEG)						\
	X(BPF_LD | BPF_IMM) X(BPF_LDX | BPF_IMM)			\
	X(BPF_MISC | BPF_TAX) X(BPF_MISC | BPF_TXA)			\
	X(BPF_LD | BPF_MEM) X(BPF_LDX | BPF_MEM)			\
	X(BPF_ST) X(BPF_STX)						\
	X(BPF_JMP | BPF_JA)						\
	X(BPF_JMP | BPF_JEQ | BPF_K) X(BPF_JMP | BPF_JEQ | BPF_X)	\
	X(BPF_JMP | BPF_JGE | BPF_K) X(BPF_JMP | BPF_JGE | BPF_X)	\
	X(BPF_JMP | BPF_JGT | BPF_K) X(BPF_JMP | BPF_JGT | BPF_X)	\
	X(BPF_JMP | BPF_JSET | BPF_K) X(BPF_JMP | BPF_JSET | BPF_X)

/* ---- /dev/ringfence ---- */

#define RINGFENCE_DEVICE_PATH	"/dev/ringfence"

/* Bumped on any incompatible change of the structures below. */
#define RINGFENCE_ABI_VERSION	1

/* Feature bits reported by RINGFENCE_IOC_VERSION. */
#define RINGFENCE_FEAT_TASK_RESTRICTIONS	(1ULL << 0) /* IOC_REGISTER_TASK_RESTRICTIONS */
#define RINGFENCE_FEAT_UPSTREAM_REGISTER	(1ULL << 1) /* io_uring_register(-1, 11, ...) */
#define RINGFENCE_FEAT_BPF_FILTER		(1ULL << 2) /* IOC_REGISTER_BPF_FILTER, io_uring_register(fd, 37, ...) */
#define RINGFENCE_FEAT_SECCOMP_PARITY		(1ULL << 3) /* IOC_ENABLE_SECCOMP_PARITY, IOC_SECCOMP_MAP */

struct ringfence_version {
	__u32	abi_version;		/* out: RINGFENCE_ABI_VERSION */
	/*
	 * in: must be 0. out: the upstream Linux release whose behaviour the
	 * module reproduces where releases differ, major << 8 | minor (0x0703
	 * for 7.3); 0 from a module older than 0.2.
	 */
	__u32	upstream;
	__u64	features;		/* out: RINGFENCE_FEAT_* */
	char	module_version[32];	/* out: NUL-terminated */
};

#define RINGFENCE_IOC_MAGIC	0xE7

#define RINGFENCE_IOC_VERSION \
	_IOWR(RINGFENCE_IOC_MAGIC, 0x00, struct ringfence_version)
/*
 * Restrict the calling task exactly as io_uring_register(-1,
 * IORING_REGISTER_RESTRICTIONS, arg, 1) does on Linux 7.x; the argument is a
 * struct io_uring_task_restriction followed by its nr_res entries, and every
 * error is the one that syscall returns.
 */
#define RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS \
	_IOWR(RINGFENCE_IOC_MAGIC, 0x01, struct io_uring_task_restriction)

/*
 * Add a cBPF filter to the calling task exactly as io_uring_register(-1,
 * IORING_REGISTER_BPF_FILTER, arg, 1) does on Linux 7.x: same validation,
 * same errors, same pdu_size write-back into arg->filter.
 */
#define RINGFENCE_IOC_REGISTER_BPF_FILTER \
	_IOWR(RINGFENCE_IOC_MAGIC, 0x02, struct io_uring_bpf)

/*
 * Seccomp parity for the calling task and everything it starts, for good:
 * each io_uring request it submits is judged by its seccomp filters as the
 * system call the request stands for. no_new_privs or CAP_SYS_ADMIN, as
 * for restrictions; 0, or -EACCES.
 */
#define RINGFENCE_IOC_ENABLE_SECCOMP_PARITY \
	_IO(RINGFENCE_IOC_MAGIC, 0x03)

/* What seccomp parity judges an opcode as, on the running kernel. */
enum {
	RINGFENCE_SECCOMP_OP_UNKNOWN,		/* not in the map: denied under parity */
	RINGFENCE_SECCOMP_OP_INTERNAL,		/* no system call does this: passes */
	RINGFENCE_SECCOMP_OP_SYSCALL,		/* judged as syscall(args) */
	RINGFENCE_SECCOMP_OP_UNAVAILABLE,	/* mapped, but this kernel lacks a field: denied */
};

struct ringfence_seccomp_op {
	__u8	opcode;
	__u8	kind;			/* RINGFENCE_SECCOMP_OP_* */
	__u8	nargs, alt_nargs;
	__s32	nr, alt_nr;		/* system call numbers, this architecture's */
	char	syscall[24], alt_syscall[24];
	char	args[6][40];		/* where each argument comes from */
	char	note[64];		/* when the alternative applies; why internal */
};

struct ringfence_seccomp_map {
	__u32	nr_ops;			/* in: room at ops; out: opcodes the kernel has */
	__u32	resv;			/* in: must be 0 */
	__u64	ops;			/* struct ringfence_seccomp_op[nr_ops], by opcode */
};

#define RINGFENCE_IOC_SECCOMP_MAP \
	_IOWR(RINGFENCE_IOC_MAGIC, 0x04, struct ringfence_seccomp_map)

#endif /* _UAPI_LINUX_RINGFENCE_H */
