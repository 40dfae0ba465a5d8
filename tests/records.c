// SPDX-License-Identifier: GPL-2.0
/*
 * Denials you can see (ringfence's own; module runs only): each layer that
 * denies a request or a register call produces a ringfence:deny trace
 * event, a kernel log line in the documented format and a count, for the
 * ring and for the task tree; RINGFENCE_IOC_STATUS shows a process's
 * policy and counts, and only to who may ptrace-read it; log-only layers
 * record and allow, and leave enforcing ones alone; a learning descriptor
 * returns every request by shape, with counts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bpf.h"
#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "scmp.h"
#include "uring.h"
#include "util.h"

#define TRACEFS		"/sys/kernel/tracing"
#define EVENT		TRACEFS "/events/ringfence/deny/enable"

static void need_module(void)
{
	if (!rf_expect_module())
		SKIP("records are ringfence's own: no module in this run");
}

static bool write_file(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, v, strlen(v)) == (ssize_t)strlen(v);

	if (fd >= 0)
		close(fd);
	return ok;
}

static bool event_enabled(void)
{
	int fd = open(EVENT, O_RDONLY | O_CLOEXEC);
	char c = '0';

	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	return c == '1';
}

/*
 * The trace buffer, cleared and recording ringfence:deny. The event is
 * enabled once and left on: each switch patches the scheduler's
 * tracepoints too (saved comms), and a 6.12.118 guest under TCG once
 * died of an int3 in ttwu_do_activate() while that patch was made.
 */
static void trace_start(void)
{
	if (access(EVENT, F_OK) && mount("nodev", TRACEFS, "tracefs", 0, NULL))
		SKIP("no tracefs: %s", rf_errname(errno));
	ASSERT_TRUE(write_file(TRACEFS "/trace", ""));
	if (!event_enabled())
		ASSERT_TRUE(write_file(EVENT, "1"));
}

/* How many lines of the trace buffer hold @text. */
static int trace_count(const char *text)
{
	static char buf[1 << 16];
	int fd, n;

	fd = open(TRACEFS "/trace", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return rf_count_in(buf, text);
}

static int status_of(pid_t pid, struct ringfence_status *st)
{
	memset(st, 0, sizeof(*st));
	st->pid = pid;
	return rf_dev_ioctl(RINGFENCE_IOC_STATUS, st);
}

static int register_log_only_set(struct io_uring_restriction *res, unsigned int nr)
{
	struct {
		struct io_uring_task_restriction tr;
		struct io_uring_restriction res[4];
	} a;

	memset(&a, 0, sizeof(a));
	a.tr.flags = RINGFENCE_REGISTER_LOG_ONLY;
	a.tr.nr_res = nr;
	memcpy(a.res, res, nr * sizeof(*res));
	return rf_dev_ioctl(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, &a);
}

/* One READ of 8 bytes of /dev/zero on a new ring: what a set allowing only NOP denies. */
static int run_read(void)
{
	int fd = open("/dev/zero", O_RDONLY | O_CLOEXEC), res;
	struct rf_ring r;
	char buf[8];

	rf_new_ring(&r);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, fd, buf, sizeof(buf), 0);
	res = rf_run1(&r);
	rf_ring_exit(&r);
	close(fd);
	return res;
}

/* ---- each layer ---- */

TEST(task_restriction_denial_is_traced_logged_and_counted)
{
	struct ringfence_status st;

	need_module();
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	trace_start();
	EXPECT_RES(run_read(), -EACCES);
	EXPECT_EQ(trace_count("layer=task-restriction error=-13"), 1);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_TRUE(st.flags & RINGFENCE_STATUS_CONFINED);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_TASK_RESTRICTION], 1);
	EXPECT_TRUE(st.set.restricts & RINGFENCE_STATUS_SQE);
	EXPECT_EQ(st.set.sqe_op[0], 1ULL << IORING_OP_NOP);
}

