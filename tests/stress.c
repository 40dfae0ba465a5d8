// SPDX-License-Identifier: GPL-2.0
/*
 * Concurrency stress: registrations racing submissions and forks, and fork
 * storms of restricted tasks under memory cgroup limits. Each test checks
 * what a user would see at every step, not only that nothing crashed:
 * a filter whose registration returned holds for every later request, a
 * child that exists is restricted, a fork that fails fails with an errno.
 * Counts say how often each race was run. Module and native alike.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static int deny_user_data(int fd, uint32_t v)
{
	return rf_bpf_deny_if(fd, IORING_OP_NOP, rf_match_word(0, v));
}

/* ---- ring filters registered while others submit on the ring ---- */

#define NR_RING_FILTERS	400
#define NR_SUBMITTERS	3

static struct rf_ring shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_uint registered;		/* filters 0..registered-1 are in force */
static atomic_bool done;
static atomic_ulong checked_denied, checked_free;

static void *ring_submitter(void *arg)
{
	unsigned int seed = (unsigned int)(uintptr_t)arg, k, before;
	int res;

	while (!atomic_load(&done)) {
		k = rand_r(&seed) % (NR_RING_FILTERS + 50);
		before = atomic_load(&registered);
		pthread_mutex_lock(&shared_lock);
		res = rf_run_nop(&shared, k);
		pthread_mutex_unlock(&shared_lock);
		if (k < before) {
			if (res != -EACCES)
				FAIL("NOP %u after its filter was registered: %s", k,
				     rf_errname(-res));
			atomic_fetch_add(&checked_denied, 1);
		} else if (k >= NR_RING_FILTERS) {
			if (res != 0)
				FAIL("NOP %u, which no filter names: %s", k, rf_errname(-res));
			atomic_fetch_add(&checked_free, 1);
		}
	}
	return NULL;
}

TEST_TIMEOUT(ring_filters_registered_while_others_submit, 300)
{
	pthread_t th[NR_SUBMITTERS];
	unsigned int i;
	int ret;

	ASSERT_RES(rf_ring_init(&shared, 16, 0), 0);
	for (i = 0; i < NR_SUBMITTERS; i++)
		pthread_create(&th[i], NULL, ring_submitter, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < NR_RING_FILTERS; i++) {
		ret = deny_user_data(shared.fd, i);
		if (ret) {
			FAIL("ring filter %u: %s", i, rf_errname(-ret));
			break;
		}
		atomic_store(&registered, i + 1);
	}
	usleep(100000);
	atomic_store(&done, true);
	for (i = 0; i < NR_SUBMITTERS; i++)
		pthread_join(th[i], NULL);
	rf_note("%u ring filters registered under load; %lu requests checked denied, %lu free",
		atomic_load(&registered), atomic_load(&checked_denied), atomic_load(&checked_free));
	EXPECT_TRUE(atomic_load(&checked_denied) > 0);
}

/* ---- task filters registered by threads that fork and create rings ---- */

#define NR_TASK_THREADS	4
#define TASK_FILTERS	40

static atomic_ulong children_checked, rings_checked;

/* Each thread: its own filters (on its user_data range), then a fork or a ring. */
static void *task_registrar(void *arg)
{
	unsigned int base = (unsigned int)(uintptr_t)arg * 1000, i;
	struct rf_ring r;
	int ret, status;
	pid_t pid;

	for (i = 0; i < TASK_FILTERS; i++) {
		ret = deny_user_data(-1, base + i);
		if (ret) {
			FAIL("task filter %u: %s", base + i, rf_errname(-ret));
			return NULL;
		}
		if (i % 2) {
			pid = fork();
			if (pid == 0) {
				if (rf_ring_init(&r, 4, 0))
					_exit(3);
				/* This thread's filters, and none of its siblings' later ones. */
				_exit(rf_run_nop(&r, base + i) != -EACCES ? 1 :
				      rf_run_nop(&r, base + i + 1) != 0 ? 2 : 0);
			}
			if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			    WEXITSTATUS(status))
				FAIL("child after task filter %u: %s", base + i,
				     pid < 0 ? rf_errname(errno) : "did not pass");
			atomic_fetch_add(&children_checked, 1);
		} else {
			if (rf_ring_init(&r, 4, 0)) {
				FAIL("io_uring_setup");
				return NULL;
			}
			if (rf_run_nop(&r, base + i) != -EACCES || rf_run_nop(&r, 999999) != 0)
				FAIL("a ring after task filter %u", base + i);
			rf_ring_exit(&r);
			atomic_fetch_add(&rings_checked, 1);
		}
	}
	return NULL;
}

