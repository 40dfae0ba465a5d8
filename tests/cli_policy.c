// SPDX-License-Identifier: GPL-2.0
/*
 * The CLI's policy commands as an administrator uses them, in the guest:
 * `learn` writes a profile under which a second run sees no denial while
 * what the first run did not use is denied; `run --log-only` allows and
 * records, and leaves an enforcing policy alone; `status` shows a confined
 * process's policy and is refused to who may not ptrace it; `doctor` passes;
 * each profile in profiles/ allows and denies what it says.
 *
 * learn, --log-only and status are ringfence's own (skipped without the
 * module); doctor and the shipped profiles use upstream features only and
 * must behave the same on native 7.x kernels.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "privs.h"
#include "rftest.h"
#include "uring.h"

#define OUT_MAX		16384

static char self[PATH_MAX];
static char out[OUT_MAX];

static void need_cli(void)
{
	ssize_t n;

	if (access("/vm/bin/ringfence", X_OK))
		SKIP("no ringfence CLI in the guest");
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	ASSERT_TRUE(n > 0);
	self[n] = '\0';
}

static void need_module(void)
{
	need_cli();
	if (!rf_expect_module())
		SKIP("learn, --log-only and status are ringfence's own: no module in this run");
}

/* Runs argv with stdout and stderr into out[]; returns its wait status. */
static int run_cli(char *const argv[])
{
	int p[2], status = -1;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	if (pipe(p))
		return -1;
	pid = fork();
	if (pid == 0) {
		dup2(p[1], 1);
		dup2(p[1], 2);
		close(p[0]);
		close(p[1]);
		execvp(argv[0], argv);
		_exit(127);
	}
	close(p[1]);
	while (len + 1 < sizeof(out) && (n = read(p[0], out + len, sizeof(out) - 1 - len)) > 0)
		len += (size_t)n;
	out[len] = '\0';
	close(p[0]);
	if (pid < 0 || waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

#define RUN(...) run_cli((char *const[]){ __VA_ARGS__, NULL })

static int exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

#define EXPECT_EXIT(status, code)					\
	do {								\
		int _c = exit_code(status);				\
		if (_c != (code))					\
			FAIL("exit %d, expected %d; output:\n%s", _c, (code), out); \
	} while (0)

#define EXPECT_OUT(text)						\
	do {								\
		if (!strstr(out, (text)))				\
			FAIL("no '%s' in:\n%s", (text), out);		\
	} while (0)

/* ---- the requests a confined helper tries ---- */

enum { TRY_DENIED = 0, TRY_ALLOWED = 1, TRY_BROKEN = 2 };

static int listener(unsigned int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) || listen(s, 16) ||
	    getsockname(s, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return s;
}

/*
 * One request by name: nop, read, mkdirat, socket-inet, socket-unix,
 * open-read, open-create, connect:PORT (127.0.0.1, from a socket(2)
 * socket). Exits TRY_DENIED if its CQE says -EACCES.
 */
static int try_one(struct rf_ring *r, const char *what)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);
	struct sockaddr_in a = { .sin_family = AF_INET };
	char buf[64];
	int res, fd = -1;

	if (!strcmp(what, "nop")) {
		rf_prep_nop(sqe);
	} else if (!strcmp(what, "read")) {
		fd = open("/proc/version", O_RDONLY | O_CLOEXEC);
		rf_prep_rw(sqe, IORING_OP_READ, fd, buf, sizeof(buf), 0);
	} else if (!strcmp(what, "mkdirat")) {
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_MKDIRAT;
		sqe->fd = AT_FDCWD;
		sqe->addr = (uintptr_t)"/tmp/cli_policy.dir";
		sqe->len = 0700;
	} else if (!strcmp(what, "socket-inet")) {
		rf_prep_socket(sqe, AF_INET, SOCK_STREAM, 0);
	} else if (!strcmp(what, "socket-unix")) {
		rf_prep_socket(sqe, AF_UNIX, SOCK_STREAM, 0);
	} else if (!strcmp(what, "open-read")) {
		rf_prep_openat(sqe, AT_FDCWD, "/proc/version", O_RDONLY | O_CLOEXEC, 0);
	} else if (!strcmp(what, "open-create")) {
		rf_prep_openat(sqe, AT_FDCWD, "/tmp/cli_policy.new",
			       O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	} else if (!strncmp(what, "connect:", 8)) {
		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		a.sin_port = htons((uint16_t)atoi(what + 8));
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		rf_prep_connect(sqe, fd, &a, sizeof(a));
	} else {
		dprintf(2, "try: unknown request %s\n", what);
		return TRY_BROKEN;
	}
	res = rf_run1(r);
	if (fd >= 0)
		close(fd);
	if (res >= 0 && strncmp(what, "connect:", 8) && strcmp(what, "nop") &&
	    strcmp(what, "read") && strcmp(what, "mkdirat"))
		close(res);
	dprintf(1, "%s: %d\n", what, res);
	return res == -EACCES ? TRY_DENIED : TRY_ALLOWED;
}

/* try WHAT...: exits with the verdict on the last; any earlier denial is 3. */
RF_HELPER(try)
{
	struct rf_ring r;
	int i, v = TRY_BROKEN;

	if (rf_ring_init(&r, 8, 0))
		return TRY_BROKEN;
	for (i = 1; i < argc; i++) {
		v = try_one(&r, argv[i]);
		if (v == TRY_BROKEN || (v == TRY_DENIED && i + 1 < argc))
			return v == TRY_BROKEN ? v : 3;
	}
	rf_ring_exit(&r);
	return v;
}

/* ---- learn ---- */

TEST(learn_demo_then_its_profile_denies_nothing_it_used)
{
	need_module();
	unlink("/tmp/cli_policy.demo");
	EXPECT_EXIT(RUN("ringfence", "learn", "-o", "/tmp/demo.profile", "--",
			"uring-demo", "/tmp/cli_policy.demo"), 0);
	ASSERT_TRUE(run_cli((char *const[]){ "cat", "/tmp/demo.profile", NULL }) == 0);
	rf_note("learned:\n%s", out);
	EXPECT_OUT("allow-op nop ");
	EXPECT_OUT("allow-op openat ");
	EXPECT_OUT("allow-op socket ");

	unlink("/tmp/cli_policy.demo");
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/demo.profile", "--", "sh", "-c",
			"uring-demo /tmp/cli_policy.demo && ringfence status"), 0);
	if (strstr(out, "denied ("))
		FAIL("the demo was denied under its own profile:\n%s", out);
	EXPECT_OUT("\ndenied: none\n");
	EXPECT_TRUE(access("/tmp/cli_policy.demo", F_OK) == 0);
	unlink("/tmp/cli_policy.demo");

	/* READ: the demo never used it. */
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/demo.profile", "--", self,
			"--rf-helper", "try", "read"), TRY_DENIED);
	unlink("/tmp/demo.profile");
}

