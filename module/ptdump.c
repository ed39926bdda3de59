// SPDX-License-Identifier: GPL-2.0
/*
 * PTDUMP: the page tables of a range of a process as runs, like the kernel's
 * own ptdump (which shows only the kernel's or the reader's tables): leaves
 * next to each other with the same protection merge into one run, and a run
 * carries its physical range when it is physically contiguous. Accessed,
 * dirty and soft-dirty are per-page state, not run attributes: WALK and the
 * residency counts show them.
 */
#include <linux/hugetlb.h>
#include <linux/mm.h>

#include "compat.h"
#include "trace.h"
#include "vmatlas.h"

#define RUN_ATTRS                                                        \
	(VMATLAS_ENT_PRESENT | VMATLAS_ENT_WRITE | VMATLAS_ENT_USER |    \
	 VMATLAS_ENT_PWT | VMATLAS_ENT_PCD | VMATLAS_ENT_HUGE |          \
	 VMATLAS_ENT_GLOBAL | VMATLAS_ENT_PAT | VMATLAS_ENT_NX |         \
	 VMATLAS_ENT_SPECIAL | VMATLAS_ENT_PROTNONE | VMATLAS_ENT_SWAP | \
	 RUN_ATTRS_ARM64)
/* arm64's AP[2] and software dirty bit change as pages are written: per page. */
#define RUN_ATTRS_ARM64                                       \
	(VMATLAS_ENT_ARM64_CONT | VMATLAS_ENT_ARM64_DBM |     \
	 VMATLAS_ENT_ARM64_PXN | VMATLAS_ENT_ARM64_UXN |      \
	 VMATLAS_ENT_ARM64_GP | VMATLAS_ENT_ARM64_ATTR_MASK | \
	 VMATLAS_ENT_ARM64_SH_MASK)

struct ptdump_walk {
	struct vmatlas_walker w;
	struct vmatlas_run *runs;
	unsigned int max;
	unsigned int count;
	bool show_phys;
	bool sharing;
};

/* Pages [@start, @end) of @leaf, alike in @page_flags: a run, or more of one. */
static int ptdump_add(struct ptdump_walk *pw, const struct vmatlas_leaf *leaf,
		      unsigned long start, unsigned long end, u32 page_flags)
{
	u64 bits = vmatlas_entry_bits(leaf->entry, leaf->level, true) &
		   RUN_ATTRS;
	u64 phys = leaf->present && pw->show_phys ?
			   PFN_PHYS(leaf->pfn) + (start - leaf->addr) :
			   VMATLAS_NO_PHYS;
	struct vmatlas_run *run = pw->count ? &pw->runs[pw->count - 1] : NULL;

	if (run && run->end == start && run->bits == bits &&
	    run->page_size == leaf->size && run->level == leaf->level &&
	    run->page_flags == page_flags) {
		if (run->phys != VMATLAS_NO_PHYS &&
		    (phys == VMATLAS_NO_PHYS ||
		     run->phys + (run->end - run->start) != phys))
			run->phys = VMATLAS_NO_PHYS;
		run->end = end;
		return 0;
	}
	if (pw->count == pw->max) {
		/* The walk goes on from here: the leaf's start, or this page. */
		pw->w.next = start;
		return 1;
	}
	run = &pw->runs[pw->count++];
	run->start = start;
	run->end = end;
	run->phys = phys;
	run->bits = bits;
	run->page_size = leaf->size;
	run->level = leaf->level;
	run->page_flags = page_flags;
	return 0;
}

/* A hugetlb leaf in a PMD table other processes map too (PMD sharing). */
static bool hugetlb_table_shared(const struct vmatlas_leaf *leaf)
{
#ifdef CONFIG_HUGETLB_PAGE
	return leaf->slot && leaf->level == VMATLAS_LEVEL_PMD &&
	       hugetlb_pmd_shared(leaf->slot);
#else
	return false;
#endif
}

/* Pages whose sharing is read, then checked, at a time: a bitmap on the stack. */
#define SHARING_CHUNK 512

/*
 * Runs for pages [@base, @base + @n) of a leaf of @nr pages, by @shared (one
 * bit per page from @base).
 */
static int ptdump_add_chunk(struct ptdump_walk *pw,
			    const struct vmatlas_leaf *leaf, unsigned long base,
			    unsigned long n, unsigned long nr,
			    const unsigned long *shared)
{
	unsigned long i, from = 0, start, end;
	int ret = 0;
	u32 flags;

	for (i = 1; i <= n && !ret; i++) {
		if (i < n && test_bit(i, shared) == test_bit(from, shared))
			continue;
		start = leaf->addr + ((base + from) << PAGE_SHIFT);
		end = leaf->addr + ((base + i) << PAGE_SHIFT);
		if (base + i == nr)
			end = leaf->end; /* a hugetlb leaf: one page of its size */
		flags = test_bit(from, shared) ? VMATLAS_RUN_SHARED :
						 VMATLAS_RUN_PRIVATE;
		ret = ptdump_add(pw, leaf, start, end, flags);
		from = i;
	}
	return ret;
}

/*
 * The pages of a present leaf, cut where their sharing changes, as pagemap
 * decides PM_MMAP_EXCLUSIVE: a hugetlb page is mapped as a whole, and is
 * shared too when its PMD table is. Map counts are read from the held folio
 * (vmatlas_leaf_folio_get()); an anonymous folio with a lone reference is
 * the one mapping and is not held. Either way the entry is read again
 * afterwards, as GUP-fast does, each SHARING_CHUNK pages: pages read while
 * the leaf changed (split, unmapped, forked) say neither, as does a page
 * nobody maps (a PFN map's) and a leaf of more pages than a table holds (a
 * DAX PUD).
 */
