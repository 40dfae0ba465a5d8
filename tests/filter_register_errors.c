// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(fd, IORING_REGISTER_BPF_FILTER, struct io_uring_bpf *,
 * nr_args): who may register, which inputs are rejected with which errno,
 * the pdu_size write-back, the order in which 7.2 applies its checks
 * (io_register_bpf_filter_task, io_bpf_filter_import,
 * bpf_prog_create_from_user), and that a failed registration installs
 * nothing.
 *
 * The filter registered by these tests denies NOP, so whether a NOP on a
 * new ring runs shows whether anything was installed.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "bpf.h"
#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

/* 7.2's IORING_OP_LAST: opcodes 0..64 exist there. */
#define K72_OP_LAST	65

static const struct sock_filter deny_prog[] = { RF_RET(0) };
/* A program the checker refuses: byte loads are not allowed. */
static const struct sock_filter bad_prog[] = {
	BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 0),
	RF_RET(0),
};

/* A valid registration of a NOP-denying filter. */
static void valid(struct io_uring_bpf *reg)
{
	rf_bpf_init(reg, IORING_OP_NOP, 0, deny_prog, 1);
}

static int reg_task(struct io_uring_bpf *reg)
{
	return rf_bpf_register_raw(-1, reg, 1);
}

/*
 * Two pages, the second inaccessible: returns the address @before bytes
 * before the boundary, so that exactly @before bytes are readable.
 */
static void *before_hole(size_t before)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		rf_abort();
	if (mprotect(p + page, page, PROT_NONE))
		rf_abort();
	return p + page - before;
}

/* A copy of @reg in a page that can be read but not written. */
static struct io_uring_bpf *read_only_copy(const struct io_uring_bpf *reg)
{
	long page = sysconf(_SC_PAGESIZE);
	struct io_uring_bpf *p = mmap(NULL, page, PROT_READ | PROT_WRITE,
				      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		rf_abort();
	*p = *reg;
	if (mprotect(p, page, PROT_READ))
		rf_abort();
	return p;
}

/*
 * After a failed task registration, nothing is installed and the task has
 * no restriction set at all (so a classic registration is still possible).
 */
static void expect_unfiltered(void)
{
	EXPECT_RES(rf_new_ring_nop(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/* ---- privileges ---- */

TEST(unprivileged_without_nnp_eacces)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	valid(&reg);
	EXPECT_RES(reg_task(&reg), -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(unprivileged_with_nnp_succeeds)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	valid(&reg);
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(cap_sys_admin_without_nnp_succeeds)
{
	struct io_uring_bpf reg;

	ASSERT_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	valid(&reg);
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(root_without_cap_sys_admin_eacces)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_drop_cap_sys_admin(), 0);
	valid(&reg);
	EXPECT_RES(reg_task(&reg), -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(root_without_cap_sys_admin_with_nnp_succeeds)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_drop_cap_sys_admin(), 0);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	valid(&reg);
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/* A ring registration needs neither no_new_privs nor CAP_SYS_ADMIN. */
TEST(ring_registration_needs_no_privilege)
{
	struct io_uring_bpf reg;
	struct rf_ring r;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	rf_new_ring(&r);
	valid(&reg);
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 1), 0);
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

/* Unlike classic restrictions, filters stack: a second one is no -EPERM. */
TEST(second_task_registration_succeeds)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_bpf_allow(-1, IORING_OP_NOP), 0);
	valid(&reg);
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/* ---- bad input, one at a time ---- */

TEST(nr_args_0_and_2_einval)
{
	struct io_uring_bpf reg;
	struct rf_ring r;

	valid(&reg);
	EXPECT_RES(rf_bpf_register_raw(-1, &reg, 0), -EINVAL);
	EXPECT_RES(rf_bpf_register_raw(-1, &reg, 2), -EINVAL);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 0), -EINVAL);
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 2), -EINVAL);
	EXPECT_RES(rf_ring_nop(&r), 0);
	expect_unfiltered();
}

TEST(cmd_type_einval)
{
	static const uint16_t types[] = { 0, 2, 0xffff };
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		valid(&reg);
		reg.cmd_type = types[i];
		EXPECT_RES(reg_task(&reg), -EINVAL);
	}
	expect_unfiltered();
}

