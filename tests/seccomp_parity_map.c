// SPDX-License-Identifier: GPL-2.0
/*
 * Every mapped opcode of seccomp parity's table (module runs only): under a
 * filter that answers ERRNO(3000 + opcode) only to the system call the map
 * names, with exactly the arguments the request carries, the io_uring
 * request must fail with that errno, and so must the system call itself
 * made with the same values. So the number and the arguments parity builds
 * are the ones seccomp sees for the real call. Arguments the map leaves 0
 * (pointers the prep does not keep) are not compared.
 *
 * Opcodes a kernel does not have (6.12's newer ones on 6.1) are skipped,
 * by IORING_REGISTER_PROBE.
 */
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "scmp.h"
#include "uring.h"
#include "util.h"

/* Upstream opcode numbers a Debian 12 header lacks. */
enum {
	OP_READ_MULTISHOT = 49, OP_WAITID, OP_FUTEX_WAIT, OP_FUTEX_WAKE,
	OP_FUTEX_WAITV, OP_FIXED_FD_INSTALL, OP_FTRUNCATE, OP_BIND, OP_LISTEN,
};

#ifndef SYS_futex_waitv
#define SYS_futex_waitv 449
#endif

struct call {
	long nr;
	uint64_t arg[6];
	unsigned int cmp;	/* bit i: the filter compares arg[i] */
};

#define CMP(...)	(rf_bits((const int[]){ __VA_ARGS__, -1 }))

static unsigned int rf_bits(const int *i)
{
	unsigned int m = 0;

	for (; *i >= 0; i++)
		m |= 1U << *i;
	return m;
}

static bool op_supported(unsigned int op)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;
	struct rf_ring r;
	bool ok;

	memset(&probe, 0, sizeof(probe));
	rf_new_ring(&r);
	ok = rf_sys_register(r.fd, IORING_REGISTER_PROBE, &probe, 256) == 0 &&
	     op <= probe.p.last_op &&
	     (probe.ops[op].flags & IO_URING_OP_SUPPORTED);
	rf_ring_exit(&r);
	return ok;
}

static void setup(unsigned int op)
{
	rf_need_parity();
	if (!op_supported(op))
		SKIP("this kernel has no opcode %u", op);
	ASSERT_RES(rf_enable_parity(), 0);
}

/*
 * The SQE @r holds is submitted under a filter for @c; then the system call
 * itself is made with @c's values, which must meet the same answer.
 */
static void expect_mapped(struct rf_ring *r, unsigned int op, const struct call *c)
{
	struct scmp_arg_cmp cmp[6];
	scmp_filter_ctx ctx = rf_scmp_new();
	int err = 3000 + (int)op, n = 0, i;
	long ret;

	for (i = 0; i < 6; i++)
		if (c->cmp & (1U << i))
			cmp[n++] = (struct scmp_arg_cmp){
				.arg = i, .op = SCMP_CMP_EQ, .datum_a = c->arg[i] };
	rf_scmp_rule(ctx, SCMP_ACT_ERRNO(err), c->nr, n, cmp);
	rf_scmp_load(ctx);
	EXPECT_RES(rf_run1(r), -err);
	errno = 0;
	ret = syscall(c->nr, c->arg[0], c->arg[1], c->arg[2], c->arg[3],
		      c->arg[4], c->arg[5]);
	EXPECT_TRUE(ret == -1 && errno == err);
	if (!(ret == -1 && errno == err))
		rf_note("syscall %ld itself: %ld, errno %s", c->nr, ret, rf_errname(errno));
}

static struct io_uring_sqe *sqe_for(struct rf_ring *r, unsigned int op, int fd)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	sqe->opcode = (uint8_t)op;
	sqe->fd = fd;
	return sqe;
}

static int tmp_file(const char *tag)
{
	char path[64];
	int fd;

	rf_tmp_path(path, sizeof(path), tag);
	fd = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_OK(fd);
	unlink(path);
	ASSERT_OK(ftruncate(fd, 4096));
	return fd;
}

static void socket_pair(int sv[2])
{
	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv));
}

static char buf[4096] __attribute__((aligned(4096)));

/* ---- reads and writes: at -1 the plain call, else the positioned one ---- */

