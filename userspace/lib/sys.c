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

/*
 * io_uring_register(fd, opcode, arg, 1) with an argument that cannot be
 * read, so that nothing can change: returns the kernel's answer. A
 * PROT_NONE page, rather than NULL, because a program may map page 0.
 */
static int register_unreadable(int fd, unsigned int opcode)
{
	long page = sysconf(_SC_PAGESIZE);
	void *unreadable = mmap(NULL, (size_t)page, PROT_NONE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int ret;

	if (unreadable == MAP_FAILED)
		return -ENOMEM;
	ret = rf_sys_register(fd, opcode, unreadable, 1);
	munmap(unreadable, (size_t)page);
	return ret;
}

int rf_probe_task_register(int *restricted)
{
	/*
	 * Linux 7.x (and the module's hook) checks for an existing set
	 * (-EPERM) and for no_new_privs/CAP_SYS_ADMIN (-EACCES) before it
	 * reads, and then fails the read (-EFAULT). Kernels without the
	 * feature answer -EBADF (no blind registration at all, <= 6.12),
	 * -EINVAL (6.13+ blind registration without this opcode) or -ENOSYS.
	 */
	int ret = register_unreadable(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS);

	*restricted = 0;
	switch (ret) {
	case -ENOMEM:
		return ret;
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

int rf_probe_filter_register(int fd)
{
	/*
	 * Linux 7.x checks no_new_privs/CAP_SYS_ADMIN (-EACCES, task only)
	 * or the ring's register restrictions (-EACCES), then fails the read
	 * (-EFAULT) before it allocates anything it keeps. A kernel without
	 * the opcode answers -EINVAL (it is past IORING_REGISTER_LAST), older
	 * ones for fd -1 also -EBADF.
	 */
	int ret = register_unreadable(fd, RINGFENCE_IORING_REGISTER_BPF_FILTER);

	if (ret == -ENOMEM)
		return ret;
	return ret == -EACCES || ret == -EFAULT;
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
	return rf_dev_has(ver, RINGFENCE_FEAT_TASK_RESTRICTIONS);
}

int rf_dev_has(const struct ringfence_version *ver, uint64_t feature)
{
	return ver->abi_version == RINGFENCE_ABI_VERSION &&
	       (ver->features & feature) == feature;
}

int rf_dev_call(unsigned long request, void *arg, uint64_t feature)
{
	struct ringfence_version ver;
	int fd = rf_dev_open(&ver);
	int ret = 0;

	if (fd == -ENOENT)
		return -ENOSYS;
	if (fd < 0)
		return fd;
	if (!rf_dev_has(&ver, feature))
		ret = -ENOSYS;
	else {
		ret = ioctl(fd, request, arg);
		if (ret < 0)
			ret = -errno;
	}
	close(fd);
	return ret;
}