TEST(cmd_flags_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.cmd_flags = 1;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	reg.cmd_flags = 0x8000;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(resv_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.resv = 1;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	reg.resv = 0x80000000U;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(filter_resv_each_byte_einval)
{
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < sizeof(reg.filter.resv); i++) {
		valid(&reg);
		reg.filter.resv[i] = 1;
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("filter.resv[%u]", i);
		reg.filter.resv[i] = 0x80;
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("filter.resv[%u]", i);
	}
	expect_unfiltered();
}

TEST(filter_resv2_each_einval)
{
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < sizeof(reg.filter.resv2) / sizeof(reg.filter.resv2[0]); i++) {
		valid(&reg);
		reg.filter.resv2[i] = 1;
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("filter.resv2[%u]", i);
		reg.filter.resv2[i] = 1ULL << 63;
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("filter.resv2[%u]", i);
	}
	expect_unfiltered();
}

TEST(opcode_255_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.opcode = 255;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

/* opcode is 32 bits wide; no truncation to a byte. */
TEST(opcode_wide_values_einval)
{
	static const uint32_t ops[] = { 256, 0x100 | IORING_OP_NOP, 0xffffffffU };
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		valid(&reg);
		reg.filter.opcode = ops[i];
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("opcode 0x%x", ops[i]);
	}
	expect_unfiltered();
}

/* 7.2's limits, which a 7.2 program may rely on whatever the kernel knows. */
TEST(first_opcode_past_7_2_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.opcode = K72_OP_LAST;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(highest_7_2_opcode_accepted)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.opcode = K72_OP_LAST - 1;
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_EQ(reg.filter.pdu_size, 0);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(unknown_flags_einval)
{
	static const uint32_t flags[] = {
		4, 8, 0x80000000U, IO_URING_BPF_FILTER_DENY_REST | 4,
	};
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		valid(&reg);
		reg.filter.flags = flags[i];
		if (!EXPECT_RES(reg_task(&reg), -EINVAL))
			rf_note("flags 0x%x", flags[i]);
	}
	expect_unfiltered();
}

TEST(both_known_flags_accepted)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.flags = IO_URING_BPF_FILTER_DENY_REST |
			   IO_URING_BPF_FILTER_SZ_STRICT;
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(filter_len_0_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.filter_len = 0;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(filter_len_over_bpf_maxinsns_einval)
{
	size_t n = BPF_MAXINSNS + 1;
	struct sock_filter *p = calloc(n, sizeof(*p));
	struct io_uring_bpf reg;
	size_t i;

	ASSERT_TRUE(p != NULL);
	for (i = 0; i < n; i++)
		p[i] = (struct sock_filter)RF_RET(0);
	rf_bpf_init(&reg, IORING_OP_NOP, 0, p, n);
	EXPECT_RES(reg_task(&reg), -EINVAL);
	reg.filter.filter_len = 0xffffffffU;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(filter_len_bpf_maxinsns_accepted)
{
	size_t n = BPF_MAXINSNS;
	struct sock_filter *p = calloc(n, sizeof(*p));
	struct io_uring_bpf reg;
	size_t i;

	ASSERT_TRUE(p != NULL);
	for (i = 0; i + 1 < n; i++)
		p[i] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_IMM, (uint32_t)i);
	p[n - 1] = (struct sock_filter)RF_RET(0);
	rf_bpf_init(&reg, IORING_OP_NOP, 0, p, n);
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(null_arg_efault)
{
	struct rf_ring r;

	EXPECT_RES(rf_bpf_register_raw(-1, NULL, 1), -EFAULT);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_register_raw(r.fd, NULL, 1), -EFAULT);
	expect_unfiltered();
}

TEST(unmapped_arg_efault)
{
	EXPECT_RES(rf_bpf_register_raw(-1, before_hole(0), 1), -EFAULT);
	expect_unfiltered();
}

TEST(arg_cut_by_hole_efault)
{
	struct io_uring_bpf *reg = before_hole(sizeof(*reg) - 8);

	/* Everything but resv2[4] is readable. */
	memset(reg, 0, sizeof(*reg) - 8);
	reg->cmd_type = IO_URING_BPF_CMD_FILTER;
	reg->filter.opcode = IORING_OP_NOP;
	reg->filter.filter_len = 1;
	reg->filter.filter_ptr = (uintptr_t)deny_prog;
	EXPECT_RES(reg_task(reg), -EFAULT);
	expect_unfiltered();
}

/* The kernel writes the filter back (pdu_size): read-only memory faults. */
TEST(read_only_arg_efault)
{
	struct io_uring_bpf reg, *ro;

	valid(&reg);
	ro = read_only_copy(&reg);
	EXPECT_RES(reg_task(ro), -EFAULT);
	expect_unfiltered();
}

TEST(read_only_arg_on_ring_efault)
{
	struct io_uring_bpf reg, *ro;
	struct rf_ring r;

	valid(&reg);
	ro = read_only_copy(&reg);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_register_raw(r.fd, ro, 1), -EFAULT);
	EXPECT_RES(rf_ring_nop(&r), 0);
}

