// SPDX-License-Identifier: GPL-2.0
/*
 * Ring filters (io_uring_register(ring_fd, IORING_REGISTER_BPF_FILTER)):
 * they belong to the ring, whoever registers them and whoever submits; they
 * need no privilege, stack on the filters the ring took from its creator's
 * task at setup without changing the task's, and are subject to the ring's
 * register-op restrictions. A ring keeps the task filters of its creator as
 * they were at io_uring_setup.
 */
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bpf.h"
#include "handoff.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"

/* NOP with each user_data 0..@n-1 on @r: bit i set if it ran. */
static unsigned int ring_mask(struct rf_ring *r, unsigned int n)
{
	unsigned int mask = 0, i;

	for (i = 0; i < n; i++)
		if (rf_run_nop(r, i) == 0)
			mask |= 1U << i;
	return mask;
}

/* The same on a new ring. */
static unsigned int nop_mask(unsigned int n)
{
	struct rf_ring r;
	unsigned int mask;

	if (rf_ring_init(&r, 8, 0) < 0) {
		FAIL("io_uring_setup failed");
		return ~0U;
	}
	mask = ring_mask(&r, n);
	rf_ring_exit(&r);
	return mask;
}

static int deny_user_data(int fd, uint32_t v)
{
	return rf_bpf_deny_if(fd, IORING_OP_NOP, rf_match_word(0, v));
}

static void drop_to_nobody(void)
{
	ASSERT_OK(setresgid(65534, 65534, 65534));
	ASSERT_OK(setresuid(65534, 65534, 65534));
	ASSERT_EQ(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
}

/* ---- scope ---- */

TEST(ring_filter_affects_only_that_ring)
{
	struct rf_ring a, b;

	rf_new_ring(&a);
	rf_new_ring(&b);
	ASSERT_RES(rf_bpf_deny(a.fd, IORING_OP_NOP), 0);
	EXPECT_RES(rf_run_nop(&a, 0), -EACCES);
	EXPECT_RES(rf_run_nop(&b, 0), 0);
	EXPECT_EQ(nop_mask(2), 0x3);
}

/* The registering task gets no restriction set from it. */
TEST(ring_filter_leaves_task_free)
{
	struct rf_ring r;

	rf_new_ring(&r);
	ASSERT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), 0);
	EXPECT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_READ)), 0);
	EXPECT_RES(rf_run_nop(&r, 0), -EACCES);
}

TEST(ring_filters_stack_without_privilege)
{
	struct rf_ring r;

	drop_to_nobody();
	rf_new_ring(&r);
	ASSERT_RES(deny_user_data(r.fd, 1), 0);
	ASSERT_RES(deny_user_data(r.fd, 2), 0);
	ASSERT_RES(RF_BPF_FILTER(r.fd, IORING_OP_NOP, 0, RF_RET(1)), 0);
	EXPECT_EQ(ring_mask(&r, 4), 0x9);
	EXPECT_EQ(nop_mask(4), 0xf);
}

TEST(ring_created_before_task_filter_unaffected)
{
	struct rf_ring before;

	rf_new_ring(&before);
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	EXPECT_RES(rf_run_nop(&before, 0), 0);
	EXPECT_EQ(nop_mask(1), 0);
}

/*
 * A task's filter added after it set up a ring: 7.2 marks only the ring's
 * side of the shared table copy-on-write, so the filter reaches the ring;
 * 7.3 (50b617ba788e, "mark source as COW when cloning filters") marks the
 * task's side too, so it does not. Each native kernel shows its own
 * release; the module shows the one it declares.
 */
TEST(task_filter_added_after_setup_reaches_ring_until_7_3)
{
	bool reaches = rf_upstream() < RF_UPSTREAM_7_3;
	struct rf_ring before;

	ASSERT_RES(deny_user_data(-1, 1), 0);
	rf_new_ring(&before);
	ASSERT_RES(deny_user_data(-1, 2), 0);
	EXPECT_EQ(ring_mask(&before, 4), reaches ? 0x9 : 0xd);
	EXPECT_EQ(nop_mask(4), 0x9);
}

