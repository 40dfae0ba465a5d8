// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence run`: restrict and filter this process, then become COMMAND. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/capability.h>

#include "args.h"
#include "cli.h"
#include "filters.h"
#include "ringfence.h"

int has_cap_sys_admin(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
		.pid = 0,
	};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];

	memset(data, 0, sizeof(data));
	if (syscall(SYS_capget, &hdr, data))
		return 0;
	return !!(data[CAP_TO_INDEX(CAP_SYS_ADMIN)].effective &
		  CAP_TO_MASK(CAP_SYS_ADMIN));
}

static void explain_unsupported(void)
{
	struct ringfence_info info;

	if (ringfence_query(&info) == 0 && info.module_loaded &&
	    info.abi_version != RINGFENCE_ABI_VERSION) {
		fprintf(stderr,
			"ringfence run: the loaded ringfence module speaks ABI %u, "
			"this tool ABI %u; install matching versions\n",
			(unsigned int)info.abi_version, RINGFENCE_ABI_VERSION);
		return;
	}
	fprintf(stderr,
		"ringfence run: this kernel has no per-task io_uring restrictions "
		"(Linux 7.0+) and the ringfence module is not loaded "
		"(try: modprobe ringfence)\n");
}

static void explain_failure(int err, bool log_only)
{
	switch (err) {
	case -ENOSYS:
		if (log_only)
			fprintf(stderr, "ringfence run: --log-only is the ringfence "
				"module's (no upstream kernel has it), and no module "
				"with it is loaded (try: modprobe ringfence)\n");
		else
			explain_unsupported();
		break;
	case -EPERM:
		fprintf(stderr,
			"ringfence run: this process already has an io_uring "
			"restriction set or filters (inherited or registered "
			"earlier); a set cannot be replaced or extended\n");
		break;
	case -EACCES:
		fprintf(stderr,
			"ringfence run: the kernel refused: restricting a task "
			"needs no_new_privs or CAP_SYS_ADMIN\n");
		break;
	case -EINVAL:
		fprintf(stderr,
			"ringfence run: the kernel rejected the restriction set "
			"as invalid; an opcode newer than this kernel? "
			"('ringfence ops' lists what this tool knows, not what "
			"the kernel supports)\n");
		break;
	default:
		fprintf(stderr,
			"ringfence run: cannot restrict io_uring: %s\n",
			strerror(-err));
	}
}

static void explain_filter_failure(int err, const struct filter_prog *p,
				   unsigned int kernel_payload)
{
	const char *op = ringfence_op_name(p->opcode);
	struct ringfence_info info;

	fprintf(stderr, "ringfence run: cannot register the %s filter from %s: ",
		op ? op : "?", p->origin);
	switch (err) {
	case -ENOSYS:
		if (ringfence_query(&info) == 0 && info.module_loaded &&
		    info.abi_version == RINGFENCE_ABI_VERSION)
			fprintf(stderr, "this kernel has no io_uring cBPF "
				"filters (Linux 7.0+) and the loaded ringfence "
				"module (%s) does not provide them\n",
				info.module_version);
		else if (ringfence_query(&info) == 0 && info.module_loaded)
			fprintf(stderr, "the loaded ringfence module speaks ABI "
				"%u, this tool ABI %u; install matching "
				"versions\n", (unsigned int)info.abi_version,
				RINGFENCE_ABI_VERSION);
		else
			fprintf(stderr, "this kernel has no io_uring cBPF "
				"filters (Linux 7.0+) and the ringfence module "
				"is not loaded (try: modprobe ringfence)\n");
		break;
	case -EMSGSIZE:
		fprintf(stderr, "it reads %u bytes of %s's payload, and this "
			"kernel gives filters only %u%s\n", p->payload,
			op ? op : "the opcode", kernel_payload,
			p->opcode == IORING_OP_CONNECT ?
			" (CONNECT's came with Linux 7.2)" : "");
		break;
	case -EACCES:
		fprintf(stderr, "the kernel refused: filtering a task needs "
			"no_new_privs or CAP_SYS_ADMIN\n");
		break;
	case -EINVAL:
		fprintf(stderr, "the kernel rejected it as invalid; an opcode "
			"newer than this kernel?\n");
		break;
	default:
		fprintf(stderr, "%s\n", strerror(-err));
	}
}

static int set_no_new_privs(const struct run_args *a)
{
	if (a->keep_privs) {
		if (!has_cap_sys_admin()) {
			fprintf(stderr,
				"ringfence run: --keep-privs needs CAP_SYS_ADMIN, "
				"which this process does not have; without it the "
				"kernel only accepts a restriction under "
				"no_new_privs (drop --keep-privs)\n");
			return -1;
		}
	} else if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "ringfence run: cannot set no_new_privs: %s\n",
			strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Classic restrictions first: once a task has filters, the kernel refuses
 * them (EPERM). Then the filters, DENY_REST on the last.
 */
static int restrict_self(const struct run_args *a,
			 const struct filter_set *filters)
{
	static struct io_uring_restriction res[RUN_MAX_RESTRICTIONS];
	unsigned int nr, failed = 0, payload = 0;
	int ret;

	if (run_has_restrictions(a)) {
		nr = build_restrictions(a, res);
		ret = a->log_only ? ringfence_log_only_task_restrictions(res, nr) :
		      ringfence_register_task_restrictions(res, nr);
		if (ret) {
			explain_failure(ret, a->log_only);
			return -1;
		}
	}
	ret = register_filters(filters, a->log_only, &failed, &payload);
	if (ret) {
		if (a->log_only && ret == -ENOSYS)
			explain_failure(ret, true);
		else
			explain_filter_failure(ret, &filters->prog[failed], payload);
		return -1;
	}
	if (a->seccomp_parity) {
		ret = a->log_only ? ringfence_log_only_seccomp_parity() :
		      ringfence_enable_seccomp_parity();
		if (ret) {
			fprintf(stderr, "ringfence run: cannot switch seccomp parity on: %s\n",
				ret == -ENOSYS ? "the ringfence module is not loaded, or "
				"too old (seccomp parity is the module's, on 6.x kernels)" :
				ret == -EACCES ? "it needs no_new_privs or CAP_SYS_ADMIN" :
				strerror(-ret));
			return -1;
		}
	}
	return 0;
}

int cmd_run(int argc, char **argv)
{
	struct filter_set filters;
	struct run_args a;
	char err[512];
	int ret;

	if (parse_run_args(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "ringfence run: %s\n", err);
		usage_hint();
		return EXIT_USAGE;
	}
	if (a.help) {
		print_help();
		return 0;
	}
	/* Files are read and programs checked before anything changes. */
	if (build_filters(&a, &filters, err, sizeof(err))) {
		fprintf(stderr, "ringfence run: %s\n", err);
		return EXIT_USAGE;
	}
	if (a.print_bpf) {
		print_filters(stdout, &filters);
		free_filters(&filters);
		return fflush(stdout) ? 1 : 0;
	}

	ret = set_no_new_privs(&a) || restrict_self(&a, &filters);
	free_filters(&filters);
	if (ret)
		return EXIT_RESTRICT_FAILED;

	execvp(a.cmd[0], a.cmd);
	ret = errno;
	fprintf(stderr, "ringfence run: cannot run '%s': %s\n", a.cmd[0],
		strerror(ret));
	return ret == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE;
}
