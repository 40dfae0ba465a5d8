// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

static int do_query(struct ringfence_info *info)
{
	struct ringfence_version ver;
	int module_usable = 0, module_filters = 0;
	int module_hooks_call = 0;
	int fd, answers, filters;

	memset(info, 0, sizeof(*info));

	fd = rf_dev_open(&ver);
	if (fd >= 0) {
		close(fd);
		info->module_loaded = 1;
		info->abi_version = ver.abi_version;
		info->features = ver.features;
		info->upstream = ver.upstream;
		memcpy(info->module_version, ver.module_version,
		       sizeof(info->module_version));
		module_usable = rf_dev_usable(&ver);
		module_filters = rf_dev_has(&ver, RINGFENCE_FEAT_BPF_FILTER);
		module_hooks_call = ver.abi_version == RINGFENCE_ABI_VERSION &&
			(ver.features & RINGFENCE_FEAT_UPSTREAM_REGISTER);
	} else {
		info->module_error = fd;
	}

	answers = rf_probe_task_register(&info->task_restricted);
	if (answers < 0)
		return answers;
	info->syscall_supported = answers;
	/*
	 * A module that hooks the system call answers exactly like 7.x, so
	 * the answer proves native support only when no such module is there.
	 */
	info->native = answers && !module_hooks_call &&
		!(info->module_loaded && ver.abi_version != RINGFENCE_ABI_VERSION);
	info->available = answers || module_usable;

	filters = rf_probe_filter_register(-1);
	if (filters < 0)
		return filters;
	info->filter_syscall_supported = filters;
	info->filter_available = filters || module_filters;
	return 0;
}

RINGFENCE_PUBLIC
int ringfence_query(struct ringfence_info *info)
{
	int saved_errno = errno;
	int ret;

	if (!info)
		return -EFAULT;
	ret = do_query(info);
	errno = saved_errno;
	return ret;
}
