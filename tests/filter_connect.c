// SPDX-License-Identifier: GPL-2.0
/*
 * Filters on IORING_OP_CONNECT (7.2 payload): family, port and address of
 * the kernel's copy of the sockaddr, port and address in network byte
 * order. The family is filled only when addr_len covers sa_family_t, port
 * and address only when it covers a sockaddr_in (16) or the RFC 2133
 * sockaddr_in6 (24); other families get the family alone.
 *
 * Every connect goes to a listening socket on loopback: a denied one must
 * leave nothing to accept() and the client unconnected.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

struct listener {
	int fd;
	int family;
	socklen_t len;
	union {
		struct sockaddr sa;
		struct sockaddr_in in;
		struct sockaddr_in6 in6;
		struct sockaddr_un un;
		struct sockaddr_storage ss;
	} addr;
};

/* A non-blocking listener on @ip (an IPv4 or IPv6 literal), any port. */
static void listen_on(struct listener *l, const char *ip)
{
	int one = 1;

	memset(l, 0, sizeof(*l));
	if (strchr(ip, ':')) {
		l->family = AF_INET6;
		l->addr.in6.sin6_family = AF_INET6;
		ASSERT_EQ(inet_pton(AF_INET6, ip, &l->addr.in6.sin6_addr), 1);
		l->len = sizeof(l->addr.in6);
	} else {
		l->family = AF_INET;
		l->addr.in.sin_family = AF_INET;
		ASSERT_EQ(inet_pton(AF_INET, ip, &l->addr.in.sin_addr), 1);
		l->len = sizeof(l->addr.in);
	}
	l->fd = socket(l->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_OK(l->fd);
	ASSERT_OK(setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)));
	ASSERT_OK(bind(l->fd, &l->addr.sa, l->len));
	ASSERT_OK(listen(l->fd, 16));
	ASSERT_OK(getsockname(l->fd, &l->addr.sa, &l->len));
}

static void listen_unix(struct listener *l)
{
	memset(l, 0, sizeof(*l));
	l->family = AF_UNIX;
	l->addr.un.sun_family = AF_UNIX;
	rf_tmp_path(l->addr.un.sun_path, sizeof(l->addr.un.sun_path), "sock");
	unlink(l->addr.un.sun_path);
	l->len = sizeof(l->addr.un);
	l->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	ASSERT_OK(l->fd);
	ASSERT_OK(bind(l->fd, &l->addr.sa, l->len));
	ASSERT_OK(listen(l->fd, 16));
}

static uint16_t port_of(const struct listener *l)
{
	return ntohs(l->family == AF_INET6 ? l->addr.in6.sin6_port
					   : l->addr.in.sin_port);
}

static int client(int family)
{
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		FAIL("socket(%d) (got errno %s)", family, rf_errname(errno));
		rf_abort();
	}
	return fd;
}

static int uconnect(struct rf_ring *r, int fd, const void *addr, socklen_t len)
{
	rf_prep_connect(rf_get_sqe(r), fd, addr, len);
	return rf_run1(r);
}

/*
 * Accept a connection on @l, waiting up to @ms for one to arrive: a
 * connect can complete before the listener has processed the final ACK.
 */
static int accept_within(struct listener *l, int ms)
{
	struct pollfd p = { .fd = l->fd, .events = POLLIN };

	if (poll(&p, 1, ms) < 0)
		return -1;
	return accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
}

/* Nothing arrives on @l (a little grace for a connection in flight). */
static void expect_nothing_accepted(struct listener *l)
{
	int fd = accept_within(l, 20);

	if (fd >= 0) {
		FAIL("a connection reached the listener on port %u", port_of(l));
		close(fd);
	}
}

