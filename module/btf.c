// SPDX-License-Identifier: GPL-2.0
/*
 * The module reads io_uring's private per-opcode structures through the
 * copies in layout.h, because those structures are in no shipped header. A
 * kernel whose layout differs would not fail: the filters would silently
 * judge the wrong value (a socket's type as its domain, padding as an
 * address length). So kernel.c refuses the load unless the running kernel's
 * own description of its types, its BTF, agrees on every member read.
 *
 * The kernel's BTF lookups are not exported to modules; the raw BTF is
 * parsed here instead, trusting nothing in it: every offset, length, id and
 * chain is bounded before it is followed. Nothing here knows the running
 * kernel, so tests/host/btf_gate builds this file on its own and feeds it
 * crafted blobs.
 */
#include <linux/errno.h>
#include <linux/overflow.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <uapi/linux/btf.h>

#include "btf.h"

/* Longer modifier/array chains than real types have mean a loop. */
#define RF_BTF_MAX_CHAIN	32
/* Anonymous struct/union members searched this deep for a member. */
#define RF_BTF_MAX_NESTING	4

/* Where a member sits in the kernel's struct. */
struct rf_member_loc {
	u32 bit_offset;
	u32 bitfield_size;
	u32 type;
};

static int rf_btf_malformed(const struct rf_btf *btf, const char *why)
{
	pr_err("%s is malformed (%s); refusing to load\n", btf->what, why);
	return -ENOEXEC;
}

static int rf_btf_bad_type(const struct rf_btf *btf, const char *why, u32 id)
{
	pr_err("%s is malformed (type %u: %s); refusing to load\n",
	       btf->what, id, why);
	return -ENOEXEC;
}

/* Does @len bytes at @off fit in @avail? */
static bool rf_btf_section_ok(size_t avail, u32 off, u32 len)
{
	return off <= avail && len <= avail - off;
}

static int rf_btf_parse_header(struct rf_btf *btf, const u8 *data,
			       size_t size, const u8 **types, u32 *types_len)
{
	const struct btf_header *hdr = (const void *)data;
	size_t avail;

	if (size < sizeof(*hdr) || hdr->magic != BTF_MAGIC ||
	    hdr->version != BTF_VERSION || hdr->hdr_len < sizeof(*hdr) ||
	    hdr->hdr_len > size)
		return rf_btf_malformed(btf, "bad header");
	avail = size - hdr->hdr_len;
	if (!rf_btf_section_ok(avail, hdr->type_off, hdr->type_len) ||
	    !rf_btf_section_ok(avail, hdr->str_off, hdr->str_len))
		return rf_btf_malformed(btf, "section outside the file");
	/* Every type record is a multiple of 4 bytes: keep them aligned. */
	if ((hdr->hdr_len + hdr->type_off) % 4)
		return rf_btf_malformed(btf, "misaligned type section");
	btf->strs = (const char *)data + hdr->hdr_len + hdr->str_off;
	btf->strs_len = hdr->str_len;
	/* Then every in-range name offset starts a terminated string. */
	if (!btf->strs_len || btf->strs[btf->strs_len - 1])
		return rf_btf_malformed(btf, "unterminated string section");
	*types = data + hdr->hdr_len + hdr->type_off;
	*types_len = hdr->type_len;
	return 0;
}

/* Bytes that follow @t's struct btf_type, or -1 for a kind not known here. */
static long rf_btf_extra(const struct btf_type *t)
{
	u32 vlen = BTF_INFO_VLEN(t->info);

	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_INT:
		return sizeof(u32);
	case BTF_KIND_PTR:
	case BTF_KIND_FWD:
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_FUNC:
	case BTF_KIND_FLOAT:
	case BTF_KIND_TYPE_TAG:
		return 0;
	case BTF_KIND_ARRAY:
		return sizeof(struct btf_array);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		return vlen * sizeof(struct btf_member);
	case BTF_KIND_ENUM:
		return vlen * sizeof(struct btf_enum);
	case BTF_KIND_FUNC_PROTO:
		return vlen * sizeof(struct btf_param);
	case BTF_KIND_VAR:
		return sizeof(struct btf_var);
	case BTF_KIND_DATASEC:
		return vlen * sizeof(struct btf_var_secinfo);
	case BTF_KIND_DECL_TAG:
		return sizeof(struct btf_decl_tag);
	case BTF_KIND_ENUM64:
		return vlen * sizeof(struct btf_enum64);
	default:
		return -1;
	}
}

