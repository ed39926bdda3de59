// SPDX-License-Identifier: GPL-2.0
/*
 * The VMAs of a target one after another, each under the lightest lock the
 * kernel lets a module take.
 *
 * Where a module may take a VMA's own read lock (VMATLAS_VMA_LOCKS), a
 * cursor holds nothing between two VMAs and never the mmap lock: it finds
 * the next VMA under RCU and locks it as a page fault does, with
 * lock_vma_under_rcu(), so that a writer to any other VMA of the process
 * (mmap, munmap, mprotect of another range) never waits for it. A VMA whose
 * lock cannot be had (a writer holds it or wants it) is read under the mmap
 * read lock instead, for that VMA only. Elsewhere the cursor holds the mmap
 * read lock from begin to end, and a batch ends when a writer waits for it
 * (vmatlas_cursor_contended()).
 *
 * What a VMA's read lock keeps for that VMA is what the mmap read lock
 * keeps: it is not unmapped, split, merged, moved or changed, and no page
 * table that covers it is freed (free_pgtables() frees only the tables that
 * lie wholly outside the VMAs that remain). PTE tables that khugepaged takes
 * away are freed after an RCU grace period under either lock, which
 * pte_offset_map() copes with.
 */
#include <linux/maple_tree.h>
#include <linux/mm.h>
#include <linux/mmap_lock.h>
#include <linux/sched/signal.h>

#include "compat.h"
#include "vmatlas.h"

/**
 * vmatlas_cursor_begin() - get ready to hand out the VMAs of @t from @addr
 * @c: the cursor
 * @t: the target
 * @addr: the first VMA handed out ends above it
 *
 * Locking: without VMA locks, takes the target's mmap read lock until
 * vmatlas_cursor_end().
 *
 * Return: 0, or -EINTR if a fatal signal came while waiting for the lock.
 */
int vmatlas_cursor_begin(struct vmatlas_cursor *c, struct vmatlas_target *t,
			 unsigned long addr)
{
	VMA_ITERATOR(vmi, t->mm, addr);

	memset(c, 0, sizeof(*c));
	c->t = t;
	c->next = addr;
	c->vmi = vmi;
	if (VMATLAS_VMA_LOCKS)
		return 0;
	if (mmap_read_lock_killable(t->mm))
		return -EINTR;
	c->mmap_locked = true;
	return 0;
}

/* Let go of the VMA handed out last; with VMA locks, of every lock held. */
static void cursor_put(struct vmatlas_cursor *c)
{
	if (c->vma_locked) {
		vmatlas_vma_read_unlock(c->vma);
	} else if (VMATLAS_VMA_LOCKS && c->mmap_locked) {
		mmap_read_unlock(c->t->mm);
		c->mmap_locked = false;
	}
	c->vma = NULL;
	c->vma_locked = false;
}

/* The first VMA ending above @c->next and starting below @end, mmap-locked. */
static struct vm_area_struct *cursor_find_locked(struct vmatlas_cursor *c,
						 unsigned long end)
{
	if (!c->mmap_locked) {
		if (mmap_read_lock_killable(c->t->mm))
			return ERR_PTR(-EINTR);
		c->mmap_locked = true;
		c->vmi_lost = true;
	}
	/* The iterator steps from one VMA to the next without a tree search. */
	if (c->vmi_lost)
		vmatlas_vma_iter_set(&c->vmi, c->next);
	c->vmi_lost = false;
	return vmatlas_vma_find(&c->vmi, end);
}

/*
 * The same, under the VMA's own lock if it can be had: NULL if not,
 * ERR_PTR(-ENOENT) if no VMA is left below @end.
 */
static struct vm_area_struct *cursor_find_vma_locked(struct vmatlas_cursor *c,
						     unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long index = c->next, addr = 0;

	/* Mostly the next VMA starts where the last one ended: one lookup. */
	vma = vmatlas_vma_read_lock(c->t->mm, c->next);
	if (vma) {
		c->vma_locked = true;
		return vma;
	}
	/* A hole or a writer there. VMAs are freed after a grace period. */
	rcu_read_lock();
	vma = mt_find(&c->t->mm->mm_mt, &index, end - 1);
	if (vma)
		addr = max(c->next, READ_ONCE(vma->vm_start));
	rcu_read_unlock();
	if (!vma)
		return ERR_PTR(-ENOENT);
	/* Checks that the VMA still maps @addr and is not being written. */
	vma = vmatlas_vma_read_lock(c->t->mm, addr);
	if (vma)
		c->vma_locked = true;
	return vma;
}

