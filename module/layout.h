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

#endif /* _RINGFENCE_LAYOUT_H */
