// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * `ringfence learn -o FILE -- COMMAND`: run COMMAND with every io_uring
 * request and register call of it and all it starts recorded by the module,
 * and write the profile that allows exactly what was used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "args.h"
#include "cli.h"
#include "describe.h"
#include "ringfence.h"

#define MAX_SEEN	64	/* distinct socket kinds, connect destinations */

struct dest {
	unsigned int family;
	unsigned int port;
	unsigned char addr[16];
	unsigned long long count;
};

struct seen {
	unsigned long long op[RUN_OPCODE_SPACE], reg[RUN_OPCODE_SPACE];
	unsigned long long flag[8];
	unsigned long long requests, calls, dropped, denied;
	unsigned long long family[MAX_SEEN], type[MAX_SEEN];
	unsigned int family_v[MAX_SEEN], type_v[MAX_SEEN];
	unsigned int nr_families, nr_types;
	unsigned long long opens, creating_opens, unix_connects;
	struct dest dest[MAX_SEEN];
	unsigned int nr_dests;
	bool dests_overflow, sockets_overflow;
};

static bool add_value(unsigned int *v, unsigned long long *c, unsigned int *n,
		      unsigned int value, unsigned long long count)
{
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (v[i] == value)
			break;
	if (i == *n) {
		if (*n == MAX_SEEN)
			return false;
		v[(*n)++] = value;
		c[i] = 0;
	}
	c[i] += count;
	return true;
}

static void add_dest(struct seen *s, const struct io_uring_bpf_ctx *ctx,
		     unsigned long long count)
{
	struct dest d = { .family = ctx->connect.family, .port = ntohs(ctx->connect.port) };
	unsigned int i;

	if (d.family == AF_INET)
		memcpy(d.addr, &ctx->connect.v4_addr, 4);
	else
		memcpy(d.addr, ctx->connect.v6_addr, 16);
	for (i = 0; i < s->nr_dests; i++)
		if (s->dest[i].family == d.family && s->dest[i].port == d.port &&
		    !memcmp(s->dest[i].addr, d.addr, 16))
			break;
	if (i == s->nr_dests) {
		if (i == MAX_SEEN) {
			s->dests_overflow = true;
			return;
		}
		s->dest[s->nr_dests++] = d;
	}
	s->dest[i].count += count;
}

