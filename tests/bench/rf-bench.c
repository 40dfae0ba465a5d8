// SPDX-License-Identifier: GPL-2.0
/*
 * rf-bench: the guest half of `make bench` (scripts/bench names the cases
 * and judges the goals). One boot per kernel, every case once per round.
 *
 * A TCG guest on a busy two-core host runs at a speed that drifts by tens
 * of percent from one second to the next, so no figure is an absolute
 * time. Each case runs in a child that takes turns, a short slice at a
 * time, with a child running a syscall loop the module never sees; each
 * rate is taken over the fastest quarter of its slices and divided by the
 * loop's, and figures are ratios of those. The module's loaded and
 * unloaded states alternate A-B-B-A over the rounds. Every fork, wake-up
 * and measurement stays on one vCPU.
 *
 * A restriction can never be lifted from a task, so every figure is taken
 * in a fresh child that registers, measures, checks that its policy really
 * was in force, and sends its figure up a pipe.
 *
 * usage: rf-bench [--module KO] [--rounds N] [--round-ms MS]
 *                 [--children N] [--heavy-tasks N] [--heavy-rings N]
 * Without --module the kernel is taken to have the feature natively, and
 * only the cases that make sense there run (B4, B5, B6, B8).
 *
 * Output the host reads (other lines are progress):
 *   rf-bench-info key=value...
 *   rf-bench-row id=ID unit=U num=MED,MIN,MAX den=MED,MIN,MAX fig=MED,MIN,MAX n=N
 *   rf-bench-samples METRIC v1 v2 ...
 * fig is the per-round num/den of reference-divided rates (B8 den/num,
 * a cost; B7 num-den, in bytes).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "uring.h"

#define MODULE_NAME	"ringfence"
#define BATCH		32	/* NOPs per io_uring_enter */
#define SLICES		100	/* turns each measuring child gets */
#define MAX_GROUP	2
#define MAX_ROUNDS	32
#define B7_REPS		3
#define UNLOAD_SECONDS	60	/* task entries go with an RCU grace period */

enum metric {
	M_NOP_BASE, M_FORK_BASE, M_RING_BASE,	/* module not loaded */
	M_NOP, M_FORK, M_RING,			/* loaded (or native), idle */
	M_NOP_HELD,				/* others hold restrictions */
	M_F1, M_F4, M_F16, M_L1, M_L4, M_L16, M_RESTR, M_FORK_L10,
	M_NOP_HEAVY, M_F1_HEAVY, M_L1_HEAVY,	/* 10,000 tasks, 1,000 rings */
	M_SLAB_U, M_SLAB_L10, M_SLABALL_U, M_SLABALL_L10,
	M_REF,					/* scratch: see measure_alone() */
	NR_METRICS
};

static const char *const metric_name[NR_METRICS] = {
	"nop_unloaded", "fork_unloaded", "ring_unloaded", "nop", "fork",
	"ring", "nop_while_held", "nop_filter1", "nop_filter4", "nop_filter16",
	"nop_loading_filter1", "nop_loading_filter4", "nop_loading_filter16",
	"nop_classic", "fork_loading_filter10", "nop_while_crowd",
	"nop_filter1_crowd", "nop_loading_filter1_crowd",
	"kmalloc_per_child", "kmalloc_per_child_loading_filter10",
	"slab_per_child", "slab_per_child_loading_filter10", "reference",
};

static double samples[NR_METRICS][MAX_ROUNDS];
static double ref[NR_METRICS][MAX_ROUNDS];	/* measure_alone()'s */
static unsigned int nsamples[NR_METRICS];

static const char *module_path;
static unsigned int rounds = 9, round_ms = 300, b7_children = 2000;
static unsigned int heavy_tasks = 10000, heavy_rings = 1000;

