// SPDX-License-Identifier: GPL-2.0
/*
 * Restriction sets: parsing a user's struct io_uring_restriction array
 * exactly as Linux 7.2's io_parse_restrictions() does, and their lifetime.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/overflow.h>

#include "ringfence.h"

struct rf_policy *rf_policy_alloc(void)
{
	struct rf_policy *policy;

	policy = kzalloc(sizeof(*policy), GFP_KERNEL_ACCOUNT);
	if (policy)
		refcount_set(&policy->ref, 1);
	return policy;
}

void rf_policy_put(struct rf_policy *policy)
{
	if (policy && refcount_dec_and_test(&policy->ref))
		kfree_rcu(policy, rcu);
}

/*
 * The user's array is copied once, then validated from the kernel copy.
 * Returns 0 or a negative errno, with the same precedence as 7.2.
 */
int rf_policy_parse(struct rf_policy *policy,
		    const struct io_uring_restriction __user *entries,
		    unsigned int nr)
{
	struct io_uring_restriction *res;
	size_t size;
	unsigned int i;
	int ret = -EINVAL;

	if (!entries || nr > RF_UPSTREAM_MAX_RESTRICTIONS)
		return -EINVAL;

	size = array_size(nr, sizeof(*res));
	if (size == SIZE_MAX)
		return -EOVERFLOW;

	res = memdup_user(entries, size);
	if (IS_ERR(res))
		return PTR_ERR(res);

	for (i = 0; i < nr; i++) {
		switch (res[i].opcode) {
		case IORING_RESTRICTION_REGISTER_OP:
			if (res[i].register_op >= RF_UPSTREAM_IORING_REGISTER_LAST)
				goto out;
			__set_bit(res[i].register_op, policy->register_op);
			policy->reg_registered = true;
			break;
		case IORING_RESTRICTION_SQE_OP:
			if (res[i].sqe_op >= RF_UPSTREAM_IORING_OP_LAST)
				goto out;
			__set_bit(res[i].sqe_op, policy->sqe_op);
			policy->op_registered = true;
			break;
		case IORING_RESTRICTION_SQE_FLAGS_ALLOWED:
			policy->sqe_flags_allowed = res[i].sqe_flags;
			policy->op_registered = true;
			break;
		case IORING_RESTRICTION_SQE_FLAGS_REQUIRED:
			policy->sqe_flags_required = res[i].sqe_flags;
			policy->op_registered = true;
			break;
		default:
			goto out;
		}
	}
	/* An empty set is the strictest one: nothing may be submitted or registered. */
	if (!nr) {
		policy->op_registered = true;
		policy->reg_registered = true;
	}
	ret = 0;
out:
	kfree(res);
	return ret;
}
