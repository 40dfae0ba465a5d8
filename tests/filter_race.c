// SPDX-License-Identifier: GPL-2.0
/*
 * The filter must judge the request that runs. While one thread submits, a
 * second one keeps flipping the request's input in shared memory (the SQE
 * itself, the open_how struct, the sockaddr) between an allowed and a
 * denied value. The kernel copies each input once in the opcode's prep and
 * filters that copy, so every completion must be either the allowed value
 * executed or -EACCES, and a denied effect (a created file, a connection to
 * the forbidden port, an AF_INET socket) must never happen.
 *
 * Bounded: RACE_ITERS submissions or RACE_MS, whichever comes first, and
 * past that, while the window has not been hit, up to RACE_MAX_MS (on a
 * loaded machine the flipper may be descheduled for a long while). The
 * window is hit when the outcome is not what the submitter wrote last (the
 * flipper changed the input between the write and the kernel's copy); each
 * test reports how often that happened and fails if it never did, since
 * then it tested nothing. No assertion depends on timing otherwise.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

#define RACE_ITERS	2000
#define RACE_MS		1500
#define RACE_MAX_MS	15000

struct flipper {
	pthread_t thread;
	void *addr;
	unsigned int size;	/* 2, 4 or 8 bytes */
	uint64_t a, b;
	int stop;
	unsigned long flips;
};

static void store(void *addr, unsigned int size, uint64_t v)
{
	switch (size) {
	case 2:
		__atomic_store_n((uint16_t *)addr, (uint16_t)v, __ATOMIC_RELAXED);
		break;
	case 4:
		__atomic_store_n((uint32_t *)addr, (uint32_t)v, __ATOMIC_RELAXED);
		break;
	default:
		__atomic_store_n((uint64_t *)addr, v, __ATOMIC_RELAXED);
		break;
	}
}

static void *flip(void *arg)
{
	struct flipper *f = arg;

	while (!__atomic_load_n(&f->stop, __ATOMIC_RELAXED)) {
		store(f->addr, f->size, f->a);
		store(f->addr, f->size, f->b);
		f->flips++;
	}
	return NULL;
}

static void flipper_start(struct flipper *f, void *addr, unsigned int size,
			  uint64_t a, uint64_t b)
{
	memset(f, 0, sizeof(*f));
	f->addr = addr;
	f->size = size;
	f->a = a;
	f->b = b;
	ASSERT_EQ(pthread_create(&f->thread, NULL, flip, f), 0);
}

