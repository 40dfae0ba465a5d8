// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded, seeded fuzzer for what restricted and filtered tasks submit:
 * random SQE streams (every opcode and a few past the last, random flags,
 * links and drains, fixed files, registered and provided buffers, random
 * fields) on restricted and filtered rings, from several threads at once,
 * some of them on one shared ring (SQPOLL or not), while other threads add
 * ring and task filters, fork children and exec, and the worker process
 * ends with requests in flight: by exit, or by execve from its main thread.
 *
 * Each worker process draws its own policy: task restrictions (a random
 * set of allowed opcodes, allowed and required flags) and task filters
 * (sockets only AF_UNIX, no OPENAT/OPENAT2 that creates, no CONNECT). Each
 * request is judged by its CQE against that policy: a request the policy
 * denies never succeeds, and one on its own (no link, no buffer select or
 * drain that fail earlier) fails with exactly -EACCES; an open the policy
 * denies creates no file; after a ring filter's registration returns, the
 * shared ring's later SOCKET requests all fail. Fork children and exec'd
 * programs check that the policy still holds. Random fields point only at
 * the worker's own scratch memory, files and directory.
 *
 * A crash, oops, KASAN or lockdep report fails the boot. RINGFENCE_FUZZ_SEED
 * picks the seed (printed either way), RINGFENCE_FUZZ_SECONDS the length
 * (default 20). Opcodes left out: WAITID (it would reap the fuzzer's own
 * children).
 *
 * Upstream behaviour: passes on native 7.x as on 6.x with the module.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "fuzz.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

#define NR_SUBMITTERS	3
#define WORKER_MS	500
#define RING_ENTRIES	32
#define BATCH_MAX	8
#define SCRATCH_SIZE	(64 * 1024)
#define NR_SLOTS	4096
/* 7.3's IORING_OP_LAST; a few past it are drawn too. */
#define OP_LAST_UPSTREAM	65
#define OP_DRAW		(OP_LAST_UPSTREAM + 3)
#define OP_WAITID	50
#define OP_NOP128	63
#define OP_URING_CMD128	64
#define SQE_FLAG_BITS	7
#define IOSQE_LINKS	(IOSQE_IO_LINK | IOSQE_IO_HARDLINK)

static unsigned int pick(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rf_rnd(s) % n);
}

static bool chance(uint64_t *s, unsigned int in)
{
	return pick(s, in) == 0;
}

/* ---- the policy a worker runs under ---- */

struct policy {
	bool restricted;
	uint8_t allowed_flags, required_flags;
	uint64_t allowed_ops[2];	/* bitmap over 0..127 */
	bool unix_sockets_only, no_create, no_connect;
};

static bool op_allowed(const struct policy *p, unsigned int op)
{
	return op < 128 && (p->allowed_ops[op / 64] >> (op % 64) & 1);
}

static void draw_policy(uint64_t *s, struct policy *p)
{
	unsigned int op;

	memset(p, 0, sizeof(*p));
	p->restricted = !chance(s, 3);
	if (p->restricted) {
		for (op = 0; op < OP_LAST_UPSTREAM; op++)
			if (op == IORING_OP_NOP || chance(s, 2))
				p->allowed_ops[op / 64] |= 1ULL << (op % 64);
		p->allowed_flags = (uint8_t)(rf_rnd(s) & ((1U << SQE_FLAG_BITS) - 1));
		if (chance(s, 10))
			p->required_flags = IOSQE_ASYNC;
	}
	p->unix_sockets_only = chance(s, 2);
	p->no_create = chance(s, 2);
	p->no_connect = chance(s, 3);
	/* At least one thing to deny, so every worker checks something. */
	if (!p->restricted && !p->unix_sockets_only && !p->no_create)
		p->no_create = true;
}

