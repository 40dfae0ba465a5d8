// SPDX-License-Identifier: GPL-2.0
/*
 * Every allocation failure the module's paths can meet (debug kernel only:
 * it has CONFIG_FAULT_INJECTION, FAILSLAB, FAIL_PAGE_ALLOC and
 * FAULT_INJECTION_USERCOPY). As syzkaller does, each call runs again and
 * again with /proc/thread-self/fail-nth set to 1, 2, 3, ...: the Nth
 * allocation or user copy of the call fails, until a run meets no failure.
 * After each run: the call failed with a clean errno or succeeded, and the
 * task is exactly as restricted as the outcome says (a failed registration
 * leaves it free, a failed fork leaves no child, a ring is never
 * unrestricted). The console scan of the boot fails it for any oops, KASAN
 * or lockdep report; check-debug's kmemleak pass for a leak.
 *
 * Reports, per path, how many failure points were injected. Then the same
 * with the module's pools of non-sleeping entries empty (reserve=0), on
 * every kernel with the module. It reloads the module, so it runs late.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf.h"
#include "module.h"
#include "restrict.h"
#include "rftest.h"
#include "scmp.h"
#include "uring.h"
#include "util.h"

#define MAX_POINTS	3000

static const char *const knobs[] = {
	/* Allocations that may sleep are the ones the module's paths make. */
	"/sys/kernel/debug/failslab/ignore-gfp-wait",
	"/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait",
	"/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem",
	/* A stack trace a failure would fail the console scan. */
	"/sys/kernel/debug/failslab/verbose",
	"/sys/kernel/debug/fail_page_alloc/verbose",
	"/sys/kernel/debug/fail_usercopy/verbose",
};

static void write_knob(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, v, strlen(v)) < 0)
		FAIL("%s: %s", path, rf_errname(errno));
	if (fd >= 0)
		close(fd);
}

static void setup(void)
{
	unsigned int i;

	if (!rf_expect_module())
		SKIP("no module in this run");
	if (access("/proc/self/fail-nth", F_OK))
		SKIP("no fault injection in this kernel (check-debug's has it)");
	if (access(knobs[0], F_OK) && system("mount -t debugfs debugfs /sys/kernel/debug"))
		SKIP("no debugfs");
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		write_knob(knobs[i], i < 3 ? "N" : "0");
}

/* fail-nth of this thread, opened before anything is armed. */
static int nth_fd = -1;

static void arm(unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	if (nth_fd < 0)
		nth_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	if (nth_fd < 0 || pwrite(nth_fd, buf, len, 0) != len)
		_exit(90);
}

/*
 * Whether the armed failure happened in the call; disarms either way. The
 * read and the write of fail-nth copy to and from user memory, so a
 * failure still armed may land in them: then it was not the call's, and
 * it is used up.
 */
static bool disarm(void)
{
	char buf[16] = "";
	ssize_t n = pread(nth_fd, buf, sizeof(buf) - 1, 0);

	if (n < 0 && errno == EFAULT)
		return false;
	if (n <= 0) {
		FAIL("reading fail-nth: %s", n ? rf_errname(errno) : "empty");
		_exit(91);
	}
	if (atoi(buf) == 0)
		return true;
	if (pwrite(nth_fd, "0", 1, 0) != 1 && errno != EFAULT) {
		FAIL("disarming fail-nth: %s", rf_errname(errno));
		_exit(92);
	}
	return false;
}

/* What an entry point of ours may answer an allocation or copy failure with. */
static bool clean_errno(int ret)
{
	return ret == 0 || ret == -ENOMEM || ret == -EFAULT || ret == -EAGAIN;
}

/*
 * One path: @prepare (unarmed) and @call (armed with fail-nth n) in a
 * fresh child for n = 1, 2, ... until no failure is injected; @check
 * judges each outcome. Children exit 0 for "injected and fine", 1 for "no
 * failure left to inject", anything else for a failure of the check.
 */
struct path {
	const char *name;
	void (*prepare)(void);
	int (*call)(void);
	void (*check)(int ret);
	/* The call is the kernel's (fork, execve): any errno of its own. */
	bool kernel_errno;
};

