// SPDX-License-Identifier: GPL-2.0
/*
 * The page-table walker: one function per level, top down, each entry read
 * exactly once. walk_page_range() is not exported to modules, so this walks
 * the tables itself, the way mm/gup.c's lockless fast path and mm/ptdump.c
 * do: entries are snapshots (READ_ONCE()/ptep_get_lockless()), PTE tables are
 * mapped under RCU and the PMD is re-read afterwards; if it changed, the table
 * may have been freed or replaced, and that PMD is walked again.
 *
 * Each level's table is found from the snapshot of the entry above
 * (*_offset_lockless()), so no entry is read twice.
 *
 * The walker only reads. It never takes a fault and never sets an accessed
 * or dirty bit: it does not touch the memory it describes.
 */
#include <linux/lockdep.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>

#include "arch.h"
#include "compat.h"
#include "vmatlas.h"

/* Retries of one PMD whose PTE table changed under the walk. */
#define VMATLAS_PMD_RETRIES 8

static bool level_folded(unsigned int level)
{
	unsigned int levels = vmatlas_arch_levels();

	switch (level) {
	case VMATLAS_LEVEL_P4D:
		return levels < 5;
	case VMATLAS_LEVEL_PUD:
		return levels < 4;
	case VMATLAS_LEVEL_PMD:
		return levels < 3;
	default:
		return false;
	}
}

/*
 * Where a table entry points. Not pmd_pfn() and its kin: they are for leaves,
 * and arm64's round down to the leaf's size (PMD_MASK), which a table's
 * address is not aligned to; nor does every architecture have p4d_pfn() and
 * pgd_pfn(). A table entry holds its address as a PTE does.
 */
static phys_addr_t table_phys(u64 entry)
{
	return PFN_PHYS(pte_pfn(__pte(entry)));
}

/*
 * Show the walk as the hardware does it. Where the kernel's chain reads the
 * top table below the PGD (vmatlas_arch_top_level()), the levels above are
 * phantoms of a fold at boot: their entries are not the CPU's and are not
 * shown; the top table's entry is the PGD's, and the levels down to it are
 * folded, as x86's P4D is in a four-level walk (and, as there, not shown
 * when the walk stops at the PGD).
 */
static void visit(struct vmatlas_walker *w, unsigned int level, u64 entry,
		  unsigned int index, unsigned int flags, phys_addr_t table)
{
	unsigned int top, l;

	/*
	 * Most walks (residency, dumps, translations) have no visitor: this
	 * runs for every entry of every table they read, and must cost them
	 * no more than this test.
	 */
	if (!w->visit)
		return;
	top = vmatlas_arch_top_level();
	if (level < top)
		return;
	flags |= VMATLAS_LVL_READ;
	if (level == top && top != VMATLAS_LEVEL_PGD) {
		w->visit(w, VMATLAS_LEVEL_PGD, entry, index, flags,
			 __pa(w->mm->pgd));
		if (!(flags & (VMATLAS_LVL_NONE | VMATLAS_LVL_BAD)))
			for (l = VMATLAS_LEVEL_PGD + 1; l <= top; l++)
				w->visit(w, l, entry, 0,
					 flags | VMATLAS_LVL_FOLDED, 0);
		return;
	}
	if (level_folded(level))
		flags |= VMATLAS_LVL_FOLDED;
	w->visit(w, level, entry, index, flags, table);
}

/*
 * Hand one leaf to the callback. A non-zero return stops the walk at
 * @w->next: @addr, unless the callback took part of the leaf and moved it on.
 */
static int emit_leaf(struct vmatlas_walker *w, void *slot, unsigned int level,
		     u64 entry, bool present, unsigned long pfn,
		     unsigned long addr, unsigned long end, unsigned long size)
{
	struct vmatlas_leaf leaf = {
		.slot = slot,
		.addr = addr,
		.end = end,
		.size = size,
		.level = level,
		.present = present,
		.entry = entry,
		.pfn = present ? pfn + ((addr & (size - 1)) >> PAGE_SHIFT) : 0,
	};

	w->next = addr;
	return w->leaf(w, &leaf) ? 1 : 0;
}

