// SPDX-License-Identifier: GPL-2.0
/*
 * SQPOLL rings: submissions run in the ring's kernel SQ thread, not in the
 * restricted task, and must still follow the ring creator's policy. With
 * IORING_SETUP_ATTACH_WQ one SQ thread serves rings of different policies.
 */
#include <pthread.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static void restrict_nop_only(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
}

TEST(sqpoll_ring_of_restricted_task_denies)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "sqpoll");
	restrict_nop_only();
	ASSERT_RES(rf_sqpoll_ring(&r, -1), 0);
	EXPECT_RES(rf_run_creat(&r, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(sqpoll_ring_of_restricted_task_allows)
{
	struct rf_ring r;

	restrict_nop_only();
	ASSERT_RES(rf_sqpoll_ring(&r, -1), 0);
	EXPECT_RES(rf_ring_nop(&r), 0);
}

/* A restricted ring sharing the SQ thread of a ring created earlier. */
TEST(attached_ring_of_restricted_task_denies)
{
	struct rf_ring free_ring, restricted;
	char path[64], path2[64];
	int res;

	rf_tmp_path(path, sizeof(path), "attached");
	rf_tmp_path(path2, sizeof(path2), "owner");
	ASSERT_RES(rf_sqpoll_ring(&free_ring, -1), 0);
	restrict_nop_only();
	ASSERT_RES(rf_sqpoll_ring(&restricted, free_ring.fd), 0);

	EXPECT_RES(rf_run_creat(&restricted, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	res = rf_run_creat(&free_ring, path2);
	EXPECT_TRUE(res >= 0);
	EXPECT_TRUE(rf_path_exists(path2));
	unlink(path2);
}

struct thread_ring {
	struct rf_ring r;
	int ret;
};

static void *create_restricted_sqpoll(void *arg)
{
	struct thread_ring *t = arg;

	t->ret = RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP));
	if (!t->ret)
		t->ret = rf_sqpoll_ring(&t->r, -1);
	return NULL;
}

/*
 * The SQ thread was created for a restricted ring; an unrestricted thread
 * of the same process attaches a ring of its own to it.
 */
TEST(free_ring_attached_to_restricted_sq_thread_allows)
{
	struct thread_ring t = { .ret = 1 };
	struct rf_ring free_ring;
	char path[64], path2[64];
	pthread_t th;
	int res;

	rf_tmp_path(path, sizeof(path), "free");
	rf_tmp_path(path2, sizeof(path2), "restr");
	ASSERT_EQ(pthread_create(&th, NULL, create_restricted_sqpoll, &t), 0);
	ASSERT_EQ(pthread_join(th, NULL), 0);
	ASSERT_RES(t.ret, 0);
	ASSERT_RES(rf_sqpoll_ring(&free_ring, t.r.fd), 0);

	res = rf_run_creat(&free_ring, path);
	EXPECT_TRUE(res >= 0);
	EXPECT_TRUE(rf_path_exists(path));
	EXPECT_RES(rf_run_creat(&t.r, path2), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path2));
	unlink(path);
}
