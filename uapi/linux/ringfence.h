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

/*
 * Every opcode and register opcode Linux 7.3 knows, by number, as
 * X(number, NAME): NAME is the upstream enum name without IORING_OP_ or
 * IORING_. One list for the module's records and the library's names.
 */
#define RINGFENCE_IORING_OPS(X)						\
	X(0, NOP)							\
	X(1, READV)							\
	X(2, WRITEV)							\
	X(3, FSYNC)							\
	X(4, READ_FIXED)						\
	X(5, WRITE_FIXED)						\
	X(6, POLL_ADD)							\
	X(7, POLL_REMOVE)						\
	X(8, SYNC_FILE_RANGE)						\
	X(9, SENDMSG)							\
	X(10, RECVMSG)							\
	X(11, TIMEOUT)							\
	X(12, TIMEOUT_REMOVE)						\
	X(13, ACCEPT)							\
	X(14, ASYNC_CANCEL)						\
	X(15, LINK_TIMEOUT)						\
	X(16, CONNECT)							\
	X(17, FALLOCATE)						\
	X(18, OPENAT)							\
	X(19, CLOSE)							\
	X(20, FILES_UPDATE)						\
	X(21, STATX)							\
	X(22, READ)							\
	X(23, WRITE)							\
	X(24, FADVISE)							\
	X(25, MADVISE)							\
	X(26, SEND)							\
	X(27, RECV)							\
	X(28, OPENAT2)							\
	X(29, EPOLL_CTL)						\
	X(30, SPLICE)							\
	X(31, PROVIDE_BUFFERS)						\
	X(32, REMOVE_BUFFERS)						\
	X(33, TEE)							\
	X(34, SHUTDOWN)							\
	X(35, RENAMEAT)							\
	X(36, UNLINKAT)							\
	X(37, MKDIRAT)							\
	X(38, SYMLINKAT)						\
	X(39, LINKAT)							\
	X(40, MSG_RING)							\
	X(41, FSETXATTR)						\
	X(42, SETXATTR)							\
	X(43, FGETXATTR)						\
	X(44, GETXATTR)							\
	X(45, SOCKET)							\
	X(46, URING_CMD)						\
	X(47, SEND_ZC)							\
	X(48, SENDMSG_ZC)						\
	X(49, READ_MULTISHOT)						\
	X(50, WAITID)							\
	X(51, FUTEX_WAIT)						\
	X(52, FUTEX_WAKE)						\
	X(53, FUTEX_WAITV)						\
	X(54, FIXED_FD_INSTALL)						\
	X(55, FTRUNCATE)						\
	X(56, BIND)							\
	X(57, LISTEN)							\
	X(58, RECV_ZC)							\
	X(59, EPOLL_WAIT)						\
	X(60, READV_FIXED)						\
	X(61, WRITEV_FIXED)						\
	X(62, PIPE)							\
	X(63, NOP128)							\
	X(64, URING_CMD128)

#define RINGFENCE_IORING_REGISTER_OPS(X)				\
	X(0, REGISTER_BUFFERS)						\
	X(1, UNREGISTER_BUFFERS)					\
	X(2, REGISTER_FILES)						\
	X(3, UNREGISTER_FILES)						\
	X(4, REGISTER_EVENTFD)						\
	X(5, UNREGISTER_EVENTFD)					\
	X(6, REGISTER_FILES_UPDATE)					\
	X(7, REGISTER_EVENTFD_ASYNC)					\
	X(8, REGISTER_PROBE)						\
	X(9, REGISTER_PERSONALITY)					\
	X(10, UNREGISTER_PERSONALITY)					\
	X(11, REGISTER_RESTRICTIONS)					\
	X(12, REGISTER_ENABLE_RINGS)					\
	X(13, REGISTER_FILES2)						\
	X(14, REGISTER_FILES_UPDATE2)					\
	X(15, REGISTER_BUFFERS2)					\
	X(16, REGISTER_BUFFERS_UPDATE)					\
	X(17, REGISTER_IOWQ_AFF)					\
	X(18, UNREGISTER_IOWQ_AFF)					\
	X(19, REGISTER_IOWQ_MAX_WORKERS)				\
	X(20, REGISTER_RING_FDS)					\
	X(21, UNREGISTER_RING_FDS)					\
	X(22, REGISTER_PBUF_RING)					\
	X(23, UNREGISTER_PBUF_RING)					\
	X(24, REGISTER_SYNC_CANCEL)					\
	X(25, REGISTER_FILE_ALLOC_RANGE)				\
	X(26, REGISTER_PBUF_STATUS)					\
	X(27, REGISTER_NAPI)						\
	X(28, UNREGISTER_NAPI)						\
	X(29, REGISTER_CLOCK)						\
	X(30, REGISTER_CLONE_BUFFERS)					\
	X(31, REGISTER_SEND_MSG_RING)					\
	X(32, REGISTER_ZCRX_IFQ)					\
	X(33, REGISTER_RESIZE_RINGS)					\
	X(34, REGISTER_MEM_REGION)					\
	X(35, REGISTER_QUERY)						\
	X(36, REGISTER_ZCRX_CTRL)					\
	X(37, REGISTER_BPF_FILTER)

