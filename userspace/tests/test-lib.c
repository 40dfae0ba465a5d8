// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The library against the running kernel. On a machine without the feature
 * it checks the -ENOSYS path; where the feature exists (natively or through
 * the module) it also registers, in forked children. The same for filters.
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

static const struct sock_filter allow_all[] = {
	{ BPF_RET | BPF_K, 0, 0, 1 },
};

/* A byte load: the kernel's checker refuses it. */
static const struct sock_filter byte_load[] = {
	{ BPF_LD | BPF_B | BPF_ABS, 0, 0, 8 },
	{ BPF_RET | BPF_A, 0, 0, 0 },
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

static void test_filter_argument_checks(void)
{
	unsigned int pdu = 256;
	int ret;

	errno = 4242;
	ret = ringfence_register_task_filter(IORING_OP_NOP, NULL, 1, 0);
	ok(ret == -EFAULT, "filter: NULL program with len 1 is -EFAULT (got %d)", ret);
	ok(errno == 4242, "errno untouched");
	ret = ringfence_register_ring_filter(-1, IORING_OP_NOP, allow_all, 1, 0);
	ok(ret == -EBADF, "ring filter on fd -1 is -EBADF, not the task (got %d)",
	   ret);
	ret = ringfence_register_filter(-1, IORING_OP_NOP, allow_all, 1, 0, &pdu);
	ok(ret == -EINVAL && pdu == 256, "pdu_size 256 is -EINVAL (got %d)", ret);
	ok(ringfence_filter_pdu_size(IORING_OP_SOCKET) == 12 &&
	   ringfence_filter_pdu_size(IORING_OP_OPENAT) == 24 &&
	   ringfence_filter_pdu_size(IORING_OP_OPENAT2) == 24 &&
	   ringfence_filter_pdu_size(IORING_OP_CONNECT) == 24 &&
	   ringfence_filter_pdu_size(IORING_OP_NOP) == 0 &&
	   ringfence_filter_pdu_size(64) == 0,
	   "7.2's payload sizes: SOCKET 12, OPENAT/OPENAT2/CONNECT 24, others 0");
	ok(ringfence_filter_pdu_size(65) == -EINVAL, "no size past the last opcode");
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
	ok(!info->filter_syscall_supported || info->filter_available,
	   "a filter call that works makes filters available");
	printf("# native=%d syscall=%d available=%d module=%d (%s, ABI %u) "
	       "filter_syscall=%d filter_available=%d\n",
	       info->native, info->syscall_supported, info->available,
	       info->module_loaded, info->module_version,
	       (unsigned int)info->abi_version, info->filter_syscall_supported,
	       info->filter_available);
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
	CHILD_FILTER_THEN_CLASSIC,
	CHILD_CLASSIC_THEN_FILTER,
	CHILD_FILTER_WITHOUT_PRIVS,
	CHILD_FILTER_PDU_SIZE,
	CHILD_FILTER_INVALID,
	CHILD_FILTER_DEVICE_ROUTE,
};

static int filter_child(enum child_case c)
{
	unsigned int pdu;
	int ret;

	switch (c) {
	case CHILD_FILTER_THEN_CLASSIC:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1, 0);
		if (ret)
			return 100 - ret;
		/* Filters stack. */
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1, 0);
		if (ret)
			return 100 - ret;
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		return ret == -EPERM ? 0 : 100 - ret;
	case CHILD_CLASSIC_THEN_FILTER:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = ringfence_register_task_restrictions(allow_nop, 1);
		if (ret)
			return 100 - ret;
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1,
						     IO_URING_BPF_FILTER_DENY_REST);
		return ret ? 100 - ret : 0;
	case CHILD_FILTER_WITHOUT_PRIVS:
		if (drop_cap_sys_admin())
			return 99;
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1, 0);
		return ret == -EACCES ? 0 : 100 - ret;
	case CHILD_FILTER_PDU_SIZE:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		pdu = 4;
		ret = ringfence_register_filter(-1, IORING_OP_SOCKET, allow_all, 1,
						0, &pdu);
		if (ret || pdu != 12)
			return ret ? 100 - ret : 90;
		pdu = 13;
		ret = ringfence_register_filter(-1, IORING_OP_SOCKET, allow_all, 1,
						0, &pdu);
		if (ret != -EMSGSIZE || pdu != 12)
			return ret ? 100 - ret : 91;
		pdu = 0;
		ret = ringfence_register_filter(-1, IORING_OP_SOCKET, allow_all, 1,
						IO_URING_BPF_FILTER_SZ_STRICT, &pdu);
		if (ret != -EMSGSIZE || pdu != 12)
			return ret ? 100 - ret : 92;
		/* The simple call states 7.2's size under SZ_STRICT. */
		ret = ringfence_register_task_filter(IORING_OP_CONNECT, allow_all, 1,
						     IO_URING_BPF_FILTER_SZ_STRICT);
		return ret ? 100 - ret : 0;
	case CHILD_FILTER_INVALID:
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = ringfence_register_task_filter(IORING_OP_SOCKET, byte_load, 2, 0);
		if (ret != -EINVAL)
			return 100 - ret;
		ret = ringfence_register_task_filter(IORING_OP_SOCKET, allow_all, 0, 0);
		if (ret != -EINVAL)
			return 100 - ret;
		ret = ringfence_register_task_filter(200, allow_all, 1, 0);
		if (ret != -EINVAL)
			return 100 - ret;
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1, 4);
		return ret == -EINVAL ? 0 : 100 - ret;
	case CHILD_FILTER_DEVICE_ROUTE: {
		struct io_uring_bpf reg;

		memset(&reg, 0, sizeof(reg));
		reg.cmd_type = IO_URING_BPF_CMD_FILTER;
		reg.filter.opcode = IORING_OP_SOCKET;
		reg.filter.filter_len = 1;
		reg.filter.filter_ptr = (uintptr_t)allow_all;
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		ret = rf_dev_call(RINGFENCE_IOC_REGISTER_BPF_FILTER, &reg,
				  RINGFENCE_FEAT_BPF_FILTER);
		if (ret)
			return 100 - ret;
		return reg.filter.pdu_size == 12 ? 0 : 95;
	}
	default:
		return 97;
	}
}

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
	default:
		return filter_child(c);
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

