/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Seccomp parity's map (parity_map.c): for each io_uring opcode, the system
 * call it stands for and where in the kernel's copy of the request each
 * argument is. parity.c resolves it against the running kernel's BTF at
 * load and judges requests with it.
 */
#ifndef _RINGFENCE_PARITY_H
#define _RINGFENCE_PARITY_H

#include <linux/types.h>

enum rf_sc_kind {
	RF_SC_UNKNOWN,		/* not in the map: denied under parity */
	RF_SC_INTERNAL,		/* no system call does this: passes */
	RF_SC_SYSCALL,		/* judged as the system call below */
};

enum rf_sc_src {
	RF_SC_ZERO,		/* the argument is 0 */
	RF_SC_FD,		/* req->cqe.fd: the SQE's fd, as io_init_req() copied it */
	RF_SC_FIELD,		/* a member of the opcode's command struct */
	RF_SC_FILENAME,		/* a struct filename * member: its user pointer */
	RF_SC_CONST,		/* a constant */
	RF_SC_SELECT,		/* one of two constants, by the bits of a member */
};

struct rf_sc_arg {
	u8 src;
	const char *path;	/* FIELD, FILENAME, SELECT: member path */
	/*
	 * FIELD: bits the prep added that the system call would not carry
	 * (clear), or that it would (set): (value & ~clear) | set.
	 */
	u64 clear, set;
	u64 mask;		/* SELECT: member & mask ? value : value2 */
	long value, value2;	/* CONST: value */
};

/* How the alternative system call is chosen: by a field of the request. */
enum rf_sc_alt_test {
	RF_SC_ALT_NONE,
	RF_SC_ALT_IF_MINUS_ONE,	/* the field is -1 (an offset of "current position") */
	RF_SC_ALT_IF_BITS,	/* the field has any bit of mask */
};

struct rf_sc_entry {
	u8 kind;
	const char *cmd;		/* the command struct, e.g. "io_rw" */
	const char *syscall;		/* as seccomp and libseccomp name it */
	int nr;				/* __NR_* */
	u8 nargs;
	struct rf_sc_arg arg[6];
	/* The other system call the opcode may stand for, and when. */
	u8 alt_test;
	const char *alt_path;		/* member of @cmd tested */
	u64 alt_mask;
	const char *alt_syscall;
	int alt_nr;
	u8 alt_nargs;			/* the alternative takes the first alt_nargs */
	const char *why;		/* for internal opcodes: why none */
};

/* Indexed by opcode; entries past rf_sc_map_len are RF_SC_UNKNOWN. */
extern const struct rf_sc_entry rf_sc_map[];
extern const unsigned int rf_sc_map_len;

#endif /* _RINGFENCE_PARITY_H */