TEST(ring_restriction_denial_names_the_ring_layer)
{
	struct io_uring_restriction res = rf_r_sqe_op(IORING_OP_NOP);
	struct ringfence_status st;
	struct rf_ring r;
	char buf[8];

	need_module();
	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(rf_sys_register(r.fd, RINGFENCE_IORING_REGISTER_RESTRICTIONS, &res, 1), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	trace_start();
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, 0, buf, sizeof(buf), 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_EQ(trace_count("layer=ring-restriction error=-13"), 1);
	/* Not confined itself; its ring counts the denial. */
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_TRUE(!(st.flags & RINGFENCE_STATUS_CONFINED));
	ASSERT_TRUE(st.nr_rings >= 1);
	EXPECT_EQ(st.rings[0].fd, r.fd);
	EXPECT_TRUE(st.rings[0].flags & RINGFENCE_STATUS_RING_OWN_SET);
	EXPECT_EQ(st.rings[0].denied[RINGFENCE_LAYER_RING_RESTRICTION], 1);
}

TEST(task_and_ring_filter_denials_say_which_and_show_the_payload)
{
	struct ringfence_status st;
	struct rf_ring r;

	need_module();
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET, RF_MATCH(socket.family, AF_UNIX)), 0);
	rf_new_ring(&r);
	ASSERT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), 0);
	trace_start();
	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_DGRAM, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
	EXPECT_EQ(trace_count("layer=task-filter error=-13 family=2 type=2 protocol=0"), 1);
	trace_start();
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
	EXPECT_EQ(trace_count("op=0 sqe_flags=0x0 layer=ring-filter error=-13"), 1);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_TASK_FILTER], 1);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_RING_FILTER], 2);
	ASSERT_EQ(st.filters.nr, 1);
	EXPECT_EQ(st.filters.f[0].opcode, IORING_OP_SOCKET);
	EXPECT_EQ(st.filters.f[0].layer, RINGFENCE_LAYER_TASK_FILTER);
	EXPECT_EQ(st.filters.f[0].pid, (unsigned int)getpid());
	ASSERT_TRUE(st.nr_rings >= 1);
	EXPECT_EQ(st.rings[0].nr_filters, 2);
	rf_ring_exit(&r);
}

TEST(parity_denial_is_recorded_with_its_errno)
{
	struct ringfence_status st;
	struct rf_ring r;

	need_module();
	ASSERT_RES(rf_enable_parity(), 0);
	rf_new_ring(&r);
	rf_scmp_unix_sockets_only();
	trace_start();
	rf_prep_socket(rf_get_sqe(&r), AF_INET, SOCK_STREAM, 0);
	EXPECT_RES(rf_run1(&r), -EAFNOSUPPORT);
	EXPECT_EQ(trace_count("layer=seccomp-parity error=-97"), 1);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_TRUE(st.flags & RINGFENCE_STATUS_PARITY);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_SECCOMP_PARITY], 1);
	rf_ring_exit(&r);
}

TEST(refused_register_calls_are_recorded)
{
	struct rf_ring r;
	int fds[1] = { 0 };

	need_module();
	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_BUFFERS)), 0);
	rf_new_ring(&r);
	trace_start();
	/* Blind (7.3: refused before anything else), then on the ring. */
	EXPECT_RES(rf_sys_register(-1, IORING_REGISTER_PROBE, NULL, 0), -EACCES);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_FILES, fds, 1), -EACCES);
	EXPECT_EQ(trace_count("register=8 sqe_flags=0x0 layer=task-restriction error=-13"), 1);
	EXPECT_EQ(trace_count("register=2 sqe_flags=0x0 layer=task-restriction error=-13"), 1);
	rf_ring_exit(&r);
}

/* ---- the log: its format; rate-limited, switchable; the counters miss nothing ---- */

/* Lines of the kernel log holding both @a and @b. */
static int klog_lines(const char *a, const char *b)
{
	static char buf[1 << 20];
	int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf) - 1), count = 0;
	char *line, *save = NULL;

	if (n < 0)
		return -1;
	buf[n] = '\0';
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		count += strstr(line, a) && strstr(line, b);
	return count;
}

/* One line "ringfence: @what pid=<ours> comm="records" ring=N @rest". */
static void expect_log(const char *what, const char *rest)
{
	char head[96];

	snprintf(head, sizeof(head), "ringfence: %s pid=%d comm=\"records\" ring=", what,
		 (int)getpid());
	if (klog_lines(head, rest) != 1)
		FAIL("no single log line \"%s... %s\"", head, rest);
}

/*
 * Four records in one burst, after the rate limit's window (5 s) has run
 * out whatever earlier tests logged: each line as docs/observability.md
 * gives it.
 */
