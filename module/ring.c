// SPDX-License-Identifier: GPL-2.0
/*
 * A ring created by a restricted task takes the task's restriction set for
 * its lifetime; a ring may also be given filters of its own.
 *
 * Classic restrictions are written into the ring's own struct io_restriction
 * (the 5.10 per-ring mechanism), so the kernel's io_check_restriction() in
 * io_init_req() and the register-opcode check in __io_uring_register()
 * enforce them: denial, the CQE, link-chain failure and batch accounting
 * are the kernel's own code paths.
 *
 * Filters live in a table keyed by ctx, read by the submit hook. Every
 * request on the system passes that hook while any filter exists, so a ring
 * must tell it in one load whether to look the ring up: a filtered ring
 * without a set of its own is given a fully open one, marked registered,
 * and the hook skips every ring whose set is not registered. An open set
 * restricts nothing if IORING_REGISTER_ENABLE_RINGS later applies it, and
 * the ring may still register its own over it. The kernel never clears
 * "registered", so a ring once filtered stays visible to the hook.
 *
 * Both are set up at io_sq_offload_create() entry (hooked by entry.c).
 * io_uring_create() calls it after allocating the ctx and rings but before
 * the SQPOLL thread is started or joined and before the ring's file and fd
 * exist, so nothing can submit to the ring before it is restricted: not a
 * sibling thread, not an SQPOLL thread, not a REGISTERED_FD_ONLY user. A ring's entry is removed at
 * io_destroy_buffers() entry, which only io_ring_ctx_free() calls, after the
 * SQPOLL thread let go of the ring and before the ctx is freed; so an entry
 * never outlives its ring and a reused address starts clean.
 */
#include <linux/io_uring_types.h>
#include <linux/bitmap.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/err.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "reserve.h"

struct rf_ring {
	struct hlist_node node;
	struct io_ring_ctx *ctx;
	/* Its filters, its creator's log-only layers and learning channel. */
	struct rf_ring_view view;
	/*
	 * The ring's restriction set was written by this module (inherited at
	 * creation, or the ring's own through IORING_REGISTER_RESTRICTIONS),
	 * and whether it allows IORING_REGISTER_BPF_FILTER, an opcode 6.x's
	 * register_op bitmap has no bit for. Set once, before the set applies.
	 */
	bool module_set;
	bool may_register_filters;
	/* The ring's set is the open one written for the submit hook. */
	bool open_set;
	/* Whose set the ring enforces: its creator's, or its own. */
	u8 set_layer;
	/* Its number in records, logs and status; never 0. */
	u32 id;
	atomic64_t denied[RINGFENCE_LAYER_NR];
	atomic64_t log_only_denied[RINGFENCE_LAYER_NR];
	struct rcu_head rcu;
};

#define RF_RING_HASH_BITS 12
static DEFINE_HASHTABLE(rf_rings, RF_RING_HASH_BITS);
/* Raw: taken in ftrace callbacks, also on PREEMPT_RT. */
static DEFINE_RAW_SPINLOCK(rf_rings_lock);
/* Entries for io_sq_offload_create() entry, where nothing may sleep. */
static struct rf_reserve rf_ring_reserve;
static atomic_t rf_nr_rings = ATOMIC_INIT(0);
static atomic_t rf_nr_filtered_rings = ATOMIC_INIT(0);
static atomic_t rf_ring_ids = ATOMIC_INIT(0);

bool notrace rf_ring_any(void)
{
	return atomic_read(&rf_nr_rings);
}

bool rf_ring_any_filters(void)
{
	return atomic_read(&rf_nr_filtered_rings);
}

static struct rf_ring *rf_ring_lookup(const struct io_ring_ctx *ctx)
{
	struct rf_ring *r;

	hash_for_each_possible_rcu(rf_rings, r, node, (unsigned long)ctx,
				   lockdep_is_held(&rf_rings_lock))
		if (r->ctx == ctx)
			return r;
	return NULL;
}

const struct rf_filters *notrace rf_ring_filters(const struct io_ring_ctx *ctx)
{
	struct rf_ring *r = rf_ring_lookup(ctx);

	return r ? rcu_dereference_check(r->view.filters, rcu_read_lock_any_held()) : NULL;
}

/* A ring without an entry: the kernel's own restrictions, nothing of ours. */
static const struct rf_ring_view rf_ring_view_none;

const struct rf_ring_view *notrace rf_ring_view(const struct io_ring_ctx *ctx)
{
	struct rf_ring *r = rf_ring_lookup(ctx);

	return r ? &r->view : &rf_ring_view_none;
}

u32 notrace rf_ring_note(const struct io_ring_ctx *ctx, const struct ringfence_record *rec,
			 struct rf_learn **learn)
{
	struct rf_ring *r = rf_ring_lookup(ctx);

