/* SPDX-License-Identifier: GPL-2.0 */
/* What the fuzzers share: a seedable generator, the seed and the length. */
#ifndef RF_FUZZ_H
#define RF_FUZZ_H

#include <stdint.h>

/* xorshift64*: small, seedable, the same sequence on every machine. */
static inline uint64_t rf_rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* RINGFENCE_FUZZ_SEED, or a new seed. */
uint64_t rf_fuzz_seed(void);
/* RINGFENCE_FUZZ_SECONDS, default 20. */
unsigned int rf_fuzz_seconds(void);

#endif /* RF_FUZZ_H */
