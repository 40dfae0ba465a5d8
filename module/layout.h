/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Private io_uring per-opcode structures the filter context is read from.
 * They are not in any shipped header; these copies match Linux 6.1 through
 * 7.2 (io_uring/net.c, io_uring/openclose.c), and the module refuses to load
 * if the running kernel's BTF says otherwise (btf.c).
 */
#ifndef _RINGFENCE_LAYOUT_H
#define _RINGFENCE_LAYOUT_H

#include <linux/fs.h>
#include <linux/openat2.h>
#include <linux/socket.h>

struct rf_io_socket {			/* io_uring/net.c: struct io_socket */
	struct file *file;
	int domain;
	int type;
	int protocol;
	int flags;
	u32 file_slot;
	unsigned long nofile;
};

struct rf_io_connect {			/* io_uring/net.c: struct io_connect */
	struct file *file;
	struct sockaddr __user *addr;
	int addr_len;
	bool in_progress;
	bool seen_econnaborted;
};

/* io_uring/net.h before 6.10; later kernels use a bare sockaddr_storage. */
struct rf_io_async_connect {
	struct sockaddr_storage address;
};

struct rf_io_open {			/* io_uring/openclose.c: struct io_open */
	struct file *file;
	int dfd;
	u32 file_slot;
	struct filename *filename;
	struct open_how how;
	unsigned long nofile;
};

/*
 * Where a kernel's per-opcode table keeps what the module reads of it
 * (io_uring/opdef.h: struct io_issue_def, 6.1's struct io_op_def), read
 * from BTF at load because its layout differs between kernels.
 */
struct rf_opdef_layout {
	const char *table;	/* the table's symbol */
	size_t entry_size;
	size_t async_size_off;	/* unsigned short async_size */
	size_t prep_off;	/* int (*prep)(...) */
	/*
	 * The tables have a prep_async hook (6.1's io_op_def, 6.6-6.9's
	 * io_cold_def): a CONNECT's address is copied only at issue.
	 */
	bool prep_async;
};

#endif /* _RINGFENCE_LAYOUT_H */
