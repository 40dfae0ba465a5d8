// SPDX-License-Identifier: GPL-2.0
/*
 * A ring's policy is its creator's at io_uring_setup time, whoever uses it
 * later: rings created before registration stay free, and a ring fd moved
 * between processes keeps its creator's restriction.
 */
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "handoff.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

static void restrict_read_only(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

TEST(ring_created_before_registration_stays_unrestricted)
{
	struct rf_ring before;

	ASSERT_RES(rf_ring_init(&before, 4, 0), 0);
	restrict_read_only();
	EXPECT_RES(rf_ring_nop(&before), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(restricted_ring_taken_by_unrestricted_process_stays_restricted)
{
	struct rf_handoff m;
	struct rf_ring r;
	int sv[2];
	pid_t pid;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = rf_fork();
	if (pid == 0) {
		struct rf_ring mine;

		close(sv[0]);
		restrict_read_only();
		ASSERT_RES(rf_handoff_offer(&mine, 4, sv[1]), 0);
		/* Keep the fd open until the parent has taken it. */
		ASSERT_RES(rf_handoff_wait_done(sv[1]), 0);
		rf_exit();
	}
	close(sv[1]);
	ASSERT_RES(rf_handoff_receive(sv[0], &m), 0);
	ASSERT_RES(rf_handoff_take(&r, pid, &m), 0);
	ASSERT_RES(rf_handoff_done(sv[0]), 0);
	EXPECT_CHILD_OK(pid, "restricted creator");

	/* The creator is gone; its policy stays with the ring. */
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
	/* "READ only" has no register entries: register ops stay free. */
	EXPECT_RES(rf_register_probe(r.fd), 0);
	/* The receiver itself is free. */
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(unrestricted_ring_taken_by_restricted_process_stays_free)
{
	struct rf_ring mine;
	int sv[2];
	pid_t pid;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = rf_fork();
	if (pid == 0) {
		struct rf_handoff m;
		struct rf_ring r;

		close(sv[0]);
		restrict_read_only();
		ASSERT_RES(rf_handoff_receive(sv[1], &m), 0);
		ASSERT_RES(rf_handoff_take(&r, getppid(), &m), 0);
		ASSERT_RES(rf_handoff_done(sv[1]), 0);
		EXPECT_RES(rf_ring_nop(&r), 0);
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	close(sv[1]);
	ASSERT_RES(rf_handoff_offer(&mine, 4, sv[0]), 0);
	ASSERT_RES(rf_handoff_wait_done(sv[0]), 0);
	EXPECT_CHILD_OK(pid, "restricted receiver");
}

TEST(inherited_unrestricted_ring_used_by_restricted_child)
{
	struct rf_ring r;
	pid_t pid;

	ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
	pid = rf_fork();
	if (pid == 0) {
		restrict_read_only();
		EXPECT_RES(rf_ring_nop(&r), 0);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "restricted child");
}

/*
 * SCM_RIGHTS: 7.2 refuses to send an io_uring fd at all (EINVAL). Should a
 * kernel let it through, the received ring must still deny.
 */
TEST(restricted_ring_over_scm_rights_never_frees)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct rf_handoff m;
	struct iovec iov = { &m, sizeof(m) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	struct rf_ring r;
	int sv[2], fd;
	pid_t pid;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
	pid = rf_fork();
	if (pid == 0) {
		struct rf_ring mine;
		ssize_t sent;

		close(sv[0]);
		restrict_read_only();
		memset(&m, 0, sizeof(m));
		ASSERT_RES(rf_ring_init_params(&mine, 4, &m.p), 0);
		memset(cbuf, 0, sizeof(cbuf));
		c = CMSG_FIRSTHDR(&msg);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &mine.fd, sizeof(int));
		sent = sendmsg(sv[1], &msg, 0);
		if (sent < 0) {
			EXPECT_EQ(errno, EINVAL);
			/* Tell the parent there is nothing to receive. */
			m.fd = -1;
			ASSERT_EQ(send(sv[1], &m, sizeof(m), 0), sizeof(m));
		}
		rf_exit();
	}
	close(sv[1]);
	ASSERT_EQ(recvmsg(sv[0], &msg, 0), sizeof(m));
	EXPECT_CHILD_OK(pid, "restricted sender");
	c = CMSG_FIRSTHDR(&msg);
	if (!c) {
		EXPECT_EQ(m.fd, -1);
		return;
	}
	rf_note("this kernel passed an io_uring fd over SCM_RIGHTS");
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	ASSERT_RES(rf_ring_map(&r, fd, &m.p), 0);
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
}
