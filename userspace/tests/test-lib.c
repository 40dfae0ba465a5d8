// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library against the running kernel. On a machine without the feature
 * it checks the -ENOSYS path; where the feature exists (natively or through
 * the module) it also registers, in forked children.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include "internal.h"
#include "ringfence.h"
#include "tap.h"

static const struct io_uring_restriction allow_nop[] = {
	{ .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP },
};

static void skip(const char *what, const char *why)
{
	printf("ok %d - %s # SKIP %s\n", ++tap_count, what, why);
}

static void test_argument_checks(void)
{
	int ret;

	errno = 4242;
	ret = ringfence_register_task_restrictions(NULL, 1);
	ok(ret == -EFAULT, "NULL entries with nr 1 is -EFAULT (got %d)", ret);
	ok(errno == 4242, "errno untouched");
	ret = ringfence_register_task_restrictions(allow_nop, 65536);
	ok(ret == -EINVAL, "nr beyond nr_res's 16 bits is -EINVAL (got %d)", ret);
	ok(ringfence_query(NULL) == -EFAULT, "query(NULL) is -EFAULT");
}

static void test_query(struct ringfence_info *info)
{
	int ret;

	errno = 4242;
	ret = ringfence_query(info);
	ok(ret == 0, "query succeeds (got %d)", ret);
	ok(errno == 4242, "query leaves errno untouched");
	ok(!info->native || info->syscall_supported,
	   "native support implies the system call answers");
	ok(info->module_loaded || info->module_error < 0,
	   "without a module, a reason is given");
	ok(info->module_loaded || !info->module_version[0],
	   "no module version without a module");
	printf("# native=%d syscall=%d available=%d module=%d (%s, ABI %u)\n",
	       info->native, info->syscall_supported, info->available,
	       info->module_loaded, info->module_version,
	       (unsigned int)info->abi_version);
}

static int drop_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &= ~CAP_TO_MASK(CAP_SYS_ADMIN);
	return (int)syscall(SYS_capset, &hdr, data);
}

/* Child: exit status 0 when the expectation held, else 100 + result. */
enum child_case {
	CHILD_REGISTER_TWICE,
	CHILD_WITHOUT_PRIVS,
	CHILD_QUERY_AFTER,
	CHILD_DEVICE_ROUTE,
};

static int child(enum child_case c)
{
	struct ringfence_info info;
	int ret;

	switch (c) {
	case CHILD_REGISTER_TWICE:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		if (ret)
			return 100 - ret;
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		return ret == -EPERM ? 0 : 100 - ret;
	case CHILD_WITHOUT_PRIVS:
		if (drop_cap_sys_admin())
			return 99;
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		return ret == -EACCES ? 0 : 100 - ret;
	case CHILD_QUERY_AFTER:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = ringfence_register_task_restrictions(NULL, 0);
		if (ret)
			return 100 - ret;
		if (ringfence_query(&info) || !info.task_restricted)
			return 98;
		return 0;
	case CHILD_DEVICE_ROUTE: {
		/* The fallback the kernel's own answer usually makes unneeded. */
		struct io_uring_task_restriction *arg =
			calloc(1, sizeof(*arg) + sizeof(allow_nop));

		if (!arg)
			return 96;
		arg->nr_res = 1;
		memcpy(arg->restrictions, allow_nop, sizeof(allow_nop));
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = rf_dev_register(arg);
		if (ret)
			return 100 - ret;
		if (ringfence_query(&info) || !info.task_restricted)
			return 98;
		ret = rf_dev_register(arg);
		return ret == -EPERM ? 0 : 100 - ret;
	}
	}
	return 97;
}

static int in_child(enum child_case c)
{
	int status;
	pid_t pid = fork();

	if (pid == 0)
		_exit(child(c));
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static void test_registration(const struct ringfence_info *info)
{
	int ret;

	if (!info->available) {
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		ok(ret == -ENOSYS, "no kernel support and no module: -ENOSYS (got %d)",
		   ret);
		skip("registration", "no kernel support here");
		return;
	}
	if (info->task_restricted) {
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		ok(ret == -EPERM, "already restricted: -EPERM (got %d)", ret);
		skip("registration", "this process is already restricted");
		return;
	}
	ret = in_child(CHILD_REGISTER_TWICE);
	ok(ret == 0, "registers once, then -EPERM (child status %d)", ret);
	ret = in_child(CHILD_WITHOUT_PRIVS);
	ok(ret == 0, "without no_new_privs and CAP_SYS_ADMIN: -EACCES "
	   "(child status %d)", ret);
	ret = in_child(CHILD_QUERY_AFTER);
	ok(ret == 0, "after nr 0 registration, query reports the task restricted "
	   "(child status %d)", ret);
	if (!info->module_loaded) {
		skip("registration through /dev/ringfence", "no module");
		return;
	}
	ret = in_child(CHILD_DEVICE_ROUTE);
	ok(ret == 0, "registration through /dev/ringfence works, then -EPERM "
	   "(child status %d)", ret);
}

int main(void)
{
	struct ringfence_info info;

	test_argument_checks();
	test_query(&info);
	test_registration(&info);
	return tap_done();
}
