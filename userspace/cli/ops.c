// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence ops`: the names run accepts, one per line, lower case. */
#include <ctype.h>
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

int cmd_ops(int argc, char **argv)
{
	const char *(*name_of)(unsigned int) = ringfence_op_name;
	unsigned int count = ringfence_op_count();
	unsigned int i;

	if (argc == 1 && !strcmp(argv[0], "--register")) {
		name_of = ringfence_register_op_name;
		count = ringfence_register_op_count();
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
