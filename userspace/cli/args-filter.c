// SPDX-License-Identifier: LGPL-2.1-or-later
/* `ringfence run`'s filter options: --filter, the presets, --deny-rest,
 * --print-bpf. Values are checked here; files are read later. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "args.h"
#include "errmsg.h"
#include "ringfence.h"

struct name_value {
	const char *name;
	uint32_t value;
};

struct value_list {
	const char *what;		/* "socket family" */
	const struct name_value *names;	/* NULL-terminated */
	const char *known;		/* for the message */
	uint32_t min, max;		/* for numbers */
};

static const struct name_value family_names[] = {
	{ "unix", AF_UNIX }, { "local", AF_UNIX }, { "inet", AF_INET },
	{ "inet6", AF_INET6 }, { "netlink", AF_NETLINK },
	{ "packet", AF_PACKET }, { "vsock", AF_VSOCK }, { NULL, 0 },
};

static const struct name_value type_names[] = {
	{ "stream", SOCK_STREAM }, { "dgram", SOCK_DGRAM }, { "raw", SOCK_RAW },
	{ "rdm", SOCK_RDM }, { "seqpacket", SOCK_SEQPACKET },
	{ "packet", SOCK_PACKET }, { NULL, 0 },
};

static const struct value_list families = {
	"socket family", family_names,
	"unix (or local), inet, inet6, netlink, packet, vsock, or a number",
	0, UINT16_MAX,
};

/* The kernel compares type & 0xf (SOCK_TYPE_MASK); the rest are flags. */
static const struct value_list socket_types = {
	"socket type", type_names,
	"stream, dgram, raw, rdm, seqpacket, packet, or a number 1-15",
	1, 15,
};

/* Decimal digits only, from min to max; 0 or -1. */
static int parse_decimal(const char *s, size_t len, uint32_t min, uint32_t max,
			 uint32_t *v)
{
	uint64_t n = 0;
	size_t i;

	if (!len)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (uint64_t)(s[i] - '0');
		if (n > max)
			return -1;
	}
	if (n < min)
		return -1;
	*v = (uint32_t)n;
	return 0;
}

static int lookup_value(const struct value_list *l, const char *word,
			size_t len, uint32_t *value)
{
	const struct name_value *t;

	for (t = l->names; t->name; t++)
		if (strlen(t->name) == len && !strncasecmp(t->name, word, len)) {
			*value = t->value;
			return 0;
		}
	return parse_decimal(word, len, l->min, l->max, value);
}

