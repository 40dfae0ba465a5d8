// SPDX-License-Identifier: GPL-2.0
/*
 * The one table of seccomp parity: for each io_uring opcode, the system
 * call it stands for and where in the kernel's copy of the request (the
 * opcode's command struct, as its prep filled it) each argument is. Member
 * paths are resolved against the running kernel's BTF at load (parity.c);
 * an opcode whose struct or member this kernel lacks is denied under
 * parity. `ringfence ops --seccomp` prints this table as the running kernel
 * resolved it.
 *
 * Arguments:
 *   FD          the SQE's fd as io_init_req() copied it (opcodes that take
 *               a file); for a fixed file, its index in the ring's table
 *   F(path)     a member; FX() also clears bits the prep added and sets
 *               bits the system call would carry
 *   NAME(path)  a struct filename * member: the user's pointer it came from
 *   K(v)        a constant; Z is 0, where the system call would carry a
 *               pointer the prep used and did not keep (seccomp cannot look
 *               behind a pointer either)
 *   SEL(path, mask, a, b)   a if the member has a bit of mask, else b
 *
 * Opcode numbers are upstream's, so one table serves every kernel; an
 * opcode the running kernel does not have never reaches it.
 */
#include <linux/fcntl.h>
#include <linux/futex.h>
#include <linux/io_uring.h>
#include <linux/socket.h>
#include <linux/unistd.h>

#include "ringfence.h"
#include "parity.h"
#include "compat/parity.h"

/* Upstream's opcode numbers, for those a kernel's own header may lack. */
enum {
	RF_OP_READ_MULTISHOT = 49, RF_OP_WAITID, RF_OP_FUTEX_WAIT,
	RF_OP_FUTEX_WAKE, RF_OP_FUTEX_WAITV, RF_OP_FIXED_FD_INSTALL,
	RF_OP_FTRUNCATE, RF_OP_BIND, RF_OP_LISTEN,
};

#define FD		{ .src = RF_SC_FD }
#define F(p)		{ .src = RF_SC_FIELD, .path = (p) }
#define FX(p, c, s)	{ .src = RF_SC_FIELD, .path = (p), .clear = (c), .set = (s) }
#define NAME(p)		{ .src = RF_SC_FILENAME, .path = (p) }
#define K(v)		{ .src = RF_SC_CONST, .value = (v) }
#define Z		{ .src = RF_SC_ZERO }
#define SEL(p, m, a, b)	{ .src = RF_SC_SELECT, .path = (p), .mask = (m), \
			  .value = (a), .value2 = (b) }

#define RF_ARGS(...)	{ __VA_ARGS__ }
#define RF_NARGS(...)	(sizeof((struct rf_sc_arg[]){ __VA_ARGS__ }) / \
			 sizeof(struct rf_sc_arg))

#define SC(op, c, name, ...)						\
	[op] = { .kind = RF_SC_SYSCALL, .cmd = (c), .syscall = #name,	\
		 .nr = __NR_##name, .nargs = RF_NARGS(__VA_ARGS__),	\
		 .arg = RF_ARGS(__VA_ARGS__) }