static void rw_case(unsigned int op, long plain, long positioned, bool vec,
		    uint64_t pos)
{
	struct iovec iov = { buf, 64 };
	struct rf_ring r;
	struct call c;
	int fd;

	setup(op);
	fd = tmp_file("rw");
	rf_new_ring(&r);
	rf_prep_rw(sqe_for(&r, op, fd), (int)op, fd, vec ? (void *)&iov : buf,
		   vec ? 1 : 64, pos);
	memset(&c, 0, sizeof(c));
	c.arg[0] = fd;
	c.arg[1] = vec ? (uintptr_t)&iov : (uintptr_t)buf;
	c.arg[2] = vec ? 1 : 64;
	if (pos == (uint64_t)-1) {
		c.nr = plain;
		c.cmp = CMP(0, 1, 2);
	} else {
		c.nr = positioned;
		c.arg[3] = pos;
		c.cmp = vec ? CMP(0, 1, 2, 3, 4, 5) : CMP(0, 1, 2, 3);
	}
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(read_at_current_position_is_read) { rw_case(IORING_OP_READ, SYS_read, SYS_pread64, false, -1); }
TEST(read_at_offset_is_pread64) { rw_case(IORING_OP_READ, SYS_read, SYS_pread64, false, 8); }
TEST(write_at_current_position_is_write) { rw_case(IORING_OP_WRITE, SYS_write, SYS_pwrite64, false, -1); }
TEST(write_at_offset_is_pwrite64) { rw_case(IORING_OP_WRITE, SYS_write, SYS_pwrite64, false, 8); }
TEST(readv_at_current_position_is_readv) { rw_case(IORING_OP_READV, SYS_readv, SYS_preadv2, true, -1); }
TEST(readv_at_offset_is_preadv2) { rw_case(IORING_OP_READV, SYS_readv, SYS_preadv2, true, 8); }
TEST(writev_at_current_position_is_writev) { rw_case(IORING_OP_WRITEV, SYS_writev, SYS_pwritev2, true, -1); }
TEST(writev_at_offset_is_pwritev2) { rw_case(IORING_OP_WRITEV, SYS_writev, SYS_pwritev2, true, 8); }

static void fixed_case(unsigned int op, long nr)
{
	struct iovec reg = { buf, sizeof(buf) };
	struct rf_ring r;
	struct call c = { .nr = nr, .cmp = CMP(0, 1, 2, 3) };
	int fd;

	setup(op);
	fd = tmp_file("fixed");
	rf_new_ring(&r);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_BUFFERS, &reg, 1), 0);
	rf_prep_rw(sqe_for(&r, op, fd), (int)op, fd, buf, 64, 16);
	c.arg[0] = fd;
	c.arg[1] = (uintptr_t)buf;
	c.arg[2] = 64;
	c.arg[3] = 16;
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(read_fixed_is_pread64) { fixed_case(IORING_OP_READ_FIXED, SYS_pread64); }
TEST(write_fixed_is_pwrite64) { fixed_case(IORING_OP_WRITE_FIXED, SYS_pwrite64); }

TEST(read_multishot_is_read)
{
	struct rf_ring r;
	struct io_uring_sqe *sqe;
	struct call c = { .nr = SYS_read, .cmp = CMP(0, 1, 2) };
	int sv[2];

	setup(OP_READ_MULTISHOT);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe = sqe_for(&r, OP_READ_MULTISHOT, sv[0]);
	sqe->off = -1;
	sqe->flags = IOSQE_BUFFER_SELECT;
	sqe->buf_group = 1;
	c.arg[0] = sv[0];
	expect_mapped(&r, OP_READ_MULTISHOT, &c);
	rf_ring_exit(&r);
}

/* ---- files ---- */

TEST(fsync_is_fsync)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_fsync, .cmp = CMP(0) };
	int fd;

	setup(IORING_OP_FSYNC);
	fd = tmp_file("fsync");
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_FSYNC, fd);
	c.arg[0] = fd;
	expect_mapped(&r, IORING_OP_FSYNC, &c);
	rf_ring_exit(&r);
}

