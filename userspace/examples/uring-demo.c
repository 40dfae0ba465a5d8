// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * uring-demo: submit a NOP, an OPENAT (O_CREAT) and a SOCKET through one
 * io_uring and print one line per request, so that the effect of a
 * restriction is visible. Raw system calls only: what it shows is the
 * kernel's behaviour, not a library's.
 *
 * Usage: uring-demo [--connect ADDR:PORT[/ADDRLEN]]... [PATH]
 *   PATH defaults to /tmp/ringfence-demo. Each --connect adds, after the
 *   three requests, a CONNECT from a new socket (made with socket(2)) to
 *   ADDR:PORT (IPv6 as [::1]:80), with addr_len ADDRLEN if given, and a
 *   line "connect ADDR:PORT: ...".
 * Exit status: 0 when every request completed, whatever its result;
 * 1 when the ring itself could not be set up or used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/io_uring.h>

struct ring {
	int fd;
	unsigned int *sq_tail, *sq_mask, *sq_array;
	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};

static int ring_setup(struct ring *r)
{
	struct io_uring_params p;
	size_t sq_len, cq_len;
	unsigned char *sq, *cq;

	memset(&p, 0, sizeof(p));
	r->fd = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (r->fd < 0)
		return -errno;

	sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP) {
		if (cq_len > sq_len)
			sq_len = cq_len;
		cq_len = sq_len;
	}
	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	if (sq == MAP_FAILED)
		return -errno;
	cq = sq;
	if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
		cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
		if (cq == MAP_FAILED)
			return -errno;
	}
	r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
		       PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		       r->fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED)
		return -errno;

	r->sq_tail = (unsigned int *)(sq + p.sq_off.tail);
	r->sq_mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	r->sq_array = (unsigned int *)(sq + p.sq_off.array);
	r->cq_head = (unsigned int *)(cq + p.cq_off.head);
	r->cq_tail = (unsigned int *)(cq + p.cq_off.tail);
	r->cq_mask = (unsigned int *)(cq + p.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	return 0;
}

/*
 * One request at a time, so each result is its own and a denied request
 * cannot cut a batch short (the kernel stops a batch at a failed SQE).
 */
static int ring_run(struct ring *r, const struct io_uring_sqe *sqe, int *res)
{
	unsigned int tail = *r->sq_tail, head, idx;
	long ret;

	idx = tail & *r->sq_mask;
	r->sqes[idx] = *sqe;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);

	do
		ret = syscall(SYS_io_uring_enter, r->fd, 1, 1,
			      IORING_ENTER_GETEVENTS, NULL, 0);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return -errno;

	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	*res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

static void print_error(int res)
{
	const char *name = strerrorname_np(-res);

	printf("%s (-%s: %s)\n", res == -EACCES ? "denied" : "failed",
	       name ? name : "?", strerror(-res));
}

/* A successful result that is a new fd: print it and close it. */
static void print_fd(int res)
{
	if (res < 0) {
		print_error(res);
		return;
	}
	printf("fd %d\n", res);
	close(res);
}

static int run(struct ring *r, const char *what, struct io_uring_sqe *sqe,
	       void (*print)(int))
{
	int res = 0, ret;

	ret = ring_run(r, sqe, &res);
	if (ret) {
		fprintf(stderr, "uring-demo: %s: io_uring_enter: %s\n", what,
			strerror(-ret));
		return -1;
	}
	printf("%s: ", what);
	print(res);
	fflush(stdout);
	return 0;
}

static void print_ok(int res)
{
	if (res < 0)
		print_error(res);
	else
		printf("ok\n");
}

/* "ADDR:PORT[/ADDRLEN]", "[ADDR6]:PORT[/ADDRLEN]"; 0 or -1. */
static int parse_target(const char *spec, struct sockaddr_storage *ss,
			socklen_t *len)
{
	char buf[128], *addr = buf, *port, *alen, *end;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;
	unsigned long n;

	if (strlen(spec) >= sizeof(buf))
		return -1;
	strcpy(buf, spec);
	alen = strchr(buf, '/');
	if (alen)
		*alen++ = '\0';
	if (buf[0] == '[') {
		addr = buf + 1;
		port = strchr(addr, ']');
		if (!port || port[1] != ':')
			return -1;
		*port = '\0';
		port += 2;
	} else {
		port = strrchr(buf, ':');
		if (!port)
			return -1;
		*port++ = '\0';
	}
	n = strtoul(port, &end, 10);
	if (!*port || *end || n > 65535)
		return -1;

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons((unsigned short)n);
		*len = sizeof(*sin);
	} else if (inet_pton(AF_INET6, addr, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((unsigned short)n);
		*len = sizeof(*sin6);
	} else {
		return -1;
	}
	if (alen) {
		n = strtoul(alen, &end, 10);
		if (!*alen || *end || n > sizeof(*ss))
			return -1;
		*len = (socklen_t)n;
	}
	return 0;
}

static int connect_to(struct ring *r, const char *spec)
{
	struct sockaddr_storage ss;
	struct io_uring_sqe sqe;
	char what[160];
	socklen_t len;
	int fd, ret;

	if (parse_target(spec, &ss, &len)) {
		fprintf(stderr, "uring-demo: --connect needs ADDR:PORT[/ADDRLEN] "
			"(IPv6 as [ADDR]:PORT), not '%s'\n", spec);
		return -1;
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fprintf(stderr, "uring-demo: socket: %s\n", strerror(errno));
		return -1;
	}
	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_CONNECT;
	sqe.fd = fd;
	sqe.addr = (unsigned long)&ss;
	sqe.off = len;
	snprintf(what, sizeof(what), "connect %s", spec);
	ret = run(r, what, &sqe, print_ok);
	close(fd);
	return ret;
}

int main(int argc, char **argv)
{
	const char *path = "/tmp/ringfence-demo";
	const char *targets[16];
	unsigned int ntargets = 0, i;
	struct io_uring_sqe sqe;
	struct ring r;
	char what[4200];
	int ret, arg;

	for (arg = 1; arg < argc; arg++) {
		if (!strcmp(argv[arg], "--connect") && arg + 1 < argc &&
		    ntargets < sizeof(targets) / sizeof(targets[0])) {
			targets[ntargets++] = argv[++arg];
			continue;
		}
		if (!strncmp(argv[arg], "--", 2) || arg + 1 < argc) {
			fprintf(stderr, "usage: uring-demo [--connect "
				"ADDR:PORT[/ADDRLEN]]... [PATH]\n");
			return 1;
		}
		path = argv[arg];
	}

	ret = ring_setup(&r);
	if (ret) {
		fprintf(stderr, "uring-demo: cannot set up an io_uring: %s\n",
			strerror(-ret));
		return 1;
	}

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_NOP;
	if (run(&r, "nop", &sqe, print_ok))
		return 1;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_OPENAT;
	sqe.fd = AT_FDCWD;
	sqe.addr = (unsigned long)path;
	sqe.len = 0644;
	sqe.open_flags = O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC;
	snprintf(what, sizeof(what), "openat %s", path);
	if (run(&r, what, &sqe, print_fd))
		return 1;

	memset(&sqe, 0, sizeof(sqe));
	sqe.opcode = IORING_OP_SOCKET;
	sqe.fd = AF_INET;
	sqe.off = SOCK_STREAM;
	sqe.len = 0;
	if (run(&r, "socket", &sqe, print_fd))
		return 1;

	for (i = 0; i < ntargets; i++)
		if (connect_to(&r, targets[i]))
			return 1;
	return 0;
}