/* Comma-separated names or numbers, added to v[] once each. */
static int parse_values(const char *option, const char *list,
			const struct value_list *l, uint32_t *v,
			unsigned int *n, char *err, size_t errlen)
{
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		uint32_t value;
		unsigned int k;

		if (len == 0)
			return errmsg(err, errlen, "%s needs a comma-separated "
				      "list of %ss, not '%s'", option, l->what,
				      list);
		if (lookup_value(l, p, len, &value))
			return errmsg(err, errlen, "unknown %s '%.*s' in %s "
				      "(give %s)", l->what, (int)len, p, option,
				      l->known);
		for (k = 0; k < *n && v[k] != value; k++)
			;
		if (k == *n) {
			if (*n == RUN_MAX_VALUES)
				return errmsg(err, errlen, "%s: more than %d "
					      "values", option, RUN_MAX_VALUES);
			v[(*n)++] = value;
		}
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* OP:FILE, OP a name ('ringfence ops') or a number. */
static int parse_filter_file(const char *spec, struct run_args *a,
			     char *err, size_t errlen)
{
	const char *colon = strchr(spec, ':');
	struct run_filter_file *f;
	char name[64];
	uint32_t op;
	int ret;

	if (!colon || colon == spec || !colon[1])
		return errmsg(err, errlen, "--filter needs OP:FILE, e.g. "
			      "socket:/etc/socket.bpf, not '%s'", spec);
	if ((size_t)(colon - spec) >= sizeof(name))
		return errmsg(err, errlen, "unknown io_uring opcode '%.*s' in "
			      "--filter (see 'ringfence ops')",
			      (int)(colon - spec), spec);
	memcpy(name, spec, (size_t)(colon - spec));
	name[colon - spec] = '\0';
	ret = ringfence_op_from_name(name);
	if (ret >= 0)
		op = (uint32_t)ret;
	else if (parse_decimal(name, strlen(name), 0, UINT8_MAX, &op))
		return errmsg(err, errlen, "unknown io_uring opcode '%s' in "
			      "--filter (see 'ringfence ops')", name);
	if (a->nr_filter_files == RUN_MAX_FILTER_FILES)
		return errmsg(err, errlen, "more than %d --filter options",
			      RUN_MAX_FILTER_FILES);
	f = &a->filter_file[a->nr_filter_files++];
	f->opcode = op;
	f->path = colon + 1;
	return 0;
}

/*
 * ADDR[/LEN][:PORT] for IPv4; ADDR6[/LEN] or [ADDR6[/LEN]]:PORT (also
 * [ADDR6]/LEN:PORT) for IPv6, whose colons need the brackets for a port.
 */
static int parse_connect_rule(const char *spec, struct connect_rule *r,
			      char *err, size_t errlen)
{
	char buf[128];
	char *addr = buf, *len = NULL, *port = NULL, *p;
	uint32_t v;

	memset(r, 0, sizeof(*r));
	if (strlen(spec) >= sizeof(buf))
		goto bad;
	strcpy(buf, spec);
	if (buf[0] == '[') {
		p = strchr(buf, ']');
		if (!p)
			goto bad;
		*p++ = '\0';
		addr = buf + 1;
		if (*p == '/') {
			*p++ = '\0';
			len = p;
			p += strcspn(p, ":");
		}
		if (*p == ':') {
			*p++ = '\0';
			port = p;
		} else if (*p) {
			goto bad;
		}
		r->family = AF_INET6;
	} else {
		p = strchr(buf, ':');
		r->family = p && strchr(p + 1, ':') ? AF_INET6 : AF_INET;
		if (p && r->family == AF_INET) {
			*p++ = '\0';
			port = p;
		}
	}
	p = strchr(addr, '/');
	if (p) {
		if (len)
			goto bad;
		*p++ = '\0';
		len = p;
	}
	if (inet_pton(r->family, addr, r->addr) != 1)
		return errmsg(err, errlen, "--connect-allow: '%s' is not an %s "
			      "address (IPv6 with a port: [ADDR]:PORT)", addr,
			      r->family == AF_INET ? "IPv4" : "IPv6");
	r->prefix = r->family == AF_INET ? 32 : 128;
	if (len) {
		if (parse_decimal(len, strlen(len), 0, r->prefix, &v))
			return errmsg(err, errlen, "--connect-allow: prefix "
				      "length '%s' is not 0 to %u", len,
				      r->prefix);
		r->prefix = v;
	}
	if (port) {
		if (parse_decimal(port, strlen(port), 1, UINT16_MAX, &v))
			return errmsg(err, errlen, "--connect-allow: port '%s' "
				      "is not 1 to 65535", port);
		r->port = (uint16_t)v;
	}
	return 0;
bad:
	return errmsg(err, errlen, "--connect-allow needs ADDR[/LEN][:PORT] "
		      "(IPv6 with a port: [ADDR6[/LEN]]:PORT), not '%s'", spec);
}

int parse_filter_option(int argc, char **argv, int *i, struct run_args *a,
			char *err, size_t errlen)
{
	static const char *const valued[] = {
		"--filter", "--socket-family", "--socket-type",
		"--connect-allow",
	};
	const char *arg = argv[*i], *value = NULL;
	size_t k;
	int m = 0;

	if (!strcmp(arg, "--deny-open-create")) {
		a->deny_open_create = true;
		return 0;
	}
	if (!strcmp(arg, "--deny-rest")) {
		a->deny_rest = true;
		return 0;
	}
	if (!strcmp(arg, "--print-bpf")) {
		a->print_bpf = true;
		return 0;
	}
	for (k = 0; k < sizeof(valued) / sizeof(valued[0]); k++) {
		m = match_valued(valued[k], argc, argv, i, &value);
		if (m)
			break;
	}
	if (m < 0)
		return errmsg(err, errlen, "%s needs a value", valued[k]);
	if (!m)
		return 1;

	switch (k) {
	case 0:
		return parse_filter_file(value, a, err, errlen);
	case 1:
		return parse_values(valued[k], value, &families,
				    a->socket_family, &a->nr_socket_families,
				    err, errlen);
	case 2:
		return parse_values(valued[k], value, &socket_types,
				    a->socket_type, &a->nr_socket_types,
				    err, errlen);
	default:
		if (a->nr_connect_rules == RUN_MAX_CONNECT_RULES)
			return errmsg(err, errlen, "more than %d --connect-allow "
				      "options", RUN_MAX_CONNECT_RULES);
		return parse_connect_rule(value,
					  &a->connect[a->nr_connect_rules++],
					  err, errlen);
	}
}

bool run_has_filters(const struct run_args *a)
{
	return a->nr_filter_files || a->nr_socket_families ||
	       a->nr_socket_types || a->deny_open_create ||
	       a->nr_connect_rules;
}
