// SPDX-License-Identifier: GPL-2.0
/*
 * ringfence: Linux 7.x per-task io_uring restrictions for kernels without
 * them. Load order makes every hook live before anyone can register, and a
 * load that cannot attach everything fails as a whole.
 */
#include <linux/module.h>
#include <linux/init.h>

#include "ringfence.h"

static int __init rf_init(void)
{
	int ret;

	/* Its one line says what differs; the summary below would not. */
	ret = rf_kernel_init();
	if (ret)
		return ret;
	ret = rf_task_init();
	if (ret)
		goto err;
	ret = rf_ring_init();
	if (ret)
		goto err_task;
	ret = rf_submit_init();
	if (ret)
		goto err_ring;
	ret = rf_register_init();
	if (ret)
		goto err_submit;
	ret = rf_dev_init();
	if (ret)
		goto err_register;
	pr_info("version %s loaded: io_uring task restrictions and filters available\n",
		RINGFENCE_VERSION);
	return 0;

err_register:
	rf_register_exit();
err_submit:
	rf_submit_exit();
err_ring:
	rf_ring_exit();
err_task:
	rf_task_exit();
err:
	pr_err("not loaded: this kernel lacks something ringfence needs (see above)\n");
	return ret;
}

static void __exit rf_exit(void)
{
	rf_dev_exit();
	rf_register_exit();
	rf_ring_exit();
	rf_task_exit();
	/*
	 * Our RCU callbacks must not outlive us; freeing a ring's entry queues
	 * the free of its filter table from its own callback, hence two. The
	 * last table's free may queue the submit probe's detach, which
	 * rf_submit_exit() then waits for.
	 */
	rcu_barrier();
	rcu_barrier();
	rf_submit_exit();
}

module_init(rf_init);
module_exit(rf_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ringfence developers");
MODULE_DESCRIPTION("io_uring task restrictions (Linux 7.x ABI) for kernels without them");
MODULE_VERSION(RINGFENCE_VERSION);
