// SPDX-License-Identifier: GPL-2.0
#include "parity.h"
#include "rftest.h"

void rf_need_parity(void)
{
	if (!rf_expect_module())
		SKIP("seccomp parity is the module's; this run has none");
}
