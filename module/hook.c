// SPDX-License-Identifier: GPL-2.0
/*
 * Attaching to the kernel through exported routes only: ftrace by symbol
 * name and tracepoints found by walking the kernel's own tracepoint table.
 * Nothing here calls a non-exported kernel function, so nothing depends on
 * a sealed ENDBR on IBT kernels.
 *
 * The table is attached in order at load and, if any hook cannot be had,
 * detached again in reverse: the module loads whole or not at all. An
 * on-demand hook is found at load (so a kernel without it gets no module)
 * but attached only while a consumer holds it: the submit probe runs for
 * every request on the machine, and a machine with nothing to judge should
 * pay nothing. Attaching patches kernel text on every CPU, so the last
 * put detaches only after a second's grace: a stream of short-lived
 * sandboxed processes should not re-patch the kernel each time.
 */
#include <linux/ftrace.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <linux/workqueue.h>

#include "hook.h"

#define RF_HOOK_DETACH_DELAY	HZ
#define RF_FTRACE_BUSY_HINT \
	"; is another tool (livepatch?) modifying it, or is kernel.ftrace_enabled 0?"

static struct rf_hook *rf_table;
/* Serialises on-demand attach and detach. */
static DEFINE_MUTEX(rf_demand_lock);

static int rf_ftrace_attach(struct rf_hook *h)
{
	size_t len = strlen(h->target);
	unsigned char *name;
	int ret;

	h->ops.func = h->func;
	/*
	 * PERMANENT: kernel.ftrace_enabled=0 would otherwise turn the hooks
	 * into stubs and silently open the sandbox.
	 */
	h->ops.flags = FTRACE_OPS_FL_PERMANENT | h->ftrace_flags;

	/* ftrace_set_filter() takes a writable buffer. */
	name = kmemdup(h->target, len + 1, GFP_KERNEL);
	if (!name)
		return -ENOMEM;
	ret = ftrace_set_filter(&h->ops, name, len, 0);
	kfree(name);
	if (ret) {
		pr_err("cannot attach to %s(): not a traceable function in this kernel (%d)\n",
		       h->target, ret);
		return ret;
	}
	ret = register_ftrace_function(&h->ops);
	if (ret) {
		pr_err("cannot attach to %s(): ftrace refused (%d)%s\n",
		       h->target, ret, ret == -EBUSY ? RF_FTRACE_BUSY_HINT : "");
		ftrace_free_filter(&h->ops);
		return ret;
	}
	return 0;
}

static void rf_ftrace_detach(struct rf_hook *h)
{
	WARN_ON(unregister_ftrace_function(&h->ops));
	ftrace_free_filter(&h->ops);
}

/*
 * The redirect self-test. A kernel whose ftrace takes an IPMODIFY hook and
 * then ignores the new address (arm64 6.1's ftrace_instruction_pointer_set()
 * is an empty statement) would load a module whose every redirect, every
 * denial of a fork, a ring, a connect or a register call, silently does
 * nothing. So before anything attaches, one redirect is taken on a function
 * of the module's own, as every real hook takes it.
 */

/* What the hooked function answers unredirected: opaque to the compiler. */
static noinline __noclone int rf_redirect_probe(void)
{
	int redirected = 0;

	/* The call stays, and its answer cannot be folded. */
	asm volatile("" : "+r" (redirected));
	return redirected;
}

/* Same prototype as rf_redirect_probe(): where the redirect goes. */
static notrace int rf_redirect_probe_redirected(void)
{
	return 1;
}

static void notrace rf_redirect_probe_entry(unsigned long ip,
					    unsigned long parent_ip,
					    struct ftrace_ops *ops,
					    struct ftrace_regs *fregs)
{
	rf_fregs_set_ip(fregs, (unsigned long)rf_redirect_probe_redirected);
}

static struct ftrace_ops rf_redirect_probe_ops = {
	.func = rf_redirect_probe_entry,
	.flags = FTRACE_OPS_FL_PERMANENT | RF_FTRACE_IPMODIFY_FLAGS,
};

