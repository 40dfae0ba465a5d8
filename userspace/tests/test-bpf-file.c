// SPDX-License-Identifier: LGPL-2.1-or-later
/* --filter files (binary and text), the kernel-like checker, --print-bpf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/io_uring.h>

#include "bpf.h"
#include "tap.h"

#define INSN(code, jt, jf, k) ((struct sock_filter){ (code), (jt), (jf), (k) })

static struct sock_filter out[BPF_MAXINSNS];
static char err[256];

/* An allow-all-but-AF_INET SOCKET filter, as the tests below write it. */
static const struct sock_filter not_inet[] = {
	INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 16),
	INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 2),
	INSN(BPF_RET | BPF_K, 0, 0, 0),
	INSN(BPF_RET | BPF_K, 0, 0, 1),
};

static int parse(const char *text)
{
	err[0] = '\0';
	return bpf_parse(text, strlen(text), out, BPF_MAXINSNS, err, sizeof(err));
}

static int same(const struct sock_filter *a, const struct sock_filter *b,
		unsigned int n)
{
	return !memcmp(a, b, n * sizeof(*a));
}

static void test_text(void)
{
	int n;

	n = parse("# not AF_INET\n"
		  "0x20 0 0 16\t# ld [16]\n"
		  "\n"
		  "21 0 1 2\n"
		  "  6 0 0 0\n"
		  "0x06 0x0 0x0 0x00000001");
	ok(n == 4 && same(out, not_inet, 4),
	   "text: hex and decimal, comments, blank lines, no final newline (%d %s)",
	   n, err);
	n = parse("4\n32 0 0 16\n21 0 1 2\n6 0 0 0\n6 0 0 1\n");
	ok(n == 4 && same(out, not_inet, 4), "tcpdump -ddd form, count first (%d %s)",
	   n, err);
	n = parse("{ 0x20, 0, 0, 0x00000010 },\n{ 0x15, 0, 1, 0x00000002 },\n"
		  "{ 0x06, 0, 0, 0x00000000 },\n{ 0x06, 0, 0, 0x00000001 },\n");
	ok(n == 4 && same(out, not_inet, 4), "tcpdump -dd form, C braces (%d %s)",
	   n, err);
	n = parse("0x20 0 0 0xffffffff\r\n6 255 255 4294967295\r\n");
	ok(n == 2 && out[0].k == 0xffffffffu && out[1].jt == 255 &&
	   out[1].k == 0xffffffffu, "CRLF lines and the largest values (%d %s)",
	   n, err);

	ok(parse("5\n32 0 0 16\n6 0 0 1\n") == -1 && strstr(err, "count"),
	   "a wrong count is an error: %s", err);
	ok(parse("32 0 0 16\n6 0 1\n") == -1 && strstr(err, "line 2"),
	   "three numbers name the line: %s", err);
	ok(parse("32 0 0 16 7\n") == -1 && strstr(err, "line 1"),
	   "five numbers are an error: %s", err);
	ok(parse("32 0 256 16\n") == -1 && strstr(err, "jf"),
	   "jf above 255 names the field: %s", err);
	ok(parse("0x10000 0 0 0\n") == -1 && strstr(err, "code"),
	   "code above 0xffff is an error: %s", err);
	ok(parse("32 0 0 4294967296\n") == -1 && strstr(err, "k"),
	   "k above 32 bits is an error: %s", err);
	ok(parse("32 0 0 -1\n") == -1, "negative numbers are an error: %s", err);
	ok(parse("ld [16]\n") == -1, "assembler text is not the format: %s", err);
	ok(parse("010 0 0 1\n") == 1 && out[0].code == 10,
	   "a leading 0 is still decimal, not octal");
	ok(parse("# nothing\n\n") == -1 && strstr(err, "no instructions"),
	   "no instructions is an error: %s", err);
	ok(parse("") == -1, "an empty file is an error");
}

