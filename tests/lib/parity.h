/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp parity switched on from a test: no libseccomp, so 32-bit programs
 * (tests/compat32) have it too. scmp.h includes it for the filter builders.
 */
#ifndef RF_PARITY_H
#define RF_PARITY_H

/* RINGFENCE_IOC_ENABLE_SECCOMP_PARITY on the caller: 0 or -errno. */
int rf_enable_parity(void);
/* Whether the module offers seccomp parity in this run; skips the test if not. */
void rf_need_parity(void);

#endif /* RF_PARITY_H */
