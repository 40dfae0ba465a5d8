// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The preset filters `ringfence run` compiles, run by tests/bpf-interp.c on
 * contexts filled as Linux 7.2's io_uring_populate_bpf_ctx() and the
 * opcodes' populate functions fill them, laid out by the uapi struct.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/io_uring.h>

#include "bpf.h"
#include "bpf-interp.h"
#include "presets.h"
#include "ringfence.h"
#include "tap.h"

#define ALLOW 1
#define DENY 0
#define RUN_RULES 128

static struct sock_filter prog[BPF_MAXINSNS];
static int prog_len;

/* ---- contexts ---- */

static struct io_uring_bpf_ctx header(unsigned int opcode)
{
	struct io_uring_bpf_ctx c;

	memset(&c, 0, sizeof(c));
	c.user_data = 0x1122334455667788ULL;
	c.opcode = (uint8_t)opcode;
	c.pdu_size = (uint8_t)ringfence_filter_pdu_size(opcode);
	return c;
}

static struct io_uring_bpf_ctx sock_ctx(uint32_t family, uint32_t type)
{
	struct io_uring_bpf_ctx c = header(IORING_OP_SOCKET);

	c.socket.family = family;
	c.socket.type = type;
	c.socket.protocol = 0;
	return c;
}

static struct io_uring_bpf_ctx open_ctx(unsigned int opcode, uint64_t flags)
{
	struct io_uring_bpf_ctx c = header(opcode);

	c.open.flags = flags;
	c.open.mode = 0644;
	c.open.resolve = 0;
	return c;
}

/*
 * io_connect_bpf_populate(): family once addr_len covers sa_family_t,
 * port and address once it covers sockaddr_in / SIN6_LEN_RFC2133 (24).
 */
static struct io_uring_bpf_ctx connect_ctx(int family, const char *ip,
					   uint16_t port, int addr_len)
{
	struct io_uring_bpf_ctx c = header(IORING_OP_CONNECT);
	uint8_t addr[16] = { 0 };

	if (ip && inet_pton(family, ip, addr) != 1)
		printf("# bad test address %s\n", ip);
	if (addr_len < (int)sizeof(sa_family_t))
		return c;
	c.connect.family = (uint32_t)family;
	if (family == AF_INET && addr_len >= (int)sizeof(struct sockaddr_in)) {
		c.connect.port = htons(port);
		memcpy(&c.connect.v4_addr, addr, 4);
	} else if (family == AF_INET6 && addr_len >= 24) {
		c.connect.port = htons(port);
		memcpy(c.connect.v6_addr, addr, 16);
	}
	return c;
}

static struct io_uring_bpf_ctx v4(const char *ip, uint16_t port)
{
	return connect_ctx(AF_INET, ip, port, sizeof(struct sockaddr_in));
}

static struct io_uring_bpf_ctx v6(const char *ip, uint16_t port)
{
	return connect_ctx(AF_INET6, ip, port, sizeof(struct sockaddr_in6));
}

/* ---- running ---- */

static int64_t run(struct io_uring_bpf_ctx c)
{
	return bpf_interp(prog, (unsigned int)prog_len, &c, sizeof(c));
}

#define verdict(c, want, ...) \
	do { \
		int64_t got_ = run(c); \
		ok(want == ALLOW ? got_ > 0 : got_ == 0, __VA_ARGS__); \
		if (want == ALLOW ? got_ <= 0 : got_ != 0) \
			printf("#   program returned %lld\n", (long long)got_); \
	} while (0)

/* Every compiled program must pass the kernel's checks too. */
static void compiled(const char *what, int len)
{
	char err[256] = "";

	prog_len = len;
	ok(len > 0 && bpf_check(prog, (unsigned int)len, err, sizeof(err)) == 0,
	   "%s compiles to %d instructions the kernel accepts%s%s", what, len,
	   *err ? ": " : "", err);
}

/* ---- the interpreter itself, on hand-written programs ---- */

#define INSN(code, jt, jf, k) ((struct sock_filter){ (code), (jt), (jf), (k) })