/* A NULL program is refused as malformed (bpf_check_basics_ok), not EFAULT. */
TEST(null_filter_ptr_einval)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.filter_ptr = 0;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

TEST(unmapped_filter_ptr_efault)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.filter_ptr = (uintptr_t)before_hole(0);
	EXPECT_RES(reg_task(&reg), -EFAULT);
	expect_unfiltered();
}

TEST(filter_last_insn_unmapped_efault)
{
	struct sock_filter *p = before_hole(sizeof(*p));
	struct io_uring_bpf reg;

	p[0] = (struct sock_filter)RF_RET(0);
	rf_bpf_init(&reg, IORING_OP_NOP, 0, p, 2);
	EXPECT_RES(reg_task(&reg), -EFAULT);
	/* The same single instruction is fine. */
	reg.filter.filter_len = 1;
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(ring_fd_not_io_uring_eopnotsupp)
{
	struct io_uring_bpf reg;
	int p[2];

	ASSERT_OK(pipe(p));
	valid(&reg);
	EXPECT_RES(rf_bpf_register_raw(p[0], &reg, 1), -EOPNOTSUPP);
	EXPECT_RES(rf_bpf_register_raw(1000, &reg, 1), -EBADF);
	EXPECT_RES(rf_bpf_register_raw(-2, &reg, 1), -EBADF);
	expect_unfiltered();
}

/* IORING_REGISTER_USE_REGISTERED_RING is stripped before fd == -1 is seen. */
TEST(use_registered_ring_bit_with_fd_minus_one_registers)
{
	struct io_uring_bpf reg;

	valid(&reg);
	EXPECT_RES(rf_sys_register(-1, RINGFENCE_IORING_REGISTER_BPF_FILTER |
				   RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING,
				   &reg, 1), 0);
	EXPECT_EQ(reg.filter.pdu_size, 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/* ---- pdu_size ---- */

struct pdu_case {
	uint32_t op;
	uint8_t size;	/* 7.2's filter_pdu_size */
	const char *name;
};

static const struct pdu_case pdu_cases[] = {
	{ IORING_OP_SOCKET, RF_PDU_SOCKET, "SOCKET" },
	{ IORING_OP_OPENAT, RF_PDU_OPEN, "OPENAT" },
	{ IORING_OP_OPENAT2, RF_PDU_OPEN, "OPENAT2" },
	{ IORING_OP_CONNECT, RF_PDU_CONNECT, "CONNECT" },
	{ IORING_OP_NOP, 0, "NOP" },
	{ IORING_OP_READ, 0, "READ" },
	{ IORING_OP_ACCEPT, 0, "ACCEPT" },
};

#define NR_PDU_CASES (sizeof(pdu_cases) / sizeof(pdu_cases[0]))

/*
 * Register an allow-all filter for @c on a new ring with @pdu and @flags:
 * returns the result, and the pdu_size found in the argument afterwards
 * in @out.
 */
static int pdu_try(const struct pdu_case *c, uint8_t pdu, uint32_t flags,
		   uint8_t *out)
{
	static const struct sock_filter allow[] = { RF_RET(1) };
	struct io_uring_bpf reg;
	struct rf_ring r;
	int ret;

	rf_new_ring(&r);
	rf_bpf_init(&reg, c->op, flags, allow, 1);
	reg.filter.pdu_size = pdu;
	ret = rf_bpf_register_raw(r.fd, &reg, 1);
	*out = reg.filter.pdu_size;
	rf_ring_exit(&r);
	return ret;
}

static void pdu_expect(const struct pdu_case *c, uint8_t pdu, uint32_t flags,
		       int exp)
{
	uint8_t out = 0xee;
	int ret = pdu_try(c, pdu, flags, &out);

	if (!EXPECT_RES(ret, exp) | !EXPECT_EQ(out, c->size))
		rf_note("%s with pdu_size %u, flags 0x%x", c->name, pdu, flags);
}

TEST(pdu_size_equal_succeeds)
{
	unsigned int i;

	for (i = 0; i < NR_PDU_CASES; i++) {
		pdu_expect(&pdu_cases[i], pdu_cases[i].size, 0, 0);
		pdu_expect(&pdu_cases[i], pdu_cases[i].size,
			   IO_URING_BPF_FILTER_SZ_STRICT, 0);
	}
}

TEST(pdu_size_larger_emsgsize_writes_back)
{
	unsigned int i;

	for (i = 0; i < NR_PDU_CASES; i++) {
		const struct pdu_case *c = &pdu_cases[i];

		pdu_expect(c, c->size + 1, 0, -EMSGSIZE);
		pdu_expect(c, 255, 0, -EMSGSIZE);
		pdu_expect(c, c->size + 1, IO_URING_BPF_FILTER_SZ_STRICT, -EMSGSIZE);
		pdu_expect(c, 255, IO_URING_BPF_FILTER_DENY_REST, -EMSGSIZE);
	}
}

/* An older program's smaller payload is fine unless it asks to be strict. */
TEST(pdu_size_smaller_succeeds_writes_back)
{
	unsigned int i;

	for (i = 0; i < NR_PDU_CASES; i++) {
		const struct pdu_case *c = &pdu_cases[i];

		if (!c->size)
			continue;
		pdu_expect(c, 0, 0, 0);
		pdu_expect(c, 1, 0, 0);
		pdu_expect(c, c->size - 1, 0, 0);
	}
}

TEST(pdu_size_smaller_strict_emsgsize_writes_back)
{
	unsigned int i;

	for (i = 0; i < NR_PDU_CASES; i++) {
		const struct pdu_case *c = &pdu_cases[i];

		if (!c->size)
			continue;
		pdu_expect(c, 0, IO_URING_BPF_FILTER_SZ_STRICT, -EMSGSIZE);
		pdu_expect(c, c->size - 4, IO_URING_BPF_FILTER_SZ_STRICT, -EMSGSIZE);
	}
}

/* The same on the task path; a refused size installs nothing. */
TEST(pdu_size_task_path)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.pdu_size = 1;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);
	EXPECT_EQ(reg.filter.pdu_size, 0);
	rf_bpf_init(&reg, IORING_OP_SOCKET, IO_URING_BPF_FILTER_SZ_STRICT,
		    deny_prog, 1);
	reg.filter.pdu_size = 24;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_SOCKET);
	expect_unfiltered();
}