TEST_TIMEOUT(each_layer_logs_one_line_in_the_documented_format, 60)
{
	struct io_uring_restriction nop = rf_r_sqe_op(IORING_OP_NOP);
	struct rf_ring r;
	int fds[1] = { 0 };

	need_module();
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP), rf_r_sqe_op(IORING_OP_SOCKET),
			       rf_r_sqe_op(IORING_OP_READ),
			       rf_r_reg_op(RINGFENCE_IORING_REGISTER_BPF_FILTER)), 0);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET, RF_MATCH(socket.family, AF_UNIX)), 0);
	ASSERT_RES(register_log_only_set(&nop, 1), 0);
	rf_new_ring(&r);
	sleep(6);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_FILES, fds, 1), -EACCES);
	rf_prep_socket(rf_get_sqe(&r), AF_INET6, SOCK_STREAM, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_WRITE, 1, "", 0, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
	EXPECT_RES(run_read(), 8);
	expect_log("denied", " register=REGISTER_FILES layer=task-restriction error=-13");
	expect_log("denied", " op=SOCKET layer=task-filter error=-13 family=10 type=1 protocol=0");
	expect_log("denied", " op=WRITE layer=task-restriction error=-13");
	expect_log("would deny (log-only)", " op=READ layer=task-restriction error=-13");
	rf_ring_exit(&r);
}

/* The task names itself: its name cannot forge a line or a field. */
TEST_TIMEOUT(a_chosen_process_name_cannot_forge_log_lines, 60)
{
	pid_t pid;

	need_module();
	pid = rf_fork();
	if (pid == 0) {
		char head[96];

		EXPECT_TRUE(prctl(PR_SET_NAME, "a\"b\\c\nd", 0, 0, 0) == 0);
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
		sleep(6);	/* past the rate limit's window */
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		snprintf(head, sizeof(head), "ringfence: denied pid=%d comm=\"a?b?c?d\" ring=",
			 (int)getpid());
		if (klog_lines(head, " op=NOP layer=task-restriction error=-13") != 1)
			FAIL("no single log line \"%s... op=NOP\"", head);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "renamed child");
}

#define LOOP_NOPS	1000000
#define BATCH		64

TEST_TIMEOUT(a_million_denials_flood_nothing_and_all_count, 600)
{
	struct ringfence_status st;
	struct rf_ring r;
	unsigned int done = 0, i;
	char line[64];
	int before, after;

	need_module();
	snprintf(line, sizeof(line), "ringfence: denied pid=%d ", (int)getpid());
	before = rf_klog_count(line);
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	/* Without SUBMIT_ALL a denial would end each batch at its first SQE. */
	ASSERT_RES(rf_ring_init(&r, BATCH, IORING_SETUP_SUBMIT_ALL), 0);
	while (done < LOOP_NOPS) {
		struct io_uring_cqe cqe;

		for (i = 0; i < BATCH; i++)
			rf_prep_nop(rf_get_sqe(&r));
		rf_sq_flush(&r);
		ASSERT_EQ(rf_sys_enter(r.fd, BATCH, BATCH, IORING_ENTER_GETEVENTS), BATCH);
		while (rf_pop_cqe(&r, &cqe) == 0) {
			if (cqe.res != -EACCES)
				FAIL("NOP %u: %s", done, rf_errname(-cqe.res));
			done++;
		}
		if (rf_failed())
			break;
	}
	after = rf_klog_count(line);
	ASSERT_RES(status_of(0, &st), 0);
	rf_note("%u denied NOPs: %d log lines, %llu counted", done, after - before,
		(unsigned long long)st.denied[RINGFENCE_LAYER_TASK_RESTRICTION]);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_TASK_RESTRICTION], LOOP_NOPS);
	/* 10 a burst, a burst every 5 s: well under 1000 for any run this long. */
	EXPECT_TRUE(after - before >= 1 && after - before < 1000);
	rf_ring_exit(&r);
}

TEST(log_denials_off_keeps_the_trace_and_the_counts)
{
	struct ringfence_status st;
	char line[64];
	int before;

	need_module();
	snprintf(line, sizeof(line), "ringfence: denied pid=%d ", (int)getpid());
	ASSERT_TRUE(write_file("/sys/module/ringfence/parameters/log_denials", "0"));
	before = rf_klog_count(line);
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	trace_start();
	EXPECT_RES(run_read(), -EACCES);
	EXPECT_EQ(trace_count("layer=task-restriction"), 1);
	EXPECT_EQ(rf_klog_count(line), before);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_TASK_RESTRICTION], 1);
	EXPECT_TRUE(write_file("/sys/module/ringfence/parameters/log_denials", "1"));
}

