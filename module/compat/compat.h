/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every kernel-version and architecture fact the module uses, one header a
 * family, driven by the build-time probes in Kbuild.include. Force-included
 * into every module object, but for two that only one object uses: ksym.h
 * (the instruction decoder, ksym.c's) and parity.h (entries of
 * parity_map.c's table). Nothing outside compat/ tests a kernel version.
 * Facts about private layouts are not knowable at build time: btf.c and
 * kernel.c establish them at load.
 */
#ifndef _RINGFENCE_COMPAT_H
#define _RINGFENCE_COMPAT_H

#include "alloc.h"
#include "ftrace.h"
#include "io_uring.h"
#include "syscall.h"
#include "tracepoint.h"

#endif /* _RINGFENCE_COMPAT_H */
