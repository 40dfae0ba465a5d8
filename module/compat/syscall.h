/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The system call entries the register redirect hooks, per architecture:
 * their symbols, and where the user's arguments are in the pt_regs their
 * only argument points to. RF_SYSCALL_REGISTER_COMPAT_SYMBOL is 32-bit
 * callers' own entry, NULL where they have none (they reach the native
 * one, or the kernel has no 32-bit system calls).
 */
#ifndef _RINGFENCE_COMPAT_SYSCALL_H
#define _RINGFENCE_COMPAT_SYSCALL_H

#include <linux/audit.h>
#include <linux/ptrace.h>

#if defined(CONFIG_X86_64)
/* 64-bit (and x32) callers; 32-bit ones reach __ia32_sys_io_uring_register. */
#define RF_SYSCALL_REGISTER_SYMBOL	"__x64_sys_io_uring_register"
/* seccomp_data.arch of a native system call. */
#define RF_AUDIT_ARCH_NATIVE		AUDIT_ARCH_X86_64
/* The x86_64 system call convention: rdi, rsi, rdx, r10. */
static inline unsigned long rf_syscall_arg(const struct pt_regs *regs,
					   unsigned int n)
{
	switch (n) {
	case 0:
		return regs->di;
	case 1:
		return regs->si;
	case 2:
		return regs->dx;
	default:
		return regs->r10;
	}
}

#ifdef CONFIG_IA32_EMULATION
#define RF_SYSCALL_REGISTER_COMPAT_SYMBOL	"__ia32_sys_io_uring_register"
/*
 * The i386 convention, ebx, ecx, edx, esi, each zero-extended as the
 * wrapper does (SC_IA32_REGS_TO_ARGS): a 32-bit pointer stays below 4 GiB.
 */
static inline unsigned long rf_syscall_compat_arg(const struct pt_regs *regs,
						  unsigned int n)
{
	switch (n) {
	case 0:
		return (u32)regs->bx;
	case 1:
		return (u32)regs->cx;
	case 2:
		return (u32)regs->dx;
	default:
		return (u32)regs->si;
	}
}
#else
#define RF_SYSCALL_REGISTER_COMPAT_SYMBOL	NULL
#define rf_syscall_compat_arg(regs, n)		rf_syscall_arg(regs, n)
#endif
#elif defined(CONFIG_ARM64)
/*
 * The one wrapper for every caller: AArch32 tasks reach it too, through
 * compat_sys_call_table (there is no compat_sys_io_uring_register).
 */
#define RF_SYSCALL_REGISTER_SYMBOL	"__arm64_sys_io_uring_register"
/* seccomp_data.arch of a native (AArch64) system call. */
#define RF_AUDIT_ARCH_NATIVE		AUDIT_ARCH_AARCH64
/*
 * What the wrapper itself reads, x0-x3 of the caller (SC_ARM64_REGS_TO_ARGS),
 * so the call the module takes over sees the arguments the kernel's would.
 */
static inline unsigned long rf_syscall_arg(const struct pt_regs *regs,
					   unsigned int n)
{
	return regs->regs[n];
}

#define RF_SYSCALL_REGISTER_COMPAT_SYMBOL	NULL
#define rf_syscall_compat_arg(regs, n)		rf_syscall_arg(regs, n)
#else
#error "ringfence supports x86_64 and arm64 only"
#endif

#endif /* _RINGFENCE_COMPAT_SYSCALL_H */
