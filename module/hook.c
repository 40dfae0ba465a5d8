// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to the kernel through exported routes only: ftrace by symbol
 * name and tracepoints found by walking the kernel's own tracepoint table.
 * Nothing here calls a non-exported kernel function, so nothing depends on
 * a sealed ENDBR on IBT kernels.
 */
#include <linux/ftrace.h>
#include <linux/tracepoint.h>
#include <linux/string.h>
#include <linux/slab.h>

#include "ringfence.h"

int rf_ftrace_hook_register(struct rf_ftrace_hook *hook)
{
	size_t len = strlen(hook->symbol);
	unsigned char *name;
	int ret;

	hook->ops.func = hook->func;
	/*
	 * PERMANENT: kernel.ftrace_enabled=0 would otherwise turn the hooks
	 * into stubs and silently open the sandbox.
	 */
	hook->ops.flags = FTRACE_OPS_FL_PERMANENT | hook->flags;
#ifndef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
	if (hook->flags & FTRACE_OPS_FL_IPMODIFY)
		hook->ops.flags |= FTRACE_OPS_FL_SAVE_REGS;
#endif

	/* ftrace_set_filter() takes a writable buffer. */
	name = kmemdup(hook->symbol, len + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = ftrace_set_filter(&hook->ops, name, len, 0);
	kfree(name);
	if (ret) {
		pr_err("cannot attach to %s(): not a traceable function in this kernel (%d)\n",
		       hook->symbol, ret);
		return ret;
	}

	ret = register_ftrace_function(&hook->ops);
	if (ret) {
		pr_err("cannot attach to %s(): ftrace refused (%d)%s\n",
		       hook->symbol, ret,
		       ret == -EBUSY ? "; is another tool (livepatch?) modifying it, or is kernel.ftrace_enabled 0?" : "");
		ftrace_free_filter(&hook->ops);
		return ret;
	}
	hook->registered = true;
	return 0;
}

void rf_ftrace_hook_unregister(struct rf_ftrace_hook *hook)
{
	if (!hook->registered)
		return;
	WARN_ON(unregister_ftrace_function(&hook->ops));
	ftrace_free_filter(&hook->ops);
	hook->registered = false;
}

static void rf_tracepoint_match(struct tracepoint *tp, void *priv)
{
	struct rf_tracepoint_hook *hook = priv;

	if (!strcmp(tp->name, hook->name))
		hook->tp = tp;
}

/* Finds the tracepoint; without it the module does not load. */
int rf_tracepoint_hook_find(struct rf_tracepoint_hook *hook)
{
	hook->tp = NULL;
	for_each_kernel_tracepoint(rf_tracepoint_match, hook);
	if (!hook->tp) {
		pr_err("tracepoint %s not found in this kernel\n", hook->name);
		return -ENOENT;
	}
	return 0;
}

int rf_tracepoint_hook_attach(struct rf_tracepoint_hook *hook)
{
	int ret;

	ret = tracepoint_probe_register(hook->tp, hook->probe, NULL);
	if (ret)
		pr_err("cannot attach to tracepoint %s (%d)\n", hook->name, ret);
	else
		hook->attached = true;
	return ret;
}

/* Callers run tracepoint_synchronize_unregister() once after a batch. */
void rf_tracepoint_hook_detach(struct rf_tracepoint_hook *hook)
{
	if (!hook->attached)
		return;
	WARN_ON(tracepoint_probe_unregister(hook->tp, hook->probe, NULL));
	hook->attached = false;
}

int rf_tracepoint_hook_register(struct rf_tracepoint_hook *hook)
{
	int ret;

	ret = rf_tracepoint_hook_find(hook);
	return ret ? ret : rf_tracepoint_hook_attach(hook);
}
