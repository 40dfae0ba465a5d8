// SPDX-License-Identifier: GPL-2.0
/*
 * Host tests of module/btf.c, the gate that refuses a kernel whose io_uring
 * layouts differ from what the module reads: it is built here on its own
 * (tests/host/kshim maps its few kernel calls onto libc) and fed BTF blobs
 * made by the small writer below. Each broken blob must be refused with the
 * one line that says what is wrong; random damage to a good blob must never
 * crash it (this program runs under ASan and UBSan).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "rftest.h"
#include "../../module/btf.h"

/* ---- what the parser logs, and its allocations ---- */

static char logbuf[4096];
static int fail_next_alloc;

void rf_kshim_log(const char *fmt, ...)
{
	size_t len = strlen(logbuf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf + len, sizeof(logbuf) - len, fmt, ap);
	va_end(ap);
}

void *rf_kshim_calloc(size_t n, size_t size)
{
	if (fail_next_alloc) {
		fail_next_alloc = 0;
		return NULL;
	}
	return calloc(n, size);
}

/* ---- a BTF writer ---- */

struct blob {
	uint8_t types[16384];
	uint32_t tlen;
	char strs[4096];
	uint32_t slen;
	uint32_t nr;		/* ids handed out */
};

static void blob_init(struct blob *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;		/* "" at offset 0 */
}

static uint32_t str(struct blob *b, const char *s)
{
	uint32_t off = b->slen;

	if (!s || !*s)
		return 0;
	memcpy(b->strs + off, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off;
}

static void put(struct blob *b, const void *p, size_t len)
{
	memcpy(b->types + b->tlen, p, len);
	b->tlen += len;
}

static uint32_t add_type(struct blob *b, const char *name, uint32_t kind,
			 uint32_t vlen, bool kflag, uint32_t size_or_type)
{
	struct btf_type t = {
		.name_off = str(b, name),
		.info = (kind << 24) | vlen | ((uint32_t)kflag << 31),
		.size = size_or_type,
	};

	put(b, &t, sizeof(t));
	return ++b->nr;
}

static uint32_t add_int(struct blob *b, const char *name, uint32_t size)
{
	uint32_t id = add_type(b, name, BTF_KIND_INT, 0, false, size), enc = size * 8;

	put(b, &enc, sizeof(enc));
	return id;
}

static uint32_t add_ptr(struct blob *b, uint32_t to)
{
	return add_type(b, NULL, BTF_KIND_PTR, 0, false, to);
}

static uint32_t add_typedef(struct blob *b, const char *name, uint32_t to)
{
	return add_type(b, name, BTF_KIND_TYPEDEF, 0, false, to);
}

static uint32_t add_array(struct blob *b, uint32_t elem, uint32_t index, uint32_t n)
{
	uint32_t id = add_type(b, NULL, BTF_KIND_ARRAY, 0, false, 0);
	struct btf_array a = { .type = elem, .index_type = index, .nelems = n };

	put(b, &a, sizeof(a));
	return id;
}

struct mem {
	const char *name;
	uint32_t type;
	uint32_t bit_off;
	uint32_t bitfield;	/* bits, 0 for a plain member */
};

static uint32_t add_composite(struct blob *b, uint32_t kind, const char *name,
			      uint32_t size, const struct mem *m, uint32_t n)
{
	bool kflag = false;
	uint32_t i, id;

	for (i = 0; i < n; i++)
		kflag |= m[i].bitfield != 0;
	id = add_type(b, name, kind, n, kflag, size);
	for (i = 0; i < n; i++) {
		struct btf_member bm = {
			.name_off = str(b, m[i].name),
			.type = m[i].type,
			.offset = kflag ? (m[i].bitfield << 24) | m[i].bit_off
					: m[i].bit_off,
		};

		put(b, &bm, sizeof(bm));
	}
	return id;
}

#define add_struct(b, name, size, ...)					\
	add_composite(b, BTF_KIND_STRUCT, name, size,			\
		      (const struct mem[]){ __VA_ARGS__ },		\
		      sizeof((const struct mem[]){ __VA_ARGS__ }) / sizeof(struct mem))

/* Header, types, strings: a whole blob, in a buffer the caller frees. */
static uint8_t *blob_bytes(const struct blob *b, size_t *size)
{
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION,
		.hdr_len = sizeof(h),
		.type_off = 0, .type_len = b->tlen,
		.str_off = b->tlen, .str_len = b->slen,
	};
	uint8_t *p;

	*size = sizeof(h) + b->tlen + b->slen;
	p = malloc(*size);
	if (!p)
		rf_abort();
	memcpy(p, &h, sizeof(h));
	memcpy(p + sizeof(h), b->types, b->tlen);
	memcpy(p + sizeof(h) + b->tlen, b->strs, b->slen);
	return p;
}

