// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `ringfence doctor`: does io_uring confinement work on this system? Each
 * check prints "ok" or "FAIL" and why; the end-to-end check confines a
 * child, submits an allowed and a denied request, re-executes it and
 * submits them again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/io_uring.h>

#include "cli.h"
#include "ringfence.h"
#include "uring.h"

static unsigned int failures;

static void report(int ok, const char *what, const char *fmt, const char *detail)
{
	printf("%-4s %-22s ", ok ? "ok" : "FAIL", what);
	printf(fmt, detail);
	putchar('\n');
	if (!ok)
		failures++;
}

/* Exit codes of the confined child, by what went wrong. */
enum {
	CHILD_OK,
	CHILD_NO_RING,
	CHILD_NOP_DENIED,
	CHILD_READ_ALLOWED,
	CHILD_EXEC_FAILED,
	CHILD_RESTRICT_FAILED,
	CHILD_NR,
};

static const char *const child_says[CHILD_NR] = {
	[CHILD_NO_RING] = "io_uring_setup() failed: io_uring is off on this system? "
			  "(sysctl kernel.io_uring_disabled)",
	[CHILD_NOP_DENIED] = "an allowed NOP did not complete with 0",
	[CHILD_READ_ALLOWED] = "a READ the set does not allow was not denied with EACCES",
	[CHILD_EXEC_FAILED] = "could not re-execute this program",
	[CHILD_RESTRICT_FAILED] = "could not register the restriction set",
};

/* NOP allowed, READ denied: what the child's set says. */
static int confined_requests_behave(void)
{
	int setup_failed, res;

	res = uring_one_request(IORING_OP_NOP, &setup_failed);
	if (setup_failed)
		return CHILD_NO_RING;
	if (res != 0)
		return CHILD_NOP_DENIED;
	res = uring_one_request(IORING_OP_READ, &setup_failed);
	if (setup_failed)
		return CHILD_NO_RING;
	return res == -EACCES ? CHILD_OK : CHILD_READ_ALLOWED;
}

static void confined_child(int phase)
{
	struct io_uring_restriction nop = {
		.opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP,
	};
	int ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    ringfence_register_task_restrictions(&nop, 1))
		_exit(CHILD_RESTRICT_FAILED);
	ret = confined_requests_behave();
	if (ret)
		_exit(ret * 16 + phase);
	execl("/proc/self/exe", "ringfence", "doctor", "--after-exec", (char *)NULL);
	_exit(CHILD_EXEC_FAILED);
}

static void end_to_end(void)
{
	int status, code;
	pid_t pid;
	char msg[200];

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		report(0, "end-to-end", "cannot fork: %s", strerror(errno));
		return;
	}
	if (pid == 0)
		confined_child(0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		report(0, "end-to-end", "%s", "the confined child did not exit normally");
		return;
	}
	code = WEXITSTATUS(status);
	if (!code) {
		report(1, "end-to-end", "%s", "a confined child: NOP allowed, READ denied "
		       "(EACCES), and the same after execve");
		return;
	}
	snprintf(msg, sizeof(msg), "%s%s", code / 16 < CHILD_NR && child_says[code / 16] ?
		 child_says[code / 16] : code < CHILD_NR && child_says[code] ?
		 child_says[code] : "unexpected exit status",
		 code % 16 ? " (after execve)" : "");
	report(0, "end-to-end", "%s", msg);
}

int cmd_doctor(int argc, char **argv)
{
	struct ringfence_info info;
	struct utsname u;
	char buf[160];
	int ret;

	if (argc == 1 && !strcmp(argv[0], "--after-exec")) {
		ret = confined_requests_behave();
		return ret ? ret * 16 + 1 : 0;
	}
	if (argc) {
		fputs("ringfence doctor: usage: ringfence doctor\n", stderr);
		return EXIT_USAGE;
	}
	uname(&u);
	printf("ringfence doctor on Linux %s (%s)\n", u.release, u.machine);
	ret = ringfence_query(&info);
	if (ret) {
		report(0, "query", "%s", strerror(-ret));
		return 1;
	}
	report(1, "native support", "%s", info.native ? "yes: the kernel has task "
	       "restrictions itself (Linux 7.0+)" : "no: the ringfence module must "
	       "provide them");
	if (info.module_loaded) {
		snprintf(buf, sizeof(buf), "version %s, ABI %u%s", info.module_version,
			 (unsigned int)info.abi_version,
			 info.abi_version == RINGFENCE_ABI_VERSION ? "" :
			 " (this tool speaks another ABI: install matching versions)");
		report(info.abi_version == RINGFENCE_ABI_VERSION, "module", "loaded, %s", buf);
	} else {
		report(info.native, "module", "%s", info.module_error == -ENOENT ?
		       "not loaded (modprobe ringfence)" : "/dev/ringfence does not answer");
	}
	report(info.available, "task restrictions", "%s", info.available ?
	       "available" : "not available: no kernel support and no usable module");
	report(info.filter_available, "cBPF filters", "%s", info.filter_available ?
	       "available" : "not available");
	if (info.module_loaded && !info.native)
		report(info.syscall_supported && info.filter_syscall_supported,
		       "hooks", "%s", info.syscall_supported && info.filter_syscall_supported ?
		       "io_uring_register(-1, ...) reaches the module" :
		       "io_uring_register(-1, ...) does not reach the module");
	if (info.module_loaded)
		report(1, "module features", "%s",
		       info.features & RINGFENCE_FEAT_RECORDS ?
		       "seccomp parity, denial records, log-only, learning, status" :
		       "no denial records (older module)");
	if (info.task_restricted)
		report(1, "this process", "%s", "already confined: the end-to-end check "
		       "runs under its policy too");
	if (info.available)
		end_to_end();
	printf("%u check%s failed\n", failures, failures == 1 ? "" : "s");
	return failures ? 1 : 0;
}