TEST(fsync_datasync_is_fdatasync)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_fdatasync, .cmp = CMP(0) };
	int fd;

	setup(IORING_OP_FSYNC);
	fd = tmp_file("fdsync");
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_FSYNC, fd)->fsync_flags = IORING_FSYNC_DATASYNC;
	c.arg[0] = fd;
	expect_mapped(&r, IORING_OP_FSYNC, &c);
	rf_ring_exit(&r);
}

TEST(sync_file_range_is_sync_file_range)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_sync_file_range, .cmp = CMP(0, 1, 2, 3) };
	int fd;

	setup(IORING_OP_SYNC_FILE_RANGE);
	fd = tmp_file("sfr");
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_SYNC_FILE_RANGE, fd);
	sqe->off = 512;
	sqe->len = 1024;
	sqe->sync_range_flags = SYNC_FILE_RANGE_WRITE;
	c.arg[0] = fd;
	c.arg[1] = 512;
	c.arg[2] = 1024;
	c.arg[3] = SYNC_FILE_RANGE_WRITE;
	expect_mapped(&r, IORING_OP_SYNC_FILE_RANGE, &c);
	rf_ring_exit(&r);
}

TEST(fallocate_is_fallocate)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_fallocate, .cmp = CMP(0, 1, 2, 3) };
	int fd;

	setup(IORING_OP_FALLOCATE);
	fd = tmp_file("falloc");
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_FALLOCATE, fd);
	sqe->len = FALLOC_FL_KEEP_SIZE;	/* mode */
	sqe->off = 4096;
	sqe->addr = 8192;		/* len */
	c.arg[0] = fd;
	c.arg[1] = FALLOC_FL_KEEP_SIZE;
	c.arg[2] = 4096;
	c.arg[3] = 8192;
	expect_mapped(&r, IORING_OP_FALLOCATE, &c);
	rf_ring_exit(&r);
}

TEST(openat_is_openat_with_the_users_flags)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_openat, .cmp = CMP(0, 1, 2, 3) };
	char path[64];

	setup(IORING_OP_OPENAT);
	rf_tmp_path(path, sizeof(path), "mapopen");
	rf_new_ring(&r);
	rf_prep_openat(rf_get_sqe(&r), AT_FDCWD, path,
		       O_CREAT | O_WRONLY | O_CLOEXEC, 0640);
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)path;
	c.arg[2] = O_CREAT | O_WRONLY | O_CLOEXEC;
	c.arg[3] = 0640;
	expect_mapped(&r, IORING_OP_OPENAT, &c);
	EXPECT_TRUE(!rf_path_exists(path));
	rf_ring_exit(&r);
}

TEST(openat2_is_openat2)
{
	struct open_how how = { .flags = O_RDONLY | O_CLOEXEC };
	struct rf_ring r;
	struct call c = { .nr = SYS_openat2, .cmp = CMP(0, 1, 3) };
	char path[64];

	setup(IORING_OP_OPENAT2);
	rf_tmp_path(path, sizeof(path), "mapopen2");
	rf_new_ring(&r);
	rf_prep_openat2(rf_get_sqe(&r), AT_FDCWD, path, &how, sizeof(how));
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)path;
	c.arg[2] = (uintptr_t)&how;	/* not kept by the prep: not compared */
	c.arg[3] = sizeof(how);
	expect_mapped(&r, IORING_OP_OPENAT2, &c);
	rf_ring_exit(&r);
}

TEST(close_is_close)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_close, .cmp = CMP(0) };
	int fd;

	setup(IORING_OP_CLOSE);
	fd = tmp_file("close");
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_CLOSE, fd);
	c.arg[0] = fd;
	expect_mapped(&r, IORING_OP_CLOSE, &c);
	/* Refused: the descriptor is still open. */
	EXPECT_OK(fcntl(fd, F_GETFD));
	rf_ring_exit(&r);
}

TEST(statx_is_statx)
{
	static struct statx stx;
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_statx, .cmp = CMP(0, 1, 2, 3, 4) };

	setup(IORING_OP_STATX);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_STATX, AT_FDCWD);
	sqe->addr = (uintptr_t)"/";
	sqe->statx_flags = AT_SYMLINK_NOFOLLOW;
	sqe->len = STATX_BASIC_STATS;
	sqe->off = (uintptr_t)&stx;
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)"/";
	c.arg[2] = AT_SYMLINK_NOFOLLOW;
	c.arg[3] = STATX_BASIC_STATS;
	c.arg[4] = (uintptr_t)&stx;
	expect_mapped(&r, IORING_OP_STATX, &c);
	rf_ring_exit(&r);
}

