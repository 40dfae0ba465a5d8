/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Link chains and batches whose members show whether they ran: NOP, a WRITE
 * of 3 bytes to an empty file, and an OPENAT(O_CREAT) of a path that does
 * not exist (the member the tests' policies deny).
 *
 * Setting up is two calls because a ring takes its creator's restrictions
 * and filters at io_uring_setup: rf_chain_files(), then the caller's policy,
 * then rf_chain_ring().
 */
#ifndef RF_CHAIN_H
#define RF_CHAIN_H

#include <stdint.h>
#include <sys/types.h>

#include "uring.h"

struct rf_chain {
	struct rf_ring r;
	char path[64];	/* what the denied OPENAT would create */
	char wpath[64];	/* what the WRITEs go to */
	int wfd;
	int res[4];
	unsigned int n;	/* SQEs queued: the next user_data */
};

/* Name the two paths and create the empty file the WRITEs go to. */
int rf_chain_files(struct rf_chain *c);
/* An 8-entry ring with @setup_flags; no SQE queued, res[] all 1. */
int rf_chain_ring(struct rf_chain *c, unsigned int setup_flags);
/*
 * Queue one member: IORING_OP_NOP, IORING_OP_WRITE or IORING_OP_OPENAT,
 * with SQE @flags and the next user_data (0, 1, ...).
 */
void rf_chain_add(struct rf_chain *c, int op, uint8_t flags);
/* Size of the written file: 3 per WRITE that ran, -1 if fstat fails. */
off_t rf_chain_written(struct rf_chain *c);
/* Remove both paths. */
void rf_chain_teardown(struct rf_chain *c);

#endif /* RF_CHAIN_H */