static void test_binary(void)
{
	struct sock_filter big[2] = { not_inet[0], not_inet[3] };
	int n;

	err[0] = '\0';
	n = bpf_parse((const char *)not_inet, sizeof(not_inet), out,
		      BPF_MAXINSNS, err, sizeof(err));
	ok(n == 4 && same(out, not_inet, 4), "binary: read as is (%d %s)", n, err);
	n = bpf_parse((const char *)not_inet, sizeof(not_inet) - 3, out,
		      BPF_MAXINSNS, err, sizeof(err));
	ok(n == -1 && strstr(err, "8-byte"), "binary: a partial instruction: %s", err);
	n = bpf_parse((const char *)big, sizeof(big), out, 1, err, sizeof(err));
	ok(n == -1, "binary: more than cap instructions: %s", err);
}

static void test_file(void)
{
	char path[] = "/tmp/ringfence-test-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fd < 0 ? NULL : fdopen(fd, "w");
	int n;

	if (!f) {
		ok(0, "cannot create a temporary file");
		return;
	}
	fwrite(not_inet, sizeof(not_inet), 1, f);
	fclose(f);
	err[0] = '\0';
	n = bpf_read_file(path, out, BPF_MAXINSNS, err, sizeof(err));
	ok(n == 4 && same(out, not_inet, 4), "a binary file (%d %s)", n, err);
	unlink(path);
	n = bpf_read_file(path, out, BPF_MAXINSNS, err, sizeof(err));
	ok(n == -1 && strstr(err, path) && strstr(err, "No such file"),
	   "a missing file names itself: %s", err);
}

/* Each: a program, what the checker must say ("" for nothing). */
static void expect_check(const struct sock_filter *p, unsigned int n,
			 const char *word, const char *why)
{
	int ret;

	err[0] = '\0';
	ret = bpf_check(p, n, err, sizeof(err));
	if (!*word)
		ok(ret == 0, "checker accepts %s (%s)", why, err);
	else
		ok(ret == -1 && strstr(err, word), "checker refuses %s: %s", why, err);
}