static void run_path(const struct path *p)
{
	unsigned int n, injected = 0;
	int status;
	pid_t pid;

	for (n = 1; n <= MAX_POINTS; n++) {
		pid = rf_fork();
		if (pid == 0) {
			bool hit;
			int ret;

			if (p->prepare)
				p->prepare();
			arm(n);
			ret = p->call();
			hit = disarm();
			if (!p->kernel_errno && !clean_errno(ret))
				FAIL("%s, failure %u: %s", p->name, n, rf_errname(-ret));
			p->check(ret);
			_exit(rf_failed() ? 2 : hit ? 0 : 1);
		}
		if (waitpid(pid, &status, 0) != pid)
			status = -1;
		/*
		 * Failing past execve's point of no return kills the task; failing
		 * in the new program's startup code ends it with 127.
		 */
		if (p->kernel_errno && ((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) ||
					(WIFEXITED(status) && WEXITSTATUS(status) == 127))) {
			injected++;
			continue;
		}
		if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) > 1) {
			char buf[48];

			FAIL("%s: the run with failure %u: %s", p->name, n,
			     rf_wstatus(status, buf, sizeof(buf)));
			break;
		}
		if (WEXITSTATUS(status) == 1)
			break;
		injected++;
	}
	rf_note("%s: %u failure points injected", p->name, injected);
	EXPECT_TRUE(n <= MAX_POINTS);
}

/* ---- what is checked after each run ---- */

static void expect_restricted_iff(bool restricted)
{
	EXPECT_RES(rf_new_ring_nop(), restricted ? -EACCES : 0);
}

static void check_task_set(int ret)
{
	expect_restricted_iff(ret == 0);
	/* A failed registration left nothing: a second one works. */
	if (ret)
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

/* ---- the paths ---- */

static int call_task_restrictions(void)
{
	return RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ));
}

static int call_task_filter(void)
{
	return rf_bpf_deny(-1, IORING_OP_NOP);
}

static int call_ioctl_restrictions(void)
{
	struct {
		struct io_uring_task_restriction tr;
		struct io_uring_restriction res[1];
	} a = { .tr.nr_res = 1, .res[0] = { .opcode = IORING_RESTRICTION_SQE_OP,
					    .sqe_op = IORING_OP_READ } };

	return rf_dev_ioctl(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, &a);
}

static int call_ioctl_filter(void)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_NOP, 0, RF_INSNS(RF_RET(0)), 1);
	return rf_dev_ioctl(RINGFENCE_IOC_REGISTER_BPF_FILTER, &reg);
}

static int call_ioctl_version(void)
{
	struct ringfence_version v;

	memset(&v, 0, sizeof(v));
	return rf_dev_ioctl(RINGFENCE_IOC_VERSION, &v);
}

static void check_version(int ret)
{
	expect_restricted_iff(false);
	(void)ret;
}

static struct rf_ring ring;

static void prepare_ring(void)
{
	ASSERT_RES(rf_ring_init(&ring, 8, 0), 0);
}

static int call_ring_filter(void)
{
	return rf_bpf_deny(ring.fd, IORING_OP_NOP);
}

static void check_ring_filter(int ret)
{
	EXPECT_RES(rf_ring_nop(&ring), ret ? 0 : -EACCES);
	expect_restricted_iff(false);
}

static void prepare_disabled_ring(void)
{
	ASSERT_RES(rf_ring_init(&ring, 8, IORING_SETUP_R_DISABLED), 0);
}

static int call_ring_restrictions(void)
{
	struct io_uring_restriction res = rf_r_sqe_op(IORING_OP_READ);

	return rf_sys_register(ring.fd, RINGFENCE_IORING_REGISTER_RESTRICTIONS, &res, 1);
}