static bool rf_btf_is_composite(const struct btf_type *t)
{
	u32 kind = BTF_INFO_KIND(t->info);

	return kind == BTF_KIND_STRUCT || kind == BTF_KIND_UNION;
}

static const struct btf_member *rf_btf_members(const struct btf_type *t)
{
	return (const struct btf_member *)(t + 1);
}

/* The members are all that is read of a struct beyond its header. */
static bool rf_btf_members_ok(const struct rf_btf *btf,
			      const struct btf_type *t)
{
	const struct btf_member *m = rf_btf_members(t);
	u32 i;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++)
		if (m[i].name_off >= btf->strs_len ||
		    !m[i].type || m[i].type >= btf->nr_types)
			return false;
	return true;
}

/*
 * Walks the type section, checking each record fits. With btf->types set
 * (the second pass, btf->nr_types known) it also indexes them.
 */
static int rf_btf_walk(struct rf_btf *btf, const u8 *types, u32 len)
{
	u32 pos = 0, id = 1;

	while (pos < len) {
		const struct btf_type *t = (const void *)(types + pos);
		long extra;

		if (id > BTF_MAX_TYPE)
			return rf_btf_bad_type(btf, "too many types", id);
		if (len - pos < sizeof(*t))
			return rf_btf_bad_type(btf, "truncated type", id);
		extra = rf_btf_extra(t);
		if (extra < 0)
			return rf_btf_bad_type(btf, "unknown kind", id);
		if (len - pos - sizeof(*t) < (size_t)extra)
			return rf_btf_bad_type(btf, "truncated type", id);
		if (t->name_off >= btf->strs_len)
			return rf_btf_bad_type(btf, "name outside the strings", id);
		if (btf->types) {
			if (rf_btf_is_composite(t) && !rf_btf_members_ok(btf, t))
				return rf_btf_bad_type(btf, "bad member", id);
			btf->types[id] = t;
		}
		pos += sizeof(*t) + extra;
		id++;
	}
	btf->nr_types = id;
	return 0;
}

int rf_btf_parse(struct rf_btf *btf, const char *what, const void *data,
		 size_t size)
{
	const u8 *types;
	u32 types_len;
	int ret;

	memset(btf, 0, sizeof(*btf));
	btf->what = what;
	ret = rf_btf_parse_header(btf, data, size, &types, &types_len);
	if (ret)
		return ret;
	ret = rf_btf_walk(btf, types, types_len);
	if (ret)
		return ret;
	btf->types = kvcalloc(btf->nr_types, sizeof(*btf->types), GFP_KERNEL);
	if (!btf->types) {
		pr_err("no memory to index %s; refusing to load\n", btf->what);
		return -ENOMEM;
	}
	return rf_btf_walk(btf, types, types_len);
}

/* Type @id, or NULL for void or an id outside the file. */
static const struct btf_type *rf_btf_type(const struct rf_btf *btf, u32 id)
{
	return id < btf->nr_types ? btf->types[id] : NULL;
}

static bool rf_btf_is_modifier(const struct btf_type *t)
{
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_TYPEDEF:
	case BTF_KIND_VOLATILE:
	case BTF_KIND_CONST:
	case BTF_KIND_RESTRICT:
	case BTF_KIND_TYPE_TAG:
		return true;
	default:
		return false;
	}
}

/* Type @id with typedefs and qualifiers stripped, or NULL. */
static const struct btf_type *rf_btf_strip(const struct rf_btf *btf, u32 id)
{
	const struct btf_type *t = rf_btf_type(btf, id);
	int i;

	for (i = 0; t && rf_btf_is_modifier(t); i++) {
		if (i == RF_BTF_MAX_CHAIN)
			return NULL;
		t = rf_btf_type(btf, t->type);
	}
	return t;
}

