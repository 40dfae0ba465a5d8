// SPDX-License-Identifier: GPL-2.0
/*
 * The load gate on the real kernel (module runs only; late in the run
 * order, since it unloads the module): loaded with btf=FILE, the module
 * checks the io_uring layouts against FILE instead of the kernel's BTF.
 * Given a copy of the kernel's own BTF it loads; given one where
 * io_socket.type has moved, a truncated one, or none at all, it refuses,
 * with one line in the kernel log saying why, and leaves nothing attached.
 * The module is loaded normally again at the end, whatever happened.
 * (tests/host/btf_gate covers the parser on crafted blobs.)
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/btf.h>

#include "module.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

#define BTF_PATH "/sys/kernel/btf/vmlinux"

static uint8_t *btf;
static size_t btf_size;

static void setup(void)
{
	size_t cap = 64 << 20;
	FILE *f;

	if (!rf_expect_module())
		SKIP("no ringfence module in this run");
	btf = malloc(cap);
	ASSERT_TRUE(btf != NULL);
	f = fopen(BTF_PATH, "rb");
	ASSERT_TRUE(f != NULL);
	btf_size = fread(btf, 1, cap, f);
	fclose(f);
	ASSERT_TRUE(btf_size > sizeof(struct btf_header));
	ASSERT_RES(rf_module_unload_retry(), 0);
}

/* Loads the module normally again: later programs may need it. */
static void teardown(void)
{
	if (!rf_module_loaded())
		EXPECT_RES(rf_module_load(""), 0);
	EXPECT_TRUE(rf_module_loaded());
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY | O_CLOEXEC, 0600);

	ASSERT_OK(fd);
	ASSERT_EQ(write(fd, data, len), (long)len);
	close(fd);
}

/* A load with btf=@path must fail with -ENOEXEC-like @err, logging @line. */
static void expect_refused(const char *path, int err, const char *line)
{
	char params[160];
	int before = rf_klog_count(line);

	snprintf(params, sizeof(params), "btf=%s", path);
	EXPECT_RES(rf_module_load(params), -err);
	EXPECT_TRUE(!rf_module_loaded());
	EXPECT_EQ(rf_klog_count(line), before + 1);
	/* Nothing left attached: the stock kernel answers fd -1 itself. */
	EXPECT_RES(rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS, NULL, 1),
		   -EBADF);
}

static uint32_t type_extra(const struct btf_type *t)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT: return 4;
	case BTF_KIND_ARRAY: return sizeof(struct btf_array);
	case BTF_KIND_STRUCT: case BTF_KIND_UNION: return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM: return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO: return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR: return sizeof(struct btf_var);
	case BTF_KIND_DATASEC: return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG: return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64: return vlen * sizeof(struct btf_enum64);
	default: return 0;
	}
}

/* The btf_member of @sname.@mname in @data, or NULL. */
static struct btf_member *find_member(uint8_t *data, const char *sname,
				      const char *mname)
{
	struct btf_header *h = (void *)data;
	uint8_t *types = data + h->hdr_len + h->type_off;
	const char *strs = (const char *)data + h->hdr_len + h->str_off;
	uint32_t pos = 0, i;

	while (pos < h->type_len) {
		struct btf_type *t = (void *)(types + pos);
		struct btf_member *m = (void *)(t + 1);

		if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT &&
		    !strcmp(strs + t->name_off, sname))
			for (i = 0; i < BTF_INFO_VLEN(t->info); i++)
				if (!strcmp(strs + m[i].name_off, mname))
					return &m[i];
		pos += sizeof(*t) + type_extra(t);
	}
	return NULL;
}

TEST_TIMEOUT(kernels_own_btf_from_a_file_loads, 60)
{
	setup();
	write_file("/tmp/same.btf", btf, btf_size);
	EXPECT_RES(rf_module_load("btf=/tmp/same.btf"), 0);
	EXPECT_TRUE(rf_module_loaded());
	teardown();
}

TEST_TIMEOUT(moved_member_refused, 60)
{
	struct btf_member *m;

	setup();
	m = find_member(btf, "io_socket", "type");
	ASSERT_TRUE(m != NULL);
	/* 32 bits further on, plain or bitfield-encoded alike. */
	m->offset += 32;
	write_file("/tmp/moved.btf", btf, btf_size);
	expect_refused("/tmp/moved.btf", ENOEXEC,
		       "io_socket.type is at byte 16 here, ringfence expects 12; refusing to load");
	teardown();
}

TEST_TIMEOUT(truncated_btf_refused, 60)
{
	setup();
	write_file("/tmp/short.btf", btf, btf_size / 2);
	expect_refused("/tmp/short.btf", ENOEXEC,
		       "/tmp/short.btf is malformed (section outside the file); refusing to load");
	teardown();
}

TEST_TIMEOUT(missing_btf_refused, 60)
{
	setup();
	expect_refused("/tmp/no-such.btf", ENOENT,
		       "cannot read /tmp/no-such.btf (error -2): without the kernel's BTF ringfence cannot check the io_uring layouts it reads; refusing to load");
	teardown();
}
