// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * The preset filters, compiled for this machine: every constant compared
 * with a context word is built from the bytes the kernel stores there, so
 * network-order fields (port, addresses) come out right in either byte
 * order.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>

#include "bpf.h"
#include "presets.h"

/* The struct io_uring_bpf_ctx words each preset reads. */
#define SOCKET_FAMILY	16u
#define SOCKET_TYPE	20u
#define OPEN_FLAGS	16u	/* u64 */
#define CONNECT_FAMILY	16u
#define CONNECT_PORT	20u	/* __be16 port, then 2 zero bytes */
#define CONNECT_ADDR	24u	/* v4_addr, or v6_addr in 4 words */

#define SOCK_TYPE_MASK	0xfu	/* the kernel's; the rest are SOCK_* flags */

/* O_TMPFILE is __O_TMPFILE | O_DIRECTORY; the first bit alone marks it. */
#define TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)

int compile_socket(const uint32_t *families, unsigned int nfamilies,
		   const uint32_t *types, unsigned int ntypes,
		   struct sock_filter *out, unsigned int cap)
{
	struct bpf_builder b;

	bb_init(&b, out, cap);
	if (nfamilies) {
		bb_load(&b, SOCKET_FAMILY);
		bb_require_in(&b, families, nfamilies);
	}
	if (ntypes) {
		bb_load(&b, SOCKET_TYPE);
		bb_and(&b, SOCK_TYPE_MASK);
		bb_require_in(&b, types, ntypes);
	}
	bb_end_rule(&b, BPF_ALLOW);
	bb_end_rule(&b, 0);
	return bb_finish(&b);
}

int compile_deny_open_create(struct sock_filter *out, unsigned int cap)
{
	struct bpf_builder b;

	bb_init(&b, out, cap);
	bb_load(&b, CTX_U64_LOW(OPEN_FLAGS));
	bb_require_clear(&b, O_CREAT | TMPFILE_BIT);
	bb_load(&b, CTX_U64_HIGH(OPEN_FLAGS));
	bb_require_eq(&b, 0);
	bb_end_rule(&b, BPF_ALLOW);
	bb_end_rule(&b, 0);
	return bb_finish(&b);
}

/* The first bits bits of a 32-bit word of network-order bytes. */
static void require_prefix(struct bpf_builder *b, uint32_t off,
			   const uint8_t *bytes, unsigned int bits)
{
	uint32_t mask = bits >= 32 ? UINT32_MAX :
			bits ? UINT32_MAX << (32 - bits) : 0;
	uint8_t m[4] = { mask >> 24, mask >> 16, mask >> 8, mask };

	if (!bits)
		return;
	bb_load(b, off);
	if (bits < 32)
		bb_and(b, ctx_word(m[0], m[1], m[2], m[3]));
	bb_require_eq(b, ctx_word(bytes[0] & m[0], bytes[1] & m[1],
				  bytes[2] & m[2], bytes[3] & m[3]));
}

/* The first prefix bits of a 16-byte address, from word 0 on. */
static void require_prefix6(struct bpf_builder *b, const uint8_t *addr,
			    unsigned int prefix)
{
	unsigned int w;

	for (w = 0; w < 4 && prefix > 32 * w; w++)
		require_prefix(b, CONNECT_ADDR + 4 * w, addr + 4 * w,
			       prefix - 32 * w);
}

static void require_family_and_port(struct bpf_builder *b, uint32_t family,
				    uint16_t port)
{
	bb_load(b, CONNECT_FAMILY);
	bb_require_eq(b, family);
	bb_load(b, CONNECT_PORT);
	bb_and(b, ctx_word(0xff, 0xff, 0, 0));
	if (port)
		bb_require_eq(b, ctx_word(port >> 8, port & 0xff, 0, 0));
	else
		/* Port 0: addr_len did not cover the address. */
		bb_require_ne(b, 0);
}

static const uint8_t v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

/* The rule goes on only if the IPv6 address is not IPv4-mapped. */
static void require_not_v4mapped(struct bpf_builder *b)
{
	/* Each of the first two tests, when it fails, skips to "not mapped",
	 * 4 and 2 instructions on. */
	bb_load(b, CONNECT_ADDR);
	bb_emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 4, 0);
	bb_load(b, CONNECT_ADDR + 4);
	bb_emit(b, BPF_JMP | BPF_JEQ | BPF_K, 0, 2, 0);
	bb_load(b, CONNECT_ADDR + 8);
	bb_jump_next(b, BPF_JMP | BPF_JEQ | BPF_K,
		     ctx_word(0, 0, 0xff, 0xff), true);
}

/* Whether the first prefix bits (< 96) of addr are those of ::ffff:0:0. */
static int covers_v4mapped(const uint8_t *addr, unsigned int prefix)
{
	unsigned int full = prefix / 8, rest = prefix % 8;

	if (memcmp(addr, v4mapped, full))
		return 0;
	return !rest || !((addr[full] ^ v4mapped[full]) & (0xff << (8 - rest)));
}

static void connect_rule(struct bpf_builder *b, const struct connect_rule *r)
{
	uint8_t mapped[16];

	if (r->family == AF_INET) {
		require_family_and_port(b, AF_INET, r->port);
		require_prefix(b, CONNECT_ADDR, r->addr, r->prefix);
		bb_end_rule(b, BPF_ALLOW);

		/* The same range, reached through an AF_INET6 socket. */
		memcpy(mapped, v4mapped, sizeof(v4mapped));
		memcpy(mapped + 12, r->addr, 4);
		require_family_and_port(b, AF_INET6, r->port);
		require_prefix6(b, mapped, 96 + r->prefix);
		bb_end_rule(b, BPF_ALLOW);
		return;
	}
	require_family_and_port(b, AF_INET6, r->port);
	require_prefix6(b, r->addr, r->prefix);
	if (r->prefix < 96 && covers_v4mapped(r->addr, r->prefix))
		require_not_v4mapped(b);
	bb_end_rule(b, BPF_ALLOW);
}

int compile_connect(const struct connect_rule *rules, unsigned int n,
		    struct sock_filter *out, unsigned int cap)
{
	struct bpf_builder b;
	unsigned int i;

	bb_init(&b, out, cap);
	for (i = 0; i < n; i++)
		connect_rule(&b, &rules[i]);
	bb_end_rule(&b, 0);
	return bb_finish(&b);
}