TEST(fadvise_is_fadvise64)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_fadvise64, .cmp = CMP(0, 1, 2, 3) };
	int fd;

	setup(IORING_OP_FADVISE);
	fd = tmp_file("fadv");
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_FADVISE, fd);
	sqe->off = 4096;
	sqe->len = 8192;
	sqe->fadvise_advice = POSIX_FADV_SEQUENTIAL;
	c.arg[0] = fd;
	c.arg[1] = 4096;
	c.arg[2] = 8192;
	c.arg[3] = POSIX_FADV_SEQUENTIAL;
	expect_mapped(&r, IORING_OP_FADVISE, &c);
	rf_ring_exit(&r);
}

TEST(madvise_is_madvise)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_madvise, .cmp = CMP(0, 1, 2) };

	setup(IORING_OP_MADVISE);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_MADVISE, -1);
	sqe->addr = (uintptr_t)buf;
	sqe->len = sizeof(buf);
	sqe->fadvise_advice = MADV_WILLNEED;
	c.arg[0] = (uintptr_t)buf;
	c.arg[1] = sizeof(buf);
	c.arg[2] = MADV_WILLNEED;
	expect_mapped(&r, IORING_OP_MADVISE, &c);
	rf_ring_exit(&r);
}

TEST(renameat_is_renameat2)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_renameat2, .cmp = CMP(0, 1, 2, 3, 4) };
	static const char from[] = "/tmp/map-a", to[] = "/tmp/map-b";

	setup(IORING_OP_RENAMEAT);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_RENAMEAT, AT_FDCWD);
	sqe->addr = (uintptr_t)from;
	sqe->len = (uint32_t)AT_FDCWD;
	sqe->addr2 = (uintptr_t)to;
	sqe->rename_flags = RENAME_NOREPLACE;
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)from;
	c.arg[2] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[3] = (uintptr_t)to;
	c.arg[4] = RENAME_NOREPLACE;
	expect_mapped(&r, IORING_OP_RENAMEAT, &c);
	rf_ring_exit(&r);
}

TEST(unlinkat_is_unlinkat)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_unlinkat, .cmp = CMP(0, 1, 2) };
	static const char path[] = "/tmp/map-dir";

	setup(IORING_OP_UNLINKAT);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_UNLINKAT, AT_FDCWD);
	sqe->addr = (uintptr_t)path;
	sqe->unlink_flags = AT_REMOVEDIR;
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)path;
	c.arg[2] = AT_REMOVEDIR;
	expect_mapped(&r, IORING_OP_UNLINKAT, &c);
	rf_ring_exit(&r);
}

TEST(mkdirat_is_mkdirat)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_mkdirat, .cmp = CMP(0, 1, 2) };
	static const char path[] = "/tmp/map-mkdir";

	setup(IORING_OP_MKDIRAT);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_MKDIRAT, AT_FDCWD);
	sqe->addr = (uintptr_t)path;
	sqe->len = 0750;
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)path;
	c.arg[2] = 0750;
	expect_mapped(&r, IORING_OP_MKDIRAT, &c);
	EXPECT_TRUE(!rf_path_exists(path));
	rf_ring_exit(&r);
}

TEST(symlinkat_is_symlinkat)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_symlinkat, .cmp = CMP(0, 1, 2) };
	static const char target[] = "/etc", path[] = "/tmp/map-sym";

	setup(IORING_OP_SYMLINKAT);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_SYMLINKAT, AT_FDCWD);
	sqe->addr = (uintptr_t)target;
	sqe->addr2 = (uintptr_t)path;
	c.arg[0] = (uintptr_t)target;
	c.arg[1] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[2] = (uintptr_t)path;
	expect_mapped(&r, IORING_OP_SYMLINKAT, &c);
	EXPECT_TRUE(!rf_path_exists(path));
	rf_ring_exit(&r);
}