TEST(pdu_size_write_back_on_task_success)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_OPENAT, 0, deny_prog, 1);
	reg.filter.pdu_size = 0;
	EXPECT_RES(reg_task(&reg), 0);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_OPEN);
}

/* The whole filter member is written back; only pdu_size changes. */
TEST(write_back_changes_only_pdu_size)
{
	struct io_uring_bpf reg, before;
	struct rf_ring r;

	rf_new_ring(&r);
	rf_bpf_init(&reg, IORING_OP_CONNECT, IO_URING_BPF_FILTER_DENY_REST,
		    deny_prog, 1);
	reg.filter.pdu_size = 8;
	before = reg;
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 1), 0);
	before.filter.pdu_size = RF_PDU_CONNECT;
	EXPECT_TRUE(!memcmp(&reg, &before, sizeof(reg)));

	reg.filter.pdu_size = 200;
	before = reg;
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 1), -EMSGSIZE);
	before.filter.pdu_size = RF_PDU_CONNECT;
	EXPECT_TRUE(!memcmp(&reg, &before, sizeof(reg)));
}

/* ---- the order of the checks ---- */

TEST(missing_privilege_beats_bad_arguments)
{
	struct io_uring_bpf reg;

	ASSERT_RES(rf_drop_to_nobody(), 0);
	valid(&reg);
	EXPECT_RES(rf_bpf_register_raw(-1, &reg, 2), -EACCES);
	EXPECT_RES(rf_bpf_register_raw(-1, &reg, 0), -EACCES);
	EXPECT_RES(rf_bpf_register_raw(-1, NULL, 1), -EACCES);
	reg.cmd_type = 0;
	EXPECT_RES(reg_task(&reg), -EACCES);
	/* Refused before the argument is read: nothing is written back. */
	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, deny_prog, 1);
	reg.filter.pdu_size = 200;
	EXPECT_RES(reg_task(&reg), -EACCES);
	EXPECT_EQ(reg.filter.pdu_size, 200);
}

TEST(nr_args_checked_before_pointer)
{
	struct rf_ring r;

	EXPECT_RES(rf_bpf_register_raw(-1, NULL, 2), -EINVAL);
	EXPECT_RES(rf_bpf_register_raw(-1, NULL, 0), -EINVAL);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_register_raw(r.fd, NULL, 2), -EINVAL);
	expect_unfiltered();
}

