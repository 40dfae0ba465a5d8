/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * A classic BPF interpreter for tests: the subset io_uring filters may use,
 * run as Linux runs it on a context (BPF_LD|BPF_W|BPF_ABS reads the 32-bit
 * word at k of the context in the machine's byte order, BPF_LEN is the
 * context's size). Written apart from the CLI's compiler, so that each
 * checks the other.
 */
#ifndef RINGFENCE_TEST_BPF_INTERP_H
#define RINGFENCE_TEST_BPF_INTERP_H

#include <stddef.h>
#include <stdint.h>
#include <linux/filter.h>

/* What the program returned, or -1 if it did something outside the
 * subset, read past the context, or ran off its end. */
int64_t bpf_interp(const struct sock_filter *prog, unsigned int len,
		   const void *ctx, size_t ctx_size);

#endif /* RINGFENCE_TEST_BPF_INTERP_H */
