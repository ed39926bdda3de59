// SPDX-License-Identifier: GPL-2.0
/*
 * WALK: translate one user address level by level, the way the MMU would,
 * recording every entry on the way, where the walk stopped and why, the
 * physical address, a swap or migration entry, and the struct page.
 */
#include <linux/mm.h>
#include <linux/string.h>

#include "trace.h"
#include "vmatlas.h"

struct translate_walk {
	struct vmatlas_walker w;
	struct vmatlas_walk *out;
	bool zero;
	struct page *page;
};

static void translate_visit(struct vmatlas_walker *w, unsigned int level, u64 entry,
			    unsigned int index, unsigned int flags, phys_addr_t table)
{
	struct translate_walk *tw = container_of(w, struct translate_walk, w);
	struct vmatlas_level *lvl = &tw->out->levels[level];

	lvl->entry = entry;
	lvl->bits = vmatlas_entry_bits(entry, level, flags & VMATLAS_LVL_LEAF);
	lvl->index = index;
	lvl->flags = flags;
	/* A folded level is the level above seen again: same entry, same table. */
	lvl->table = (flags & VMATLAS_LVL_FOLDED) && level ? tw->out->levels[level - 1].table :
							     table;
	tw->out->stop_level = level;
}

static int translate_leaf(struct vmatlas_walker *w, const struct vmatlas_leaf *leaf)
{
	struct translate_walk *tw = container_of(w, struct translate_walk, w);
	struct vmatlas_walk *out = tw->out;
	unsigned long offset;
	unsigned int type;

	out->page_size = leaf->size;
	if (!leaf->present) {
		out->swap_kind = vmatlas_swap_decode(leaf->entry, &type, &offset);
		out->swap_type = type;
		out->swap_offset = offset;
		return 0;
	}
	out->out_flags |= VMATLAS_WALK_PRESENT;
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
static void translate_apply_view(const struct vmatlas_target *t, struct vmatlas_walk *out)
{
	int i;

	if (!t->show_tables) {
		out->out_flags |= VMATLAS_OUT_TABLES_HIDDEN;
		/* An entry above the leaf holds the next table's address. */
		for (i = 0; i < VMATLAS_LEVELS; i++) {
			out->levels[i].table = 0;
			if (!(out->levels[i].flags & VMATLAS_LVL_LEAF))
				out->levels[i].entry =
					vmatlas_entry_hide_phys(out->levels[i].entry);
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

		/* A swap-format leaf is all swap slot or frame, bar its bits. */
		if ((l->flags & VMATLAS_LVL_LEAF) && (l->bits & VMATLAS_ENT_SWAP))
			l->entry = 0;
		else
			l->entry = vmatlas_entry_hide_phys(l->entry);
	}
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
int vmatlas_translate(struct vmatlas_target *t, unsigned long addr, struct vmatlas_walk *out)
{
	struct translate_walk tw = {
		.w = {
			.mm = t->mm,
			.leaf = translate_leaf,
			.visit = translate_visit,
		},
		.out = out,
	};
	struct vm_area_struct *vma;
	int ret;

	ret = vmatlas_target_check_range(t, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
	if (ret)
		return ret;
	ret = vmatlas_target_lock(t);
	if (ret)
		return ret;
	vma = find_vma(t->mm, addr);
	if (!vma || vma->vm_start > addr) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	tw.w.vma = vma;
	out->vma_start = vma->vm_start;
	out->vma_end = vma->vm_end;
	out->vma_flags = vmatlas_vm_flags(vma->vm_flags);
	ret = vmatlas_walk_range(&tw.w, addr & PAGE_MASK, (addr & PAGE_MASK) + PAGE_SIZE);
out_unlock:
	vmatlas_target_unlock(t);
	if (!ret)
		translate_apply_view(t, out);
	trace_vmatlas_walk(t->pid, addr, ret ? 0 : out->stop_level, ret ? 0 : out->page_size,
			   ret ? 0 : out->pfn, ret);
	return ret;
}