TEST_TIMEOUT(task_filters_registered_by_threads_that_fork, 300)
{
	pthread_t th[NR_TASK_THREADS];
	unsigned int i;

	/* Filters are per task: no_new_privs is not needed as root, but cheap. */
	for (i = 0; i < NR_TASK_THREADS; i++)
		pthread_create(&th[i], NULL, task_registrar, (void *)(uintptr_t)(i + 1));
	for (i = 0; i < NR_TASK_THREADS; i++)
		pthread_join(th[i], NULL);
	/* The main thread registered nothing: it is free. */
	EXPECT_RES(rf_new_ring_nop(), 0);
	rf_note("%lu children and %lu rings checked after concurrent task registrations",
		atomic_load(&children_checked), atomic_load(&rings_checked));
}

/* ---- fork storms of restricted tasks under cgroup limits ---- */

/* The guest init mounts cgroup v2 with the memory and pids controllers on. */
#define CG_ROOT		"/sys/fs/cgroup"
#define CG		CG_ROOT "/stress-storm"
#define STORM_SECONDS	15

static bool write_str(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	bool ok = fd >= 0 && write(fd, v, strlen(v)) == (ssize_t)strlen(v);

	if (fd >= 0)
		close(fd);
	return ok;
}

static void cg_setup(void)
{
	char pid[16];

	if (access(CG_ROOT "/cgroup.subtree_control", F_OK))
		SKIP("no cgroup v2 at " CG_ROOT);
	if (!write_str(CG_ROOT "/cgroup.subtree_control", "+memory +pids"))
		SKIP("no memory and pids controllers");
	ASSERT_OK(mkdir(CG, 0700));
	/* Few tasks, and memory reclaimed hard: forks fail, allocations stall. */
	ASSERT_TRUE(write_str(CG "/pids.max", "48"));
	ASSERT_TRUE(write_str(CG "/memory.high", "24M"));
	snprintf(pid, sizeof(pid), "%d", getpid());
	ASSERT_TRUE(write_str(CG "/cgroup.procs", pid));
}

/* Out of the cgroup, and the cgroup gone. */
static void cg_teardown(void)
{
	char pid[16];
	int i;

	snprintf(pid, sizeof(pid), "%d", getpid());
	EXPECT_TRUE(write_str(CG_ROOT "/cgroup.procs", pid));
	for (i = 0; i < 100 && rmdir(CG) && errno == EBUSY; i++)
		usleep(50000);
	EXPECT_TRUE(access(CG, F_OK) != 0);
}

TEST_TIMEOUT(fork_storm_under_cgroup_limits_keeps_restrictions, 180)
{
	unsigned long forks = 0, refused = 0, children_ok = 0, other = 0;
	uint64_t end;
	int status;
	pid_t pid;

	cg_setup();
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	end = rf_now_ms() + STORM_SECONDS * 1000;
	while (rf_now_ms() < end) {
		pid = fork();
		if (pid < 0) {
			if (errno == EAGAIN || errno == ENOMEM)
				refused++;
			else
				FAIL("fork: %s", rf_errname(errno));
			/* Reap one to make room. */
			if (waitpid(-1, &status, 0) > 0) {
				if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
					children_ok++;
				else if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
					other++;
			}
			continue;
		}
		if (pid == 0) {
			/* Memory to reclaim, then the check. */
			char *p = malloc(1 << 20);
			int res;

			if (p)
				memset(p, 1, 1 << 20);
			res = rf_new_ring_nop();
			_exit(res == -EACCES ? 0 : res == -ENOMEM || res == -EAGAIN ? 2 : 1);
		}
		forks++;
	}
	while ((pid = waitpid(-1, &status, 0)) > 0) {
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
			children_ok++;
		else if (!WIFEXITED(status) || WEXITSTATUS(status) != 2)
			other++;
	}
	/* Exit 2: the ring setup was refused for memory (fail closed). Others: free. */
	if (other)
		FAIL("%lu children were not restricted", other);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
	rf_note("%lu forks under pids.max=48 and memory.high=24M, %lu refused, %lu children checked restricted",
		forks, refused, children_ok);
	EXPECT_TRUE(children_ok > 0);
	cg_teardown();
}
