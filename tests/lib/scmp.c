// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "rftest.h"
#include "scmp.h"

scmp_filter_ctx rf_scmp_new(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);

	if (!ctx) {
		FAIL("seccomp_init failed");
		rf_abort();
	}
	return ctx;
}

void rf_scmp_rule(scmp_filter_ctx ctx, uint32_t action, int nr,
		  unsigned int nr_args, const struct scmp_arg_cmp *args)
{
	int ret = seccomp_rule_add_array(ctx, action, nr, nr_args, args);

	if (ret) {
		FAIL("seccomp_rule_add for syscall %d: %s", nr, rf_errname(-ret));
		rf_abort();
	}
}

void rf_scmp_load(scmp_filter_ctx ctx)
{
	int ret = seccomp_load(ctx);

	seccomp_release(ctx);
	if (ret) {
		FAIL("seccomp_load: %s", rf_errname(-ret));
		rf_abort();
	}
}

void rf_scmp_unix_sockets_only(void)
{
	scmp_filter_ctx ctx = rf_scmp_new();
	struct scmp_arg_cmp cmp = SCMP_A0(SCMP_CMP_NE, AF_UNIX);

	rf_scmp_rule(ctx, SCMP_ACT_ERRNO(EAFNOSUPPORT), SCMP_SYS(socket), 1, &cmp);
	rf_scmp_load(ctx);
}

void rf_scmp_deny_openat_creat(int err)
{
	scmp_filter_ctx ctx = rf_scmp_new();
	struct scmp_arg_cmp cmp = SCMP_A2(SCMP_CMP_MASKED_EQ, O_CREAT, O_CREAT);

	rf_scmp_rule(ctx, SCMP_ACT_ERRNO(err), SCMP_SYS(openat), 1, &cmp);
	rf_scmp_load(ctx);
}

void rf_scmp_all(int nr, uint32_t action)
{
	scmp_filter_ctx ctx = rf_scmp_new();

	rf_scmp_rule(ctx, action, nr, 0, NULL);
	rf_scmp_load(ctx);
}