/* ---- status of others ---- */

TEST(status_shows_a_confined_child_and_refuses_who_may_not_ptrace)
{
	struct ringfence_status st;
	int go[2], ready[2], status;
	char c;
	pid_t pid;

	need_module();
	ASSERT_OK(pipe(go));
	ASSERT_OK(pipe(ready));
	pid = rf_fork();
	if (pid == 0) {
		ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP), rf_r_sqe_op(IORING_OP_READ)), 0);
		EXPECT_RES(write(ready[1], "x", 1), 1);
		EXPECT_RES(read(go[0], &c, 1), 1);
		rf_exit();
	}
	ASSERT_RES(read(ready[0], &c, 1), 1);
	ASSERT_RES(status_of(pid, &st), 0);
	EXPECT_TRUE(st.flags & RINGFENCE_STATUS_CONFINED);
	EXPECT_EQ(st.set.sqe_op[0], (1ULL << IORING_OP_NOP) | (1ULL << IORING_OP_READ));
	EXPECT_RES(status_of(999999, &st), -ESRCH);
	/* nobody may not read root's process. */
	if (rf_fork() == 0) {
		ASSERT_OK(rf_drop_to_nobody());
		EXPECT_RES(status_of(pid, &st), -EPERM);
		EXPECT_RES(status_of(0, &st), 0);
		rf_exit();
	}
	EXPECT_TRUE(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	EXPECT_RES(write(go[1], "x", 1), 1);
	EXPECT_CHILD_OK(pid, "the confined child");
}

/*
 * The status walk of a file table counts rings by identity: a file and a
 * FIFO named "[io_uring]" are no rings, and their private data is never
 * read as one.
 */
TEST(status_counts_only_real_rings_not_look_alikes)
{
	struct ringfence_status st;
	struct rf_ring r;
	int file, fifo;

	need_module();
	if (mkdir("/tmp/records.fake", 0700) && errno != EEXIST)
		FAIL("mkdir: %s", rf_errname(errno));
	file = open("/tmp/records.fake/[io_uring]", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	ASSERT_TRUE(file >= 0);
	unlink("/tmp/records.fake/fifo");
	ASSERT_OK(mkfifo("/tmp/records.fake/fifo", 0600));
	fifo = open("/tmp/records.fake/fifo", O_RDWR | O_CLOEXEC);
	ASSERT_TRUE(fifo >= 0);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.nr_rings, 0);
	rf_new_ring(&r);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.nr_rings, 1);
	EXPECT_EQ(st.rings[0].fd, r.fd);
	rf_ring_exit(&r);
	close(fifo);
	close(file);
	unlink("/tmp/records.fake/fifo");
	unlink("/tmp/records.fake/[io_uring]");
	rmdir("/tmp/records.fake");
}

/* ---- log-only ---- */

TEST(log_only_set_allows_and_records)
{
	struct io_uring_restriction nop = rf_r_sqe_op(IORING_OP_NOP);
	struct ringfence_status st;
	struct rf_ring r;

	need_module();
	ASSERT_RES(register_log_only_set(&nop, 1), 0);
	trace_start();
	EXPECT_RES(run_read(), 8);
	EXPECT_EQ(trace_count("layer=task-restriction error=-13 log-only"), 1);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.log_only[RINGFENCE_LAYER_TASK_RESTRICTION], 1);
	EXPECT_EQ(st.denied[RINGFENCE_LAYER_TASK_RESTRICTION], 0);
	EXPECT_EQ(st.log_only_set.sqe_op[0], 1ULL << IORING_OP_NOP);
	EXPECT_TRUE(!st.set.restricts);
	rf_new_ring(&r);
	EXPECT_RES(rf_ring_nop(&r), 0);
	rf_ring_exit(&r);
}

TEST(the_upstream_route_takes_no_log_only_flag)
{
	struct {
		struct io_uring_task_restriction tr;
		struct io_uring_restriction res[1];
	} a = { .tr = { .flags = RINGFENCE_REGISTER_LOG_ONLY, .nr_res = 1 },
		.res[0] = { .opcode = IORING_RESTRICTION_SQE_OP, .sqe_op = IORING_OP_NOP } };

	need_module();
	/* Upstream's -EINVAL for any flag, and the task stays free. */
	EXPECT_RES(rf_register_task_raw(&a, 1), -EINVAL);
	EXPECT_RES(run_read(), 8);
}