static void flipper_stop(struct flipper *f)
{
	__atomic_store_n(&f->stop, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(pthread_join(f->thread, NULL), 0);
}

struct race {
	long long start;
	unsigned int iters, allowed, denied;
	unsigned int hits;	/* outcomes the flipper decided */
	bool wrote_allowed;	/* what the submitter wrote this time */
};

static void race_start(struct race *race)
{
	memset(race, 0, sizeof(*race));
	race->start = (long long)rf_now_ms();
}

static bool race_go_on(struct race *race)
{
	long long elapsed = (long long)rf_now_ms() - race->start;

	/* Stop early once something went wrong: one report is enough. */
	if (rf_failed())
		return false;
	if (race->iters < RACE_ITERS && elapsed < RACE_MS)
		return true;
	return !race->hits && elapsed < RACE_MAX_MS;
}

/* Counts an outcome: @allowed, or denied. */
static void race_outcome(struct race *race, bool allowed)
{
	if (allowed)
		race->allowed++;
	else
		race->denied++;
	if (allowed != race->wrote_allowed)
		race->hits++;
}

static void race_report(const struct race *race, const struct flipper *f)
{
	rf_note("%u submissions in %lld ms: %u allowed, %u denied, %lu flips; window hit %u times",
		race->iters, (long long)rf_now_ms() - race->start, race->allowed,
		race->denied, f->flips, race->hits);
	if (!rf_failed() && !race->hits)
		FAIL("the flipper never changed an input before the kernel read it");
}

/* A one-entry ring: every SQE is sqes[0], so the flipper knows where. */
static void one_entry_ring(struct rf_ring *r, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	p.sq_thread_idle = 1000;
	ASSERT_RES(rf_ring_init_params(r, 1, &p), 0);
	ASSERT_EQ(r->sq_entries, 1);
}

/*
 * The next SQE. With SQPOLL, a CQE can be visible before the SQ thread has
 * moved the SQ head past its SQE: wait for the slot.
 */
static struct io_uring_sqe *next_sqe(struct rf_ring *r)
{
	struct io_uring_sqe *sqe;

	while (!(sqe = rf_get_sqe(r)))
		sched_yield();
	return sqe;
}

static void deny_creat(uint32_t op)
{
	ASSERT_RES(rf_bpf_deny_if(-1, op, RF_MATCH_MASKED(open.flags, O_CREAT,
							    O_CREAT)), 0);
}

/*
 * Count one open of absent @path that was O_RDONLY or O_CREAT: -ENOENT is
 * O_RDONLY run, -EACCES a denial; anything else, or a file at @path, fails.
 */
static void count_open(struct race *race, int res, const char *path)
{
	if (res == -ENOENT) {
		race_outcome(race, true);
	} else if (res == -EACCES) {
		race_outcome(race, false);
	} else {
		FAIL("submission %u: %d, expected -ENOENT or -EACCES",
		     race->iters, res);
		if (res >= 0)
			close(res);
	}
	if (rf_path_exists(path)) {
		FAIL("submission %u created the file", race->iters);
		unlink(path);
	}
}

/* OPENAT of an absent file: -ENOENT is O_RDONLY run, a descriptor is O_CREAT. */
static void openat_flags_race(unsigned int setup_flags)
{
	struct flipper f;
	struct race race;
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "race");
	deny_creat(IORING_OP_OPENAT);
	one_entry_ring(&r, setup_flags);
	flipper_start(&f, &r.sqes[0].open_flags, 4, O_RDONLY, O_CREAT | O_WRONLY);
	for (race_start(&race); race_go_on(&race); race.iters++) {
		/* Start from either value; the flipper may change it. */
		race.wrote_allowed = !(race.iters & 1);
		rf_prep_openat(next_sqe(&r), AT_FDCWD, path,
			       race.wrote_allowed ? O_RDONLY : O_CREAT | O_WRONLY, 0600);
		count_open(&race, rf_run1(&r), path);
	}
	flipper_stop(&f);
	race_report(&race, &f);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(openat_flags_flipped_in_sqe)
{
	openat_flags_race(0);
}

/* The same with the SQ thread reading the SQE. */
TEST(openat_flags_flipped_in_sqe_sqpoll)
{
	openat_flags_race(IORING_SETUP_SQPOLL);
}

TEST(openat2_how_flipped)
{
	struct open_how how;
	struct flipper f;
	struct race race;
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "race2");
	deny_creat(IORING_OP_OPENAT2);
	one_entry_ring(&r, 0);
	memset(&how, 0, sizeof(how));
	flipper_start(&f, &how.flags, 8, O_RDONLY, O_CREAT | O_WRONLY);
	for (race_start(&race); race_go_on(&race); race.iters++) {
		race.wrote_allowed = !(race.iters & 1);
		store(&how.flags, 8, race.wrote_allowed ? O_RDONLY : O_CREAT | O_WRONLY);
		rf_prep_openat2(next_sqe(&r), AT_FDCWD, path, &how, sizeof(how));
		count_open(&race, rf_run1(&r), path);
	}
	flipper_stop(&f);
	race_report(&race, &f);
	EXPECT_TRUE(!rf_path_exists(path));
}

