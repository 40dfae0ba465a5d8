// SPDX-License-Identifier: GPL-2.0
/*
 * cBPF filter tables: validation and import of a struct io_uring_bpf as
 * Linux 7.3 does it, the seccomp-style checker, and copy-on-write tables
 * shared by a task, its children and the rings they create.
 *
 * A table maps each opcode to a stack of filters, newest first. Tables and
 * filter nodes are immutable once published: adding a filter builds a new
 * table that shares every existing stack by reference, so an inherited task
 * or a new ring costs one reference, whatever the number of filters.
 */
#include <linux/filter.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/string.h>
#include <linux/nospec.h>
#include <linux/sched.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "hook.h"

struct rf_filter {
	refcount_t ref;
	struct bpf_prog *prog;		/* NULL: folded, it always allows */
	struct rf_filter *next;		/* older filter for the same opcode */
	u32 path_insns;			/* what running this stack costs */
	/* What status shows; fixed at registration. */
	u32 pid;			/* the registrant's tgid, init namespace */
	u16 len;
	u8 opcode;
	u8 layer;			/* RINGFENCE_LAYER_TASK_FILTER or _RING_FILTER */
	bool deny_rest;
};

/*
 * The permanent deny DENY_REST installs, one for each layer a filter can be
 * registered at; static, never counted or freed.
 */
static struct rf_filter rf_deny_task_filter = { .layer = RINGFENCE_LAYER_TASK_FILTER };
static struct rf_filter rf_deny_ring_filter = { .layer = RINGFENCE_LAYER_RING_FILTER };
/*
 * What a program that allows whatever the context says becomes: it can never
 * deny, so it is not run (seccomp's constant-action cache does the same),
 * but it still occupies its opcode's slot against DENY_REST. Only ever a
 * slot's sole entry; static like the deny.
 */
static struct rf_filter rf_allow_filter;

static bool rf_filter_is_deny(const struct rf_filter *f)
{
	return f == &rf_deny_task_filter || f == &rf_deny_ring_filter;
}

static bool rf_filter_is_static(const struct rf_filter *f)
{
	return rf_filter_is_deny(f) || f == &rf_allow_filter;
}

u8 notrace rf_filter_layer(const struct rf_filter *f)
{
	return f->layer;
}

/*
 * A request runs its opcode's whole stack with preemption off, so a user
 * could stall a CPU with enough stacked programs. seccomp's bound, as
 * seccomp counts it: the instructions of every filter on the path plus 4
 * for each, -ENOMEM past it. 7.x has no bound, but runs filters
 * preemptibly; no real policy comes near this one.
 */
#define RF_MAX_INSNS_PER_PATH	((1 << 18) / sizeof(struct sock_filter))

static u32 rf_filter_path_insns(const struct rf_filter *f)
{
	return f && !rf_filter_is_static(f) ? f->path_insns : 0;
}

struct rf_filters {
	refcount_t ref;
	struct rcu_head rcu;
	/* Read by submitters under RCU; written only before it is published. */
	struct rf_filter __rcu *op[RF_UPSTREAM_IORING_OP_LAST];
};

#define RF_BPF_FILTER_FLAGS	(IO_URING_BPF_FILTER_DENY_REST | \
				 IO_URING_BPF_FILTER_SZ_STRICT)

void rf_filter_put(struct rf_filter *f)
{
	while (f && !rf_filter_is_static(f) && refcount_dec_and_test(&f->ref)) {
		struct rf_filter *next = f->next;

		if (f->prog)
			bpf_prog_destroy(f->prog);
		kfree(f);
		f = next;
	}
}

static void rf_filters_free_rcu(struct rcu_head *rcu)
{
	struct rf_filters *t = container_of(rcu, struct rf_filters, rcu);
	int i;

	for (i = 0; i < RF_UPSTREAM_IORING_OP_LAST; i++)
		rf_filter_put(rcu_dereference_protected(t->op[i], true));
	kfree(t);
	rf_hook_put(RF_HOOK_SUBMIT);
}

void rf_filters_put(struct rf_filters *t)
{
	/* Submitters may still walk the table under RCU. */
	if (t && refcount_dec_and_test(&t->ref))
		call_rcu(&t->rcu, rf_filters_free_rcu);
}

struct rf_filters *rf_filters_get(struct rf_filters *t)
{
	if (t)
		refcount_inc(&t->ref);
	return t;
}

/*
 * The seccomp-style whitelist, with 7.2's rewrite of context loads: a 32-bit
 * absolute load becomes a direct load from the 40-byte context, and LEN
 * becomes its size. Everything that would read packet data is refused.
 */
#define RF_CBPF_CASE(code)	case code:

