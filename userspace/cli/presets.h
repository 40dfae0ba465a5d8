/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The filters `ringfence run` compiles from its preset options. */
#ifndef RINGFENCE_CLI_PRESETS_H
#define RINGFENCE_CLI_PRESETS_H

#include <stdint.h>
#include <linux/filter.h>

/* One --connect-allow: an address range, and a port or any port. */
struct connect_rule {
	int family;		/* AF_INET or AF_INET6 */
	uint8_t addr[16];	/* network byte order; 4 bytes for AF_INET */
	unsigned int prefix;	/* 0..32 or 0..128 */
	uint16_t port;		/* host byte order; 0: any port */
};

/*
 * Each returns the program's length, or -E2BIG when it needs more than cap
 * instructions.
 *
 * SOCKET: allow only these families and, if ntypes, only these types
 * (SOCK_CLOEXEC and SOCK_NONBLOCK aside). Either list may be empty (not
 * both): it then does not restrict.
 */
int compile_socket(const uint32_t *families, unsigned int nfamilies,
		   const uint32_t *types, unsigned int ntypes,
		   struct sock_filter *out, unsigned int cap);

/* OPENAT and OPENAT2: deny O_CREAT and O_TMPFILE (and flags past 32 bits,
 * which no kernel accepts). */
int compile_deny_open_create(struct sock_filter *out, unsigned int cap);

/*
 * CONNECT: allow only addresses inside one of the rules, with a port they
 * allow; every other family (AF_UNIX included) is denied, and so is an
 * address too short to carry a port. An AF_INET rule also allows the same
 * addresses as IPv4-mapped IPv6 (::ffff:a.b.c.d); AF_INET6 rules never
 * allow IPv4-mapped addresses unless they lie inside ::ffff:0:0/96.
 */
int compile_connect(const struct connect_rule *rules, unsigned int n,
		    struct sock_filter *out, unsigned int cap);

#endif /* RINGFENCE_CLI_PRESETS_H */