/* An INT that is not a bitfield in disguise: all its bytes are its value. */
static bool rf_btf_int_whole(const struct btf_type *t)
{
	u32 enc = *(const u32 *)(t + 1);

	return !BTF_INT_OFFSET(enc) && BTF_INT_BITS(enc) == t->size * 8;
}

/* Bytes a value of type @id occupies; false if it has no plain size. */
static bool rf_btf_sizeof(const struct rf_btf *btf, u32 id, size_t *size)
{
	const struct btf_type *t;
	const struct btf_array *arr;
	size_t nelems = 1;
	int i;

	for (i = 0; i < RF_BTF_MAX_CHAIN; i++) {
		t = rf_btf_strip(btf, id);
		if (!t)
			return false;
		switch (BTF_INFO_KIND(t->info)) {
		case BTF_KIND_PTR:
			*size = nelems * sizeof(void *);
			return true;
		case BTF_KIND_INT:
			if (!rf_btf_int_whole(t))
				return false;
			fallthrough;
		case BTF_KIND_ENUM:
		case BTF_KIND_ENUM64:
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION:
			return !check_mul_overflow(nelems, (size_t)t->size, size);
		case BTF_KIND_ARRAY:
			arr = (const void *)(t + 1);
			if (check_mul_overflow(nelems, (size_t)arr->nelems, &nelems))
				return false;
			id = arr->type;
			break;
		default:
			return false;
		}
	}
	return false;
}

static bool rf_btf_name_is(const struct rf_btf *btf, u32 name_off,
			   const char *name)
{
	return !strcmp(btf->strs + name_off, name);
}

/*
 * Finds member @name of composite @t, also inside anonymous structs and
 * unions, where a kernel may move a member without renaming it.
 */
static bool rf_btf_find_member(const struct rf_btf *btf,
			       const struct btf_type *t, const char *name,
			       u32 base, int depth, struct rf_member_loc *loc)
{
	const struct btf_member *m = rf_btf_members(t);
	bool kflag = BTF_INFO_KFLAG(t->info);
	const struct btf_type *inner;
	u32 i, off;

	for (i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		off = base + (kflag ? BTF_MEMBER_BIT_OFFSET(m[i].offset) :
				      m[i].offset);
		if (m[i].name_off) {
			if (!rf_btf_name_is(btf, m[i].name_off, name))
				continue;
			loc->bit_offset = off;
			loc->bitfield_size = kflag ?
				BTF_MEMBER_BITFIELD_SIZE(m[i].offset) : 0;
			loc->type = m[i].type;
			return true;
		}
		inner = rf_btf_strip(btf, m[i].type);
		if (depth < RF_BTF_MAX_NESTING && inner &&
		    rf_btf_is_composite(inner) &&
		    rf_btf_find_member(btf, inner, name, off, depth + 1, loc))
			return true;
	}
	return false;
}

/* Locates every member @sc needs; false if @t lacks one. */
static bool rf_btf_locate(const struct rf_btf *btf, const struct btf_type *t,
			  const struct rf_struct_check *sc,
			  struct rf_member_loc *locs, const char **missing)
{
	unsigned int i;

	for (i = 0; i < sc->nr_members; i++) {
		if (!rf_btf_find_member(btf, t, sc->members[i].name, 0, 0,
					&locs[i])) {
			*missing = sc->members[i].name;
			return false;
		}
	}
	return true;
}

