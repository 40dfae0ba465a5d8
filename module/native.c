// SPDX-License-Identifier: GPL-2.0
/*
 * Built instead of the real module when the kernel already has io_uring task
 * restrictions (Linux 7.0+): loading it only explains why it is not needed.
 */
#include <linux/module.h>
#include <linux/utsname.h>

static int __init rf_native_init(void)
{
	pr_err("kernel %s supports io_uring task restrictions natively; ringfence is not needed and will not load\n",
	       init_utsname()->release);
	return -EOPNOTSUPP;
}
module_init(rf_native_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ringfence: io_uring task restrictions for kernels without them");
MODULE_VERSION(RINGFENCE_VERSION);