	*learn = r ? r->view.learn : NULL;
	if (!r)
		return 0;
	if (rec->layer < RINGFENCE_LAYER_NR) {
		if (rec->flags & RINGFENCE_RECORD_DENIED)
			atomic64_inc(&r->denied[rec->layer]);
		else if (rec->flags & RINGFENCE_RECORD_LOG_ONLY)
			atomic64_inc(&r->log_only_denied[rec->layer]);
	}
	return r->id;
}

u8 notrace rf_ring_set_layer(const struct io_ring_ctx *ctx)
{
	struct rf_ring *r;
	u8 layer;

	rcu_read_lock();
	r = rf_ring_lookup(ctx);
	/* A ring the module has not seen set up had its set before the module. */
	layer = r && r->set_layer ? r->set_layer : RINGFENCE_LAYER_RING_RESTRICTION;
	rcu_read_unlock();
	return layer;
}

bool rf_ring_describe(const struct io_ring_ctx *ctx, struct ringfence_status_ring *out)
{
	struct rf_ring *r;
	unsigned int i;

	rcu_read_lock();
	r = rf_ring_lookup(ctx);
	if (r) {
		out->id = r->id;
		if (r->module_set && r->set_layer == RINGFENCE_LAYER_TASK_RESTRICTION)
			out->flags |= RINGFENCE_STATUS_RING_TASK_SET;
		else if (r->module_set)
			out->flags |= RINGFENCE_STATUS_RING_OWN_SET;
		if (r->view.log_only)
			out->flags |= RINGFENCE_STATUS_RING_LOG_ONLY;
		if (r->view.learn)
			out->flags |= RINGFENCE_STATUS_RING_LEARNING;
		out->nr_filters = rf_filters_count(rcu_dereference(r->view.filters));
		for (i = 0; i < RINGFENCE_LAYER_NR; i++) {
			out->denied[i] = atomic64_read(&r->denied[i]);
			out->log_only[i] = atomic64_read(&r->log_only_denied[i]);
		}
	} else if (ctx->restricted) {
		out->flags |= RINGFENCE_STATUS_RING_OWN_SET;
	}
	rcu_read_unlock();
	return out->id;
}

static void rf_ring_publish(struct rf_ring *r)
{
	unsigned long flags;

	__module_get(THIS_MODULE);
	raw_spin_lock_irqsave(&rf_rings_lock, flags);
	hash_add_rcu(rf_rings, &r->node, (unsigned long)r->ctx);
	atomic_inc(&rf_nr_rings);
	if (rcu_access_pointer(r->view.filters))
		atomic_inc(&rf_nr_filtered_rings);
	raw_spin_unlock_irqrestore(&rf_rings_lock, flags);
}

/*
 * 7.0 split the ring's single "restricted" flag into SQE-op and register-op
 * restriction. 6.x has the single flag, so the half a set does not restrict
 * is opened fully. The set is marked registered, so there is no second
 * IORING_REGISTER_RESTRICTIONS; the caller decides when it applies.
 */
static void rf_ring_write_set(struct io_ring_ctx *ctx,
			      const struct rf_policy *policy)
{
	struct io_restriction *r = &ctx->restrictions;

	BUILD_BUG_ON(IORING_OP_LAST > RF_UPSTREAM_IORING_OP_LAST);
	BUILD_BUG_ON(IORING_REGISTER_LAST > RF_UPSTREAM_IORING_REGISTER_LAST);

	if (policy->op_registered) {
		bitmap_copy(r->sqe_op, policy->sqe_op, IORING_OP_LAST);
		r->sqe_flags_allowed = policy->sqe_flags_allowed;
		r->sqe_flags_required = policy->sqe_flags_required;
	} else {
		bitmap_fill(r->sqe_op, IORING_OP_LAST);
		r->sqe_flags_allowed = 0xff;
		r->sqe_flags_required = 0;
	}
	if (policy->reg_registered)
		bitmap_copy(r->register_op, policy->register_op,
			    IORING_REGISTER_LAST);
	else
		bitmap_fill(r->register_op, IORING_REGISTER_LAST);
	r->registered = true;
}

/*
 * Marks a filtered ring without a set for the submit hook. The caller holds
 * ctx->uring_lock, or has a ctx no one else can reach yet.
 */
static void rf_ring_write_open_set(struct io_ring_ctx *ctx, struct rf_ring *r)
{
	struct io_restriction *res = &ctx->restrictions;

	if (res->registered)
		return;
	bitmap_fill(res->sqe_op, IORING_OP_LAST);
	bitmap_fill(res->register_op, IORING_REGISTER_LAST);
	res->sqe_flags_allowed = 0xff;
	res->sqe_flags_required = 0;
	WRITE_ONCE(res->registered, true);
	r->open_set = true;
}

