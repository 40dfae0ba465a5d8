// SPDX-License-Identifier: GPL-2.0
/* Link chains whose members show whether they ran (see chain.h). */
#include "chain.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

int rf_chain_files(struct rf_chain *c)
{
	rf_tmp_path(c->path, sizeof(c->path), "denied");
	rf_tmp_path(c->wpath, sizeof(c->wpath), "written");
	c->wfd = open(c->wpath, O_RDWR | O_CREAT | O_TRUNC, 0600);
	return c->wfd < 0 ? -errno : 0;
}

int rf_chain_ring(struct rf_chain *c, unsigned int setup_flags)
{
	int ret = rf_ring_init(&c->r, 8, setup_flags);

	if (ret)
		return ret;
	c->n = 0;
	for (int i = 0; i < 4; i++)
		c->res[i] = 1;
	return 0;
}

void rf_chain_add(struct rf_chain *c, int op, uint8_t flags)
{
	struct io_uring_sqe *sqe = rf_get_sqe(&c->r);

	switch (op) {
	case IORING_OP_NOP:
		rf_prep_nop(sqe);
		break;
	case IORING_OP_WRITE:
		rf_prep_rw(sqe, IORING_OP_WRITE, c->wfd, "abc", 3, 0);
		break;
	case IORING_OP_OPENAT:
		rf_prep_openat(sqe, AT_FDCWD, c->path, O_CREAT | O_WRONLY, 0600);
		break;
	}
	sqe->flags = flags;
	sqe->user_data = c->n++;
}

off_t rf_chain_written(struct rf_chain *c)
{
	struct stat st;

	if (fstat(c->wfd, &st))
		return -1;
	return st.st_size;
}

void rf_chain_teardown(struct rf_chain *c)
{
	unlink(c->wpath);
	unlink(c->path);
}