static int rf_check_cbpf(struct sock_filter *filter, unsigned int flen)
{
	unsigned int pc;

	for (pc = 0; pc < flen; pc++) {
		struct sock_filter *ftest = &filter[pc];
		u32 k = ftest->k;

		switch (ftest->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			ftest->code = BPF_LDX | BPF_W | BPF_ABS;
			if (k >= sizeof(struct io_uring_bpf_ctx) || k & 3)
				return -EINVAL;
			continue;
		case BPF_LD | BPF_W | BPF_LEN:
			ftest->code = BPF_LD | BPF_IMM;
			ftest->k = sizeof(struct io_uring_bpf_ctx);
			continue;
		case BPF_LDX | BPF_W | BPF_LEN:
			ftest->code = BPF_LDX | BPF_IMM;
			ftest->k = sizeof(struct io_uring_bpf_ctx);
			continue;
		RINGFENCE_CBPF_PLAIN_CODES(RF_CBPF_CASE)
			continue;
		default:
			return -EINVAL;
		}
	}
	return 0;
}

/*
 * Copies the user's struct once, validates it in 7.2's order and writes the
 * kernel's pdu_size back, on success too. cmd_flags may hold @cmd_flags.
 */
static int rf_filter_import(struct io_uring_bpf *reg,
			    struct io_uring_bpf __user *arg, u32 cmd_flags)
{
	u8 pdu_size;
	int ret = 0;

	if (copy_from_user(reg, arg, sizeof(*reg)))
		return -EFAULT;
	if (reg->cmd_type != IO_URING_BPF_CMD_FILTER)
		return -EINVAL;
	if ((reg->cmd_flags & ~cmd_flags) || reg->resv)
		return -EINVAL;
	if (reg->filter.opcode >= RF_UPSTREAM_IORING_OP_LAST)
		return -EINVAL;
	if (reg->filter.flags & ~RF_BPF_FILTER_FLAGS)
		return -EINVAL;
	if (memchr_inv(reg->filter.resv, 0, sizeof(reg->filter.resv)))
		return -EINVAL;
	if (memchr_inv(reg->filter.resv2, 0, sizeof(reg->filter.resv2)))
		return -EINVAL;
	if (!reg->filter.filter_len || reg->filter.filter_len > BPF_MAXINSNS)
		return -EINVAL;

	pdu_size = ringfence_filter_pdu_bytes(reg->filter.opcode);
	if (reg->filter.pdu_size == pdu_size)
		;
	else if (reg->filter.flags & IO_URING_BPF_FILTER_SZ_STRICT)
		ret = -EMSGSIZE;
	else if (reg->filter.pdu_size > pdu_size)
		ret = -EMSGSIZE;

	reg->filter.pdu_size = pdu_size;
	if (copy_to_user(&arg->filter, &reg->filter, sizeof(reg->filter)))
		return -EFAULT;
	return ret;
}

/* Programs this short keep their text long enough to be folded. */
#define RF_FOLD_MAX_LEN		8

/* True if @prog returns non-zero without reading anything. */
static bool rf_prog_always_allows(const struct bpf_prog *prog)
{
	const struct sock_fprog_kern *orig = prog->orig_prog;
	unsigned int pc = 0;

	/* The checker proved every jump lands inside the program. */
	while (orig && pc < orig->len) {
		const struct sock_filter *insn = &orig->filter[pc];

		if (insn->code == (BPF_JMP | BPF_JA))
			pc += insn->k + 1;
		else
			return insn->code == (BPF_RET | BPF_K) && insn->k;
	}
	return false;
}

/*
 * Builds the filter @arg describes, after the import's checks; a program
 * that always allows is folded (no program: the table keeps the static
 * allow entry for it).
 */
struct rf_filter *rf_filter_build(struct io_uring_bpf __user *arg, u8 layer,
				  bool *log_only)
{
	struct io_uring_bpf reg;
	struct sock_fprog fprog;
	struct bpf_prog *prog;
	struct rf_filter *f;
	bool fold;
	int ret;

	ret = rf_filter_import(&reg, arg, log_only ? RINGFENCE_REGISTER_LOG_ONLY : 0);
	if (ret)
		return ERR_PTR(ret);
	if (log_only)
		*log_only = reg.cmd_flags & RINGFENCE_REGISTER_LOG_ONLY;

	fprog.len = reg.filter.filter_len;
	fprog.filter = u64_to_user_ptr(reg.filter.filter_ptr);
	fold = fprog.len <= RF_FOLD_MAX_LEN;
	ret = bpf_prog_create_from_user(&prog, &fprog, rf_check_cbpf, fold);
	if (ret)
		return ERR_PTR(ret);
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f) {
		bpf_prog_destroy(prog);
		return ERR_PTR(-ENOMEM);
	}
	if (fold && rf_prog_always_allows(prog)) {
		bpf_prog_destroy(prog);
		prog = NULL;
	}
	refcount_set(&f->ref, 1);
	f->prog = prog;
	f->path_insns = prog ? fprog.len + 4 : 0;
	f->pid = task_tgid_nr(current);
	f->len = fprog.len;
	f->opcode = array_index_nospec(reg.filter.opcode, RF_UPSTREAM_IORING_OP_LAST);
	f->layer = layer;
	f->deny_rest = reg.filter.flags & IO_URING_BPF_FILTER_DENY_REST;
	return f;
}

