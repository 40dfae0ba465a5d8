// SPDX-License-Identifier: GPL-2.0
/*
 * ringfence: Linux 7.x per-task io_uring restrictions for kernels without
 * them. The kernel is checked before anything attaches, every hook is live
 * before anyone can register, and a load that cannot have everything
 * leaves nothing behind.
 */
#include <linux/module.h>
#include <linux/init.h>

#include "ringfence.h"
#include "hook.h"

static int __init rf_init(void)
{
	int ret;

	/* Each one line says what differs; the summary below would not. */
	ret = rf_hooks_selftest();
	if (ret)
		return ret;
	ret = rf_kernel_init();
	if (ret)
		return ret;
	ret = rf_parity_init(rf_kernel_btf());
	rf_kernel_release_btf();
	if (ret)
		return ret;
	rf_request_init();
	ret = rf_task_init();
	if (ret)
		goto err;
	ret = rf_ring_init();
	if (ret)
		goto err_task;
	ret = rf_entry_init();
	if (ret)
		goto err_ring;
	ret = rf_parity_start();
	if (ret)
		goto err_entry;
	ret = rf_dev_init();
	if (ret)
		goto err_entry;
	rf_entry_open();
	pr_info("version %s loaded: io_uring task restrictions and filters available\n",
		RINGFENCE_VERSION);
	return 0;

err_entry:
	rf_entry_exit();
	rf_hooks_exit();
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
	rf_entry_exit();
	/*
	 * Our RCU callbacks must not outlive us; freeing a ring's entry queues
	 * the free of its filter table from its own callback, hence two. The
	 * last table's free may queue the submit hook's detach, which
	 * rf_hooks_exit() then waits for.
	 */
	rcu_barrier();
	rcu_barrier();
	rf_hooks_exit();
	rf_ring_exit();
	rf_task_exit();
}

module_init(rf_init);
module_exit(rf_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("ringfence developers");
MODULE_DESCRIPTION("io_uring task restrictions (Linux 7.x ABI) for kernels without them");
MODULE_VERSION(RINGFENCE_VERSION);
