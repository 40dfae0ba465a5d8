// SPDX-License-Identifier: GPL-2.0
/* Raw-syscall io_uring (see uring.h). */
#include "uring.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

int rf_sys_setup(unsigned int entries, struct io_uring_params *p)
{
	long ret = syscall(__NR_io_uring_setup, entries, p);

	return ret < 0 ? -errno : (int)ret;
}

int rf_sys_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		 unsigned int flags)
{
	long ret = syscall(__NR_io_uring_enter, fd, to_submit, min_complete,
			   flags, NULL, 0);

	return ret < 0 ? -errno : (int)ret;
}

int rf_sys_register(int fd, unsigned int opcode, void *arg,
		    unsigned int nr_args)
{
	long ret = syscall(__NR_io_uring_register, fd, opcode, arg, nr_args);

	return ret < 0 ? -errno : (int)ret;
}

static void *ptr_at(void *base, unsigned int off)
{
	return (char *)base + off;
}

int rf_ring_map(struct rf_ring *r, int fd, const struct io_uring_params *p)
{
	memset(r, 0, sizeof(*r));
	r->fd = fd;
	r->setup_flags = p->flags;
	r->sq_entries = p->sq_entries;
	r->cq_entries = p->cq_entries;

	r->sq_map_len = p->sq_off.array + p->sq_entries * sizeof(unsigned int);
	r->cq_map_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		if (r->cq_map_len > r->sq_map_len)
			r->sq_map_len = r->cq_map_len;
		r->cq_map_len = r->sq_map_len;
	}
	r->sq_map = mmap(NULL, r->sq_map_len, PROT_READ | PROT_WRITE,
			 MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQ_RING);
	if (r->sq_map == MAP_FAILED)
		return -errno;
	if (p->features & IORING_FEAT_SINGLE_MMAP) {
		r->cq_map = r->sq_map;
	} else {
		r->cq_map = mmap(NULL, r->cq_map_len, PROT_READ | PROT_WRITE,
				 MAP_SHARED | MAP_POPULATE, fd,
				 IORING_OFF_CQ_RING);
		if (r->cq_map == MAP_FAILED) {
			int err = -errno;

			munmap(r->sq_map, r->sq_map_len);
			return err;
		}
	}
	r->sqes_len = p->sq_entries * sizeof(struct io_uring_sqe);
	r->sqes = mmap(NULL, r->sqes_len, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, fd, IORING_OFF_SQES);
	if (r->sqes == MAP_FAILED) {
		int err = -errno;

		if (r->cq_map != r->sq_map)
			munmap(r->cq_map, r->cq_map_len);
		munmap(r->sq_map, r->sq_map_len);
		return err;
	}

	r->sq_head = ptr_at(r->sq_map, p->sq_off.head);
	r->sq_tail = ptr_at(r->sq_map, p->sq_off.tail);
	r->sq_mask = ptr_at(r->sq_map, p->sq_off.ring_mask);
	r->sq_flags = ptr_at(r->sq_map, p->sq_off.flags);
	r->sq_array = ptr_at(r->sq_map, p->sq_off.array);
	r->cq_head = ptr_at(r->cq_map, p->cq_off.head);
	r->cq_tail = ptr_at(r->cq_map, p->cq_off.tail);
	r->cq_mask = ptr_at(r->cq_map, p->cq_off.ring_mask);
	r->cqes = ptr_at(r->cq_map, p->cq_off.cqes);
	r->sqe_tail = __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE);
	return 0;
}

int rf_ring_init_params(struct rf_ring *r, unsigned int entries,
			struct io_uring_params *p)
{
	struct io_uring_params local;
	int fd, ret;

	if (!p) {
		memset(&local, 0, sizeof(local));
		p = &local;
	}
	fd = rf_sys_setup(entries, p);
	if (fd < 0)
		return fd;
	ret = rf_ring_map(r, fd, p);
	if (ret < 0)
		close(fd);
	return ret;
}

int rf_ring_init(struct rf_ring *r, unsigned int entries, unsigned int flags)
{
	struct io_uring_params p;

	memset(&p, 0, sizeof(p));
	p.flags = flags;
	return rf_ring_init_params(r, entries, &p);
}

int rf_sqpoll_ring(struct rf_ring *r, int attach_to)
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

void rf_ring_exit(struct rf_ring *r)
{
	if (r->sqes)
		munmap(r->sqes, r->sqes_len);
	if (r->cq_map && r->cq_map != r->sq_map)
		munmap(r->cq_map, r->cq_map_len);
	if (r->sq_map)
		munmap(r->sq_map, r->sq_map_len);
	if (r->fd >= 0)
		close(r->fd);
	memset(r, 0, sizeof(*r));
	r->fd = -1;
}

struct io_uring_sqe *rf_get_sqe(struct rf_ring *r)
{
	unsigned int head = __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
	struct io_uring_sqe *sqe;

	if (r->sqe_tail - head >= r->sq_entries)
		return NULL;
	sqe = &r->sqes[r->sqe_tail & *r->sq_mask];
	memset(sqe, 0, sizeof(*sqe));
	r->sq_array[r->sqe_tail & *r->sq_mask] = r->sqe_tail & *r->sq_mask;
	r->sqe_tail++;
	return sqe;
}

