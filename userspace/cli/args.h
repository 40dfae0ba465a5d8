/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing of `ringfence run` options into a restriction set. */
#ifndef RINGFENCE_CLI_ARGS_H
#define RINGFENCE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/io_uring.h>

/* Opcodes are __u8 in struct io_uring_restriction. */
#define RUN_OPCODE_SPACE 256
/* Every SQE op, every register op, and the two flag entries. */
#define RUN_MAX_RESTRICTIONS (2 * RUN_OPCODE_SPACE + 2)

struct run_args {
	bool sqe_op[RUN_OPCODE_SPACE];
	bool register_op[RUN_OPCODE_SPACE];
	bool have_ops;
	bool have_register;
	bool have_allow_flags;
	bool have_require_flags;
	unsigned int allow_flags;
	unsigned int require_flags;
	bool deny_all;
	bool keep_privs;
	bool help;
	char **cmd;	/* NULL-terminated, points into argv */
};

/*
 * argv holds what follows "run". Returns 0, or -1 with a one-line message
 * (no trailing newline) in err. With --help, returns 0 with a->help set and
 * nothing else checked.
 */
int parse_run_args(int argc, char **argv, struct run_args *a,
		   char *err, size_t errlen);

/* out[] must hold RUN_MAX_RESTRICTIONS entries; returns how many it used. */
unsigned int build_restrictions(const struct run_args *a,
				struct io_uring_restriction *out);

#endif /* RINGFENCE_CLI_ARGS_H */
