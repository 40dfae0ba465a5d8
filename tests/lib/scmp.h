/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp filters for the parity tests, built with Debian's libseccomp as
 * systemd and container runtimes build theirs. Each installs on the calling
 * thread (and is inherited by what it starts) and aborts the test if it
 * cannot; filters only add up, so each test installs its own in its child.
 */
#ifndef RF_SCMP_H
#define RF_SCMP_H

#include <seccomp.h>
#include <stdbool.h>
#include <stdint.h>

#include "parity.h"

/* A filter that allows everything but what the caller adds; then load it. */
scmp_filter_ctx rf_scmp_new(void);
void rf_scmp_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
		  unsigned int nr_args, const struct scmp_arg_cmp *args);
void rf_scmp_load(scmp_filter_ctx ctx);

/* RestrictAddressFamilies=AF_UNIX, as systemd writes it: socket() of any
 * other family fails with EAFNOSUPPORT. */
void rf_scmp_unix_sockets_only(void);
/* openat() with O_CREAT fails with @err. */
void rf_scmp_deny_openat_creat(int err);
/* Every call of @nr gets @action. */
void rf_scmp_all(int nr, uint32_t action);

#endif /* RF_SCMP_H */