static void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("rf-bench: error: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
	exit(1);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void record(enum metric m, double v)
{
	if (nsamples[m] < MAX_ROUNDS)
		samples[m][nsamples[m]++] = v;
}

/* ---- what is measured ---- */

static void run_nops(struct rf_ring *r, unsigned long ops)
{
	unsigned long done;
	unsigned int i, head, tail;
	int ret;

	for (done = 0; done < ops; done += BATCH) {
		for (i = 0; i < BATCH; i++)
			rf_prep_nop(rf_get_sqe(r));
		rf_sq_flush(r);
		ret = rf_sys_enter(r->fd, BATCH, BATCH, IORING_ENTER_GETEVENTS);
		if (ret != BATCH)
			die("io_uring_enter submitted %d of %d NOPs", ret, BATCH);
		head = *r->cq_head;
		tail = __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE);
		if (tail - head != BATCH)
			die("%u CQEs for %d NOPs", tail - head, BATCH);
		/* A denied NOP would be a fast one: count only real ones. */
		for (; head != tail; head++)
			if (r->cqes[head & *r->cq_mask].res != 0)
				die("NOP completed with %d",
				    r->cqes[head & *r->cq_mask].res);
		__atomic_store_n(r->cq_head, head, __ATOMIC_RELEASE);
	}
}

static void fork_exit_wait(void)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0)
		_exit(0);
	if (waitpid(pid, &status, 0) != pid || status != 0)
		die("forked child: status %#x", status);
}

/* Setup and close: the teardown itself finishes in a kernel worker. */
static void ring_setup_close(void)
{
	struct io_uring_params p;
	int fd;

	memset(&p, 0, sizeof(p));
	fd = rf_sys_setup(8, &p);
	if (fd < 0)
		die("io_uring_setup: %s", strerror(-fd));
	close(fd);
}

static struct rf_ring nop_ring;	/* each measuring child's own */

static void nop_setup(void)
{
	int ret = rf_ring_init(&nop_ring, 2 * BATCH, 0);

	if (ret < 0)
		die("io_uring_setup: %s", strerror(-ret));
	run_nops(&nop_ring, 4 * BATCH);
}

static void nop_slice(unsigned long n)
{
	run_nops(&nop_ring, n);
}

static void fork_slice(unsigned long n)
{
	while (n--)
		fork_exit_wait();
}

static void ring_slice(unsigned long n)
{
	while (n--)
		ring_setup_close();
}

static void nothing(void)
{
}

static void syscall_slice(unsigned long n)
{
	while (n--)
		syscall(SYS_getppid);
}

/* What a measuring child repeats: set up once, then slices of per_slice units. */
struct work {
	void (*setup)(void);
	void (*slice)(unsigned long n);
	unsigned long unit, per_slice;
};

static struct work nops = { nop_setup, nop_slice, BATCH, 0 };
static struct work forks = { fork_exit_wait, fork_slice, 1, 0 };
static struct work rings = { ring_setup_close, ring_slice, 1, 0 };
static struct work syscalls = { nothing, syscall_slice, 1, 0 };

/*
 * Bytes in slab objects, [0] in kmalloc caches (where the module's task
 * entries live, with whatever small caches merged into them), [1] in all
 * caches: active objects times object size. Meminfo's Slab: counts whole
 * pages and jumps by hundreds of KiB with partial slabs; this moves by
 * objects, and the kmalloc sum leaves out the churn of task_struct,
 * vm_area_struct and friends, whose late RCU frees blur the total.
 */
static void slab_bytes(double bytes[2])
{
	char line[512], name[64];
	unsigned long active, total, size;
	FILE *f = fopen("/proc/slabinfo", "r");

	if (!f)
		die("/proc/slabinfo: %s", strerror(errno));
	bytes[0] = bytes[1] = 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%63s %lu %lu %lu", name, &active, &total,
			   &size) != 4)
			continue;
		if (!strncmp(name, "kmalloc", 7))
			bytes[0] += (double)active * size;
		bytes[1] += (double)active * size;
	}
	fclose(f);
	if (bytes[0] == 0)
		die("no kmalloc caches in /proc/slabinfo");
}

