/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoint names and prototypes that changed. A probe's prototype must be
 * the tracepoint's exactly: the kernel calls it through a pointer of that
 * type (kCFI checks it).
 */
#ifndef _RINGFENCE_COMPAT_TRACEPOINT_H
#define _RINGFENCE_COMPAT_TRACEPOINT_H

#include <linux/types.h>

/*
 * The tracepoint that fires right after io_init_req(): 6.6+'s
 * io_uring_submit_req(req), 6.1's io_uring_submit_sqe(req, force_nonblock).
 * RF_TP_SUBMIT_ARGS is the probe's parameter list after @data.
 */
#ifdef RF_HAVE_TP_SUBMIT_REQ
#define RF_TP_SUBMIT_NAME	"io_uring_submit_req"
#define RF_TP_SUBMIT_ARGS	struct io_kiocb *req
#else
#define RF_TP_SUBMIT_NAME	"io_uring_submit_sqe"
#define RF_TP_SUBMIT_ARGS	struct io_kiocb *req, bool force_nonblock
#endif

/* task_newtask's clone_flags: unsigned long up to 6.12, u64 later. */
#ifdef RF_HAVE_TP_NEWTASK_U64
typedef u64 rf_clone_flags_t;
#else
typedef unsigned long rf_clone_flags_t;
#endif

#endif /* _RINGFENCE_COMPAT_TRACEPOINT_H */