TEST(linkat_is_linkat)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_linkat, .cmp = CMP(0, 1, 2, 3, 4) };
	static const char from[] = "/tmp/map-l1", to[] = "/tmp/map-l2";

	setup(IORING_OP_LINKAT);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_LINKAT, AT_FDCWD);
	sqe->addr = (uintptr_t)from;
	sqe->len = (uint32_t)AT_FDCWD;
	sqe->addr2 = (uintptr_t)to;
	sqe->hardlink_flags = AT_SYMLINK_FOLLOW;
	c.arg[0] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[1] = (uintptr_t)from;
	c.arg[2] = (uint64_t)(int64_t)AT_FDCWD;
	c.arg[3] = (uintptr_t)to;
	c.arg[4] = AT_SYMLINK_FOLLOW;
	expect_mapped(&r, IORING_OP_LINKAT, &c);
	rf_ring_exit(&r);
}

/* xattrs: the name pointer is not kept, so only the rest is compared. */
static void xattr_case(unsigned int op, long nr, bool by_fd, bool set)
{
	static const char name[] = "user.map", path[] = "/tmp";
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = nr };
	int fd = -1;

	setup(op);
	if (by_fd)
		fd = tmp_file("xattr");
	rf_new_ring(&r);
	sqe = sqe_for(&r, op, fd);
	sqe->addr = (uintptr_t)name;
	sqe->addr2 = (uintptr_t)buf;
	sqe->len = 16;
	if (!by_fd)
		sqe->addr3 = (uintptr_t)path;
	if (set)
		sqe->xattr_flags = XATTR_CREATE;
	c.arg[0] = by_fd ? (uint64_t)fd : (uintptr_t)path;
	c.arg[1] = (uintptr_t)name;
	c.arg[2] = (uintptr_t)buf;
	c.arg[3] = 16;
	c.arg[4] = set ? XATTR_CREATE : 0;
	c.cmp = set ? CMP(0, 2, 3, 4) : CMP(0, 2, 3);
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(fsetxattr_is_fsetxattr) { xattr_case(IORING_OP_FSETXATTR, SYS_fsetxattr, true, true); }
TEST(setxattr_is_setxattr) { xattr_case(IORING_OP_SETXATTR, SYS_setxattr, false, true); }
TEST(fgetxattr_is_fgetxattr) { xattr_case(IORING_OP_FGETXATTR, SYS_fgetxattr, true, false); }
TEST(getxattr_is_getxattr) { xattr_case(IORING_OP_GETXATTR, SYS_getxattr, false, false); }

TEST(ftruncate_is_ftruncate)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_ftruncate, .cmp = CMP(0, 1) };
	int fd;

	setup(OP_FTRUNCATE);
	fd = tmp_file("ftrunc");
	rf_new_ring(&r);
	sqe_for(&r, OP_FTRUNCATE, fd)->off = 100;
	c.arg[0] = fd;
	c.arg[1] = 100;
	expect_mapped(&r, OP_FTRUNCATE, &c);
	rf_ring_exit(&r);
}

/* ---- pipes and splice ---- */

static void pipe_pair(int p[2])
{
	ASSERT_OK(pipe2(p, O_CLOEXEC));
}

TEST(splice_is_splice)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_splice, .cmp = CMP(0, 2, 4, 5) };
	int a[2], b[2];

	setup(IORING_OP_SPLICE);
	pipe_pair(a);
	pipe_pair(b);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_SPLICE, b[1]);
	sqe->splice_fd_in = a[0];
	sqe->splice_off_in = -1;
	sqe->off = -1;
	sqe->len = 128;
	sqe->splice_flags = SPLICE_F_NONBLOCK;
	c.arg[0] = a[0];
	c.arg[2] = b[1];
	c.arg[4] = 128;
	c.arg[5] = SPLICE_F_NONBLOCK;
	expect_mapped(&r, IORING_OP_SPLICE, &c);
	rf_ring_exit(&r);
}

