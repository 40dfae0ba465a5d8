// SPDX-License-Identifier: GPL-2.0
/*
 * Seccomp parity: a request is judged by the submitting task's own seccomp
 * filters, as the system call it stands for would be. The whole chain runs,
 * as seccomp runs it, on a struct seccomp_data built from the kernel's copy
 * of the request (after the opcode's prep, where filters run), and the
 * strictest action wins. ALLOW and LOG issue the request (LOG logs it),
 * ERRNO(n) fails it with -n, every other action (KILL_*, TRAP, TRACE,
 * USER_NOTIF) fails it with -EPERM: nothing is killed or signalled, since
 * the submitter may be an SQPOLL thread.
 *
 * The submitter is current at the submit tracepoint: the caller of
 * io_uring_enter(), or a ring's SQPOLL thread, which copy_process() gave
 * the filters its creator had when the ring was set up. Filters added later
 * count for the submitter's later requests, as for its system calls. The
 * map knows native system calls only: a 32-bit submitter's requests, or a
 * 32-bit task's ring's, are denied under parity.
 *
 * Switched on for every task with a seccomp filter by the seccomp_parity
 * parameter (once 1, it stays 1 and the module stays loaded), or for the
 * caller and everything it starts by the /dev/ringfence ioctl; off, it costs
 * nothing per request. The seccomp_filter chain is the kernel's private
 * struct: its layout is read from BTF at load, as is every command struct
 * the map reads; an opcode whose fields this kernel does not have is denied
 * under parity, never judged on the wrong bytes.
 */
#include <linux/audit.h>
#include <linux/compat.h>
#include <linux/filter.h>
#include <linux/fs.h>
#include <linux/io_uring_types.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <linux/string.h>
#include <asm/syscall.h>

#include "ringfence.h"
#include "btf.h"
#include "hook.h"
#include "parity.h"

/* ---- the map, as this kernel lays it out ---- */

struct rf_sc_field {
	u16 off;
	u8 size;
	bool is_signed;
};

struct rf_sc_res_arg {
	u8 src;
	struct rf_sc_field field;
	u64 clear, set, mask;
	long value, value2;
};

struct rf_sc_res {
	u8 kind;
	bool unavailable;	/* mapped, but this kernel lacks a field it reads */
	u8 nargs, alt_nargs, alt_test;
	int nr, alt_nr;
	struct rf_sc_res_arg arg[6];
	struct rf_sc_field alt;
	u64 alt_mask;
};

static struct rf_sc_res rf_sc_res[IORING_OP_LAST] __read_mostly;

/* Where this kernel keeps what the module reads of a seccomp filter. */
static struct {
	size_t prev, prog, cache, cache_bits;
} rf_sf __read_mostly;

/* ---- switching it on ---- */

/*
 * Whether the submit path must look at current's seccomp filters: the
 * system-wide switch counts 1, and every restriction set that has parity
 * on counts 1 (policy.c).
 */
atomic_t rf_parity_users = ATOMIC_INIT(0);

static bool rf_parity_all __read_mostly;
static bool rf_parity_ready;
static DEFINE_MUTEX(rf_parity_switch_lock);

/* The system-wide switch: one way, and it pins the module. */
static int rf_parity_switch_on(void)
{
	int ret;

	lockdep_assert_held(&rf_parity_switch_lock);
	ret = rf_hook_get(RF_HOOK_SUBMIT);
	if (ret)
		return ret;
	__module_get(THIS_MODULE);
	atomic_inc(&rf_parity_users);
	WRITE_ONCE(rf_parity_all, true);
	pr_info("seccomp parity on for every task with a seccomp filter, until reboot\n");
	return 0;
}

