/* SPDX-License-Identifier: GPL-2.0 */
/* Loading and unloading the ringfence module from a test (module runs only). */
#ifndef RF_MODULE_H
#define RF_MODULE_H

#include <stdbool.h>

#define RF_MODULE_NAME "ringfence"
/* Task structs are freed after an RCU grace period; allow that much. */
#define RF_UNLOAD_RETRY_SECONDS 10

bool rf_module_loaded(void);
/* delete_module(), O_NONBLOCK: 0 or -errno (-EWOULDBLOCK while in use). */
int rf_module_unload(void);
/* The same, retried while the module is in use, for a while. */
int rf_module_unload_retry(void);
/* finit_module() of $RINGFENCE_MODULE_PATH with @params: 0 or -errno. */
int rf_module_load(const char *params);

#endif /* RF_MODULE_H */
