// SPDX-License-Identifier: GPL-2.0
/*
 * io_uring_register(-1, IORING_REGISTER_RESTRICTIONS, arg, nr_args): who may
 * register, which inputs are rejected with which errno, in which order 7.2
 * applies its checks (io_register_restrictions_task), and that a failed
 * registration leaves the task unrestricted.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "privs.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

#define TR_SIZE(n) \
	(sizeof(struct io_uring_task_restriction) + \
	 (n) * sizeof(struct io_uring_restriction))

/* A header with @nr NOP entries; free() it. */
static struct io_uring_task_restriction *nop_set(unsigned int nr)
{
	struct io_uring_task_restriction *tr = calloc(1, TR_SIZE(nr));
	unsigned int i;

	if (!tr)
		rf_abort();
	tr->nr_res = (uint16_t)nr;
	for (i = 0; i < nr; i++)
		tr->restrictions[i] = rf_r_sqe_op(IORING_OP_NOP);
	return tr;
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

/* After a failed registration, the task must still be free to register. */
static void expect_unrestricted(void)
{
	EXPECT_RES(rf_new_ring_nop(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

static int register_tr(struct io_uring_task_restriction *tr)
{
	return rf_register_task_raw(tr, 1);
}

/* ---- privileges ---- */

TEST(unprivileged_without_nnp_eacces)
{
	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(unprivileged_with_nnp_succeeds)
{
	ASSERT_RES(rf_drop_to_nobody(), 0);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(cap_sys_admin_without_nnp_succeeds)
{
	ASSERT_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(root_without_cap_sys_admin_eacces)
{
	ASSERT_RES(rf_drop_cap_sys_admin(), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), -EACCES);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(root_without_cap_sys_admin_with_nnp_succeeds)
{
	ASSERT_RES(rf_drop_cap_sys_admin(), 0);
	ASSERT_OK(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
}

/* ---- once per task ---- */

TEST(second_registration_eperm)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
	/* The first set is still the one in force. */
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

/*
 * Once the set restricts register ops (an empty set restricts everything),
 * 7.3's io_uring_register_blind() refuses the blind call itself with
 * -EACCES before io_register_restrictions_task() can say -EPERM; 7.2 says
 * -EPERM. Each native kernel shows its own release, the module its own.
 */
static int blind_refusal(void)
{
	return rf_upstream() >= RF_UPSTREAM_7_3 ? -EACCES : -EPERM;
}

TEST(second_registration_after_empty_set_refused)
{
	ASSERT_RES(rf_restrict(NULL, 0), 0);
	EXPECT_RES(rf_restrict(NULL, 0), blind_refusal());
}

TEST(second_registration_after_register_op_set_refused)
{
	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE)), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), blind_refusal());
}

/* A set naming opcode 11 among its register ops still gets 7.x's -EPERM. */
TEST(second_registration_after_set_naming_11_eperm)
{
	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(RINGFENCE_IORING_REGISTER_RESTRICTIONS)), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
}

TEST(registration_in_child_of_restricted_parent_eperm)
{
	pid_t pid;

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), -EPERM);
		EXPECT_RES(rf_new_ring_nop(), -EACCES);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
}

/* ---- bad input, one at a time ---- */

TEST(too_many_entries_einval)
{
	struct io_uring_task_restriction *tr = nop_set(500);

	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(invalid_restriction_type_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->restrictions[0].opcode = IORING_RESTRICTION_SQE_FLAGS_REQUIRED + 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(invalid_restriction_type_after_valid_entry_einval)
{
	struct io_uring_task_restriction *tr = nop_set(2);

	tr->restrictions[1].opcode = 0xffff;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(invalid_sqe_op_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->restrictions[0].sqe_op = 255;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(invalid_register_op_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->restrictions[0] = rf_r_reg_op(255);
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(nonzero_flags_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->flags = 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(nonzero_resv0_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->resv[0] = 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(nonzero_resv1_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->resv[1] = 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(nonzero_resv2_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->resv[2] = 0x80000000U;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

/* 7.2 does not look at the reserved bytes of the entries themselves. */
TEST(entry_reserved_fields_ignored)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->restrictions[0].resv = 0xff;
	tr->restrictions[0].resv2[0] = 1;
	tr->restrictions[0].resv2[2] = 2;
	EXPECT_RES(register_tr(tr), 0);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(nr_args_0_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	EXPECT_RES(rf_register_task_raw(tr, 0), -EINVAL);
	expect_unrestricted();
}

TEST(nr_args_2_einval)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	EXPECT_RES(rf_register_task_raw(tr, 2), -EINVAL);
	expect_unrestricted();
}

TEST(null_pointer_efault)
{
	EXPECT_RES(rf_register_task_raw(NULL, 1), -EFAULT);
	expect_unrestricted();
}

TEST(unmapped_pointer_efault)
{
	EXPECT_RES(rf_register_task_raw(before_hole(0), 1), -EFAULT);
	expect_unrestricted();
}

TEST(header_cut_by_hole_efault)
{
	struct io_uring_task_restriction *tr = before_hole(8);

	memset(tr, 0, 8);
	EXPECT_RES(rf_register_task_raw(tr, 1), -EFAULT);
	expect_unrestricted();
}

TEST(entries_unmapped_efault)
{
	struct io_uring_task_restriction *tr = before_hole(sizeof(*tr));

	memset(tr, 0, sizeof(*tr));
	tr->nr_res = 1;
	EXPECT_RES(register_tr(tr), -EFAULT);
	expect_unrestricted();
}

TEST(second_entry_unmapped_efault)
{
	struct io_uring_task_restriction *tr = before_hole(TR_SIZE(1));

	memset(tr, 0, TR_SIZE(1));
	tr->nr_res = 2;
	tr->restrictions[0] = rf_r_sqe_op(IORING_OP_NOP);
	EXPECT_RES(register_tr(tr), -EFAULT);
	expect_unrestricted();
}

/*
 * 7.2's limits, which a 7.2 program may rely on whatever the running kernel
 * knows: IORING_OP_LAST 65, IORING_REGISTER_LAST 38, and at most
 * IORING_RESTRICTION_LAST + 38 + 65 = 107 entries.
 */
#define K72_OP_LAST		65
#define K72_REGISTER_LAST	38
#define K72_MAX_RESTRICTIONS	(4 + K72_REGISTER_LAST + K72_OP_LAST)

TEST(highest_7_2_sqe_op_accepted)
{
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(K72_OP_LAST - 1)), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
}

TEST(first_sqe_op_past_7_2_einval)
{
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(K72_OP_LAST)), -EINVAL);
	expect_unrestricted();
}

TEST(highest_7_2_register_op_accepted)
{
	EXPECT_RES(RF_RESTRICT(rf_r_reg_op(K72_REGISTER_LAST - 1)), 0);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(first_register_op_past_7_2_einval)
{
	EXPECT_RES(RF_RESTRICT(rf_r_reg_op(K72_REGISTER_LAST)), -EINVAL);
	expect_unrestricted();
}

TEST(most_entries_7_2_takes_accepted)
{
	struct io_uring_task_restriction *tr = nop_set(K72_MAX_RESTRICTIONS);

	EXPECT_RES(register_tr(tr), 0);
	EXPECT_RES(rf_new_ring_nop(), 0);
}

TEST(one_entry_too_many_einval)
{
	struct io_uring_task_restriction *tr = nop_set(K72_MAX_RESTRICTIONS + 1);

	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

/* IORING_REGISTER_USE_REGISTERED_RING is stripped before fd == -1 is seen. */
TEST(use_registered_ring_bit_with_fd_minus_one_registers)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	tr->restrictions[0] = rf_r_sqe_op(IORING_OP_READ);
	EXPECT_RES(rf_sys_register(-1, RINGFENCE_IORING_REGISTER_RESTRICTIONS |
				   RINGFENCE_IORING_REGISTER_USE_REGISTERED_RING,
				   tr, 1), 0);
	EXPECT_RES(rf_new_ring_nop(), -EACCES);
	EXPECT_RES(register_tr(tr), -EPERM);
}

/* ---- the order of the checks ---- */

/* An SQE-op set leaves blind calls alone: -EPERM on every release. */
TEST(restricted_beats_bad_arguments)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_register_task_raw(NULL, 1), -EPERM);
	EXPECT_RES(rf_register_task_raw(tr, 0), -EPERM);
	EXPECT_RES(rf_register_task_raw(tr, 2), -EPERM);
	tr->flags = 1;
	EXPECT_RES(register_tr(tr), -EPERM);
}

/* With the empty set, 7.3's blind check comes first of all. */
TEST(register_op_set_beats_bad_arguments)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	ASSERT_RES(rf_restrict(NULL, 0), 0);
	EXPECT_RES(rf_register_task_raw(NULL, 1), blind_refusal());
	EXPECT_RES(rf_register_task_raw(tr, 2), blind_refusal());
	tr->flags = 1;
	EXPECT_RES(register_tr(tr), blind_refusal());
}

TEST(restricted_beats_missing_privilege)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(rf_restrict(NULL, 0), -EPERM);
}

TEST(register_op_set_beats_missing_privilege)
{
	ASSERT_RES(rf_restrict(NULL, 0), 0);
	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(rf_restrict(NULL, 0), blind_refusal());
}

TEST(missing_privilege_beats_bad_arguments)
{
	struct io_uring_task_restriction *tr = nop_set(1);

	ASSERT_RES(rf_drop_to_nobody(), 0);
	EXPECT_RES(rf_register_task_raw(tr, 2), -EACCES);
	EXPECT_RES(rf_register_task_raw(tr, 0), -EACCES);
	EXPECT_RES(rf_register_task_raw(NULL, 1), -EACCES);
	tr->flags = 1;
	EXPECT_RES(register_tr(tr), -EACCES);
}

TEST(nr_args_checked_before_pointer)
{
	EXPECT_RES(rf_register_task_raw(NULL, 2), -EINVAL);
	expect_unrestricted();
}

TEST(header_fields_checked_before_entries)
{
	struct io_uring_task_restriction *tr = before_hole(sizeof(*tr));

	memset(tr, 0, sizeof(*tr));
	tr->nr_res = 1;
	tr->flags = 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	tr->flags = 0;
	tr->resv[1] = 1;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

TEST(entry_count_checked_before_entries)
{
	struct io_uring_task_restriction *tr = before_hole(sizeof(*tr));

	memset(tr, 0, sizeof(*tr));
	tr->nr_res = 500;
	EXPECT_RES(register_tr(tr), -EINVAL);
	expect_unrestricted();
}

/* All entries are copied before any is looked at. */
TEST(entries_copied_before_validated)
{
	struct io_uring_task_restriction *tr = before_hole(TR_SIZE(1));

	memset(tr, 0, TR_SIZE(1));
	tr->nr_res = 2;
	tr->restrictions[0].opcode = 0xffff;
	EXPECT_RES(register_tr(tr), -EFAULT);
	expect_unrestricted();
}