/* A ring that has added a filter of its own has its own table. */
TEST(task_filter_added_after_setup_not_in_ring_with_own_table)
{
	struct rf_ring r;

	ASSERT_RES(deny_user_data(-1, 1), 0);
	rf_new_ring(&r);
	ASSERT_RES(deny_user_data(r.fd, 3), 0);
	ASSERT_RES(deny_user_data(-1, 2), 0);
	EXPECT_EQ(ring_mask(&r, 4), 0x5);
	EXPECT_EQ(nop_mask(4), 0x9);
}

/* The ring copies the task's filters; adding to the ring leaves the task's. */
TEST(ring_filter_stacks_on_task_filters_copy_on_write)
{
	struct rf_ring r;
	pid_t pid;

	ASSERT_RES(deny_user_data(-1, 1), 0);
	rf_new_ring(&r);
	ASSERT_RES(deny_user_data(r.fd, 2), 0);
	EXPECT_EQ(ring_mask(&r, 4), 0x9);
	EXPECT_EQ(nop_mask(4), 0xd);
	pid = rf_fork();
	if (pid == 0) {
		EXPECT_EQ(nop_mask(4), 0xd);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "child");
	/* A task filter added later reaches neither this ring nor its stack. */
	ASSERT_RES(deny_user_data(-1, 3), 0);
	EXPECT_EQ(ring_mask(&r, 4), 0x9);
	EXPECT_EQ(nop_mask(4), 0x5);
}

/* DENY_REST on a ring covers that ring only. */
TEST(ring_filter_deny_rest)
{
	struct rf_ring a, b;
	char buf[1];

	rf_new_ring(&a);
	rf_new_ring(&b);
	ASSERT_RES(RF_BPF_FILTER(a.fd, IORING_OP_NOP, IO_URING_BPF_FILTER_DENY_REST,
				 RF_RET(1)), 0);
	EXPECT_RES(rf_run_nop(&a, 0), 0);
	rf_prep_rw(rf_get_sqe(&a), IORING_OP_READ, -1, buf, 1, 0);
	EXPECT_RES(rf_run1(&a), -EACCES);
	rf_prep_rw(rf_get_sqe(&b), IORING_OP_READ, -1, buf, 1, 0);
	EXPECT_RES(rf_run1(&b), -EBADF);
}

/* ---- whose ring ---- */

/* A filter registered on an inherited ring fd by a child is the ring's. */
TEST(ring_filter_registered_by_other_process)
{
	struct rf_ring r;
	pid_t pid;

	rf_new_ring(&r);
	pid = rf_fork();
	if (pid == 0) {
		ASSERT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), 0);
		EXPECT_EQ(nop_mask(1), 0x1);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "registering child");
	EXPECT_RES(rf_run_nop(&r, 0), -EACCES);
	EXPECT_EQ(nop_mask(1), 0x1);
}

TEST(filtered_ring_taken_by_unfiltered_process_stays_filtered)
{
	struct rf_handoff m;
	struct rf_ring r;
	int sv[2];
	pid_t pid;

	ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = rf_fork();
	if (pid == 0) {
		struct rf_ring mine;

		close(sv[0]);
		ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
		ASSERT_RES(rf_handoff_offer(&mine, 8, sv[1]), 0);
		ASSERT_RES(rf_handoff_wait_done(sv[1]), 0);
		rf_exit();
	}
	close(sv[1]);
	ASSERT_RES(rf_handoff_receive(sv[0], &m), 0);
	ASSERT_RES(rf_handoff_take(&r, pid, &m), 0);
	ASSERT_RES(rf_handoff_done(sv[0]), 0);
	EXPECT_CHILD_OK(pid, "filtered creator");
	EXPECT_RES(rf_run_nop(&r, 0), -EACCES);
	EXPECT_EQ(nop_mask(1), 0x1);
}

