// SPDX-License-Identifier: GPL-2.0
/*
 * The io_uring objects the module must recognise or read, established once
 * at load; a kernel where any of them cannot be established gets no module.
 *
 * - A ring file is one whose f_op is the kernel's io_uring_fops. Its name,
 *   its owner, its inode can all be imitated or are shared with other
 *   files; the address of the operations table cannot.
 * - The address of a CONNECT is judged in the request's async data, which
 *   a kernel allocates as its opcode table says. Before 6.10 that is a
 *   struct io_async_connect (its layout checked with BTF), from 6.10 a bare
 *   sockaddr_storage, except on 6.10 to 6.12.y kernels that predate the
 *   stable fix "io_uring/net: Avoid msghdr on op_connect/op_bind async
 *   data", where it is a struct io_async_msghdr with the address elsewhere.
 *   BTF cannot tell those apart; the table entry's async_size can.
 *   Before 6.10 the address is copied only when the request goes async
 *   (the opcode tables' prep_async hook, which BTF shows), so a CONNECT is
 *   judged again at issue there.
 */
#include <linux/err.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/moduleparam.h>
#include <linux/socket.h>
#include <linux/stddef.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include "ringfence.h"
#include "btf.h"
#include "layout.h"

/*
 * The kernel's own BTF. Only whoever loads the module can point it elsewhere
 * (tests/late/btf_gate hands it doctored copies to watch the load refused);
 * the parameter is not visible or writable once loaded.
 */
static char *rf_btf_path = "/sys/kernel/btf/vmlinux";
module_param_named(btf, rf_btf_path, charp, 0);
MODULE_PARM_DESC(btf, "BTF file to check the kernel's io_uring layouts against (tests only)");
/* vmlinux BTF is a few MiB; anything near this is not BTF. */
#define RF_BTF_MAX_SIZE		(64 << 20)

/* The per-opcode structures share io_kiocb's command area. */
static_assert(sizeof(struct rf_io_socket) <= sizeof(struct io_cmd_data));
static_assert(sizeof(struct rf_io_open) <= sizeof(struct io_cmd_data));
/* request.c keeps private state in the command area after io_connect. */
static_assert(sizeof(struct rf_io_connect) < sizeof(struct io_cmd_data));
/* The filters report how's flags, mode and resolve: the first open_how. */
static_assert(sizeof_field(struct rf_io_open, how) == OPEN_HOW_SIZE_VER0);

#define RF_MEMBER(s, m)	{ #m, offsetof(struct s, m), sizeof_field(struct s, m) }

/* Only the members the module reads: the rest may change freely. */
static const struct rf_member_check rf_io_socket_members[] = {
	RF_MEMBER(rf_io_socket, domain),
	RF_MEMBER(rf_io_socket, type),
	RF_MEMBER(rf_io_socket, protocol),
};

static const struct rf_member_check rf_io_connect_members[] = {
	RF_MEMBER(rf_io_connect, addr),
	RF_MEMBER(rf_io_connect, addr_len),
};

static const struct rf_member_check rf_io_open_members[] = {
	RF_MEMBER(rf_io_open, how),
};

static const struct rf_member_check rf_io_async_connect_members[] = {
	RF_MEMBER(rf_io_async_connect, address),
};

static_assert(ARRAY_SIZE(rf_io_socket_members) <= RF_BTF_MAX_MEMBERS);
static_assert(ARRAY_SIZE(rf_io_connect_members) <= RF_BTF_MAX_MEMBERS);
static_assert(ARRAY_SIZE(rf_io_open_members) <= RF_BTF_MAX_MEMBERS);
static_assert(ARRAY_SIZE(rf_io_async_connect_members) <= RF_BTF_MAX_MEMBERS);