static int rf_parity_param_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int ret;

	ret = kstrtobool(val, &on);
	if (ret)
		return ret;
	mutex_lock(&rf_parity_switch_lock);
	if (!on)
		ret = READ_ONCE(rf_parity_all) ? -EPERM : 0;
	else if (!READ_ONCE(rf_parity_all))
		/* At load the hooks are not there yet: rf_parity_init() does it. */
		ret = rf_parity_ready ? rf_parity_switch_on() : 0;
	if (!ret && on)
		*(bool *)kp->arg = true;
	mutex_unlock(&rf_parity_switch_lock);
	return ret;
}

static bool rf_parity_param;
static const struct kernel_param_ops rf_parity_param_ops = {
	.set = rf_parity_param_set,
	.get = param_get_bool,
};
module_param_cb(seccomp_parity, &rf_parity_param_ops, &rf_parity_param, 0644);
MODULE_PARM_DESC(seccomp_parity,
		 "1: judge every io_uring request of a task with a seccomp filter by that filter (cannot be undone)");

/* ---- judging ---- */

static u64 rf_sc_read(const struct io_kiocb *req, const struct rf_sc_field *f)
{
	const void *p = (const char *)req + f->off;

	switch (f->size) {
	case 1:
		return f->is_signed ? (u64)(s64)*(const s8 *)p : *(const u8 *)p;
	case 2:
		return f->is_signed ? (u64)(s64)*(const s16 *)p : *(const u16 *)p;
	case 4:
		return f->is_signed ? (u64)(s64)*(const s32 *)p : *(const u32 *)p;
	default:
		return *(const u64 *)p;
	}
}

static u64 rf_sc_arg(const struct io_kiocb *req, const struct rf_sc_res_arg *a)
{
	const struct filename *name;

	switch (a->src) {
	case RF_SC_FD:
		return (u64)(s64)req->cqe.fd;
	case RF_SC_FIELD:
		return (rf_sc_read(req, &a->field) & ~a->clear) | a->set;
	case RF_SC_SELECT:
		return (u64)(rf_sc_read(req, &a->field) & a->mask ? a->value : a->value2);
	case RF_SC_FILENAME:
		/* The kernel's copy of the path; seccomp sees the user's pointer. */
		name = (const void *)(unsigned long)rf_sc_read(req, &a->field);
		return IS_ERR_OR_NULL(name) ? 0 : (u64)(unsigned long)name->uptr;
	case RF_SC_CONST:
		return (u64)a->value;
	default:
		return 0;
	}
}

/*
 * The number of the system call @req stands for; *@nargs how many of its
 * arguments the map gives.
 */
static int rf_sc_nr(const struct io_kiocb *req, const struct rf_sc_res *r,
		    unsigned int *nargs)
{
	bool alt = false;
	u64 v;

	if (r->alt_test != RF_SC_ALT_NONE) {
		v = rf_sc_read(req, &r->alt);
		alt = r->alt_test == RF_SC_ALT_IF_MINUS_ONE ? v == (u64)-1 :
							      (v & r->alt_mask);
	}
	*nargs = alt ? r->alt_nargs : r->nargs;
	return alt ? r->alt_nr : r->nr;
}

/* The rest of what seccomp would see of that call. */
static void rf_sc_data(const struct io_kiocb *req, const struct rf_sc_res *r,
		       int nr, unsigned int nargs, struct seccomp_data *sd)
{
	unsigned int i;

	memset(sd, 0, sizeof(*sd));
	sd->arch = RF_AUDIT_ARCH_NATIVE;
	sd->nr = nr;
	for (i = 0; i < nargs; i++)
		sd->args[i] = rf_sc_arg(req, &r->arg[i]);
}

#define RF_ACTION_ONLY(ret)	((s32)((ret) & SECCOMP_RET_ACTION_FULL))

static const void *rf_sf_ptr(const void *f, size_t off)
{
	return *(const void *const *)((const char *)f + off);
}

/*
 * seccomp's own action cache, as seccomp_cache_check_allow(): the newest
 * filter's bitmap says the whole chain allows @nr whatever its arguments.
 */
static bool rf_cache_allows(const void *f, int nr)
{
	return nr >= 0 && nr < rf_sf.cache_bits &&
	       test_bit(nr, (const unsigned long *)((const char *)f + rf_sf.cache));
}

