/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filters `ringfence run` registers: built, printed, registered. */
#ifndef RINGFENCE_CLI_FILTERS_H
#define RINGFENCE_CLI_FILTERS_H

#include <stdio.h>
#include <linux/filter.h>

#include "args.h"

struct filter_prog {
	unsigned int opcode;
	unsigned int len;
	unsigned int payload;	/* payload bytes the program may read */
	char origin[80];	/* the option it comes from */
	struct sock_filter insn[BPF_MAXINSNS];
};

struct filter_set {
	struct filter_prog *prog;
	unsigned int n;
	bool deny_rest;		/* on the last one */
};

/*
 * Every filter a asks for: --filter files in the order given, then SOCKET
 * (--socket-family, --socket-type), OPENAT and OPENAT2
 * (--deny-open-create), CONNECT (--connect-allow). Each is checked as the
 * kernel will check it. Returns 0, or -1 with a message in err.
 */
int build_filters(const struct run_args *a, struct filter_set *set,
		  char *err, size_t errlen);
void free_filters(struct filter_set *set);

/* What --print-bpf shows: each program in the text format --filter reads. */
void print_filters(FILE *out, const struct filter_set *set);

/*
 * Register them all on the calling task, in order, the last one with
 * IO_URING_BPF_FILTER_DENY_REST if set->deny_rest; log-only ones with
 * log_only (ringfence module only). Returns 0, or the
 * library's error with *failed the index of the program the kernel refused
 * and *kernel_payload its payload size for that opcode (when reported).
 */
int register_filters(const struct filter_set *set, bool log_only,
		     unsigned int *failed, unsigned int *kernel_payload);

#endif /* RINGFENCE_CLI_FILTERS_H */
