// SPDX-License-Identifier: GPL-2.0
/*
 * Module lifetime (module runs only; runs last, see LATE in the Makefile).
 * A restricted task pins the module; once it is gone the module unloads and
 * loads again. The module is loaded again when this program ends, whatever
 * happened, since other programs may run after it.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "module.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

static void need_module(void)
{
	if (!rf_expect_module())
		SKIP("no ringfence module in this run");
}

/* A child that registers, reports, and waits to be told to probe and exit. */
struct restricted_child {
	pid_t pid;
	int to_child, from_child;
};

static void start_restricted_child(struct restricted_child *c)
{
	int down[2], up[2];
	char ch;

	ASSERT_OK(pipe(down));
	ASSERT_OK(pipe(up));
	c->pid = rf_fork();
	if (c->pid == 0) {
		int res = RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ));

		if (write(up[1], &res, sizeof(res)) != sizeof(res))
			_exit(3);
		if (read(down[0], &ch, 1) != 1)
			_exit(3);
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	close(down[0]);
	close(up[1]);
	c->to_child = down[1];
	c->from_child = up[0];
}

TEST(ftrace_cannot_be_disabled_while_loaded)
{
	char buf[8] = "";
	int fd;

	need_module();
	ASSERT_TRUE(rf_module_loaded());
	fd = open("/proc/sys/kernel/ftrace_enabled", O_RDWR);
	ASSERT_OK(fd);
	if (!EXPECT_ERRNO(write(fd, "0\n", 2), EBUSY)) {
		/* Do not leave the hooks switched off for what follows. */
		if (pwrite(fd, "1\n", 2, 0) != 2)
			FAIL("could not write 1 back to ftrace_enabled");
	}
	ASSERT_TRUE(pread(fd, buf, sizeof(buf) - 1, 0) > 0);
	EXPECT_EQ(atoi(buf), 1);
	close(fd);
}

TEST(unload_refused_while_restricted_task_lives)
{
	struct restricted_child c;
	int res = 1;

	need_module();
	start_restricted_child(&c);
	ASSERT_EQ(read(c.from_child, &res, sizeof(res)), sizeof(res));
	ASSERT_RES(res, 0);

	EXPECT_RES(rf_module_unload(), -EWOULDBLOCK);
	EXPECT_TRUE(rf_module_loaded());

	/* The restriction still holds after the refused unload. */
	ASSERT_EQ(write(c.to_child, "x", 1), 1);
	EXPECT_CHILD_OK(c.pid, "restricted child");
}

TEST_TIMEOUT(unload_and_reload_after_restricted_task_is_reaped,
	     RF_UNLOAD_RETRY_SECONDS + 20)
{
	struct restricted_child c;
	int res = 1, unloaded, reloaded, stock;
	pid_t pid;

	need_module();
	start_restricted_child(&c);
	ASSERT_EQ(read(c.from_child, &res, sizeof(res)), sizeof(res));
	ASSERT_RES(res, 0);
	ASSERT_EQ(write(c.to_child, "x", 1), 1);
	ASSERT_TRUE(EXPECT_CHILD_OK(c.pid, "restricted child"));

	unloaded = rf_module_unload_retry();
	/* Without the module, fd -1 is the stock kernel's bad descriptor. */
	stock = unloaded ? -EBADF :
		rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS, NULL, 1);
	/* No ASSERT until the module is back: later programs need it. */
	reloaded = unloaded ? 0 : rf_module_load("");
	EXPECT_RES(unloaded, 0);
	EXPECT_RES(stock, -EBADF);
	EXPECT_RES(reloaded, 0);
	ASSERT_TRUE(rf_module_loaded());

	/* The reloaded module restricts again. */
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child of the reloaded module");
}

TEST(module_loaded_at_end)
{
	struct stat st;
	int ret;

	need_module();
	if (!rf_module_loaded()) {
		ret = rf_module_load("");
		FAIL("module was not loaded at the end (reload: %d)", ret);
	}
	EXPECT_OK(stat(RINGFENCE_DEVICE_PATH, &st));
}
