// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence run` option parsing and the restriction set it produces. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>
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

static void test_filter_options(void)
{
	char *v[] = { "--socket-family", "unix,INET", "--socket-family=unix,inet6,42",
		      "--socket-type", "stream", "--deny-open-create",
		      "--filter", "socket:/tmp/a:b", "--filter=45:rel",
		      "--deny-rest", "--", "x", NULL };

	ok(parse(ARGC(v), v) == 0, "filter options parse (%s)", WHY);
	ok(a.nr_socket_families == 4 && a.socket_family[0] == AF_UNIX &&
	   a.socket_family[1] == AF_INET && a.socket_family[2] == AF_INET6 &&
	   a.socket_family[3] == 42, "families add up, each once, numbers too");
	ok(a.nr_socket_types == 1 && a.socket_type[0] == SOCK_STREAM, "type stream");
	ok(a.deny_open_create && a.deny_rest && !a.print_bpf, "flags");
	ok(a.nr_filter_files == 2 && a.filter_file[0].opcode == IORING_OP_SOCKET &&
	   !strcmp(a.filter_file[0].path, "/tmp/a:b") &&
	   a.filter_file[1].opcode == 45 && !strcmp(a.filter_file[1].path, "rel"),
	   "--filter OP:FILE by name and number, FILE may hold ':'");
	ok(run_has_filters(&a) && !run_has_restrictions(&a),
	   "filters alone are something to restrict");
	ok(build_restrictions(&a, res) == 0 && !a.deny_all,
	   "and register no classic set");
}

static void test_classic_and_filters(void)
{
	char *v[] = { "--allow-op", "nop,socket", "--socket-family", "unix", "x", NULL };
	char *d[] = { "--deny-all", "--deny-open-create", "x", NULL };
	char *p[] = { "--print-bpf", "--deny-open-create", NULL };

	ok(parse(ARGC(v), v) == 0 && run_has_restrictions(&a) && run_has_filters(&a),
	   "classic options and filters combine (%s)", WHY);
	ok(build_restrictions(&a, res) == 2, "the classic set is unchanged");
	ok(parse(ARGC(d), d) == 0, "--deny-all with a filter (%s)", WHY);
	ok(parse(ARGC(p), p) == 0 && a.print_bpf && !a.cmd,
	   "--print-bpf needs no command (%s)", WHY);
}

static int connect_is(const char *spec, int family, const char *addr,
		      unsigned int prefix, unsigned int port)
{
	char *v[] = { "--connect-allow", (char *)spec, "x", NULL };
	uint8_t want[16] = { 0 };
	const struct connect_rule *r = &a.connect[0];

	if (parse(ARGC(v), v) || a.nr_connect_rules != 1)
		return 0;
	inet_pton(family, addr, want);
	return r->family == family && !memcmp(r->addr, want, 16) &&
	       r->prefix == prefix && r->port == port;
}

static void test_connect_allow(void)
{
	char *two[] = { "--connect-allow", "127.0.0.0/8", "--connect-allow=::1",
			"x", NULL };

	ok(connect_is("127.0.0.0/8", AF_INET, "127.0.0.0", 8, 0), "127.0.0.0/8");
	ok(connect_is("127.0.0.1", AF_INET, "127.0.0.1", 32, 0),
	   "127.0.0.1 is /32, any port");
	ok(connect_is("127.0.0.1:80", AF_INET, "127.0.0.1", 32, 80), "127.0.0.1:80");
	ok(connect_is("10.1.0.0/16:65535", AF_INET, "10.1.0.0", 16, 65535),
	   "10.1.0.0/16:65535");
	ok(connect_is("0.0.0.0/0", AF_INET, "0.0.0.0", 0, 0), "0.0.0.0/0");
	ok(connect_is("::1", AF_INET6, "::1", 128, 0), "::1 is /128");
	ok(connect_is("::1/128", AF_INET6, "::1", 128, 0), "::1/128");
	ok(connect_is("::1:80", AF_INET6, "::1:80", 128, 0),
	   "::1:80 is an IPv6 address, not a port");
	ok(connect_is("[::1]:443", AF_INET6, "::1", 128, 443), "[::1]:443");
	ok(connect_is("[2001:db8::/32]:53", AF_INET6, "2001:db8::", 32, 53),
	   "[2001:db8::/32]:53");
	ok(connect_is("[fe80::]/10:22", AF_INET6, "fe80::", 10, 22), "[fe80::]/10:22");
	ok(connect_is("[::]/0", AF_INET6, "::", 0, 0), "[::]/0");
	ok(parse(ARGC(two), two) == 0 && a.nr_connect_rules == 2 &&
	   a.connect[0].family == AF_INET && a.connect[1].family == AF_INET6,
	   "--connect-allow repeats (%s)", WHY);
}