TEST(unfiltered_ring_used_by_filtered_child_stays_free)
{
	struct rf_ring r;
	pid_t pid;

	rf_new_ring(&r);
	pid = rf_fork();
	if (pid == 0) {
		ASSERT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
		EXPECT_RES(rf_run_nop(&r, 0), 0);
		EXPECT_EQ(nop_mask(1), 0);
		rf_exit();
	}
	EXPECT_CHILD_OK(pid, "filtered child");
}

/* ---- register-op restrictions ---- */

TEST(inherited_register_ops_without_37_eacces)
{
	struct io_uring_bpf reg;
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), -EACCES);
	/* Checked before anything about the call itself. */
	rf_bpf_init(&reg, IORING_OP_NOP, 0, NULL, 0);
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 2), -EACCES);
	EXPECT_RES(rf_bpf_register_raw(r.fd, NULL, 1), -EACCES);
	reg.filter.opcode = IORING_OP_SOCKET;
	reg.filter.pdu_size = 200;
	EXPECT_RES(rf_bpf_register_raw(r.fd, &reg, 1), -EACCES);
	EXPECT_EQ(reg.filter.pdu_size, 200);
	EXPECT_RES(rf_register_probe(r.fd), 0);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
}

TEST(inherited_register_ops_with_37_allow)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(RINGFENCE_IORING_REGISTER_BPF_FILTER)), 0);
	rf_new_ring(&r);
	EXPECT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), 0);
	EXPECT_RES(rf_run_nop(&r, 0), -EACCES);
	EXPECT_RES(rf_register_probe(r.fd), -EACCES);
}

/*
 * A task filter (fd -1) under a set that restricts register ops without
 * naming IORING_REGISTER_BPF_FILTER: 7.2 does not check blind calls against
 * the set; 7.3's io_uring_register_blind() does and refuses with -EACCES.
 */
TEST(register_op_set_covers_task_registration_from_7_3)
{
	bool covers = rf_upstream() >= RF_UPSTREAM_7_3;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_PROBE)), 0);
	EXPECT_RES(rf_bpf_deny(-1, IORING_OP_NOP), covers ? -EACCES : 0);
	EXPECT_EQ(nop_mask(1), covers ? 1 : 0);
}

/* A set that names IORING_REGISTER_BPF_FILTER allows task filters on both. */
TEST(register_op_set_naming_37_allows_task_filters)
{
	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(RINGFENCE_IORING_REGISTER_BPF_FILTER)), 0);
	EXPECT_RES(rf_bpf_deny(-1, IORING_OP_NOP), 0);
	EXPECT_EQ(nop_mask(1), 0);
}

/* An inherited register-op set binds a disabled ring too. */
TEST(inherited_register_ops_bind_disabled_ring)
{
	struct rf_ring r;

	ASSERT_RES(RF_RESTRICT(rf_r_reg_op(IORING_REGISTER_ENABLE_RINGS)), 0);
	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	EXPECT_RES(rf_bpf_deny(r.fd, IORING_OP_NOP), -EACCES);
	EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_RES(rf_run_nop(&r, 0), 0);
}

/*
 * The ring's own restrictions (IORING_REGISTER_RESTRICTIONS on a disabled
 * ring): the ring is exempt while still disabled, bound once enabled.
 */
TEST(ring_register_ops_without_37)
{
	const struct io_uring_restriction res[] = {
		rf_r_reg_op(IORING_REGISTER_PROBE),
		rf_r_sqe_op(IORING_OP_NOP),
	};
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS,
				   (void *)res, 2), 0);
	EXPECT_RES(deny_user_data(r.fd, 1), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_RES(deny_user_data(r.fd, 2), -EACCES);
	EXPECT_EQ(ring_mask(&r, 3), 0x5);
}