/* Restrictions first: a task that has filters can register no set (-EPERM). */
static int apply_policy(const struct policy *p)
{
	struct io_uring_restriction res[OP_LAST_UPSTREAM + 2];
	unsigned int nr = 0, op, i;
	int ret;

	if (p->restricted) {
		for (op = 0; op < OP_LAST_UPSTREAM; op++)
			if (op_allowed(p, op))
				res[nr++] = rf_r_sqe_op(op);
		res[nr++] = rf_r_flags_allowed(p->allowed_flags);
		if (p->required_flags)
			res[nr++] = rf_r_flags_required(p->required_flags);
		ret = rf_restrict(res, nr);
		if (ret)
			return ret;
	}
	if (p->unix_sockets_only) {
		ret = rf_bpf_allow_if(-1, IORING_OP_SOCKET, RF_MATCH(socket.family, AF_UNIX));
		if (ret)
			return ret;
	}
	for (i = 0; p->no_create && i < 2; i++) {
		ret = RF_BPF_FILTER(-1, i ? IORING_OP_OPENAT2 : IORING_OP_OPENAT, 0,
				    RF_LD(offsetof(struct io_uring_bpf_ctx, open.flags)),
				    BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_CREAT | __O_TMPFILE, 0, 1),
				    RF_RET(0), RF_RET(1));
		if (ret)
			return ret;
	}
	return p->no_connect ? rf_bpf_deny(-1, IORING_OP_CONNECT) : 0;
}

/* ---- what the worker's requests may point at ---- */

/*
 * What requests point at: data the kernel may overwrite (mem, between
 * inaccessible guard pages), and the structures it reads through (the
 * read-only page ro), so that no request can change what another one or
 * the fuzzer itself reads. Nothing else of the fuzzer's is ever pointed at.
 */
struct ro_page {
	struct iovec iov[4];
	struct msghdr msg;
	struct sockaddr_in inet;
	struct sockaddr_un unx;
	struct open_how how[4];
	struct __kernel_timespec ts;
	uint32_t futex;
	char names[6][8];
};

static struct {
	char *mem;
	struct ro_page *ro;
	int fds[10];
	unsigned int nr_fds;
	int kernel_last_op;		/* this kernel's IORING_OP_LAST */
	struct policy policy;
	atomic_uint create_seq;
} sc;

/* Names of opens that would create, each thread its own; never pointed at otherwise. */
static __thread char create_names[64][16];

/* The shared ring, and what its ring filters deny once registered. */
static struct rf_ring shared;
static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_bool shared_sockets_denied;
static atomic_bool stop;

/* Counts over all workers, in memory the test's processes share. */
static struct counts {
	atomic_ulong sqes, cqes, denied, denied_eacces, forks, execs, filters, exec_ends;
} *counts;
#define COUNT(what)	atomic_fetch_add(&counts->what, 1)

