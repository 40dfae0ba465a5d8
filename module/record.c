// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to a request a layer denies, or would deny in log-only
 * mode, and to every request of a learning ring: it is counted (per ring
 * and per task tree), traced (ringfence:deny), logged (rate-limited, when
 * log_denials is on) and, on a learning ring, noted for the learner.
 *
 * The log line, one per record (docs/observability.md has the format):
 *   ringfence: denied pid=PID comm="COMM" ring=N op=NAME layer=LAYER error=-E [DETAIL]
 * with "would deny (log-only)" for a log-only layer and register=NAME for
 * a register call. At most 10 lines every 5 seconds, as the kernel
 * rate-limits: a denied loop cannot flood the log; the counters and the
 * trace event miss nothing.
 *
 * Every caller has preemption off or holds nothing; nothing here sleeps or
 * allocates.
 */
#include <linux/ctype.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/io_uring_types.h>
#include <linux/moduleparam.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>

#include <linux/ringfence.h>
#include "ringfence.h"

#define CREATE_TRACE_POINTS
#include "trace.h"

static bool rf_log_denials = true;
module_param_named(log_denials, rf_log_denials, bool, 0644);
MODULE_PARM_DESC(log_denials, "log each denial, rate-limited (default on)");

static DEFINE_RATELIMIT_STATE(rf_log_ratelimit, 5 * HZ, 10);

#define RF_NAME(n, name)		[n] = #name,
#define RF_LAYER_NAME(n, name, str)	[n] = str,

static const char *const rf_op_names[] = { RINGFENCE_IORING_OPS(RF_NAME) };
static const char *const rf_register_names[] = { RINGFENCE_IORING_REGISTER_OPS(RF_NAME) };
static const char *const rf_layer_names[] = { RINGFENCE_LAYERS(RF_LAYER_NAME) };

static const char *rf_name(const char *const *names, unsigned int n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}

/* The payload a filter sees, in brief: what the log line and the event show. */
static void rf_record_detail(const struct ringfence_record *rec, char *buf,
			     size_t len)
{
	const struct io_uring_bpf_ctx *c = &rec->ctx;

	buf[0] = '\0';
	if (rec->kind != RINGFENCE_RECORD_SQE || !c->pdu_size)
		return;
	switch (c->opcode) {
	case IORING_OP_SOCKET:
		snprintf(buf, len, "family=%u type=%u protocol=%u", c->socket.family,
			 c->socket.type, c->socket.protocol);
		break;
	case IORING_OP_OPENAT:
	case IORING_OP_OPENAT2:
		snprintf(buf, len, "open_flags=0x%llx mode=0%llo", c->open.flags,
			 c->open.mode);
		break;
	case IORING_OP_CONNECT:
		if (c->connect.family == AF_INET)
			snprintf(buf, len, "connect=%pI4:%u", &c->connect.v4_addr,
				 ntohs(c->connect.port));
		else if (c->connect.family == AF_INET6)
			snprintf(buf, len, "connect=[%pI6c]:%u", c->connect.v6_addr,
				 ntohs(c->connect.port));
		else
			snprintf(buf, len, "connect_family=%u", c->connect.family);
		break;
	}
}

/*
 * The task names itself (prctl(PR_SET_NAME)): a newline or a quote in its
 * name must not forge a line or a field of the log.
 */
static void rf_log_comm(char *out)
{
	unsigned int i;

	strscpy(out, current->comm, TASK_COMM_LEN);
	for (i = 0; out[i]; i++)
		if (!isprint(out[i]) || out[i] == '"' || out[i] == '\\')
			out[i] = '?';
}

static void rf_record_log(const struct ringfence_record *rec, u32 ring,
			  const char *detail)
{
	bool reg = rec->kind == RINGFENCE_RECORD_REGISTER;
	char comm[TASK_COMM_LEN];

	if (!READ_ONCE(rf_log_denials) || !__ratelimit(&rf_log_ratelimit))
		return;
	rf_log_comm(comm);
	pr_info("%s pid=%d comm=\"%s\" ring=%u %s=%s layer=%s error=%d%s%s\n",
		rec->flags & RINGFENCE_RECORD_LOG_ONLY ? "would deny (log-only)" : "denied",
		task_pid_nr(current), comm, ring, reg ? "register" : "op",
		reg ? rf_name(rf_register_names, ARRAY_SIZE(rf_register_names), rec->ctx.opcode) :
		      rf_name(rf_op_names, ARRAY_SIZE(rf_op_names), rec->ctx.opcode),
		rf_name(rf_layer_names, ARRAY_SIZE(rf_layer_names), rec->layer), rec->error,
		*detail ? " " : "", detail);
}

/*
 * Records @rec of a request or register call on @ctx (NULL: a blind call).
 * A denied or log-only record is counted, traced and logged; on a learning
 * ring (or, for a blind call, of a learning task) every record is noted.
 */
void notrace rf_record(const struct io_ring_ctx *ctx, const struct ringfence_record *rec)
{
	char detail[RF_TRACE_DETAIL_LEN];
	struct rf_learn *learn = NULL;
	u32 ring = 0;

	rcu_read_lock();
	if (ctx)
		ring = rf_ring_note(ctx, rec, &learn);
	else if (rf_learn_any())
		learn = rf_task_learn();
	if (rec->flags & (RINGFENCE_RECORD_DENIED | RINGFENCE_RECORD_LOG_ONLY)) {
		rf_task_count(rec);
		rf_record_detail(rec, detail, sizeof(detail));
		trace_deny(rec, ring, detail);
		rf_record_log(rec, ring, detail);
	}
	if (learn)
		rf_learn_note(learn, rec);
	rcu_read_unlock();
}

/* A record of @req, with what denied it; the payload is the caller's to fill. */
void notrace rf_record_init_sqe(struct ringfence_record *rec, const struct io_kiocb *req)
{
	memset(rec, 0, sizeof(*rec));
	rec->kind = RINGFENCE_RECORD_SQE;
	rec->ctx.opcode = req->opcode;
	rec->ctx.sqe_flags = rf_req_sqe_flags(req);
}

/* The kernel refused @req with -EACCES at io_init_req(): its ring's set did. */
void notrace rf_record_restriction_denial(struct io_kiocb *req)
{
	struct ringfence_record rec;

	rf_record_init_sqe(&rec, req);
	rec.flags = RINGFENCE_RECORD_DENIED;
	rec.layer = rf_ring_set_layer(req->ctx);
	rec.error = -EACCES;
	rf_record(req->ctx, &rec);
}

/*
 * A register call with @opcode on @ctx (NULL: fd -1): @err is what it
 * returned or returns, @flags RINGFENCE_RECORD_*.
 */
void notrace rf_record_register(const struct io_ring_ctx *ctx, unsigned int opcode,
				u8 layer, int err, u32 flags)
{
	struct ringfence_record rec;

	memset(&rec, 0, sizeof(rec));
	rec.kind = RINGFENCE_RECORD_REGISTER;
	rec.ctx.opcode = opcode & ~RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING;
	rec.layer = layer;
	rec.error = err;
	rec.flags = flags | (ctx ? 0 : RINGFENCE_RECORD_BLIND);
	rf_record(ctx, &rec);
}