static void check_ring_restrictions(int ret)
{
	ASSERT_RES(rf_sys_register(ring.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_RES(rf_ring_nop(&ring), ret ? 0 : -EACCES);
}

static void prepare_restricted(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

static int ring_fd_made;

static int call_ring_setup(void)
{
	ring_fd_made = rf_ring_init(&ring, 8, 0);
	return ring_fd_made;
}

static void check_ring_setup(int ret)
{
	/* No ring, or a restricted one: never a free ring. */
	if (!ret)
		EXPECT_RES(rf_ring_nop(&ring), -EACCES);
}

static int call_parity(void)
{
	return rf_dev_ioctl(RINGFENCE_IOC_ENABLE_SECCOMP_PARITY, NULL);
}

static void prepare_unix_only(void)
{
	rf_scmp_unix_sockets_only();
}

static void check_parity(int ret)
{
	struct rf_ring r;
	int res;

	ASSERT_RES(rf_ring_init(&r, 8, 0), 0);
	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	res = rf_run1(&r);
	if (res >= 0)
		close(res);
	EXPECT_RES(res < 0 ? res : 0, ret ? 0 : -EAFNOSUPPORT);
}

/* Log-only set (ringfence's own): allows; a failed one left nothing. */
static int call_log_only_set(void)
{
	struct {
		struct io_uring_task_restriction tr;
		struct io_uring_restriction res[1];
	} a = { .tr.flags = RINGFENCE_REGISTER_LOG_ONLY, .tr.nr_res = 1,
		.res[0] = { .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_READ } };

	return rf_dev_ioctl(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, &a);
}

static struct ringfence_status status;

static int own_status(void)
{
	memset(&status, 0, sizeof(status));
	return rf_dev_ioctl(RINGFENCE_IOC_STATUS, &status);
}

static void check_log_only_set(int ret)
{
	/* Log-only never denies, registered or not. */
	expect_restricted_iff(false);
	ASSERT_RES(own_status(), 0);
	EXPECT_EQ(!!status.log_only_set.restricts, ret == 0);
	if (ret)
		EXPECT_RES(call_log_only_set(), 0);
}

static int learn_fd = -1;

static int call_learn(void)
{
	struct ringfence_learn l = { 0 };
	int fd = rf_dev_ioctl(RINGFENCE_IOC_LEARN, &l);

	if (fd < 0)
		return fd;
	learn_fd = fd;
	return 0;
}

static void check_learn(int ret)
{
	struct ringfence_record rec[8];
	ssize_t n;

	if (ret) {
		/* Nothing half-made: learning can still start. */
		EXPECT_RES(call_learn(), 0);
		return;
	}
	expect_restricted_iff(false);
	n = read(learn_fd, rec, sizeof(rec));
	EXPECT_TRUE(n >= (ssize_t)sizeof(rec[0]));
	if (n >= (ssize_t)sizeof(rec[0]))
		EXPECT_EQ(rec[0].ctx.opcode, IORING_OP_NOP);
}

static void check_status(int ret)
{
	expect_restricted_iff(true);
	if (!ret) {
		EXPECT_TRUE(status.flags & RINGFENCE_STATUS_CONFINED);
		EXPECT_TRUE(status.set.restricts & RINGFENCE_STATUS_SQE);
	}
}

/* fork() of a restricted task: no child, or a restricted one. */
static int fork_status;

static int call_fork(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(rf_new_ring_nop() == -EACCES ? 0 : 1);
	if (pid < 0)
		return -errno;
	waitpid(pid, &fork_status, 0);
	return 0;
}

static void check_child(int ret)
{
	if (!ret)
		EXPECT_TRUE(WIFEXITED(fork_status) && WEXITSTATUS(fork_status) == 0);
}

static int call_vfork(void)
{
	pid_t pid = vfork();

	if (pid == 0) {
		execl("/proc/self/exe", "fault_inject", "--rf-helper", "restricted_now", NULL);
		_exit(126);
	}
	if (pid < 0)
		return -errno;
	waitpid(pid, &fork_status, 0);
	return 0;
}

static void *thread_check(void *arg)
{
	(void)arg;
	return (void *)(long)(rf_new_ring_nop() == -EACCES);
}

static int call_thread(void)
{
	pthread_t th;
	void *res;
	int ret = pthread_create(&th, NULL, thread_check, NULL);

	if (ret)
		return -ret;
	pthread_join(th, &res);
	fork_status = res ? 0 : 1 << 8;
	return 0;
}

/* execve() of a restricted task: the program that runs is restricted. */
static int call_execve(void)
{
	execl("/proc/self/exe", "fault_inject", "--rf-helper", "restricted_now", NULL);
	return -errno;
}

static void check_execve(int ret)
{
	/* Reached only when execve itself failed: still restricted. */
	expect_restricted_iff(true);
	(void)ret;
}

/*
 * The program execve() started: restricted, always. It also tells whether
 * the armed failure was used up before it ran (in execve or the startup
 * code: exit 0) or is still pending (exit 1, nothing left to inject in
 * execve). fail-nth stays armed across execve; opening and reading it may
 * take the pending failure, which also means it was not execve's.
 */
RF_HELPER(restricted_now)
{
	char buf[16] = "";
	bool pending = false;
	int fd, i;

	(void)argc;
	(void)argv;
	for (i = 0; (fd = open("/proc/thread-self/fail-nth", O_RDWR)) < 0; i++) {
		pending = true;
		if (i == 100)
			return 3;
	}
	if (pread(fd, buf, sizeof(buf) - 1, 0) <= 0)
		pending = true;
	else if (atoi(buf) != 0)
		pending = true;
	if (pwrite(fd, "0", 1, 0) != 1 && errno != EFAULT)
		return 3;
	close(fd);
	if (rf_new_ring_nop() != -EACCES)
		return 2;
	return pending ? 1 : 0;
}

#define PATH(n, p, c, k)	{ .name = n, .prepare = p, .call = c, .check = k }
#define KERNEL_PATH(n, p, c, k)	{ n, p, c, k, .kernel_errno = true }

static const struct path paths[] = {
	PATH("io_uring_register(-1, 11)", NULL, call_task_restrictions, check_task_set),
	PATH("io_uring_register(-1, 37)", NULL, call_task_filter, check_task_set),
	PATH("ioctl REGISTER_TASK_RESTRICTIONS", NULL, call_ioctl_restrictions, check_task_set),
	PATH("ioctl REGISTER_BPF_FILTER", NULL, call_ioctl_filter, check_task_set),
	PATH("ioctl VERSION", NULL, call_ioctl_version, check_version),
	PATH("io_uring_register(ring, 37)", prepare_ring, call_ring_filter, check_ring_filter),
	PATH("io_uring_register(ring, 11)", prepare_disabled_ring, call_ring_restrictions,
	     check_ring_restrictions),
	PATH("io_uring_setup by a restricted task", prepare_restricted, call_ring_setup,
	     check_ring_setup),
	PATH("ioctl ENABLE_SECCOMP_PARITY", prepare_unix_only, call_parity, check_parity),
	PATH("ioctl REGISTER_TASK_RESTRICTIONS, log-only", NULL, call_log_only_set,
	     check_log_only_set),
	PATH("ioctl LEARN", NULL, call_learn, check_learn),
	PATH("ioctl STATUS of a restricted task", prepare_restricted, own_status, check_status),
	KERNEL_PATH("fork by a restricted task", prepare_restricted, call_fork, check_child),
	KERNEL_PATH("vfork + execve by a restricted task", prepare_restricted, call_vfork,
		    check_child),
	KERNEL_PATH("pthread_create by a restricted task", prepare_restricted, call_thread,
		    check_child),
	KERNEL_PATH("execve by a restricted task", prepare_restricted, call_execve,
		    check_execve),
};

TEST_TIMEOUT(every_failure_point_fails_cleanly, 3000)
{
	unsigned int i;

	setup();
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		run_path(&paths[i]);
}

/*
 * With reserve=0 the pools of entries for forks and ring setups are empty
 * from the start: what a storm leaves. There a restricted task's fork or
 * ring setup allocates with GFP_ATOMIC, or fails with ENOMEM on PREEMPT_RT
 * where nothing may allocate; never is the child or the ring free.
 */
static bool preempt_rt(void)
{
	struct utsname u;

	return !uname(&u) && strstr(u.version, "PREEMPT_RT");
}

static void load_empty_reserve(void)
{
	if (!rf_expect_module())
		SKIP("no module in this run");
	ASSERT_RES(rf_module_unload_retry(), 0);
	ASSERT_RES(rf_module_load("reserve=0"), 0);
}

/* Later programs need the module as it normally is. */
static void load_default(void)
{
	EXPECT_RES(rf_module_unload_retry(), 0);
	EXPECT_RES(rf_module_load(""), 0);
}

TEST_TIMEOUT(empty_reserve_fork_and_ring_fail_closed, 120)
{
	int status, ret;
	pid_t pid;

	load_empty_reserve();
	pid = rf_fork();
	if (pid == 0) {
		prepare_restricted();
		ret = rf_ring_init(&ring, 8, 0);
		if (preempt_rt())
			EXPECT_RES(ret, -ENOMEM);
		else if (EXPECT_RES(ret, 0))
			EXPECT_RES(rf_ring_nop(&ring), -EACCES);
		fork_status = -1;
		ret = call_fork();
		if (preempt_rt())
			EXPECT_RES(ret, -ENOMEM);
		else if (EXPECT_RES(ret, 0))
			EXPECT_TRUE(WIFEXITED(fork_status) && WEXITSTATUS(fork_status) == 0);
		rf_exit();
	}
	EXPECT_TRUE(waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
		    WEXITSTATUS(status) == 0);
	rf_note("%s", preempt_rt() ? "PREEMPT_RT: both refused with ENOMEM" :
		"both allocated with GFP_ATOMIC");
	load_default();
}

/* The same paths under every failure point, with nothing in the pools. */
TEST_TIMEOUT(empty_reserve_every_failure_point_fails_cleanly, 1200)
{
	static const struct path empty[] = {
		PATH("io_uring_setup by a restricted task, empty reserve", prepare_restricted,
		     call_ring_setup, check_ring_setup),
		KERNEL_PATH("fork by a restricted task, empty reserve", prepare_restricted,
			    call_fork, check_child),
		KERNEL_PATH("pthread_create by a restricted task, empty reserve",
			    prepare_restricted, call_thread, check_child),
	};
	unsigned int i;

	setup();
	load_empty_reserve();
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++)
		run_path(&empty[i]);
	load_default();
}