static int walk_pte_range(struct vmatlas_walker *w, pmd_t *pmdp, pmd_t pmd,
			  unsigned long addr, unsigned long end)
{
	phys_addr_t table = table_phys(pmd_val(pmd));
	pte_t *start_pte, *ptep;
	int ret = 0;

	rcu_read_lock();
	start_pte = vmatlas_pte_map(pmd, addr);
	if (!pmd_same(pmd, vmatlas_pmdp_get(pmdp))) {
		ret = -EAGAIN;
		goto out_unmap;
	}
	for (ptep = start_pte; addr < end; addr += PAGE_SIZE, ptep++) {
		pte_t pte = ptep_get_lockless(ptep);
		bool none = pte_none(pte);

		visit(w, VMATLAS_LEVEL_PTE, pte_val(pte), pte_index(addr),
		      none ? VMATLAS_LVL_NONE : VMATLAS_LVL_LEAF, table);
		if (none)
			continue;
		ret = emit_leaf(w, ptep, VMATLAS_LEVEL_PTE, pte_val(pte),
				pte_present(pte), pte_pfn(pte), addr,
				addr + PAGE_SIZE, PAGE_SIZE);
		if (ret)
			break;
	}
out_unmap:
	vmatlas_pte_unmap(start_pte);
	rcu_read_unlock();
	return ret;
}

/*
 * Spend one unit of the chunk's budget; true when it is spent and the walk
 * should pause before @next (not at @end: the range is done then anyway).
 */
static bool budget_spent(struct vmatlas_walker *w, unsigned long next,
			 unsigned long end)
{
	if (!w->budget || next == end || --w->budget)
		return false;
	w->next = next;
	return true;
}

static int walk_pmd_range(struct vmatlas_walker *w, pud_t *pudp, pud_t pud,
			  unsigned long addr, unsigned long end)
{
	phys_addr_t table =
		level_folded(VMATLAS_LEVEL_PMD) ? 0 : table_phys(pud_val(pud));
	unsigned long next;
	pmd_t *pmdp;
	int ret;

	pmdp = pmd_offset_lockless(pudp, pud, addr);
	do {
		int retries = VMATLAS_PMD_RETRIES;
		pmd_t pmd;

		next = pmd_addr_end(addr, end);
again:
		ret = 0;
		pmd = vmatlas_pmdp_get(pmdp);
		if (pmd_none(pmd)) {
			visit(w, VMATLAS_LEVEL_PMD, pmd_val(pmd),
			      pmd_index(addr), VMATLAS_LVL_NONE, table);
			continue;
		}
		/* A huge leaf, or a swap-format PMD (THP or hugetlb migration). */
		if (!pmd_present(pmd) || pmd_leaf(pmd)) {
			visit(w, VMATLAS_LEVEL_PMD, pmd_val(pmd),
			      pmd_index(addr), VMATLAS_LVL_LEAF, table);
			ret = emit_leaf(w, pmdp, VMATLAS_LEVEL_PMD,
					pmd_val(pmd), pmd_present(pmd),
					pmd_pfn(pmd), addr, next, PMD_SIZE);
		} else if (pmd_bad(pmd)) {
			visit(w, VMATLAS_LEVEL_PMD, pmd_val(pmd),
			      pmd_index(addr), VMATLAS_LVL_BAD, table);
		} else {
			visit(w, VMATLAS_LEVEL_PMD, pmd_val(pmd),
			      pmd_index(addr), 0, table);
			ret = walk_pte_range(w, pmdp, pmd, addr, next);
			if (ret == -EAGAIN && --retries)
				goto again;
		}
		if (ret)
			return ret;
		if (budget_spent(w, next, end))
			return VMATLAS_WALK_PAUSED;
		cond_resched();
	} while (pmdp++, addr = next, addr != end);
	return 0;
}

