// SPDX-License-Identifier: LGPL-2.1-or-later
/* The kernel-facing primitives shared by registration and query. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

int rf_sys_register(int fd, unsigned int opcode, void *arg, unsigned int nr)
{
	long ret = syscall(SYS_io_uring_register, fd, opcode, arg, nr);

	return ret < 0 ? -errno : (int)ret;
}

int rf_probe_task_register(int *restricted)
{
	/*
	 * A task registration whose argument cannot be read: Linux 7.x (and
	 * the module's hook) checks for an existing set (-EPERM) and for
	 * no_new_privs/CAP_SYS_ADMIN (-EACCES) before it reads, and then
	 * fails the read (-EFAULT), so nothing can change. Kernels without
	 * the feature answer -EBADF (no blind registration at all, <= 6.12),
	 * -EINVAL (6.13+ blind registration without this opcode) or -ENOSYS.
	 * A PROT_NONE page, rather than NULL, because a program may map page 0.
	 */
	long page = sysconf(_SC_PAGESIZE);
	void *unreadable = mmap(NULL, (size_t)page, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	*restricted = 0;
	if (unreadable == MAP_FAILED)
		return -ENOMEM;
	ret = rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS,
			      unreadable, 1);
	munmap(unreadable, (size_t)page);

	switch (ret) {
	case -EPERM:
		*restricted = 1;
		return 1;
	case -EACCES:
	case -EFAULT:
		return 1;
	default:
		return 0;
	}
}

int rf_dev_open(struct ringfence_version *ver)
{
	int fd = open(RINGFENCE_DEVICE_PATH, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			return -ENOENT;
		return -errno;
	}
	memset(ver, 0, sizeof(*ver));
	if (ioctl(fd, RINGFENCE_IOC_VERSION, ver) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	ver->module_version[sizeof(ver->module_version) - 1] = '\0';
	return fd;
}

int rf_dev_usable(const struct ringfence_version *ver)
{
	return ver->abi_version == RINGFENCE_ABI_VERSION &&
	       (ver->features & RINGFENCE_FEAT_TASK_RESTRICTIONS);
}