/*
 * Every -EINVAL of the argument itself comes before the pdu_size check:
 * no -EMSGSIZE, no write-back.
 */
TEST(argument_errors_beat_pdu_size)
{
	struct io_uring_bpf reg;
	unsigned int i;

	for (i = 0; i < 9; i++) {
		rf_bpf_init(&reg, IORING_OP_SOCKET, 0, deny_prog, 1);
		reg.filter.pdu_size = 200;
		switch (i) {
		case 0: reg.cmd_type = 2; break;
		case 1: reg.cmd_flags = 1; break;
		case 2: reg.resv = 1; break;
		case 3: reg.filter.opcode = 255; break;
		case 4: reg.filter.flags = 4; break;
		case 5: reg.filter.resv[2] = 1; break;
		case 6: reg.filter.resv2[4] = 1; break;
		case 7: reg.filter.filter_len = 0; break;
		case 8: reg.filter.filter_len = BPF_MAXINSNS + 1; break;
		}
		if (!EXPECT_RES(reg_task(&reg), -EINVAL) |
		    !EXPECT_EQ(reg.filter.pdu_size, 200))
			rf_note("case %u", i);
	}
	expect_unfiltered();
}

/* filter_len is checked before the program is read. */
TEST(filter_len_checked_before_program)
{
	struct io_uring_bpf reg;

	valid(&reg);
	reg.filter.filter_ptr = (uintptr_t)before_hole(0);
	reg.filter.filter_len = BPF_MAXINSNS + 1;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	reg.filter.filter_len = 0;
	EXPECT_RES(reg_task(&reg), -EINVAL);
	expect_unfiltered();
}

/* pdu_size is checked, and written back, before the program is looked at. */
TEST(pdu_size_beats_program_errors)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, bad_prog, 2);
	reg.filter.pdu_size = 200;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_SOCKET);

	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, NULL, 1);
	reg.filter.pdu_size = 200;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);

	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, before_hole(0), 1);
	reg.filter.pdu_size = 200;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);
	expect_unfiltered();
}

TEST(write_back_before_program_errors)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_OPENAT, 0, bad_prog, 2);
	EXPECT_RES(reg_task(&reg), -EINVAL);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_OPEN);

	rf_bpf_init(&reg, IORING_OP_OPENAT, 0, NULL, 1);
	EXPECT_RES(reg_task(&reg), -EINVAL);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_OPEN);

	rf_bpf_init(&reg, IORING_OP_OPENAT, 0, before_hole(0), 1);
	EXPECT_RES(reg_task(&reg), -EFAULT);
	EXPECT_EQ(reg.filter.pdu_size, RF_PDU_OPEN);
	expect_unfiltered();
}

/* A failed write-back beats both -EMSGSIZE and a bad program. */
TEST(write_back_fault_beats_pdu_size_and_program)
{
	struct io_uring_bpf reg;

	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, deny_prog, 1);
	reg.filter.pdu_size = 200;
	EXPECT_RES(reg_task(read_only_copy(&reg)), -EFAULT);
	rf_bpf_init(&reg, IORING_OP_SOCKET, 0, bad_prog, 2);
	EXPECT_RES(reg_task(read_only_copy(&reg)), -EFAULT);
	/* But argument errors come before the write-back. */
	reg.cmd_type = 0;
	EXPECT_RES(reg_task(read_only_copy(&reg)), -EINVAL);
	expect_unfiltered();
}

/* A failed registration leaves the filters a task already has as they are. */
TEST(failed_registration_keeps_existing_filters)
{
	struct io_uring_bpf reg;
	struct rf_ring r;
	char buf[1];

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	rf_bpf_init(&reg, IORING_OP_READ, IO_URING_BPF_FILTER_DENY_REST,
		    bad_prog, 2);
	EXPECT_RES(reg_task(&reg), -EINVAL);
	rf_bpf_init(&reg, IORING_OP_READ, IO_URING_BPF_FILTER_DENY_REST,
		    deny_prog, 1);
	reg.filter.pdu_size = 1;
	EXPECT_RES(reg_task(&reg), -EMSGSIZE);
	rf_new_ring(&r);
	EXPECT_RES(rf_ring_nop(&r), -EACCES);
	/* Neither the READ filter nor its DENY_REST got in. */
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, -1, buf, 1, 0);
	EXPECT_RES(rf_run1(&r), -EBADF);
}