static void setup_scratch(uint64_t *s)
{
	static const uint64_t how_flags[4] = { O_RDONLY, O_CREAT | O_WRONLY, O_TMPFILE | O_RDWR,
					       O_PATH | O_CREAT };
	long page = sysconf(_SC_PAGESIZE);
	struct ro_page *ro;
	char *map;
	int sv[2], p[2];
	unsigned int i;

	map = mmap(NULL, SCRATCH_SIZE + 3 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED || mprotect(map + page, SCRATCH_SIZE, PROT_READ | PROT_WRITE) ||
	    mprotect(map + 2 * page + SCRATCH_SIZE, page, PROT_READ | PROT_WRITE))
		_exit(3);
	sc.mem = map + page;
	sc.ro = ro = (void *)(map + 2 * page + SCRATCH_SIZE);
	for (i = 0; i < SCRATCH_SIZE / 8; i++)
		((uint64_t *)sc.mem)[i] = rf_rnd(s);
	for (i = 0; i < 4; i++)
		ro->iov[i] = (struct iovec){ sc.mem + i * 4096, 1 + pick(s, 4096) };
	ro->msg = (struct msghdr){ .msg_iov = ro->iov, .msg_iovlen = 2 };
	ro->inet = (struct sockaddr_in){ .sin_family = AF_INET, .sin_port = htons(9),
					 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	ro->unx.sun_family = AF_UNIX;
	strcpy(ro->unx.sun_path, "sock");
	for (i = 0; i < 4; i++)
		ro->how[i] = (struct open_how){ .flags = how_flags[i],
						.mode = how_flags[i] & O_CREAT ? 0600 : 0 };
	ro->ts = (struct __kernel_timespec){ 0, 1000000 };
	for (i = 0; i < 5; i++)
		snprintf(ro->names[i], sizeof(ro->names[i]), "%c", "abdef"[i]);
	strcpy(ro->names[5], "d/a");
	if (mprotect(ro, page, PROT_READ))
		_exit(3);
	if (mkdir("d", 0700) && errno != EEXIST)
		_exit(3);

	sc.fds[sc.nr_fds++] = open("a", O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	sc.fds[sc.nr_fds++] = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pipe2(p, O_CLOEXEC | O_NONBLOCK) == 0) {
		sc.fds[sc.nr_fds++] = p[0];
		sc.fds[sc.nr_fds++] = p[1];
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0) {
		sc.fds[sc.nr_fds++] = sv[0];
		sc.fds[sc.nr_fds++] = sv[1];
	}
	sc.fds[sc.nr_fds++] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	sc.fds[sc.nr_fds++] = epoll_create1(EPOLL_CLOEXEC);
	sc.fds[sc.nr_fds] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (sc.fds[sc.nr_fds] >= 0) {
		struct sockaddr_un a = { .sun_family = AF_UNIX, .sun_path = "listen" };

		if (!bind(sc.fds[sc.nr_fds], (void *)&a, sizeof(a)))
			listen(sc.fds[sc.nr_fds], 4);
		sc.nr_fds++;
	}
}

/* Files and a buffer for FIXED_FILE and the _FIXED opcodes; failures are fine. */
static void register_resources(struct rf_ring *r)
{
	struct iovec iov = { sc.mem, SCRATCH_SIZE / 2 };

	rf_sys_register(r->fd, IORING_REGISTER_FILES, sc.fds, sc.nr_fds);
	rf_sys_register(r->fd, IORING_REGISTER_BUFFERS, &iov, 1);
}

/* ---- one request ---- */

struct expect {
	uint64_t seq;
	bool denied, exact;
	unsigned int create;	/* nonzero: "c<create>" must not exist after */
};

static struct expect slots[NR_SLOTS];
static atomic_ulong next_seq = 1;

static uint64_t pointer(uint64_t *s)
{
	const struct ro_page *ro = sc.ro;

	switch (pick(s, 12)) {
	case 0:
		return 0;
	case 1:
		return (uint64_t)(uintptr_t)ro->iov;
	case 2:
		return (uint64_t)(uintptr_t)&ro->msg;
	case 3:
		return (uint64_t)(uintptr_t)(pick(s, 2) ? (void *)&ro->inet : (void *)&ro->unx);
	case 4:
		return (uint64_t)(uintptr_t)&ro->how[pick(s, 4)];
	case 5:
		return (uint64_t)(uintptr_t)&ro->ts;
	case 6:
		return (uint64_t)(uintptr_t)&ro->futex;
	case 7:
	case 8:
		return (uint64_t)(uintptr_t)ro->names[pick(s, 6)];
	default:
		return (uint64_t)(uintptr_t)(sc.mem + pick(s, SCRATCH_SIZE - 4096));
	}
}

static int any_fd(uint64_t *s)
{
	switch (pick(s, 8)) {
	case 0:
		return AT_FDCWD;
	case 1:
		return -1;
	default:
		return sc.fds[pick(s, sc.nr_fds)];
	}
}

static bool opens_to_create(uint64_t flags)
{
	return !(flags & O_PATH) && (flags & (O_CREAT | __O_TMPFILE));
}

/*
 * Fills @sqe at random and says what the policy makes of it. @prev_links:
 * the previous SQE of this ring asked to link to this one.
 */
static void draw_sqe(uint64_t *s, struct io_uring_sqe *sqe, struct expect *e, bool on_shared,
		     bool prev_links)
{
	const struct policy *p = &sc.policy;
	unsigned int op, i;
	uint8_t flags = 0;

	do
		op = pick(s, OP_DRAW);
	while (op == OP_WAITID);
	for (i = 0; i < SQE_FLAG_BITS; i++)
		if (chance(s, 6))
			flags |= 1U << i;
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->flags = flags;
	sqe->fd = flags & IOSQE_FIXED_FILE ? (int)pick(s, sc.nr_fds + 2) : any_fd(s);
	sqe->addr = pointer(s);
	sqe->len = pick(s, 3) ? pick(s, 64) : pick(s, 8192);
	sqe->off = pick(s, 2) ? 0 : pick(s, 65536);
	sqe->rw_flags = pick(s, 3) ? 0 : (uint32_t)rf_rnd(s);
	if (chance(s, 4))
		sqe->buf_index = pick(s, 2);
	if (chance(s, 8))
		sqe->file_index = pick(s, 4);
	if (chance(s, 4))
		sqe->addr2 = pointer(s);

	/* Make some requests valid, and keep all of them inside the scratch. */
	switch (op) {
	case IORING_OP_SOCKET:
		sqe->fd = (int[]){ AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET }[pick(s, 5)];
		sqe->off = (unsigned int[]){ SOCK_STREAM, SOCK_DGRAM, SOCK_RAW }[pick(s, 3)] |
			   (chance(s, 2) ? SOCK_CLOEXEC : 0);
		sqe->len = 0;
		sqe->addr = 0;
		sqe->rw_flags = 0;
		sqe->buf_index = 0;
		break;
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		sqe->fd = chance(s, 2) ? AT_FDCWD : sc.fds[1];
		sqe->open_flags = (uint32_t[]){ O_RDONLY, O_RDWR, O_CREAT | O_WRONLY,
						O_CREAT | O_EXCL | O_RDWR, O_TMPFILE | O_RDWR,
						O_PATH | O_CREAT, O_CREAT | O_TRUNC | O_WRONLY,
						(uint32_t)rf_rnd(s) }[pick(s, 8)];
		sqe->len = 0600;
		if (op == IORING_OP_OPENAT2) {
			sqe->addr2 = (uint64_t)(uintptr_t)&sc.ro->how[pick(s, 4)];
			sqe->len = sizeof(struct open_how);
			sqe->open_flags = 0;
		}
		if (op == IORING_OP_OPENAT ? opens_to_create(sqe->open_flags) :
		    ((struct open_how *)(uintptr_t)sqe->addr2)->flags & (O_CREAT | __O_TMPFILE)) {
			char *name = create_names[pick(s, 64)];

			e->create = atomic_fetch_add(&sc.create_seq, 1) + 1;
			snprintf(name, sizeof(create_names[0]), "c%u", e->create);
			sqe->addr = (uint64_t)(uintptr_t)name;
		} else {
			sqe->addr = (uint64_t)(uintptr_t)sc.ro->names[pick(s, 6)];
		}
		break;
	case IORING_OP_CONNECT:
		sqe->addr = (uint64_t)(uintptr_t)(chance(s, 2) ? (void *)&sc.ro->inet :
						  (void *)&sc.ro->unx);
		sqe->off = chance(s, 2) ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_un);
		sqe->len = 0;
		break;
	case IORING_OP_MADVISE:
		/* Nothing that poisons or frees pages others are using. */
		sqe->fadvise_advice = pick(s, 4);
		sqe->addr = (uint64_t)(uintptr_t)sc.mem;
		break;
	case IORING_OP_FALLOCATE:
		/* Its length is in addr: keep it small. */
		sqe->addr = pick(s, 1 << 20);
		break;
	case 55:	/* FTRUNCATE */
		sqe->off = pick(s, 1 << 20);
		break;
	case IORING_OP_SYMLINKAT:
	case IORING_OP_LINKAT:
	case IORING_OP_RENAMEAT:
		sqe->addr = (uint64_t)(uintptr_t)sc.ro->names[pick(s, 6)];
		sqe->addr2 = (uint64_t)(uintptr_t)sc.ro->names[pick(s, 6)];
		break;
	case IORING_OP_UNLINKAT:
	case IORING_OP_MKDIRAT:
	case IORING_OP_STATX:
	case IORING_OP_SETXATTR:
	case IORING_OP_GETXATTR:
		sqe->addr = (uint64_t)(uintptr_t)sc.ro->names[pick(s, 6)];
		break;
	case IORING_OP_READ_FIXED:
	case IORING_OP_WRITE_FIXED:
		sqe->addr = (uint64_t)(uintptr_t)(sc.mem + pick(s, SCRATCH_SIZE / 4));
		sqe->len = pick(s, 4096);
		break;
	}
	/* Never the fd of a ring or of the test's output. */
	if (!(flags & IOSQE_FIXED_FILE) && op != IORING_OP_SOCKET && sqe->fd >= 0 &&
	    sqe->fd <= 2)
		sqe->fd = sc.fds[0];

	e->denied = false;
	if (p->restricted && (int)op < sc.kernel_last_op &&
	    (!op_allowed(p, op) || (flags & p->required_flags) != p->required_flags ||
	     (flags & ~(p->allowed_flags | p->required_flags))))
		e->denied = true;
	/*
	 * Restrictions are judged first: exactly -EACCES on its own. Before
	 * them come buffer select and drain checks, and (6.18+) the refusal of
	 * a 128-byte opcode (NOP128, URING_CMD128) on a ring of 64-byte SQEs.
	 */
	e->exact = e->denied && !prev_links && !(flags & IOSQE_LINKS) &&
		   !(flags & (IOSQE_BUFFER_SELECT | IOSQE_IO_DRAIN)) &&
		   op != OP_NOP128 && op != OP_URING_CMD128;
	if ((int)op >= sc.kernel_last_op)
		return;
	switch (op) {
	case IORING_OP_SOCKET:
		if ((p->unix_sockets_only && sqe->fd != AF_UNIX) ||
		    (on_shared && atomic_load(&shared_sockets_denied)))
			e->denied = true;
		break;
	case IORING_OP_OPENAT:
		if (p->no_create && opens_to_create(sqe->open_flags))
			e->denied = true;
		break;
	case IORING_OP_OPENAT2:
		if (p->no_create && (((struct open_how *)(uintptr_t)sqe->addr2)->flags &
				     (O_CREAT | __O_TMPFILE)))
			e->denied = true;
		break;
	case IORING_OP_CONNECT:
		if (p->no_connect)
			e->denied = true;
		break;
	}
	if (!e->denied)
		e->create = 0;
}

