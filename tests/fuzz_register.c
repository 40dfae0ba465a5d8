// SPDX-License-Identifier: GPL-2.0
/*
 * A bounded, seeded fuzzer for everything a local user can hand the
 * module's registration paths: io_uring_register() opcodes 11 and 37 (with
 * and without IORING_REGISTER_USE_REGISTERED_RING) and every /dev/ringfence
 * ioctl, with random descriptors (rings, disabled rings, look-alike files,
 * closed and out-of-range numbers, registered-ring indexes), argument
 * counts, pointers (NULL, unmapped, kernel, misaligned, cut by an
 * inaccessible page) and contents (random bytes, and structures valid but
 * for one field, filter programs of random allowed instructions).
 *
 * Several threads fire at once while another swaps what the shared
 * descriptor numbers refer to, so a number turns from ring to look-alike
 * under the calls. Workers run as root and as nobody, with and without
 * no_new_privs, and a fresh worker replaces each one after a short while
 * (a task that registered is restricted for good).
 *
 * It passes if every call returns 0 or an errno 7.x can return for it and a
 * fresh process can still use io_uring afterwards; a crash, oops, KASAN or
 * lockdep report fails the boot. RINGFENCE_FUZZ_SEED picks the seed
 * (printed either way), RINGFENCE_FUZZ_SECONDS the length (default 20).
 *
 * Upstream behaviour: passes on native 7.x as on 6.x with the module.
 */
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bpf.h"
#include "fuzz.h"
#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

#define NR_THREADS	4
#define NR_SLOTS	12
#define WORKER_MS	400
#define BUF_SIZE	4096

static unsigned int below(uint64_t *s, unsigned int n)
{
	return (unsigned int)(rf_rnd(s) % n);
}

/* What the workers share: descriptor numbers and memory to point at. */
static int slots[NR_SLOTS];
static char *page_pair;		/* one page, then an inaccessible one */
static long page_size;
static char lookalike[96];
static _Atomic bool stop;
static _Atomic unsigned long nr_calls, nr_ok;
static _Atomic int bad_result;

/* A new object of a random kind: rings, look-alikes, or nothing at all. */
static int new_object(uint64_t *s)
{
	struct io_uring_params p;
	int fd, pfd[2];

	switch (below(s, 10)) {
	case 0:
	case 1:
		return rf_sys_setup(4, NULL);
	case 2:
		memset(&p, 0, sizeof(p));
		p.flags = IORING_SETUP_R_DISABLED;
		return rf_sys_setup(4, &p);
	case 3:
		return open(lookalike, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
	case 4:
		return eventfd(0, EFD_CLOEXEC);
	case 5:
		return (int)syscall(SYS_memfd_create, "[io_uring]", 0);
	case 6:
		return open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	case 7:
		if (pipe(pfd))
			return -1;
		close(pfd[0]);
		return pfd[1];
	case 8:
		return (int)syscall(SYS_pidfd_open, getpid(), 0);
	default:
		fd = open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		return fd;
	}
}

/* Points a slot's number at something else while others use it. */
static void churn_slot(uint64_t *s)
{
	unsigned int i = below(s, NR_SLOTS);
	int fd = new_object(s);

	if (fd < 0)
		return;
	if (below(s, 4) == 0) {
		/* Leave the number closed for a while. */
		close(fd);
		close(slots[i]);
		return;
	}
	dup2(fd, slots[i]);
	close(fd);
}

static unsigned int pick_fd(uint64_t *s)
{
	switch (below(s, 8)) {
	case 0:
		return (unsigned int)-1;
	case 1:
		return (unsigned int)rf_rnd(s);
	case 2:
		return below(s, 20);	/* a registered-ring index, maybe */
	default:
		return (unsigned int)slots[below(s, NR_SLOTS)];
	}
}

/* Random but mostly well-formed filter programs reach the checker's depth. */
static void random_prog(uint64_t *s, struct sock_filter *insns, unsigned int n)
{
	static const uint16_t codes[] = {
		BPF_LD | BPF_W | BPF_ABS, BPF_LD | BPF_W | BPF_LEN,
		BPF_LDX | BPF_W | BPF_LEN, BPF_LD | BPF_B | BPF_ABS,
		BPF_LD | BPF_H | BPF_IND, BPF_RET | BPF_K, BPF_RET | BPF_A,
		BPF_ALU | BPF_ADD | BPF_K, BPF_ALU | BPF_DIV | BPF_X,
		BPF_ALU | BPF_MOD | BPF_K, BPF_ALU | BPF_NEG,
		BPF_LD | BPF_IMM, BPF_LDX | BPF_MEM, BPF_ST, BPF_STX,
		BPF_MISC | BPF_TAX, BPF_JMP | BPF_JA, BPF_JMP | BPF_JEQ | BPF_K,
		BPF_JMP | BPF_JSET | BPF_X, BPF_LDX | BPF_B | BPF_MSH,
	};
	unsigned int i;

	for (i = 0; i < n; i++) {
		insns[i].code = below(s, 16) ? codes[below(s, sizeof(codes) / sizeof(codes[0]))]
					     : (uint16_t)rf_rnd(s);
		insns[i].jt = (uint8_t)(below(s, 4) ? below(s, 3) : rf_rnd(s));
		insns[i].jf = (uint8_t)(below(s, 4) ? below(s, 3) : rf_rnd(s));
		insns[i].k = below(s, 3) ? below(s, 48) : (uint32_t)rf_rnd(s);
	}
	if (n && below(s, 2))
		insns[n - 1] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, (uint32_t)below(s, 2));
}