static void test_interp(void)
{
	struct io_uring_bpf_ctx c = sock_ctx(AF_INET, SOCK_STREAM);
	const struct sock_filter len_and_alu[] = {
		INSN(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),	/* A = 40 */
		INSN(BPF_ALU | BPF_MUL | BPF_K, 0, 0, 3),	/* 120 */
		INSN(BPF_ST, 0, 0, 5),
		INSN(BPF_LDX | BPF_IMM, 0, 0, 7),
		INSN(BPF_ALU | BPF_SUB | BPF_X, 0, 0, 0),	/* 113 */
		INSN(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 4),	/* 1808 */
		INSN(BPF_ALU | BPF_RSH | BPF_K, 0, 0, 2),	/* 452 */
		INSN(BPF_LDX | BPF_MEM, 0, 0, 5),		/* X = 120 */
		INSN(BPF_ALU | BPF_ADD | BPF_X, 0, 0, 0),	/* 572 */
		INSN(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 10),	/* 57 */
		INSN(BPF_ALU | BPF_XOR | BPF_K, 0, 0, 0xff),	/* 198 */
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter jumps[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 8),	/* opcode word */
		INSN(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xff),
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, IORING_OP_SOCKET),
		INSN(BPF_RET | BPF_K, 0, 0, 1),
		INSN(BPF_JMP | BPF_JGT | BPF_K, 0, 1, 44),
		INSN(BPF_JMP | BPF_JA, 0, 0, 1),
		INSN(BPF_RET | BPF_K, 0, 0, 2),
		INSN(BPF_JMP | BPF_JSET | BPF_K, 1, 0, 0x100),
		INSN(BPF_RET | BPF_K, 0, 0, 3),
		INSN(BPF_RET | BPF_K, 0, 0, 4),
	};
	const struct sock_filter div_by_x[] = {
		INSN(BPF_LD | BPF_IMM, 0, 0, 9),
		INSN(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),
		INSN(BPF_RET | BPF_K, 0, 0, 5),
	};
	const struct sock_filter byte_load[] = {
		INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 8),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter misaligned[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 18),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter past_end[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 40),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter no_ret[] = {
		INSN(BPF_LD | BPF_IMM, 0, 0, 1),
	};
	uint32_t family_word;
	int64_t r;

	r = bpf_interp(len_and_alu, 12, &c, sizeof(c));
	ok(r == 198, "interpreter: LEN is 40, ALU, M[], X (got %lld)", (long long)r);
	r = bpf_interp(jumps, 10, &c, sizeof(c));
	ok(r == 3, "interpreter: jeq, jgt, ja, jset (opcode 45, got %lld)",
	   (long long)r);
	r = bpf_interp(div_by_x, 3, &c, sizeof(c));
	ok(r == 0, "interpreter: division by a zero X returns 0 (got %lld)",
	   (long long)r);
	ok(bpf_interp(byte_load, 2, &c, sizeof(c)) == -1,
	   "interpreter: byte loads are outside the subset");
	ok(bpf_interp(misaligned, 2, &c, sizeof(c)) == -1,
	   "interpreter: misaligned loads fail");
	ok(bpf_interp(past_end, 2, &c, sizeof(c)) == -1,
	   "interpreter: loads past the context fail");
	ok(bpf_interp(no_ret, 1, &c, sizeof(c)) == -1,
	   "interpreter: running off the end fails");
	memcpy(&family_word, (const char *)&c + 16, 4);
	ok(offsetof(struct io_uring_bpf_ctx, socket.family) == 16 &&
	   offsetof(struct io_uring_bpf_ctx, connect.port) == 20 &&
	   offsetof(struct io_uring_bpf_ctx, connect.v4_addr) == 24 &&
	   sizeof(struct io_uring_bpf_ctx) == CTX_SIZE && family_word == AF_INET,
	   "the uapi layout is the one the compiler assumes");
}

/* ---- SOCKET ---- */

