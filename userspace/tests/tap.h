/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Minimal TAP producer: plan at the end, exit status 1 on any failure. */
#ifndef RINGFENCE_TAP_H
#define RINGFENCE_TAP_H

#include <stdio.h>

static int tap_count, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

__attribute__((format(printf, 4, 5)))
static void tap_ok(int pass, const char *file, int line, const char *fmt, ...);

#include <stdarg.h>
static void tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	printf("%sok %d - ", pass ? "" : "not ", ++tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass) {
		printf("#   failed at %s:%d\n", file, line);
		tap_failed++;
	}
}

static int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* RINGFENCE_TAP_H */