static void test_filter_errors(void)
{
	char *deny_rest[] = { "--deny-rest", "--allow-op", "nop", "x", NULL };
	char *print_nothing[] = { "--print-bpf", "--allow-op", "nop", "x", NULL };
	char *bad_family[] = { "--socket-family", "unix,ipx", "x", NULL };
	char *bad_type[] = { "--socket-type", "16", "x", NULL };
	char *empty_family[] = { "--socket-family", "unix,,inet", "x", NULL };
	char *no_file[] = { "--filter", "socket", "x", NULL };
	char *no_op[] = { "--filter", ":/tmp/f", "x", NULL };
	char *empty_file[] = { "--filter", "socket:", "x", NULL };
	char *bad_op[] = { "--filter", "sockets:/tmp/f", "x", NULL };
	char *big_op[] = { "--filter", "256:/tmp/f", "x", NULL };
	char *missing[] = { "--connect-allow", NULL };
	char *prefix[] = { "--connect-allow", "127.0.0.1/33", "x", NULL };
	char *prefix6[] = { "--connect-allow", "::1/129", "x", NULL };
	char *port0[] = { "--connect-allow", "127.0.0.1:0", "x", NULL };
	char *port_big[] = { "--connect-allow", "[::1]:65536", "x", NULL };
	char *bad_v4[] = { "--connect-allow", "300.0.0.1", "x", NULL };
	char *name[] = { "--connect-allow", "localhost:80", "x", NULL };
	char *open_bracket[] = { "--connect-allow", "[::1:80", "x", NULL };
	char *junk[] = { "--connect-allow", "[::1]x", "x", NULL };
	char *two_prefixes[] = { "--connect-allow", "[::1/64]/64", "x", NULL };
	char *v4_brackets[] = { "--connect-allow", "[127.0.0.1]:80", "x", NULL };
	char *no_cmd[] = { "--deny-open-create", NULL };

	expect_error(deny_rest, ARGC(deny_rest), "--deny-rest applies to filters",
		     "--deny-rest without filters");
	expect_error(print_nothing, ARGC(print_nothing), "no filter to print",
		     "--print-bpf without filters");
	expect_error(bad_family, ARGC(bad_family), "'ipx'", "unknown family named");
	expect_error(bad_type, ARGC(bad_type), "'16'", "type 16 is past SOCK_TYPE_MASK");
	expect_error(empty_family, ARGC(empty_family), "comma-separated",
		     "empty family list item");
	expect_error(no_file, ARGC(no_file), "OP:FILE", "--filter without FILE");
	expect_error(no_op, ARGC(no_op), "OP:FILE", "--filter without OP");
	expect_error(empty_file, ARGC(empty_file), "OP:FILE", "--filter with FILE empty");
	expect_error(bad_op, ARGC(bad_op), "'sockets'", "--filter unknown opcode");
	expect_error(big_op, ARGC(big_op), "'256'", "--filter opcode 256");
	expect_error(missing, ARGC(missing), "needs a value", "--connect-allow alone");
	expect_error(prefix, ARGC(prefix), "0 to 32", "IPv4 prefix 33");
	expect_error(prefix6, ARGC(prefix6), "0 to 128", "IPv6 prefix 129");
	expect_error(port0, ARGC(port0), "1 to 65535", "port 0");
	expect_error(port_big, ARGC(port_big), "1 to 65535", "port 65536");
	expect_error(bad_v4, ARGC(bad_v4), "not an IPv4", "300.0.0.1");
	expect_error(name, ARGC(name), "not an IPv4", "host names are not addresses");
	expect_error(open_bracket, ARGC(open_bracket), "ADDR[/LEN][:PORT]",
		     "unclosed bracket");
	expect_error(junk, ARGC(junk), "ADDR[/LEN][:PORT]", "junk after ]");
	expect_error(two_prefixes, ARGC(two_prefixes), "ADDR[/LEN][:PORT]",
		     "two prefix lengths");
	expect_error(v4_brackets, ARGC(v4_brackets), "not an IPv6",
		     "brackets are for IPv6");
	expect_error(no_cmd, ARGC(no_cmd), "no command", "filters still need a command");
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
	test_filter_options();
	test_classic_and_filters();
	test_connect_allow();
	test_filter_errors();
	return tap_done();
}
