// SPDX-License-Identifier: GPL-2.0
/* Moving a ring fd into another process (see handoff.h). */
#include "handoff.h"

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* 0 if @ret is @len bytes, else -errno or -EIO. */
static int whole(ssize_t ret, size_t len)
{
	if (ret < 0)
		return -errno;
	return (size_t)ret == len ? 0 : -EIO;
}

int rf_handoff_offer(struct rf_ring *r, unsigned int entries, int sock)
{
	struct rf_handoff m;
	int ret;

	memset(&m, 0, sizeof(m));
	ret = rf_ring_init_params(r, entries, &m.p);
	if (ret)
		return ret;
	m.fd = r->fd;
	return whole(write(sock, &m, sizeof(m)), sizeof(m));
}

int rf_handoff_receive(int sock, struct rf_handoff *m)
{
	return whole(read(sock, m, sizeof(*m)), sizeof(*m));
}

int rf_handoff_take(struct rf_ring *r, pid_t owner, const struct rf_handoff *m)
{
	int pidfd, fd, ret;

	pidfd = (int)syscall(SYS_pidfd_open, owner, 0);
	if (pidfd < 0)
		return -errno;
	fd = (int)syscall(SYS_pidfd_getfd, pidfd, m->fd, 0);
	ret = fd < 0 ? -errno : 0;
	close(pidfd);
	if (ret)
		return ret;
	ret = rf_ring_map(r, fd, &m->p);
	if (ret)
		close(fd);
	return ret;
}

int rf_handoff_done(int sock)
{
	return whole(write(sock, "x", 1), 1);
}

int rf_handoff_wait_done(int sock)
{
	char c;

	return whole(read(sock, &c, 1), 1);
}
