// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * unix-only: run a command under the seccomp filter systemd installs for
 * RestrictAddressFamilies=AF_UNIX: socket(2) of any other family fails with
 * EAFNOSUPPORT. Built with libseccomp, as systemd builds its filter. For the
 * demo of seccomp parity: without parity, io_uring's SOCKET walks around
 * the filter; with it, the filter holds.
 *
 * Usage: unix-only COMMAND [ARGS...]
 */
#include <errno.h>
#include <seccomp.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_NE, AF_UNIX);
	scmp_filter_ctx ctx;
	int ret;

	if (argc < 2) {
		fprintf(stderr, "usage: unix-only COMMAND [ARGS...]\n");
		return 2;
	}
	ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (!ctx)
		return 125;
	ret = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT),
				     SCMP_SYS(socket), 1, &cmp);
	if (!ret)
		ret = prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ? -errno : 0;
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret) {
		fprintf(stderr, "unix-only: cannot install the filter: %s\n", strerror(-ret));
		return 125;
	}
	execvp(argv[1], argv + 1);
	fprintf(stderr, "unix-only: cannot run %s: %s\n", argv[1], strerror(errno));
	return errno == ENOENT ? 127 : 126;
}