static int ptdump_sharing(struct ptdump_walk *pw,
			  const struct vmatlas_leaf *leaf)
{
	unsigned long nr = (leaf->end - leaf->addr) >> PAGE_SHIFT;
	unsigned long i, n, base = 0;
	DECLARE_BITMAP(shared, SHARING_CHUNK);
	struct folio *folio;
	struct page *page;
	bool zero, known;
	int ret = 0;
	u32 flags;

	page = vmatlas_leaf_page(pw->w.vma, leaf, &zero);
	if (!page)
		return ptdump_add(pw, leaf, leaf->addr, leaf->end, 0);
	folio = page_folio(page);
	if (folio_test_anon(folio) && folio_ref_count(folio) == 1) {
		smp_rmb(); /* the count, then the entry: as gup_fast_pte_range() */
		flags = vmatlas_leaf_unchanged(pw->w.mm, leaf) ?
				VMATLAS_RUN_PRIVATE :
				0;
		return ptdump_add(pw, leaf, leaf->addr, leaf->end, flags);
	}
	folio = vmatlas_leaf_folio_get(pw->w.mm, leaf, page);
	if (!folio)
		return ptdump_add(pw, leaf, leaf->addr, leaf->end, 0);
	if (folio_test_hugetlb(folio))
		nr = 1;
	known = nr <= PTRS_PER_PTE;
	while (known && base < nr && !ret) {
		n = min_t(unsigned long, nr - base, SHARING_CHUNK);
		for (i = 0; known && i < n; i++) {
			struct page *p = vmatlas_nth_page(page, base + i);

			known = vmatlas_page_mapcount(p) > 0;
			__assign_bit(i, shared, vmatlas_page_shared(p));
		}
		if (known && folio_test_hugetlb(folio) &&
		    hugetlb_table_shared(leaf))
			__set_bit(0, shared);
		smp_rmb(); /* the counts, then the entry */
		known = known && vmatlas_leaf_unchanged(pw->w.mm, leaf);
		if (known) {
			ret = ptdump_add_chunk(pw, leaf, base, n, nr, shared);
			base += n;
		}
	}
	folio_put(folio);
	if (!known && !ret)
		ret = ptdump_add(pw, leaf, leaf->addr + (base << PAGE_SHIFT),
				 leaf->end, 0);
	return ret;
}

static int ptdump_leaf(struct vmatlas_walker *w,
		       const struct vmatlas_leaf *leaf)
{
	struct ptdump_walk *pw = container_of(w, struct ptdump_walk, w);

	if (pw->sharing && leaf->present)
		return ptdump_sharing(pw, leaf);
	return ptdump_add(pw, leaf, leaf->addr, leaf->end, 0);
}

/**
 * vmatlas_ptdump_collect() - gather the runs of [@start, @end)
 * @t: the target
 * @start: page-aligned first address
 * @end: page-aligned end
 * @flags: VMATLAS_PTDUMP_*
 * @runs: room for @max runs
 * @max: at most this many runs
 * @count: runs filled
 * @next: where to continue, or 0 when @end was reached
 *
 * Every transport comes through here, so the range is checked here
 * (vmatlas_target_check_range()), not by each caller.
 *
 * Locking: as vmatlas_vmas_collect(): each VMA under its own read lock, or
 * under the mmap read lock, let go of between chunks of the walk
 * (vmatlas_walk_vma()) and, for the mmap lock, between two VMAs when a
 * writer waits for it (cursor.c).
 *
 * Return: 0 or a negative errno (-EINVAL for a bad range, -EINTR, -EAGAIN).
 */
int vmatlas_ptdump_collect(struct vmatlas_target *t, unsigned long start,
			   unsigned long end, u32 flags,
			   struct vmatlas_run *runs, unsigned int max,
			   unsigned int *count, unsigned long *next)
{
	struct ptdump_walk pw = {
		.w = {
			.mm = t->mm,
			.leaf = ptdump_leaf,
		},
		.runs = runs,
		.max = max,
		.show_phys = t->show_phys,
		.sharing = flags & VMATLAS_PTDUMP_SHARING,
	};
	struct vmatlas_cursor c;
	struct vm_area_struct *vma;
	int ret;

	*next = 0;
	*count = 0;
	ret = vmatlas_target_check_range(t, start, end);
	if (ret)
		goto out_trace;
	ret = vmatlas_cursor_begin(&c, t, start);
	if (ret)
		return ret;
	for (;;) {
		vma = vmatlas_cursor_next(&c, end);
		if (IS_ERR_OR_NULL(vma)) {
			ret = PTR_ERR_OR_ZERO(vma);
			break;
		}
		pw.w.vma = vma;
		ret = vmatlas_walk_vma(&pw.w, &c, c.from,
				       min(end, vma->vm_end));
		if (ret == 1) {
			*next = pw.w.next;
			ret = 0;
			break;
		}
		/* Runs describe tables, not VMAs: go on with what is there now. */
		if (ret == VMATLAS_WALK_MOVED) {
			ret = 0;
			continue;
		}
		if (ret)
			break;
		if (pw.count && pw.w.vma->vm_end < end &&
		    vmatlas_cursor_contended(&c)) {
			*next = pw.w.vma->vm_end;
			break;
		}
	}
	vmatlas_cursor_end(&c);
	*count = pw.count;
out_trace:
	trace_vmatlas_ptdump(t->pid, start, end, *count, *next, ret);
	return ret;
}