static bool makes_fd(unsigned int op)
{
	return op == IORING_OP_OPENAT || op == IORING_OP_OPENAT2 || op == IORING_OP_SOCKET ||
	       op == IORING_OP_ACCEPT || op == 54 /* FIXED_FD_INSTALL */;
}

/* Judges one CQE; user_data is slot index << 32 | low 32 bits of seq. */
static void judge(const struct io_uring_cqe *cqe, const uint8_t *ops)
{
	unsigned int slot = (unsigned int)(cqe->user_data >> 32) % NR_SLOTS;
	struct expect *e = &slots[slot];
	char name[16];
	struct stat st;

	COUNT(cqes);
	if (!e->seq || (uint32_t)e->seq != (uint32_t)cqe->user_data)
		return;		/* a MSG_RING's, or one whose slot was reused */
	if (cqe->res >= 0 && makes_fd(ops[slot]) && cqe->res > 2)
		close(cqe->res);
	if (e->denied) {
		COUNT(denied);
		if (cqe->res >= 0)
			FAIL("op %u denied by the policy succeeded (%d), seq %llu", ops[slot],
			     cqe->res, (unsigned long long)e->seq);
		else if (e->exact && cqe->res != -EACCES)
			FAIL("op %u denied by the restrictions on its own: %s, not EACCES",
			     ops[slot], rf_errname(-cqe->res));
		else if (cqe->res == -EACCES)
			COUNT(denied_eacces);
		if (e->create) {
			snprintf(name, sizeof(name), "c%u", e->create);
			if (!stat(name, &st))
				FAIL("a denied open created %s", name);
		}
	}
	e->seq = 0;
}