/* seccomp_run_filters(), on our seccomp_data: the strictest action wins. */
static u32 rf_run_chain(const void *f, const struct seccomp_data *sd)
{
	u32 ret = SECCOMP_RET_ALLOW, cur;

	for (; f; f = rf_sf_ptr(f, rf_sf.prev)) {
		cur = bpf_prog_run(rf_sf_ptr(f, rf_sf.prog), sd);
		if (RF_ACTION_ONLY(cur) < RF_ACTION_ONLY(ret))
			ret = cur;
	}
	return ret;
}

static void rf_parity_log(const struct io_kiocb *req, const struct seccomp_data *sd,
			  u32 action)
{
	pr_info_ratelimited("seccomp parity: pid=%d comm=\"%s\" op=%u syscall=%d action=0x%x: logged\n",
			    task_pid_nr(current), current->comm, req->opcode, sd->nr,
			    action);
}

bool rf_parity_everyone(void)
{
	return READ_ONCE(rf_parity_all);
}

enum rf_parity_mode { RF_PARITY_OFF, RF_PARITY_ENFORCE, RF_PARITY_LOG_ONLY };

/*
 * Whether parity judges current's requests: on for everyone (the switch)
 * or for current's restriction set; or only records what it would deny
 * (current's log-only layers).
 */
static enum rf_parity_mode rf_parity_for_current(void)
{
	const struct rf_policy *policy;

	if (READ_ONCE(rf_parity_all))
		return RF_PARITY_ENFORCE;
	policy = rf_current_policy();
	if (policy && policy->seccomp_parity)
		return RF_PARITY_ENFORCE;
	if (policy && policy->log_only && policy->log_only->seccomp_parity)
		return RF_PARITY_LOG_ONLY;
	return RF_PARITY_OFF;
}

/* The errno a request fails with for seccomp's @action, neither ALLOW nor LOG. */
static int rf_parity_errno(u32 action)
{
	/* As seccomp: an errno past MAX_ERRNO is capped. */
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ERRNO)
		return -(int)min_t(u32, action & SECCOMP_RET_DATA, MAX_ERRNO);
	return -EPERM;
}

static void rf_parity_verdict(struct rf_verdict *v, enum rf_parity_mode mode, int err)
{
	if (!err || mode == RF_PARITY_OFF)
		return;
	if (mode == RF_PARITY_ENFORCE) {
		v->err = err;
		v->layer = RINGFENCE_LAYER_SECCOMP_PARITY;
	} else if (!v->log_only_layer) {
		v->log_only_err = err;
		v->log_only_layer = RINGFENCE_LAYER_SECCOMP_PARITY;
	}
}

/*
 * Whether seccomp would judge the request's system call with another arch
 * and other numbers than the map's native ones: a 32-bit (AArch32, ia32) or
 * x32 submitter, or a ring a 32-bit task set up, whose SQPOLL thread
 * submits for it. Such a request is denied under parity, never judged by
 * the wrong table.
 */
static bool rf_parity_caller_not_native(const struct io_kiocb *req)
{
	return req->ctx->compat || in_compat_syscall() ||
	       syscall_get_arch(current) != RF_AUDIT_ARCH_NATIVE;
}

/*
 * Whether current may do what its filters do not allow is asked last: an
 * allowed request, the common case, never needs the task lookup that
 * per-task parity costs.
 */