static void test_check(void)
{
	const struct sock_filter every_kind[] = {
		INSN(BPF_LD | BPF_W | BPF_LEN, 0, 0, 0),
		INSN(BPF_LDX | BPF_W | BPF_LEN, 0, 0, 0),
		INSN(BPF_ST, 0, 0, 15),
		INSN(BPF_LDX | BPF_MEM, 0, 0, 15),
		INSN(BPF_MISC | BPF_TXA, 0, 0, 0),
		INSN(BPF_ALU | BPF_NEG, 0, 0, 0),
		INSN(BPF_ALU | BPF_DIV | BPF_X, 0, 0, 0),
		INSN(BPF_JMP | BPF_JGE | BPF_X, 0, 1, 0),
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 36),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter ldb[] = {
		INSN(BPF_LD | BPF_B | BPF_ABS, 0, 0, 8), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter ldh[] = {
		INSN(BPF_LD | BPF_H | BPF_ABS, 0, 0, 8), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter ind[] = {
		INSN(BPF_LD | BPF_W | BPF_IND, 0, 0, 8), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter unaligned[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 10), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter beyond[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 40), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter mod[] = {
		INSN(BPF_ALU | BPF_MOD | BPF_K, 0, 0, 3), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter div0[] = {
		INSN(BPF_ALU | BPF_DIV | BPF_K, 0, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter shift32[] = {
		INSN(BPF_ALU | BPF_LSH | BPF_K, 0, 0, 32), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter far_jump[] = {
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 1, 0, 0), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter far_ja[] = {
		INSN(BPF_JMP | BPF_JA, 0, 0, 1), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter no_ret[] = {
		INSN(BPF_RET | BPF_A, 0, 0, 0), INSN(BPF_LD | BPF_IMM, 0, 0, 0),
	};
	const struct sock_filter mem_unset[] = {
		INSN(BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0),
		INSN(BPF_ST, 0, 0, 3),
		INSN(BPF_LD | BPF_MEM, 0, 0, 3),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter mem_16[] = {
		INSN(BPF_ST, 0, 0, 16), INSN(BPF_RET | BPF_A, 0, 0, 0),
	};
	const struct sock_filter ancillary[] = {
		INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, (uint32_t)SKF_AD_OFF),
		INSN(BPF_RET | BPF_A, 0, 0, 0),
	};

	expect_check(not_inet, 4, "", "a plain filter");
	expect_check(every_kind, 10, "", "LEN, M[], TXA, NEG, DIV X, JGE X, [36]");
	expect_check(ldb, 2, "instruction 0 (ldb [8])", "byte loads");
	expect_check(ldh, 2, "not allowed", "half-word loads");
	expect_check(ind, 2, "not allowed", "indirect loads");
	expect_check(unaligned, 2, "aligned", "a load at 10");
	expect_check(beyond, 2, "below offset 40", "a load at 40");
	expect_check(ancillary, 2, "below offset 40", "ancillary loads");
	expect_check(mod, 2, "MOD", "MOD");
	expect_check(div0, 2, "division by zero", "division by a zero K");
	expect_check(shift32, 2, "shift", "a shift by 32");
	expect_check(far_jump, 2, "past the last", "a jump past the end");
	expect_check(far_ja, 2, "past the last", "a ja past the end");
	expect_check(no_ret, 2, "must be a ret", "a program not ending in ret");
	expect_check(mem_unset, 4, "M[3]", "M[3] read where one path did not store it");
	expect_check(mem_16, 2, "memory words", "M[16]");
	expect_check(not_inet, 0, "1 to 4096", "an empty program");

	ok(bpf_payload_needed(not_inet, 4) == 4, "[16] needs 4 payload bytes");
	ok(bpf_payload_needed(every_kind, 10) == 24, "[36] needs 24");
	ok(bpf_payload_needed(mod, 2) == 0, "no context load needs none");
}

static void test_print(void)
{
	struct sock_filter prog[6];
	char *text = NULL, line[64];
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);
	int n;

	memcpy(prog, not_inet, sizeof(not_inet));
	prog[4] = INSN(BPF_LD | BPF_W | BPF_ABS, 0, 0, 8);
	prog[5] = INSN(BPF_RET | BPF_K, 0, 0, 1);
	bpf_print(f, IORING_OP_SOCKET, prog, 6);
	fclose(f);
	printf("# %.*s", (int)strcspn(text, "\n") + 1, text);
	ok(strstr(text, "ld [16]") && strstr(text, "socket.family"),
	   "loads are disassembled with the field they read");
	ok(strstr(text, "jeq #0x2 jt 2 jf 3"), "jump targets are absolute");
	ok(strstr(text, "ret #1") && strstr(text, "opcode"), "ret, header word");
	n = parse(text);
	ok(n == 6 && same(out, prog, 6), "the printed text reads back the same (%d %s)",
	   n, err);
	free(text);

	bpf_disasm(&INSN(BPF_ALU | BPF_AND | BPF_K, 0, 0, 0xf), 0, line, sizeof(line));
	ok(!strcmp(line, "and #0xf"), "and #0xf (%s)", line);
	bpf_disasm(&INSN(BPF_JMP | BPF_JA, 0, 0, 3), 5, line, sizeof(line));
	ok(!strcmp(line, "ja 9"), "ja 9 (%s)", line);
	bpf_disasm(&INSN(BPF_LDX | BPF_MEM, 0, 0, 2), 0, line, sizeof(line));
	ok(!strcmp(line, "ldx M[2]"), "ldx M[2] (%s)", line);
	ok(!strcmp(bpf_ctx_field(IORING_OP_CONNECT, 24),
		   "connect.v4_addr, or connect.v6_addr[0..3]") &&
	   strstr(bpf_ctx_field(IORING_OP_OPENAT2, 16), "open.flags") &&
	   strstr(bpf_ctx_field(IORING_OP_NOP, 16), "none") &&
	   !bpf_ctx_field(IORING_OP_NOP, 18), "context field names");
}

int main(void)
{
	test_text();
	test_binary();
	test_file();
	test_check();
	test_print();
	return tap_done();
}