/* ---- the kernel it describes ---- */

/* What the module expects of io_socket (kernel.c's table, in small). */
static const struct rf_member_check socket_members[] = {
	{ "domain", 8, 4 }, { "type", 12, 4 }, { "protocol", 16, 4 },
};
static const struct rf_struct_check socket_check = {
	"io_socket", socket_members, 3, 64, false,
};
static const struct rf_member_check async_members[] = {
	{ "address", 0, 128 },
};
static const struct rf_struct_check async_check = {
	"io_async_connect", async_members, 1, 128, true,
};
/* By field: the module's struct may carry more (arm64's referrer, ksym.c). */
static const struct rf_opdef_name opdef_names[] = {
	{ .table = "io_issue_defs", .type = "io_issue_def" },
	{ .table = "io_op_defs", .type = "io_op_def" },
};

struct kernel_shape {
	uint32_t type_off;		/* io_socket.type, in bytes */
	uint32_t type_size;		/* its size */
	bool no_socket;			/* no struct io_socket at all */
	bool no_protocol;		/* io_socket without protocol */
	bool type_bitfield;
	uint32_t socket_size;
	bool twin_socket;		/* a second io_socket, laid out differently */
	bool nested_protocol;		/* protocol inside an anonymous union */
	bool no_opdef;
	bool typedef_loop;		/* type's type is a typedef cycle */
	bool async_connect;		/* 6.1's struct io_async_connect */
};

static const struct kernel_shape good = {
	.type_off = 12, .type_size = 4, .socket_size = 40,
};

static uint8_t *kernel_blob(const struct kernel_shape *k, size_t *size)
{
	struct blob b;
	uint32_t i32, i64, u16, vp, type_t, ch, arr, idx;

	blob_init(&b);
	i32 = add_int(&b, "int", 4);
	i64 = add_int(&b, "long", 8);
	u16 = add_int(&b, "unsigned short", 2);
	vp = add_ptr(&b, 0);
	type_t = k->type_size == 8 ? i64 : i32;
	if (k->typedef_loop) {
		/* t1 -> t2 -> t1 */
		type_t = add_typedef(&b, "loop_a", b.nr + 2);
		add_typedef(&b, "loop_b", type_t);
	}
	if (!k->no_socket) {
		if (k->nested_protocol) {
			uint32_t u = add_composite(&b, BTF_KIND_UNION, NULL, 4,
				(const struct mem[]){ { "protocol", i32, 0, 0 },
						      { "other", i32, 0, 0 } }, 2);

			add_struct(&b, "io_socket", k->socket_size,
				   { "file", vp, 0, 0 }, { "domain", i32, 64, 0 },
				   { "type", type_t, k->type_off * 8, k->type_bitfield ? 3 : 0 },
				   { NULL, u, 128, 0 });
		} else if (k->no_protocol) {
			add_struct(&b, "io_socket", k->socket_size,
				   { "file", vp, 0, 0 }, { "domain", i32, 64, 0 },
				   { "type", type_t, k->type_off * 8, k->type_bitfield ? 3 : 0 });
		} else {
			add_struct(&b, "io_socket", k->socket_size,
				   { "file", vp, 0, 0 }, { "domain", i32, 64, 0 },
				   { "type", type_t, k->type_off * 8, k->type_bitfield ? 3 : 0 },
				   { "protocol", i32, 128, 0 });
		}
	}
	if (k->twin_socket)
		add_struct(&b, "io_socket", 40, { "domain", i32, 0, 0 },
			   { "type", i32, 32, 0 }, { "protocol", i32, 64, 0 });
	if (k->async_connect) {
		ch = add_int(&b, "char", 1);
		idx = add_int(&b, "__ARRAY_SIZE_TYPE__", 4);
		arr = add_array(&b, ch, idx, 128);
		add_struct(&b, "io_async_connect", 128, { "address", arr, 0, 0 });
	}
	if (!k->no_opdef)
		add_struct(&b, "io_issue_def", 24, { "needs_file", i32, 0, 1 },
			   { "async_size", u16, 32, 0 }, { "issue", vp, 64, 0 },
			   { "prep", vp, 128, 0 });
	return blob_bytes(&b, size);
}

