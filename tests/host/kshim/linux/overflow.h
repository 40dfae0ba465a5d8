/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RF_KSHIM_OVERFLOW_H
#define RF_KSHIM_OVERFLOW_H
#define check_mul_overflow(a, b, d) __builtin_mul_overflow(a, b, d)
#endif
