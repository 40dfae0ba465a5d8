/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Policies as text: the lists `check-profile`, `status` and `learn` print. */
#ifndef RINGFENCE_CLI_DESCRIBE_H
#define RINGFENCE_CLI_DESCRIBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/types.h>

enum name_kind { NAMES_SQE_OPS, NAMES_REGISTER_OPS };

/* The name run's options take: lower case; "#N" where there is none. */
const char *cli_op_name(enum name_kind kind, unsigned int op, char *buf,
			size_t len);

/* Every op whose bit is set in bits (nbits of them), comma-separated. */
void print_ops(FILE *out, enum name_kind kind, const __u64 *bits,
	       unsigned int nbits);

/* The IOSQE_* flags in mask, comma-separated, or "none". */
void print_flags(FILE *out, unsigned int mask);

#endif /* RINGFENCE_CLI_DESCRIBE_H */
