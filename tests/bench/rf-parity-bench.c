// SPDX-License-Identifier: GPL-2.0
/*
 * rf-parity-bench: what seccomp parity costs a request, against what
 * seccomp costs the system call (the guest half of `make bench`'s B9 rows).
 *
 * For OPENAT (an existing file, O_RDONLY), READ (64 bytes from a socket,
 * which io_uring reads inline where a tmpfs file would go to io-wq; the
 * writes that fill it are not timed) and SOCKET (AF_UNIX, SOCK_STREAM):
 *   sys      the system call, no filter
 *   sys_f    the same child, then under a filter like Docker's default profile
 *   uring    the io_uring request (32 a submission), seccomp parity on
 *            (so the submit probe attached), no filter yet
 *   uring_f  the same child, then under the same filter
 * What parity adds with no filter at all is the probe's call, measured by
 * make bench's B2 rows.
 * Costs are nanoseconds an operation, the least of several runs; under
 * `scripts/bench --icount` a guest nanosecond is an instruction, so the
 * figures are instruction counts. Descriptors are closed outside the timed
 * loops. Goal: uring_f - uring <= sys_f - sys.
 *
 * Output: rf-parity-row op=OP sys=N sys_f=N uring=N uring_f=N
 */
#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "parity.h"
#include "uring.h"

#define BATCH	32
#define OPS	(BATCH * 64)	/* a timed run */
#define RUNS	15

/*
 * The system calls Docker's default profile (moby profiles/seccomp,
 * defaultAction ERRNO(EPERM)) allows on x86_64 without capabilities; names
 * libseccomp does not know here are skipped. socket is allowed except for
 * AF_VSOCK, as there.
 */