/* Slab bytes each of @n sleeping children of the calling task costs. */
static void slab_per_child(unsigned long n, double per_child[2])
{
	struct timespec settle = { 2, 0 };
	pid_t *pids = calloc(n, sizeof(*pids));
	double before[2], after[2];
	unsigned long i;

	if (!pids)
		die("out of memory");
	/* Let RCU free what the cases before this one left behind. */
	nanosleep(&settle, NULL);
	slab_bytes(before);
	for (i = 0; i < n; i++) {
		pids[i] = fork();
		if (pids[i] < 0)
			die("fork %lu of %lu: %s", i, n, strerror(errno));
		if (pids[i] == 0)
			for (;;)
				pause();
	}
	slab_bytes(after);
	for (i = 0; i < n; i++)
		kill(pids[i], SIGKILL);
	for (i = 0; i < n; i++)
		waitpid(pids[i], NULL, 0);
	free(pids);
	for (i = 0; i < 2; i++)
		per_child[i] = (after[i] - before[i]) / n;
}

/* ---- restricted children ---- */

struct policy {
	unsigned int filters;	/* allow filters on NOP: RET 1, B4's */
	bool loads;		/* LD opcode word; RET 1 instead */
	bool classic;		/* allow-list NOP, READ, WRITE */
};

/* Denied by a filter whenever a policy has filters; no case submits it. */
#define CANARY_OP	IORING_OP_FADVISE

#define FREE		((struct policy){ 0 })
#define FILTERS(n)	((struct policy){ .filters = (n) })
#define LOADING(n)	((struct policy){ .filters = (n), .loads = true })
#define CLASSIC		((struct policy){ .classic = true })

static void apply(const struct policy *p)
{
	unsigned int i;
	int ret;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("no_new_privs: %s", strerror(errno));
	if (p->classic) {
		ret = RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP),
				  rf_r_sqe_op(IORING_OP_READ),
				  rf_r_sqe_op(IORING_OP_WRITE));
		if (ret < 0)
			die("task restrictions: %s", strerror(-ret));
	}
	/*
	 * The module folds a program that returns non-zero without reading
	 * anything into a static "allow" that never runs; one that loads a
	 * word first is run on every request, as a real filter is.
	 */
	for (i = 0; i < p->filters; i++) {
		if (p->loads)
			ret = RF_BPF_FILTER(-1, IORING_OP_NOP, 0,
					    RF_LD(RF_CTX_OPCODE_WORD),
					    BPF_STMT(BPF_RET | BPF_K, 1));
		else
			ret = RF_BPF_FILTER(-1, IORING_OP_NOP, 0,
					    BPF_STMT(BPF_RET | BPF_K, 1));
		if (ret < 0)
			die("task filter %u: %s", i + 1, strerror(-ret));
	}
	/*
	 * A canary on an opcode no case submits, registered with the others:
	 * since 7.3 a filter added later no longer reaches rings made before
	 * it, so check_enforced() submits this one on the measured ring.
	 */
	if (p->filters) {
		ret = rf_bpf_deny(-1, CANARY_OP);
		if (ret < 0)
			die("canary filter: %s", strerror(-ret));
	}
}

static int submit_one(struct rf_ring *r, __u8 opcode)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	sqe->opcode = opcode;
	sqe->fd = -1;
	return rf_run1(r);
}

/*
 * A figure counts only if the policy was in force while it was taken: on
 * the ring measured, when there is one.
 */
static void check_enforced(const struct policy *p)
{
	struct rf_ring fresh, *r = &nop_ring;
	int ret;

	if (!p->filters && !p->classic)
		return;
	if (!nop_ring.sqes) {
		ret = rf_ring_init(&fresh, 4, 0);
		if (ret < 0)
			die("io_uring_setup: %s", strerror(-ret));
		r = &fresh;
	}
	if (p->classic) {
		ret = submit_one(r, IORING_OP_FSYNC);
		if (ret != -EACCES)
			die("allow-list not enforced: FSYNC gave %d", ret);
	}
	if (p->filters) {
		ret = submit_one(r, CANARY_OP);
		if (ret != -EACCES)
			die("filters not enforced: the canary opcode gave %d", ret);
	}
}

