/* SPDX-License-Identifier: GPL-2.0 */
/*
 * io_uring facts that differ between kernels, and the Linux 7.2 facts the
 * module emulates on all of them.
 */
#ifndef _RINGFENCE_COMPAT_IO_URING_H
#define _RINGFENCE_COMPAT_IO_URING_H

#include <linux/io_uring.h>
#include <linux/io_uring_types.h>

/* io_kiocb.flags: a u64 __bitwise io_req_flags_t from 6.12, unsigned int before. */
#ifdef RF_HAVE_IO_REQ_FLAGS_T
#define rf_req_flags(req)	((__force u64)(req)->flags)
#else
#define rf_req_flags(req)	((u64)(req)->flags)
#endif

/*
 * io_uring/io_uring.h's SQE_VALID_FLAGS, private: every IOSQE_* bit. The
 * same seven on every supported kernel and on 7.2.
 */
#define RF_SQE_VALID_FLAGS	(IOSQE_FIXED_FILE | IOSQE_IO_DRAIN | IOSQE_IO_LINK | \
				 IOSQE_IO_HARDLINK | IOSQE_ASYNC | \
				 IOSQE_BUFFER_SELECT | IOSQE_CQE_SKIP_SUCCESS)

/*
 * io_uring's per-opcode table and its entry type, newest first: 6.6 split
 * 6.1's io_op_defs into io_issue_defs and io_cold_defs. The header that
 * declares them is not shipped, so BTF picks the one this kernel has.
 */
#define RF_OPDEF_CANDIDATES \
	{ "io_issue_defs", "io_issue_def" }, { "io_op_defs", "io_op_def" }
/*
 * Each table and a small function that refers to it near its start, read
 * (never called) where kallsyms has no data symbols (arm64 6.1):
 * io_uring_op_supported() tests io_issue_defs[op].prep (6.12), 6.1's
 * io_uring_get_opcode() returns io_op_defs[op].name.
 */
#define RF_OPDEF_REFERRERS \
	{ "io_issue_defs", "io_uring_op_supported" }, \
	{ "io_op_defs", "io_uring_get_opcode" }

/*
 * io_uring's file_operations, and a function that refers to it near its
 * start: io_is_uring_fops() compares a file's f_op with it (6.1 to 6.12).
 * Proved by the functions it points to, which only it points to both of.
 */
#define RF_FOPS_SYMBOL		"io_uring_fops"
#define RF_FOPS_REFERRER	"io_is_uring_fops"
#define RF_FOPS_RELEASE		"io_uring_release"
#define RF_FOPS_MMAP		"io_uring_mmap"
/* The entry types that carried a prep_async hook until 6.10 removed it. */
#define RF_PREP_ASYNC_TYPES	"io_op_def", "io_cold_def"

/*
 * kernel/futex/futex.h's FLAGS_SHARED, private: io_futex.futex_flags has it
 * for a futex that is not FUTEX2_PRIVATE (6.7+, MMU kernels).
 */
#define RF_FUTEX_FLAGS_SHARED	0x0010

/*
 * The upstream release whose behaviour the module reproduces (RINGFENCE_IOC_
 * VERSION reports it): where releases differ, the newest (docs/upstream.md).
 */
#define RF_UPSTREAM_RELEASE		0x0703	/* 7.3 */

/*
 * Linux 7.3's limits (the same as 7.2's). Task restrictions are validated
 * against these so that every input gets the answer 7.3 gives; opcodes the
 * running kernel does not know are rejected by the kernel itself when used.
 */
#define RF_UPSTREAM_IORING_OP_LAST		65
#define RF_UPSTREAM_IORING_REGISTER_LAST	38
#define RF_UPSTREAM_IORING_RESTRICTION_LAST	4
#define RF_UPSTREAM_MAX_RESTRICTIONS	(RF_UPSTREAM_IORING_RESTRICTION_LAST + \
					 RF_UPSTREAM_IORING_REGISTER_LAST + \
					 RF_UPSTREAM_IORING_OP_LAST)

#endif /* _RINGFENCE_COMPAT_IO_URING_H */