unsigned int rf_sq_flush(struct rf_ring *r)
{
	__atomic_store_n(r->sq_tail, r->sqe_tail, __ATOMIC_RELEASE);
	return rf_sq_pending(r);
}

unsigned int rf_sq_pending(struct rf_ring *r)
{
	return __atomic_load_n(r->sq_tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->sq_head, __ATOMIC_ACQUIRE);
}

int rf_submit_n(struct rf_ring *r, unsigned int n)
{
	unsigned int pending = rf_sq_flush(r);

	if (r->setup_flags & IORING_SETUP_SQPOLL) {
		/* The SQ thread picks the entries up on its own. */
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		if (__atomic_load_n(r->sq_flags, __ATOMIC_RELAXED) &
		    IORING_SQ_NEED_WAKEUP) {
			int ret = rf_sys_enter(r->fd, 0, 0,
					       IORING_ENTER_SQ_WAKEUP);
			if (ret < 0)
				return ret;
		}
		return (int)pending;
	}
	return rf_sys_enter(r->fd, n < pending ? n : pending, 0, 0);
}

int rf_submit(struct rf_ring *r)
{
	return rf_submit_n(r, ~0U);
}

unsigned int rf_cq_ready(struct rf_ring *r)
{
	return __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);
}

int rf_wait_cqes(struct rf_ring *r, unsigned int n)
{
	while (rf_cq_ready(r) < n) {
		int ret = rf_sys_enter(r->fd, 0, n - rf_cq_ready(r),
				       IORING_ENTER_GETEVENTS);

		if (ret < 0 && ret != -EINTR)
			return ret;
	}
	return 0;
}

int rf_pop_cqe(struct rf_ring *r, struct io_uring_cqe *cqe)
{
	unsigned int head = __atomic_load_n(r->cq_head, __ATOMIC_RELAXED);

	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		return -EAGAIN;
	*cqe = r->cqes[head & *r->cq_mask];
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return 0;
}

int rf_reap_by_data(struct rf_ring *r, unsigned int n, int *res)
{
	struct io_uring_cqe cqe;
	unsigned int i;
	int ret;

	ret = rf_wait_cqes(r, n);
	if (ret < 0)
		return ret;
	for (i = 0; i < n; i++) {
		ret = rf_pop_cqe(r, &cqe);
		if (ret < 0)
			return ret;
		if (cqe.user_data >= n)
			return -ERANGE;
		res[cqe.user_data] = cqe.res;
	}
	return 0;
}

int rf_run1(struct rf_ring *r)
{
	struct io_uring_cqe cqe;
	int ret;

	ret = rf_submit(r);
	if (ret < 0)
		return ret;
	ret = rf_wait_cqes(r, 1);
	if (ret < 0)
		return ret;
	ret = rf_pop_cqe(r, &cqe);
	return ret < 0 ? ret : cqe.res;
}

int rf_run_nop(struct rf_ring *r, uint64_t user_data)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	rf_prep_nop(sqe);
	sqe->user_data = user_data;
	return rf_run1(r);
}

int rf_run_creat(struct rf_ring *r, const char *path)
{
	struct io_uring_sqe *sqe = rf_get_sqe(r);

	if (!sqe)
		return -EBUSY;
	rf_prep_openat(sqe, AT_FDCWD, path, O_CREAT | O_WRONLY, 0600);
	return rf_run1(r);
}

void rf_prep_nop(struct io_uring_sqe *sqe)
{
	sqe->opcode = IORING_OP_NOP;
}

void rf_prep_openat(struct io_uring_sqe *sqe, int dfd, const char *path,
		    int flags, mode_t mode)
{
	sqe->opcode = IORING_OP_OPENAT;
	sqe->fd = dfd;
	sqe->addr = (uintptr_t)path;
	sqe->open_flags = (uint32_t)flags;
	sqe->len = mode;
}

void rf_prep_socket(struct io_uring_sqe *sqe, int domain, int type,
		    int protocol)
{
	sqe->opcode = IORING_OP_SOCKET;
	sqe->fd = domain;
	sqe->off = (uint32_t)type;
	sqe->len = (uint32_t)protocol;
}

void rf_prep_rw(struct io_uring_sqe *sqe, int op, int fd, void *buf,
		unsigned int len, uint64_t off)
{
	sqe->opcode = (uint8_t)op;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)buf;
	sqe->len = len;
	sqe->off = off;
}

void rf_prep_openat2(struct io_uring_sqe *sqe, int dfd, const char *path,
		     const void *how, size_t size)
{
	sqe->opcode = IORING_OP_OPENAT2;
	sqe->fd = dfd;
	sqe->addr = (uintptr_t)path;
	sqe->addr2 = (uintptr_t)how;
	sqe->len = (uint32_t)size;
}

void rf_prep_connect(struct io_uring_sqe *sqe, int fd, const void *addr,
		     unsigned int addr_len)
{
	sqe->opcode = IORING_OP_CONNECT;
	sqe->fd = fd;
	sqe->addr = (uintptr_t)addr;
	sqe->addr2 = addr_len;
}