/*
 * Opens the pipe @a (and @b, unless NULL) and forks, with stdout flushed so
 * the child does not print the parent's buffer again. Returns fork()'s pid.
 */
static pid_t fork_with_pipes(int a[2], int b[2])
{
	pid_t pid;

	if (pipe(a) || (b && pipe(b)))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	return pid;
}

/* B7 in a child under @p: kmalloc and all-slab bytes per sleeping child. */
static void slab_in_child(struct policy p, enum metric kmalloc_m,
			  enum metric all_m)
{
	double v[2] = { 0, 0 };
	int fds[2], status = 0;
	ssize_t got;
	pid_t pid;

	pid = fork_with_pipes(fds, NULL);
	if (pid == 0) {
		apply(&p);
		slab_per_child(b7_children, v);
		check_enforced(&p);
		_exit(write(fds[1], v, sizeof(v)) == sizeof(v) ? 0 : 1);
	}
	close(fds[1]);
	got = read(fds[0], v, sizeof(v));
	close(fds[0]);
	waitpid(pid, &status, 0);
	if (got != sizeof(v) || status != 0)
		die("the B7 child failed (status %#x)", status);
	record(kmalloc_m, v[0]);
	record(all_m, v[1]);
}

/* Busy jiffies of all CPUs since boot. */
static unsigned long long busy_jiffies(void)
{
	unsigned long long v[8] = { 0 };
	FILE *f = fopen("/proc/stat", "r");

	if (!f || fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
			 &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8)
		die("cannot read /proc/stat");
	fclose(f);
	return v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
}

/*
 * Waits until the guest is idle for a moment: module unload, ring teardown
 * and RCU leave work for the other vCPU, which on a host of two cores slows
 * the one measuring.
 */
static void quiesce(void)
{
	struct timespec tick = { 0, 100 * 1000 * 1000 };
	double end = now() + 3;
	unsigned long long before;

	do {
		before = busy_jiffies();
		nanosleep(&tick, NULL);
	} while (busy_jiffies() - before > 1 && now() < end);
}

/*
 * A measuring child: applies its policy, sets its work up, then runs one
 * slice each time it reads 'g', timing only the slices; on 's' it checks
 * the policy and sends its rate. Pipes say when to stop, not EOF: later
 * siblings inherit the parent's ends.
 */
struct runner {
	pid_t pid;
	int go, done;
};

static void runner_start(struct runner *r, struct policy p,
			 const struct work *w)
{
	int go[2], done[2];
	char c;

	r->pid = fork_with_pipes(go, done);
	if (r->pid == 0) {
		double times[SLICES], fastest = 0;
		unsigned int n = 0, i, q;

		apply(&p);
		w->setup();
		if (write(done[1], "r", 1) != 1)
			_exit(1);
		while (read(go[0], &c, 1) == 1 && c == 'g' && n < SLICES) {
			times[n] = now();
			w->slice(w->per_slice);
			times[n] = now() - times[n];
			if (write(done[1], "d", 1) != 1)
				_exit(1);
			n++;
		}
		check_enforced(&p);
		/* The fastest quarter: the slices the host left alone. */
		qsort(times, n, sizeof(times[0]), cmp_double);
		q = (n + 3) / 4;
		for (i = 0; i < q; i++)
			fastest += times[i] / q;
		fastest = w->per_slice / fastest;
		_exit(write(done[1], &fastest, sizeof(fastest)) ==
		      sizeof(fastest) ? 0 : 1);
	}
	close(go[0]);
	close(done[1]);
	r->go = go[1];
	r->done = done[0];
	if (read(r->done, &c, 1) != 1)
		die("a measuring child did not start");
}

static void runner_step(struct runner *r)
{
	char c = 'g';

	if (write(r->go, &c, 1) != 1 || read(r->done, &c, 1) != 1)
		die("a measuring child died");
}

