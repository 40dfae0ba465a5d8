// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf.h"
#include "filters.h"
#include "presets.h"
#include "ringfence.h"

static struct filter_prog *add(struct filter_set *set, unsigned int opcode,
			       const char *origin)
{
	struct filter_prog *p = &set->prog[set->n++];

	p->opcode = opcode;
	snprintf(p->origin, sizeof(p->origin), "%s", origin);
	return p;
}

/* A preset's length (or -E2BIG) into p. */
static int compiled(struct filter_prog *p, int len, char *err, size_t errlen)
{
	if (len < 0) {
		snprintf(err, errlen, "%s: the filter would need more than "
			 "%d instructions; give fewer values", p->origin,
			 BPF_MAXINSNS);
		return -1;
	}
	p->len = (unsigned int)len;
	return 0;
}

static int build(const struct run_args *a, struct filter_set *set,
		 char *err, size_t errlen)
{
	struct filter_prog *p;
	unsigned int i;

	for (i = 0; i < a->nr_filter_files; i++) {
		int len;

		p = add(set, a->filter_file[i].opcode, "--filter");
		snprintf(p->origin, sizeof(p->origin), "--filter %s",
			 a->filter_file[i].path);
		len = bpf_read_file(a->filter_file[i].path, p->insn,
				    BPF_MAXINSNS, err, errlen);
		if (len < 0)
			return -1;
		p->len = (unsigned int)len;
	}
	if (a->nr_socket_families || a->nr_socket_types) {
		p = add(set, IORING_OP_SOCKET,
			a->nr_socket_families && a->nr_socket_types ?
			"--socket-family, --socket-type" :
			a->nr_socket_families ? "--socket-family" :
			"--socket-type");
		if (compiled(p, compile_socket(a->socket_family,
					       a->nr_socket_families,
					       a->socket_type,
					       a->nr_socket_types,
					       p->insn, BPF_MAXINSNS),
			     err, errlen))
			return -1;
	}
	if (a->deny_open_create) {
		p = add(set, IORING_OP_OPENAT, "--deny-open-create");
		if (compiled(p, compile_deny_open_create(p->insn, BPF_MAXINSNS),
			     err, errlen))
			return -1;
		p = add(set, IORING_OP_OPENAT2, "--deny-open-create");
		if (compiled(p, compile_deny_open_create(p->insn, BPF_MAXINSNS),
			     err, errlen))
			return -1;
	}
	if (a->nr_connect_rules) {
		p = add(set, IORING_OP_CONNECT, "--connect-allow");
		if (compiled(p, compile_connect(a->connect, a->nr_connect_rules,
						p->insn, BPF_MAXINSNS),
			     err, errlen))
			return -1;
	}
	return 0;
}

int build_filters(const struct run_args *a, struct filter_set *set,
		  char *err, size_t errlen)
{
	/* The files and at most four presets. */
	unsigned int max = a->nr_filter_files + 4, i;

	memset(set, 0, sizeof(*set));
	set->deny_rest = a->deny_rest;
	set->prog = calloc(max, sizeof(*set->prog));
	if (!set->prog) {
		snprintf(err, errlen, "%s", strerror(ENOMEM));
		return -1;
	}
	if (build(a, set, err, errlen))
		goto fail;
	for (i = 0; i < set->n; i++) {
		struct filter_prog *p = &set->prog[i];
		char why[200];

		if (bpf_check(p->insn, p->len, why, sizeof(why))) {
			snprintf(err, errlen, "%s: the kernel would refuse "
				 "this program: %s", p->origin, why);
			goto fail;
		}
		p->payload = bpf_payload_needed(p->insn, p->len);
	}
	return 0;
fail:
	free_filters(set);
	return -1;
}

void free_filters(struct filter_set *set)
{
	free(set->prog);
	set->prog = NULL;
	set->n = 0;
}

void print_filters(FILE *out, const struct filter_set *set)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		const struct filter_prog *p = &set->prog[i];
		const char *name = ringfence_op_name(p->opcode);

		if (i)
			fputc('\n', out);
		fprintf(out, "# %s (opcode %u), from %s: %u instruction%s, "
			"reads %u payload bytes\n", name ? name : "?",
			p->opcode, p->origin, p->len, p->len == 1 ? "" : "s",
			p->payload);
		if (set->deny_rest && i + 1 == set->n)
			fprintf(out, "# registered last, with DENY_REST: every "
				"opcode without a filter is denied\n");
		bpf_print(out, p->opcode, p->insn, p->len);
	}
}

int register_filters(const struct filter_set *set, bool log_only,
		     unsigned int *failed, unsigned int *kernel_payload)
{
	unsigned int i;

	for (i = 0; i < set->n; i++) {
		const struct filter_prog *p = &set->prog[i];
		unsigned int flags = set->deny_rest && i + 1 == set->n ?
				     IO_URING_BPF_FILTER_DENY_REST : 0;
		unsigned int pdu = p->payload;
		int ret = log_only ?
			  ringfence_log_only_task_filter(p->opcode, p->insn, p->len,
							 flags, &pdu) :
			  ringfence_register_filter(-1, p->opcode, p->insn,
						    p->len, flags, &pdu);

		if (ret) {
			*failed = i;
			*kernel_payload = pdu;
			return ret;
		}
	}
	return 0;
}