static int rf_check_member(const struct rf_btf *btf,
			   const struct rf_struct_check *sc,
			   const struct rf_member_check *mc,
			   const struct rf_member_loc *loc)
{
	size_t size;

	if (loc->bitfield_size || loc->bit_offset % 8) {
		pr_err("%s.%s is a bitfield at bit %u here, ringfence expects byte %zu; refusing to load\n",
		       sc->name, mc->name, loc->bit_offset, mc->offset);
		return -ENOEXEC;
	}
	if (loc->bit_offset / 8 != mc->offset) {
		pr_err("%s.%s is at byte %u here, ringfence expects %zu; refusing to load\n",
		       sc->name, mc->name, loc->bit_offset / 8, mc->offset);
		return -ENOEXEC;
	}
	if (!rf_btf_sizeof(btf, loc->type, &size)) {
		pr_err("%s.%s has a type whose size ringfence cannot tell here; refusing to load\n",
		       sc->name, mc->name);
		return -ENOEXEC;
	}
	if (size != mc->size) {
		pr_err("%s.%s is %zu bytes here, ringfence expects %zu; refusing to load\n",
		       sc->name, mc->name, size, mc->size);
		return -ENOEXEC;
	}
	return 0;
}

static int rf_check_struct(const struct rf_btf *btf, const struct btf_type *t,
			   const struct rf_struct_check *sc,
			   const struct rf_member_loc *locs)
{
	unsigned int i;
	int ret;

	if (t->size > sc->max_size) {
		pr_err("%s is %u bytes here, ringfence expects at most %zu; refusing to load\n",
		       sc->name, t->size, sc->max_size);
		return -ENOEXEC;
	}
	for (i = 0; i < sc->nr_members; i++) {
		ret = rf_check_member(btf, sc, &sc->members[i], &locs[i]);
		if (ret)
			return ret;
	}
	return 0;
}

/*
 * A name can be reused by an unrelated struct elsewhere in the kernel; those
 * lacking the members are not the one io_uring uses. Every one that has
 * them must match, since there is no telling which io_uring was built with.
 */
int rf_btf_check_struct(const struct rf_btf *btf,
			const struct rf_struct_check *sc)
{
	struct rf_member_loc locs[RF_BTF_MAX_MEMBERS];
	const char *missing = NULL;
	const struct btf_type *t;
	bool checked = false;
	u32 id;
	int ret;

	for (id = 1; id < btf->nr_types; id++) {
		t = btf->types[id];
		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
		    !rf_btf_name_is(btf, t->name_off, sc->name) ||
		    !rf_btf_locate(btf, t, sc, locs, &missing))
			continue;
		ret = rf_check_struct(btf, t, sc, locs);
		if (ret)
			return ret;
		checked = true;
	}
	if (checked || (sc->optional && !missing))
		return 0;
	if (missing)
		pr_err("%s.%s is not in this kernel's struct %s; refusing to load\n",
		       sc->name, missing, sc->name);
	else
		pr_err("struct %s is not in this kernel's BTF; refusing to load\n",
		       sc->name);
	return -ENOEXEC;
}

/* The byte offset of plain member @name of @t, if it has one of @size bytes. */
static bool rf_btf_plain_member(const struct rf_btf *btf,
				const struct btf_type *t, const char *name,
				size_t size, size_t *off)
{
	struct rf_member_loc loc;
	size_t got;

	if (!rf_btf_find_member(btf, t, name, 0, 0, &loc) ||
	    loc.bitfield_size || loc.bit_offset % 8 ||
	    !rf_btf_sizeof(btf, loc.type, &got) || got != size)
		return false;
	*off = loc.bit_offset / 8;
	return true;
}

/*
 * Where this kernel's opcode table keeps async_size and prep. The first
 * candidate type the BTF has decides; if it has it twice, both must agree.
 */
int rf_btf_opdef(const struct rf_btf *btf, const struct rf_opdef_name *names,
		 unsigned int nr, struct rf_opdef_layout *od)
{
	struct rf_opdef_layout found;
	const struct btf_type *t;
	unsigned int i;
	bool seen;
	u32 id;

	for (i = 0; i < nr; i++) {
		seen = false;
		for (id = 1; id < btf->nr_types; id++) {
			t = btf->types[id];
			if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
			    !rf_btf_name_is(btf, t->name_off, names[i].type))
				continue;
			found.table = names[i].table;
			found.entry_size = t->size;
			if (!rf_btf_plain_member(btf, t, "async_size",
						 sizeof(u16), &found.async_size_off) ||
			    !rf_btf_plain_member(btf, t, "prep", sizeof(void *),
						 &found.prep_off) ||
			    found.async_size_off + sizeof(u16) > t->size ||
			    found.prep_off + sizeof(void *) > t->size ||
			    (seen && memcmp(&found, od, sizeof(found)))) {
				pr_err("struct %s is not laid out as ringfence can read it; refusing to load\n",
				       names[i].type);
				return -ENOEXEC;
			}
			*od = found;
			seen = true;
		}
		if (seen)
			return 0;
	}
	pr_err("no io_uring opcode table type in this kernel's BTF; refusing to load\n");
	return -ENOEXEC;
}

