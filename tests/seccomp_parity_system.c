// SPDX-License-Identifier: GPL-2.0
/*
 * The system-wide switch (module runs only; the very last program, since it
 * cannot be undone): /sys/module/ringfence/parameters/seccomp_parity goes
 * from 0 to 1 and never back, every task with a seccomp filter is judged
 * from then on without asking, and the module can no longer be unloaded.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "module.h"
#include "restrict.h"
#include "rftest.h"
#include "scmp.h"
#include "uring.h"

#define PARAM "/sys/module/ringfence/parameters/seccomp_parity"

static int param_write(const char *v)
{
	int fd = open(PARAM, O_WRONLY | O_CLOEXEC), ret = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, v, strlen(v)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

static char param_read(void)
{
	char c = '?';
	int fd = open(PARAM, O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '?';
		close(fd);
	}
	return c;
}

static int uring_inet_socket(void)
{
	struct rf_ring r;
	int res;

	rf_new_ring(&r);
	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	res = rf_run1(&r);
	if (res >= 0) {
		close(res);
		res = 0;
	}
	rf_ring_exit(&r);
	return res;
}

/*
 * What io_uring SOCKET(AF_INET) gives a child with a
 * RestrictAddressFamilies=AF_UNIX filter and nothing else: 0 for a socket.
 */
static int child_verdict(void)
{
	int fds[2], res = 1;
	pid_t pid;

	ASSERT_OK(pipe(fds));
	pid = rf_fork();
	if (pid == 0) {
		rf_scmp_unix_sockets_only();
		res = uring_inet_socket();
		if (write(fds[1], &res, sizeof(res)) != sizeof(res))
			_exit(3);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &res, sizeof(res)) != sizeof(res))
		res = 1;
	close(fds[0]);
	EXPECT_CHILD_OK(pid, "filtered child");
	return res;
}

TEST(system_wide_switch_is_one_way)
{
	rf_need_parity();
	if (getenv("RINGFENCE_KEEP_UNLOADABLE"))
		SKIP("this run unloads the module afterwards (check-debug's leak scan)");
	EXPECT_EQ(param_read(), 'N');
	/* Before: a filtered task that did not ask walks around its filter. */
	EXPECT_RES(child_verdict(), 0);
	EXPECT_RES(param_write("0"), 0);
	EXPECT_RES(param_write("maybe"), -EINVAL);
	ASSERT_RES(param_write("1"), 0);
	EXPECT_EQ(param_read(), 'Y');
	/* Now every filtered task is judged, without asking. */
	EXPECT_RES(child_verdict(), -EAFNOSUPPORT);
	/* It cannot be switched off... */
	EXPECT_RES(param_write("0"), -EPERM);
	EXPECT_EQ(param_read(), 'Y');
	EXPECT_RES(param_write("1"), 0);
	EXPECT_RES(child_verdict(), -EAFNOSUPPORT);
	/* ...nor unloaded. */
	EXPECT_RES(rf_module_unload(), -EWOULDBLOCK);
	EXPECT_TRUE(rf_module_loaded());
	/* A task without a seccomp filter is not affected. */
	EXPECT_RES(uring_inet_socket(), 0);
}