/* ---- /dev/ringfence ---- */

#define RINGFENCE_DEVICE_PATH	"/dev/ringfence"

/* Bumped on any incompatible change of the structures below. */
#define RINGFENCE_ABI_VERSION	1

/* Feature bits reported by RINGFENCE_IOC_VERSION. */
#define RINGFENCE_FEAT_TASK_RESTRICTIONS	(1ULL << 0) /* IOC_REGISTER_TASK_RESTRICTIONS */
#define RINGFENCE_FEAT_UPSTREAM_REGISTER	(1ULL << 1) /* io_uring_register(-1, 11, ...) */
#define RINGFENCE_FEAT_BPF_FILTER		(1ULL << 2) /* IOC_REGISTER_BPF_FILTER, io_uring_register(fd, 37, ...) */
#define RINGFENCE_FEAT_SECCOMP_PARITY		(1ULL << 3) /* IOC_ENABLE_SECCOMP_PARITY, IOC_SECCOMP_MAP */
#define RINGFENCE_FEAT_RECORDS			(1ULL << 4) /* IOC_STATUS, IOC_LEARN, log-only, deny records */

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

/*
 * ---- Denials you can see, policies you can try and learn (ringfence's own) ----
 *
 * The layer that denies a request or a register call. A ring enforces its
 * creator's restriction set (task) or its own IORING_REGISTER_RESTRICTIONS
 * (ring); a ring's filters are its creator's task filters, taken at
 * io_uring_setup(), and those registered on the ring.
 */
#define RINGFENCE_LAYERS(X)						\
	X(0, NONE, "none")						\
	X(1, TASK_RESTRICTION, "task-restriction")			\
	X(2, RING_RESTRICTION, "ring-restriction")			\
	X(3, TASK_FILTER, "task-filter")				\
	X(4, RING_FILTER, "ring-filter")				\
	X(5, SECCOMP_PARITY, "seccomp-parity")

#define RINGFENCE_LAYER_ENUM(n, name, str)	RINGFENCE_LAYER_##name = n,
enum { RINGFENCE_LAYERS(RINGFENCE_LAYER_ENUM) RINGFENCE_LAYER_NR };
#undef RINGFENCE_LAYER_ENUM

/* What a record stands for. */
enum {
	RINGFENCE_RECORD_SQE = 1,	/* a request; ctx.opcode its IORING_OP_* */
	RINGFENCE_RECORD_REGISTER,	/* io_uring_register(); ctx.opcode its opcode */
	RINGFENCE_RECORD_DROPPED,	/* count requests found no room to be recorded */
};

/* record flags */
#define RINGFENCE_RECORD_DENIED		(1U << 0) /* layer denied it */
#define RINGFENCE_RECORD_LOG_ONLY	(1U << 1) /* a log-only layer would deny it: allowed */
#define RINGFENCE_RECORD_BLIND		(1U << 2) /* register call with fd -1 */

/*
 * One request (or register call) as a learning descriptor's read(2) returns
 * it: every distinct shape once per read, count how many there were since
 * the last read. ctx is what a filter sees (user_data 0; for CONNECT the
 * address as judged); layer and error say what denied it, if anything.
 */
struct ringfence_record {
	__u16	kind;			/* RINGFENCE_RECORD_* */
	__u16	layer;			/* RINGFENCE_LAYER_*: what denied it (or would) */
	__u32	flags;			/* RINGFENCE_RECORD_DENIED, _LOG_ONLY, _BLIND */
	__s32	error;			/* the negated errno it failed with (or would) */
	__u32	resv;
	__u64	count;
	struct io_uring_bpf_ctx ctx;
};

/*
 * Log-only (complain mode) registrations, by ioctl only: the set, filter or
 * parity is evaluated on every request of the caller and all it starts,
 * and what it would deny is recorded (trace event, log, counters) but
 * allowed. Enforcing layers are not touched: a request any of them denies
 * is still denied. Same privilege rule as enforcing registrations.
 *
 * io_uring_task_restriction.flags for RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS,
 * and io_uring_bpf.cmd_flags for RINGFENCE_IOC_REGISTER_BPF_FILTER:
 */
#define RINGFENCE_REGISTER_LOG_ONLY	(1U << 0)
#define RINGFENCE_IOC_LOG_SECCOMP_PARITY \
	_IO(RINGFENCE_IOC_MAGIC, 0x05)