/* An io_uring connect from a @family socket to @addr is denied, no effect. */
static void expect_denied(struct rf_ring *r, struct listener *l, int family,
			  const void *addr, socklen_t len)
{
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	int fd = client(family);

	if (!EXPECT_RES(uconnect(r, fd, addr, len), -EACCES))
		rf_note("connect to port %u, addr_len %u", port_of(l), len);
	expect_nothing_accepted(l);
	EXPECT_ERRNO(getpeername(fd, (struct sockaddr *)&peer, &plen), ENOTCONN);
	close(fd);
}

/* It connects, to @l. */
static void expect_connects(struct rf_ring *r, struct listener *l, int family,
			    const void *addr, socklen_t len)
{
	int fd = client(family), afd;

	if (!EXPECT_RES(uconnect(r, fd, addr, len), 0))
		rf_note("connect to port %u, addr_len %u", port_of(l), len);
	afd = accept_within(l, 5000);
	if (!EXPECT_OK(afd))
		rf_note("nothing to accept on port %u", port_of(l));
	else
		close(afd);
	close(fd);
}

/* What connect(2) itself says to this address (only for failing ones). */
static int sys_connect_res(int family, const void *addr, socklen_t len)
{
	int fd = client(family), ret;

	ret = connect(fd, addr, len) ? -errno : 0;
	close(fd);
	return ret;
}

/* The four words of an IPv6 address in the ctx (offsets 24..36). */
static void v6_words(const struct in6_addr *a, struct rf_match m[4])
{
	uint32_t w;
	int i;

	for (i = 0; i < 4; i++) {
		memcpy(&w, a->s6_addr + 4 * i, sizeof(w));
		m[i] = rf_match_word(24 + 4 * i, w);
	}
}

TEST(deny_all_connect)
{
	struct listener l;
	struct rf_ring r;

	listen_on(&l, "127.0.0.1");
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_CONNECT), 0);
	rf_new_ring(&r);
	expect_denied(&r, &l, AF_INET, &l.addr, l.len);
}

TEST(allow_all_connect)
{
	struct listener l;
	struct rf_ring r;

	listen_on(&l, "127.0.0.1");
	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_CONNECT), 0);
	rf_new_ring(&r);
	expect_connects(&r, &l, AF_INET, &l.addr, l.len);
}

TEST(connect_by_family)
{
	struct listener l4, l6;
	struct rf_ring r;

	listen_on(&l4, "127.0.0.1");
	listen_on(&l6, "::1");
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH(connect.family, AF_INET)), 0);
	rf_new_ring(&r);
	expect_connects(&r, &l4, AF_INET, &l4.addr, l4.len);
	expect_denied(&r, &l6, AF_INET6, &l6.addr, l6.len);
}

TEST(connect_by_port)
{
	struct listener a, b;
	struct rf_ring r;

	listen_on(&a, "127.0.0.1");
	listen_on(&b, "127.0.0.1");
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH(connect.port, htons(port_of(&a)))), 0);
	rf_new_ring(&r);
	expect_connects(&r, &a, AF_INET, &a.addr, a.len);
	expect_denied(&r, &b, AF_INET, &b.addr, b.len);
	expect_connects(&r, &a, AF_INET, &a.addr, a.len);
}

/* The same for IPv6: port sits at the same place. */
TEST(connect_by_port_ipv6)
{
	struct listener a, b;
	struct rf_ring r;

	listen_on(&a, "::1");
	listen_on(&b, "::1");
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH(connect.port, htons(port_of(&a)))), 0);
	rf_new_ring(&r);
	expect_connects(&r, &a, AF_INET6, &a.addr, a.len);
	expect_denied(&r, &b, AF_INET6, &b.addr, b.len);
}

/* Network byte order, spelled out byte by byte. */
TEST(port_and_address_in_network_byte_order)
{
	struct listener l;
	struct rf_ring r;
	uint16_t port;

	listen_on(&l, "127.0.0.1");
	port = port_of(&l);
	/* First byte of the port (offset 20) is its high byte... */
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   (struct rf_match){ 20, 0xffff,
					   (uint32_t)(port >> 8) |
					   (uint32_t)(port & 0xff) << 8 }), 0);
	/* ... and the first byte of the address (offset 24) is 127. */
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   (struct rf_match){ 24, 0xffffffff, 0x0100007f }), 0);
	rf_new_ring(&r);
	expect_connects(&r, &l, AF_INET, &l.addr, l.len);
}