void notrace rf_parity_judge(struct io_kiocb *req, struct rf_verdict *v)
{
	const struct rf_sc_res *r;
	struct seccomp_data sd;
	unsigned int nargs;
	const void *f;
	u32 action;
	int nr;

	f = READ_ONCE(current->seccomp.filter);
	if (!f || req->opcode >= IORING_OP_LAST)
		return;
	r = &rf_sc_res[req->opcode];
	if (r->kind == RF_SC_INTERNAL)
		return;
	/* A request this kernel's map cannot describe: fail closed. */
	if (r->kind != RF_SC_SYSCALL || r->unavailable ||
	    rf_parity_caller_not_native(req)) {
		rf_parity_verdict(v, rf_parity_for_current(), -EPERM);
		return;
	}
	nr = rf_sc_nr(req, r, &nargs);
	if (rf_cache_allows(f, nr))
		return;
	rf_sc_data(req, r, nr, nargs, &sd);
	action = rf_run_chain(f, &sd);
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_ALLOW)
		return;
	if ((action & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_LOG) {
		if (rf_parity_for_current() == RF_PARITY_ENFORCE)
			rf_parity_log(req, &sd, action);
		return;
	}
	rf_parity_verdict(v, rf_parity_for_current(), rf_parity_errno(action));
}

/* ---- load ---- */

static int rf_sc_resolve_field(const struct rf_btf *btf, const char *cmd,
			       const char *path, struct rf_sc_field *f)
{
	struct rf_btf_field bf;
	int ret = rf_btf_field(btf, cmd, path, &bf);

	if (ret)
		return ret;
	/* It must lie inside the request's command area, and be a scalar. */
	if (bf.offset + bf.size > sizeof(struct io_cmd_data) ||
	    (bf.size != 1 && bf.size != 2 && bf.size != 4 && bf.size != 8))
		return -ENOEXEC;
	f->off = bf.offset;
	f->size = bf.size;
	f->is_signed = bf.is_signed;
	return 0;
}

static int rf_sc_resolve(const struct rf_btf *btf, unsigned int op)
{
	const struct rf_sc_entry *e = &rf_sc_map[op];
	struct rf_sc_res *r = &rf_sc_res[op];
	unsigned int i;
	int ret = 0;

	r->kind = e->kind;
	if (e->kind != RF_SC_SYSCALL)
		return 0;
	r->nr = e->nr;
	r->nargs = e->nargs;
	r->alt_test = e->alt_test;
	r->alt_nr = e->alt_nr;
	r->alt_nargs = e->alt_nargs;
	r->alt_mask = e->alt_mask;
	for (i = 0; !ret && i < e->nargs; i++) {
		const struct rf_sc_arg *a = &e->arg[i];
		struct rf_sc_res_arg *ra = &r->arg[i];

		ra->src = a->src;
		ra->value = a->value;
		ra->value2 = a->value2;
		ra->clear = a->clear;
		ra->set = a->set;
		ra->mask = a->mask;
		if (a->path)
			ret = rf_sc_resolve_field(btf, e->cmd, a->path, &ra->field);
	}
	if (!ret && e->alt_test != RF_SC_ALT_NONE)
		ret = rf_sc_resolve_field(btf, e->cmd, e->alt_path, &r->alt);
	if (ret) {
		r->unavailable = true;
		pr_info("seccomp parity: %s's %s has no field ringfence can read here; denied under parity\n",
			e->syscall, e->cmd);
	}
	return 0;
}

static int rf_sf_resolve(const struct rf_btf *btf)
{
	struct rf_btf_field prev, prog, cache;

	if (rf_btf_field(btf, "seccomp_filter", "prev", &prev) ||
	    rf_btf_field(btf, "seccomp_filter", "prog", &prog) ||
	    rf_btf_field(btf, "seccomp_filter", "cache.allow_native", &cache) ||
	    prev.size != sizeof(void *) || prog.size != sizeof(void *)) {
		pr_err("struct seccomp_filter is not laid out as ringfence can read it; refusing to load\n");
		return -ENOEXEC;
	}
	rf_sf.prev = prev.offset;
	rf_sf.prog = prog.offset;
	rf_sf.cache = cache.offset;
	rf_sf.cache_bits = cache.size * BITS_PER_BYTE;
	return 0;
}

