// SPDX-License-Identifier: GPL-2.0
/*
 * WALK: translate one user address level by level, the way the MMU would,
 * recording every entry on the way, where the walk stopped and why, the
 * physical address, a swap or migration entry, and the struct page.
 * TRANSLATE: the same for many addresses under one hold of the mmap lock,
 * without the struct page.
 */
#include <linux/mm.h>
#include <linux/string.h>

#include "arch.h"
#include "trace.h"
#include "vmatlas.h"

struct translate_walk {
	struct vmatlas_walker w;
	struct vmatlas_walk *out;
	bool zero;
	struct page *page;
};

static void translate_visit(struct vmatlas_walker *w, unsigned int level,
			    u64 entry, unsigned int index, unsigned int flags,
			    phys_addr_t table)
{
	struct translate_walk *tw = container_of(w, struct translate_walk, w);
	struct vmatlas_level *lvl = &tw->out->levels[level];

	lvl->entry = entry;
	lvl->bits = vmatlas_entry_bits(entry, level, flags & VMATLAS_LVL_LEAF);
	lvl->index = index;
	lvl->flags = flags;
	/* A folded level is the level above seen again: same entry, same table. */
	if ((flags & VMATLAS_LVL_FOLDED) && level)
		table = tw->out->levels[level - 1].table;
	lvl->table = table;
	tw->out->stop_level = level;
}

static int translate_leaf(struct vmatlas_walker *w,
			  const struct vmatlas_leaf *leaf)
{
	struct translate_walk *tw = container_of(w, struct translate_walk, w);
	struct vmatlas_walk *out = tw->out;
	unsigned long offset;
	unsigned int type;

	out->page_size = leaf->size;
	if (!leaf->present) {
		out->swap_kind =
			vmatlas_swap_decode(leaf->entry, &type, &offset);
		out->swap_type = type;
		out->swap_offset = offset;
		return 0;
	}
	out->out_flags |= VMATLAS_WALK_PRESENT;
	out->tlb_size =
		vmatlas_arch_tlb_size(leaf->entry, leaf->level, leaf->size);
	out->pfn = leaf->pfn;
	out->phys = PFN_PHYS(leaf->pfn) | offset_in_page(out->addr);
	tw->page = vmatlas_leaf_page(w->vma, leaf, &tw->zero);
	if ((tw->page || tw->zero) &&
	    vmatlas_leaf_facts(w->mm, leaf, tw->page, tw->zero, &out->page))
		out->out_flags |= VMATLAS_WALK_PAGE;
	return 0;
}

/*
 * What the target's view hides (include/uapi/linux/vmatlas.h): without
 * CAP_SYS_ADMIN nothing that names a frame, a swap slot or the state of a
 * struct page leaves; page-table addresses also need kernel addresses.
 */
/* A leaf entry as an opener without CAP_SYS_ADMIN sees it (WALK and TRANSLATE). */
static u64 translate_hide_leaf(u64 entry, u64 bits)
{
	/* A swap-format leaf is all swap slot or frame, bar its bits. */
	return bits & VMATLAS_ENT_SWAP ? 0 : vmatlas_entry_hide_phys(entry);
}

static void translate_apply_view(const struct vmatlas_target *t,
				 struct vmatlas_walk *out)
{
	int i;

	if (!t->show_tables) {
		out->out_flags |= VMATLAS_OUT_TABLES_HIDDEN;
		/* An entry above the leaf holds the next table's address. */
		for (i = 0; i < VMATLAS_LEVELS; i++) {
			struct vmatlas_level *lvl = &out->levels[i];

			lvl->table = 0;
			if (!(lvl->flags & VMATLAS_LVL_LEAF))
				lvl->entry =
					vmatlas_entry_hide_phys(lvl->entry);
		}
	}
	if (t->show_phys)
		return;
	out->out_flags |= VMATLAS_OUT_PHYS_HIDDEN;
	out->out_flags &= ~VMATLAS_WALK_PAGE;
	memset(&out->page, 0, sizeof(out->page));
	out->phys = 0;
	out->pfn = 0;
	out->swap_type = 0;
	out->swap_offset = 0;
	for (i = 0; i < VMATLAS_LEVELS; i++) {
		struct vmatlas_level *l = &out->levels[i];

		/* Only a leaf's bits can say swap (vmatlas_entry_bits()). */
		l->entry = translate_hide_leaf(l->entry, l->bits);
	}
}

/*
 * Walk for @out->addr in @vma, which contains it, and apply the view.
 * Locking: the caller holds the mmap read lock.
 */
static int translate_locked(struct vmatlas_target *t,
			    struct vm_area_struct *vma,
			    struct vmatlas_walk *out)
{
	unsigned long page = out->addr & PAGE_MASK;
	struct translate_walk tw = {
		.w = {
			.mm = t->mm,
			.vma = vma,
			.leaf = translate_leaf,
			.visit = translate_visit,
		},
		.out = out,
	};
	int ret;

	out->vma_start = vma->vm_start;
	out->vma_end = vma->vm_end;
	out->vma_flags = vmatlas_vm_flags(vma->vm_flags);
	ret = vmatlas_walk_range(&tw.w, page, page + PAGE_SIZE);
	if (!ret)
		translate_apply_view(t, out);
	return ret;
}

static int translate_check(struct vmatlas_target *t, unsigned long addr)
{
	return vmatlas_target_check_range(t, addr & PAGE_MASK,
					  (addr & PAGE_MASK) + PAGE_SIZE);
}

