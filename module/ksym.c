// SPDX-License-Identifier: GPL-2.0
/*
 * Finding a kernel data object by its symbol name, for the few the module
 * must recognise by address (io_uring's file_operations) or read (its
 * opcode table). Nothing here is ever called through the address found.
 *
 * kallsyms_lookup_name() is not exported. register_kprobe() resolves a name
 * with it before it checks that the address is code, and keeps the address
 * in the probe when it then refuses a data symbol (kernel/kprobes.c, 6.1 to
 * 7.x). That address is only a candidate: it counts once the exported
 * sprint_symbol() names it as exactly the symbol asked for, at offset 0,
 * in the kernel image itself (no "[module]" suffix). A kernel where this
 * route does not work leaves the module unloaded, never half-working.
 */
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "ringfence.h"

bool rf_ksym_names(unsigned long addr, const char *name)
{
	char buf[KSYM_SYMBOL_LEN];
	size_t len = strlen(name);

	sprint_symbol(buf, addr);
	/* "name+0x0/0xsize", and nothing after the size: no module name. */
	return !strncmp(buf, name, len) && !strncmp(buf + len, "+0x0/", 5) &&
	       !strchr(buf + len, ' ');
}

unsigned long rf_ksym_data(const char *name)
{
	struct kprobe kp = { .symbol_name = name };
	unsigned long addr;

	if (!register_kprobe(&kp)) {
		/* A probe that took is on code, not on the object asked for. */
		unregister_kprobe(&kp);
		return 0;
	}
	addr = (unsigned long)kp.addr;
	return addr && rf_ksym_names(addr, name) ? addr : 0;
}
