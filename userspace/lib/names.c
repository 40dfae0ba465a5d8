// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Name tables. The numbers are the Linux 7.2 uapi ones, written out because
 * the system's <linux/io_uring.h> may be older than the kernel it runs on.
 */
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static const char *const op_names[] = {
	[ 0] = "NOP",
	[ 1] = "READV",
	[ 2] = "WRITEV",
	[ 3] = "FSYNC",
	[ 4] = "READ_FIXED",
	[ 5] = "WRITE_FIXED",
	[ 6] = "POLL_ADD",
	[ 7] = "POLL_REMOVE",
	[ 8] = "SYNC_FILE_RANGE",
	[ 9] = "SENDMSG",
	[10] = "RECVMSG",
	[11] = "TIMEOUT",
	[12] = "TIMEOUT_REMOVE",
	[13] = "ACCEPT",
	[14] = "ASYNC_CANCEL",
	[15] = "LINK_TIMEOUT",
	[16] = "CONNECT",
	[17] = "FALLOCATE",
	[18] = "OPENAT",
	[19] = "CLOSE",
	[20] = "FILES_UPDATE",
	[21] = "STATX",
	[22] = "READ",
	[23] = "WRITE",
	[24] = "FADVISE",
	[25] = "MADVISE",
	[26] = "SEND",
	[27] = "RECV",
	[28] = "OPENAT2",
	[29] = "EPOLL_CTL",
	[30] = "SPLICE",
	[31] = "PROVIDE_BUFFERS",
	[32] = "REMOVE_BUFFERS",
	[33] = "TEE",
	[34] = "SHUTDOWN",
	[35] = "RENAMEAT",
	[36] = "UNLINKAT",
	[37] = "MKDIRAT",
	[38] = "SYMLINKAT",
	[39] = "LINKAT",
	[40] = "MSG_RING",
	[41] = "FSETXATTR",
	[42] = "SETXATTR",
	[43] = "FGETXATTR",
	[44] = "GETXATTR",
	[45] = "SOCKET",
	[46] = "URING_CMD",
	[47] = "SEND_ZC",
	[48] = "SENDMSG_ZC",
	[49] = "READ_MULTISHOT",
	[50] = "WAITID",
	[51] = "FUTEX_WAIT",
	[52] = "FUTEX_WAKE",
	[53] = "FUTEX_WAITV",
	[54] = "FIXED_FD_INSTALL",
	[55] = "FTRUNCATE",
	[56] = "BIND",
	[57] = "LISTEN",
	[58] = "RECV_ZC",
	[59] = "EPOLL_WAIT",
	[60] = "READV_FIXED",
	[61] = "WRITEV_FIXED",
	[62] = "PIPE",
	[63] = "NOP128",
	[64] = "URING_CMD128",
};

static const char *const register_op_names[] = {
	[ 0] = "REGISTER_BUFFERS",
	[ 1] = "UNREGISTER_BUFFERS",
	[ 2] = "REGISTER_FILES",
	[ 3] = "UNREGISTER_FILES",
	[ 4] = "REGISTER_EVENTFD",
	[ 5] = "UNREGISTER_EVENTFD",
	[ 6] = "REGISTER_FILES_UPDATE",
	[ 7] = "REGISTER_EVENTFD_ASYNC",
	[ 8] = "REGISTER_PROBE",
	[ 9] = "REGISTER_PERSONALITY",
	[10] = "UNREGISTER_PERSONALITY",
	[11] = "REGISTER_RESTRICTIONS",
	[12] = "REGISTER_ENABLE_RINGS",
	[13] = "REGISTER_FILES2",
	[14] = "REGISTER_FILES_UPDATE2",
	[15] = "REGISTER_BUFFERS2",
	[16] = "REGISTER_BUFFERS_UPDATE",
	[17] = "REGISTER_IOWQ_AFF",
	[18] = "UNREGISTER_IOWQ_AFF",
	[19] = "REGISTER_IOWQ_MAX_WORKERS",
	[20] = "REGISTER_RING_FDS",
	[21] = "UNREGISTER_RING_FDS",
	[22] = "REGISTER_PBUF_RING",
	[23] = "UNREGISTER_PBUF_RING",
	[24] = "REGISTER_SYNC_CANCEL",
	[25] = "REGISTER_FILE_ALLOC_RANGE",
	[26] = "REGISTER_PBUF_STATUS",
	[27] = "REGISTER_NAPI",
	[28] = "UNREGISTER_NAPI",
	[29] = "REGISTER_CLOCK",
	[30] = "REGISTER_CLONE_BUFFERS",
	[31] = "REGISTER_SEND_MSG_RING",
	[32] = "REGISTER_ZCRX_IFQ",
	[33] = "REGISTER_RESIZE_RINGS",
	[34] = "REGISTER_MEM_REGION",
	[35] = "REGISTER_QUERY",
	[36] = "REGISTER_ZCRX_CTRL",
	[37] = "REGISTER_BPF_FILTER",
};

static const char *const sqe_flag_names[] = {
	[0] = "FIXED_FILE",
	[1] = "IO_DRAIN",
	[2] = "IO_LINK",
	[3] = "IO_HARDLINK",
	[4] = "ASYNC",
	[5] = "BUFFER_SELECT",
	[6] = "CQE_SKIP_SUCCESS",
};

static int lookup(const char *const *table, unsigned int n, const char *name)
{
	unsigned int i;

	if (!name)
		return -EINVAL;
	for (i = 0; i < n; i++)
		if (table[i] && !strcasecmp(table[i], name))
			return (int)i;
	return -EINVAL;
}

static const char *name_of(const char *const *table, unsigned int n,
			   unsigned int value)
{
	return value < n ? table[value] : NULL;
}

RINGFENCE_PUBLIC int ringfence_op_from_name(const char *name)
{
	/* The kernel's own opdef name for EPOLL_CTL. */
	if (name && !strcasecmp(name, "EPOLL"))
		return ringfence_op_from_name("EPOLL_CTL");
	return lookup(op_names, ARRAY_SIZE(op_names), name);
}

RINGFENCE_PUBLIC const char *ringfence_op_name(unsigned int op)
{
	return name_of(op_names, ARRAY_SIZE(op_names), op);
}

RINGFENCE_PUBLIC unsigned int ringfence_op_count(void)
{
	return ARRAY_SIZE(op_names);
}

RINGFENCE_PUBLIC int ringfence_register_op_from_name(const char *name)
{
	return lookup(register_op_names, ARRAY_SIZE(register_op_names), name);
}

RINGFENCE_PUBLIC const char *ringfence_register_op_name(unsigned int op)
{
	return name_of(register_op_names, ARRAY_SIZE(register_op_names), op);
}

RINGFENCE_PUBLIC unsigned int ringfence_register_op_count(void)
{
	return ARRAY_SIZE(register_op_names);
}

RINGFENCE_PUBLIC int ringfence_sqe_flag_from_name(const char *name)
{
	int bit = lookup(sqe_flag_names, ARRAY_SIZE(sqe_flag_names), name);

	return bit < 0 ? bit : 1 << bit;
}

RINGFENCE_PUBLIC const char *ringfence_sqe_flag_name(unsigned int bit)
{
	return name_of(sqe_flag_names, ARRAY_SIZE(sqe_flag_names), bit);
}

RINGFENCE_PUBLIC unsigned int ringfence_sqe_flag_count(void)
{
	return ARRAY_SIZE(sqe_flag_names);
}
