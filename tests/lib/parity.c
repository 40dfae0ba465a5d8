// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "parity.h"
#include "rftest.h"
#include <linux/ringfence.h>

int rf_enable_parity(void)
{
	int fd = open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC), ret;

	if (fd < 0)
		return -errno;
	ret = ioctl(fd, RINGFENCE_IOC_ENABLE_SECCOMP_PARITY) ? -errno : 0;
	close(fd);
	return ret;
}

void rf_need_parity(void)
{
	if (!rf_expect_module())
		SKIP("seccomp parity is the module's; this run has none");
}