static const struct rf_struct_check rf_struct_checks[] = {
	{ "io_socket", rf_io_socket_members, ARRAY_SIZE(rf_io_socket_members),
	  sizeof(struct io_cmd_data) },
	/* A larger io_connect would overlap request.c's state after it. */
	{ "io_connect", rf_io_connect_members, ARRAY_SIZE(rf_io_connect_members),
	  sizeof(struct rf_io_connect) },
	{ "io_open", rf_io_open_members, ARRAY_SIZE(rf_io_open_members),
	  sizeof(struct io_cmd_data) },
	/*
	 * A CONNECT's async data, where the kernel copies the address: this
	 * struct before 6.10, a bare sockaddr_storage after; which one a
	 * kernel allocates is checked against its opcode table (below).
	 */
	{ "io_async_connect", rf_io_async_connect_members,
	  ARRAY_SIZE(rf_io_async_connect_members),
	  sizeof(struct rf_io_async_connect), true },
};

static const struct rf_opdef_name rf_opdef_names[] = { RF_OPDEF_CANDIDATES };
static const char *const rf_prep_async_types[] = { RF_PREP_ASYNC_TYPES };

static ssize_t rf_btf_read_all(struct file *file, void **buf)
{
	loff_t size = i_size_read(file_inode(file)), pos = 0;
	ssize_t n = 0;
	void *data;

	if (size <= 0)
		return -ENODATA;
	if (size > RF_BTF_MAX_SIZE)
		return -EFBIG;
	data = vmalloc(size);
	if (!data)
		return -ENOMEM;
	/* sysfs hands a binary attribute out a page per read. */
	while (pos < size) {
		n = kernel_read(file, (char *)data + pos, size - pos, &pos);
		if (n <= 0)
			break;
	}
	if (pos != size) {
		vfree(data);
		return n < 0 ? n : -EIO;
	}
	*buf = data;
	return size;
}

/*
 * A plain read, as any root process does, rather than kernel_read_file():
 * its hooks take every read for a firmware, module or policy load. IPE
 * (6.12) WARNs on READING_UNKNOWN, and READING_POLICY makes IMA or SELinux
 * judge the file as a security policy, which sysfs cannot satisfy.
 */
static ssize_t rf_btf_read(void **buf)
{
	struct file *file;
	ssize_t ret;

	file = filp_open(rf_btf_path, O_RDONLY, 0);
	if (IS_ERR(file))
		return PTR_ERR(file);
	ret = rf_btf_read_all(file, buf);
	filp_close(file, NULL);
	return ret;
}

static const struct file_operations *rf_io_uring_fops __read_mostly;
static bool rf_connect_at_issue __read_mostly;

bool rf_is_ring_file(const struct file *file)
{
	return file->f_op == rf_io_uring_fops;
}

bool rf_kernel_connect_copied_at_issue(void)
{
	return rf_connect_at_issue;
}

/* @addr holds io_uring's file_operations: only it points to both. */
static bool rf_is_io_uring_fops(unsigned long addr, const void *unused)
{
	const struct file_operations *fops = (const void *)addr;
	unsigned long release, mmap;

	return !get_kernel_nofault(release, (const unsigned long *)&fops->release) &&
	       !get_kernel_nofault(mmap, (const unsigned long *)&fops->mmap) &&
	       rf_ksym_names(release, RF_FOPS_RELEASE) &&
	       rf_ksym_names(mmap, RF_FOPS_MMAP);
}

static const struct {
	const char *table;
	const char *referrer;
} rf_opdef_referrers[] = { RF_OPDEF_REFERRERS };

/* A function that refers to opcode table @table, or NULL. */
static const char *rf_opdef_referrer(const char *table)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rf_opdef_referrers); i++)
		if (!strcmp(rf_opdef_referrers[i].table, table))
			return rf_opdef_referrers[i].referrer;
	return NULL;
}

