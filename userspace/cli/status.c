// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence status [PID]`: the io_uring policy in force for a process. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "describe.h"
#include "ringfence.h"

static const char *const layer_names[] = {
#define LAYER_NAME(n, name, str) [n] = str,
	RINGFENCE_LAYERS(LAYER_NAME)
#undef LAYER_NAME
};

static void print_set(const char *what, const struct ringfence_status_set *s)
{
	if (!s->restricts) {
		printf("%s: none\n", what);
		return;
	}
	printf("%s:\n  submissions: ", what);
	if (s->restricts & RINGFENCE_STATUS_SQE) {
		print_ops(stdout, NAMES_SQE_OPS, s->sqe_op, 128);
		fputs("\n  SQE flags allowed: ", stdout);
		print_flags(stdout, s->sqe_flags_allowed);
		fputs("\n  SQE flags required: ", stdout);
		print_flags(stdout, s->sqe_flags_required);
	} else {
		fputs("not restricted", stdout);
	}
	fputs("\n  register operations: ", stdout);
	if (s->restricts & RINGFENCE_STATUS_REGISTER)
		print_ops(stdout, NAMES_REGISTER_OPS, s->register_op, 64);
	else
		fputs("not restricted", stdout);
	putchar('\n');
}

static void print_filters(const char *what, const struct ringfence_status_filters *f)
{
	unsigned int i, shown = f->nr < RINGFENCE_STATUS_MAX_FILTERS ? f->nr :
				RINGFENCE_STATUS_MAX_FILTERS;
	char name[48];

	printf("%s: %u\n", what, f->nr);
	for (i = 0; i < shown; i++) {
		const struct ringfence_status_filter *e = &f->f[i];

		printf("  %-16s ", cli_op_name(NAMES_SQE_OPS, e->opcode, name,
						sizeof(name)));
		if (e->len)
			printf("%u instruction%s", e->len, e->len == 1 ? "" : "s");
		else
			fputs("denied (DENY_REST)", stdout);
		if (e->pid)
			printf(", registered by pid %u", e->pid);
		printf(" (%s)\n", e->layer < RINGFENCE_LAYER_NR ?
		       layer_names[e->layer] : "?");
	}
	if (shown < f->nr)
		printf("  ... %u more\n", f->nr - shown);
}

static void print_counts(const char *what, const __u64 *c)
{
	unsigned int l, n = 0;

	printf("%s:", what);
	for (l = 1; l < RINGFENCE_LAYER_NR; l++)
		if (c[l])
			printf("%s %s %llu", n++ ? "," : "", layer_names[l],
			       (unsigned long long)c[l]);
	puts(n ? "" : " none");
}

static void print_comm(int pid)
{
	char path[64], comm[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(comm, sizeof(comm), f))
			comm[strcspn(comm, "\n")] = '\0';
		fclose(f);
	}
	printf("process %d (%s)\n", pid, comm);
}

int cmd_status(int argc, char **argv)
{
	static struct ringfence_status st;
	unsigned int i, shown;
	char *end;
	long pid = 0;
	int ret;

	if (argc > 1 || (argc == 1 && (!argv[0][0] || argv[0][0] == '-'))) {
		fputs("ringfence status: usage: ringfence status [PID]\n", stderr);
		return EXIT_USAGE;
	}
	if (argc == 1) {
		errno = 0;
		pid = strtol(argv[0], &end, 10);
		if (errno || *end || pid <= 0 || pid > 0x3fffffff) {
			fprintf(stderr, "ringfence status: '%s' is not a process id\n",
				argv[0]);
			return EXIT_USAGE;
		}
	}
	ret = ringfence_status((int)pid, &st);
	if (ret) {
		fprintf(stderr, "ringfence status: %s\n",
			ret == -ENOSYS ? "needs the ringfence module with "
			"RINGFENCE_FEAT_RECORDS (no upstream kernel reports "
			"this; try: modprobe ringfence)" :
			ret == -ESRCH ? "no such process" :
			ret == -EPERM ? "not allowed: it needs the access "
			"reading the process's /proc/PID/status with ptrace "
			"needs (same user and dumpable, or CAP_SYS_PTRACE)" :
			strerror(-ret));
		return 1;
	}
	print_comm(pid ? (int)pid : (int)getpid());
	printf("confined: %s\n", st.flags & RINGFENCE_STATUS_CONFINED ? "yes" : "no");
	print_set("restriction set", &st.set);
	print_set("log-only restriction set", &st.log_only_set);
	print_filters("task filters", &st.filters);
	print_filters("log-only task filters", &st.log_only_filters);
	printf("seccomp parity: %s%s\n",
	       st.flags & RINGFENCE_STATUS_PARITY ? "on" :
	       st.flags & RINGFENCE_STATUS_PARITY_LOG_ONLY ? "log-only" : "off",
	       st.flags & RINGFENCE_STATUS_PARITY_ALL ? " (system-wide: seccomp_parity=1)" : "");
	printf("learning: %s\n", st.flags & RINGFENCE_STATUS_LEARNING ? "yes" : "no");
	print_counts("denied", st.denied);
	print_counts("would deny (log-only)", st.log_only);
	shown = st.nr_rings < RINGFENCE_STATUS_MAX_RINGS ? st.nr_rings :
		RINGFENCE_STATUS_MAX_RINGS;
	printf("rings: %u\n", st.nr_rings);
	for (i = 0; i < shown; i++) {
		const struct ringfence_status_ring *r = &st.rings[i];
		char what[64];

		printf("  fd %d, ring %u: %s%s%s, %u filter%s\n", r->fd, r->id,
		       r->flags & RINGFENCE_STATUS_RING_TASK_SET ? "its creator's set" :
		       r->flags & RINGFENCE_STATUS_RING_OWN_SET ? "its own set" :
		       "no set",
		       r->flags & RINGFENCE_STATUS_RING_LOG_ONLY ? ", log-only layers" : "",
		       r->flags & RINGFENCE_STATUS_RING_LEARNING ? ", learning" : "",
		       r->nr_filters, r->nr_filters == 1 ? "" : "s");
		snprintf(what, sizeof(what), "    denied");
		print_counts(what, r->denied);
		snprintf(what, sizeof(what), "    would deny (log-only)");
		print_counts(what, r->log_only);
	}
	if (shown < st.nr_rings)
		printf("  ... %u more\n", st.nr_rings - shown);
	return fflush(stdout) ? 1 : 0;
}