int rf_parity_init(const struct rf_btf *btf)
{
	unsigned int op;
	int ret;

	ret = rf_sf_resolve(btf);
	if (ret)
		return ret;
	for (op = 0; op < IORING_OP_LAST; op++) {
		if (op < rf_sc_map_len) {
			ret = rf_sc_resolve(btf, op);
			if (ret)
				return ret;
		}
	}
	return 0;
}

/* After every hook is attached: a switch set at load takes effect now. */
int rf_parity_start(void)
{
	int ret = 0;

	mutex_lock(&rf_parity_switch_lock);
	rf_parity_ready = true;
	if (rf_parity_param)
		ret = rf_parity_switch_on();
	mutex_unlock(&rf_parity_switch_lock);
	return ret;
}

/* Where an argument comes from, in words, for `ringfence ops --seccomp`. */
static void rf_parity_describe_arg(const struct rf_sc_entry *e,
				   const struct rf_sc_arg *a, char *buf, size_t len)
{
	unsigned long long clear = a->clear, set = a->set, mask = a->mask;

	switch (a->src) {
	case RF_SC_FD:
		strscpy(buf, "fd", len);
		break;
	case RF_SC_FIELD:
		if (set)
			snprintf(buf, len, "%s.%s & ~0x%llx | 0x%llx", e->cmd, a->path,
				 clear, set);
		else if (clear)
			snprintf(buf, len, "%s.%s & ~0x%llx", e->cmd, a->path, clear);
		else
			snprintf(buf, len, "%s.%s", e->cmd, a->path);
		break;
	case RF_SC_SELECT:
		snprintf(buf, len, "%s.%s & 0x%llx ? %ld : %ld", e->cmd, a->path,
			 mask, a->value, a->value2);
		break;
	case RF_SC_FILENAME:
		snprintf(buf, len, "%s.%s->uptr", e->cmd, a->path);
		break;
	case RF_SC_CONST:
		snprintf(buf, len, "%ld", a->value);
		break;
	default:
		strscpy(buf, "0", len);
		break;
	}
}

/* What the map says of @op on this kernel, for RINGFENCE_IOC_SECCOMP_MAP. */
void rf_parity_describe(unsigned int op, struct ringfence_seccomp_op *out)
{
	const struct rf_sc_entry *e = op < rf_sc_map_len ? &rf_sc_map[op] : NULL;
	const struct rf_sc_res *r = op < IORING_OP_LAST ? &rf_sc_res[op] : NULL;
	unsigned int i;

	memset(out, 0, sizeof(*out));
	out->opcode = op;
	out->kind = RINGFENCE_SECCOMP_OP_UNKNOWN;
	if (!e || !r || e->kind == RF_SC_UNKNOWN)
		return;
	if (e->kind == RF_SC_INTERNAL) {
		out->kind = RINGFENCE_SECCOMP_OP_INTERNAL;
		strscpy(out->note, e->why ?: "", sizeof(out->note));
		return;
	}
	out->kind = r->unavailable ? RINGFENCE_SECCOMP_OP_UNAVAILABLE :
				     RINGFENCE_SECCOMP_OP_SYSCALL;
	out->nr = e->nr;
	out->nargs = e->nargs;
	strscpy(out->syscall, e->syscall, sizeof(out->syscall));
	for (i = 0; i < e->nargs; i++)
		rf_parity_describe_arg(e, &e->arg[i], out->args[i], sizeof(out->args[i]));
	if (e->alt_test != RF_SC_ALT_NONE) {
		out->alt_nr = e->alt_nr;
		out->alt_nargs = e->alt_nargs;
		strscpy(out->alt_syscall, e->alt_syscall, sizeof(out->alt_syscall));
		if (e->alt_test == RF_SC_ALT_IF_MINUS_ONE)
			snprintf(out->note, sizeof(out->note), "%s if %s.%s == -1",
				 e->alt_syscall, e->cmd, e->alt_path);
		else
			snprintf(out->note, sizeof(out->note), "%s if %s.%s & 0x%llx",
				 e->alt_syscall, e->cmd, e->alt_path,
				 (unsigned long long)e->alt_mask);
	}
}
