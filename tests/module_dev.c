// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/ringfence (module runs only): the version ioctl, and registration by
 * ioctl behaving exactly like io_uring_register(-1, 11, arg, 1).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"

static void need_module(void)
{
	if (!rf_expect_module())
		SKIP("no ringfence module in this run");
}

static int dev_open(void)
{
	int fd = open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		FAIL("open %s (got errno %s)", RINGFENCE_DEVICE_PATH,
		     rf_errname(errno));
		rf_abort();
	}
	return fd;
}

/* ioctl() as "0 or -errno", like the raw io_uring calls. */
static int dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = dev_open();
	int ret = ioctl(fd, cmd, arg);

	ret = ret < 0 ? -errno : ret;
	close(fd);
	return ret;
}

static int ioctl_register(void *arg)
{
	return dev_ioctl(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, arg);
}

static int ioctl_restrict_read_only(void)
{
	struct {
		struct io_uring_task_restriction tr;
		struct io_uring_restriction res[1];
	} arg;

	memset(&arg, 0, sizeof(arg));
	arg.tr.nr_res = 1;
	arg.res[0] = rf_r_sqe_op(IORING_OP_READ);
	return ioctl_register(&arg);
}

static int syscall_restrict_read_only(void)
{
	return RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ));
}

TEST(device_is_world_accessible_char_device)
{
	struct stat st;

	need_module();
	ASSERT_OK(stat(RINGFENCE_DEVICE_PATH, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0666);
}

TEST(version_reports_abi_and_features)
{
	struct ringfence_version v;

	need_module();
	memset(&v, 0, sizeof(v));
	memset(v.module_version, 'x', sizeof(v.module_version));
	ASSERT_RES(dev_ioctl(RINGFENCE_IOC_VERSION, &v), 0);
	EXPECT_EQ(v.abi_version, RINGFENCE_ABI_VERSION);
	EXPECT_EQ(v.abi_version, 1);
	EXPECT_TRUE(v.features & RINGFENCE_FEAT_TASK_RESTRICTIONS);
	EXPECT_TRUE(v.features & RINGFENCE_FEAT_UPSTREAM_REGISTER);
	EXPECT_TRUE(memchr(v.module_version, '\0', sizeof(v.module_version)) != NULL);
	EXPECT_TRUE(v.module_version[0] != '\0');
	EXPECT_EQ(v.upstream, 0x0703);
	rf_note("module_version \"%.32s\", features 0x%llx", v.module_version,
		(unsigned long long)v.features);
}

TEST(version_with_nonzero_upstream_einval)
{
	struct ringfence_version v;

	need_module();
	memset(&v, 0, sizeof(v));
	v.upstream = 1;
	EXPECT_RES(dev_ioctl(RINGFENCE_IOC_VERSION, &v), -EINVAL);
}

TEST(version_with_bad_pointer_efault)
{
	need_module();
	EXPECT_RES(dev_ioctl(RINGFENCE_IOC_VERSION, NULL), -EFAULT);
}

TEST(unknown_ioctl_enotty)
{
	need_module();
	EXPECT_RES(dev_ioctl(_IOWR(RINGFENCE_IOC_MAGIC, 0x7f, int), NULL), -ENOTTY);
	EXPECT_RES(dev_ioctl(_IO('T', 1), NULL), -ENOTTY);
}

TEST(ioctl_register_restricts_caller)
{
	need_module();
	EXPECT_RES(ioctl_restrict_read_only(), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(ioctl_register_is_inherited)
{
	pid_t pid;

	need_module();
	ASSERT_RES(ioctl_restrict_read_only(), 0);
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

TEST(syscall_after_ioctl_eperm)
{
	need_module();
	ASSERT_RES(ioctl_restrict_read_only(), 0);
	EXPECT_RES(syscall_restrict_read_only(), -EPERM);
}

TEST(ioctl_after_syscall_eperm)
{
	need_module();
	ASSERT_RES(syscall_restrict_read_only(), 0);
	EXPECT_RES(ioctl_restrict_read_only(), -EPERM);
}

TEST(ioctl_twice_eperm)
{
	need_module();
	ASSERT_RES(ioctl_restrict_read_only(), 0);
	EXPECT_RES(ioctl_restrict_read_only(), -EPERM);
}

TEST(ioctl_unprivileged_without_nnp_eacces)
{
	need_module();
	ASSERT_OK(setresgid(65534, 65534, 65534));
	ASSERT_OK(setresuid(65534, 65534, 65534));
	EXPECT_RES(ioctl_restrict_read_only(), -EACCES);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	EXPECT_RES(ioctl_restrict_read_only(), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/* ---- the same bad inputs through both routes ---- */

struct bad_input {
	const char *name;
	void (*make)(struct io_uring_task_restriction *tr);
	int nr_res;
	int expected;
};

/* Any flag but RINGFENCE_REGISTER_LOG_ONLY, which the ioctl alone takes (records.c). */
static void bad_flags(struct io_uring_task_restriction *tr) { tr->flags = 1U << 7; }
static void bad_resv0(struct io_uring_task_restriction *tr) { tr->resv[0] = 1; }
static void bad_resv2(struct io_uring_task_restriction *tr) { tr->resv[2] = 1; }
static void bad_type(struct io_uring_task_restriction *tr)
{
	tr->restrictions[0].opcode = 4;
}
static void bad_sqe_op(struct io_uring_task_restriction *tr)
{
	tr->restrictions[0].sqe_op = 255;
}
static void bad_register_op(struct io_uring_task_restriction *tr)
{
	tr->restrictions[0] = rf_r_reg_op(255);
}
static void nothing(struct io_uring_task_restriction *tr) { (void)tr; }

static const struct bad_input bad_inputs[] = {
	{ "flags", bad_flags, 1, -EINVAL },
	{ "resv[0]", bad_resv0, 1, -EINVAL },
	{ "resv[2]", bad_resv2, 1, -EINVAL },
	{ "restriction type", bad_type, 1, -EINVAL },
	{ "sqe_op 255", bad_sqe_op, 1, -EINVAL },
	{ "register_op 255", bad_register_op, 1, -EINVAL },
	{ "500 entries", nothing, 500, -EINVAL },
};

/* Runs one registration attempt in a child: its result, then whether it is still free. */
static void attempt(const char *route, const struct bad_input *b,
		    int (*reg)(void *arg), void *arg)
{
	int res[2] = { 1, 1 };
	int *shared = mmap(NULL, sizeof(res), PROT_READ | PROT_WRITE,
			   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pid;

	ASSERT_TRUE(shared != MAP_FAILED);
	pid = rf_fork();
	if (pid == 0) {
		shared[0] = reg(arg);
		shared[1] = rf_new_ring_nop();
		_exit(0);
	}
	EXPECT_CHILD_OK(pid, "registering child");
	memcpy(res, shared, sizeof(res));
	munmap(shared, sizeof(res));
	if (res[0] != b->expected) {
		char g[48], e[48];

		FAIL("%s with bad %s (got %s, expected %s)", route, b->name,
		     rf_resname(res[0], g, sizeof(g)),
		     rf_resname(b->expected, e, sizeof(e)));
	}
	if (res[1] != 0)
		FAIL("%s with bad %s left the task restricted", route, b->name);
}

static int syscall_register(void *arg)
{
	return rf_register_task_raw(arg, 1);
}

TEST(ioctl_rejects_bad_input_like_syscall)
{
	unsigned int i;

	need_module();
	for (i = 0; i < sizeof(bad_inputs) / sizeof(bad_inputs[0]); i++) {
		const struct bad_input *b = &bad_inputs[i];
		size_t len = sizeof(struct io_uring_task_restriction) +
			     b->nr_res * sizeof(struct io_uring_restriction);
		struct io_uring_task_restriction *tr = calloc(1, len);
		int j;

		ASSERT_TRUE(tr != NULL);
		tr->nr_res = (uint16_t)b->nr_res;
		for (j = 0; j < b->nr_res; j++)
			tr->restrictions[j] = rf_r_sqe_op(IORING_OP_NOP);
		b->make(tr);
		attempt("syscall", b, syscall_register, tr);
		attempt("ioctl", b, ioctl_register, tr);
		free(tr);
	}
}

TEST(ioctl_null_pointer_efault)
{
	need_module();
	EXPECT_RES(ioctl_register(NULL), -EFAULT);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(ioctl_entries_unmapped_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	struct io_uring_task_restriction *tr;
	char *p;

	need_module();
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(p != MAP_FAILED);
	ASSERT_OK(mprotect(p + page, page, PROT_NONE));
	tr = (void *)(p + page - sizeof(*tr));
	memset(tr, 0, sizeof(*tr));
	tr->nr_res = 1;
	EXPECT_RES(ioctl_register(tr), -EFAULT);
	EXPECT_RES(rf_new_ring_nop(), 0);
}