static int walk_pud_range(struct vmatlas_walker *w, p4d_t *p4dp, p4d_t p4d,
			  unsigned long addr, unsigned long end)
{
	phys_addr_t table =
		level_folded(VMATLAS_LEVEL_PUD) ? 0 : table_phys(p4d_val(p4d));
	unsigned long next;
	pud_t *pudp;
	int ret;

	pudp = pud_offset_lockless(p4dp, p4d, addr);
	do {
		pud_t pud = READ_ONCE(*pudp);

		next = pud_addr_end(addr, end);
		if (pud_none(pud)) {
			visit(w, VMATLAS_LEVEL_PUD, pud_val(pud),
			      pud_index(addr), VMATLAS_LVL_NONE, table);
			continue;
		}
		/* A 1 GiB leaf: mapped, PROT_NONE, or swap-format (hugetlb). */
		if (pud_leaf(pud) || !pud_present(pud)) {
			visit(w, VMATLAS_LEVEL_PUD, pud_val(pud),
			      pud_index(addr), VMATLAS_LVL_LEAF, table);
			ret = emit_leaf(w, pudp, VMATLAS_LEVEL_PUD,
					pud_val(pud),
					vmatlas_pud_leaf_present(pud),
					pud_pfn(pud), addr, next, PUD_SIZE);
			if (!ret && budget_spent(w, next, end))
				ret = VMATLAS_WALK_PAUSED;
		} else if (pud_bad(pud)) {
			visit(w, VMATLAS_LEVEL_PUD, pud_val(pud),
			      pud_index(addr), VMATLAS_LVL_BAD, table);
			continue;
		} else {
			visit(w, VMATLAS_LEVEL_PUD, pud_val(pud),
			      pud_index(addr), 0, table);
			ret = walk_pmd_range(w, pudp, pud, addr, next);
		}
		if (ret)
			return ret;
	} while (pudp++, addr = next, addr != end);
	return 0;
}

static int walk_p4d_range(struct vmatlas_walker *w, pgd_t *pgdp, pgd_t pgd,
			  unsigned long addr, unsigned long end)
{
	phys_addr_t table =
		level_folded(VMATLAS_LEVEL_P4D) ? 0 : table_phys(pgd_val(pgd));
	unsigned long next;
	p4d_t *p4dp;
	int ret;

	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	do {
		p4d_t p4d = READ_ONCE(*p4dp);

		next = p4d_addr_end(addr, end);
		if (p4d_none(p4d)) {
			visit(w, VMATLAS_LEVEL_P4D, p4d_val(p4d),
			      p4d_index(addr), VMATLAS_LVL_NONE, table);
			continue;
		}
		if (p4d_bad(p4d)) {
			visit(w, VMATLAS_LEVEL_P4D, p4d_val(p4d),
			      p4d_index(addr), VMATLAS_LVL_BAD, table);
			continue;
		}
		visit(w, VMATLAS_LEVEL_P4D, p4d_val(p4d), p4d_index(addr), 0,
		      table);
		ret = walk_pud_range(w, p4dp, p4d, addr, next);
		if (ret)
			return ret;
	} while (p4dp++, addr = next, addr != end);
	return 0;
}

static int walk_pgd_range(struct vmatlas_walker *w, unsigned long start,
			  unsigned long end)
{
	phys_addr_t table = __pa(w->mm->pgd);
	unsigned long addr = start, next;
	pgd_t *pgdp;
	int ret;

	pgdp = pgd_offset(w->mm, addr);
	do {
		pgd_t pgd = READ_ONCE(*pgdp);

		next = pgd_addr_end(addr, end);
		if (pgd_none(pgd)) {
			visit(w, VMATLAS_LEVEL_PGD, pgd_val(pgd),
			      pgd_index(addr), VMATLAS_LVL_NONE, table);
			continue;
		}
		if (pgd_bad(pgd)) {
			visit(w, VMATLAS_LEVEL_PGD, pgd_val(pgd),
			      pgd_index(addr), VMATLAS_LVL_BAD, table);
			continue;
		}
		visit(w, VMATLAS_LEVEL_PGD, pgd_val(pgd), pgd_index(addr), 0,
		      table);
		ret = walk_p4d_range(w, pgdp, pgd, addr, next);
		if (ret)
			return ret;
	} while (pgdp++, addr = next, addr != end);
	return 0;
}

