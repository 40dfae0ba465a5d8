// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence ops`: the names run accepts, one per line, lower case. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "ringfence.h"

static void print_lower(const char *name)
{
	for (; *name; name++)
		putchar(tolower((unsigned char)*name));
	putchar('\n');
}

static const char *const kind_name[] = {
	[RINGFENCE_SECCOMP_OP_UNKNOWN] = "denied (not in the map)",
	[RINGFENCE_SECCOMP_OP_INTERNAL] = "internal",
	[RINGFENCE_SECCOMP_OP_SYSCALL] = "",
	[RINGFENCE_SECCOMP_OP_UNAVAILABLE] = "denied (this kernel lacks a field the map reads)",
};

/* One line an opcode: name, then the system call and its arguments. */
static int print_seccomp_map(void)
{
	static struct ringfence_seccomp_op ops[256];
	int n = ringfence_seccomp_map(ops, 256), i, j;

	if (n < 0) {
		fprintf(stderr, "ringfence ops --seccomp: %s\n", n == -ENOSYS ?
			"the ringfence module is not loaded (seccomp parity is the "
			"module's, on 6.x kernels)" : strerror(-n));
		return 1;
	}
	for (i = 0; i < n && i < 256; i++) {
		const struct ringfence_seccomp_op *op = &ops[i];
		const char *name = ringfence_op_name(op->opcode);

		printf("%-16s ", name ? name : "?");
		if (op->kind != RINGFENCE_SECCOMP_OP_SYSCALL) {
			printf("%s%s%s\n", op->kind < 4 ? kind_name[op->kind] : "?",
			       op->note[0] ? ": " : "", op->note);
			continue;
		}
		printf("%s(", op->syscall);
		for (j = 0; j < op->nargs && j < 6; j++)
			printf("%s%s", j ? ", " : "", op->args[j]);
		printf(") [%d]", op->nr);
		if (op->alt_syscall[0])
			printf("; %s [%d]", op->note, op->alt_nr);
		putchar('\n');
	}
	return 0;
}

int cmd_ops(int argc, char **argv)
{
	const char *(*name_of)(unsigned int) = ringfence_op_name;
	unsigned int count = ringfence_op_count();
	unsigned int i;

	if (argc == 1 && !strcmp(argv[0], "--register")) {
		name_of = ringfence_register_op_name;
		count = ringfence_register_op_count();
	} else if (argc == 1 && !strcmp(argv[0], "--seccomp")) {
		return print_seccomp_map();
	} else if (argc == 1 && !strcmp(argv[0], "--flags")) {
		name_of = ringfence_sqe_flag_name;
		count = ringfence_sqe_flag_count();
	} else if (argc > 0) {
		fprintf(stderr, "ringfence ops: unknown argument '%s'\n", argv[0]);
		usage_hint();
		return EXIT_USAGE;
	}

	for (i = 0; i < count; i++)
		if (name_of(i))
			print_lower(name_of(i));
	return 0;
}
