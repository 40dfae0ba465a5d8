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
 *
 * Where kallsyms has no data symbols (no KALLSYMS_ALL), an object is found
 * through a function that refers to it instead: the function by name, its
 * first instructions decoded (compat/ksym.h), and every address they form
 * only a candidate until the caller's verifier names what it points to.
 */
#include <linux/align.h>
#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/string.h>

#include "ringfence.h"
#include "compat/ksym.h"

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

/*
 * A kernel function's address by name, to read its code. The probe is
 * registered disabled: it never arms, so the function's text is not
 * touched; a probe refused (an ftrace site, a blacklisted function) still
 * keeps the address it resolved.
 */
static unsigned long rf_ksym_text(const char *name)
{
	struct kprobe kp = { .symbol_name = name, .flags = KPROBE_FLAG_DISABLED };
	unsigned long addr;

	if (!register_kprobe(&kp))
		unregister_kprobe(&kp);
	addr = (unsigned long)kp.addr;
	return addr && rf_ksym_names(addr, name) ? addr : 0;
}

unsigned long rf_ksym_data_via(const char *name, const char *referrer,
			       bool (*is_it)(unsigned long addr, const void *arg),
			       const void *arg)
{
	unsigned long refs[RF_KSYM_MAX_REFS], text, found = 0;
	int i, n;

	found = rf_ksym_data(name);
	if (found || !referrer)
		return found;
	text = rf_ksym_text(referrer);
	if (!text)
		return 0;
	n = rf_arch_text_data_refs(text, refs, ARRAY_SIZE(refs));
	for (i = 0; i < n; i++) {
		/* Both objects hold pointers: anything else is a stray pair. */
		if (!IS_ALIGNED(refs[i], sizeof(long)) || !is_it(refs[i], arg))
			continue;
		/* Two objects that both pass: neither is proved. */
		if (found)
			return 0;
		found = refs[i];
	}
	return found;
}