static uint8_t slot_ops[NR_SLOTS];

/* Draws, submits and reaps one batch on @r; the caller owns @r. */
static void one_batch(uint64_t *s, struct rf_ring *r, bool on_shared)
{
	struct io_uring_cqe cqe;
	unsigned int n = 1 + pick(s, BATCH_MAX), i, spins;
	bool prev_links = false;

	for (i = 0; i < n; i++) {
		struct io_uring_sqe *sqe = rf_get_sqe(r);
		uint64_t seq = atomic_fetch_add(&next_seq, 1);
		unsigned int slot = (unsigned int)(seq % NR_SLOTS);
		struct expect *e = &slots[slot];

		if (!sqe)
			break;
		memset(e, 0, sizeof(*e));
		draw_sqe(s, sqe, e, on_shared, prev_links);
		prev_links = sqe->flags & IOSQE_LINKS;
		sqe->user_data = (uint64_t)slot << 32 | (uint32_t)seq;
		slot_ops[slot] = sqe->opcode;
		e->seq = seq;
		COUNT(sqes);
	}
	rf_submit(r);
	/* What completes soon is judged; the rest may never complete. */
	for (spins = 0; spins < 20; spins++) {
		while (rf_pop_cqe(r, &cqe) == 0)
			judge(&cqe, slot_ops);
		if (!rf_sq_pending(r))
			break;
		rf_submit(r);
		usleep(200);
	}
	while (rf_pop_cqe(r, &cqe) == 0)
		judge(&cqe, slot_ops);
}