/* -ENOMEM if putting @f on its opcode's stack in @t would pass the bound. */
static int rf_filters_check_path(const struct rf_filters *t, const struct rf_filter *f)
{
	const struct rf_filter *head = t ? rcu_dereference_raw(t->op[f->opcode]) : NULL;

	if (!f->prog)
		return 0;
	return f->path_insns + rf_filter_path_insns(head) > RF_MAX_INSNS_PER_PATH ?
	       -ENOMEM : 0;
}

/* Puts @f on top of its opcode's stack in @t, not yet published. */
static void rf_filters_insert(struct rf_filters *t, struct rf_filter *f)
{
	struct rf_filter *head, *deny;
	bool deny_rest = f->deny_rest;
	unsigned int i;

	deny = f->layer == RINGFENCE_LAYER_RING_FILTER ? &rf_deny_ring_filter :
							  &rf_deny_task_filter;
	/* The table is its builder's alone until it is published. */
	head = rcu_dereference_protected(t->op[f->opcode], true);
	if (!f->prog) {
		if (!head)
			rcu_assign_pointer(t->op[f->opcode], &rf_allow_filter);
		rf_filter_put(f);
	} else {
		/*
		 * The new filter takes over the table's reference on the old
		 * head; an allow entry below it would decide nothing.
		 */
		f->next = head == &rf_allow_filter ? NULL : head;
		f->path_insns += rf_filter_path_insns(f->next);
		rcu_assign_pointer(t->op[f->opcode], f);
	}

	/* A DENY_REST fill is permanent: a later filter stacks on top of it. */
	if (deny_rest)
		for (i = 0; i < RF_UPSTREAM_IORING_OP_LAST; i++)
			if (!rcu_access_pointer(t->op[i]))
				rcu_assign_pointer(t->op[i], deny);
}

/*
 * Returns a new table: @old's stacks (shared) plus @f. @old is not
 * changed, and whoever shares it does not see the new filter: 7.3 marks
 * both sides of a clone copy-on-write (50b617ba788e). ERR_PTR on any
 * failure, with @f put.
 */
struct rf_filters *rf_filters_add(struct rf_filters *old, struct rf_filter *f)
{
	struct rf_filters *t;
	struct rf_filter *f_old;
	unsigned int i;
	int ret;

	ret = rf_filters_check_path(old, f);
	if (ret)
		goto err;
	ret = -ENOMEM;
	t = kzalloc(sizeof(*t), GFP_KERNEL_ACCOUNT);
	if (!t)
		goto err;
	/* The submit probe must be live before the table can be used. */
	ret = rf_hook_get(RF_HOOK_SUBMIT);
	if (ret) {
		kfree(t);
		goto err;
	}
	refcount_set(&t->ref, 1);
	if (old) {
		for (i = 0; i < RF_UPSTREAM_IORING_OP_LAST; i++) {
			f_old = rcu_dereference_protected(old->op[i], true);
			if (f_old && !rf_filter_is_static(f_old))
				refcount_inc(&f_old->ref);
			RCU_INIT_POINTER(t->op[i], f_old);
		}
	}
	rf_filters_insert(t, f);
	return t;
err:
	rf_filter_put(f);
	return ERR_PTR(ret);
}

/* Every filter of @t, newest first within an opcode; caller holds a reference on @t. */
void rf_filters_describe(const struct rf_filters *t, struct ringfence_status_filters *out)
{
	const struct rf_filter *f;
	unsigned int i, n = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; t && i < RF_UPSTREAM_IORING_OP_LAST; i++) {
		for (f = rcu_dereference_raw(t->op[i]); f; f = f->next) {
			if (f == &rf_allow_filter)
				break;
			if (n < RINGFENCE_STATUS_MAX_FILTERS) {
				out->f[n].opcode = i;
				out->f[n].layer = f->layer;
				out->f[n].len = rf_filter_is_deny(f) ? 0 : f->len;
				out->f[n].pid = f->pid;
			}
			n++;
		}
	}
	out->nr = n;
}

unsigned int rf_filters_count(const struct rf_filters *t)
{
	const struct rf_filter *f;
	unsigned int i, n = 0;

	for (i = 0; t && i < RF_UPSTREAM_IORING_OP_LAST; i++)
		for (f = rcu_dereference_raw(t->op[i]); f && f != &rf_allow_filter; f = f->next)
			n++;
	return n;
}

const struct rf_filter *notrace rf_filters_stack(const struct rf_filters *t,
						 unsigned int opcode)
{
	const struct rf_filter *f;

	if (opcode >= RF_UPSTREAM_IORING_OP_LAST)
		return &rf_deny_task_filter;
	f = rcu_dereference_check(t->op[opcode], rcu_read_lock_any_held());
	return f == &rf_allow_filter ? NULL : f;
}

const struct rf_filter *notrace rf_filters_denier(const struct rf_filter *f,
						  const struct io_uring_bpf_ctx *bctx)
{
	/* On a stack, only the static denies have no program. */
	for (; f; f = f->next)
		if (!f->prog || !bpf_prog_run(f->prog, bctx))
			return f;
	return NULL;
}