static const char *const docker_allowed[] = {
	"accept", "accept4", "access", "adjtimex", "alarm", "bind", "brk",
	"capget", "capset", "chdir", "chmod", "chown", "clock_adjtime",
	"clock_getres", "clock_gettime", "clock_nanosleep", "close",
	"close_range", "connect", "copy_file_range", "creat", "dup", "dup2",
	"dup3", "epoll_create", "epoll_create1", "epoll_ctl", "epoll_pwait",
	"epoll_pwait2", "epoll_wait", "eventfd", "eventfd2", "execve",
	"execveat", "exit", "exit_group", "faccessat", "faccessat2",
	"fadvise64", "fallocate", "fanotify_mark", "fchdir", "fchmod",
	"fchmodat", "fchown", "fchownat", "fcntl", "fdatasync", "fgetxattr",
	"flistxattr", "flock", "fork", "fremovexattr", "fsetxattr", "fstat",
	"fstatfs", "fsync", "ftruncate", "futex", "futex_waitv", "futimesat",
	"getcpu", "getcwd", "getdents", "getdents64", "getegid", "geteuid",
	"getgid", "getgroups", "getitimer", "getpeername", "getpgid",
	"getpgrp", "getpid", "getppid", "getpriority", "getrandom",
	"getresgid", "getresuid", "getrlimit", "get_robust_list", "getrusage",
	"getsid", "getsockname", "getsockopt", "gettid", "gettimeofday",
	"getuid", "getxattr", "inotify_add_watch", "inotify_init",
	"inotify_init1", "inotify_rm_watch", "io_cancel", "ioctl",
	"io_destroy", "io_getevents", "io_pgetevents", "ioprio_get",
	"ioprio_set", "io_setup", "io_submit", "io_uring_enter",
	"io_uring_register", "io_uring_setup", "kill", "lchown", "lgetxattr",
	"link", "linkat", "listen", "listxattr", "llistxattr", "lremovexattr",
	"lseek", "lsetxattr", "lstat", "madvise", "membarrier", "memfd_create",
	"mincore", "mkdir", "mkdirat", "mknod", "mknodat", "mlock", "mlock2",
	"mlockall", "mmap", "mprotect", "mq_getsetattr", "mq_notify",
	"mq_open", "mq_timedreceive", "mq_timedsend", "mq_unlink", "mremap",
	"msgctl", "msgget", "msgrcv", "msgsnd", "msync", "munlock",
	"munlockall", "munmap", "nanosleep", "newfstatat", "open", "openat",
	"openat2", "pause", "pidfd_open", "pidfd_send_signal", "pipe", "pipe2",
	"poll", "ppoll", "prctl", "pread64", "preadv", "preadv2", "prlimit64",
	"pselect6", "pwrite64", "pwritev", "pwritev2", "read", "readahead",
	"readlink", "readlinkat", "readv", "recvfrom", "recvmmsg", "recvmsg",
	"remap_file_pages", "removexattr", "rename", "renameat", "renameat2",
	"restart_syscall", "rmdir", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigreturn", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_tgsigqueueinfo", "sched_getaffinity",
	"sched_getattr", "sched_getparam", "sched_get_priority_max",
	"sched_get_priority_min", "sched_getscheduler", "sched_rr_get_interval",
	"sched_setaffinity", "sched_setattr", "sched_setparam",
	"sched_setscheduler", "sched_yield", "seccomp", "select", "semctl",
	"semget", "semop", "semtimedop", "sendfile", "sendmmsg", "sendmsg",
	"sendto", "setfsgid", "setfsuid", "setgid", "setgroups", "setitimer",
	"setpgid", "setpriority", "setregid", "setresgid", "setresuid",
	"setreuid", "setrlimit", "set_robust_list", "setsid", "setsockopt",
	"set_tid_address", "setuid", "setxattr", "shmat", "shmctl", "shmdt",
	"shmget", "shutdown", "sigaltstack", "signalfd", "signalfd4",
	"socketpair", "splice", "stat", "statfs", "statx", "symlink",
	"symlinkat", "sync", "sync_file_range", "syncfs", "sysinfo", "tee",
	"tgkill", "time", "timer_create", "timer_delete", "timer_getoverrun",
	"timer_gettime", "timer_settime", "timerfd_create", "timerfd_gettime",
	"timerfd_settime", "times", "tkill", "truncate", "umask", "uname",
	"unlink", "unlinkat", "utime", "utimensat", "utimes", "vfork",
	"vmsplice", "wait4", "waitid", "write", "writev", "arch_prctl",
	"clone", "wait4",
};

static void die(const char *what, int err)
{
	printf("rf-parity-bench: error: %s: %s\n", what, strerror(err));
	exit(1);
}

static void docker_filter(void)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	struct scmp_arg_cmp not_vsock = SCMP_A0(SCMP_CMP_NE, 40 /* AF_VSOCK */);
	unsigned int i;
	int nr, ret;

	if (!ctx)
		die("seccomp_init", ENOMEM);
	for (i = 0; i < sizeof(docker_allowed) / sizeof(docker_allowed[0]); i++) {
		nr = seccomp_syscall_resolve_name(docker_allowed[i]);
		if (nr != __NR_SCMP_ERROR)
			seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	}
	ret = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1, &not_vsock);
	if (!ret)
		ret = seccomp_load(ctx);
	seccomp_release(ctx);
	if (ret)
		die("loading the filter", -ret);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

enum op { OP_OPENAT, OP_READ, OP_SOCKET, NR_OPS };
static const char *const op_name[NR_OPS] = { "openat", "read", "socket" };

static const char file_path[] = "/tmp/rf-parity-bench";
static int sv[2];	/* READ reads sv[0]; sv[1] fills it */
static char buf[64];
static int fds[OPS];

static void close_fds(unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (fds[i] >= 0)
			close(fds[i]);
}

/* What a batch of READs will read, untimed. */
static void fill(void)
{
	static char data[BATCH * sizeof(buf)];

	if (write(sv[1], data, sizeof(data)) != sizeof(data))
		die("filling the socket", errno);
}

