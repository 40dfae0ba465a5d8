// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The payload the kernel gives a filter, per opcode (io_issue_defs[].
 * filter_pdu_size in Linux 7.2's io_uring/opdef.c): the size of the member
 * of struct io_uring_bpf_ctx's union that the opcode fills.
 */
#include <errno.h>
#include <stddef.h>

#include "internal.h"

RINGFENCE_PUBLIC int ringfence_filter_pdu_size(unsigned int opcode)
{
	if (opcode >= ringfence_op_count())
		return -EINVAL;
	return ringfence_filter_pdu_bytes(opcode);
}