/* Parses @data and runs every check; 0 or the first refusal. */
static int gate(const uint8_t *data, size_t size)
{
	struct rf_opdef_layout od;
	struct rf_btf btf;
	int ret;

	logbuf[0] = '\0';
	ret = rf_btf_parse(&btf, "test.btf", data, size);
	if (!ret)
		ret = rf_btf_check_struct(&btf, &socket_check);
	if (!ret)
		ret = rf_btf_check_struct(&btf, &async_check);
	if (!ret)
		ret = rf_btf_opdef(&btf, opdef_names, 2, &od);
	rf_btf_release(&btf);
	return ret;
}

static int gate_shape(const struct kernel_shape *k)
{
	size_t size;
	uint8_t *data = kernel_blob(k, &size);
	int ret = gate(data, size);

	free(data);
	return ret;
}

static void expect_refused(int ret, const char *line)
{
	EXPECT_TRUE(ret < 0);
	if (!strstr(logbuf, line))
		FAIL("expected \"%s\" in: %s", line, logbuf);
	/* One line, and it says the load is refused. */
	EXPECT_TRUE(strstr(logbuf, "refusing to load\n") != NULL);
	EXPECT_TRUE(strchr(logbuf, '\n') == logbuf + strlen(logbuf) - 1);
}

/* A kernel shaped like the good one but for @change must be refused with @line. */
#define SHAPE_REFUSED(tname, change, line)				\
	TEST(tname)							\
	{								\
		struct kernel_shape k = good;				\
									\
		change;							\
		expect_refused(gate_shape(&k), line);			\
	}

/* ---- tests ---- */

TEST(good_kernel_passes_and_opdef_is_read)
{
	struct rf_opdef_layout od;
	struct rf_btf btf;
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);

	EXPECT_RES(gate(data, size), 0);
	EXPECT_EQ(logbuf[0], '\0');
	ASSERT_RES(rf_btf_parse(&btf, "test.btf", data, size), 0);
	ASSERT_RES(rf_btf_opdef(&btf, opdef_names, 2, &od), 0);
	EXPECT_TRUE(!strcmp(od.table, "io_issue_defs"));
	EXPECT_EQ(od.entry_size, 24);
	EXPECT_EQ(od.async_size_off, 4);
	EXPECT_EQ(od.prep_off, 16);
	EXPECT_TRUE(rf_btf_has_member(&btf, "io_issue_def", "prep"));
	EXPECT_TRUE(!rf_btf_has_member(&btf, "io_issue_def", "prep_async"));
	EXPECT_TRUE(!rf_btf_has_member(&btf, "io_cold_def", "prep"));
	rf_btf_release(&btf);
	free(data);
}

TEST(wrong_magic_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);

	data[0] ^= 0xff;
	expect_refused(gate(data, size), "test.btf is malformed (bad header)");
	free(data);
}

TEST(truncated_file_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);

	expect_refused(gate(data, size - 10), "test.btf is malformed (section outside the file)");
	expect_refused(gate(data, 8), "test.btf is malformed (bad header)");
	free(data);
}

TEST(truncated_type_record_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);
	struct btf_header *h = (void *)data;

	/* Cut the type section inside its last record. */
	h->type_len -= 6;
	expect_refused(gate(data, size), "truncated type");
	free(data);
}

TEST(unterminated_strings_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);

	data[size - 1] = 'x';
	expect_refused(gate(data, size), "unterminated string section");
	free(data);
}

TEST(unknown_kind_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);
	struct btf_type *t = (void *)(data + sizeof(struct btf_header));

	t->info = (31U << 24);
	expect_refused(gate(data, size), "(type 1: unknown kind)");
	free(data);
}

