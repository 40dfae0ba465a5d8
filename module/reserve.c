// SPDX-License-Identifier: GPL-2.0
/*
 * Entries for the hooks that must allocate where nothing may sleep: a
 * restricted task's fork (copy_process() entry) and its ring's setup
 * (io_sq_offload_create() entry) run in ftrace callbacks with preemption
 * off. On PREEMPT_RT the slab allocator takes sleeping locks, so no
 * allocation at all is allowed there; elsewhere GFP_ATOMIC is, but dips
 * into the atomic reserves. So each kind of entry has a small pool,
 * filled in process context by a work item and taken from under a raw
 * spinlock. An empty pool falls back to GFP_ATOMIC where that is allowed
 * (compat/alloc.h), and otherwise fails the fork or the setup with -ENOMEM:
 * never does a restricted task get an unrestricted child or ring.
 */
#include <linux/llist.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "ringfence.h"
#include "reserve.h"

/*
 * How many entries each pool keeps. Fixed at load; 0 empties the pools, so
 * the tests can reach what an exhausted pool does (ENOMEM on PREEMPT_RT,
 * GFP_ATOMIC elsewhere) without a storm.
 */
static unsigned int rf_reserve_entries = RF_RESERVE_MAX;
static_assert(RF_RESERVE_MAX == 64);	/* as the description says */
module_param_named(reserve, rf_reserve_entries, uint, 0444);
MODULE_PARM_DESC(reserve, "entries kept per pool for forks and ring setups (0..64)");

/* Puts @obj in the pool; returns it if the pool is full. */
static void *notrace rf_reserve_stash(struct rf_reserve *r, void *obj)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&r->lock, flags);
	if (r->count < r->target) {
		r->slot[r->count++] = obj;
		obj = NULL;
	}
	raw_spin_unlock_irqrestore(&r->lock, flags);
	return obj;
}

static void rf_reserve_refill(struct work_struct *work)
{
	struct rf_reserve *r = container_of(work, struct rf_reserve, refill);
	struct llist_node *node, *next;
	unsigned long flags;
	void *obj;

	/* Entries given back while the pool was full. */
	llist_for_each_safe(node, next, llist_del_all(&r->spill))
		kfree(node);
	for (;;) {
		raw_spin_lock_irqsave(&r->lock, flags);
		if (r->count >= r->target) {
			raw_spin_unlock_irqrestore(&r->lock, flags);
			return;
		}
		raw_spin_unlock_irqrestore(&r->lock, flags);
		obj = kmalloc(r->size, GFP_KERNEL);
		if (!obj)
			return;
		kfree(rf_reserve_stash(r, obj));
	}
}

int rf_reserve_init(struct rf_reserve *r, size_t size)
{
	unsigned int target = rf_reserve_entries;

	if (target > RF_RESERVE_MAX) {
		pr_err("reserve=%u: at most %u\n", target, RF_RESERVE_MAX);
		return -EINVAL;
	}
	if (WARN_ON_ONCE(size < sizeof(struct llist_node)))
		return -EINVAL;
	raw_spin_lock_init(&r->lock);
	init_llist_head(&r->spill);
	INIT_WORK(&r->refill, rf_reserve_refill);
	r->size = size;
	r->target = target;
	r->count = 0;
	rf_reserve_refill(&r->refill);
	if (r->count < target) {
		pr_err("no memory for the reserve\n");
		return -ENOMEM;
	}
	return 0;
}

void *notrace rf_reserve_take(struct rf_reserve *r)
{
	unsigned long flags;
	void *obj = NULL;
	bool low;

	raw_spin_lock_irqsave(&r->lock, flags);
	if (r->count)
		obj = r->slot[--r->count];
	low = r->count < r->target;
	raw_spin_unlock_irqrestore(&r->lock, flags);
	if (low)
		queue_work(system_unbound_wq, &r->refill);
	if (!obj && RF_ATOMIC_ALLOC_ALLOWED)
		obj = kmalloc(r->size, GFP_ATOMIC | __GFP_NOWARN);
	if (obj)
		memset(obj, 0, r->size);
	return obj;
}

void notrace rf_reserve_give(struct rf_reserve *r, void *obj)
{
	if (!obj)
		return;
	obj = rf_reserve_stash(r, obj);
	/* No freeing here either: the work item does it. */
	if (obj) {
		llist_add(obj, &r->spill);
		queue_work(system_unbound_wq, &r->refill);
	}
}

void rf_reserve_exit(struct rf_reserve *r)
{
	struct llist_node *node, *next;

	cancel_work_sync(&r->refill);
	llist_for_each_safe(node, next, llist_del_all(&r->spill))
		kfree(node);
	while (r->count)
		kfree(r->slot[--r->count]);
}
