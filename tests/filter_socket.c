// SPDX-License-Identifier: GPL-2.0
/*
 * Filters on IORING_OP_SOCKET: the ctx carries the domain, the type as
 * given (SOCK_CLOEXEC and SOCK_NONBLOCK bits included) and the protocol as
 * given (0 is not resolved). A denied SOCKET creates no descriptor.
 */
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/* IORING_OP_SOCKET: the new descriptor or -errno. */
static int sock(struct rf_ring *r, int domain, int type, int protocol)
{
	rf_prep_socket(rf_get_sqe(r), domain, type, protocol);
	return rf_run1(r);
}

/* The request is denied and no descriptor appeared. */
static void expect_denied(struct rf_ring *r, int domain, int type, int protocol)
{
	int before = rf_count_fds();

	if (!EXPECT_RES(sock(r, domain, type, protocol), -EACCES))
		rf_note("socket(%d, 0x%x, %d)", domain, type, protocol);
	EXPECT_EQ(rf_count_fds(), before);
}

/* The request runs: a socket of @domain and @type exists; it is closed. */
static void expect_allowed(struct rf_ring *r, int domain, int type, int protocol)
{
	int fd = sock(r, domain, type, protocol), val;
	socklen_t len = sizeof(val);

	if (!EXPECT_TRUE(fd >= 0)) {
		rf_note("socket(%d, 0x%x, %d): %d", domain, type, protocol, fd);
		return;
	}
	EXPECT_OK(getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &val, &len));
	EXPECT_EQ(val, domain);
	EXPECT_OK(getsockopt(fd, SOL_SOCKET, SO_TYPE, &val, &len));
	EXPECT_EQ(val, type & 0xf);
	EXPECT_EQ(!!(fcntl(fd, F_GETFL) & O_NONBLOCK), !!(type & SOCK_NONBLOCK));
	EXPECT_EQ(!!(fcntl(fd, F_GETFD) & FD_CLOEXEC), !!(type & SOCK_CLOEXEC));
	close(fd);
}

TEST(deny_all_sockets)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_SOCKET), 0);
	rf_new_ring(&r);
	expect_denied(&r, AF_INET, SOCK_STREAM, 0);
	expect_denied(&r, AF_UNIX, SOCK_DGRAM, 0);
}

TEST(allow_all_sockets)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_SOCKET), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET, SOCK_STREAM, 0);
	expect_allowed(&r, AF_UNIX, SOCK_DGRAM, 0);
}

TEST(only_af_inet)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.family, AF_INET)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET, SOCK_STREAM, 0);
	expect_allowed(&r, AF_INET, SOCK_DGRAM, 0);
	expect_denied(&r, AF_INET6, SOCK_STREAM, 0);
	expect_denied(&r, AF_UNIX, SOCK_STREAM, 0);
	expect_denied(&r, AF_NETLINK, SOCK_RAW, 0);
}

TEST(only_af_unix)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.family, AF_UNIX)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_UNIX, SOCK_STREAM, 0);
	expect_allowed(&r, AF_UNIX, SOCK_SEQPACKET, 0);
	expect_denied(&r, AF_INET, SOCK_STREAM, 0);
	expect_denied(&r, AF_INET6, SOCK_DGRAM, 0);
}

TEST(only_sock_stream)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH_MASKED(socket.type, SOCK_STREAM, 0xf)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET, SOCK_STREAM, 0);
	expect_allowed(&r, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	expect_allowed(&r, AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
	expect_denied(&r, AF_INET, SOCK_DGRAM, 0);
	expect_denied(&r, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	expect_denied(&r, AF_UNIX, SOCK_SEQPACKET, 0);
}

/*
 * type: 7.2 shows the SQE's value, SOCK_NONBLOCK and SOCK_CLOEXEC included;
 * 7.3's io_socket_bpf_populate() masks it with SOCK_TYPE_MASK, so a filter
 * sees the type alone. Each native kernel shows its own release, the
 * module the one it declares.
 */
static bool type_has_flags(void)
{
	return rf_upstream() < RF_UPSTREAM_7_3;
}

TEST(type_flag_bits_shown_until_7_3)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.type, SOCK_STREAM | SOCK_NONBLOCK)), 0);
	rf_new_ring(&r);
	if (type_has_flags()) {
		expect_allowed(&r, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		expect_denied(&r, AF_INET, SOCK_STREAM, 0);
		expect_denied(&r, AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	} else {
		expect_denied(&r, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		expect_denied(&r, AF_INET, SOCK_STREAM, 0);
	}
}

TEST(type_alone_matches_any_flags_from_7_3)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.type, SOCK_STREAM)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET, SOCK_STREAM, 0);
	if (type_has_flags()) {
		expect_denied(&r, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	} else {
		expect_allowed(&r, AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
		expect_allowed(&r, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	}
	expect_denied(&r, AF_INET, SOCK_DGRAM, 0);
}

/* Up to 7.2 a filter can refuse close-on-exec sockets; 7.3 hides the bit. */
TEST(deny_cloexec_sockets_until_7_3)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_SOCKET,
				  RF_MATCH_MASKED(socket.type, SOCK_CLOEXEC,
						  SOCK_CLOEXEC)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_UNIX, SOCK_STREAM, 0);
	expect_allowed(&r, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	if (type_has_flags())
		expect_denied(&r, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	else
		expect_allowed(&r, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
}

/* protocol is as given: 0 is not turned into IPPROTO_TCP. */
TEST(protocol_as_given)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_SOCKET,
				   RF_MATCH(socket.protocol, IPPROTO_TCP)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET, SOCK_STREAM, IPPROTO_TCP);
	expect_denied(&r, AF_INET, SOCK_STREAM, 0);
	expect_denied(&r, AF_INET, SOCK_DGRAM, IPPROTO_UDP);
}

/* family, type and protocol together, the rest of the payload zero. */
TEST(socket_ctx_layout)
{
	struct rf_ring r;

	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_SOCKET,
				       rf_match_word(8, IORING_OP_SOCKET |
						     (RF_PDU_SOCKET << 16)),
				       rf_match_word(12, 0),
				       rf_match_word(16, AF_INET6),
				       rf_match_word(20, type_has_flags() ?
						     SOCK_DGRAM | SOCK_CLOEXEC : SOCK_DGRAM),
				       rf_match_word(24, IPPROTO_UDP),
				       rf_match_word(28, 0), rf_match_word(32, 0),
				       rf_match_word(36, 0)), 0);
	rf_new_ring(&r);
	expect_allowed(&r, AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
	if (type_has_flags())
		expect_denied(&r, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	else
		expect_allowed(&r, AF_INET6, SOCK_DGRAM, IPPROTO_UDP);
	expect_denied(&r, AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP);
}

/* A SOCKET the prep refuses fails with the prep's error, filter or not. */
TEST(prep_error_beats_filter)
{
	struct rf_ring r;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_SOCKET), 0);
	rf_new_ring(&r);
	/* Unknown flag bits in type: -EINVAL from io_socket_prep. */
	EXPECT_RES(sock(&r, AF_UNIX, SOCK_STREAM | 0x40000000, 0), -EINVAL);
}

/* A SOCKET filter leaves other socket-creating paths alone. */
TEST(socket_filter_does_not_cover_socket_syscall)
{
	int fd;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_SOCKET), 0);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	EXPECT_OK(fd);
	close(fd);
}
