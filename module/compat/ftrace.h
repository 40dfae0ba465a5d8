/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ftrace callback helpers. How a callback reads the traced function's
 * arguments and makes it return elsewhere depends on which ftrace the
 * kernel was built with, so the choice is made by its configuration, never
 * by what a header happens to define: linux/ftrace.h defines the setter as
 * an empty statement on every kernel without DYNAMIC_FTRACE_WITH_ARGS
 * (6.1's ftrace_instruction_pointer_set(), 6.6+'s
 * ftrace_regs_set_instruction_pointer()), and a redirect through it
 * compiles, loads and never happens. hook.c also proves at load, on a
 * function of its own, that a redirect really happens.
 */
#ifndef _RINGFENCE_COMPAT_FTRACE_H
#define _RINGFENCE_COMPAT_FTRACE_H

#include <linux/ftrace.h>
#include <linux/ptrace.h>

#if defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS)
/*
 * x86_64 6.1 and 6.12, arm64 6.12: the architecture defines the setter.
 * 6.6 renamed it and added the argument getter; 6.12 made ftrace_regs
 * opaque, while 6.1's is a bare pt_regs.
 */
#ifdef RF_HAVE_FTRACE_REGS_SET_IP
#define rf_fregs_set_ip(fregs, ip)	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define rf_fregs_set_ip(fregs, ip)	ftrace_instruction_pointer_set(fregs, ip)
#endif
#ifdef RF_HAVE_FTRACE_REGS_GET_ARGUMENT
#define rf_fregs_arg(fregs, n)		ftrace_regs_get_argument(fregs, n)
#else
#define rf_fregs_arg(fregs, n)		regs_get_kernel_argument(&(fregs)->regs, n)
#endif
/* The callsite's own registers suffice: SAVE_REGS is not needed. */
#define RF_FTRACE_IPMODIFY_FLAGS	FTRACE_OPS_FL_IPMODIFY

#elif defined(CONFIG_DYNAMIC_FTRACE_WITH_REGS)
/*
 * arm64 6.1: WITH_REGS only. ftrace_regs is a pt_regs, both trampolines
 * save x0-x8 and the pc in it, and both return through its pc: setting the
 * pc is the redirect. Asking for a redirect needs SAVE_REGS here (ftrace
 * refuses IPMODIFY without it on such kernels).
 */
#define rf_fregs_set_ip(fregs, ip)	instruction_pointer_set(&(fregs)->regs, ip)
#define rf_fregs_arg(fregs, n)		regs_get_kernel_argument(&(fregs)->regs, n)
#define RF_FTRACE_IPMODIFY_FLAGS	(FTRACE_OPS_FL_IPMODIFY | FTRACE_OPS_FL_SAVE_REGS)

#else
#error "ringfence redirects through ftrace: it needs DYNAMIC_FTRACE_WITH_ARGS or _WITH_REGS"
#endif

#endif /* _RINGFENCE_COMPAT_FTRACE_H */
