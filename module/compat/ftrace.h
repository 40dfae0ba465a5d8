/* SPDX-License-Identifier: GPL-2.0 */
/* ftrace callback helpers: 6.6 renamed them and 6.12 made ftrace_regs opaque. */
#ifndef _RINGFENCE_COMPAT_FTRACE_H
#define _RINGFENCE_COMPAT_FTRACE_H

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

#endif /* _RINGFENCE_COMPAT_FTRACE_H */