TEST(ring_register_ops_with_37)
{
	const struct io_uring_restriction res[] = {
		rf_r_reg_op(RINGFENCE_IORING_REGISTER_BPF_FILTER),
		rf_r_sqe_op(IORING_OP_NOP),
	};
	struct rf_ring r;
	char buf[1];

	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS,
				   (void *)res, 2), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_RES(deny_user_data(r.fd, 2), 0);
	EXPECT_EQ(ring_mask(&r, 3), 0x3);
	/* The ring's classic SQE restriction still applies beside the filter. */
	ASSERT_RES(rf_bpf_allow(r.fd, IORING_OP_READ), 0);
	rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, -1, buf, 1, 0);
	EXPECT_RES(rf_run1(&r), -EACCES);
}

/* A filter registered while the ring is disabled is in force once enabled. */
TEST(filter_on_disabled_ring)
{
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(deny_user_data(r.fd, 0), 0);
	ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_EQ(ring_mask(&r, 2), 0x2);
}

/*
 * A filter gives a ring no restriction set: a disabled ring (@r, whose
 * filters deny NOP 0) may still register its own, and once enabled the set
 * binds beside the filter.
 */
static void own_set_beside_filter(struct rf_ring *r)
{
	const struct io_uring_restriction res[] = {
		rf_r_sqe_op(IORING_OP_NOP),
	};
	char buf[1];

	EXPECT_RES(rf_sys_register(r->fd, IORING_REGISTER_RESTRICTIONS,
				   (void *)res, 1), 0);
	ASSERT_RES(rf_sys_register(r->fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0), 0);
	EXPECT_EQ(ring_mask(r, 2), 0x2);
	rf_prep_rw(rf_get_sqe(r), IORING_OP_READ, -1, buf, 1, 0);
	EXPECT_RES(rf_run1(r), -EACCES);
}

TEST(ring_restrictions_after_filter_on_disabled_ring)
{
	struct rf_ring r;

	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	ASSERT_RES(deny_user_data(r.fd, 0), 0);
	own_set_beside_filter(&r);
}

/* The same for a disabled ring that took only filters from its creator. */
TEST(ring_restrictions_after_inherited_filter_on_disabled_ring)
{
	struct rf_ring r;

	ASSERT_RES(deny_user_data(-1, 0), 0);
	ASSERT_RES(rf_ring_init(&r, 8, IORING_SETUP_R_DISABLED), 0);
	own_set_beside_filter(&r);
}

/*
 * A ring with filters and no set is unrestricted otherwise, before and
 * after IORING_REGISTER_ENABLE_RINGS: other opcodes reach the kernel,
 * more filters may be added, and a set may no longer be registered
 * because the ring is enabled, not because it already has one.
 */
TEST(filtered_ring_without_set_stays_open)
{
	const struct io_uring_restriction res[] = {
		rf_r_sqe_op(IORING_OP_NOP),
	};
	unsigned int flags[] = { 0, IORING_SETUP_R_DISABLED };
	struct rf_ring r;
	char buf[1];
	size_t i;

	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		ASSERT_RES(rf_ring_init(&r, 8, flags[i]), 0);
		ASSERT_RES(deny_user_data(r.fd, 0), 0);
		if (flags[i])
			ASSERT_RES(rf_sys_register(r.fd, IORING_REGISTER_ENABLE_RINGS,
						   NULL, 0), 0);
		EXPECT_RES(deny_user_data(r.fd, 1), 0);
		EXPECT_EQ(ring_mask(&r, 3), 0x4);
		rf_prep_rw(rf_get_sqe(&r), IORING_OP_READ, -1, buf, 1, 0);
		EXPECT_RES(rf_run1(&r), -EBADF);
		EXPECT_RES(rf_sys_register(r.fd, IORING_REGISTER_RESTRICTIONS,
					   (void *)res, 1), -EBADFD);
		rf_ring_exit(&r);
	}
}