TEST(tee_is_tee)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_tee, .cmp = CMP(0, 1, 2, 3) };
	int a[2], b[2];

	setup(IORING_OP_TEE);
	pipe_pair(a);
	pipe_pair(b);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_TEE, b[1]);
	sqe->splice_fd_in = a[0];
	sqe->len = 64;
	sqe->splice_flags = SPLICE_F_NONBLOCK;
	c.arg[0] = a[0];
	c.arg[1] = b[1];
	c.arg[2] = 64;
	c.arg[3] = SPLICE_F_NONBLOCK;
	expect_mapped(&r, IORING_OP_TEE, &c);
	rf_ring_exit(&r);
}

/* ---- sockets ---- */

TEST(socket_is_socket)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_socket, .cmp = CMP(0, 1, 2) };

	setup(IORING_OP_SOCKET);
	rf_new_ring(&r);
	rf_prep_socket(rf_get_sqe(&r), AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK, IPPROTO_UDP);
	c.arg[0] = AF_INET6;
	c.arg[1] = SOCK_DGRAM | SOCK_NONBLOCK;
	c.arg[2] = IPPROTO_UDP;
	expect_mapped(&r, IORING_OP_SOCKET, &c);
	rf_ring_exit(&r);
}

TEST(connect_is_connect)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(9) };
	struct rf_ring r;
	struct call c = { .nr = SYS_connect, .cmp = CMP(0, 1, 2) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	setup(IORING_OP_CONNECT);
	ASSERT_OK(fd);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rf_new_ring(&r);
	rf_prep_connect(rf_get_sqe(&r), fd, &sa, sizeof(sa));
	c.arg[0] = fd;
	c.arg[1] = (uintptr_t)&sa;
	c.arg[2] = sizeof(sa);
	expect_mapped(&r, IORING_OP_CONNECT, &c);
	rf_ring_exit(&r);
}

TEST(accept_is_accept4)
{
	struct sockaddr_un peer;
	socklen_t len = sizeof(peer);
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_accept4, .cmp = CMP(0, 1, 2, 3) };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	setup(IORING_OP_ACCEPT);
	ASSERT_OK(fd);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_ACCEPT, fd);
	sqe->addr = (uintptr_t)&peer;
	sqe->addr2 = (uintptr_t)&len;
	sqe->accept_flags = SOCK_CLOEXEC;
	c.arg[0] = fd;
	c.arg[1] = (uintptr_t)&peer;
	c.arg[2] = (uintptr_t)&len;
	c.arg[3] = SOCK_CLOEXEC;
	expect_mapped(&r, IORING_OP_ACCEPT, &c);
	rf_ring_exit(&r);
}

TEST(shutdown_is_shutdown)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_shutdown, .cmp = CMP(0, 1) };
	int sv[2];

	setup(IORING_OP_SHUTDOWN);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_SHUTDOWN, sv[0])->len = SHUT_WR;
	c.arg[0] = sv[0];
	c.arg[1] = SHUT_WR;
	expect_mapped(&r, IORING_OP_SHUTDOWN, &c);
	rf_ring_exit(&r);
}