static void test_socket_family(void)
{
	const uint32_t unix_only[] = { AF_UNIX };

	compiled("--socket-family unix",
		 compile_socket(unix_only, 1, NULL, 0, prog, BPF_MAXINSNS));
	verdict(sock_ctx(AF_UNIX, SOCK_STREAM), ALLOW, "unix: AF_UNIX stream allowed");
	verdict(sock_ctx(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC), ALLOW,
		"unix: AF_UNIX dgram|cloexec allowed");
	verdict(sock_ctx(AF_INET, SOCK_STREAM), DENY, "unix: AF_INET denied");
	verdict(sock_ctx(AF_INET6, SOCK_STREAM), DENY, "unix: AF_INET6 denied");
	verdict(sock_ctx(AF_NETLINK, SOCK_RAW), DENY, "unix: AF_NETLINK denied");
	ok(bpf_payload_needed(prog, (unsigned int)prog_len) <= 12,
	   "reads no more than SOCKET's 12 payload bytes");
}

static void test_socket_family_and_type(void)
{
	const uint32_t fam[] = { AF_UNIX, AF_INET, AF_INET6 };
	const uint32_t stream[] = { SOCK_STREAM };
	const uint32_t dgram[] = { SOCK_DGRAM };

	compiled("--socket-family unix,inet,inet6 --socket-type stream",
		 compile_socket(fam, 3, stream, 1, prog, BPF_MAXINSNS));
	verdict(sock_ctx(AF_INET, SOCK_STREAM), ALLOW, "inet stream allowed");
	verdict(sock_ctx(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC),
		ALLOW, "inet6 stream|nonblock|cloexec allowed");
	verdict(sock_ctx(AF_UNIX, SOCK_STREAM), ALLOW, "unix stream allowed");
	verdict(sock_ctx(AF_INET, SOCK_DGRAM), DENY, "inet dgram denied");
	verdict(sock_ctx(AF_INET, SOCK_RAW), DENY, "inet raw denied");
	verdict(sock_ctx(AF_PACKET, SOCK_STREAM), DENY, "packet stream denied");

	compiled("--socket-type dgram",
		 compile_socket(NULL, 0, dgram, 1, prog, BPF_MAXINSNS));
	verdict(sock_ctx(AF_INET6, SOCK_DGRAM), ALLOW,
		"type only: any family's dgram allowed");
	verdict(sock_ctx(AF_INET, SOCK_STREAM), DENY, "type only: stream denied");
}

/* ---- OPENAT, OPENAT2 ---- */

static void test_open_create(void)
{
	unsigned int ops[] = { IORING_OP_OPENAT, IORING_OP_OPENAT2 };
	unsigned int i;

	compiled("--deny-open-create", compile_deny_open_create(prog, BPF_MAXINSNS));
	for (i = 0; i < 2; i++) {
		const char *name = ringfence_op_name(ops[i]);

		verdict(open_ctx(ops[i], O_RDONLY), ALLOW, "%s O_RDONLY allowed", name);
		verdict(open_ctx(ops[i], O_WRONLY | O_TRUNC | O_APPEND), ALLOW,
			"%s O_WRONLY|O_TRUNC|O_APPEND allowed", name);
		verdict(open_ctx(ops[i], O_RDONLY | O_DIRECTORY), ALLOW,
			"%s O_DIRECTORY allowed", name);
		verdict(open_ctx(ops[i], O_WRONLY | O_CREAT), DENY,
			"%s O_CREAT denied", name);
		verdict(open_ctx(ops[i], O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC),
			DENY, "%s O_CREAT|O_EXCL|O_CLOEXEC denied", name);
		verdict(open_ctx(ops[i], O_RDWR | O_TMPFILE), DENY,
			"%s O_TMPFILE denied", name);
		verdict(open_ctx(ops[i], (1ULL << 40) | O_RDONLY), DENY,
			"%s flags past 32 bits denied", name);
	}
}

/* ---- CONNECT ---- */

static struct connect_rule rule(int family, const char *ip, unsigned int prefix,
				uint16_t port)
{
	struct connect_rule r;

	memset(&r, 0, sizeof(r));
	r.family = family;
	inet_pton(family, ip, r.addr);
	r.prefix = prefix;
	r.port = port;
	return r;
}