TEST(connect_by_ipv4_address)
{
	struct listener a, b;
	struct rf_ring r;

	listen_on(&a, "127.0.0.1");
	listen_on(&b, "127.0.0.2");
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH(connect.v4_addr, htonl(INADDR_LOOPBACK))), 0);
	rf_new_ring(&r);
	expect_connects(&r, &a, AF_INET, &a.addr, a.len);
	expect_denied(&r, &b, AF_INET, &b.addr, b.len);
}

TEST(connect_by_ipv4_subnet)
{
	struct listener in1, in2, out;
	struct rf_ring r;

	listen_on(&in1, "127.0.0.1");
	listen_on(&in2, "127.0.0.200");
	listen_on(&out, "127.0.1.1");
	/* 127.0.0.0/24 */
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_CONNECT,
				   RF_MATCH_MASKED(connect.v4_addr, htonl(0x7f000000),
						   htonl(0xffffff00))), 0);
	rf_new_ring(&r);
	expect_connects(&r, &in1, AF_INET, &in1.addr, in1.len);
	expect_connects(&r, &in2, AF_INET, &in2.addr, in2.len);
	expect_denied(&r, &out, AF_INET, &out.addr, out.len);
}

TEST(connect_by_ipv6_address)
{
	struct listener l6, l4;
	struct sockaddr_in6 mapped;
	struct rf_match m[5];
	struct rf_ring r;

	listen_on(&l6, "::1");
	listen_on(&l4, "127.0.0.1");
	v6_words(&in6addr_loopback, m);
	m[4] = RF_MATCH(connect.family, AF_INET6);
	ASSERT_RES(rf_bpf_allow_if_all(-1, IORING_OP_CONNECT, m, 5), 0);
	rf_new_ring(&r);
	expect_connects(&r, &l6, AF_INET6, &l6.addr, l6.len);

	/* ::ffff:127.0.0.1 reaches the IPv4 listener, but is another address. */
	memset(&mapped, 0, sizeof(mapped));
	mapped.sin6_family = AF_INET6;
	mapped.sin6_port = l4.addr.in.sin_port;
	ASSERT_EQ(inet_pton(AF_INET6, "::ffff:127.0.0.1", &mapped.sin6_addr), 1);
	expect_denied(&r, &l4, AF_INET6, &mapped, sizeof(mapped));
	/* Control: connect(2) is not filtered and gets through. */
	{
		int fd = client(AF_INET6), afd;

		EXPECT_OK(connect(fd, (struct sockaddr *)&mapped, sizeof(mapped)));
		afd = accept_within(&l4, 5000);
		EXPECT_TRUE(afd >= 0);
		close(afd);
		close(fd);
	}
}

/*
 * Connect @l through a ring whose only filter requires all of @m: 0 if it
 * was allowed (and connected), -EACCES if denied.
 */
static int connect_with_ring_filter(struct listener *l, const struct rf_match *m,
				    unsigned int nr)
{
	struct rf_ring r;
	int fd, res, afd;

	rf_new_ring(&r);
	ASSERT_RES(rf_bpf_allow_if_all(r.fd, IORING_OP_CONNECT, m, nr), 0);
	fd = client(l->family);
	res = uconnect(&r, fd, &l->addr, l->len);
	if (res == 0) {
		afd = accept_within(l, 5000);
		if (afd >= 0)
			close(afd);
	}
	close(fd);
	rf_ring_exit(&r);
	return res;
}