static double runner_finish(struct runner *r)
{
	double rate = 0;
	int status = 0;
	ssize_t got;

	if (write(r->go, "s", 1) != 1)
		die("a measuring child died");
	got = read(r->done, &rate, sizeof(rate));
	waitpid(r->pid, &status, 0);
	close(r->go);
	close(r->done);
	if (got != sizeof(rate) || status != 0)
		die("a measuring child failed (status %#x)", status);
	return rate;
}

struct job {
	struct work *w;
	struct policy p;
	enum metric m;
};

#define JOBS(...)	((const struct job[]){ __VA_ARGS__ })

/*
 * @k jobs, one child each, taking turns a slice at a time: whatever the
 * host does to the guest's speed meanwhile falls on all of them alike.
 * Each child's rate over its own slices is recorded as its job's metric.
 */
static void measure(unsigned int k, const struct job *jobs)
{
	struct runner r[MAX_GROUP];
	unsigned int s, j;

	quiesce();
	for (j = 0; j < k; j++)
		runner_start(&r[j], jobs[j].p, jobs[j].w);
	for (s = 0; s < SLICES; s++)
		for (j = 0; j < k; j++)
			runner_step(&r[(s + j) % k]);	/* who goes first rotates */
	for (j = 0; j < k; j++)
		record(jobs[j].m, runner_finish(&r[j]));
}

/* ---- other tasks holding restrictions ---- */

struct holder {
	pid_t pid;
	int ctl;
};