/*
 * A shared hugetlb mapping may share its PMD table with other processes,
 * and huge_pmd_unshare() frees that table with i_mmap_rwsem held for write
 * (hugetlb_walk() asks its callers for the hugetlb VMA lock or i_mmap_rwsem,
 * and only the second is reachable from a module). The walk holds it for
 * read, under the mmap lock as everywhere in mm/.
 */
static struct address_space *hugetlb_walk_lock(struct vm_area_struct *vma)
{
	struct address_space *mapping;

	if (!is_vm_hugetlb_page(vma) || !(vma->vm_flags & VM_MAYSHARE) ||
	    !vma->vm_file)
		return NULL;
	mapping = vma->vm_file->f_mapping;
	i_mmap_lock_read(mapping);
	return mapping;
}

/**
 * vmatlas_walk_range() - walk the page tables of [@start, @end) in @w->mm
 * @w: the walker: @mm, @vma, the @leaf callback and optionally @visit
 * @start: first address, page aligned
 * @end: end, page aligned, above @start, within @w->vma
 *
 * Calls @w->leaf for every present or swap-format leaf entry, with the part
 * of the leaf inside the range; empty entries are skipped. Folded levels are
 * visited with the entry of the level above, as the kernel folds them.
 *
 * Locking: the caller holds the mmap read lock of @w->mm, or the read lock
 * of @w->vma itself (@w->vma_locked), and stays inside that VMA, so no page
 * table of the range can be freed except PTE tables, which are freed after
 * an RCU grace period and are read under rcu_read_lock(), and shared hugetlb
 * PMD tables, which i_mmap_rwsem (taken here) keeps.
 * May sleep between PMDs.
 *
 * With @w->budget set, the walk pauses once it has read that many PMD tables
 * or huge leaves; vmatlas_walk_vma() uses that to hold the lock in chunks.
 *
 * Return: 0 when the range is done, 1 if @w->leaf stopped the walk (then
 * @w->next is the address of the leaf it refused, or of the first page of
 * it the callback did not take), VMATLAS_WALK_PAUSED when
 * the budget is spent (@w->next: where to go on), -EAGAIN if a PTE table
 * kept changing.
 */
int vmatlas_walk_range(struct vmatlas_walker *w, unsigned long start,
		       unsigned long end)
{
	struct address_space *hugetlb_mapping;
	int ret;

	if (w->vma_locked)
		vmatlas_vma_assert_read_locked(w->vma);
	else
		mmap_assert_locked(w->mm);
	if (WARN_ON_ONCE(start >= end || !PAGE_ALIGNED(start) ||
			 !PAGE_ALIGNED(end)))
		return -EINVAL;
	hugetlb_mapping = hugetlb_walk_lock(w->vma);
	ret = walk_pgd_range(w, start, end);
	if (hugetlb_mapping)
		i_mmap_unlock_read(hugetlb_mapping);
	return ret;
}

/**
 * vmatlas_walk_vma() - walk [@start, @end) of @c->vma in chunks
 * @w: the walker; @w->vma is updated when the VMA is locked again
 * @c: the cursor that handed out @w->vma (cursor.c)
 * @start: page-aligned first address, inside @w->vma
 * @end: page-aligned end, inside @w->vma
 *
 * As pagemap_read() and smaps do: the lock is held for a chunk of
 * VMATLAS_WALK_CHUNK PMD tables at most; between chunks a fatal signal ends
 * the walk, and the VMA's own lock is let go of and taken again (the mmap
 * lock only when a writer waits for it or the CPU is wanted), the VMA looked
 * up anew at the address the walk goes on from. Its cost follows the
 * populated tables, not the span: empty upper-level entries are skipped
 * whole and spend nothing.
 *
 * Locking: @c holds a lock on @w->vma, and holds one again on return.
 * Return: as vmatlas_walk_range(), never VMATLAS_WALK_PAUSED; -EINTR on a
 * fatal signal; VMATLAS_WALK_MOVED if the VMA was unmapped or changed while
 * it was let go of (@w->next and @c->next: where the walk was).
 */