TEST(connect_ctx_layout_ipv4)
{
	struct listener l;
	struct rf_match m[8];
	unsigned int i;

	listen_on(&l, "127.0.0.1");
	m[0] = rf_match_word(8, IORING_OP_CONNECT | (RF_PDU_CONNECT << 16));
	m[1] = rf_match_word(12, 0);
	m[2] = rf_match_word(16, AF_INET);
	/* port, then pad[2] zero */
	m[3] = rf_match_word(20, l.addr.in.sin_port);
	m[4] = rf_match_word(24, l.addr.in.sin_addr.s_addr);
	m[5] = rf_match_word(28, 0);
	m[6] = rf_match_word(32, 0);
	m[7] = rf_match_word(36, 0);
	if (EXPECT_RES(connect_with_ring_filter(&l, m, 8), 0))
		return;
	/* Say which bytes differ. */
	for (i = 0; i < 8; i++) {
		unsigned int b;

		if (!connect_with_ring_filter(&l, &m[i], 1))
			continue;
		for (b = 0; b < 4; b++) {
			struct rf_match byte = {
				m[i].off, 0xffU << (8 * b), m[i].val & (0xffU << (8 * b)),
			};

			if (connect_with_ring_filter(&l, &byte, 1))
				rf_note("ctx byte %u is not 0x%02x", m[i].off + b,
					(m[i].val >> (8 * b)) & 0xff);
		}
	}
}

/* A longer addr_len than the family needs is fine: the same fields. */
TEST(connect_with_sockaddr_storage_len)
{
	struct listener l;
	struct rf_ring r;

	listen_on(&l, "127.0.0.1");
	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_CONNECT,
				       RF_MATCH(connect.family, AF_INET),
				       RF_MATCH(connect.port, l.addr.in.sin_port),
				       RF_MATCH(connect.v4_addr, l.addr.in.sin_addr.s_addr)),
		   0);
	rf_new_ring(&r);
	expect_connects(&r, &l, AF_INET, &l.addr, sizeof(l.addr.ss));
}

/* ---- short addr_len: what 7.2 fills ---- */

/*
 * Register "allow only if the payload is exactly @m" on a new ring and
 * connect with @len bytes of @l's address: the result must be connect(2)'s
 * own for that length, not -EACCES.
 */
static void expect_payload_for_len(struct listener *l, int family, socklen_t len,
				   const struct rf_match *m, unsigned int nr)
{
	int exp = sys_connect_res(family, &l->addr, len);
	struct rf_ring r;
	int fd, res;

	rf_new_ring(&r);
	ASSERT_RES(rf_bpf_allow_if_all(r.fd, IORING_OP_CONNECT, m, nr), 0);
	fd = client(family);
	res = uconnect(&r, fd, &l->addr, len);
	if (!EXPECT_RES(res, exp))
		rf_note("family %d, addr_len %u", family, len);
	expect_nothing_accepted(l);
	close(fd);
	rf_ring_exit(&r);
}

#define ZERO_FROM_20							\
	{ 20, 0xffffffff, 0 }, { 24, 0xffffffff, 0 }, { 28, 0xffffffff, 0 }, \
	{ 32, 0xffffffff, 0 }, { 36, 0xffffffff, 0 }

/* addr_len 0 or 1: not even the family. */
TEST(addr_len_below_family_fills_nothing)
{
	static const struct rf_match m[] = {
		{ 16, 0xffffffff, 0 }, ZERO_FROM_20,
	};
	struct listener l;

	listen_on(&l, "127.0.0.1");
	expect_payload_for_len(&l, AF_INET, 0, m, 6);
	expect_payload_for_len(&l, AF_INET, 1, m, 6);
}

/* The filter does run for such a request: a deny-all filter denies it. */
TEST(addr_len_0_still_filtered)
{
	struct listener l;
	struct rf_ring r;

	listen_on(&l, "127.0.0.1");
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_CONNECT, RF_MATCH(connect.family, 0)), 0);
	rf_new_ring(&r);
	expect_denied(&r, &l, AF_INET, &l.addr, 0);
	expect_denied(&r, &l, AF_INET, &l.addr, 1);
	expect_connects(&r, &l, AF_INET, &l.addr, l.len);
}