static void *sleeper(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

/*
 * A child holding @tasks restricted tasks (itself and its threads, which
 * inherit a NOP filter) and @rings rings created under it, until
 * holder_stop(). Threads, not forked sleepers: 10,000 threads cost a TCG
 * guest seconds, 10,000 address spaces far more.
 */
static void holder_start(struct holder *h, unsigned int tasks,
			 unsigned int rings)
{
	int ready[2], ctl[2];
	char c;

	h->pid = fork_with_pipes(ready, ctl);
	if (h->pid == 0) {
		struct rlimit rl = { rings + 64, rings + 64 };
		struct io_uring_params params;
		pthread_attr_t attr;
		pthread_t t;
		unsigned int i;
		int ret;

		apply(&LOADING(1));
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("RLIMIT_NOFILE %u: %s", rings + 64, strerror(errno));
		for (i = 0; i < rings; i++) {
			memset(&params, 0, sizeof(params));
			ret = rf_sys_setup(4, &params);
			if (ret < 0)
				die("ring %u: %s", i, strerror(-ret));
		}
		pthread_attr_init(&attr);
		pthread_attr_setstacksize(&attr, 64 * 1024);
		for (i = 1; i < tasks; i++) {
			ret = pthread_create(&t, &attr, sleeper, NULL);
			if (ret)
				die("thread %u: %s", i, strerror(ret));
		}
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		/* Any byte or EOF: the parent is done with us. */
		_exit(read(ctl[0], &c, 1) < 0);
	}
	close(ready[1]);
	close(ctl[0]);
	if (read(ready[0], &c, 1) != 1)
		die("the holder of %u tasks and %u rings did not start", tasks,
		    rings);
	close(ready[0]);
	h->ctl = ctl[1];
}

static void holder_stop(struct holder *h)
{
	if (write(h->ctl, "s", 1) != 1)
		die("the holder died");
	close(h->ctl);
	waitpid(h->pid, NULL, 0);
}

/* ---- the module ---- */

static bool module_loaded(void)
{
	struct stat st;

	return stat("/sys/module/" MODULE_NAME, &st) == 0;
}

static void module_load(void)
{
	int fd;

	if (module_loaded())
		return;
	fd = open(module_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		die("%s: %s", module_path, strerror(errno));
	if (syscall(SYS_finit_module, fd, "", 0))
		die("loading %s: %s", module_path, strerror(errno));
	close(fd);
}

static void module_unload(void)
{
	struct timespec pause = { 0, 20 * 1000 * 1000 };
	double end = now() + UNLOAD_SECONDS;

	while (module_loaded()) {
		if (syscall(SYS_delete_module, MODULE_NAME, O_NONBLOCK) == 0)
			return;
		/* Busy until the last restricted task and ring are freed. */
		if (errno != EWOULDBLOCK || now() > end)
			die("unloading the module: %s", strerror(errno));
		nanosleep(&pause, NULL);
	}
}

/*
 * One CPU for everything measured: under TCG a wake-up on the other vCPU
 * (a forked child, its parent reaping it) costs milliseconds when the host
 * is busy, and would swamp what the module costs. Kernel workers (ring
 * teardown, RCU) still use both.
 */
static void pin_to_last_cpu(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpus > 1 ? cpus - 1 : 0, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity: %s", strerror(errno));
}

/*
 * One case, in turns with a reference: a plain syscall loop the module
 * does not touch, whose rate tracks how fast the host lets the guest run
 * at that moment. Every figure compares rates divided by their reference,
 * so cases taken seconds apart, or in different states of the module,
 * can be compared. (Running the cases themselves in turns would be
 * tighter, but a restricted child alive next to an unrestricted one
 * makes the module do work for the latter too.)
 */
static void measure_alone(struct work *w, struct policy p, enum metric m)
{
	measure(2, JOBS({ w, p, m }, { &syscalls, FREE, M_REF }));
	ref[m][nsamples[m] - 1] = samples[M_REF][--nsamples[M_REF]];
}

/* Sets per_slice so that all of one child's slices take about round_ms. */
static void calibrate(struct work *w, unsigned long probe)
{
	struct runner r;
	double rate;

	w->per_slice = probe;
	runner_start(&r, FREE, w);
	runner_step(&r);
	rate = runner_finish(&r);
	w->per_slice = (unsigned long)(rate * round_ms / 1000 / SLICES);
	w->per_slice -= w->per_slice % w->unit;
	if (w->per_slice < w->unit)
		w->per_slice = w->unit;
}

/* ---- the rounds ---- */

static const struct item {
	struct work *w;
	struct policy p;
	enum metric m;
	bool module_only;	/* for B1-B3, against the unloaded state */
	bool held;		/* while 100 restricted tasks hold 10 rings */
} unloaded[] = {
	{ &nops, FREE, M_NOP_BASE, true, false },
	{ &forks, FREE, M_FORK_BASE, true, false },
	{ &rings, FREE, M_RING_BASE, true, false },
}, loaded[] = {
	{ &nops, FREE, M_NOP, false, false },
	{ &forks, FREE, M_FORK, false, false },
	{ &rings, FREE, M_RING, true, false },
	{ &nops, FREE, M_NOP_HELD, true, true },
	{ &nops, FILTERS(1), M_F1, false, false },
	{ &nops, FILTERS(4), M_F4, false, false },
	{ &nops, FILTERS(16), M_F16, false, false },
	{ &nops, LOADING(1), M_L1, false, false },
	{ &nops, LOADING(4), M_L4, false, false },
	{ &nops, LOADING(16), M_L16, false, false },
	{ &nops, CLASSIC, M_RESTR, false, false },
	{ &forks, LOADING(10), M_FORK_L10, false, false },
};

/*
 * The module detaches its per-request probe a second after the last filter
 * table goes (module/submit.c): a case without filters measures that
 * steady state, not the second after a filtered case.
 */
static bool filters_were_live;

static void await_probe_detach(void)
{
	struct timespec wait = { 1, 500 * 1000 * 1000 };

	if (!filters_were_live)
		return;
	nanosleep(&wait, NULL);
	filters_were_live = false;
}

/*
 * The cases of one module state, in order or (@mirror) reversed: the
 * rounds go A-B-B-A, so that each loaded/unloaded pair is as far apart in
 * either half and a steady drift cancels.
 */
static void state(bool is_loaded, bool mirror)
{
	const struct item *list = is_loaded ? loaded : unloaded;
	unsigned int n = is_loaded ? sizeof(loaded) / sizeof(loaded[0]) :
				     sizeof(unloaded) / sizeof(unloaded[0]);
	const struct item *it;
	struct holder h;
	unsigned int j;

	if (module_path && is_loaded)
		module_load();
	else if (module_path)
		module_unload();
	for (j = 0; j < n; j++) {
		it = &list[mirror ? n - 1 - j : j];
		if (it->module_only && !module_path)
			continue;
		if (it->held)
			holder_start(&h, 100, 10);
		else if (!it->p.filters)
			await_probe_detach();
		measure_alone(it->w, it->p, it->m);
		if (it->held)
			holder_stop(&h);
		filters_were_live |= it->held || it->p.filters;
	}
}

/* "median,min,max" of @n values. */
static void print_stats(const char *key, const double *v, unsigned int n)
{
	double s[MAX_ROUNDS];
	double med;

	memcpy(s, v, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	printf(" %s=%.6g,%.6g,%.6g", key, med, s[0], s[n - 1]);
}

/* Rates are divided by their reference first (measure_alone). */
enum fig { RATIO, COST, DIFF };

static const struct row {
	const char *id, *unit;
	enum metric num, den;
	enum fig fig;
} rows[] = {
	{ "B1", "ops/s", M_NOP, M_NOP_BASE, RATIO },
	{ "B2", "ops/s", M_NOP_HELD, M_NOP_BASE, RATIO },
	{ "B2-crowd", "ops/s", M_NOP_HEAVY, M_NOP_BASE, RATIO },
	{ "B3-fork", "forks/s", M_FORK, M_FORK_BASE, RATIO },
	{ "B3-ring", "rings/s", M_RING, M_RING_BASE, RATIO },
	{ "B4", "ops/s", M_F1, M_NOP, RATIO },
	{ "B4-4", "ops/s", M_F4, M_NOP, RATIO },
	{ "B4-16", "ops/s", M_F16, M_NOP, RATIO },
	{ "B4-ld", "ops/s", M_L1, M_NOP, RATIO },
	{ "B4-ld4", "ops/s", M_L4, M_NOP, RATIO },
	{ "B4-ld16", "ops/s", M_L16, M_NOP, RATIO },
	{ "B5", "ops/s", M_RESTR, M_NOP, RATIO },
	{ "B6", "ops/s", M_F1_HEAVY, M_NOP, RATIO },
	{ "B6-ld", "ops/s", M_L1_HEAVY, M_NOP, RATIO },
	{ "B7", "B/task", M_SLAB_L10, M_SLAB_U, DIFF },
	{ "B7-all", "B/task", M_SLABALL_L10, M_SLABALL_U, DIFF },
	{ "B8", "forks/s", M_FORK_L10, M_FORK, COST },
};

static void report(void)
{
	const struct row *r;
	double fig[MAX_ROUNDS];
	unsigned int i, m, n;

	for (m = 0; m < NR_METRICS; m++) {
		if (!nsamples[m])
			continue;
		printf("rf-bench-samples %s", metric_name[m]);
		for (i = 0; i < nsamples[m]; i++)
			printf(" %.6g", samples[m][i]);
		printf("\n");
		if (!ref[m][0])
			continue;
		printf("rf-bench-samples %s_reference", metric_name[m]);
		for (i = 0; i < nsamples[m]; i++)
			printf(" %.6g", ref[m][i]);
		printf("\n");
	}
	for (r = rows; r < rows + sizeof(rows) / sizeof(rows[0]); r++) {
		n = nsamples[r->num];
		if (!n || n != nsamples[r->den])
			continue;
		/* Pair each sample with the one of its own round. */
		for (i = 0; i < n; i++) {
			double a = samples[r->num][i], b = samples[r->den][i];

			if (r->fig != DIFF) {
				a /= ref[r->num][i];
				b /= ref[r->den][i];
			}
			fig[i] = r->fig == RATIO ? a / b :
				 r->fig == COST ? b / a : a - b;
		}
		printf("rf-bench-row id=%s unit=%s", r->id, r->unit);
		print_stats("num", samples[r->num], n);
		print_stats("den", samples[r->den], n);
		print_stats("fig", fig, n);
		printf(" n=%u\n", n);
	}
}

/* net.core.bpf_jit_enable, or -1: an interpreted filter costs far more. */
static int bpf_jit(void)
{
	FILE *f = fopen("/proc/sys/net/core/bpf_jit_enable", "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static unsigned int arg_uint(const char *opt, const char *val, unsigned int max)
{
	char *end;
	unsigned long v = val ? strtoul(val, &end, 10) : 0;

	if (!val || *end || v == 0 || v > max)
		die("%s wants a number from 1 to %u", opt, max);
	return (unsigned int)v;
}

int main(int argc, char **argv)
{
	struct holder h;
	struct utsname u;
	unsigned int i;
	double start = now();

	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < (unsigned int)argc; i += 2) {
		const char *opt = argv[i], *val = argv[i + 1];

		if (!strcmp(opt, "--module") && val)
			module_path = val;
		else if (!strcmp(opt, "--rounds"))
			rounds = arg_uint(opt, val, MAX_ROUNDS);
		else if (!strcmp(opt, "--round-ms"))
			round_ms = arg_uint(opt, val, 10000);
		else if (!strcmp(opt, "--children"))
			b7_children = arg_uint(opt, val, 30000);
		else if (!strcmp(opt, "--heavy-tasks"))
			heavy_tasks = arg_uint(opt, val, 30000);
		else if (!strcmp(opt, "--heavy-rings"))
			heavy_rings = arg_uint(opt, val, 30000);
		else
			die("usage: rf-bench [--module KO] [--rounds N] [--round-ms MS] [--children N] [--heavy-tasks N] [--heavy-rings N]");
	}
	if (module_path && module_loaded())
		die("the module is already loaded: the baseline needs it unloaded");

	/* Calibrated before the module is loaded, favouring no state. */
	pin_to_last_cpu();
	calibrate(&nops, 100 * BATCH);
	calibrate(&forks, 20);
	calibrate(&rings, 50);
	calibrate(&syscalls, 1000);
	uname(&u);
	printf("rf-bench-info release=%s module=%s bpf_jit=%d rounds=%u round_ms=%u slices=%u nops_per_slice=%lu forks_per_slice=%lu rings_per_slice=%lu children=%u heavy_tasks=%u heavy_rings=%u\n",
	       u.release, module_path ? "yes" : "no", bpf_jit(), rounds,
	       round_ms, SLICES, nops.per_slice, forks.per_slice,
	       rings.per_slice, b7_children, heavy_tasks, heavy_rings);

	for (i = 0; i < rounds; i++) {
		printf("rf-bench: round %u of %u (%.0fs)\n", i + 1, rounds,
		       now() - start);
		if (i % 2 == 0) {
			state(false, false);
			state(true, false);
		} else {
			state(true, true);
			state(false, true);
		}
	}

	if (module_path)
		module_load();
	printf("rf-bench: B6 with %u restricted tasks and %u rings (%.0fs)\n",
	       heavy_tasks, heavy_rings, now() - start);
	holder_start(&h, heavy_tasks, heavy_rings);
	for (i = 0; i < rounds; i++) {
		measure_alone(&nops, FREE, M_NOP_HEAVY);
		measure_alone(&nops, FILTERS(1), M_F1_HEAVY);
		measure_alone(&nops, LOADING(1), M_L1_HEAVY);
	}
	holder_stop(&h);

	/*
	 * B7 is what the module adds. On 7.2 /proc/slabinfo gave the same
	 * figure rep after rep and no kmalloc change at all: it moves a whole
	 * slab at a time there, too coarse even for a reference.
	 */
	if (module_path) {
		printf("rf-bench: B7 with %u children (%.0fs)\n", b7_children,
		       now() - start);
		for (i = 0; i < B7_REPS; i++) {
			slab_in_child(FREE, M_SLAB_U, M_SLABALL_U);
			slab_in_child(LOADING(10), M_SLAB_L10, M_SLABALL_L10);
		}
		/* The module must still leave cleanly after all of that. */
		module_unload();
	}
	report();
	printf("rf-bench: done in %.0fs\n", now() - start);
	return 0;
}