TEST(log_only_never_weakens_an_enforcing_layer)
{
	struct io_uring_restriction all[2] = { rf_r_sqe_op(IORING_OP_NOP),
					       rf_r_sqe_op(IORING_OP_READ) };

	need_module();
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
	/* A log-only set that would allow READ: READ stays denied. */
	ASSERT_RES(register_log_only_set(all, 2), 0);
	EXPECT_RES(run_read(), -EACCES);
	/* And a second log-only set is refused as a second set would be. */
	EXPECT_RES(register_log_only_set(all, 2), -EPERM);
}

TEST(log_only_filter_allows_and_records)
{
	struct io_uring_bpf reg;
	struct ringfence_status st;
	struct rf_ring r;
	int res;

	need_module();
	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, RF_INSNS(RF_RET(0)), 1);
	reg.cmd_flags = RINGFENCE_REGISTER_LOG_ONLY;
	ASSERT_RES(rf_dev_ioctl(RINGFENCE_IOC_REGISTER_BPF_FILTER, &reg), 0);
	/* Upstream's syscall route refuses the flag. */
	EXPECT_RES(rf_bpf_register_raw(-1, &reg, 1), -EINVAL);
	rf_new_ring(&r);
	trace_start();
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_STREAM, 0);
	res = rf_run1(&r);
	EXPECT_TRUE(res >= 0);
	if (res >= 0)
		close(res);
	EXPECT_EQ(trace_count("layer=task-filter error=-13 log-only family=1"), 1);
	ASSERT_RES(status_of(0, &st), 0);
	EXPECT_EQ(st.log_only_filters.nr, 1);
	EXPECT_EQ(st.filters.nr, 0);
	EXPECT_EQ(st.log_only[RINGFENCE_LAYER_TASK_FILTER], 1);
	rf_ring_exit(&r);
}

/* ---- learning ---- */

static int learn_fd(void)
{
	struct ringfence_learn l = { 0 };

	return rf_dev_ioctl(RINGFENCE_IOC_LEARN, &l);
}

TEST(learning_returns_each_shape_with_its_count)
{
	struct ringfence_record rec[64];
	unsigned int nops = 0, sockets = 0, reg = 0, other = 0, i;
	struct rf_ring r;
	int fd, n, res;

	need_module();
	fd = learn_fd();
	ASSERT_TRUE(fd >= 0);
	EXPECT_RES(learn_fd(), -EBUSY);
	rf_new_ring(&r);
	for (i = 0; i < 5; i++)
		EXPECT_RES(rf_ring_nop(&r), 0);
	rf_prep_socket(rf_get_sqe(&r), AF_UNIX, SOCK_DGRAM, 0);
	res = rf_run1(&r);
	if (res >= 0)
		close(res);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	n = read(fd, rec, sizeof(rec));
	ASSERT_TRUE(n > 0 && n % sizeof(rec[0]) == 0);
	for (i = 0; i < n / sizeof(rec[0]); i++) {
		if (rec[i].kind == RINGFENCE_RECORD_SQE && rec[i].ctx.opcode == IORING_OP_NOP)
			nops += rec[i].count;
		else if (rec[i].kind == RINGFENCE_RECORD_SQE &&
			 rec[i].ctx.opcode == IORING_OP_SOCKET &&
			 rec[i].ctx.socket.family == AF_UNIX && rec[i].ctx.socket.type == SOCK_DGRAM)
			sockets += rec[i].count;
		else if (rec[i].kind == RINGFENCE_RECORD_REGISTER &&
			 rec[i].ctx.opcode == IORING_REGISTER_PROBE)
			reg += rec[i].count;
		else
			other++;
	}
	EXPECT_EQ(nops, 5);
	EXPECT_EQ(sockets, 1);
	EXPECT_EQ(reg, 1);
	EXPECT_EQ(other, 0);
	/* Nothing new: nothing to read. */
	EXPECT_RES(read(fd, rec, sizeof(rec)), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
	n = read(fd, rec, sizeof(rec));
	EXPECT_TRUE(n == sizeof(rec[0]) && rec[0].count == 1);
	close(fd);
	rf_ring_exit(&r);
}
