// SPDX-License-Identifier: LGPL-2.1-or-later
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/io_uring.h>

#include "uring.h"

/* One mapping each, as kernels without IORING_FEAT_SINGLE_MMAP need. */
static int one(int ring, unsigned int opcode, const struct io_uring_params *p)
{
	size_t sq_len = p->sq_off.array + p->sq_entries * sizeof(uint32_t);
	size_t cq_len = p->cq_off.cqes + p->cq_entries * sizeof(struct io_uring_cqe);
	size_t sqe_len = p->sq_entries * sizeof(struct io_uring_sqe);
	char *sq, *cq;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int ret, nul = -1;

	sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE, MAP_SHARED, ring,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE, MAP_SHARED, ring,
		  IORING_OFF_CQ_RING);
	sqe = mmap(NULL, sqe_len, PROT_READ | PROT_WRITE, MAP_SHARED, ring,
		   IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqe == MAP_FAILED) {
		ret = -ENOMEM;
		goto out;
	}
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = (uint8_t)opcode;
	if (opcode == IORING_OP_READ) {
		nul = open("/dev/null", O_RDONLY | O_CLOEXEC);
		sqe->fd = nul;
	}
	((uint32_t *)(sq + p->sq_off.array))[0] = 0;
	__atomic_store_n((uint32_t *)(sq + p->sq_off.tail), 1, __ATOMIC_RELEASE);
	ret = (int)syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS,
			   NULL, 0);
	if (ret < 0) {
		ret = -errno;
		goto out;
	}
	cqe = (struct io_uring_cqe *)(cq + p->cq_off.cqes);
	ret = __atomic_load_n((uint32_t *)(cq + p->cq_off.tail), __ATOMIC_ACQUIRE) ?
	      cqe->res : -EAGAIN;
out:
	if (nul >= 0)
		close(nul);
	if (sq != MAP_FAILED)
		munmap(sq, sq_len);
	if (cq != MAP_FAILED)
		munmap(cq, cq_len);
	if (sqe != MAP_FAILED)
		munmap(sqe, sqe_len);
	return ret;
}

int uring_one_request(unsigned int opcode, int *setup_failed)
{
	struct io_uring_params p;
	int ring, ret;

	memset(&p, 0, sizeof(p));
	*setup_failed = 0;
	ring = (int)syscall(SYS_io_uring_setup, 4, &p);
	if (ring < 0) {
		*setup_failed = 1;
		return -errno;
	}
	ret = one(ring, opcode, &p);
	close(ring);
	return ret;
}