static void test_connect_loopback(void)
{
	const struct connect_rule rules[] = {
		rule(AF_INET, "127.0.0.0", 8, 0),
		rule(AF_INET6, "::1", 128, 0),
	};

	compiled("--connect-allow 127.0.0.0/8 --connect-allow ::1/128",
		 compile_connect(rules, 2, prog, BPF_MAXINSNS));
	ok(bpf_payload_needed(prog, (unsigned int)prog_len) == 24,
	   "reads CONNECT's 24 payload bytes");
	verdict(v4("127.0.0.1", 80), ALLOW, "127.0.0.1:80 allowed");
	verdict(v4("127.255.255.254", 65535), ALLOW, "127.255.255.254:65535 allowed");
	verdict(v4("10.0.0.1", 80), DENY, "10.0.0.1:80 denied");
	verdict(v4("128.0.0.1", 80), DENY, "128.0.0.1 denied");
	verdict(v4("1.0.0.127", 80), DENY, "1.0.0.127 denied (byte order)");
	verdict(v4("0.0.0.0", 80), DENY, "0.0.0.0 denied");
	verdict(v6("::1", 443), ALLOW, "[::1]:443 allowed");
	verdict(v6("::2", 443), DENY, "::2 denied");
	verdict(v6("100::", 443), DENY, "100:: denied (byte order)");
	verdict(v6("::ffff:127.0.0.1", 80), ALLOW,
		"::ffff:127.0.0.1 (IPv4-mapped) allowed like 127.0.0.1");
	verdict(v6("::ffff:10.0.0.1", 80), DENY, "::ffff:10.0.0.1 denied");
	verdict(connect_ctx(AF_UNIX, NULL, 0, 20), DENY, "AF_UNIX denied");
	verdict(connect_ctx(AF_UNSPEC, NULL, 0, 16), DENY, "AF_UNSPEC denied");
	verdict(connect_ctx(AF_INET, "127.0.0.1", 80, 0), DENY,
		"addr_len 0 denied");
	verdict(connect_ctx(AF_INET, "127.0.0.1", 80, 4), DENY,
		"AF_INET with addr_len 4 (family only) denied");
	verdict(connect_ctx(AF_INET, "127.0.0.1", 80, 15), DENY,
		"AF_INET with addr_len 15 denied");
	verdict(connect_ctx(AF_INET6, "::1", 80, 23), DENY,
		"AF_INET6 with addr_len 23 denied");
	verdict(connect_ctx(AF_INET6, "::1", 80, 24), ALLOW,
		"AF_INET6 with addr_len 24 (SIN6_LEN_RFC2133) allowed");
}

static void test_connect_ports(void)
{
	const struct connect_rule rules[] = {
		rule(AF_INET, "127.0.0.0", 8, 80),
		rule(AF_INET6, "::1", 128, 8080),
	};

	compiled("--connect-allow 127.0.0.0/8:80 --connect-allow [::1]:8080",
		 compile_connect(rules, 2, prog, BPF_MAXINSNS));
	verdict(v4("127.0.0.1", 80), ALLOW, "127.0.0.1:80 allowed");
	verdict(v4("127.0.0.1", 81), DENY, "127.0.0.1:81 denied");
	verdict(v4("127.0.0.1", 0x5000), DENY,
		"127.0.0.1:20480 (80 byte-swapped) denied");
	verdict(v4("10.0.0.1", 80), DENY, "10.0.0.1:80 denied");
	verdict(v6("::1", 8080), ALLOW, "[::1]:8080 allowed");
	verdict(v6("::1", 80), DENY, "[::1]:80 denied");
	verdict(v6("::ffff:127.0.0.1", 80), ALLOW, "[::ffff:127.0.0.1]:80 allowed");
	verdict(v6("::ffff:127.0.0.1", 8080), DENY,
		"[::ffff:127.0.0.1]:8080 denied");
}

