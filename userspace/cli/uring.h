/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The one-request io_uring doctor needs, without liburing. */
#ifndef RINGFENCE_CLI_URING_H
#define RINGFENCE_CLI_URING_H

/*
 * Sets up a ring, submits one request of opcode (NOP, or READ of 0 bytes
 * from /dev/null) and returns its CQE's result, or a negative errno
 * from io_uring_setup()/io_uring_enter() with *setup_failed set.
 */
int uring_one_request(unsigned int opcode, int *setup_failed);

#endif /* RINGFENCE_CLI_URING_H */
