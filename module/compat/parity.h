/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The seccomp parity calls that differ by architecture, as entries of
 * parity_map.c's table (written with its SC() and argument macros, which
 * expand where the entry is used). Included by parity_map.c alone.
 */
#ifndef _RINGFENCE_COMPAT_PARITY_H
#define _RINGFENCE_COMPAT_PARITY_H

#include <linux/unistd.h>

/*
 * POLL_ADD: poll(fds, nfds, timeout), with no pollfd array in user memory.
 * The asm-generic tables (arm64) have no poll(), and glibc's poll() is
 * ppoll(fds, nfds, NULL, NULL, 0) there (its poll.o: x3 = x4 = 0).
 */
#ifdef __NR_poll
#define RF_SC_POLL_ADD	SC(IORING_OP_POLL_ADD, "io_poll", poll, Z, K(1), K(-1))
#else
#define RF_SC_POLL_ADD	SC(IORING_OP_POLL_ADD, "io_poll", ppoll, Z, K(1), Z, Z, Z)
#endif

#endif /* _RINGFENCE_COMPAT_PARITY_H */