/**
 * vmatlas_translate() - walk the page tables for one user address
 * @t: the target
 * @addr: any byte of the target's user address space
 * @out: its input fields are kept; every output field is written
 *
 * Locking: takes and releases the target's mmap read lock.
 *
 * Return: 0; -EINVAL if @addr is not a user address of the target; -ENOMEM
 * if no VMA contains it; -EAGAIN if the target is in the middle of execve()
 * or a page table kept changing; -EINTR.
 */
int vmatlas_translate(struct vmatlas_target *t, unsigned long addr,
		      struct vmatlas_walk *out)
{
	struct vm_area_struct *vma;
	int ret;

	ret = translate_check(t, addr);
	if (ret)
		return ret;
	ret = vmatlas_target_lock(t);
	if (ret)
		return ret;
	vma = vma_lookup(t->mm, addr);
	ret = vma ? translate_locked(t, vma, out) : -ENOMEM;
	vmatlas_target_unlock(t);
	trace_vmatlas_walk(t->pid, addr, ret ? 0 : out->stop_level,
			   ret ? 0 : out->page_size, ret ? 0 : out->pfn, ret);
	return ret;
}

/* Retries of one address whose PTE table changed under the lookup. */
#define XLAT_RETRIES 8

/*
 * One address, leaf only, with the straight-line lookup the kfunc uses
 * (vmatlas_lookup_lockless()): no callbacks per level, which is most of what
 * a walk costs once the system call is paid. It needs interrupts off; the
 * mmap lock the caller holds keeps every table above the PTE in place anyway.
 */
static int xlat_lookup(const struct vmatlas_target *t, struct vmatlas_xlat *x,
		       unsigned long addr)
{
	struct vmatlas_leaf leaf;
	int ret, tries = XLAT_RETRIES;
	unsigned long offset, flags;
	unsigned int type;

	do {
		local_irq_save(flags);
		ret = vmatlas_lookup_lockless(t->mm, addr, &leaf);
		local_irq_restore(flags);
	} while (ret == -EAGAIN && --tries);
	if (ret < 0)
		return ret;

	x->level = leaf.level;
	if (ret) {
		x->entry = leaf.entry;
		x->page_size = leaf.size;
		if (leaf.present) {
			x->out_flags |= VMATLAS_WALK_PRESENT;
			x->phys = PFN_PHYS(leaf.pfn) | offset_in_page(addr);
		} else {
			x->swap_kind =
				vmatlas_swap_decode(leaf.entry, &type, &offset);
			x->swap_type = type;
			x->swap_offset = offset;
		}
	}
	x->bits = vmatlas_entry_bits(x->entry, x->level, ret);

	/* What the view hides, as translate_apply_view() does for WALK. */
	if (!t->show_tables)
		x->out_flags |= VMATLAS_OUT_TABLES_HIDDEN;
	if (t->show_phys)
		return 0;
	x->out_flags |= VMATLAS_OUT_PHYS_HIDDEN;
	x->phys = 0;
	x->swap_type = 0;
	x->swap_offset = 0;
	x->entry = translate_hide_leaf(x->entry, x->bits);
	return 0;
}

/**
 * vmatlas_translate_batch() - translate @n addresses under one hold of the lock
 * @t: the target
 * @x: the entries: @addr is read, every other field written
 * @n: how many, at most VMATLAS_XLAT_BATCH (the lock is held for all of them)
 *
 * What WALK would refuse for one address is that entry's @error.
 *
 * Locking: takes and releases the target's mmap read lock; stops short when
 * a writer waits for it (vmatlas_target_contended()).
 *
 * Return: entries done, at least one; -EINTR if a fatal signal arrived while
 * waiting for the lock.
 */
int vmatlas_translate_batch(struct vmatlas_target *t, struct vmatlas_xlat *x,
			    unsigned int n)
{
	unsigned int i, present = 0, refused = 0;
	struct vm_area_struct *vma = NULL;
	int ret;

	ret = vmatlas_target_lock(t);
	if (ret) {
		trace_vmatlas_translate(t->pid, n, 0, 0, ret);
		return ret;
	}
	for (i = 0; i < n; i++) {
		u64 raw = x[i].addr;
		unsigned long addr = raw;

		memset(&x[i], 0, sizeof(x[i]));
		x[i].addr = raw;
		x[i].error = raw == addr ? translate_check(t, addr) : -EINVAL;
		if (x[i].error)
			continue;
		/* Sorted addresses mostly fall in the VMA of the one before. */
		if (!vma || addr < vma->vm_start || addr >= vma->vm_end)
			vma = vma_lookup(t->mm, addr);
		if (!vma) {
			x[i].error = -ENOMEM;
			continue;
		}
		x[i].error = xlat_lookup(t, &x[i], addr);
		if (x[i].error)
			memset(&x[i], 0, offsetof(struct vmatlas_xlat, error));
		x[i].addr = raw;
		if (vmatlas_target_contended(t)) {
			i++;
			break;
		}
	}
	vmatlas_target_unlock(t);
	n = i;
	for (i = 0; i < n; i++) {
		present += !!(x[i].out_flags & VMATLAS_WALK_PRESENT);
		refused += !!x[i].error;
	}
	trace_vmatlas_translate(t->pid, n, present, refused, 0);
	return n;
}