static int nb_listener(struct sockaddr_in *sa)
{
	socklen_t len = sizeof(*sa);
	int fd;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	sa->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)sa, len) ||
	    listen(fd, 64) || getsockname(fd, (struct sockaddr *)sa, &len)) {
		FAIL("listener (got errno %s)", rf_errname(errno));
		rf_abort();
	}
	return fd;
}

/* Only port A may be connected to; the sockaddr flips between A and B. */
TEST(connect_sockaddr_flipped)
{
	struct sockaddr_in a, b, target, peer;
	struct flipper f;
	struct race race;
	struct rf_ring r;
	int la, lb;

	la = nb_listener(&a);
	lb = nb_listener(&b);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH(connect.port, a.sin_port)), 0);
	one_entry_ring(&r, 0);
	target = a;
	flipper_start(&f, &target.sin_port, 2, a.sin_port, b.sin_port);
	for (race_start(&race); race_go_on(&race); race.iters++) {
		socklen_t plen = sizeof(peer);
		int fd, res, afd;

		fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		ASSERT_OK(fd);
		race.wrote_allowed = !(race.iters & 1);
		store(&target.sin_port, 2, race.wrote_allowed ? a.sin_port : b.sin_port);
		rf_prep_connect(next_sqe(&r), fd, &target, sizeof(target));
		res = rf_run1(&r);
		if (res == 0) {
			race_outcome(&race, true);
			if (getpeername(fd, (struct sockaddr *)&peer, &plen) ||
			    peer.sin_port != a.sin_port)
				FAIL("submission %u connected to port %u",
				     race.iters, ntohs(peer.sin_port));
			/* Take it off the queue (it may still be in flight). */
			{
				struct pollfd p = { .fd = la, .events = POLLIN };

				poll(&p, 1, 1000);
			}
			afd = accept4(la, NULL, NULL, SOCK_CLOEXEC);
			if (afd >= 0)
				close(afd);
		} else if (res == -EACCES) {
			race_outcome(&race, false);
		} else {
			FAIL("submission %u: %d, expected 0 or -EACCES",
			     race.iters, res);
		}
		afd = accept4(lb, NULL, NULL, SOCK_CLOEXEC);
		if (afd >= 0) {
			FAIL("submission %u connected to the forbidden port",
			     race.iters);
			close(afd);
		}
		close(fd);
	}
	flipper_stop(&f);
	race_report(&race, &f);
	/* Nothing still in flight to the forbidden port either. */
	{
		struct pollfd p = { .fd = lb, .events = POLLIN };

		EXPECT_EQ(poll(&p, 1, 100), 0);
	}
}

/* Only AF_UNIX sockets; the SQE's domain flips between AF_UNIX and AF_INET. */
TEST(socket_domain_flipped_in_sqe)
{
	struct flipper f;
	struct race race;
	struct rf_ring r;
	int before;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.family, AF_UNIX)), 0);
	one_entry_ring(&r, 0);
	before = rf_count_fds();
	flipper_start(&f, &r.sqes[0].fd, 4, AF_UNIX, AF_INET);
	for (race_start(&race); race_go_on(&race); race.iters++) {
		int res, domain;
		socklen_t len = sizeof(domain);

		race.wrote_allowed = !(race.iters & 1);
		rf_prep_socket(next_sqe(&r), race.wrote_allowed ? AF_UNIX : AF_INET,
			       SOCK_STREAM | SOCK_CLOEXEC, 0);
		res = rf_run1(&r);
		if (res >= 0) {
			race_outcome(&race, true);
			if (getsockopt(res, SOL_SOCKET, SO_DOMAIN, &domain, &len) ||
			    domain != AF_UNIX)
				FAIL("submission %u created a socket of domain %d",
				     race.iters, domain);
			close(res);
		} else if (res == -EACCES) {
			race_outcome(&race, false);
		} else {
			FAIL("submission %u: %d, expected a socket or -EACCES",
			     race.iters, res);
		}
	}
	flipper_stop(&f);
	race_report(&race, &f);
	EXPECT_EQ(rf_count_fds(), before);
}
