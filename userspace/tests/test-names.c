// SPDX-License-Identifier: LGPL-2.1-or-later
/* The name tables against the system's uapi numbers and the 7.2 ones. */
#include <errno.h>
#include <string.h>
#include <linux/io_uring.h>

#include "ringfence.h"
#include "tap.h"

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_ops(void)
{
	ok(ringfence_op_from_name("NOP") == IORING_OP_NOP, "NOP is %d", IORING_OP_NOP);
	ok(ringfence_op_from_name("nop") == IORING_OP_NOP, "lower case accepted");
	ok(ringfence_op_from_name("Read_Fixed") == IORING_OP_READ_FIXED,
	   "mixed case accepted");
	ok(ringfence_op_from_name("SOCKET") == IORING_OP_SOCKET, "SOCKET");
	ok(ringfence_op_from_name("openat") == IORING_OP_OPENAT, "openat");
	ok(ringfence_op_from_name("epoll_ctl") == IORING_OP_EPOLL_CTL, "epoll_ctl");
	ok(ringfence_op_from_name("epoll") == IORING_OP_EPOLL_CTL,
	   "epoll (the kernel's opdef name) means EPOLL_CTL");
	ok(ringfence_op_from_name("IORING_OP_NOP") == -EINVAL,
	   "the IORING_OP_ prefix is not part of the name");
	ok(ringfence_op_from_name("bogus") == -EINVAL, "unknown name is -EINVAL");
	ok(ringfence_op_from_name("") == -EINVAL, "empty name is -EINVAL");
	ok(ringfence_op_from_name(NULL) == -EINVAL, "NULL name is -EINVAL");

	/* Linux 7.2: URING_CMD128 = 64 is the last, IORING_OP_LAST = 65. */
	ok(ringfence_op_count() == 65, "7.2 has 65 opcodes (got %u)",
	   ringfence_op_count());
	ok(ringfence_op_from_name("uring_cmd128") == 64, "URING_CMD128 is 64");
	ok(ringfence_op_from_name("pipe") == 62, "PIPE is 62");
	ok(ringfence_op_from_name("bind") == 56, "BIND is 56");
	ok(same(ringfence_op_name(64), "URING_CMD128"), "name of 64");
	ok(ringfence_op_name(65) == NULL, "no name past the last opcode");
	ok(same(ringfence_op_name(IORING_OP_SENDMSG_ZC), "SENDMSG_ZC"),
	   "SENDMSG_ZC matches the system header");
}

/* Every opcode: name -> number -> name round trip, names unique. */
static void test_op_roundtrip(void)
{
	unsigned int i, j, bad = 0, dup = 0;

	for (i = 0; i < ringfence_op_count(); i++) {
		const char *n = ringfence_op_name(i);

		if (!n || ringfence_op_from_name(n) != (int)i)
			bad++;
		for (j = 0; n && j < i; j++)
			if (same(n, ringfence_op_name(j)))
				dup++;
	}
	ok(bad == 0, "every opcode name maps back to its number (%u bad)", bad);
	ok(dup == 0, "opcode names are unique (%u duplicates)", dup);
}

static void test_register_ops(void)
{
	unsigned int i, bad = 0;

	ok(ringfence_register_op_from_name("register_buffers") ==
	   IORING_REGISTER_BUFFERS, "register_buffers");
	ok(ringfence_register_op_from_name("UNREGISTER_FILES") ==
	   IORING_UNREGISTER_FILES, "UNREGISTER_FILES");
	ok(ringfence_register_op_from_name("register_restrictions") ==
	   IORING_REGISTER_RESTRICTIONS, "register_restrictions is 11");
	ok(ringfence_register_op_from_name("register_bpf_filter") == 37,
	   "register_bpf_filter is 37");
	ok(ringfence_register_op_from_name("buffers") == -EINVAL,
	   "the REGISTER_ part is required");
	ok(ringfence_register_op_from_name("register_use_registered_ring") == -EINVAL,
	   "the USE_REGISTERED_RING flag is not an opcode");
	ok(ringfence_register_op_count() == 38, "7.2 has 38 register opcodes (got %u)",
	   ringfence_register_op_count());
	ok(ringfence_register_op_name(38) == NULL, "no name past the last");
	for (i = 0; i < ringfence_register_op_count(); i++) {
		const char *n = ringfence_register_op_name(i);

		if (!n || ringfence_register_op_from_name(n) != (int)i)
			bad++;
	}
	ok(bad == 0, "every register name maps back to its number (%u bad)", bad);
}

static void test_flags(void)
{
	ok(ringfence_sqe_flag_from_name("fixed_file") == IOSQE_FIXED_FILE, "fixed_file");
	ok(ringfence_sqe_flag_from_name("io_drain") == IOSQE_IO_DRAIN, "io_drain");
	ok(ringfence_sqe_flag_from_name("io_link") == IOSQE_IO_LINK, "io_link");
	ok(ringfence_sqe_flag_from_name("io_hardlink") == IOSQE_IO_HARDLINK,
	   "io_hardlink");
	ok(ringfence_sqe_flag_from_name("ASYNC") == IOSQE_ASYNC, "ASYNC");
	ok(ringfence_sqe_flag_from_name("buffer_select") == IOSQE_BUFFER_SELECT,
	   "buffer_select");
	ok(ringfence_sqe_flag_from_name("cqe_skip_success") == IOSQE_CQE_SKIP_SUCCESS,
	   "cqe_skip_success");
	ok(ringfence_sqe_flag_from_name("link") == -EINVAL, "link is not a flag name");
	ok(ringfence_sqe_flag_count() == 7, "7 SQE flags");
	ok(same(ringfence_sqe_flag_name(IOSQE_CQE_SKIP_SUCCESS_BIT),
		"CQE_SKIP_SUCCESS"), "flag name by bit number");
	ok(ringfence_sqe_flag_name(7) == NULL, "no flag bit 7");
}

int main(void)
{
	test_ops();
	test_op_roundtrip();
	test_register_ops();
	test_flags();
	return tap_done();
}
