/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Moving a ring fd into another process. SCM_RIGHTS cannot carry io_uring
 * fds on these kernels (sendmsg fails with EINVAL), so the receiver takes
 * the fd with pidfd_getfd(), and the creator sends the setup parameters
 * and the fd number through a socket. Every function returns 0 or a
 * negated errno (-EIO for a short read or write).
 */
#ifndef RF_HANDOFF_H
#define RF_HANDOFF_H

#include <sys/types.h>

#include "uring.h"

struct rf_handoff {
	struct io_uring_params p;
	int fd;
};

/* Create a ring of @entries and tell the other end of @sock about it. */
int rf_handoff_offer(struct rf_ring *r, unsigned int entries, int sock);
/* Read what rf_handoff_offer() sent. */
int rf_handoff_receive(int sock, struct rf_handoff *m);
/* Take the ring @m describes out of process @owner and map it. */
int rf_handoff_take(struct rf_ring *r, pid_t owner, const struct rf_handoff *m);
/* One byte through @sock and back: "taken, you may let go of the fd". */
int rf_handoff_done(int sock);
int rf_handoff_wait_done(int sock);

#endif /* RF_HANDOFF_H */