/* ---- the worker's threads ---- */

struct thread_arg {
	uint64_t seed;
	pthread_t th;
};

static void *submitter(void *arg)
{
	struct thread_arg *a = arg;
	uint64_t s = a->seed;
	struct rf_ring own;

	if (rf_ring_init(&own, RING_ENTRIES, 0))
		return NULL;
	register_resources(&own);
	while (!atomic_load(&stop)) {
		if (chance(&s, 2)) {
			pthread_mutex_lock(&shared_lock);
			one_batch(&s, &shared, true);
			pthread_mutex_unlock(&shared_lock);
		} else {
			one_batch(&s, &own, false);
		}
	}
	return NULL;
}

/* The policy holds for the calling task: one denied request is denied. */
static int policy_holds(const struct policy *p)
{
	struct rf_ring r;
	struct io_uring_sqe *sqe;
	unsigned int op;
	struct rlimit nofile;
	int res;

	/* Descriptors results left open must not keep the check from a ring. */
	if (!getrlimit(RLIMIT_NOFILE, &nofile)) {
		nofile.rlim_cur = nofile.rlim_max;
		setrlimit(RLIMIT_NOFILE, &nofile);
	}
	if (rf_ring_init(&r, 4, 0))
		return 10;
	sqe = rf_get_sqe(&r);
	if (p->restricted) {
		for (op = 1; op < OP_LAST_UPSTREAM && op_allowed(p, op); op++)
			;
		if (op == OP_LAST_UPSTREAM || (int)op >= sc.kernel_last_op)
			op = IORING_OP_NOP;	/* all allowed: the flags are not */
		rf_prep_nop(sqe);
		sqe->opcode = op;
		sqe->fd = -1;
		/* Without the required flags, or with one not allowed. */
		if (op == IORING_OP_NOP && !p->required_flags) {
			sqe->flags = (uint8_t)~p->allowed_flags & ((1U << SQE_FLAG_BITS) - 1) &
				     ~IOSQE_LINKS;
			if (!sqe->flags)
				return 0;	/* nothing a single request shows */
		}
		res = rf_run1(&r);
		return res == -EACCES || (res == -EOPNOTSUPP &&
					  (sqe->flags & (IOSQE_BUFFER_SELECT | IOSQE_IO_DRAIN))) ?
		       0 : 11;
	}
	if (p->unix_sockets_only) {
		rf_prep_socket(sqe, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		res = rf_run1(&r);
		if (res >= 0)
			close(res);
		return res == -EACCES ? 0 : 12;
	}
	rf_prep_openat(sqe, AT_FDCWD, "c0", O_CREAT | O_WRONLY | O_CLOEXEC, 0600);
	res = rf_run1(&r);
	if (res >= 0)
		close(res);
	return res == -EACCES && access("c0", F_OK) ? 0 : 13;
}

static void encode_policy(const struct policy *p, char *buf, size_t len)
{
	snprintf(buf, len, "%d,%u,%u,%llx,%llx,%d,%d,%d,%d", p->restricted, p->allowed_flags,
		 p->required_flags, (unsigned long long)p->allowed_ops[0],
		 (unsigned long long)p->allowed_ops[1], p->unix_sockets_only, p->no_create,
		 p->no_connect, sc.kernel_last_op);
}

/* The program a worker execs into, with requests in flight: still confined. */
RF_HELPER(fuzz_policy_holds)
{
	struct policy p = { 0 };
	unsigned long long a, b;
	int r, u, c, n;

	if (argc < 2 || sscanf(argv[1], "%d,%hhu,%hhu,%llx,%llx,%d,%d,%d,%d", &r,
			       &p.allowed_flags, &p.required_flags, &a, &b, &u, &c, &n,
			       &sc.kernel_last_op) != 9)
		return 20;
	p.restricted = r;
	p.allowed_ops[0] = a;
	p.allowed_ops[1] = b;
	p.unix_sockets_only = u;
	p.no_create = c;
	p.no_connect = n;
	return policy_holds(&p);
}


static void *forker(void *arg)
{
	struct thread_arg *a = arg;
	uint64_t s = a->seed;
	char buf[160];
	int status;
	pid_t pid;

	encode_policy(&sc.policy, buf, sizeof(buf));
	while (!atomic_load(&stop)) {
		bool exec = chance(&s, 3);

		pid = fork();
		if (pid < 0) {
			if (errno != ENOMEM && errno != EAGAIN)
				FAIL("fork: %s", rf_errname(errno));
			continue;
		}
		if (pid == 0) {
			if (exec) {
				execl("/proc/self/exe", "fuzz_sqe", "--rf-helper",
				      "fuzz_policy_holds", buf, NULL);
				_exit(30);
			}
			_exit(policy_holds(&sc.policy));
		}
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
			FAIL("a %s child of a confined worker: %s", exec ? "exec'd" : "forked",
			     rf_wstatus(status, buf, sizeof(buf)));
		if (exec)
			COUNT(execs);
		else
			COUNT(forks);
		encode_policy(&sc.policy, buf, sizeof(buf));
		usleep(pick(&s, 20000));
	}
	return NULL;
}

/*
 * Adds a ring filter to the shared ring while the others submit on it, and
 * a task filter to itself, each checked once its registration returned.
 */
static void *registrar(void *arg)
{
	struct thread_arg *a = arg;
	uint64_t s = a->seed;
	struct rf_ring r;
	int res;

	usleep(pick(&s, WORKER_MS * 1000 / 2));
	if (rf_bpf_deny(shared.fd, IORING_OP_SOCKET) == 0) {
		atomic_store(&shared_sockets_denied, true);
		COUNT(filters);
	}
	usleep(pick(&s, WORKER_MS * 1000 / 4));
	if (rf_bpf_deny(-1, IORING_OP_NOP) != 0 || rf_ring_init(&r, 4, 0))
		return NULL;
	COUNT(filters);
	res = rf_ring_nop(&r);
	if (res != -EACCES)
		FAIL("NOP after this thread's own NOP filter: %s", rf_errname(-res));
	rf_ring_exit(&r);
	return NULL;
}

/* This kernel's IORING_OP_LAST, from a probe. */
static int kernel_last_op(void)
{
	struct {
		struct io_uring_probe p;
		struct io_uring_probe_op ops[256];
	} probe;
	struct rf_ring r;
	int ret;

	if (rf_ring_init(&r, 4, 0))
		return 0;
	memset(&probe, 0, sizeof(probe));
	ret = rf_sys_register(r.fd, IORING_REGISTER_PROBE, &probe, 256);
	rf_ring_exit(&r);
	return ret ? 0 : probe.p.last_op + 1;
}

static int worker(uint64_t seed, unsigned int n)
{
	struct thread_arg args[NR_SUBMITTERS + 2];
	/* Soft 256: the fuzz meets EMFILE; policy_holds() raises it to the hard. */
	struct rlimit nofile = { 256, 1024 };
	char dir[64], buf[160];
	uint64_t s = seed;
	unsigned int i;
	int ret;

	/*
	 * A write or send to the scratch pipe or socket once the fuzz closed
	 * its other end raises SIGPIPE, as write(2) would; the fuzz wants the
	 * -EPIPE in the CQE, not a dead worker.
	 */
	signal(SIGPIPE, SIG_IGN);
	snprintf(dir, sizeof(dir), "/tmp/fuzz_sqe.%u", n);
	if (mkdir(dir, 0700) || chdir(dir))
		return 4;
	setrlimit(RLIMIT_NOFILE, &nofile);
	setup_scratch(&s);
	sc.kernel_last_op = kernel_last_op();
	if (!sc.kernel_last_op)
		return 8;
	draw_policy(&s, &sc.policy);
	ret = apply_policy(&sc.policy);
	if (ret) {
		FAIL("the policy could not be applied: %s", rf_errname(-ret));
		return rf_status();
	}
	if (chance(&s, 4) ? rf_sqpoll_ring(&shared, -1) : rf_ring_init(&shared, RING_ENTRIES, 0))
		return 5;
	register_resources(&shared);

	for (i = 0; i < NR_SUBMITTERS + 2; i++) {
		args[i].seed = rf_rnd(&s);
		pthread_create(&args[i].th, NULL,
			       i < NR_SUBMITTERS ? submitter : i == NR_SUBMITTERS ? forker : registrar,
			       &args[i]);
	}
	usleep(WORKER_MS * 1000);
	/* End with everything in flight: by execve, or by exit. */
	if (!rf_failed() && chance(&s, 3)) {
		COUNT(exec_ends);
		encode_policy(&sc.policy, buf, sizeof(buf));
		execl("/proc/self/exe", "fuzz_sqe", "--rf-helper", "fuzz_policy_holds", buf, NULL);
		return 6;
	}
	if (!rf_failed())
		_exit(policy_holds(&sc.policy) ? 7 : 0);
	return rf_status();
}

TEST_TIMEOUT(sqe_stream_fuzz, 7300)
{
	uint64_t seed = rf_fuzz_seed(), s = seed, deadline;
	unsigned int workers = 0, failed = 0, secs = rf_fuzz_seconds();
	char buf[48];
	int status;
	pid_t pid;

	rf_note("seed 0x%016llx, %u s (RINGFENCE_FUZZ_SEED=0x%016llx reproduces it)",
		(unsigned long long)seed, secs, (unsigned long long)seed);
	counts = mmap(NULL, sizeof(*counts), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		      -1, 0);
	ASSERT_TRUE(counts != MAP_FAILED);
	deadline = rf_now_ms() + secs * 1000ULL;
	while (rf_now_ms() < deadline) {
		uint64_t wseed = rf_rnd(&s);

		pid = rf_fork();
		if (pid == 0)
			_exit(worker(wseed, workers));
		/* A worker that exec'd ends with the helper's status. */
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			FAIL("worker %u, seed %016llx: %s", workers, (unsigned long long)wseed,
			     rf_wstatus(status, buf, sizeof(buf)));
			failed++;
		}
		workers++;
		snprintf(buf, sizeof(buf), "rm -rf /tmp/fuzz_sqe.%u", workers - 1);
		if (system(buf))
			FAIL("%s", buf);
	}
	rf_note("%u workers (%lu ended by execve), %u failed: %lu SQEs, %lu CQEs seen, %lu denied by the policy (%lu with EACCES), %lu forks and %lu execs checked, %lu filters added under load",
		workers, atomic_load(&counts->exec_ends), failed, atomic_load(&counts->sqes),
		atomic_load(&counts->cqes), atomic_load(&counts->denied),
		atomic_load(&counts->denied_eacces), atomic_load(&counts->forks),
		atomic_load(&counts->execs), atomic_load(&counts->filters));
	EXPECT_TRUE(atomic_load(&counts->denied_eacces) > 0);
	EXPECT_TRUE(workers > 0);

	/* Whatever happened, a fresh process can still use io_uring. */
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(rf_new_ring_nop(), 0);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "io_uring after the fuzz");
}
