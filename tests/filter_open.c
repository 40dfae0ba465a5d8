// SPDX-License-Identifier: GPL-2.0
/*
 * Filters on IORING_OP_OPENAT and IORING_OP_OPENAT2. The ctx carries the
 * kernel's open_how after the prep: for OPENAT the one build_open_how()
 * makes of open_flags and mode (unknown flags dropped, mode only with
 * O_CREAT/O_TMPFILE and masked to 07777), for OPENAT2 the user's struct as
 * copied; both with O_LARGEFILE added unless O_PATH. A denied open creates
 * no file and no descriptor.
 */
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bpf.h"
#include "restrict.h"
#include "rftest.h"
#include "uring.h"
#include "util.h"

/*
 * The kernel's O_LARGEFILE (glibc defines it as 0 on 64-bit): the generic
 * value on x86-64, arm64's own (whose 0100000 is O_NOFOLLOW) on arm64.
 */
#ifdef __aarch64__
#define K_O_LARGEFILE	0400000
#else
#define K_O_LARGEFILE	0100000
#endif

struct files {
	char dir[64];		/* a directory for the test */
	char existing[96];	/* a file in it */
	char absent[96];	/* a name in it that does not exist */
	int dirfd;
};

static void setup(struct files *f)
{
	int fd;

	rf_tmp_path(f->dir, sizeof(f->dir), "open");
	ASSERT_OK(mkdir(f->dir, 0700));
	snprintf(f->existing, sizeof(f->existing), "%s/existing", f->dir);
	snprintf(f->absent, sizeof(f->absent), "%s/absent", f->dir);
	fd = open(f->existing, O_CREAT | O_WRONLY, 0600);
	ASSERT_OK(fd);
	close(fd);
	f->dirfd = open(f->dir, O_PATH | O_DIRECTORY);
	ASSERT_OK(f->dirfd);
}

static void teardown(struct files *f)
{
	unlink(f->existing);
	unlink(f->absent);
	rmdir(f->dir);
}

static int openat_op(struct rf_ring *r, const char *path, int flags, mode_t mode)
{
	rf_prep_openat(rf_get_sqe(r), AT_FDCWD, path, flags, mode);
	return rf_run1(r);
}

static int openat2_op(struct rf_ring *r, int dfd, const char *path,
		      uint64_t flags, uint64_t mode, uint64_t resolve)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = flags;
	how.mode = mode;
	how.resolve = resolve;
	rf_prep_openat2(rf_get_sqe(r), dfd, path, &how, sizeof(how));
	return rf_run1(r);
}

/* A result that must be a new descriptor; it is closed. */
static bool opened(int res)
{
	if (res < 0)
		return false;
	close(res);
	return true;
}

#define EXPECT_OPENED(res) do {						\
	int rf_res_ = (res);						\
	if (!EXPECT_TRUE(opened(rf_res_)))				\
		rf_note("%s: %d", #res, rf_res_);			\
} while (0)

static struct rf_match creat_bit(void)
{
	return RF_MATCH_MASKED(open.flags, O_CREAT, O_CREAT);
}

TEST(deny_o_creat_openat)
{
	struct rf_ring r;
	struct files f;
	int before;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT, creat_bit()), 0);
	rf_new_ring(&r);
	before = rf_count_fds();
	EXPECT_RES(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0600), -EACCES);
	EXPECT_RES(openat_op(&r, f.absent, O_CREAT | O_EXCL | O_RDWR, 0600), -EACCES);
	/* Denied even where it would create nothing. */
	EXPECT_RES(openat_op(&r, f.existing, O_CREAT | O_RDONLY, 0), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	EXPECT_OPENED(openat_op(&r, f.existing, O_RDONLY, 0));
	EXPECT_OPENED(openat_op(&r, f.existing, O_WRONLY | O_APPEND, 0));
	EXPECT_RES(openat_op(&r, f.absent, O_RDONLY, 0), -ENOENT);
	teardown(&f);
}