/* Sockets, opens and a connect: learned as rules on each of them. */
RF_HELPER(workload)
{
	struct rf_ring r;
	char spec[32];

	if (argc != 2 || rf_ring_init(&r, 8, 0))
		return TRY_BROKEN;
	snprintf(spec, sizeof(spec), "connect:%s", argv[1]);
	if (try_one(&r, "open-read") != TRY_ALLOWED || try_one(&r, "read") != TRY_ALLOWED ||
	    try_one(&r, "socket-inet") != TRY_ALLOWED || try_one(&r, spec) != TRY_ALLOWED)
		return TRY_DENIED;
	rf_ring_exit(&r);
	return 0;
}

TEST(learn_sockets_opens_connect_then_exactly_those_are_allowed)
{
	unsigned int port, other;
	char ports[16], other_spec[32], rule[64];
	int l1, l2;

	need_module();
	l1 = listener(&port);
	l2 = listener(&other);
	ASSERT_TRUE(l1 >= 0 && l2 >= 0);
	snprintf(ports, sizeof(ports), "%u", port);
	snprintf(other_spec, sizeof(other_spec), "connect:%u", other);

	EXPECT_EXIT(RUN("ringfence", "learn", "-o", "/tmp/work.profile", "--", self,
			"--rf-helper", "workload", ports), 0);
	ASSERT_TRUE(run_cli((char *const[]){ "cat", "/tmp/work.profile", NULL }) == 0);
	rf_note("learned:\n%s", out);
	EXPECT_OUT("socket-family inet ");
	EXPECT_OUT("socket-type stream ");
	EXPECT_OUT("deny-open-create ");
	snprintf(rule, sizeof(rule), "connect-allow 127.0.0.1:%u ", port);
	EXPECT_OUT(rule);
	EXPECT_EXIT(RUN("ringfence", "check-profile", "/tmp/work.profile"), 0);

	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/work.profile", "--", "sh", "-c",
			"\"$0\" --rf-helper workload \"$1\" && ringfence status", self, ports), 0);
	EXPECT_OUT("\ndenied: none\n");
	/* What the first run did not do. */
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/work.profile", "--", self,
			"--rf-helper", "try", other_spec), TRY_DENIED);
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/work.profile", "--", self,
			"--rf-helper", "try", "open-create"), TRY_DENIED);
	EXPECT_TRUE(access("/tmp/cli_policy.new", F_OK) != 0);
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/work.profile", "--", self,
			"--rf-helper", "try", "socket-unix"), TRY_DENIED);
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", "/tmp/work.profile", "--", self,
			"--rf-helper", "try", "nop"), TRY_DENIED);
	close(l1);
	close(l2);
	unlink("/tmp/work.profile");
}

/* ---- log-only ---- */

TEST(log_only_run_allows_and_counts_what_it_would_deny)
{
	need_module();
	EXPECT_EXIT(RUN("ringfence", "run", "--log-only", "--allow-op", "nop", "--", "sh", "-c",
			"\"$0\" --rf-helper try read; ringfence status", self), 0);
	EXPECT_OUT("read: ");
	if (strstr(out, "read: -13"))
		FAIL("a log-only set denied READ:\n%s", out);
	EXPECT_OUT("would deny (log-only): task-restriction 1");
	EXPECT_OUT("log-only restriction set:\n  submissions: nop");
}