static void fold(struct seen *s, const struct ringfence_record *r)
{
	const struct io_uring_bpf_ctx *c = &r->ctx;
	unsigned int bit, type;

	if (r->flags & RINGFENCE_RECORD_DENIED)
		s->denied += r->count;
	if (r->kind == RINGFENCE_RECORD_DROPPED) {
		s->dropped += r->count;
		return;
	}
	if (r->kind == RINGFENCE_RECORD_REGISTER) {
		s->calls += r->count;
		s->reg[c->opcode] += r->count;
		return;
	}
	if (r->kind != RINGFENCE_RECORD_SQE)
		return;
	s->requests += r->count;
	s->op[c->opcode] += r->count;
	for (bit = 0; bit < 8; bit++)
		if (c->sqe_flags & (1U << bit))
			s->flag[bit] += r->count;
	switch (c->opcode) {
	case IORING_OP_SOCKET:
		type = c->socket.type & ~(unsigned int)(SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (!add_value(s->family_v, s->family, &s->nr_families,
			       c->socket.family, r->count) ||
		    !add_value(s->type_v, s->type, &s->nr_types, type, r->count))
			s->sockets_overflow = true;
		break;
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		s->opens += r->count;
		if (c->open.flags & (O_CREAT | __O_TMPFILE))
			s->creating_opens += r->count;
		break;
	case IORING_OP_CONNECT:
		if (c->connect.family == AF_INET || c->connect.family == AF_INET6)
			add_dest(s, c, r->count);
		else
			s->unix_connects += r->count;
		break;
	}
}

/* Everything the descriptor has now; 0 or -errno. */
static int drain(int fd, struct seen *s)
{
	static struct ringfence_record recs[64];
	ssize_t n, i;

	for (;;) {
		n = read(fd, recs, sizeof(recs));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return 0;
		for (i = 0; i < n / (ssize_t)sizeof(recs[0]); i++)
			fold(s, &recs[i]);
	}
}

static const char *family_name(unsigned int f, char *buf, size_t len)
{
	switch (f) {
	case AF_UNIX: return "unix";
	case AF_INET: return "inet";
	case AF_INET6: return "inet6";
	case AF_NETLINK: return "netlink";
	case AF_PACKET: return "packet";
	case AF_VSOCK: return "vsock";
	}
	snprintf(buf, len, "%u", f);
	return buf;
}

static const char *type_name(unsigned int t, char *buf, size_t len)
{
	switch (t) {
	case SOCK_STREAM: return "stream";
	case SOCK_DGRAM: return "dgram";
	case SOCK_RAW: return "raw";
	case SOCK_RDM: return "rdm";
	case SOCK_SEQPACKET: return "seqpacket";
	case SOCK_PACKET: return "packet";
	}
	snprintf(buf, len, "%u", t);
	return buf;
}

static const char *plural(unsigned long long n)
{
	return n == 1 ? "" : "s";
}

static void write_ops(FILE *out, const struct seen *s)
{
	unsigned int op, bit;
	unsigned int flags = 0;
	char name[48];

	for (op = 0; op < RUN_OPCODE_SPACE; op++)
		if (s->op[op])
			fprintf(out, "allow-op %-24s # %llu request%s\n",
				cli_op_name(NAMES_SQE_OPS, op, name, sizeof(name)),
				s->op[op], plural(s->op[op]));
	for (bit = 0; bit < 8; bit++) {
		if (!s->flag[bit])
			continue;
		flags |= 1U << bit;
		fputs("allow-flags ", out);
		print_flags(out, 1U << bit);
		fprintf(out, " # %llu request%s carried it\n", s->flag[bit],
			plural(s->flag[bit]));
	}
	if (!flags)
		fputs("# no request carried an SQE flag: none is allowed\n", out);
}

static void write_register(FILE *out, const struct seen *s)
{
	unsigned int op;
	char name[48];

	if (!s->calls) {
		fputs("# no io_uring_register() call was seen; a set cannot allow none, so\n"
		      "# register operations stay unrestricted (add allow-register lines to\n"
		      "# restrict them)\n", out);
		return;
	}
	for (op = 0; op < RUN_OPCODE_SPACE; op++)
		if (s->reg[op])
			fprintf(out, "allow-register %-18s # %llu call%s\n",
				cli_op_name(NAMES_REGISTER_OPS, op, name, sizeof(name)),
				s->reg[op], plural(s->reg[op]));
}

static void write_filters(FILE *out, const struct seen *s)
{
	char buf[INET6_ADDRSTRLEN + 16], num[16];
	unsigned int i;

	if (s->op[IORING_OP_SOCKET] && s->sockets_overflow) {
		fputs("# more than 64 socket families or types: SOCKET not filtered\n", out);
	} else if (s->op[IORING_OP_SOCKET]) {
		for (i = 0; i < s->nr_families; i++)
			fprintf(out, "socket-family %-13s # %llu socket%s\n",
				family_name(s->family_v[i], num, sizeof(num)), s->family[i],
				plural(s->family[i]));
		for (i = 0; i < s->nr_types; i++)
			fprintf(out, "socket-type %-15s # %llu socket%s\n",
				type_name(s->type_v[i], num, sizeof(num)), s->type[i],
				plural(s->type[i]));
	}
	if (s->opens && !s->creating_opens)
		fprintf(out, "deny-open-create %12s # %llu open%s, none creating a file\n",
			"", s->opens, plural(s->opens));
	if (!s->op[IORING_OP_CONNECT])
		return;
	if (s->unix_connects || s->dests_overflow) {
		fprintf(out, "# CONNECT %s: connect-allow cannot express it, so CONNECT\n"
			"# is not filtered\n", s->unix_connects ?
			"to an address that is not IPv4 or IPv6 was seen" :
			"to more than 64 destinations was seen");
		return;
	}
	for (i = 0; i < s->nr_dests; i++) {
		const struct dest *d = &s->dest[i];
		char addr[INET6_ADDRSTRLEN];

		inet_ntop((int)d->family, d->addr, addr, sizeof(addr));
		/* Port 0 cannot be a rule's port: the address, on any port. */
		if (!d->port)
			snprintf(buf, sizeof(buf), "%s", addr);
		else if (d->family == AF_INET)
			snprintf(buf, sizeof(buf), "%s:%u", addr, d->port);
		else
			snprintf(buf, sizeof(buf), "[%s]:%u", addr, d->port);
		fprintf(out, "connect-allow %-30s # %llu connect%s\n", buf, d->count,
			plural(d->count));
	}
}

static int write_profile(const char *path, char **cmd, const struct seen *s)
{
	struct utsname u;
	char stamp[32];
	time_t now = time(NULL);
	FILE *out = fopen(path, "w");
	int i;

	if (!out) {
		fprintf(stderr, "ringfence learn: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	uname(&u);
	strftime(stamp, sizeof(stamp), "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	fputs("# ringfence profile, learned by `ringfence learn` from:\n#  ", out);
	for (i = 0; cmd[i]; i++)
		fprintf(out, " %s", cmd[i]);
	fprintf(out, "\n# on Linux %s, %s: %llu request%s, %llu register call%s",
		u.release, stamp, s->requests, plural(s->requests), s->calls,
		plural(s->calls));
	if (s->dropped)
		fprintf(out, ", %llu not recorded (the table was full)", s->dropped);
	if (s->denied)
		fprintf(out, ", %llu denied by a policy already in force", s->denied);
	fputs(".\n# It allows what that run used; a comment says how often.\n"
	      "# Use: ringfence run --profile FILE -- COMMAND\n\n", out);
	if (!s->requests && !s->calls) {
		fputs("# no io_uring use was seen\ndeny-all\n", out);
	} else if (!s->requests) {
		fputs("# no request was seen; a set that restricts register operations\n"
		      "# cannot also allow no opcode, so submissions stay unrestricted\n", out);
		write_register(out, s);
	} else {
		write_ops(out, s);
		write_register(out, s);
		write_filters(out, s);
	}
	if (fclose(out)) {
		fprintf(stderr, "ringfence learn: cannot write %s: %s\n", path,
			strerror(errno));
		return -1;
	}
	return 0;
}

static int run_learning(int fd, char **cmd, struct seen *s, int *status)
{
	struct timespec tick = { 0, 50 * 1000 * 1000 };
	pid_t pid, done;
	int ret;

	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ringfence learn: cannot fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		close(fd);
		execvp(cmd[0], cmd);
		fprintf(stderr, "ringfence learn: cannot run '%s': %s\n", cmd[0],
			strerror(errno));
		_exit(errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_EXECUTE);
	}
	/* Reading while it runs keeps the module's table from filling up. */
	do {
		ret = drain(fd, s);
		if (ret) {
			fprintf(stderr, "ringfence learn: reading records: %s\n",
				strerror(-ret));
			return -1;
		}
		done = waitpid(pid, status, WNOHANG);
		if (!done)
			nanosleep(&tick, NULL);
	} while (!done || (done < 0 && errno == EINTR));
	if (done < 0) {
		fprintf(stderr, "ringfence learn: waitpid: %s\n", strerror(errno));
		return -1;
	}
	return drain(fd, s) ? -1 : 0;
}

int cmd_learn(int argc, char **argv)
{
	static struct seen s;
	const char *out = NULL;
	char **cmd = NULL;
	int i, fd, status = 0;

	for (i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			cmd = &argv[i + 1];
			break;
		}
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
			out = argv[++i];
			continue;
		}
		if (argv[i][0] != '-') {
			cmd = &argv[i];
			break;
		}
		fprintf(stderr, "ringfence learn: unknown option '%s'\n", argv[i]);
		usage_hint();
		return EXIT_USAGE;
	}
	if (!out || !cmd || !cmd[0]) {
		fprintf(stderr, "ringfence learn: usage: ringfence learn -o FILE -- COMMAND [ARGS...]\n");
		return EXIT_USAGE;
	}
	if (!has_cap_sys_admin() && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
		fprintf(stderr, "ringfence learn: cannot set no_new_privs: %s\n",
			strerror(errno));
		return EXIT_RESTRICT_FAILED;
	}
	fd = ringfence_learn();
	if (fd < 0) {
		fprintf(stderr, "ringfence learn: %s\n", fd == -ENOSYS ?
			"needs the ringfence module with RINGFENCE_FEAT_RECORDS (no "
			"upstream kernel records requests; try: modprobe ringfence)" :
			fd == -EBUSY ? "this process learns already" : strerror(-fd));
		return EXIT_RESTRICT_FAILED;
	}
	if (run_learning(fd, cmd, &s, &status) || write_profile(out, cmd, &s))
		return EXIT_RESTRICT_FAILED;
	close(fd);
	fprintf(stderr, "ringfence learn: %llu requests and %llu register calls seen; "
		"profile written to %s\n", s.requests, s.calls, out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}