void rf_btf_release(struct rf_btf *btf)
{
	kvfree(btf->types);
	btf->types = NULL;
}

bool rf_btf_has_member(const struct rf_btf *btf, const char *sname,
		       const char *mname)
{
	struct rf_member_loc loc;
	const struct btf_type *t;
	u32 id;

	for (id = 1; id < btf->nr_types; id++) {
		t = btf->types[id];
		if (BTF_INFO_KIND(t->info) == BTF_KIND_STRUCT &&
		    rf_btf_name_is(btf, t->name_off, sname) &&
		    rf_btf_find_member(btf, t, mname, 0, 0, &loc))
			return true;
	}
	return false;
}

/* Names longer than this in a member path are not io_uring's. */
#define RF_BTF_MAX_NAME		64

/*
 * Resolves member path @path ("kiocb.ki_pos") within @t: every step a plain,
 * byte-aligned member, the last one of a plain size (an integer, enum,
 * pointer, struct or array; only the first two can be signed).
 */
static bool rf_btf_resolve_path(const struct rf_btf *btf, const struct btf_type *t,
				const char *path, struct rf_btf_field *field)
{
	char name[RF_BTF_MAX_NAME];
	struct rf_member_loc loc;
	const struct btf_type *last;
	size_t off = 0, len;
	const char *dot;

	for (;;) {
		dot = strchr(path, '.');
		len = dot ? (size_t)(dot - path) : strlen(path);
		if (!len || len >= sizeof(name))
			return false;
		memcpy(name, path, len);
		name[len] = '\0';
		if (!rf_btf_find_member(btf, t, name, 0, 0, &loc) ||
		    loc.bitfield_size || loc.bit_offset % 8)
			return false;
		off += loc.bit_offset / 8;
		t = rf_btf_strip(btf, loc.type);
		if (!t)
			return false;
		if (!dot)
			break;
		if (!rf_btf_is_composite(t))
			return false;
		path = dot + 1;
	}
	last = t;
	switch (BTF_INFO_KIND(last->info)) {
	case BTF_KIND_INT:
		if (!rf_btf_int_whole(last))
			return false;
		field->is_signed = BTF_INT_ENCODING(*(const u32 *)(last + 1)) & BTF_INT_SIGNED;
		break;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		field->is_signed = BTF_INFO_KFLAG(last->info);
		break;
	default:
		field->is_signed = false;
		break;
	}
	field->offset = off;
	return rf_btf_sizeof(btf, loc.type, &field->size);
}

int rf_btf_field(const struct rf_btf *btf, const char *sname, const char *path,
		 struct rf_btf_field *field)
{
	struct rf_btf_field found;
	const struct btf_type *t;
	bool seen = false;
	u32 id;

	for (id = 1; id < btf->nr_types; id++) {
		t = btf->types[id];
		if (BTF_INFO_KIND(t->info) != BTF_KIND_STRUCT ||
		    !rf_btf_name_is(btf, t->name_off, sname))
			continue;
		if (!rf_btf_resolve_path(btf, t, path, &found))
			continue;
		/* Two structs of one name must agree: io_uring's is one of them. */
		if (seen && (found.offset != field->offset ||
			     found.size != field->size ||
			     found.is_signed != field->is_signed))
			return -ENOEXEC;
		*field = found;
		seen = true;
	}
	return seen ? 0 : -ENOENT;
}