int vmatlas_walk_vma(struct vmatlas_walker *w, struct vmatlas_cursor *c,
		     unsigned long start, unsigned long end)
{
	int ret;

	for (;;) {
		w->vma_locked = c->vma_locked;
		w->budget = VMATLAS_WALK_CHUNK;
		ret = vmatlas_walk_range(w, start, end);
		w->budget = 0;
		if (ret != VMATLAS_WALK_PAUSED)
			return ret;
		start = w->next;
		ret = vmatlas_cursor_relock(c, start);
		if (ret)
			return ret;
		w->vma = c->vma;
	}
}

/* The leaf vmatlas_lookup_lockless() found: present or swap-format. */
static int lockless_leaf(struct vmatlas_leaf *leaf, unsigned int level,
			 u64 entry, bool present, unsigned long pfn,
			 unsigned long size)
{
	unsigned long addr = leaf->addr;

	leaf->level = level;
	leaf->entry = entry;
	leaf->present = present;
	leaf->size = size;
	leaf->end = (addr & ~(size - 1)) + size;
	leaf->pfn = present ? pfn + ((addr & (size - 1)) >> PAGE_SHIFT) : 0;
	return 1;
}

/**
 * vmatlas_lookup_lockless() - the leaf that maps @addr in @mm, without locks
 * @mm: the address space
 * @addr: a user address
 * @leaf: filled in; @leaf->level is where the lookup ended, leaf or not
 *
 * The one-address cousin of vmatlas_walk_range(), for callers that may not
 * sleep or take the mmap lock: a BPF program in the middle of a page fault.
 * Like GUP-fast and perf_get_page_size(), it relies on interrupts being off:
 * x86 frees page tables only after a TLB-flush IPI or an RCU grace period,
 * and neither can complete while this CPU has interrupts disabled. Each entry
 * is read once, and each lower table is found from the snapshot of the entry
 * above (the *_offset_lockless() helpers GUP-fast uses), never by reading
 * the entry again: a concurrent free_pgtables() may have cleared it, and a
 * second read would take page 0 for a table. The PMD is re-read after the
 * PTE, as the walker does.
 *
 * Context: interrupts disabled; any context, NMI included.
 * Return: 1 if a present or swap-format leaf maps @addr, 0 if an empty (or
 * bad) entry ends the lookup, -EAGAIN if the PTE table changed meanwhile.
 */
int vmatlas_lookup_lockless(struct mm_struct *mm, unsigned long addr,
			    struct vmatlas_leaf *leaf)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;

	lockdep_assert_irqs_disabled();
	memset(leaf, 0, sizeof(*leaf));
	leaf->addr = addr & PAGE_MASK;

	leaf->level = VMATLAS_LEVEL_PGD;
	pgdp = pgd_offset(mm, addr);
	pgd = READ_ONCE(*pgdp);
	if (pgd_none(pgd) || pgd_bad(pgd))
		return 0;

	leaf->level = VMATLAS_LEVEL_P4D;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		return 0;

	leaf->level = VMATLAS_LEVEL_PUD;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return 0;
	if (pud_leaf(pud) || !pud_present(pud))
		return lockless_leaf(leaf, VMATLAS_LEVEL_PUD, pud_val(pud),
				     vmatlas_pud_leaf_present(pud),
				     pud_pfn(pud), PUD_SIZE);
	if (pud_bad(pud))
		return 0;

	leaf->level = VMATLAS_LEVEL_PMD;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = vmatlas_pmdp_get(pmdp);
	if (pmd_none(pmd))
		return 0;
	if (!pmd_present(pmd) || pmd_leaf(pmd))
		return lockless_leaf(leaf, VMATLAS_LEVEL_PMD, pmd_val(pmd),
				     pmd_present(pmd), pmd_pfn(pmd), PMD_SIZE);
	if (pmd_bad(pmd))
		return 0;

	leaf->level = VMATLAS_LEVEL_PTE;
	ptep = vmatlas_pte_map(pmd, addr);
	pte = ptep_get_lockless(ptep);
	vmatlas_pte_unmap(ptep);
	if (!pmd_same(pmd, vmatlas_pmdp_get(pmdp)))
		return -EAGAIN;
	if (pte_none(pte))
		return 0;
	return lockless_leaf(leaf, VMATLAS_LEVEL_PTE, pte_val(pte),
			     pte_present(pte), pte_pfn(pte), PAGE_SIZE);
}