/*
 * Learning: a descriptor whose read(2) returns struct ringfence_record for
 * every request and register call of the caller and everything it starts
 * from now on, allowed or not, folded by shape (a table of 480 shapes; a
 * RINGFENCE_RECORD_DROPPED record counts requests that found no room).
 * read(2) never blocks: 0 means nothing new. Same privilege rule as a
 * restriction set; -EBUSY if the caller already learns.
 */
struct ringfence_learn {
	__u32	flags;			/* in: must be 0 */
	__u32	resv;			/* in: must be 0 */
};

#define RINGFENCE_IOC_LEARN \
	_IOW(RINGFENCE_IOC_MAGIC, 0x06, struct ringfence_learn)

/*
 * The io_uring policy in force for a process and for the rings it holds.
 * The caller needs what ptrace read access needs: the same real, effective
 * and saved uid and gid as the target and a dumpable target, or
 * CAP_SYS_PTRACE over its user namespace; -EPERM otherwise (-ESRCH: no
 * such process).
 */
#define RINGFENCE_STATUS_MAX_FILTERS	128
#define RINGFENCE_STATUS_MAX_RINGS	16

struct ringfence_status_set {
	__u64	sqe_op[2];		/* opcodes allowed, bit n for opcode n */
	__u64	register_op[1];		/* register opcodes allowed */
	__u8	sqe_flags_allowed;
	__u8	sqe_flags_required;
	__u8	restricts;		/* RINGFENCE_STATUS_SQE | RINGFENCE_STATUS_REGISTER */
	__u8	resv[5];
};

#define RINGFENCE_STATUS_SQE		(1U << 0)
#define RINGFENCE_STATUS_REGISTER	(1U << 1)

struct ringfence_status_filter {
	__u8	opcode;
	__u8	layer;			/* RINGFENCE_LAYER_TASK_FILTER or _RING_FILTER */
	__u16	len;			/* instructions; 0: DENY_REST's deny */
	__u32	pid;			/* who registered it (init namespace), 0 unknown */
};

struct ringfence_status_filters {
	__u32	nr;			/* filters in force (may exceed the room) */
	__u32	resv;
	struct ringfence_status_filter f[RINGFENCE_STATUS_MAX_FILTERS];
};

struct ringfence_status_ring {
	__s32	fd;			/* in the target's file table */
	__u32	id;			/* the ring's number in records and logs */
	__u32	flags;			/* RINGFENCE_STATUS_RING_* */
	__u32	nr_filters;
	__u64	denied[RINGFENCE_LAYER_NR];	/* requests denied, by layer */
	__u64	log_only[RINGFENCE_LAYER_NR];	/* would-be denials allowed */
};

#define RINGFENCE_STATUS_RING_TASK_SET	(1U << 0) /* enforces its creator's set */
#define RINGFENCE_STATUS_RING_OWN_SET	(1U << 1) /* enforces its own set */
#define RINGFENCE_STATUS_RING_LOG_ONLY	(1U << 2) /* evaluates log-only layers */
#define RINGFENCE_STATUS_RING_LEARNING	(1U << 3)

/* status flags */
#define RINGFENCE_STATUS_CONFINED	(1U << 0) /* has a ringfence policy */
#define RINGFENCE_STATUS_PARITY		(1U << 1) /* seccomp parity enforces */
#define RINGFENCE_STATUS_PARITY_LOG_ONLY (1U << 2)
#define RINGFENCE_STATUS_LEARNING	(1U << 3)
#define RINGFENCE_STATUS_PARITY_ALL	(1U << 4) /* seccomp_parity=1 system-wide */

struct ringfence_status {
	__s32	pid;			/* in: the process, in the caller's namespace; 0 the caller */
	__u32	flags;			/* out: RINGFENCE_STATUS_* */
	struct ringfence_status_set set;	/* out: the enforcing set */
	struct ringfence_status_set log_only_set;
	struct ringfence_status_filters filters;	/* enforcing task filters */
	struct ringfence_status_filters log_only_filters;
	/* Denials of the task tree sharing this policy, since it was first set. */
	__u64	denied[RINGFENCE_LAYER_NR];
	__u64	log_only[RINGFENCE_LAYER_NR];
	__u32	nr_rings;		/* rings in the file table (may exceed the room) */
	__u32	resv;
	struct ringfence_status_ring rings[RINGFENCE_STATUS_MAX_RINGS];
};

#define RINGFENCE_IOC_STATUS \
	_IOWR(RINGFENCE_IOC_MAGIC, 0x07, struct ringfence_status)

#endif /* _UAPI_LINUX_RINGFENCE_H */