TEST(deny_o_creat_openat2)
{
	struct rf_ring r;
	struct files f;
	int before;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT2, creat_bit()), 0);
	rf_new_ring(&r);
	before = rf_count_fds();
	EXPECT_RES(openat2_op(&r, AT_FDCWD, f.absent, O_CREAT | O_WRONLY, 0600, 0),
		   -EACCES);
	EXPECT_RES(openat2_op(&r, f.dirfd, "absent", O_CREAT | O_RDWR, 0600,
			      RESOLVE_BENEATH), -EACCES);
	EXPECT_EQ(rf_count_fds(), before);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	EXPECT_OPENED(openat2_op(&r, AT_FDCWD, f.existing, O_RDONLY, 0, 0));
	teardown(&f);
}

/* OPENAT and OPENAT2 are separate opcodes with separate filters. */
TEST(openat_filter_does_not_cover_openat2)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT, creat_bit()), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat2_op(&r, AT_FDCWD, f.absent, O_CREAT | O_WRONLY, 0600, 0));
	EXPECT_TRUE(rf_path_exists(f.absent));
	teardown(&f);
}

TEST(openat2_filter_does_not_cover_openat)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT2, creat_bit()), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0600));
	EXPECT_TRUE(rf_path_exists(f.absent));
	teardown(&f);
}

/* The exact flags: O_LARGEFILE is added by the prep (64-bit kernels). */
TEST(open_flags_seen_with_o_largefile)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT,
				   RF_MATCH(open.flags, O_RDONLY | O_CLOEXEC |
						      K_O_LARGEFILE)), 0);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT2,
				   RF_MATCH(open.flags, O_RDONLY | O_CLOEXEC |
						      K_O_LARGEFILE)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.existing, O_RDONLY | O_CLOEXEC, 0));
	EXPECT_OPENED(openat2_op(&r, AT_FDCWD, f.existing, O_RDONLY | O_CLOEXEC, 0, 0));
	EXPECT_RES(openat_op(&r, f.existing, O_RDONLY, 0), -EACCES);
	EXPECT_RES(openat2_op(&r, AT_FDCWD, f.existing, O_RDONLY, 0, 0), -EACCES);
	teardown(&f);
}

/* ... but not to an O_PATH open. */
TEST(o_path_seen_without_o_largefile)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT,
				   RF_MATCH(open.flags, O_PATH)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.existing, O_PATH, 0));
	EXPECT_RES(openat_op(&r, f.existing, O_RDONLY, 0), -EACCES);
	teardown(&f);
}

/*
 * OPENAT's flags go through build_open_how(): bits the kernel does not
 * know are dropped before the filter sees them. OPENAT2 passes them on
 * (and the open itself then fails).
 */
TEST(unknown_open_flags_dropped_for_openat_kept_for_openat2)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT,
				  RF_MATCH_MASKED(open.flags, 0x40000000, 0x40000000)), 0);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT2,
				  RF_MATCH_MASKED(open.flags, 0x40000000, 0x40000000)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.existing, O_RDONLY | 0x40000000, 0));
	EXPECT_RES(openat2_op(&r, AT_FDCWD, f.existing, O_RDONLY | 0x40000000, 0, 0),
		   -EACCES);
	teardown(&f);
}

TEST(mode_visible_openat)
{
	struct rf_ring r;
	struct files f;
	struct stat st;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT,
				   RF_MATCH(open.mode, 0600)), 0);
	rf_new_ring(&r);
	EXPECT_RES(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0644), -EACCES);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	EXPECT_OPENED(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0600));
	EXPECT_OK(stat(f.absent, &st));
	EXPECT_EQ(st.st_mode & 07777, 0600);
	teardown(&f);
}

/* OPENAT's mode is zeroed unless the open may create... */
TEST(mode_dropped_without_create)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT, RF_MATCH(open.mode, 0)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.existing, O_RDONLY, 0777));
	EXPECT_RES(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0644), -EACCES);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	teardown(&f);
}

