/* SPDX-License-Identifier: GPL-2.0 */
/* Host shim: the test collects what the parser would log. */
#ifndef RF_KSHIM_PRINTK_H
#define RF_KSHIM_PRINTK_H
__attribute__((format(printf, 1, 2))) void rf_kshim_log(const char *fmt, ...);
#define pr_err(...) rf_kshim_log(__VA_ARGS__)
#endif
