/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Parsing of `ringfence run` options into a restriction set and filters. */
#ifndef RINGFENCE_CLI_ARGS_H
#define RINGFENCE_CLI_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/io_uring.h>

#include "presets.h"

/* Opcodes are __u8 in struct io_uring_restriction. */
#define RUN_OPCODE_SPACE 256
/* Every SQE op, every register op, and the two flag entries. */
#define RUN_MAX_RESTRICTIONS (2 * RUN_OPCODE_SPACE + 2)

/* Filter options: at most this many --filter, values in a --socket-* list,
 * --connect-allow. */
#define RUN_MAX_FILTER_FILES	64
#define RUN_MAX_VALUES		32
#define RUN_MAX_CONNECT_RULES	128

struct run_filter_file {
	unsigned int opcode;
	const char *path;	/* points into argv */
};

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
	bool seccomp_parity;
	bool log_only;
	unsigned int nr_profiles;
	bool help;
	char **cmd;	/* NULL-terminated, points into argv */

	/* cBPF filters */
	struct run_filter_file filter_file[RUN_MAX_FILTER_FILES];
	unsigned int nr_filter_files;
	uint32_t socket_family[RUN_MAX_VALUES];
	unsigned int nr_socket_families;
	uint32_t socket_type[RUN_MAX_VALUES];
	unsigned int nr_socket_types;
	bool deny_open_create;
	struct connect_rule connect[RUN_MAX_CONNECT_RULES];
	unsigned int nr_connect_rules;
	bool deny_rest;
	bool print_bpf;
};

/*
 * argv holds what follows "run". Returns 0, or -1 with a one-line message
 * (no trailing newline) in err. With --help, returns 0 with a->help set and
 * nothing else checked.
 */
int parse_run_args(int argc, char **argv, struct run_args *a,
		   char *err, size_t errlen);

/*
 * One policy option at argv[*i] (and its value, advancing *i past a
 * separate one) into a: what a profile line may hold. Returns 0, or -1
 * with a message in err.
 */
int parse_policy_option(int argc, char **argv, int *i, struct run_args *a,
			char *err, size_t errlen);

/*
 * The rules a and its options need to make sense together; a command only
 * if need_cmd. Returns 0, or -1 with a message in err.
 */
int check_run_args(const struct run_args *a, bool need_cmd, char *err,
		   size_t errlen);

/*
 * profile.c: every line of the profile at path into a, as the run options
 * of the same names. Returns 0, or -1 with "path:line: message" in err.
 */
int parse_profile(const char *path, struct run_args *a, char *err,
		  size_t errlen);

/*
 * "--opt=VALUE" or "--opt VALUE". Returns 1 if argv[*i] is this option
 * (value set, *i advanced past a separate value), 0 if not, -1 on a
 * missing value.
 */
int match_valued(const char *name, int argc, char **argv, int *i,
		 const char **value);

/*
 * args-filter.c: if argv[*i] is a filter option, parse it (and its value,
 * advancing *i past a separate one) into a and return 0, or -1 with a
 * message in err; return 1 if it is no filter option.
 */
int parse_filter_option(int argc, char **argv, int *i, struct run_args *a,
			char *err, size_t errlen);

/* Whether any filter option was given. */
bool run_has_filters(const struct run_args *a);

/* Whether any classic restriction option was given. */
bool run_has_restrictions(const struct run_args *a);

/* out[] must hold RUN_MAX_RESTRICTIONS entries; returns how many it used. */
unsigned int build_restrictions(const struct run_args *a,
				struct io_uring_restriction *out);

#endif /* RINGFENCE_CLI_ARGS_H */
