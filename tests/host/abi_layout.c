// SPDX-License-Identifier: GPL-2.0
/*
 * Host check: uapi/linux/ringfence.h spells the upstream 7.x ABI exactly as
 * Linux 7.2 does (sizes, offsets, constants), so that a program built
 * against it and one built against 7.2's headers pass the same bytes.
 */
#include <string.h>
#include <linux/ringfence.h>

#include "k72/layout.h"
#include "rftest.h"

#define SIZE_FACT(tag, exp) { "sizeof(struct " #tag ")", sizeof(struct tag) },
#define FIELD_FACT(tag, member, exp) \
	{ "offsetof(struct " #tag ", " #member ")", offsetof(struct tag, member) },
#define CONST_FACT(name, ours, theirs, exp) { #name, (unsigned long)(ours) },

#define SIZE_EXP(tag, exp) { "sizeof(struct " #tag ")", exp },
#define FIELD_EXP(tag, member, exp) \
	{ "offsetof(struct " #tag ", " #member ")", exp },
#define CONST_EXP(name, ours, theirs, exp) { #name, exp },

static const struct rf_layout_fact ours[] = {
	RF_LAYOUT_SIZES(SIZE_FACT)
	RF_LAYOUT_FIELDS(FIELD_FACT)
	RF_LAYOUT_CONSTS(CONST_FACT)
};

/* Read off 7.2's include/uapi/linux/io_uring.h and io_uring/bpf_filter.h. */
static const struct rf_layout_fact written_down[] = {
	RF_LAYOUT_SIZES(SIZE_EXP)
	RF_LAYOUT_FIELDS(FIELD_EXP)
	RF_LAYOUT_CONSTS(CONST_EXP)
};

#define NR_FACTS (sizeof(ours) / sizeof(ours[0]))

static void compare(const struct rf_layout_fact *ref, unsigned int nr)
{
	unsigned int i;

	ASSERT_EQ(nr, NR_FACTS);
	for (i = 0; i < nr; i++) {
		ASSERT_TRUE(!strcmp(ours[i].name, ref[i].name));
		if (ours[i].value != ref[i].value)
			FAIL("%s (got %lu, expected %lu)", ours[i].name,
			     ours[i].value, ref[i].value);
	}
}

TEST(layout_matches_written_down_7_2_values)
{
	compare(written_down, NR_FACTS);
}

TEST(layout_matches_7_2_headers)
{
	if (!rf_k72_facts)
		SKIP("7.2 sources not found (K72_SRC)");
	compare(rf_k72_facts, rf_k72_nr_facts);
}

TEST(ringfence_ioctl_numbers_are_stable)
{
	EXPECT_EQ(sizeof(struct ringfence_version), 48);
	EXPECT_EQ(RINGFENCE_IOC_VERSION, 0xC030E700UL);
	EXPECT_EQ(RINGFENCE_IOC_REGISTER_TASK_RESTRICTIONS, 0xC010E701UL);
}