/*
 * At io_sq_offload_create() entry, inside io_uring_setup() by current: @ctx
 * is a new ring no one else can reach yet. -ENOMEM fails the setup, rather
 * than let a restricted task's ring run unrestricted. Atomic: ftrace
 * callbacks cannot sleep.
 */
int rf_ring_created(struct io_ring_ctx *ctx)
{
	struct rf_policy *policy;
	struct rf_ring *r;

	policy = rf_current_policy();
	if (!policy)
		return 0;

	r = rf_reserve_take(&rf_ring_reserve);
	if (!r)
		return -ENOMEM;
	r->ctx = ctx;
	r->id = atomic_inc_return(&rf_ring_ids) ?: atomic_inc_return(&rf_ring_ids);
	r->module_set = policy->op_registered || policy->reg_registered;
	r->may_register_filters =
		rf_policy_allows_register_op(policy, RINGFENCE_IORING_REGISTER_BPF_FILTER);
	RCU_INIT_POINTER(r->view.filters, rf_filters_get(policy->filters));
	r->view.log_only = rf_policy_get(policy->log_only);
	r->view.learn = rf_learn_get(policy->learn);
	r->view.records = r->view.log_only || r->view.learn;
	if (r->module_set) {
		/* An inherited set applies at once, as on 7.x. */
		r->set_layer = RINGFENCE_LAYER_TASK_RESTRICTION;
		rf_ring_write_set(ctx, policy);
		ctx->restricted = 1;
	} else if (policy->filters || r->view.log_only || r->view.learn) {
		/* The submit hook must see its requests. */
		rf_ring_write_open_set(ctx, r);
	}
	rf_ring_publish(r);
	return 0;
}

static void rf_ring_free_rcu(struct rcu_head *rcu)
{
	struct rf_ring *r = container_of(rcu, struct rf_ring, rcu);

	rf_filters_put(rcu_dereference_protected(r->view.filters, 1));
	rf_policy_put(r->view.log_only);
	rf_learn_put(r->view.learn);
	kfree(r);
}

/* When io_ring_ctx_free() frees @ctx, with no submitter left. */
void rf_ring_gone(struct io_ring_ctx *ctx)
{
	unsigned long flags;
	struct rf_ring *r;

	if (!atomic_read(&rf_nr_rings))
		return;
	raw_spin_lock_irqsave(&rf_rings_lock, flags);
	r = rf_ring_lookup(ctx);
	if (r) {
		hash_del_rcu(&r->node);
		atomic_dec(&rf_nr_rings);
		if (rcu_access_pointer(r->view.filters))
			atomic_dec(&rf_nr_filtered_rings);
	}
	raw_spin_unlock_irqrestore(&rf_rings_lock, flags);
	if (r) {
		call_rcu(&r->rcu, rf_ring_free_rcu);
		module_put(THIS_MODULE);
	}
}

/*
 * 7.2 checks a ring's register-op restrictions unless the ring is disabled
 * and the set is its own; ctx->restricted is set by an inherited set, or by
 * IORING_REGISTER_ENABLE_RINGS for the ring's own. Sets registered before
 * the module was loaded are the only ones it has not seen: they could not
 * name this opcode, so they do not allow it. Caller holds uring_lock.
 */
static int rf_ring_check_register_filter(struct io_ring_ctx *ctx)
{
	struct rf_ring *r;
	bool allowed;

	lockdep_assert_held(&ctx->uring_lock);
	if (!ctx->restricted)
		return 0;
	rcu_read_lock();
	r = rf_ring_lookup(ctx);
	allowed = r && (r->module_set ? r->may_register_filters : r->open_set);
	rcu_read_unlock();
	return allowed ? 0 : -EACCES;
}

/*
 * Finds or adds @ctx's entry. The ring's uring_lock serialises this, as it
 * serialises all of a ring's registration on 7.x; nothing global is held,
 * so a caller stalled in a user copy holds up no one else's ring.
 */
static struct rf_ring *rf_ring_get_entry(struct io_ring_ctx *ctx)
{
	struct rf_ring *r;

	lockdep_assert_held(&ctx->uring_lock);
	rcu_read_lock();
	r = rf_ring_lookup(ctx);
	rcu_read_unlock();
	if (r)
		return r;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return NULL;
	r->ctx = ctx;
	r->id = atomic_inc_return(&rf_ring_ids) ?: atomic_inc_return(&rf_ring_ids);
	rf_ring_publish(r);
	return r;
}

/*
 * 7.2's __io_uring_register() for IORING_REGISTER_BPF_FILTER on a ring.
 * Caller holds a reference to the ring's file, which keeps the ring, and
 * so its entry, alive.
 */
