// SPDX-License-Identifier: GPL-2.0
/*
 * Restriction sets: parsing a user's struct io_uring_restriction array
 * exactly as Linux 7.2's io_parse_restrictions() does, judging by one (for
 * log-only sets, which the kernel does not enforce), their lifetime, and
 * the counters of the task tree that shares a set's lineage.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/overflow.h>
#include <linux/nospec.h>

#include "ringfence.h"
#include "hook.h"

struct rf_policy *rf_policy_alloc(void)
{
	struct rf_policy *policy;

	policy = kzalloc(sizeof(*policy), GFP_KERNEL_ACCOUNT);
	if (policy)
		refcount_set(&policy->ref, 1);
	return policy;
}

/* A copy to modify: policies are shared and never change once published. */
struct rf_policy *rf_policy_clone(const struct rf_policy *old)
{
	struct rf_policy *policy = rf_policy_alloc();

	if (!policy || !old)
		return policy;
	if (old->seccomp_parity && rf_policy_set_parity(policy)) {
		rf_policy_put(policy);
		return NULL;
	}
	bitmap_copy(policy->register_op, old->register_op,
		    RF_UPSTREAM_IORING_REGISTER_LAST);
	bitmap_copy(policy->sqe_op, old->sqe_op, RF_UPSTREAM_IORING_OP_LAST);
	policy->sqe_flags_allowed = old->sqe_flags_allowed;
	policy->sqe_flags_required = old->sqe_flags_required;
	policy->op_registered = old->op_registered;
	policy->reg_registered = old->reg_registered;
	policy->filters = rf_filters_get(old->filters);
	if (old->stats)
		refcount_inc(&old->stats->ref);
	policy->stats = old->stats;
	policy->log_only = rf_policy_get(old->log_only);
	policy->learn = rf_learn_get(old->learn);
	return policy;
}

/* As 7.x's io_check_restriction(), negated. */
bool notrace rf_policy_denies_sqe(const struct rf_policy *policy, unsigned int opcode,
				  u8 sqe_flags)
{
	if (!policy->op_registered)
		return false;
	if (opcode >= RF_UPSTREAM_IORING_OP_LAST ||
	    !test_bit(array_index_nospec(opcode, RF_UPSTREAM_IORING_OP_LAST), policy->sqe_op))
		return true;
	if ((sqe_flags & policy->sqe_flags_required) != policy->sqe_flags_required)
		return true;
	return sqe_flags & ~(policy->sqe_flags_allowed | policy->sqe_flags_required);
}

bool notrace rf_policy_denies_register(const struct rf_policy *policy, unsigned int opcode)
{
	return !rf_policy_allows_register_op(policy, opcode);
}

void rf_policy_describe(const struct rf_policy *policy, struct ringfence_status_set *set)
{
	unsigned int i;

	memset(set, 0, sizeof(*set));
	if (!policy)
		return;
	if (policy->op_registered) {
		set->restricts |= RINGFENCE_STATUS_SQE;
		for_each_set_bit(i, policy->sqe_op, RF_UPSTREAM_IORING_OP_LAST)
			set->sqe_op[i / 64] |= 1ULL << (i % 64);
		set->sqe_flags_allowed = policy->sqe_flags_allowed;
		set->sqe_flags_required = policy->sqe_flags_required;
	}
	if (policy->reg_registered) {
		set->restricts |= RINGFENCE_STATUS_REGISTER;
		for_each_set_bit(i, policy->register_op, RF_UPSTREAM_IORING_REGISTER_LAST)
			set->register_op[i / 64] |= 1ULL << (i % 64);
	}
}

/* ---- a task tree's counters ---- */

struct rf_stats *rf_stats_new(void)
{
	struct rf_stats *stats = kzalloc(sizeof(*stats), GFP_KERNEL_ACCOUNT);

	if (stats)
		refcount_set(&stats->ref, 1);
	return stats;
}

/*
 * The last put can come from an ftrace callback with preemption off (a task
 * freed in an RCU callback): on PREEMPT_RT, kfree() may take the zone's
 * sleeping lock there, which kfree_rcu() defers to a worker.
 */
void rf_stats_put(struct rf_stats *stats)
{
	if (stats && refcount_dec_and_test(&stats->ref))
		kfree_rcu(stats, rcu);
}

void notrace rf_stats_count(struct rf_stats *stats, const struct ringfence_record *rec)
{
	if (!stats || rec->layer >= RINGFENCE_LAYER_NR)
		return;
	if (rec->flags & RINGFENCE_RECORD_DENIED)
		atomic64_inc(&stats->denied[rec->layer]);
	else if (rec->flags & RINGFENCE_RECORD_LOG_ONLY)
		atomic64_inc(&stats->log_only[rec->layer]);
}

void rf_stats_read(const struct rf_stats *stats, u64 *denied, u64 *log_only)
{
	unsigned int i;

	for (i = 0; i < RINGFENCE_LAYER_NR; i++) {
		denied[i] = stats ? atomic64_read(&stats->denied[i]) : 0;
		log_only[i] = stats ? atomic64_read(&stats->log_only[i]) : 0;
	}
}

bool rf_policy_allows_register_op(const struct rf_policy *policy,
				  unsigned int opcode)
{
	/* @opcode is the user's: no speculative read past the bitmap. */
	return !policy->reg_registered ||
	       (opcode < RF_UPSTREAM_IORING_REGISTER_LAST &&
		test_bit(array_index_nospec(opcode, RF_UPSTREAM_IORING_REGISTER_LAST),
			 policy->register_op));
}

/*
 * Each set with parity holds the submit hook and counts in rf_parity_users,
 * so the submit path asks parity only while some task can need it. The put
 * may come from an RCU callback (a task's free): both are atomic-safe.
 */
int rf_policy_set_parity(struct rf_policy *policy)
{
	int ret;

	if (policy->seccomp_parity)
		return 0;
	ret = rf_hook_get(RF_HOOK_SUBMIT);
	if (ret)
		return ret;
	atomic_inc(&rf_parity_users);
	policy->seccomp_parity = true;
	return 0;
}

bool rf_policy_has_set(const struct rf_policy *policy)
{
	return policy->op_registered || policy->reg_registered || policy->filters;
}

void rf_policy_put(struct rf_policy *policy)
{
	if (policy && refcount_dec_and_test(&policy->ref)) {
		rf_filters_put(policy->filters);
		rf_stats_put(policy->stats);
		rf_policy_put(policy->log_only);
		rf_learn_put(policy->learn);
		if (policy->holds_submit_hook)
			rf_hook_put(RF_HOOK_SUBMIT);
		if (policy->seccomp_parity) {
			atomic_dec(&rf_parity_users);
			rf_hook_put(RF_HOOK_SUBMIT);
		}
		kfree_rcu(policy, rcu);
	}
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
