// SPDX-License-Identifier: LGPL-2.1-or-later
#include <ctype.h>
#include <stdio.h>

#include "describe.h"
#include "ringfence.h"

const char *cli_op_name(enum name_kind kind, unsigned int op, char *buf,
			size_t len)
{
	const char *name = kind == NAMES_SQE_OPS ? ringfence_op_name(op) :
			   ringfence_register_op_name(op);
	size_t i;

	if (!name) {
		snprintf(buf, len, "#%u", op);
		return buf;
	}
	for (i = 0; name[i] && i + 1 < len; i++)
		buf[i] = (char)tolower((unsigned char)name[i]);
	buf[i] = '\0';
	return buf;
}

void print_ops(FILE *out, enum name_kind kind, const __u64 *bits,
	       unsigned int nbits)
{
	unsigned int op, n = 0;
	char name[48];

	for (op = 0; op < nbits; op++) {
		if (!(bits[op / 64] & (1ULL << (op % 64))))
			continue;
		fprintf(out, "%s%s", n++ ? "," : "", cli_op_name(kind, op, name,
								  sizeof(name)));
	}
	if (!n)
		fputs("none", out);
}

void print_flags(FILE *out, unsigned int mask)
{
	unsigned int bit, n = 0;
	char name[48];
	size_t i;

	for (bit = 0; bit < 8; bit++) {
		const char *f = ringfence_sqe_flag_name(bit);

		if (!(mask & (1U << bit)))
			continue;
		if (!f) {
			fprintf(out, "%s#%u", n++ ? "," : "", 1U << bit);
			continue;
		}
		for (i = 0; f[i] && i + 1 < sizeof(name); i++)
			name[i] = (char)tolower((unsigned char)f[i]);
		name[i] = '\0';
		fprintf(out, "%s%s", n++ ? "," : "", name);
	}
	if (!n)
		fputs("none", out);
}
