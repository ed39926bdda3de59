// SPDX-License-Identifier: GPL-2.0
/*
 * Residency: count what the page tables of a range map, with the same rules
 * as smaps, so that every count can be checked against it: Rss counts pages
 * with a struct page (not the zero page, not PFN maps, not hugetlb); a page
 * is shared when its folio has more than one reference and the page itself
 * is mapped more than once.
 */
#include <linux/mm.h>

#include "compat.h"
#include "vmatlas.h"

struct residency_walk {
	struct vmatlas_walker w;
	struct vmatlas_residency *res;
};

/*
 * Mapcounts are read from a held folio (vmatlas_leaf_folio_get()): one
 * being split or freed meanwhile would have them change meaning under us.
 * Its reference count then includes ours.
 */
static void count_shared(struct vmatlas_walker *w,
			 const struct vmatlas_leaf *leaf, struct page *page,
			 unsigned long nr, struct vmatlas_residency *res)
{
	struct folio *folio;
	unsigned long i;

	if (folio_ref_count(page_folio(page)) == 1)
		return;
	folio = vmatlas_leaf_folio_get(w->mm, leaf, page);
	if (!folio)
		return;
	if (folio_ref_count(folio) > 2)
		for (i = 0; i < nr; i++)
			if (vmatlas_page_shared(vmatlas_nth_page(page, i)))
				res->shared++;
	folio_put(folio);
}

static int residency_leaf(struct vmatlas_walker *w,
			  const struct vmatlas_leaf *leaf)
{
	struct residency_walk *rw = container_of(w, struct residency_walk, w);
	struct vmatlas_residency *res = rw->res;
	unsigned long nr = (leaf->end - leaf->addr) >> PAGE_SHIFT;
	unsigned long vm_flags = w->vma->vm_flags;
	u64 bits = vmatlas_entry_bits(leaf->entry, leaf->level, true);
	struct page *page;
	bool zero;

	if (bits & VMATLAS_ENT_SOFT_DIRTY)
		res->soft_dirty += nr;
	if (!leaf->present) {
		unsigned long offset;
		unsigned int type;

		if (vmatlas_swap_decode(leaf->entry, &type, &offset) ==
		    VMATLAS_SWP_SWAP)
			res->swap += nr;
		return 0;
	}
	if (vm_flags & VM_HUGETLB) {
		res->hugetlb += nr;
		return 0;
	}
	page = vmatlas_leaf_page(w->vma, leaf, &zero);
	if (zero)
		res->zero += nr;
	if (!page)
		return 0;

	res->present += nr;
	if (folio_test_anon(page_folio(page)))
		res->anon += nr;
	else
		res->file += nr;
	if (leaf->level != VMATLAS_LEVEL_PTE)
		res->thp += nr;
	if (bits & VMATLAS_ENT_DIRTY)
		res->dirty += nr;
	if (bits & VMATLAS_ENT_ACCESSED)
		res->young += nr;
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == VM_WRITE &&
	    !(bits & VMATLAS_ENT_WRITE))
		res->cow += nr;
	count_shared(w, leaf, page, nr, res);
	return 0;
}

/**
 * vmatlas_residency() - add up what the page tables of a whole VMA map
 * @c: the cursor that handed the VMA out (vmatlas_cursor_next())
 * @res: counts are added to it
 *
 * Locking: the VMA stays locked on return, but may have been let go of
 * between chunks (vmatlas_walk_vma()) and be another one now: @c says where
 * to go on. May sleep.
 *
 * Return: 0; -EAGAIN if a page table kept changing under the walk, or the
 * VMA changed while it was let go of (the counts are then partial); -EINTR
 * on a fatal signal.
 */
int vmatlas_residency(struct vmatlas_cursor *c, struct vmatlas_residency *res)
{
	struct vm_area_struct *vma = c->vma;
	struct residency_walk rw = {
		.w = {
			.mm = vma->vm_mm,
			.vma = vma,
			.leaf = residency_leaf,
		},
		.res = res,
	};
	int ret;

	ret = vmatlas_walk_vma(&rw.w, c, vma->vm_start, vma->vm_end);
	return ret == VMATLAS_WALK_MOVED ? -EAGAIN : ret;
}
