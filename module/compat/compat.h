/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel-version differences, driven by the probes in Kbuild.include.
 * Force-included into every module object.
 */
#ifndef _RINGFENCE_COMPAT_H
#define _RINGFENCE_COMPAT_H

#include <linux/ftrace.h>
#include <linux/ptrace.h>

/* Argument @n of the traced function, as seen at its fentry. */
#ifdef RF_HAVE_FTRACE_REGS_GET_ARGUMENT
#define rf_fregs_arg(fregs, n)	ftrace_regs_get_argument(fregs, n)
#else
#define rf_fregs_arg(fregs, n)	regs_get_kernel_argument(&(fregs)->regs, n)
#endif

/* Make the traced function's fentry return into @ip instead. */
#ifdef RF_HAVE_FTRACE_REGS_SET_IP
#define rf_fregs_set_ip(fregs, ip)	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define rf_fregs_set_ip(fregs, ip)	ftrace_instruction_pointer_set(fregs, ip)
#endif

/* The tracepoint that fires right after io_init_req(). */
#ifdef RF_HAVE_TP_SUBMIT_REQ
#define RF_TP_SUBMIT_NAME	"io_uring_submit_req"
#else
#define RF_TP_SUBMIT_NAME	"io_uring_submit_sqe"
#endif

/*
 * io_uring's per-opcode table and its entry type, newest first: 6.6 split
 * 6.1's io_op_defs into io_issue_defs and io_cold_defs. The header that
 * declares them is not shipped, so BTF picks the one this kernel has.
 */
#define RF_OPDEF_CANDIDATES \
	{ "io_issue_defs", "io_issue_def" }, { "io_op_defs", "io_op_def" }

#endif /* _RINGFENCE_COMPAT_H */
