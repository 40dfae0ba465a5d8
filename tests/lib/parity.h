/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp parity switched on from a test: no libseccomp, so 32-bit programs
 * (tests/compat32) have it too. scmp.h includes it for the filter builders;
 * the parity benchmark includes it for rf_enable_parity() alone.
 */
#ifndef RF_PARITY_H
#define RF_PARITY_H

#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/ringfence.h>

/* RINGFENCE_IOC_ENABLE_SECCOMP_PARITY on the caller: 0 or -errno. */
static inline int rf_enable_parity(void)
{
	int fd = open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, RINGFENCE_IOC_ENABLE_SECCOMP_PARITY) ? -errno : 0;
	close(fd);
	return ret;
}

/* Whether the module offers seccomp parity in this run; skips the test if not. */
void rf_need_parity(void);

#endif /* RF_PARITY_H */