/* 2..15 bytes of a sockaddr_in: the family only. */
TEST(addr_len_short_of_sockaddr_in_fills_family_only)
{
	static const struct rf_match m[] = {
		{ 16, 0xffffffff, AF_INET }, ZERO_FROM_20,
	};
	static const socklen_t lens[] = { 2, 3, 4, 8, 15 };
	struct listener l;
	unsigned int i;

	listen_on(&l, "127.0.0.1");
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		expect_payload_for_len(&l, AF_INET, lens[i], m, 6);
}

/* 2..23 bytes of a sockaddr_in6: the family only. */
TEST(addr_len_short_of_rfc2133_sockaddr_in6_fills_family_only)
{
	static const struct rf_match m[] = {
		{ 16, 0xffffffff, AF_INET6 }, ZERO_FROM_20,
	};
	static const socklen_t lens[] = { 2, 8, 16, 23 };
	struct listener l;
	unsigned int i;

	listen_on(&l, "::1");
	for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++)
		expect_payload_for_len(&l, AF_INET6, lens[i], m, 6);
}

/* 24 bytes (SIN6_LEN_RFC2133, no scope id) are enough for port and address. */
TEST(addr_len_rfc2133_sockaddr_in6_fills_all)
{
	struct listener l;
	struct rf_match m[6];
	struct rf_ring r;

	listen_on(&l, "::1");
	v6_words(&in6addr_loopback, m);
	m[4] = RF_MATCH(connect.family, AF_INET6);
	m[5] = rf_match_word(20, l.addr.in6.sin6_port);
	rf_new_ring(&r);
	ASSERT_RES(rf_bpf_allow_if_all(r.fd, IORING_OP_CONNECT, m, 6), 0);
	expect_connects(&r, &l, AF_INET6, &l.addr, 24);
	expect_connects(&r, &l, AF_INET6, &l.addr, sizeof(l.addr.in6));
}

/* Other families: the family, nothing else (a sockaddr_un's path is not seen). */
TEST(unix_connect_fills_family_only)
{
	struct listener l;
	struct rf_ring r;
	int fd, afd;

	listen_unix(&l);
	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_CONNECT,
				       { 16, 0xffffffff, AF_UNIX }, ZERO_FROM_20), 0);
	rf_new_ring(&r);
	fd = client(AF_UNIX);
	EXPECT_RES(uconnect(&r, fd, &l.addr, l.len), 0);
	afd = accept_within(&l, 5000);
	EXPECT_TRUE(afd >= 0);
	close(afd);
	close(fd);
	unlink(l.addr.un.sun_path);
}

TEST(deny_unix_connect)
{
	struct listener l;
	struct rf_ring r;
	int fd;

	listen_unix(&l);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_CONNECT,
				  RF_MATCH(connect.family, AF_UNIX)), 0);
	rf_new_ring(&r);
	fd = client(AF_UNIX);
	EXPECT_RES(uconnect(&r, fd, &l.addr, l.len), -EACCES);
	expect_nothing_accepted(&l);
	close(fd);
	unlink(l.addr.un.sun_path);
}

/* An addr_len the prep refuses fails with the prep's error. */
TEST(prep_error_beats_filter)
{
	struct listener l;
	struct rf_ring r;
	int fd;

	listen_on(&l, "127.0.0.1");
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_CONNECT), 0);
	rf_new_ring(&r);
	fd = client(AF_INET);
	EXPECT_RES(uconnect(&r, fd, &l.addr, sizeof(struct sockaddr_storage) + 1),
		   -EINVAL);
	EXPECT_RES(uconnect(&r, fd, (void *)8, sizeof(struct sockaddr_in)), -EFAULT);
	expect_nothing_accepted(&l);
	close(fd);
}
