// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "fuzz.h"

uint64_t rf_fuzz_seed(void)
{
	const char *v = getenv("RINGFENCE_FUZZ_SEED");

	if (v && *v)
		return strtoull(v, NULL, 0);
	return (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 32);
}

unsigned int rf_fuzz_seconds(void)
{
	const char *v = getenv("RINGFENCE_FUZZ_SECONDS");

	return v && *v ? (unsigned int)strtoul(v, NULL, 0) : 20;
}
