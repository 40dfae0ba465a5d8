// SPDX-License-Identifier: GPL-2.0
/*
 * Built against Linux 7.2's include/uapi (make passes -DHAVE_K72 and the
 * include path): the layout facts as the reference kernel defines them.
 */
#include "layout.h"

#ifdef HAVE_K72
#include <linux/io_uring.h>
#include <linux/io_uring/bpf_filter.h>

#define SIZE_FACT(tag, exp) { "sizeof(struct " #tag ")", sizeof(struct tag) },
#define FIELD_FACT(tag, member, exp) \
	{ "offsetof(struct " #tag ", " #member ")", offsetof(struct tag, member) },
#define CONST_FACT(name, ours, theirs, exp) { #name, (unsigned long)(theirs) },

static const struct rf_layout_fact facts[] = {
	RF_LAYOUT_SIZES(SIZE_FACT)
	RF_LAYOUT_FIELDS(FIELD_FACT)
	RF_LAYOUT_CONSTS(CONST_FACT)
};

const struct rf_layout_fact *const rf_k72_facts = facts;
const unsigned int rf_k72_nr_facts = sizeof(facts) / sizeof(facts[0]);
#else
const struct rf_layout_fact *const rf_k72_facts;
const unsigned int rf_k72_nr_facts;
#endif
