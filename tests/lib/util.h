/* SPDX-License-Identifier: GPL-2.0 */
/* Observing side effects: files, descriptors; the time. */
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
/* CLOCK_MONOTONIC in milliseconds. */
uint64_t rf_now_ms(void);

#endif /* RF_UTIL_H */
