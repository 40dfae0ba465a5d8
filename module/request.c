// SPDX-License-Identifier: GPL-2.0
/*
 * Acting on a request from the submit path, for every consumer that judges
 * one: failing it the way io_submit_fail_init() does, and a CONNECT's
 * address.
 *
 * A denied request carries its errno and REQ_F_FAIL, the head of the link
 * it joins is failed with -ECANCELED, and io_submit_sqe() then routes both
 * through the kernel's own failure path, so the CQEs and the link chain come
 * out as on 7.x.
 *
 * CONNECT: where the kernel copies the address only at issue (before 6.10,
 * kernel.c tells), a request is judged at submit on a non-faulting read of
 * the user's address and forced down the async path, whose prep copies it;
 * the issue-time judgement on that copy decides. Forcing it async sets the
 * bit filters see as IOSQE_ASYNC, so the flags the user submitted are kept
 * in the request's command area after struct io_connect, which the kernel
 * never touches (static_assert below; btf.c bounds io_connect). That memory
 * holds whatever the request's previous opcode, or a previous ring, left
 * there, so the saved flags count only under a stamp no earlier content can
 * match: the request's and its ring's addresses keyed with a secret chosen
 * at load. A stamp left by a request that never reached io_connect()
 * (denied at submit, or failed by its prep) can only match again on the same
 * ring with the same request slot, where it costs a second judgement by
 * that ring's own filters, never a wrong one.
 */
#include <linux/io_uring_types.h>
#include <linux/random.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ringfence.h"
#include "layout.h"

struct rf_connect_cmd {
	struct rf_io_connect conn;
	u64 stamp;
	u8 sqe_flags;
};

static_assert(sizeof(struct rf_connect_cmd) <= sizeof(struct io_cmd_data));

static u64 rf_connect_key __read_mostly;

static u64 rf_connect_stamp(const struct io_kiocb *req)
{
	return rf_connect_key ^ (u64)(unsigned long)req ^
	       ror64((u64)(unsigned long)req->ctx, 32);
}

static void rf_req_fail_link_node(struct io_kiocb *req, int res)
{
	req->flags |= REQ_F_FAIL;
	if (req->flags & REQ_F_CQE_SKIP) {
		req->flags &= ~REQ_F_CQE_SKIP;
		req->flags |= REQ_F_SKIP_LINK_CQES;
	}
	req->cqe.res = res;
	req->cqe.flags = 0;
}

void rf_req_deny(struct io_kiocb *req, int err)
{
	struct io_kiocb *head = req->ctx->submit_state.link.head;

	/* Denied now: io_connect() must not judge it again. */
	if (req->opcode == IORING_OP_CONNECT)
		rf_req_connect_unstamp(req);

	rf_req_fail_link_node(req, err);
	if (head && !(head->flags & REQ_F_FAIL))
		rf_req_fail_link_node(head, -ECANCELED);
}

u8 rf_req_sqe_flags(const struct io_kiocb *req)
{
	const struct rf_connect_cmd *cmd = (const void *)req;

	if (req->opcode == IORING_OP_CONNECT &&
	    cmd->stamp == rf_connect_stamp(req))
		return cmd->sqe_flags;
	return rf_req_flags(req) & RF_SQE_VALID_FLAGS;
}

int rf_req_connect_addr_len(const struct io_kiocb *req)
{
	return ((const struct rf_io_connect *)req)->addr_len;
}

const struct sockaddr_storage *rf_req_connect_addr(const struct io_kiocb *req)
{
	return (req->flags & REQ_F_ASYNC_DATA) ? req->async_data : NULL;
}

bool rf_req_connect_early(struct io_kiocb *req, struct sockaddr_storage *ss)
{
	struct rf_connect_cmd *cmd = (void *)req;
	int len = cmd->conn.addr_len;

	cmd->sqe_flags = rf_req_flags(req) & RF_SQE_VALID_FLAGS;
	cmd->stamp = rf_connect_stamp(req);
	req->flags |= REQ_F_FORCE_ASYNC;
	if (len < 0 || len > sizeof(*ss))
		return false;
	memset(ss, 0, sizeof(*ss));
	return !copy_from_user_nofault(ss, cmd->conn.addr, len);
}

bool rf_req_connect_peek(const struct io_kiocb *req, struct sockaddr_storage *ss)
{
	const struct rf_connect_cmd *cmd = (const void *)req;
	int len = cmd->conn.addr_len;

	if (len < 0 || len > sizeof(*ss))
		return false;
	memset(ss, 0, sizeof(*ss));
	return !copy_from_user_nofault(ss, cmd->conn.addr, len);
}

bool rf_req_connect_stamped(const struct io_kiocb *req)
{
	return ((const struct rf_connect_cmd *)req)->stamp == rf_connect_stamp(req);
}

void rf_req_connect_unstamp(struct io_kiocb *req)
{
	((struct rf_connect_cmd *)req)->stamp = 0;
}

void rf_request_init(void)
{
	rf_connect_key = get_random_u64();
}