static double sys_run(enum op op)
{
	double t = 0, t0;
	unsigned int i;

	for (i = 0; i < OPS; i++) {
		if (op == OP_READ && i % BATCH == 0)
			fill();
		t0 = now_ns();
		switch (op) {
		case OP_OPENAT:
			fds[i] = openat(AT_FDCWD, file_path, O_RDONLY | O_CLOEXEC);
			break;
		case OP_READ:
			fds[i] = -1;
			if (read(sv[0], buf, sizeof(buf)) != sizeof(buf))
				die("read", errno);
			break;
		default:
			fds[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
			break;
		}
		t += now_ns() - t0;
	}
	close_fds(OPS);
	return t / OPS;
}

static double uring_run(struct rf_ring *r, enum op op)
{
	struct io_uring_cqe cqe;
	unsigned int i, j, n = 0;
	double t = 0, t0;

	for (i = 0; i < OPS / BATCH; i++) {
		if (op == OP_READ)
			fill();
		t0 = now_ns();
		for (j = 0; j < BATCH; j++) {
			struct io_uring_sqe *sqe = rf_get_sqe(r);

			if (op == OP_OPENAT)
				rf_prep_openat(sqe, AT_FDCWD, file_path, O_RDONLY | O_CLOEXEC, 0);
			else if (op == OP_READ)
				rf_prep_rw(sqe, IORING_OP_READ, sv[0], buf, sizeof(buf), -1);
			else
				rf_prep_socket(sqe, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		}
		if (rf_submit(r) != BATCH || rf_wait_cqes(r, BATCH))
			die("io_uring submission", EIO);
		t += now_ns() - t0;
		for (j = 0; j < BATCH; j++) {
			if (rf_pop_cqe(r, &cqe))
				die("io_uring completion", EIO);
			if (cqe.res < 0)
				die("a request", -cqe.res);
			fds[n++] = op == OP_READ ? -1 : cqe.res;
		}
	}
	close_fds(n);
	return t / OPS;
}

static double best_of(struct rf_ring *r, enum op op, bool uring)
{
	double best = 0, v;
	unsigned int i;

	for (i = 0; i < RUNS; i++) {
		v = uring ? uring_run(r, op) : sys_run(op);
		if (!i || v < best)
			best = v;
	}
	return best;
}

/*
 * A pair of figures from one child, before and after it installs the
 * filter, so that nothing but the filter differs between them: the system
 * call, or (with parity on from the start, and so the submit probe
 * attached) the io_uring request.
 */
static void measure_pair(enum op op, bool uring, double *before, double *after)
{
	double v[2];
	struct rf_ring r;
	int p[2];
	pid_t pid;

	if (pipe(p))
		die("pipe", errno);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (pid == 0) {
		if (uring && rf_ring_init(&r, BATCH * 2, 0))
			die("io_uring_setup", errno);
		if (uring && rf_enable_parity())
			die("enabling seccomp parity", errno);
		v[0] = best_of(&r, op, uring);
		docker_filter();
		v[1] = best_of(&r, op, uring);
		if (write(p[1], v, sizeof(v)) != sizeof(v))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], v, sizeof(v)) != sizeof(v))
		die("a measuring child", EIO);
	close(p[0]);
	waitpid(pid, NULL, 0);
	*before = v[0];
	*after = v[1];
}

int main(void)
{
	struct rlimit rl = { OPS + 256, OPS + 256 };
	unsigned int op;
	int fd;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit", errno);
	fd = open(file_path, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		die(file_path, errno);
	close(fd);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair", errno);
	for (op = 0; op < NR_OPS; op++) {
		double sys, sys_f, uring, uring_f;

		measure_pair(op, false, &sys, &sys_f);
		measure_pair(op, true, &uring, &uring_f);
		printf("rf-parity-row op=%s sys=%.0f sys_f=%.0f uring=%.0f uring_f=%.0f\n",
		       op_name[op], sys, sys_f, uring, uring_f);
	}
	return 0;
}
