// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * Name tables. The numbers are the Linux 7.3 uapi ones, from the lists in
 * <linux/ringfence.h>, because the system's <linux/io_uring.h> may be older
 * than the kernel it runs on.
 */
#include <errno.h>
#include <stddef.h>
#include <strings.h>

#include "internal.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#define RF_NAME(n, name)	[n] = #name,

static const char *const op_names[] = {
	RINGFENCE_IORING_OPS(RF_NAME)
};

static const char *const register_op_names[] = {
	RINGFENCE_IORING_REGISTER_OPS(RF_NAME)
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