/* Fills @buf with something the call may take for its argument. */
static void fill_arg(uint64_t *s, char *buf, size_t len, bool filter)
{
	unsigned int i;

	for (i = 0; i < len; i++)
		buf[i] = (char)rf_rnd(s);
	if (below(s, 3) == 0)
		return;
	if (filter) {
		struct io_uring_bpf *reg = (void *)buf;
		struct sock_filter *insns = (void *)(buf + 256);
		unsigned int n = below(s, 8) ? 1 + below(s, 24) : (unsigned int)rf_rnd(s);

		memset(reg, 0, sizeof(*reg));
		reg->cmd_type = below(s, 8) ? IO_URING_BPF_CMD_FILTER : (uint16_t)rf_rnd(s);
		reg->filter.opcode = below(s, 4) ? below(s, 70) : (uint32_t)rf_rnd(s);
		reg->filter.flags = below(s, 4);
		reg->filter.pdu_size = (uint8_t)(below(s, 2) ? 0 : below(s, 40));
		reg->filter.filter_len = n;
		reg->filter.filter_ptr = (uintptr_t)insns;
		random_prog(s, insns, n < 24 ? n : 24);
		if (below(s, 8) == 0)
			reg->filter.filter_ptr = (uintptr_t)page_pair + page_size - 8 * below(s, 4);
		if (below(s, 10) == 0)
			reg->filter.resv2[below(s, 5)] = rf_rnd(s);
	} else {
		struct io_uring_task_restriction *tr = (void *)buf;
		unsigned int n = below(s, 4) ? below(s, 12) : (unsigned int)rf_rnd(s);

		memset(tr, 0, sizeof(*tr));
		tr->nr_res = (uint16_t)n;
		for (i = 0; i < 12 && sizeof(*tr) + (i + 1) * sizeof(tr->restrictions[0]) <= len; i++) {
			tr->restrictions[i].opcode = (uint16_t)below(s, 5);
			tr->restrictions[i].sqe_op = (uint8_t)below(s, 70);
			tr->restrictions[i].sqe_flags = (uint8_t)rf_rnd(s);
		}
		if (below(s, 10) == 0)
			tr->resv[below(s, 3)] = (uint32_t)rf_rnd(s);
	}
}

