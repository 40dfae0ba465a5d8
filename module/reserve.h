/* SPDX-License-Identifier: GPL-2.0 */
/* Pools of entries for allocation where nothing may sleep (reserve.c). */
#ifndef _RINGFENCE_RESERVE_H
#define _RINGFENCE_RESERVE_H

#include <linux/llist.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#define RF_RESERVE_MAX	64

struct rf_reserve {
	raw_spinlock_t lock;
	unsigned int count, target;
	size_t size;
	void *slot[RF_RESERVE_MAX];
	struct llist_head spill;	/* given back past target, to free */
	struct work_struct refill;
};

/* Fills the pool with entries of @size bytes (reserve= of them); process context. */
int rf_reserve_init(struct rf_reserve *r, size_t size);
/* A zeroed entry, or NULL; any context, sleeps never. */
void *rf_reserve_take(struct rf_reserve *r);
/* An entry taken and not published; any context. */
void rf_reserve_give(struct rf_reserve *r, void *obj);
void rf_reserve_exit(struct rf_reserve *r);

#endif /* _RINGFENCE_RESERVE_H */
