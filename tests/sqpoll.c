// SPDX-License-Identifier: GPL-2.0
/*
 * SQPOLL rings: submissions run in the ring's kernel SQ thread, not in the
 * restricted task, and must still follow the ring creator's policy. With
 * IORING_SETUP_ATTACH_WQ one SQ thread serves rings of different policies.
 */
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

static void restrict_nop_only(void)
{
	ASSERT_RES(RF_RESTRICT(rf_r_sqe_op(IORING_OP_NOP)), 0);
}

static int sqpoll_ring(struct rf_ring *r, int attach_to)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = IORING_SETUP_SQPOLL;
	p.sq_thread_idle = 100;
	if (attach_to >= 0) {
		p.flags |= IORING_SETUP_ATTACH_WQ;
		p.wq_fd = (unsigned int)attach_to;
	}
	return rf_ring_init_params(r, 8, &p);
}

static int run_creat(struct rf_ring *r, const char *path)
{
	rf_prep_openat(rf_get_sqe(r), AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	return rf_run1(r);
}

TEST(sqpoll_ring_of_restricted_task_denies)
{
	struct rf_ring r;
	char path[64];

	rf_tmp_path(path, sizeof(path), "sqpoll");
	restrict_nop_only();
	ASSERT_RES(sqpoll_ring(&r, -1), 0);
	EXPECT_RES(run_creat(&r, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
}

TEST(sqpoll_ring_of_restricted_task_allows)
{
	struct rf_ring r;

	restrict_nop_only();
	ASSERT_RES(sqpoll_ring(&r, -1), 0);
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
	ASSERT_RES(sqpoll_ring(&free_ring, -1), 0);
	restrict_nop_only();
	ASSERT_RES(sqpoll_ring(&restricted, free_ring.fd), 0);

	EXPECT_RES(run_creat(&restricted, path), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path));
	res = run_creat(&free_ring, path2);
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
		t->ret = sqpoll_ring(&t->r, -1);
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
	ASSERT_RES(sqpoll_ring(&free_ring, t.r.fd), 0);

	res = run_creat(&free_ring, path);
	EXPECT_TRUE(res >= 0);
	EXPECT_TRUE(rf_path_exists(path));
	EXPECT_RES(run_creat(&t.r, path2), -EACCES);
	EXPECT_TRUE(!rf_path_exists(path2));
	unlink(path);
}