static void *pick_ptr(uint64_t *s, char *buf, bool filter)
{
	switch (below(s, 10)) {
	case 0:
		return NULL;
	case 1:
		return (void *)(uintptr_t)0xffff888000000000ULL;	/* kernel */
	case 2:
		return (void *)(uintptr_t)rf_rnd(s);
	case 3:
		/* Cut by the inaccessible page at some byte. */
		fill_arg(s, page_pair, page_size, filter);
		return page_pair + page_size - below(s, 160);
	case 4:
		fill_arg(s, buf, BUF_SIZE, filter);
		return buf + 1 + below(s, 7);		/* misaligned */
	default:
		fill_arg(s, buf, BUF_SIZE, filter);
		return buf;
	}
}

static unsigned int pick_nr_args(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0:
		return 0;
	case 1:
		return 2 + below(s, 3);
	case 2:
		return (unsigned int)rf_rnd(s);
	default:
		return 1;
	}
}

static unsigned long pick_ioctl(uint64_t *s)
{
	static const unsigned long cmds[] = {
		RINGFENCE_IOC_VERSION, RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS,
		RINGFENCE_IOC_REGISTER_BPF_FILTER, RINGFENCE_IOC_LOG_SECCOMP_PARITY,
		RINGFENCE_IOC_LEARN, RINGFENCE_IOC_STATUS,
	};

	switch (below(s, 6)) {
	case 0:
		return (unsigned long)rf_rnd(s);
	case 1:
		return _IOC(below(s, 4), RINGFENCE_IOC_MAGIC, below(s, 10), below(s, 4096));
	default:
		return cmds[below(s, sizeof(cmds) / sizeof(cmds[0]))];
	}
}

/* The errnos 7.x's io_uring_register() and our ioctls can give these calls. */
static bool result_expected(long ret, bool ioctl_call)
{
	switch (ret) {
	case 0:
	case -EINVAL: case -EFAULT: case -EBADF: case -EOPNOTSUPP:
	case -EACCES: case -EPERM: case -EBUSY: case -EBADFD: case -EEXIST:
	case -EMSGSIZE: case -ENOMEM: case -EOVERFLOW: case -ENXIO:
		return true;
	case -ENOTTY:
	case -ESRCH:	/* RINGFENCE_IOC_STATUS of a pid nobody has */
		return ioctl_call;
	default:
		return false;
	}
}

static void one_call(uint64_t *s, char *buf, int dev)
{
	bool ioctl_call = dev >= 0 && below(s, 4) == 0;
	bool filter = below(s, 2);
	long ret;

	if (ioctl_call) {
		unsigned long cmd = pick_ioctl(s);

		filter = cmd == RINGFENCE_IOC_REGISTER_BPF_FILTER;
		ret = ioctl(dev, cmd, pick_ptr(s, buf, filter));
		ret = ret < 0 ? -errno : ret;
		/*
		 * A learning descriptor: the only ioctl that returns one. Another
		 * thread may have closed it already, so close()'s result is moot.
		 */
		if (ret > 0 && cmd == RINGFENCE_IOC_LEARN) {
			close((int)ret);
			ret = 0;
		}
	} else {
		unsigned int op = filter ? RINGFENCE_IORING_REGISTER_BPF_FILTER :
					   RINGFENCE_IORING_REGISTER_RESTRICTIONS;

		if (below(s, 4) == 0)
			op |= RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
		ret = rf_sys_register((int)pick_fd(s), op, pick_ptr(s, buf, filter),
				      pick_nr_args(s));
	}
	atomic_fetch_add(&nr_calls, 1);
	if (!ret)
		atomic_fetch_add(&nr_ok, 1);
	if (!result_expected(ret, ioctl_call) && !atomic_exchange(&bad_result, 1))
		FAIL("%s returned %ld, which 7.x never returns for it",
		     ioctl_call ? "an ioctl" : "io_uring_register", ret);
}

struct thread_arg {
	uint64_t seed;
	bool churn;
};

static void *fuzz_thread(void *p)
{
	struct thread_arg *a = p;
	char *buf = malloc(BUF_SIZE);
	int dev = open(RINGFENCE_DEVICE_PATH, O_RDWR | O_CLOEXEC);

	if (!buf)
		return NULL;
	while (!atomic_load(&stop)) {
		if (a->churn)
			churn_slot(&a->seed);
		else
			one_call(&a->seed, buf, dev);
	}
	free(buf);
	if (dev >= 0)
		close(dev);
	return NULL;
}