/* send and sendmsg: the prep adds MSG_NOSIGNAL, which the call would not carry. */
static void send_case(unsigned int op, long nr, bool msg, uint64_t extra)
{
	struct iovec iov = { buf, 8 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = nr };
	int sv[2];

	setup(op);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe = sqe_for(&r, op, sv[0]);
	sqe->addr = msg ? (uintptr_t)&mh : (uintptr_t)buf;
	sqe->len = msg ? 1 : 8;
	sqe->msg_flags = MSG_DONTWAIT;
	c.arg[0] = sv[0];
	c.arg[1] = msg ? (uintptr_t)&mh : (uintptr_t)buf;
	if (msg) {
		c.arg[2] = MSG_DONTWAIT | extra;
		c.cmp = CMP(0, 1, 2);
	} else {
		c.arg[2] = 8;
		c.arg[3] = MSG_DONTWAIT | extra;
		c.cmp = CMP(0, 1, 2, 3, 4, 5);
	}
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(send_is_sendto) { send_case(IORING_OP_SEND, SYS_sendto, false, 0); }
TEST(sendmsg_is_sendmsg) { send_case(IORING_OP_SENDMSG, SYS_sendmsg, true, 0); }
TEST(send_zc_is_sendto_with_msg_zerocopy) { send_case(IORING_OP_SEND_ZC, SYS_sendto, false, MSG_ZEROCOPY); }
TEST(sendmsg_zc_is_sendmsg_with_msg_zerocopy) { send_case(IORING_OP_SENDMSG_ZC, SYS_sendmsg, true, MSG_ZEROCOPY); }

static void recv_case(unsigned int op, long nr, bool msg)
{
	struct iovec iov = { buf, 8 };
	struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = nr };
	int sv[2];

	setup(op);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe = sqe_for(&r, op, sv[0]);
	sqe->addr = msg ? (uintptr_t)&mh : (uintptr_t)buf;
	sqe->len = msg ? 1 : 8;
	sqe->msg_flags = MSG_DONTWAIT;
	c.arg[0] = sv[0];
	c.arg[1] = msg ? (uintptr_t)&mh : (uintptr_t)buf;
	if (msg) {
		c.arg[2] = MSG_DONTWAIT;
		c.cmp = CMP(0, 1, 2);
	} else {
		c.arg[2] = 8;
		c.arg[3] = MSG_DONTWAIT;
		c.cmp = CMP(0, 1, 2, 3, 4, 5);
	}
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(recv_is_recvfrom) { recv_case(IORING_OP_RECV, SYS_recvfrom, false); }
TEST(recvmsg_is_recvmsg) { recv_case(IORING_OP_RECVMSG, SYS_recvmsg, true); }

TEST(bind_is_bind)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_bind, .cmp = CMP(0, 2) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	setup(OP_BIND);
	ASSERT_OK(fd);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	rf_new_ring(&r);
	sqe = sqe_for(&r, OP_BIND, fd);
	sqe->addr = (uintptr_t)&sa;
	sqe->addr2 = sizeof(sa);
	c.arg[0] = fd;
	c.arg[1] = (uintptr_t)&sa;
	c.arg[2] = sizeof(sa);
	expect_mapped(&r, OP_BIND, &c);
	rf_ring_exit(&r);
}

TEST(listen_is_listen)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_listen, .cmp = CMP(0, 1) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	setup(OP_LISTEN);
	ASSERT_OK(fd);
	rf_new_ring(&r);
	sqe_for(&r, OP_LISTEN, fd)->len = 7;
	c.arg[0] = fd;
	c.arg[1] = 7;
	expect_mapped(&r, OP_LISTEN, &c);
	rf_ring_exit(&r);
}

/* ---- everything else ---- */

/*
 * poll(fds, 1, -1) where the architecture has poll; arm64 (asm-generic
 * numbers) has only ppoll: ppoll(fds, 1, NULL, NULL, 8), the call glibc's
 * poll() makes there.
 */
#ifdef SYS_poll
#define POLL_CALL { .nr = SYS_poll, .arg = { 0, 1, (uint64_t)-1 }, .cmp = CMP(1, 2) }
#else
#define POLL_CALL { .nr = SYS_ppoll, .arg = { 0, 1, 0, 0, 8 }, .cmp = CMP(1, 2, 3, 4) }
#endif

TEST(poll_add_is_poll)
{
	struct rf_ring r;
	struct call c = POLL_CALL;
	int sv[2];

	setup(IORING_OP_POLL_ADD);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_POLL_ADD, sv[0])->poll32_events = POLLIN;
	expect_mapped(&r, IORING_OP_POLL_ADD, &c);
	rf_ring_exit(&r);
}

TEST(epoll_ctl_is_epoll_ctl)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_epoll_ctl, .cmp = CMP(0, 1, 2) };
	int ep = epoll_create1(EPOLL_CLOEXEC), sv[2];

	setup(IORING_OP_EPOLL_CTL);
	ASSERT_OK(ep);
	socket_pair(sv);
	rf_new_ring(&r);
	sqe = sqe_for(&r, IORING_OP_EPOLL_CTL, ep);
	sqe->len = EPOLL_CTL_ADD;
	sqe->off = sv[0];
	sqe->addr = (uintptr_t)&ev;
	c.arg[0] = ep;
	c.arg[1] = EPOLL_CTL_ADD;
	c.arg[2] = sv[0];
	c.arg[3] = (uintptr_t)&ev;
	expect_mapped(&r, IORING_OP_EPOLL_CTL, &c);
	rf_ring_exit(&r);
}