/**
 * vmatlas_cursor_next() - the next VMA, locked
 * @c: the cursor
 * @end: only VMAs that start below it
 *
 * The VMA handed out before is let go of first. The VMA returned ends above
 * @c->next; @c->from is then where it was (the part not handed out yet
 * starts there), and @c->next its end. Between two VMAs nothing is held
 * with VMA locks, so the one before may have grown or merged meanwhile: the
 * VMA returned then starts below @c->from, and a caller that promises
 * VMAs that do not overlap ends its batch there.
 *
 * Locking: with VMA locks, the VMA's read lock or, if a writer has it, the
 * mmap read lock until the next call; else the mmap read lock held since
 * vmatlas_cursor_begin(). May sleep.
 *
 * Return: the VMA, NULL when none is left, ERR_PTR(-EINTR) on a fatal signal.
 */
struct vm_area_struct *vmatlas_cursor_next(struct vmatlas_cursor *c,
					   unsigned long end)
{
	struct vm_area_struct *vma = NULL;

	cursor_put(c);
	if (fatal_signal_pending(current))
		return ERR_PTR(-EINTR);
	if (c->next >= end)
		return NULL;
	if (VMATLAS_VMA_LOCKS) {
		cond_resched();
		vma = cursor_find_vma_locked(c, end);
		/* None left: no need to ask again under the mmap lock. */
		if (vma == ERR_PTR(-ENOENT))
			return NULL;
	}
	if (!vma)
		vma = cursor_find_locked(c, end);
	if (IS_ERR_OR_NULL(vma))
		return vma;
	c->vma = vma;
	c->from = max(c->next, vma->vm_start);
	c->next = vma->vm_end;
	return vma;
}

/**
 * vmatlas_cursor_relock() - between two chunks of a walk: let others in
 * @c: the cursor, with @c->vma locked
 * @addr: where the walk goes on, inside @c->vma
 *
 * A VMA's own lock is let go of and taken again every time, so that a
 * writer of this VMA waits for one chunk at most; the mmap lock only when a
 * writer waits for it or the CPU is wanted. If the VMA is found changed
 * afterwards, @c->next is set to @addr.
 *
 * Return: 0 with @c->vma locked again; VMATLAS_WALK_MOVED if the VMA was
 * unmapped or changed meanwhile; -EINTR on a fatal signal.
 */
int vmatlas_cursor_relock(struct vmatlas_cursor *c, unsigned long addr)
{
	unsigned long vm_start = c->vma->vm_start, vm_end = c->vma->vm_end;
	struct mm_struct *mm = c->t->mm;
	struct vm_area_struct *vma;

	if (fatal_signal_pending(current))
		return -EINTR;
	if (c->vma_locked) {
		vmatlas_vma_read_unlock(c->vma);
		c->vma_locked = false;
	} else {
		if (!mmap_lock_is_contended(mm) && !need_resched())
			return 0;
		mmap_read_unlock(mm);
		c->mmap_locked = false;
	}
	c->vma = NULL;
	cond_resched();

	vma = vmatlas_vma_read_lock(mm, addr);
	if (vma) {
		c->vma_locked = true;
	} else {
		/* A writer holds it briefly: wait, as a page fault would. */
		mmap_read_lock(mm);
		c->mmap_locked = true;
		vma = vma_lookup(mm, addr);
	}
	c->vma = vma;
	c->vmi_lost = true;
	if (!vma || vma->vm_start != vm_start || vma->vm_end != vm_end) {
		c->next = addr;
		return VMATLAS_WALK_MOVED;
	}
	return 0;
}

/**
 * vmatlas_cursor_contended() - should a batch end here and let others in?
 * @c: the cursor
 *
 * Only the mmap lock, held across VMAs, makes writers wait between two of
 * them: with VMA locks nothing is held there.
 *
 * Return: true if the batch should end now.
 */
bool vmatlas_cursor_contended(struct vmatlas_cursor *c)
{
	if (VMATLAS_VMA_LOCKS)
		return false;
	return vmatlas_target_contended(c->t);
}

/**
 * vmatlas_cursor_end() - let go of every lock the cursor holds
 * @c: the cursor
 */
void vmatlas_cursor_end(struct vmatlas_cursor *c)
{
	cursor_put(c);
	if (c->mmap_locked)
		mmap_read_unlock(c->t->mm);
	c->mmap_locked = false;
}