/* Registers some real rings as the task's ring fds, so indexes resolve. */
static void register_ring_fds(uint64_t *s)
{
	struct io_uring_rsrc_update up[2];
	unsigned int i;

	for (i = 0; i < 2; i++) {
		up[i].offset = below(s, 16);
		up[i].resv = 0;
		up[i].data = (uint64_t)slots[i];
	}
	/* Slot 0 and 1 start as rings; the update may fail, which is fine. */
	rf_sys_register(slots[0], IORING_REGISTER_RING_FDS, up, 2);
}

/* One worker process: its own identity, NR_THREADS callers and a churner. */
static int worker(uint64_t seed)
{
	struct thread_arg args[NR_THREADS + 1];
	pthread_t th[NR_THREADS + 1];
	uint64_t s = seed;
	unsigned int i;

	if (below(&s, 2) && rf_drop_to_nobody())
		return 1;
	if (below(&s, 2))
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	for (i = 0; i < NR_SLOTS; i++) {
		slots[i] = i < 3 ? rf_sys_setup(4, NULL) : new_object(&s);
		if (slots[i] < 0)
			slots[i] = open("/dev/null", O_RDWR | O_CLOEXEC);
	}
	register_ring_fds(&s);
	for (i = 0; i <= NR_THREADS; i++) {
		args[i].seed = seed ^ (0x9e3779b97f4a7c15ULL * (i + 1));
		args[i].churn = i == NR_THREADS;
		if (pthread_create(&th[i], NULL, fuzz_thread, &args[i]))
			return 1;
	}
	usleep(WORKER_MS * 1000);
	atomic_store(&stop, true);
	for (i = 0; i <= NR_THREADS; i++)
		pthread_join(th[i], NULL);
	dprintf(1, "#   worker %016llx: %lu calls, %lu returned 0\n",
		(unsigned long long)seed, atomic_load(&nr_calls), atomic_load(&nr_ok));
	return rf_status();
}

/* The budget is the test's own, so the alarm is set well past it. */
TEST_TIMEOUT(register_and_ioctl_fuzz, 3600)
{
	uint64_t seed = rf_fuzz_seed(), s, deadline;
	unsigned int workers = 0, secs = rf_fuzz_seconds();
	pid_t pid;

	rf_note("seed 0x%016llx, %u s (RINGFENCE_FUZZ_SEED=0x%016llx reproduces it)",
		(unsigned long long)seed, secs, (unsigned long long)seed);
	page_size = sysconf(_SC_PAGESIZE);
	page_pair = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_TRUE(page_pair != MAP_FAILED);
	ASSERT_OK(mprotect(page_pair + page_size, page_size, PROT_NONE));
	/* Writable by nobody too. */
	snprintf(lookalike, sizeof(lookalike), "/tmp/[io_uring]");

	s = seed;
	deadline = rf_now_ms() + secs * 1000ULL;
	while (rf_now_ms() < deadline) {
		uint64_t wseed = rf_rnd(&s);

		pid = rf_fork();
		if (pid == 0)
			_exit(worker(wseed));
		if (!EXPECT_CHILD_OK(pid, "worker"))
			rf_note("worker seed 0x%016llx", (unsigned long long)wseed);
		workers++;
	}
	rf_note("%u workers", workers);
	unlink(lookalike);

	/* Whatever happened, a fresh process can still use io_uring. */
	pid = rf_fork();
	if (pid == 0) {
		struct rf_ring r;

		ASSERT_RES(rf_ring_init(&r, 4, 0), 0);
		EXPECT_RES(rf_ring_nop(&r), 0);
		EXPECT_RES(rf_bpf_allow(r.fd, IORING_OP_NOP), 0);
		EXPECT_RES(rf_ring_nop(&r), 0);
		rf_ring_exit(&r);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "io_uring after the fuzz");
}