/* As SC(), but @alt (its first @altn arguments) when @test holds of @path. */
#define SC_ALT(op, c, name, test, path, mask, alt, altn, ...)		\
	[op] = { .kind = RF_SC_SYSCALL, .cmd = (c), .syscall = #name,	\
		 .nr = __NR_##name, .nargs = RF_NARGS(__VA_ARGS__),	\
		 .arg = RF_ARGS(__VA_ARGS__), .alt_test = (test),	\
		 .alt_path = (path), .alt_mask = (mask),		\
		 .alt_syscall = #alt, .alt_nr = __NR_##alt, .alt_nargs = (altn) }

#define INTERNAL(op, text) \
	[op] = { .kind = RF_SC_INTERNAL, .why = (text) }

/* A read or write: at "current position" (-1), the plain call without the offset. */
#define SC_RW(op, name, alt, altn, ...)					\
	SC_ALT(op, "io_rw", name, RF_SC_ALT_IF_MINUS_ONE, "kiocb.ki_pos", 0, \
	       alt, altn, __VA_ARGS__)

/* The prep adds these to a send's flags; the system call would not. */
#define RF_SEND_ADDED	MSG_NOSIGNAL
/* Open flags: the prep adds O_LARGEFILE, as sys_openat does after seccomp. */
#define RF_OPEN_ADDED	O_LARGEFILE

const struct rf_sc_entry rf_sc_map[] = {
	INTERNAL(IORING_OP_NOP, "does nothing"),
	SC_RW(IORING_OP_READV, preadv2, readv, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos"), Z, F("flags")),
	SC_RW(IORING_OP_WRITEV, pwritev2, writev, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos"), Z, F("flags")),
	SC_ALT(IORING_OP_FSYNC, "io_sync", fsync, RF_SC_ALT_IF_BITS, "flags",
	       IORING_FSYNC_DATASYNC, fdatasync, 1, FD),
	SC_RW(IORING_OP_READ_FIXED, pread64, read, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos")),
	SC_RW(IORING_OP_WRITE_FIXED, pwrite64, write, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos")),
	RF_SC_POLL_ADD,
	INTERNAL(IORING_OP_POLL_REMOVE, "removes or updates a ring's POLL_ADD"),
	SC(IORING_OP_SYNC_FILE_RANGE, "io_sync", sync_file_range,
	   FD, F("off"), F("len"), F("flags")),
	SC(IORING_OP_SENDMSG, "io_sr_msg", sendmsg,
	   FD, F("umsg"), FX("msg_flags", RF_SEND_ADDED, 0)),
	SC(IORING_OP_RECVMSG, "io_sr_msg", recvmsg,
	   FD, F("umsg"), F("msg_flags")),
	INTERNAL(IORING_OP_TIMEOUT, "a timer on the ring's own completions"),
	INTERNAL(IORING_OP_TIMEOUT_REMOVE, "removes or updates a ring's TIMEOUT"),
	SC(IORING_OP_ACCEPT, "io_accept", accept4,
	   FD, F("addr"), F("addr_len"), F("flags")),
	INTERNAL(IORING_OP_ASYNC_CANCEL, "cancels the ring's own requests"),
	INTERNAL(IORING_OP_LINK_TIMEOUT, "a timer on a linked request"),
	SC(IORING_OP_CONNECT, "io_connect", connect,
	   FD, F("addr"), F("addr_len")),
	SC(IORING_OP_FALLOCATE, "io_sync", fallocate,
	   FD, F("mode"), F("off"), F("len")),
	SC(IORING_OP_OPENAT, "io_open", openat,
	   F("dfd"), NAME("filename"), FX("how.flags", RF_OPEN_ADDED, 0),
	   F("how.mode")),
	SC(IORING_OP_CLOSE, "io_close", close, F("fd")),
	INTERNAL(IORING_OP_FILES_UPDATE, "updates the ring's registered files"),
	SC(IORING_OP_STATX, "io_statx", statx,
	   F("dfd"), NAME("filename"), F("flags"), F("mask"), F("buffer")),
	SC_RW(IORING_OP_READ, pread64, read, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos")),
	SC_RW(IORING_OP_WRITE, pwrite64, write, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos")),
	SC(IORING_OP_FADVISE, "io_fadvise", fadvise64,
	   FD, F("offset"), F("len"), F("advice")),
	SC(IORING_OP_MADVISE, "io_madvise", madvise,
	   F("addr"), F("len"), F("advice")),
	SC(IORING_OP_SEND, "io_sr_msg", sendto,
	   FD, F("buf"), F("len"), FX("msg_flags", RF_SEND_ADDED, 0),
	   F("addr"), F("addr_len")),
	SC(IORING_OP_RECV, "io_sr_msg", recvfrom,
	   FD, F("buf"), F("len"), F("msg_flags"), Z, Z),
	/* The open_how pointer and size are not kept; 24 is its size. */
	SC(IORING_OP_OPENAT2, "io_open", openat2,
	   F("dfd"), NAME("filename"), Z, K(24)),
	SC(IORING_OP_EPOLL_CTL, "io_epoll", epoll_ctl,
	   F("epfd"), F("op"), F("fd"), Z),
	SC(IORING_OP_SPLICE, "io_splice", splice,
	   F("splice_fd_in"), Z, FD, Z, F("len"),
	   FX("flags", SPLICE_F_FD_IN_FIXED, 0)),
	INTERNAL(IORING_OP_PROVIDE_BUFFERS, "hands the ring user memory for later reads"),
	INTERNAL(IORING_OP_REMOVE_BUFFERS, "takes back memory given by PROVIDE_BUFFERS"),
	SC(IORING_OP_TEE, "io_splice", tee,
	   F("splice_fd_in"), FD, F("len"), FX("flags", SPLICE_F_FD_IN_FIXED, 0)),
	SC(IORING_OP_SHUTDOWN, "io_shutdown", shutdown, FD, F("how")),
	SC(IORING_OP_RENAMEAT, "io_rename", renameat2,
	   F("old_dfd"), NAME("oldpath"), F("new_dfd"), NAME("newpath"), F("flags")),
	SC(IORING_OP_UNLINKAT, "io_unlink", unlinkat,
	   F("dfd"), NAME("filename"), F("flags")),
	SC(IORING_OP_MKDIRAT, "io_mkdir", mkdirat,
	   F("dfd"), NAME("filename"), F("mode")),
	SC(IORING_OP_SYMLINKAT, "io_link", symlinkat,
	   NAME("oldpath"), F("new_dfd"), NAME("newpath")),
	SC(IORING_OP_LINKAT, "io_link", linkat,
	   F("old_dfd"), NAME("oldpath"), F("new_dfd"), NAME("newpath"), F("flags")),
	INTERNAL(IORING_OP_MSG_RING, "posts to another ring; no process descriptor changes"),
	/* An attribute's name pointer is not kept. */
	SC(IORING_OP_FSETXATTR, "io_xattr", fsetxattr,
	   FD, Z, F("ctx.cvalue"), F("ctx.size"), F("ctx.flags")),
	SC(IORING_OP_SETXATTR, "io_xattr", setxattr,
	   NAME("filename"), Z, F("ctx.cvalue"), F("ctx.size"), F("ctx.flags")),
	SC(IORING_OP_FGETXATTR, "io_xattr", fgetxattr,
	   FD, Z, F("ctx.value"), F("ctx.size")),
	SC(IORING_OP_GETXATTR, "io_xattr", getxattr,
	   NAME("filename"), Z, F("ctx.value"), F("ctx.size")),
	SC(IORING_OP_SOCKET, "io_socket", socket,
	   F("domain"), F("type"), F("protocol")),
	/* The command's payload stays in the SQE; the ioctl's argument is 0. */
	SC(IORING_OP_URING_CMD, "io_uring_cmd", ioctl, FD, F("cmd_op"), Z),
	SC(IORING_OP_SEND_ZC, "io_sr_msg", sendto,
	   FD, F("buf"), F("len"), FX("msg_flags", RF_SEND_ADDED, MSG_ZEROCOPY),
	   F("addr"), F("addr_len")),
	SC(IORING_OP_SENDMSG_ZC, "io_sr_msg", sendmsg,
	   FD, F("umsg"), FX("msg_flags", RF_SEND_ADDED, MSG_ZEROCOPY)),
	SC_RW(RF_OP_READ_MULTISHOT, pread64, read, 3,
	      FD, F("addr"), F("len"), F("kiocb.ki_pos")),
	SC(RF_OP_WAITID, "io_waitid", waitid,
	   F("which"), F("upid"), F("infop"), F("options"), Z),
	/* futex(uaddr, op, val, timeout, uaddr2, val3): op from the flags. */
	SC(RF_OP_FUTEX_WAIT, "io_futex", futex,
	   F("uaddr"), SEL("futex_flags", RF_FUTEX_FLAGS_SHARED, FUTEX_WAIT_BITSET,
			   FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG),
	   F("futex_val"), Z, Z, F("futex_mask")),
	SC(RF_OP_FUTEX_WAKE, "io_futex", futex,
	   F("uaddr"), SEL("futex_flags", RF_FUTEX_FLAGS_SHARED, FUTEX_WAKE_BITSET,
			   FUTEX_WAKE_BITSET | FUTEX_PRIVATE_FLAG),
	   F("futex_val"), Z, Z, F("futex_mask")),
	SC(RF_OP_FUTEX_WAITV, "io_futex", futex_waitv,
	   F("uwaitv"), F("futex_nr"), K(0), Z, K(0)),
	/* A new process descriptor for a fixed file: fcntl(F_DUPFD[_CLOEXEC]). */
	SC(RF_OP_FIXED_FD_INSTALL, "io_fixed_install", fcntl,
	   FD, SEL("o_flags", O_CLOEXEC, F_DUPFD_CLOEXEC, F_DUPFD), K(0)),
	SC(RF_OP_FTRUNCATE, "io_ftrunc", ftruncate, FD, F("len")),
	/* The address pointer is not kept. */
	SC(RF_OP_BIND, "io_bind", bind, FD, Z, F("addr_len")),
	SC(RF_OP_LISTEN, "io_listen", listen, FD, F("backlog")),
};

const unsigned int rf_sc_map_len = ARRAY_SIZE(rf_sc_map);
