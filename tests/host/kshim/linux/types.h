/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: the kernel's short integer types on top of the uapi ones. */
#ifndef RF_KSHIM_TYPES_H
#define RF_KSHIM_TYPES_H
#include_next <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
#define fallthrough __attribute__((__fallthrough__))
#endif
