/* SPDX-License-Identifier: GPL-2.0 */
/* Observing side effects: files, descriptors, the kernel log; the time; the device. */
#ifndef RF_UTIL_H
#define RF_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Number of open descriptors of this process, or -errno. */
int rf_count_fds(void);
/* A path under /tmp unique to this process and @tag. */
const char *rf_tmp_path(char *buf, size_t len, const char *tag);
bool rf_path_exists(const char *path);
/* How often @text occurs in the string @buf. */
int rf_count_in(const char *buf, const char *text);
/* How often @text is in the kernel log buffer, or -1. */
int rf_klog_count(const char *text);
/* ioctl(@cmd, @arg) on a new /dev/ringfence descriptor: its result, or -errno. */
int rf_dev_ioctl(unsigned long cmd, void *arg);
/* CLOCK_MONOTONIC in milliseconds. */
uint64_t rf_now_ms(void);

#endif /* RF_UTIL_H */
