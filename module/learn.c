// SPDX-License-Identifier: GPL-2.0
/*
 * Learning: every request and register call of a task tree, folded by
 * shape into a fixed table that a descriptor's read(2) drains. A shape is
 * a struct ringfence_record without its count; what a learning program
 * does a million times is one entry with a count, so the table size bounds
 * memory whatever the load, and only shapes that find no room are lost
 * (counted, and reported as a RINGFENCE_RECORD_DROPPED record).
 *
 * Notes come from the submit and register hooks with preemption off, on
 * PREEMPT_RT too: the table is under a raw spinlock and nothing here
 * allocates or sleeps there. Readers copy out under the lock into a buffer
 * of their own, and to user memory after it.
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/jhash.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/ringfence.h>
#include "ringfence.h"
#include "hook.h"

/* As many as fit the table in 32 KiB with its header. */
#define RF_LEARN_SLOTS		480
#define RF_LEARN_PROBES		8
/* Records one read(2) copies out at most, through a buffer on the heap. */
#define RF_LEARN_READ_BATCH	64

struct rf_learn {
	refcount_t ref;
	raw_spinlock_t lock;
	struct rcu_head rcu;
	u64 dropped, dropped_reported;
	unsigned int next;		/* where read(2) resumes its scan */
	/* A used slot has a kind; its count is what read(2) has not returned. */
	struct ringfence_record slot[RF_LEARN_SLOTS];
};

static atomic_t rf_nr_learning = ATOMIC_INIT(0);

bool rf_learn_any(void)
{
	return atomic_read(&rf_nr_learning);
}

struct rf_learn *rf_learn_new(void)
{
	struct rf_learn *l;

	BUILD_BUG_ON(sizeof(*l) > 32768);
	l = kzalloc(sizeof(*l), GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!l)
		return NULL;
	/* Learning rings are watched at submit, allowed requests included. */
	if (rf_hook_get(RF_HOOK_SUBMIT)) {
		kfree(l);
		return NULL;
	}
	refcount_set(&l->ref, 1);
	raw_spin_lock_init(&l->lock);
	atomic_inc(&rf_nr_learning);
	return l;
}

struct rf_learn *rf_learn_get(struct rf_learn *l)
{
	if (l)
		refcount_inc(&l->ref);
	return l;
}

/* Any context: from a task's or a ring's free (RCU callbacks) too. */
void rf_learn_put(struct rf_learn *l)
{
	if (l && refcount_dec_and_test(&l->ref)) {
		atomic_dec(&rf_nr_learning);
		rf_hook_put(RF_HOOK_SUBMIT);
		/* As rf_stats_put(): freeing the pages of l is not atomic on RT. */
		kfree_rcu(l, rcu);
	}
}

/* The shape: everything but the count. */
static u32 rf_learn_hash(const struct ringfence_record *rec)
{
	BUILD_BUG_ON(offsetof(struct ringfence_record, count) % 4 ||
		     offsetof(struct ringfence_record, ctx) % 4 ||
		     sizeof(rec->ctx) % 4);
	return jhash2((const u32 *)rec, offsetof(struct ringfence_record, count) / 4,
		      jhash2((const u32 *)&rec->ctx, sizeof(rec->ctx) / 4, 0));
}

static bool rf_learn_same(const struct ringfence_record *a,
			  const struct ringfence_record *b)
{
	return !memcmp(a, b, offsetof(struct ringfence_record, count)) &&
	       !memcmp(&a->ctx, &b->ctx, sizeof(a->ctx));
}

/* Counts @rec (count ignored) in @l. Any context; never sleeps. */
void notrace rf_learn_note(struct rf_learn *l, const struct ringfence_record *rec)
{
	u32 h = rf_learn_hash(rec);
	struct ringfence_record *s;
	unsigned long flags;
	unsigned int i;

	raw_spin_lock_irqsave(&l->lock, flags);
	for (i = 0; i < RF_LEARN_PROBES; i++) {
		s = &l->slot[(h + i) % RF_LEARN_SLOTS];
		if (!s->kind) {
			*s = *rec;
			s->count = 1;
			break;
		}
		if (rf_learn_same(s, rec)) {
			s->count++;
			break;
		}
	}
	if (i == RF_LEARN_PROBES)
		l->dropped++;
	raw_spin_unlock_irqrestore(&l->lock, flags);
}

/* Up to @max records with a count to report, and the drop count if new. */
static unsigned int rf_learn_take(struct rf_learn *l, struct ringfence_record *out,
				  unsigned int max)
{
	unsigned long flags;
	unsigned int n = 0, seen;

	raw_spin_lock_irqsave(&l->lock, flags);
	if (l->dropped != l->dropped_reported && n < max) {
		memset(&out[n], 0, sizeof(out[n]));
		out[n].kind = RINGFENCE_RECORD_DROPPED;
		out[n].count = l->dropped - l->dropped_reported;
		l->dropped_reported = l->dropped;
		n++;
	}
	for (seen = 0; seen < RF_LEARN_SLOTS && n < max; seen++) {
		struct ringfence_record *s = &l->slot[l->next];

		l->next = (l->next + 1) % RF_LEARN_SLOTS;
		if (!s->kind || !s->count)
			continue;
		out[n++] = *s;
		s->count = 0;
	}
	raw_spin_unlock_irqrestore(&l->lock, flags);
	return n;
}

/*
 * Entry point for whoever holds the descriptor: @buf and @len are the
 * user's, written only through copy_to_user(), whole records only.
 */
static ssize_t rf_learn_read(struct file *file, char __user *buf, size_t len,
			     loff_t *ppos)
{
	struct rf_learn *l = file->private_data;
	struct ringfence_record *recs;
	unsigned int max, n;
	ssize_t ret;

	max = min_t(size_t, len / sizeof(*recs), RF_LEARN_READ_BATCH);
	if (!max)
		return -EINVAL;
	recs = kmalloc_array(max, sizeof(*recs), GFP_KERNEL);
	if (!recs)
		return -ENOMEM;
	n = rf_learn_take(l, recs, max);
	ret = n * sizeof(*recs);
	if (n && copy_to_user(buf, recs, ret))
		ret = -EFAULT;
	kfree(recs);
	return ret;
}

static int rf_learn_release(struct inode *inode, struct file *file)
{
	rf_learn_put(file->private_data);
	return 0;
}

static const struct file_operations rf_learn_fops = {
	.owner = THIS_MODULE,
	.read = rf_learn_read,
	.release = rf_learn_release,
	.llseek = noop_llseek,
};

/* A descriptor that reads @l; it takes its own reference. */
struct file *rf_learn_file(struct rf_learn *l)
{
	struct file *file;

	file = anon_inode_getfile("[ringfence-learn]", &rf_learn_fops, l,
				  O_RDONLY | O_CLOEXEC);
	if (!IS_ERR(file))
		rf_learn_get(l);
	return file;
}
