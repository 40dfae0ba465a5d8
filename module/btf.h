/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A parser for the kernel's raw BTF, trusting nothing in it, and the few
 * questions the module asks of it (btf.c). It depends on nothing of the
 * running kernel, so tests/host builds it too and feeds it crafted blobs.
 */
#ifndef _RINGFENCE_BTF_H
#define _RINGFENCE_BTF_H

#include <linux/types.h>

struct btf_type;

struct rf_btf {
	const char *what;	/* the file's name, for messages */
	const char *strs;	/* NUL-terminated at strs[strs_len - 1] */
	u32 strs_len;
	const struct btf_type **types;	/* by id; [0] is void */
	u32 nr_types;		/* ids below this are valid */
};

/* A member the module reads, where it expects it. */
struct rf_member_check {
	const char *name;
	size_t offset;
	size_t size;
};

/* A struct the module reads: each member must be where it expects. */
struct rf_struct_check {
	const char *name;
	const struct rf_member_check *members;
	unsigned int nr_members;
	size_t max_size;	/* largest kernel struct the module can live with */
	bool optional;		/* some kernels do not have it at all */
};

#define RF_BTF_MAX_MEMBERS	3

/* A candidate name of io_uring's opcode table and its entry type. */
struct rf_opdef_name {
	const char *table;
	const char *type;
};

/*
 * Where a kernel's opcode table keeps what the module reads of it
 * (io_uring/opdef.h: struct io_issue_def, 6.1's struct io_op_def), read
 * from BTF because its layout differs between kernels.
 */
struct rf_opdef_layout {
	const char *table;	/* the table's symbol */
	size_t entry_size;
	size_t async_size_off;	/* unsigned short async_size */
	size_t prep_off;	/* int (*prep)(...) */
};

/*
 * Each of these says why it fails in one line ("... refusing to load")
 * and returns a negative errno.
 */
int rf_btf_parse(struct rf_btf *btf, const char *what, const void *data,
		 size_t size);
void rf_btf_release(struct rf_btf *btf);
int rf_btf_check_struct(const struct rf_btf *btf,
			const struct rf_struct_check *sc);
int rf_btf_opdef(const struct rf_btf *btf, const struct rf_opdef_name *names,
		 unsigned int nr, struct rf_opdef_layout *od);

/* A member the module reads, as this kernel lays it out. */
struct rf_btf_field {
	size_t offset;
	size_t size;
	bool is_signed;
};

/*
 * Where member path @path ("kiocb.ki_pos") of struct @sname is. -ENOENT if
 * no such struct has it; -ENOEXEC if two structs of that name disagree.
 * Silent: the caller decides what a missing field means.
 */
int rf_btf_field(const struct rf_btf *btf, const char *sname, const char *path,
		 struct rf_btf_field *field);

/* Whether some struct named @sname has a member @mname. */
bool rf_btf_has_member(const struct rf_btf *btf, const char *sname,
		       const char *mname);

#endif /* _RINGFENCE_BTF_H */