/* @addr is the opcode table @od describes: its CONNECT entry is CONNECT's. */
static bool rf_is_opcode_table(unsigned long addr, const void *arg)
{
	const struct rf_opdef_layout *od = arg;
	const char *entry = (const char *)addr + IORING_OP_CONNECT * od->entry_size;
	unsigned long prep;

	return !get_kernel_nofault(prep, (const unsigned long *)(entry + od->prep_off)) &&
	       rf_ksym_names(prep, "io_connect_prep");
}

static int rf_check_connect_async_data(const struct rf_opdef_layout *od)
{
	const char *entry;
	unsigned long table;
	u16 async_size;

	table = rf_ksym_data_via(od->table, rf_opdef_referrer(od->table),
				 rf_is_opcode_table, od);
	if (!table) {
		pr_err("cannot find io_uring's opcode table %s; refusing to load\n",
		       od->table);
		return -ENOEXEC;
	}
	/* Proves the entry is CONNECT's, and that BTF's layout is the table's. */
	if (!rf_is_opcode_table(table, od)) {
		pr_err("%s[IORING_OP_CONNECT] is not CONNECT's entry as BTF describes it; refusing to load\n",
		       od->table);
		return -ENOEXEC;
	}
	entry = (const char *)table + IORING_OP_CONNECT * od->entry_size;
	async_size = *(const u16 *)(entry + od->async_size_off);
	if (async_size != sizeof(struct sockaddr_storage)) {
		pr_err("a CONNECT's async data is %u bytes here, not a sockaddr_storage (a 6.10-6.12.y kernel without \"io_uring/net: Avoid msghdr on op_connect/op_bind async data\"?); refusing to load\n",
		       async_size);
		return -ENOEXEC;
	}
	return 0;
}

/* Every layout the module reads, and where the opcode table keeps its part. */
/* Kept from the start of the load to its end, for the parts that read more. */
static struct rf_btf rf_btf;
static void *rf_btf_data;

static int rf_check_layouts(struct rf_btf *btf, struct rf_opdef_layout *od)
{
	unsigned int i;
	ssize_t size;
	int ret;

	size = rf_btf_read(&rf_btf_data);
	if (size < 0) {
		pr_err("cannot read %s (error %zd): without the kernel's BTF ringfence cannot check the io_uring layouts it reads; refusing to load\n",
		       rf_btf_path, size);
		return size;
	}
	ret = rf_btf_parse(btf, rf_btf_path, rf_btf_data, size);
	for (i = 0; !ret && i < ARRAY_SIZE(rf_struct_checks); i++)
		ret = rf_btf_check_struct(btf, &rf_struct_checks[i]);
	if (!ret)
		ret = rf_btf_opdef(btf, rf_opdef_names, ARRAY_SIZE(rf_opdef_names), od);
	for (i = 0; !ret && i < ARRAY_SIZE(rf_prep_async_types); i++)
		if (rf_btf_has_member(btf, rf_prep_async_types[i], "prep_async"))
			rf_connect_at_issue = true;
	return ret;
}

const struct rf_btf *rf_kernel_btf(void)
{
	return &rf_btf;
}

void rf_kernel_release_btf(void)
{
	rf_btf_release(&rf_btf);
	vfree(rf_btf_data);
	rf_btf_data = NULL;
}

int rf_kernel_init(void)
{
	struct rf_opdef_layout od;
	int ret;

	/* Its one line says what differs; nothing more is worth saying. */
	ret = rf_check_layouts(&rf_btf, &od);
	if (!ret) {
		rf_io_uring_fops = (const void *)rf_ksym_data_via(RF_FOPS_SYMBOL, RF_FOPS_REFERRER,
								  rf_is_io_uring_fops, NULL);
		if (!rf_io_uring_fops) {
			pr_err("cannot find io_uring_fops, so cannot tell a ring from other files; refusing to load\n");
			ret = -ENOEXEC;
		}
	}
	if (!ret)
		ret = rf_check_connect_async_data(&od);
	if (ret)
		rf_kernel_release_btf();
	return ret;
}
