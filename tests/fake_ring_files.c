// SPDX-License-Identifier: GPL-2.0
/*
 * Files that only look like an io_uring ring: io_uring_register() with
 * opcodes 11 (IORING_REGISTER_RESTRICTIONS) and 37 (IORING_REGISTER_BPF_FILTER)
 * on each must answer as Linux 7.x does (io_uring_ctx_get_file(): -EBADF for
 * a descriptor fget() does not give, -EOPNOTSUPP for any file that is not a
 * ring), from an unprivileged user and from root, and the kernel must stay
 * up. Every file that can carry a name is named "[io_uring]", the name the
 * kernel gives ring files. The arguments are valid, so the descriptor is the
 * only thing wrong with each call.
 *
 * Upstream behaviour: passes on native 7.x as on 6.x with the module.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <unistd.h>

#include "bpf.h"
#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

#define RING_NAME "[io_uring]"

struct who {
	const char *name;
	bool nobody;
};

static const struct who who_all[] = {
	{ "nobody", true },
	{ "root", false },
};

/* A directory the current user can create the look-alikes in. */
static const char *lookalike_dir(void)
{
	static char dir[64];

	snprintf(dir, sizeof(dir), "/tmp/fake-ring-%d", (int)getpid());
	if (mkdir(dir, 0700) && errno != EEXIST) {
		FAIL("mkdir %s (errno %s)", dir, rf_errname(errno));
		rf_abort();
	}
	return dir;
}

static const char *lookalike_path(void)
{
	static char path[96];

	snprintf(path, sizeof(path), "%s/" RING_NAME, lookalike_dir());
	return path;
}

/* The two calls, with arguments that would be accepted on a real ring. */
static int register_restrictions(int fd, unsigned int flags)
{
	struct io_uring_restriction res = rf_r_sqe_op(IORING_OP_NOP);

	return rf_sys_register(fd, RINGFENCE_IORING_REGISTER_RESTRICTIONS | flags,
			       &res, 1);
}

static int register_filter(int fd, unsigned int flags)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_NOP, 0, RF_INSNS(RF_RET(1)), 1);
	return rf_sys_register(fd, RINGFENCE_IORING_REGISTER_BPF_FILTER | flags,
			       &reg, 1);
}

/*
 * Checks both opcodes on the descriptor @make returns, as each user, and
 * that a real ring still works afterwards.
 */
static void expect_refused(int (*make)(void), int err)
{
	unsigned int i;

	for (i = 0; i < sizeof(who_all) / sizeof(who_all[0]); i++) {
		pid_t pid = rf_fork();

		if (pid == 0) {
			int fd;

			if (who_all[i].nobody)
				ASSERT_RES(rf_drop_to_nobody(), 0);
			fd = make();
			ASSERT_TRUE(fd >= 0);
			rf_note("as %s", who_all[i].name);
			EXPECT_RES(register_restrictions(fd, 0), -err);
			EXPECT_RES(register_filter(fd, 0), -err);
			EXPECT_RES(rf_new_ring_nop(), 0);
			rf_exit();
		}
		EXPECT_CHILD_OK(pid, who_all[i].name);
	}
}

static int make_regular(void)
{
	return open(lookalike_path(), O_CREAT | O_RDWR | O_CLOEXEC, 0600);
}

static int make_fifo(void)
{
	if (mkfifo(lookalike_path(), 0600))
		return -1;
	/* O_RDWR never blocks on a FIFO in Linux. */
	return open(lookalike_path(), O_RDWR | O_CLOEXEC);
}

static int make_directory(void)
{
	if (mkdir(lookalike_path(), 0700))
		return -1;
	return open(lookalike_path(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

static int make_opath(void)
{
	int fd = make_regular();

	if (fd < 0)
		return -1;
	close(fd);
	return open(lookalike_path(), O_PATH | O_CLOEXEC);
}

static int make_unix_socket(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", lookalike_path());
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)))
		return -1;
	return fd;
}

static int make_eventfd(void)
{
	return eventfd(0, EFD_CLOEXEC);
}

static int make_memfd(void)
{
	return (int)syscall(SYS_memfd_create, RING_NAME, 0);
}

