// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence run` option parsing and the restriction set it produces. */
#include <string.h>
#include <linux/io_uring.h>

#include "args.h"
#include "tap.h"

#define ARGC(v) ((int)(sizeof(v) / sizeof((v)[0])) - 1)

static struct run_args a;
static struct io_uring_restriction res[RUN_MAX_RESTRICTIONS];
static char err[256];

/* The parser's message, for the description of a case that should pass. */
#define WHY (err[0] ? err : "no message")

static int parse(int argc, char **argv)
{
	err[0] = '\0';
	return parse_run_args(argc, argv, &a, err, sizeof(err));
}

static int has(unsigned int n, unsigned int kind, unsigned int value)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (res[i].opcode == kind && res[i].sqe_op == value)
			return 1;
	return 0;
}

static void test_allow_ops(void)
{
	char *v[] = { "--allow-op", "nop,READ,write", "--", "cat", "-n", NULL };
	unsigned int n;

	ok(parse(ARGC(v), v) == 0, "--allow-op list parses (%s)", WHY);
	ok(a.cmd == &v[3] && !strcmp(a.cmd[1], "-n") && !a.cmd[2],
	   "command is everything after --");
	n = build_restrictions(&a, res);
	ok(n == 3, "three entries for three ops, no flag entries (got %u)", n);
	ok(has(n, IORING_RESTRICTION_SQE_OP, IORING_OP_NOP) &&
	   has(n, IORING_RESTRICTION_SQE_OP, IORING_OP_READ) &&
	   has(n, IORING_RESTRICTION_SQE_OP, IORING_OP_WRITE),
	   "SQE_OP entries for nop, read, write");
	ok(!res[0].resv && !res[0].resv2[0] && !res[0].resv2[1] && !res[0].resv2[2],
	   "reserved fields are zero");
}

static void test_equals_repeat_and_no_dashdash(void)
{
	char *v[] = { "--allow-op=nop", "--allow-op", "nop,openat", "true", NULL };
	unsigned int n;

	ok(parse(ARGC(v), v) == 0, "--opt=LIST form and repetition (%s)", WHY);
	ok(a.cmd == &v[3], "first non-option word starts the command");
	n = build_restrictions(&a, res);
	ok(n == 2, "repeated op counted once (got %u)", n);
}

static void test_flags(void)
{
	char *v[] = { "--allow-op", "read", "--allow-flags", "fixed_file,io_link",
		      "--require-flags", "fixed_file", "--", "x", NULL };
	unsigned int n, i;
	int allowed = -1, required = -1;

	ok(parse(ARGC(v), v) == 0, "flags parse (%s)", WHY);
	n = build_restrictions(&a, res);
	for (i = 0; i < n; i++) {
		if (res[i].opcode == IORING_RESTRICTION_SQE_FLAGS_ALLOWED)
			allowed = res[i].sqe_flags;
		if (res[i].opcode == IORING_RESTRICTION_SQE_FLAGS_REQUIRED)
			required = res[i].sqe_flags;
	}
	ok(allowed == (IOSQE_FIXED_FILE | IOSQE_IO_LINK), "allowed flags mask 0x%x",
	   allowed);
	ok(required == IOSQE_FIXED_FILE, "required flags mask 0x%x", required);
	ok(n == 3, "one op + two flag entries (got %u)", n);
}

static void test_register_only(void)
{
	char *v[] = { "--allow-register", "register_buffers,register_files",
		      "--", "x", NULL };
	unsigned int n;

	ok(parse(ARGC(v), v) == 0, "--allow-register alone parses (%s)", WHY);
	n = build_restrictions(&a, res);
	ok(n == 2 && has(n, IORING_RESTRICTION_REGISTER_OP, IORING_REGISTER_BUFFERS) &&
	   has(n, IORING_RESTRICTION_REGISTER_OP, IORING_REGISTER_FILES),
	   "only REGISTER_OP entries, so submissions stay unrestricted");
}

static void test_deny_all(void)
{
	char *v[] = { "--deny-all", "--", "x", NULL };

	ok(parse(ARGC(v), v) == 0 && a.deny_all, "--deny-all parses (%s)", WHY);
	ok(build_restrictions(&a, res) == 0, "--deny-all registers zero entries");
}

static void test_keep_privs_and_help(void)
{
	char *v[] = { "--keep-privs", "--allow-op", "nop", "x", NULL };
	char *h[] = { "--allow-op", "bogus", "--help", NULL };

	ok(parse(ARGC(v), v) == 0 && a.keep_privs, "--keep-privs parses");
	ok(parse(1, (char *[]){ "--help", NULL }) == 0 && a.help, "--help");
	ok(parse(ARGC(h), h) == -1, "an error before --help still counts");
}

/* Each case: argv, and a word the message must contain. */
static void expect_error(char **v, int argc, const char *word, const char *why)
{
	ok(parse(argc, v) == -1 && strstr(err, word),
	   "%s: \"%s\"", why, err);
}

static void test_errors(void)
{
	char *nothing[] = { "--", "x", NULL };
	char *bad_op[] = { "--allow-op", "nop,frobnicate,read", "--", "x", NULL };
	char *bad_reg[] = { "--allow-register", "buffers", "--", "x", NULL };
	char *bad_flag[] = { "--allow-op", "nop", "--allow-flags", "link", "x", NULL };
	char *empty_item[] = { "--allow-op", "nop,,read", "x", NULL };
	char *empty_list[] = { "--allow-op=", "x", NULL };
	char *missing_value[] = { "--allow-op", NULL };
	char *no_cmd[] = { "--allow-op", "nop", "--", NULL };
	char *no_cmd2[] = { "--allow-op", "nop", NULL };
	char *unknown_opt[] = { "--allow-ops", "nop", "x", NULL };
	char *deny_mix[] = { "--deny-all", "--allow-op", "nop", "x", NULL };
	char *flags_alone[] = { "--allow-register", "register_files",
				"--allow-flags", "fixed_file", "x", NULL };
	char *long_word[] = { "--allow-op",
		"nop,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
		"x", NULL };

	expect_error(nothing, ARGC(nothing), "nothing to restrict",
		     "neither --allow-op nor --allow-register");
	expect_error(bad_op, ARGC(bad_op), "'frobnicate'", "unknown op is named");
	expect_error(bad_reg, ARGC(bad_reg), "'buffers'", "unknown register op is named");
	expect_error(bad_flag, ARGC(bad_flag), "'link'", "unknown flag is named");
	expect_error(empty_item, ARGC(empty_item), "empty name", "empty list item");
	expect_error(empty_list, ARGC(empty_list), "needs a comma-separated list",
		     "empty list");
	expect_error(missing_value, ARGC(missing_value), "needs a comma-separated list",
		     "missing list");
	expect_error(no_cmd, ARGC(no_cmd), "no command", "nothing after --");
	expect_error(no_cmd2, ARGC(no_cmd2), "no command", "no command at all");
	expect_error(unknown_opt, ARGC(unknown_opt), "'--allow-ops'",
		     "unknown option is named");
	expect_error(deny_mix, ARGC(deny_mix), "--deny-all cannot be combined",
		     "--deny-all with --allow-op");
	expect_error(flags_alone, ARGC(flags_alone), "together with --allow-op",
		     "flags without --allow-op");
	expect_error(long_word, ARGC(long_word), "'aaaa", "an overlong name is named");
}

int main(void)
{
	test_allow_ops();
	test_equals_repeat_and_no_dashdash();
	test_flags();
	test_register_only();
	test_deny_all();
	test_keep_privs_and_help();
	test_errors();
	return tap_done();
}
