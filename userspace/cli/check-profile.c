// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence check-profile FILE...`: what a profile compiles to. */
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "describe.h"
#include "filters.h"

static void bits_of(const bool *set, __u64 *bits)
{
	unsigned int op;

	memset(bits, 0, RUN_OPCODE_SPACE / 8);
	for (op = 0; op < RUN_OPCODE_SPACE; op++)
		if (set[op])
			bits[op / 64] |= 1ULL << (op % 64);
}

static void print_set(FILE *out, const struct run_args *a)
{
	__u64 bits[RUN_OPCODE_SPACE / 64];

	if (a->deny_all) {
		fputs("restriction set: deny-all (no submission, no register operation)\n", out);
		return;
	}
	if (!run_has_restrictions(a)) {
		fputs("restriction set: none\n", out);
		return;
	}
	fputs("restriction set:\n  submissions: ", out);
	if (a->have_ops) {
		bits_of(a->sqe_op, bits);
		print_ops(out, NAMES_SQE_OPS, bits, RUN_OPCODE_SPACE);
		fputs("\n  SQE flags allowed: ", out);
		print_flags(out, a->allow_flags);
		fputs("\n  SQE flags required: ", out);
		print_flags(out, a->require_flags);
	} else {
		fputs("not restricted", out);
	}
	fputs("\n  register operations: ", out);
	if (a->have_register) {
		bits_of(a->register_op, bits);
		print_ops(out, NAMES_REGISTER_OPS, bits, RUN_OPCODE_SPACE);
	} else {
		fputs("not restricted", out);
	}
	fputc('\n', out);
}

static int check_one(const char *path)
{
	struct filter_set filters;
	struct run_args a;
	char err[512];

	memset(&a, 0, sizeof(a));
	if (parse_profile(path, &a, err, sizeof(err)) ||
	    check_run_args(&a, false, err, sizeof(err))) {
		fprintf(stderr, "ringfence check-profile: %s\n", err);
		return EXIT_USAGE;
	}
	if (build_filters(&a, &filters, err, sizeof(err))) {
		fprintf(stderr, "ringfence check-profile: %s: %s\n", path, err);
		return EXIT_USAGE;
	}
	printf("# %s\n", path);
	print_set(stdout, &a);
	printf("seccomp parity: %s\n", a.seccomp_parity ? "on" : "off");
	printf("filters: %u\n", filters.n);
	if (filters.n)
		print_filters(stdout, &filters);
	free_filters(&filters);
	return 0;
}

int cmd_check_profile(int argc, char **argv)
{
	int i, ret = 0, r;

	if (argc < 1) {
		fputs("ringfence check-profile: which profile? (check-profile FILE...)\n",
		      stderr);
		usage_hint();
		return EXIT_USAGE;
	}
	for (i = 0; i < argc; i++) {
		r = check_one(argv[i]);
		if (r)
			ret = r;
		if (i + 1 < argc)
			putchar('\n');
	}
	return fflush(stdout) ? 1 : ret;
}