static int make_pidfd(void)
{
	return (int)syscall(SYS_pidfd_open, getpid(), 0);
}

static int make_epoll(void)
{
	return epoll_create1(EPOLL_CLOEXEC);
}

static int make_timerfd(void)
{
	return timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
}

static int make_pipe_end(void)
{
	int p[2];

	return pipe(p) ? -1 : p[1];
}

static int make_dev_null(void)
{
	return open("/dev/null", O_RDWR | O_CLOEXEC);
}

static int make_dev_ringfence(void)
{
	return open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
}

static int make_closed(void)
{
	int fd = make_eventfd();

	if (fd < 0 || close(fd))
		return -1;
	return fd;
}

static int make_out_of_range(void)
{
	return 1 << 20;
}

TEST(regular_file_named_like_a_ring_eopnotsupp)
{
	expect_refused(make_regular, EOPNOTSUPP);
}

TEST(fifo_named_like_a_ring_eopnotsupp)
{
	expect_refused(make_fifo, EOPNOTSUPP);
}

TEST(directory_named_like_a_ring_eopnotsupp)
{
	expect_refused(make_directory, EOPNOTSUPP);
}

/* fget() does not hand out O_PATH files: as bad as no descriptor. */
TEST(opath_file_named_like_a_ring_ebadf)
{
	expect_refused(make_opath, EBADF);
}

TEST(unix_socket_bound_to_a_ring_name_eopnotsupp)
{
	expect_refused(make_unix_socket, EOPNOTSUPP);
}

/* Anonymous-inode files share the ring files' superblock. */
TEST(eventfd_eopnotsupp)
{
	expect_refused(make_eventfd, EOPNOTSUPP);
}

TEST(epoll_eopnotsupp)
{
	expect_refused(make_epoll, EOPNOTSUPP);
}

TEST(timerfd_eopnotsupp)
{
	expect_refused(make_timerfd, EOPNOTSUPP);
}

TEST(memfd_named_like_a_ring_eopnotsupp)
{
	expect_refused(make_memfd, EOPNOTSUPP);
}

TEST(pidfd_eopnotsupp)
{
	expect_refused(make_pidfd, EOPNOTSUPP);
}

TEST(pipe_eopnotsupp)
{
	expect_refused(make_pipe_end, EOPNOTSUPP);
}

TEST(dev_null_eopnotsupp)
{
	expect_refused(make_dev_null, EOPNOTSUPP);
}

TEST(dev_ringfence_eopnotsupp)
{
	if (!rf_expect_module())
		SKIP("no /dev/ringfence without the module");
	expect_refused(make_dev_ringfence, EOPNOTSUPP);
}

TEST(closed_fd_ebadf)
{
	expect_refused(make_closed, EBADF);
}

TEST(fd_past_the_table_ebadf)
{
	expect_refused(make_out_of_range, EBADF);
}

/*
 * IORING_REGISTER_USE_REGISTERED_RING names a slot of the task's own
 * table, not a descriptor: -EINVAL before the task has used io_uring or
 * past the table, -EBADF for an empty slot.
 */
TEST(registered_ring_index_without_io_uring_einval)
{
	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(register_restrictions(0, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EINVAL);
	EXPECT_RES(register_filter(0, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EINVAL);
}

TEST(registered_ring_empty_slot_ebadf)
{
	struct rf_ring r;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_restrictions(3, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EBADF);
	EXPECT_RES(register_filter(3, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EBADF);
	EXPECT_RES(register_filter(16, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EINVAL);
	EXPECT_RES(register_filter(-2, RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING),
		   -EINVAL);
	rf_ring_exit(&r);
}

/* The control: the same calls on a real ring get past the descriptor. */
TEST(real_ring_accepts_filter_and_checks_restrictions)
{
	struct rf_ring r;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	EXPECT_RES(register_filter(r.fd, 0), 0);
	/* Restrictions need a ring created disabled. */
	EXPECT_RES(register_restrictions(r.fd, 0), -EBADFD);
	EXPECT_RES(rf_ring_nop(&r), 0);
	rf_ring_exit(&r);
}