static int ring_fd(void)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	return (int)syscall(SYS_io_uring_setup, 2, &p);
}

static void test_filters(const struct ringfence_info *info)
{
	int ret, fd;

	fd = ring_fd();
	if (fd < 0) {
		skip("ring filters", "no io_uring here");
	} else {
		ret = ringfence_register_ring_filter(fd, IORING_OP_NOP, allow_all, 1, 0);
		if (info->filter_syscall_supported && info->native)
			ok(ret == 0, "a ring filter registers (got %d)", ret);
		else
			ok(ret == 0 || ret == -ENOSYS,
			   "a ring filter registers or the kernel lacks them "
			   "(got %d)", ret);
		close(fd);
	}

	if (!info->filter_available) {
		ret = ringfence_register_task_filter(IORING_OP_NOP, allow_all, 1, 0);
		ok(ret == -ENOSYS, "no filters in the kernel or module: -ENOSYS (got %d)",
		   ret);
		skip("filter registration", "no filter support here");
		return;
	}
	if (info->task_restricted) {
		skip("filter registration", "this process is already restricted");
		return;
	}
	ret = in_child(CHILD_FILTER_THEN_CLASSIC);
	ok(ret == 0, "filters register and stack; classic then is -EPERM "
	   "(child status %d)", ret);
	ret = in_child(CHILD_CLASSIC_THEN_FILTER);
	ok(ret == 0, "classic first, then a DENY_REST filter (child status %d)", ret);
	ret = in_child(CHILD_FILTER_WITHOUT_PRIVS);
	ok(ret == 0, "filter without no_new_privs and CAP_SYS_ADMIN: -EACCES "
	   "(child status %d)", ret);
	ret = in_child(CHILD_FILTER_PDU_SIZE);
	ok(ret == 0, "pdu_size: written back, -EMSGSIZE when larger or, strict, "
	   "different (child status %d)", ret);
	ret = in_child(CHILD_FILTER_INVALID);
	ok(ret == 0, "byte loads, len 0, opcode 200, flags 4: -EINVAL "
	   "(child status %d)", ret);
	if (!info->module_loaded || !(info->features & RINGFENCE_FEAT_BPF_FILTER)) {
		skip("filter through /dev/ringfence", "no module with filters");
		return;
	}
	ret = in_child(CHILD_FILTER_DEVICE_ROUTE);
	ok(ret == 0, "filter through /dev/ringfence works, pdu_size written back "
	   "(child status %d)", ret);
}

int main(void)
{
	struct ringfence_info info;

	test_argument_checks();
	test_filter_argument_checks();
	test_query(&info);
	test_registration(&info);
	test_filters(&info);
	return tap_done();
}
