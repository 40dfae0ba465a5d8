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
#include <linux/fs.h>
#include <linux/io_uring.h>
#include <linux/socket.h>

#include "ringfence.h"
#include "layout.h"

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

static int rf_check_connect_async_data(const struct rf_opdef_layout *od)
{
	const char *entry;
	unsigned long table, prep;
	u16 async_size;

	table = rf_ksym_data(od->table);
	if (!table) {
		pr_err("cannot find io_uring's opcode table %s; refusing to load\n",
		       od->table);
		return -ENOEXEC;
	}
	entry = (const char *)table + IORING_OP_CONNECT * od->entry_size;
	prep = *(const unsigned long *)(entry + od->prep_off);
	/* Proves the entry is CONNECT's, and that BTF's layout is the table's. */
	if (!rf_ksym_names(prep, "io_connect_prep")) {
		pr_err("%s[IORING_OP_CONNECT] is not CONNECT's entry as BTF describes it; refusing to load\n",
		       od->table);
		return -ENOEXEC;
	}
	async_size = *(const u16 *)(entry + od->async_size_off);
	if (async_size != sizeof(struct sockaddr_storage)) {
		pr_err("a CONNECT's async data is %u bytes here, not a sockaddr_storage (a 6.10-6.12.y kernel without \"io_uring/net: Avoid msghdr on op_connect/op_bind async data\"?); refusing to load\n",
		       async_size);
		return -ENOEXEC;
	}
	return 0;
}

int rf_kernel_init(void)
{
	struct rf_opdef_layout od;
	int ret;

	/* Its one line says what differs; nothing more is worth saying. */
	ret = rf_btf_check_layouts(&od);
	if (ret)
		return ret;
	rf_io_uring_fops = (const void *)rf_ksym_data("io_uring_fops");
	if (!rf_io_uring_fops) {
		pr_err("cannot find io_uring_fops, so cannot tell a ring from other files; refusing to load\n");
		return -ENOEXEC;
	}
	rf_connect_at_issue = od.prep_async;
	return rf_check_connect_async_data(&od);
}
