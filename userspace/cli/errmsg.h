/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CLI's parsers report a failure as text in the caller's buffer. */
#ifndef RINGFENCE_CLI_ERRMSG_H
#define RINGFENCE_CLI_ERRMSG_H

#include <stddef.h>

/* Formats the message into @err (@errlen bytes) and returns -1. */
int errmsg(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