TEST(log_only_run_does_not_weaken_an_enforcing_policy)
{
	need_module();
	EXPECT_EXIT(RUN("ringfence", "run", "--allow-op", "nop", "--", "ringfence", "run",
			"--log-only", "--allow-op", "nop,read", "--", self, "--rf-helper", "try",
			"read"), TRY_DENIED);
}

/* ---- status ---- */

TEST(status_shows_the_policy_of_a_confined_process)
{
	need_module();
	EXPECT_EXIT(RUN("ringfence", "run", "--allow-op", "nop,read", "--socket-family", "unix",
			"--", "ringfence", "status"), 0);
	EXPECT_OUT("confined: yes");
	EXPECT_OUT("restriction set:\n  submissions: nop,read");
	EXPECT_OUT("task filters: 1\n  socket ");
	EXPECT_OUT("seccomp parity: off");
	EXPECT_EXIT(RUN("ringfence", "status"), 0);
	EXPECT_OUT("confined: no");
}

TEST(status_is_refused_for_a_process_one_may_not_ptrace)
{
	int p[2], status;
	pid_t pid;

	need_module();
	ASSERT_TRUE(pipe(p) == 0);
	pid = fork();
	if (pid == 0) {
		char pid1[] = "1";

		dup2(p[1], 2);
		if (rf_drop_to_nobody())
			_exit(3);
		execlp("ringfence", "ringfence", "status", pid1, (char *)NULL);
		_exit(127);
	}
	close(p[1]);
	memset(out, 0, sizeof(out));
	if (read(p[0], out, sizeof(out) - 1) < 0)
		out[0] = '\0';
	close(p[0]);
	ASSERT_TRUE(waitpid(pid, &status, 0) == pid);
	EXPECT_EXIT(status, 1);
	EXPECT_OUT("not allowed");
}

/* ---- doctor (native kernels too) ---- */

TEST(doctor_passes_here)
{
	need_cli();
	EXPECT_EXIT(RUN("ringfence", "doctor"), 0);
	EXPECT_OUT("ok   end-to-end");
	EXPECT_OUT("0 checks failed");
}

/* ---- the shipped profiles (upstream features only: native kernels too) ---- */

static void expect_under(const char *profile, const char *what, int verdict)
{
	char path[128], req[64];

	snprintf(path, sizeof(path), "/vm/bin/%s", profile);
	snprintf(req, sizeof(req), "%s", what);
	EXPECT_EXIT(RUN("ringfence", "run", "--profile", path, "--", self, "--rf-helper", "try",
			req), verdict);
}

/* A listener on 127.0.0.1, and the try request that connects to it. */
static int connect_target(char *spec, size_t len)
{
	unsigned int port;
	int l = listener(&port);

	ASSERT_TRUE(l >= 0);
	snprintf(spec, len, "connect:%u", port);
	return l;
}

static void need_profiles(void)
{
	need_cli();
	if (access("/vm/bin/no-network.profile", F_OK))
		SKIP("profiles/ is not in the guest");
}

TEST(profile_no_network)
{
	char spec[32];
	int l;

	need_profiles();
	l = connect_target(spec, sizeof(spec));
	expect_under("no-network.profile", "socket-inet", TRY_DENIED);
	expect_under("no-network.profile", "socket-unix", TRY_ALLOWED);
	expect_under("no-network.profile", spec, TRY_DENIED);
	expect_under("no-network.profile", "open-read", TRY_ALLOWED);
	close(l);
}

TEST(profile_no_file_create)
{
	need_profiles();
	unlink("/tmp/cli_policy.new");
	rmdir("/tmp/cli_policy.dir");
	expect_under("no-file-create.profile", "open-create", TRY_DENIED);
	expect_under("no-file-create.profile", "mkdirat", TRY_DENIED);
	EXPECT_TRUE(access("/tmp/cli_policy.new", F_OK) != 0);
	EXPECT_TRUE(access("/tmp/cli_policy.dir", F_OK) != 0);
	expect_under("no-file-create.profile", "open-read", TRY_ALLOWED);
	expect_under("no-file-create.profile", "socket-inet", TRY_ALLOWED);
}

TEST(profile_rw_only)
{
	need_profiles();
	expect_under("rw-only.profile", "read", TRY_ALLOWED);
	expect_under("rw-only.profile", "open-read", TRY_DENIED);
	expect_under("rw-only.profile", "socket-unix", TRY_DENIED);
	expect_under("rw-only.profile", "nop", TRY_DENIED);
}

TEST(profile_event_loop_server)
{
	char spec[32];
	int l;

	need_profiles();
	l = connect_target(spec, sizeof(spec));
	expect_under("event-loop-server.profile", "read", TRY_ALLOWED);
	expect_under("event-loop-server.profile", "nop", TRY_ALLOWED);
	expect_under("event-loop-server.profile", "open-read", TRY_DENIED);
	expect_under("event-loop-server.profile", "socket-inet", TRY_DENIED);
	expect_under("event-loop-server.profile", spec, TRY_DENIED);
	close(l);
}
