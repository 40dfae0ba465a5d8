// SPDX-License-Identifier: LGPL-2.1-or-later
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "errmsg.h"
#include "ringfence.h"

enum list_kind { LIST_SQE_OPS, LIST_REGISTER_OPS, LIST_FLAGS };

static const char *const list_help[] = {
	[LIST_SQE_OPS] = "ringfence ops",
	[LIST_REGISTER_OPS] = "ringfence ops --register",
	[LIST_FLAGS] = "ringfence ops --flags",
};

static const char *const list_what[] = {
	[LIST_SQE_OPS] = "io_uring opcode",
	[LIST_REGISTER_OPS] = "io_uring register opcode",
	[LIST_FLAGS] = "SQE flag",
};

static int lookup(enum list_kind kind, const char *name)
{
	switch (kind) {
	case LIST_SQE_OPS:
		return ringfence_op_from_name(name);
	case LIST_REGISTER_OPS:
		return ringfence_register_op_from_name(name);
	case LIST_FLAGS:
		return ringfence_sqe_flag_from_name(name);
	}
	return -1;
}

/* Ops go into set[] by number; flags are OR-ed into *mask. */
static int parse_list(const char *option, const char *list,
		      enum list_kind kind, bool *set, unsigned int *mask,
		      char *err, size_t errlen)
{
	const char *p = list;

	if (!*list)
		return errmsg(err, errlen, "%s needs a comma-separated list of names",
			      option);
	for (;;) {
		size_t len = strcspn(p, ",");
		char word[64];
		int value;

		if (len == 0)
			return errmsg(err, errlen, "empty name in %s list '%s'",
				      option, list);
		if (len >= sizeof(word))
			return errmsg(err, errlen, "unknown %s '%.*s' in %s (see '%s')",
				      list_what[kind], (int)len, p, option,
				      list_help[kind]);
		memcpy(word, p, len);
		word[len] = '\0';
		value = lookup(kind, word);
		if (value < 0)
			return errmsg(err, errlen, "unknown %s '%s' in %s (see '%s')",
				      list_what[kind], word, option,
				      list_help[kind]);
		if (kind == LIST_FLAGS)
			*mask |= (unsigned int)value;
		else
			set[value] = true;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int match_valued(const char *name, int argc, char **argv, int *i,
			const char **value)
{
	const char *arg = argv[*i];
	size_t len = strlen(name);

	if (strncmp(arg, name, len))
		return 0;
	if (arg[len] == '=') {
		*value = arg + len + 1;
		return 1;
	}
	if (arg[len])
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*value = argv[++*i];
	return 1;
}

int parse_policy_option(int argc, char **argv, int *i, struct run_args *a,
			char *err, size_t errlen)
{
	const struct {
		const char *name;
		enum list_kind kind;
		bool *seen;
		bool *set;		/* ops */
		unsigned int *mask;	/* flags */
	} lists[] = {
		{ "--allow-op", LIST_SQE_OPS, &a->have_ops, a->sqe_op, NULL },
		{ "--allow-register", LIST_REGISTER_OPS, &a->have_register,
		  a->register_op, NULL },
		{ "--allow-flags", LIST_FLAGS, &a->have_allow_flags, NULL,
		  &a->allow_flags },
		{ "--require-flags", LIST_FLAGS, &a->have_require_flags, NULL,
		  &a->require_flags },
	};
	const char *arg = argv[*i];
	size_t k;
	int ret;

	ret = parse_filter_option(argc, argv, i, a, err, errlen);
	if (ret <= 0)
		return ret;
	if (!strcmp(arg, "--deny-all")) {
		a->deny_all = true;
		return 0;
	}
	if (!strcmp(arg, "--seccomp-parity")) {
		a->seccomp_parity = true;
		return 0;
	}
	for (k = 0; k < sizeof(lists) / sizeof(lists[0]); k++) {
		const char *value;
		int m = match_valued(lists[k].name, argc, argv, i, &value);

		if (m < 0)
			return errmsg(err, errlen,
				      "%s needs a comma-separated list of names",
				      lists[k].name);
		if (!m)
			continue;
		*lists[k].seen = true;
		return parse_list(lists[k].name, value, lists[k].kind,
				  lists[k].set, lists[k].mask, err, errlen);
	}
	return errmsg(err, errlen, "unknown option '%s'", arg);
}

/* The options that say how to run, not what to allow: never in a profile. */
static int parse_option(int argc, char **argv, int *i, struct run_args *a,
			char *err, size_t errlen)
{
	const char *arg = argv[*i], *value;
	int m;

	if (!strcmp(arg, "--keep-privs")) {
		a->keep_privs = true;
		return 0;
	}
	if (!strcmp(arg, "--log-only")) {
		a->log_only = true;
		return 0;
	}
	m = match_valued("--profile", argc, argv, i, &value);
	if (m < 0)
		return errmsg(err, errlen, "--profile needs a file name");
	if (m) {
		a->nr_profiles++;
		return parse_profile(value, a, err, errlen);
	}
	return parse_policy_option(argc, argv, i, a, err, errlen);
}

bool run_has_restrictions(const struct run_args *a)
{
	return a->deny_all || a->have_ops || a->have_register;
}

int check_run_args(const struct run_args *a, bool need_cmd, char *err,
		   size_t errlen)
{
	bool have_flags = a->have_allow_flags || a->have_require_flags;

	if (a->deny_all && (a->have_ops || a->have_register || have_flags))
		return errmsg(err, errlen,
			      "--deny-all cannot be combined with --allow-op, "
			      "--allow-register, --allow-flags or --require-flags");
	if (have_flags && !a->have_ops)
		return errmsg(err, errlen,
			      "--allow-flags and --require-flags only apply "
			      "together with --allow-op");
	if (a->deny_rest && !run_has_filters(a))
		return errmsg(err, errlen,
			      "--deny-rest applies to filters: give at least one "
			      "of --filter, --socket-family, --socket-type, "
			      "--deny-open-create, --connect-allow");
	if (a->print_bpf) {
		if (!run_has_filters(a))
			return errmsg(err, errlen, "--print-bpf: no filter to "
				      "print");
		return 0;
	}
	if (!run_has_restrictions(a) && !run_has_filters(a) && !a->seccomp_parity)
		return errmsg(err, errlen,
			      "nothing to restrict: give --allow-op and/or "
			      "--allow-register, or --deny-all to deny every "
			      "io_uring operation, or filter options, or "
			      "--seccomp-parity");
	if (need_cmd && (!a->cmd || !a->cmd[0]))
		return errmsg(err, errlen, "no command to run (put it after '--')");
	return 0;
}

int parse_run_args(int argc, char **argv, struct run_args *a,
		   char *err, size_t errlen)
{
	int i;

	memset(a, 0, sizeof(*a));
	for (i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (!strcmp(arg, "--")) {
			a->cmd = &argv[i + 1];
			break;
		}
		if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
			a->help = true;
			return 0;
		}
		if (arg[0] != '-' || !arg[1]) {
			a->cmd = &argv[i];
			break;
		}
		if (parse_option(argc, argv, &i, a, err, errlen))
			return -1;
	}
	return check_run_args(a, true, err, errlen);
}

static void add(struct io_uring_restriction *out, unsigned int *n,
		unsigned int kind, unsigned int value)
{
	memset(&out[*n], 0, sizeof(out[*n]));
	out[*n].opcode = (__u16)kind;
	/* register_op, sqe_op and sqe_flags share one byte. */
	out[*n].sqe_op = (__u8)value;
	(*n)++;
}

unsigned int build_restrictions(const struct run_args *a,
				struct io_uring_restriction *out)
{
	unsigned int n = 0, op;

	if (a->deny_all)
		return 0;
	for (op = 0; op < RUN_OPCODE_SPACE; op++)
		if (a->sqe_op[op])
			add(out, &n, IORING_RESTRICTION_SQE_OP, op);
	if (a->have_allow_flags)
		add(out, &n, IORING_RESTRICTION_SQE_FLAGS_ALLOWED, a->allow_flags);
	if (a->have_require_flags)
		add(out, &n, IORING_RESTRICTION_SQE_FLAGS_REQUIRED,
		    a->require_flags);
	for (op = 0; op < RUN_OPCODE_SPACE; op++)
		if (a->register_op[op])
			add(out, &n, IORING_RESTRICTION_REGISTER_OP, op);
	return n;
}