TEST(member_type_out_of_range_refused)
{
	struct blob b;
	size_t size;
	uint8_t *data;

	blob_init(&b);
	add_int(&b, "int", 4);
	add_struct(&b, "io_socket", 40, { "domain", 999, 64, 0 });
	data = blob_bytes(&b, &size);
	expect_refused(gate(data, size), "bad member");
	free(data);
}

SHAPE_REFUSED(member_at_another_offset_refused, k.type_off = 20,
	      "io_socket.type is at byte 20 here, ringfence expects 12");

SHAPE_REFUSED(member_of_wrong_size_refused, k.type_size = 8,
	      "io_socket.type is 8 bytes here, ringfence expects 4");

SHAPE_REFUSED(bitfield_member_refused, k.type_bitfield = true,
	      "io_socket.type is a bitfield");

SHAPE_REFUSED(missing_struct_refused, k.no_socket = true,
	      "struct io_socket is not in this kernel's BTF");

SHAPE_REFUSED(missing_member_refused, k.no_protocol = true,
	      "io_socket.protocol is not in this kernel's struct io_socket");

SHAPE_REFUSED(struct_too_large_refused, k.socket_size = 72,
	      "io_socket is 72 bytes here, ringfence expects at most 64");

SHAPE_REFUSED(type_whose_size_cannot_be_told_refused, k.typedef_loop = true,
	      "io_socket.type has a type whose size ringfence cannot tell");

/* Two structs of one name: there is no telling which io_uring uses. */
SHAPE_REFUSED(differing_twin_struct_refused, k.twin_socket = true,
	      "io_socket.domain is at byte 0 here, ringfence expects 8");

TEST(member_in_anonymous_union_found)
{
	struct kernel_shape k = good;

	k.nested_protocol = true;
	EXPECT_RES(gate_shape(&k), 0);
	EXPECT_EQ(logbuf[0], '\0');
}

TEST(optional_struct_checked_when_present)
{
	struct kernel_shape k = good;

	k.async_connect = true;
	EXPECT_RES(gate_shape(&k), 0);
	EXPECT_EQ(logbuf[0], '\0');
}

SHAPE_REFUSED(no_opcode_table_refused, k.no_opdef = true,
	      "no io_uring opcode table type in this kernel's BTF");

TEST(allocation_failure_refused)
{
	size_t size;
	uint8_t *data = kernel_blob(&good, &size);

	fail_next_alloc = 1;
	expect_refused(gate(data, size), "no memory to index test.btf");
	free(data);
}

/* Random damage: any answer will do, as long as it is an answer. */
TEST(random_damage_never_crashes)
{
	unsigned int i, refused = 0, seed = 12345;
	size_t size;
	uint8_t *good_data = kernel_blob(&good, &size);
	uint8_t *data = malloc(size);

	ASSERT_TRUE(data != NULL);
	for (i = 0; i < 20000; i++) {
		unsigned int j, n = 1 + rand_r(&seed) % 4;
		size_t len = size - (rand_r(&seed) % 8 == 0 ? rand_r(&seed) % size : 0);

		memcpy(data, good_data, size);
		for (j = 0; j < n; j++)
			data[rand_r(&seed) % size] = (uint8_t)rand_r(&seed);
		if (gate(data, len))
			refused++;
	}
	rf_note("%u of 20000 damaged blobs refused", refused);
	EXPECT_TRUE(refused > 0);
	free(data);
	free(good_data);
}

/* This machine's own BTF, when it has one: real data must parse and pass. */
TEST(this_machines_btf_parses)
{
	static uint8_t data[64 << 20];
	struct rf_btf btf;
	size_t size;
	FILE *f = fopen("/sys/kernel/btf/vmlinux", "rb");

	if (!f)
		SKIP("no /sys/kernel/btf/vmlinux here");
	size = fread(data, 1, sizeof(data), f);
	fclose(f);
	logbuf[0] = '\0';
	ASSERT_RES(rf_btf_parse(&btf, "vmlinux", data, size), 0);
	EXPECT_TRUE(btf.nr_types > 1000);
	/* io_socket has kept this layout from 6.1 to 7.3. */
	EXPECT_RES(rf_btf_check_struct(&btf, &socket_check), 0);
	rf_note("%u types; %s", btf.nr_types, logbuf[0] ? logbuf : "no refusal");
	rf_btf_release(&btf);
}
