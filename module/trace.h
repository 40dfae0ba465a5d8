/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's own trace event, ringfence:deny: one per request or register
 * call a layer denies, or would deny in log-only mode (record.c). perf,
 * trace-cmd and bpftrace read it like any kernel event.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM ringfence

#if !defined(_RINGFENCE_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _RINGFENCE_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/ringfence.h>

#define RF_TRACE_DETAIL_LEN	64

#define RF_TRACE_LAYER(n, name, str)	{ n, str },

TRACE_EVENT(deny,

	TP_PROTO(const struct ringfence_record *rec, u32 ring, const char *detail),

	TP_ARGS(rec, ring, detail),

	TP_STRUCT__entry(
		__field(pid_t, pid)
		__array(char, comm, TASK_COMM_LEN)
		__field(u32, ring)
		__field(u16, kind)
		__field(u16, layer)
		__field(u32, flags)
		__field(int, error)
		__field(u8, opcode)
		__field(u8, sqe_flags)
		__array(char, detail, RF_TRACE_DETAIL_LEN)
	),

	TP_fast_assign(
		__entry->pid = task_pid_nr(current);
		memcpy(__entry->comm, current->comm, TASK_COMM_LEN);
		__entry->ring = ring;
		__entry->kind = rec->kind;
		__entry->layer = rec->layer;
		__entry->flags = rec->flags;
		__entry->error = rec->error;
		__entry->opcode = rec->ctx.opcode;
		__entry->sqe_flags = rec->ctx.sqe_flags;
		strscpy(__entry->detail, detail, RF_TRACE_DETAIL_LEN);
	),

	TP_printk("pid=%d comm=%s ring=%u %s=%u sqe_flags=0x%x layer=%s error=%d%s %s",
		  __entry->pid, __entry->comm, __entry->ring,
		  __entry->kind == RINGFENCE_RECORD_REGISTER ? "register" : "op",
		  __entry->opcode, __entry->sqe_flags,
		  __print_symbolic(__entry->layer, RINGFENCE_LAYERS(RF_TRACE_LAYER) { 255, "?" }),
		  __entry->error,
		  __entry->flags & RINGFENCE_RECORD_LOG_ONLY ? " log-only" : "",
		  __entry->detail)
);

#endif /* _RINGFENCE_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