int rf_hooks_selftest(void)
{
	int ret, redirected;

	/* By address, not by name: no other module's function of that name. */
	ret = ftrace_set_filter_ip(&rf_redirect_probe_ops,
				   (unsigned long)rf_redirect_probe, 0, 1);
	if (!ret) {
		ret = register_ftrace_function(&rf_redirect_probe_ops);
		if (!ret) {
			redirected = rf_redirect_probe();
			WARN_ON(unregister_ftrace_function(&rf_redirect_probe_ops));
			if (redirected != 1)
				ret = -ENOEXEC;
		}
		ftrace_free_filter(&rf_redirect_probe_ops);
	}
	if (ret)
		pr_err("ftrace does not redirect a function on this kernel (self-test: %d), so no denial would take effect; refusing to load%s\n",
		       ret, ret == -EBUSY ? " (is kernel.ftrace_enabled 0?)" : "");
	return ret;
}

static void rf_tracepoint_match(struct tracepoint *tp, void *priv)
{
	struct rf_hook *h = priv;

	if (!strcmp(tp->name, h->target))
		h->tp = tp;
}

static int rf_tracepoint_find(struct rf_hook *h)
{
	h->tp = NULL;
	for_each_kernel_tracepoint(rf_tracepoint_match, h);
	if (!h->tp) {
		pr_err("tracepoint %s not found in this kernel\n", h->target);
		return -ENOENT;
	}
	return 0;
}

static int rf_hook_attach(struct rf_hook *h)
{
	int ret;

	if (h->kind == RF_HOOK_FTRACE) {
		ret = rf_ftrace_attach(h);
	} else {
		ret = tracepoint_probe_register(h->tp, h->func, NULL);
		if (ret)
			pr_err("cannot attach to tracepoint %s (%d)\n",
			       h->target, ret);
	}
	if (!ret)
		h->attached = true;
	return ret;
}

/* Tracepoint detaches are followed by tracepoint_synchronize_unregister(). */
static void rf_hook_detach(struct rf_hook *h)
{
	if (!h->attached)
		return;
	if (h->kind == RF_HOOK_FTRACE)
		rf_ftrace_detach(h);
	else
		WARN_ON(tracepoint_probe_unregister(h->tp, h->func, NULL));
	h->attached = false;
}

static void rf_hooks_detach_from(int last)
{
	int i;

	for (i = last; i >= 0; i--)
		if (!rf_table[i].on_demand)
			rf_hook_detach(&rf_table[i]);
	tracepoint_synchronize_unregister();
}

int rf_hooks_attach(struct rf_hook *table)
{
	struct rf_hook *h;
	int i, ret = 0;

	rf_table = table;
	for (i = 0; i < RF_HOOK_NR; i++) {
		h = &table[i];
		if (h->unused)
			continue;
		if (h->kind == RF_HOOK_TRACEPOINT)
			ret = rf_tracepoint_find(h);
		if (!ret && !h->on_demand)
			ret = rf_hook_attach(h);
		if (ret) {
			rf_hooks_detach_from(i - 1);
			return ret;
		}
	}
	return 0;
}

void rf_hooks_detach(void)
{
	rf_hooks_detach_from(RF_HOOK_NR - 1);
}

static void rf_demand_detach_work(struct work_struct *work)
{
	bool detached = false;
	int i;

	mutex_lock(&rf_demand_lock);
	for (i = 0; i < RF_HOOK_NR; i++) {
		struct rf_hook *h = &rf_table[i];

		if (h->on_demand && h->attached && !atomic_read(&h->users)) {
			rf_hook_detach(h);
			detached = true;
		}
	}
	if (detached)
		tracepoint_synchronize_unregister();
	mutex_unlock(&rf_demand_lock);
}

static DECLARE_DELAYED_WORK(rf_demand_detach, rf_demand_detach_work);

int rf_hook_get(enum rf_hook_id id)
{
	struct rf_hook *h = &rf_table[id];
	int ret = 0;

	mutex_lock(&rf_demand_lock);
	if (!h->attached)
		ret = rf_hook_attach(h);
	if (!ret)
		atomic_inc(&h->users);
	mutex_unlock(&rf_demand_lock);
	return ret;
}

void rf_hook_put(enum rf_hook_id id)
{
	if (atomic_dec_and_test(&rf_table[id].users))
		schedule_delayed_work(&rf_demand_detach, RF_HOOK_DETACH_DELAY);
}

void rf_hooks_exit(void)
{
	int i;

	cancel_delayed_work_sync(&rf_demand_detach);
	for (i = RF_HOOK_NR - 1; i >= 0; i--)
		if (rf_table[i].on_demand)
			rf_hook_detach(&rf_table[i]);
	tracepoint_synchronize_unregister();
}
