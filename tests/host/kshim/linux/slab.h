/* SPDX-License-Identifier: GPL-2.0 */
#ifndef RF_KSHIM_SLAB_H
#define RF_KSHIM_SLAB_H
#include <stdlib.h>
#define GFP_KERNEL 0
/* The test can make the next allocation fail. */
void *rf_kshim_calloc(size_t n, size_t size);
#define kvcalloc(n, size, gfp) rf_kshim_calloc(n, size)
#define kvfree(p) free(p)
#endif