static void test_connect_prefixes(void)
{
	const struct connect_rule any4[] = { rule(AF_INET, "0.0.0.0", 0, 0) };
	const struct connect_rule any6[] = { rule(AF_INET6, "::", 0, 0) };
	const struct connect_rule odd[] = {
		rule(AF_INET, "172.16.0.0", 12, 0),
		rule(AF_INET6, "2001:db8::", 33, 0),
		rule(AF_INET6, "::ffff:192.168.0.0", 112, 0),
	};

	compiled("0.0.0.0/0", compile_connect(any4, 1, prog, BPF_MAXINSNS));
	verdict(v4("203.0.113.7", 1), ALLOW, "0.0.0.0/0: any IPv4 allowed");
	verdict(v6("::ffff:203.0.113.7", 1), ALLOW,
		"0.0.0.0/0: any IPv4-mapped allowed");
	verdict(connect_ctx(AF_INET, "203.0.113.7", 1, 8), DENY,
		"0.0.0.0/0: a short address still denied");
	verdict(v6("2001:db8::1", 1), DENY, "0.0.0.0/0: IPv6 denied");

	compiled("::/0", compile_connect(any6, 1, prog, BPF_MAXINSNS));
	verdict(v6("2001:db8::1", 443), ALLOW, "::/0: any IPv6 allowed");
	verdict(v6("::ffff:10.0.0.1", 443), DENY,
		"::/0: IPv4-mapped denied (it would be any IPv4)");
	verdict(v6("::1", 443), ALLOW, "::/0: ::1 allowed");
	verdict(v4("10.0.0.1", 443), DENY, "::/0: IPv4 denied");
	verdict(connect_ctx(AF_INET6, "2001:db8::1", 1, 20), DENY,
		"::/0: a short address denied");

	compiled("172.16.0.0/12, 2001:db8::/33, ::ffff:192.168.0.0/112",
		 compile_connect(odd, 3, prog, BPF_MAXINSNS));
	verdict(v4("172.16.0.1", 1), ALLOW, "172.16.0.1 in /12");
	verdict(v4("172.31.255.255", 1), ALLOW, "172.31.255.255 in /12");
	verdict(v4("172.32.0.0", 1), DENY, "172.32.0.0 not in /12");
	verdict(v4("172.15.255.255", 1), DENY, "172.15.255.255 not in /12");
	verdict(v6("2001:db8:7fff:ffff::1", 1), ALLOW, "2001:db8:7fff:ffff::1 in /33");
	verdict(v6("2001:db8:8000::", 1), DENY, "2001:db8:8000:: not in /33");
	verdict(v6("2001:db9::", 1), DENY, "2001:db9:: not in /33");
	verdict(v6("::ffff:192.168.3.4", 1), ALLOW,
		"an IPv4-mapped range allows its own addresses");
	verdict(v6("::ffff:192.169.0.1", 1), DENY, "but no others");
	verdict(v4("192.168.3.4", 1), DENY, "and not the plain IPv4 form");
}

static void test_connect_many(void)
{
	static struct connect_rule rules[RUN_RULES];
	unsigned int i;
	char ip[32];

	for (i = 0; i < RUN_RULES; i++) {
		snprintf(ip, sizeof(ip), "10.%u.0.0", i);
		rules[i] = rule(AF_INET, ip, 16, (uint16_t)(1000 + i));
	}
	compiled("128 rules", compile_connect(rules, RUN_RULES, prog, BPF_MAXINSNS));
	verdict(v4("10.0.1.1", 1000), ALLOW, "the first rule matches");
	verdict(v4("10.127.1.1", 1127), ALLOW, "the last rule matches");
	verdict(v4("10.127.1.1", 1126), DENY, "the last range with another port");
	verdict(v4("10.128.1.1", 1128), DENY, "past the last rule");
	ok(compile_connect(rules, RUN_RULES, prog, 100) == -E2BIG,
	   "too small a buffer: -E2BIG");
}

int main(void)
{
	test_interp();
	test_socket_family();
	test_socket_family_and_type();
	test_open_create();
	test_connect_loopback();
	test_connect_ports();
	test_connect_prefixes();
	test_connect_many();
	return tap_done();
}
