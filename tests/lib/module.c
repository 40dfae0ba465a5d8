// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "module.h"

bool rf_module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" RF_MODULE_NAME, &st) == 0;
}

int rf_module_unload(void)
{
	return syscall(SYS_delete_module, RF_MODULE_NAME, O_NONBLOCK) ? -errno : 0;
}

int rf_module_unload_retry(void)
{
	struct timespec pause = { 0, 50 * 1000 * 1000 };
	time_t end = time(NULL) + RF_UNLOAD_RETRY_SECONDS;
	int ret;

	do {
		ret = rf_module_unload();
		if (ret != -EWOULDBLOCK)
			return ret;
		nanosleep(&pause, NULL);
	} while (time(NULL) < end);
	return ret;
}

int rf_module_load(const char *params)
{
	const char *path = getenv("RINGFENCE_MODULE_PATH");
	int fd, ret;

	if (!path)
		return -ENOENT;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params, 0) ? -errno : 0;
	close(fd);
	return ret;
}