/* ... and masked to 07777. */
TEST(mode_masked_to_permission_bits)
{
	struct rf_ring r;
	struct files f;
	struct stat st;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT, RF_MATCH(open.mode, 0600)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0170600));
	EXPECT_OK(stat(f.absent, &st));
	EXPECT_EQ(st.st_mode & 07777, 0600);
	teardown(&f);
}

TEST(mode_visible_openat2)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT2,
				   RF_MATCH(open.mode, 0600)), 0);
	rf_new_ring(&r);
	EXPECT_RES(openat2_op(&r, AT_FDCWD, f.absent, O_CREAT | O_WRONLY, 0640, 0),
		   -EACCES);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	EXPECT_OPENED(openat2_op(&r, AT_FDCWD, f.absent, O_CREAT | O_WRONLY, 0600, 0));
	EXPECT_TRUE(rf_path_exists(f.absent));
	teardown(&f);
}

TEST(deny_resolve_in_root_openat2)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_deny_if(-1, IORING_OP_OPENAT2,
				  RF_MATCH_MASKED(open.resolve, RESOLVE_IN_ROOT,
						  RESOLVE_IN_ROOT)), 0);
	rf_new_ring(&r);
	EXPECT_RES(openat2_op(&r, f.dirfd, "existing", O_RDONLY, 0, RESOLVE_IN_ROOT),
		   -EACCES);
	EXPECT_RES(openat2_op(&r, f.dirfd, "absent", O_CREAT | O_WRONLY, 0600,
			      RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS), -EACCES);
	EXPECT_TRUE(!rf_path_exists(f.absent));
	EXPECT_OPENED(openat2_op(&r, f.dirfd, "existing", O_RDONLY, 0, RESOLVE_BENEATH));
	EXPECT_OPENED(openat2_op(&r, f.dirfd, "existing", O_RDONLY, 0, 0));
	teardown(&f);
}

TEST(resolve_exact_value_openat2)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(rf_bpf_allow_if(-1, IORING_OP_OPENAT2,
				   RF_MATCH(open.resolve,
					    RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat2_op(&r, f.dirfd, "existing", O_RDONLY, 0,
				 RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS));
	EXPECT_RES(openat2_op(&r, f.dirfd, "existing", O_RDONLY, 0, RESOLVE_BENEATH),
		   -EACCES);
	teardown(&f);
}

/* OPENAT has no resolve: the whole tail of its payload is zero. */
TEST(openat_resolve_zero)
{
	struct rf_ring r;
	struct files f;

	setup(&f);
	ASSERT_RES(RF_BPF_ALLOW_IF_ALL(-1, IORING_OP_OPENAT,
				       rf_match_word(20, 0), rf_match_word(28, 0),
				       rf_match_word(32, 0), rf_match_word(36, 0)), 0);
	rf_new_ring(&r);
	EXPECT_OPENED(openat_op(&r, f.existing, O_RDONLY, 0));
	EXPECT_OPENED(openat_op(&r, f.absent, O_CREAT | O_WRONLY, 0600));
	teardown(&f);
}

/* The opcode's prep runs first: its errors win over a denying filter. */
TEST(prep_error_beats_filter)
{
	struct rf_ring r;
	struct open_how how;

	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_OPENAT), 0);
	ASSERT_RES(rf_bpf_deny(-1, IORING_OP_OPENAT2), 0);
	rf_new_ring(&r);
	/* An unreadable path: delayed_getname() faults in the prep. */
	EXPECT_RES(openat_op(&r, (const char *)8, O_RDONLY, 0), -EFAULT);
	/* An open_how smaller than version 0. */
	memset(&how, 0, sizeof(how));
	rf_prep_openat2(rf_get_sqe(&r), AT_FDCWD, "/", &how, 8);
	EXPECT_RES(rf_run1(&r), -EINVAL);
	/* A valid request is denied. */
	EXPECT_RES(openat_op(&r, "/", O_RDONLY, 0), -EACCES);
}