int rf_ring_add_filter(struct io_ring_ctx *ctx, struct io_uring_bpf __user *arg,
		       unsigned int nr_args)
{
	struct rf_filters *old, *t;
	struct rf_filter *f;
	unsigned long flags;
	struct rf_ring *r;
	int ret;

	/* 7.x holds it here too; it keeps ENABLE_RINGS off a half-written set. */
	mutex_lock(&ctx->uring_lock);
	if (ctx->submitter_task && ctx->submitter_task != current) {
		ret = -EEXIST;
		goto out;
	}
	ret = rf_ring_check_register_filter(ctx);
	if (ret)
		goto out;
	if (nr_args != 1) {
		ret = -EINVAL;
		goto out;
	}
	r = rf_ring_get_entry(ctx);
	if (!r) {
		ret = -ENOMEM;
		goto out;
	}
	old = rcu_dereference_protected(r->view.filters,
					lockdep_is_held(&ctx->uring_lock));
	f = rf_filter_build(arg, RINGFENCE_LAYER_RING_FILTER, NULL);
	if (IS_ERR(f)) {
		ret = PTR_ERR(f);
		goto out;
	}
	t = rf_filters_add(old, f);
	if (IS_ERR(t)) {
		ret = PTR_ERR(t);
		goto out;
	}
	/* Marked first: once this call returns, no submission skips the ring. */
	rf_ring_write_open_set(ctx, r);
	raw_spin_lock_irqsave(&rf_rings_lock, flags);
	rcu_assign_pointer(r->view.filters, t);
	if (!old)
		atomic_inc(&rf_nr_filtered_rings);
	raw_spin_unlock_irqrestore(&rf_rings_lock, flags);
	rf_filters_put(old);
out:
	mutex_unlock(&ctx->uring_lock);
	return ret;
}

/* A set that restricts: registered, and not the hook's open set. */
static bool rf_ring_set_restricts(struct io_ring_ctx *ctx)
{
	struct rf_ring *r;
	bool open;

	lockdep_assert_held(&ctx->uring_lock);
	if (!ctx->restrictions.registered)
		return false;
	rcu_read_lock();
	r = rf_ring_lookup(ctx);
	open = r && r->open_set;
	rcu_read_unlock();
	return !open;
}

/*
 * 7.2's __io_uring_register() and io_register_restrictions() for a ring's
 * own set, taken over from 6.x's so that the set may name
 * IORING_REGISTER_BPF_FILTER and gets 7.0's split between SQE-op and
 * register-op restriction. Caller holds a reference to the ring's file.
 */
int rf_ring_register_restrictions(struct io_ring_ctx *ctx, void __user *arg,
				  unsigned int nr_args)
{
	struct rf_policy *policy;
	struct rf_ring *r;
	int ret;

	mutex_lock(&ctx->uring_lock);
	if (ctx->submitter_task && ctx->submitter_task != current) {
		ret = -EEXIST;
		goto out;
	}
	if (ctx->restricted &&
	    !test_bit(IORING_REGISTER_RESTRICTIONS, ctx->restrictions.register_op)) {
		ret = -EACCES;
		goto out;
	}
	if (!(ctx->flags & IORING_SETUP_R_DISABLED)) {
		ret = -EBADFD;
		goto out;
	}
	if (rf_ring_set_restricts(ctx)) {
		ret = -EBUSY;
		goto out;
	}

	policy = rf_policy_alloc();
	if (!policy) {
		ret = -ENOMEM;
		goto out;
	}
	ret = rf_policy_parse(policy, arg, nr_args);
	if (!ret) {
		r = rf_ring_get_entry(ctx);
		if (r) {
			r->may_register_filters =
				rf_policy_allows_register_op(policy,
							     RINGFENCE_IORING_REGISTER_BPF_FILTER);
			r->module_set = true;
			r->set_layer = RINGFENCE_LAYER_RING_RESTRICTION;
			r->open_set = false;
			/* The kernel's ENABLE_RINGS sets ctx->restricted. */
			rf_ring_write_set(ctx, policy);
		} else {
			ret = -ENOMEM;
		}
	}
	rf_policy_put(policy);
out:
	mutex_unlock(&ctx->uring_lock);
	return ret;
}

int rf_ring_init(void)
{
	return rf_reserve_init(&rf_ring_reserve, sizeof(struct rf_ring));
}

/*
 * Only reached with no entry left (each holds a module reference), after
 * the RCU callbacks that free them have run.
 */
void rf_ring_exit(void)
{
	WARN_ON(atomic_read(&rf_nr_rings));
	rf_reserve_exit(&rf_ring_reserve);
}