TEST(uring_cmd_is_ioctl)
{
	struct rf_ring r;
	struct call c = { .nr = SYS_ioctl, .cmp = CMP(0, 1) };
	int fd = tmp_file("cmd");

	setup(IORING_OP_URING_CMD);
	rf_new_ring(&r);
	sqe_for(&r, IORING_OP_URING_CMD, fd)->cmd_op = 0x1234;
	c.arg[0] = fd;
	c.arg[1] = 0x1234;
	expect_mapped(&r, IORING_OP_URING_CMD, &c);
	rf_ring_exit(&r);
}

TEST(waitid_is_waitid)
{
	static siginfo_t info;
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_waitid, .cmp = CMP(0, 1, 2, 3) };

	setup(OP_WAITID);
	rf_new_ring(&r);
	sqe = sqe_for(&r, OP_WAITID, 1);	/* upid */
	sqe->len = P_PID;			/* which */
	sqe->file_index = WEXITED;		/* options */
	sqe->addr2 = (uintptr_t)&info;
	c.arg[0] = P_PID;
	c.arg[1] = 1;
	c.arg[2] = (uintptr_t)&info;
	c.arg[3] = WEXITED;
	expect_mapped(&r, OP_WAITID, &c);
	rf_ring_exit(&r);
}

#define FUTEX2_SIZE_U32	0x02
#define FUTEX2_PRIVATE	128

static void futex_case(unsigned int op, int futex_op)
{
	static uint32_t word;
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_futex, .cmp = CMP(0, 1, 2, 5) };

	setup(op);
	rf_new_ring(&r);
	sqe = sqe_for(&r, op, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE);
	sqe->addr = (uintptr_t)&word;
	sqe->addr2 = 1;		/* val */
	sqe->addr3 = 0xff;	/* mask */
	c.arg[0] = (uintptr_t)&word;
	c.arg[1] = (uint64_t)(futex_op | FUTEX_PRIVATE_FLAG);
	c.arg[2] = 1;
	c.arg[5] = 0xff;
	expect_mapped(&r, op, &c);
	rf_ring_exit(&r);
}

TEST(futex_wait_is_futex_wait_bitset) { futex_case(OP_FUTEX_WAIT, FUTEX_WAIT_BITSET); }
TEST(futex_wake_is_futex_wake_bitset) { futex_case(OP_FUTEX_WAKE, FUTEX_WAKE_BITSET); }

TEST(futex_waitv_is_futex_waitv)
{
	static uint32_t word;
	static struct { uint64_t val, uaddr; uint32_t flags, resv; } w = {
		0, 0, FUTEX2_SIZE_U32 | FUTEX2_PRIVATE, 0,
	};
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_futex_waitv, .cmp = CMP(0, 1) };

	setup(OP_FUTEX_WAITV);
	w.uaddr = (uintptr_t)&word;
	rf_new_ring(&r);
	sqe = sqe_for(&r, OP_FUTEX_WAITV, 0);
	sqe->addr = (uintptr_t)&w;
	sqe->len = 1;
	c.arg[0] = (uintptr_t)&w;
	c.arg[1] = 1;
	expect_mapped(&r, OP_FUTEX_WAITV, &c);
	rf_ring_exit(&r);
}

TEST(fixed_fd_install_is_fcntl_dupfd_cloexec)
{
	struct io_uring_sqe *sqe;
	struct rf_ring r;
	struct call c = { .nr = SYS_fcntl, .cmp = CMP(0, 1) };
	int fd = tmp_file("install");

	setup(OP_FIXED_FD_INSTALL);
	rf_new_ring(&r);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_FILES, &fd, 1), 0);
	sqe = sqe_for(&r, OP_FIXED_FD_INSTALL, 0);	/* fixed slot 0 */
	sqe->flags = IOSQE_FIXED_FILE;
	/* A fixed file's index stands in for the descriptor. */
	c.arg[0] = 0;
	c.arg[1] = F_DUPFD_CLOEXEC;
	expect_mapped(&r, OP_FIXED_FD_INSTALL, &c);
	rf_ring_exit(&r);
}
