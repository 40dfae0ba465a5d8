/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal io_uring built on the raw syscalls, so that the tests depend on
 * nothing but glibc and see exactly what the kernel returns. Every function
 * returns 0 (or a count) on success and a negated errno on failure.
 */
#ifndef RF_URING_H
#define RF_URING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/ringfence.h>

struct rf_ring {
	int fd;
	unsigned int setup_flags;
	unsigned int sq_entries, cq_entries;

	unsigned int *sq_head, *sq_tail, *sq_mask, *sq_flags, *sq_array;
	struct io_uring_sqe *sqes;
	/* SQEs handed out by rf_get_sqe() and not yet made visible. */
	unsigned int sqe_tail;

	unsigned int *cq_head, *cq_tail, *cq_mask;
	struct io_uring_cqe *cqes;

	void *sq_map, *cq_map;
	size_t sq_map_len, cq_map_len, sqes_len;
};

int rf_sys_setup(unsigned int entries, struct io_uring_params *p);
int rf_sys_enter(int fd, unsigned int to_submit, unsigned int min_complete,
		 unsigned int flags);
int rf_sys_register(int fd, unsigned int opcode, void *arg,
		    unsigned int nr_args);

/* io_uring_setup + mmap; p may be NULL. */
int rf_ring_init_params(struct rf_ring *r, unsigned int entries,
			struct io_uring_params *p);
int rf_ring_init(struct rf_ring *r, unsigned int entries, unsigned int flags);
/*
 * An 8-entry IORING_SETUP_SQPOLL ring (SQ thread idle 100 ms); with
 * @attach_to >= 0, IORING_SETUP_ATTACH_WQ to that ring's SQ thread.
 */
int rf_sqpoll_ring(struct rf_ring *r, int attach_to);
/* Map a ring whose fd came from elsewhere (fork, SCM_RIGHTS). */
int rf_ring_map(struct rf_ring *r, int fd, const struct io_uring_params *p);
void rf_ring_exit(struct rf_ring *r);

/* A zeroed SQE, or NULL if the SQ ring is full. */
struct io_uring_sqe *rf_get_sqe(struct rf_ring *r);
/* Make queued SQEs visible to the kernel; returns how many wait in the SQ. */
unsigned int rf_sq_flush(struct rf_ring *r);
/* SQEs visible to the kernel and not yet consumed by it. */
unsigned int rf_sq_pending(struct rf_ring *r);
/* Flush and submit every pending SQE: what io_uring_enter returns. */
int rf_submit(struct rf_ring *r);
/* Flush and submit at most @n of the pending SQEs. */
int rf_submit_n(struct rf_ring *r, unsigned int n);

/* Wait until at least @n CQEs are ready (0 or -errno). */
int rf_wait_cqes(struct rf_ring *r, unsigned int n);
unsigned int rf_cq_ready(struct rf_ring *r);
/* Copy out and consume the oldest CQE; -EAGAIN if there is none. */
int rf_pop_cqe(struct rf_ring *r, struct io_uring_cqe *cqe);
/*
 * Wait for @n CQEs and store them by user_data: res[user_data] for
 * user_data < n. Returns 0, -errno, or -ERANGE for an unexpected user_data.
 */
int rf_reap_by_data(struct rf_ring *r, unsigned int n, int *res);

/*
 * Submit everything pending, wait for one CQE and return its res, or the
 * submit/wait error. For the common "one SQE, one answer" case.
 */
int rf_run1(struct rf_ring *r);
/* rf_run1() of a NOP with @user_data (-EBUSY if the SQ ring is full). */
int rf_run_nop(struct rf_ring *r, uint64_t user_data);
/* The same for OPENAT(AT_FDCWD, @path, O_CREAT | O_WRONLY, 0600). */
int rf_run_creat(struct rf_ring *r, const char *path);

/* ---- SQE preparation ---- */
void rf_prep_nop(struct io_uring_sqe *sqe);
void rf_prep_openat(struct io_uring_sqe *sqe, int dfd, const char *path,
		    int flags, mode_t mode);
void rf_prep_socket(struct io_uring_sqe *sqe, int domain, int type,
		    int protocol);
void rf_prep_rw(struct io_uring_sqe *sqe, int op, int fd, void *buf,
		unsigned int len, uint64_t off);
/* @how is read by the kernel at submission; @size is usually sizeof(*how). */
void rf_prep_openat2(struct io_uring_sqe *sqe, int dfd, const char *path,
		     const void *how, size_t size);
/* @addr is copied by the kernel at submission. */
void rf_prep_connect(struct io_uring_sqe *sqe, int fd, const void *addr,
		     unsigned int addr_len);

#endif /* RF_URING_H */
