/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Whether a hook that runs with preemption off may allocate at all: on
 * PREEMPT_RT the slab allocator takes sleeping locks, so it may not, even
 * with GFP_ATOMIC (reserve.c).
 */
#ifndef _RINGFENCE_COMPAT_ALLOC_H
#define _RINGFENCE_COMPAT_ALLOC_H

#include <linux/kconfig.h>

#define RF_ATOMIC_ALLOC_ALLOWED	(!IS_ENABLED(CONFIG_PREEMPT_RT))

#endif /* _RINGFENCE_COMPAT_ALLOC_H */
