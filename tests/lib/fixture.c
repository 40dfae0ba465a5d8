// SPDX-License-Identifier: GPL-2.0
/* Helpers that end the test when they fail (declared with their families). */
#include "restrict.h"
#include "rftest.h"

void rf_new_ring(struct rf_ring *r)
{
	ASSERT_RES(rf_ring_init(r, 8, 0), 0);
}
