// SPDX-License-Identifier: GPL-2.0
/*
 * What one page-table entry says: its bits (the architecture decodes the
 * hardware's, module/arch/), the swap or migration entry a non-present one
 * holds, and the struct page behind a present one.
 */
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/page-flags.h>
#include <linux/pgtable.h>

#include "arch.h"
#include "compat.h"
#include "vmatlas.h"

/**
 * vmatlas_entry_bits() - decode a raw entry into VMATLAS_ENT_* bits
 * @entry: raw value as read from the table
 * @level: VMATLAS_LEVEL_* it was read at
 * @leaf: whether it maps memory (a PTE, or a huge PMD/PUD)
 *
 * Return: VMATLAS_ENT_* bits.
 */
u64 vmatlas_entry_bits(u64 entry, unsigned int level, bool leaf)
{
	pte_t pte = __pte(entry);
	u64 bits = 0;
	bool present;

	/*
	 * Each level's own predicate: pmd_present() also holds for a huge PMD
	 * whose present bit pmdp_invalidate() cleared while the THP splits:
	 * still mapped, not a swap entry. A PUD leaf is present as a PTE is
	 * (vmatlas_pud_leaf_present()).
	 */
	present = level == VMATLAS_LEVEL_PMD ? pmd_present(__pmd(entry)) :
					       pte_present(pte);
	if (leaf && !pte_none(pte) && !present) {
		bits |= VMATLAS_ENT_SWAP;
		if (pte_swp_soft_dirty(pte))
			bits |= VMATLAS_ENT_SOFT_DIRTY;
		if (vmatlas_pte_swp_uffd(pte))
			bits |= VMATLAS_ENT_UFFD_WP;
		if (pte_swp_exclusive(pte))
			bits |= VMATLAS_ENT_EXCLUSIVE;
		return bits;
	}

	bits = vmatlas_arch_entry_bits(entry, level, leaf);
	if (!leaf)
		return bits;
	/* Linux's software bits, where the architecture has them. */
	if (pte_soft_dirty(pte))
		bits |= VMATLAS_ENT_SOFT_DIRTY;
	if (vmatlas_pte_uffd(pte))
		bits |= VMATLAS_ENT_UFFD_WP;
	if (pte_special(pte))
		bits |= VMATLAS_ENT_SPECIAL;
	return bits;
}

/**
 * vmatlas_entry_hide_phys() - an entry with its frame number cleared
 * @entry: raw value
 *
 * Return: @entry without the PFN bits, for openers without CAP_SYS_ADMIN.
 */
u64 vmatlas_entry_hide_phys(u64 entry)
{
	return entry & ~vmatlas_arch_phys_mask();
}

/**
 * vmatlas_swap_decode() - what a swap-format entry refers to
 * @entry: raw non-present, non-empty entry (PTE; PMDs use the same format)
 * @type: swap device index (for VMATLAS_SWP_SWAP)
 * @offset: offset on the device, or the PFN of a migration/device entry
 *
 * Return: VMATLAS_SWP_*.
 */
unsigned int vmatlas_swap_decode(u64 entry, unsigned int *type,
				 unsigned long *offset)
{
	swp_entry_t leaf = vmatlas_leaf_from_pte(__pte(entry));

	*type = swp_type(leaf);
	*offset = swp_offset(leaf);
	if (vmatlas_leaf_is_swap(leaf))
		return VMATLAS_SWP_SWAP;
	if (vmatlas_leaf_is_migration(leaf))
		return VMATLAS_SWP_MIGRATION;
	if (vmatlas_leaf_is_device_private(leaf) ||
	    vmatlas_leaf_is_device_exclusive(leaf))
		return VMATLAS_SWP_DEVICE;
	if (vmatlas_leaf_is_hwpoison(leaf))
		return VMATLAS_SWP_HWPOISON;
	if (vmatlas_leaf_is_marker(leaf))
		return VMATLAS_SWP_MARKER;
	return VMATLAS_SWP_OTHER;
}

/**
 * vmatlas_leaf_page() - the struct page a present leaf maps at @leaf->addr
 * @vma: the VMA the leaf lies in, or NULL if the caller cannot hold it
 * @leaf: a present leaf
 * @zero: set if the leaf maps the shared zero page (4 KiB or huge)
 *
 * Follows vm_normal_page()'s rules, which modules cannot call: special
 * entries (PFN maps, the zero page) and frames without a memmap have no
 * page. The huge zero page is not exported either; in an anonymous VMA a
 * PMD leaf whose folio is not anonymous can only be it (without @vma, it is
 * described as the page it is).
 *
 * Return: the page, or NULL.
 */
struct page *vmatlas_leaf_page(struct vm_area_struct *vma,
			       const struct vmatlas_leaf *leaf, bool *zero)
{
	struct page *page;

	*zero = false;
	if (leaf->level == VMATLAS_LEVEL_PTE) {
		pte_t pte = __pte(leaf->entry);

		if (is_zero_pfn(pte_pfn(pte))) {
			*zero = true;
			return NULL;
		}
		if (pte_special(pte))
			return NULL;
	}
	/*
	 * As procfs: a frame may have a memmap that is not initialised
	 * (offline memory, ZONE_DEVICE holes); pfn_valid() does not say.
	 */
	page = pfn_to_online_page(leaf->pfn);
	if (!page)
		return NULL;
	if (leaf->level != VMATLAS_LEVEL_PTE && vma && vma_is_anonymous(vma) &&
	    !folio_test_anon(page_folio(page))) {
		*zero = true;
		return NULL;
	}
	return page;
}

/**
 * vmatlas_leaf_unchanged() - does the leaf's entry still say what it said?
 * @mm: the address space the leaf was read from
 * @leaf: a leaf the walker (or a lockless lookup) handed out
 *
 * The entry is read again, from where the walker read it (during its leaf
 * callback) or by a new lockless lookup.
 *
 * Context: as vmatlas_leaf_folio_get().
 * Return: true if it is the same entry.
 */
bool vmatlas_leaf_unchanged(struct mm_struct *mm,
			    const struct vmatlas_leaf *leaf)
{
	struct vmatlas_leaf again;
	unsigned long flags;
	u64 now;
	int ret;

	switch (leaf->slot ? leaf->level : VMATLAS_LEVELS) {
	case VMATLAS_LEVEL_PTE:
		now = pte_val(ptep_get_lockless(leaf->slot));
		break;
	case VMATLAS_LEVEL_PMD:
		now = pmd_val(vmatlas_pmdp_get(leaf->slot));
		break;
	case VMATLAS_LEVEL_PUD:
		now = pud_val(READ_ONCE(*(pud_t *)leaf->slot));
		break;
	default:
		local_irq_save(flags);
		ret = vmatlas_lookup_lockless(mm, leaf->addr, &again);
		local_irq_restore(flags);
		if (ret != 1 || again.level != leaf->level)
			return false;
		now = again.entry;
	}
	return now == leaf->entry;
}

/**
 * vmatlas_leaf_folio_get() - hold the folio of the page a leaf maps
 * @mm: the address space the leaf was read from
 * @leaf: a present leaf
 * @page: vmatlas_leaf_page()'s answer for it
 *
 * A mapped page is freed, split or reused as soon as the entry that maps it
 * goes, and the walker holds no page-table lock. So, as GUP-fast does, the
 * folio is taken with a speculative reference and the entry read again: if
 * it still maps the page, the page was mapped while it was held, and it
 * cannot be split or freed until folio_put(). A leaf that changed gets NULL.
 *
 * Context: process context, or interrupts disabled; not NMI (the reference
 * put afterwards may be the last one, and that frees the folio).
 * Return: the folio, with a reference; or NULL.
 */
struct folio *vmatlas_leaf_folio_get(struct mm_struct *mm,
				     const struct vmatlas_leaf *leaf,
				     struct page *page)
{
	struct folio *folio = page_folio(page);

	if (!folio_try_get(folio))
		return NULL;
	if (page_folio(page) != folio || !vmatlas_leaf_unchanged(mm, leaf)) {
		folio_put(folio);
		return NULL;
	}
	return folio;
}

/**
 * vmatlas_leaf_facts() - what struct page says of the page a leaf maps
 * @mm: the address space the leaf was read from
 * @leaf: a present leaf
 * @page: vmatlas_leaf_page()'s answer for it, or NULL with @zero
 * @zero: the leaf maps the zero page
 * @out: filled in; its refcount leaves out the reference taken here
 *
 * The page is described while held (vmatlas_leaf_folio_get()).
 *
 * Context: as vmatlas_leaf_folio_get().
 * Return: true if @out was filled in; false if the leaf changed meanwhile.
 */
bool vmatlas_leaf_facts(struct mm_struct *mm, const struct vmatlas_leaf *leaf,
			struct page *page, bool zero, struct vmatlas_page *out)
{
	struct folio *folio;

	if (zero) {
		vmatlas_page_facts(NULL, true, out);
		return true;
	}
	folio = vmatlas_leaf_folio_get(mm, leaf, page);
	if (!folio)
		return false;
	vmatlas_page_facts(page, false, out);
	out->refcount--;
	folio_put(folio);
	return true;
}

/**
 * vmatlas_page_facts() - what struct page says of a mapped page
 * @page: the page, or NULL for the zero page
 * @zero: the leaf maps the zero page
 * @out: filled in
 *
 * Locking: the caller holds a reference to @page's folio
 * (vmatlas_leaf_folio_get()), or describes a kernel page it knows to be
 * allocated; flags may still change (reclaim, writeback): this is a snapshot.
 */
void vmatlas_page_facts(struct page *page, bool zero, struct vmatlas_page *out)
{
	struct folio *folio;

	memset(out, 0, sizeof(*out));
	if (zero) {
		out->flags = VMATLAS_PG_ZERO;
		return;
	}
	folio = page_folio(page);
	out->mapcount = vmatlas_page_mapcount(page);
	out->refcount = folio_ref_count(folio);
	out->order = folio_order(folio);
	if (folio_test_anon(folio)) {
		out->flags |= VMATLAS_PG_ANON;
		/*
		 * hugetlb keeps the flag on the head page only: a tail page's
		 * bit is stale, and 6.1 asserts (VM_BUG_ON_PGFLAGS) on it.
		 */
		if (PageAnonExclusive(folio_test_hugetlb(folio) ? &folio->page :
								  page))
			out->flags |= VMATLAS_PG_ANON_EXCLUSIVE;
	}
	if (folio_test_ksm(folio))
		out->flags |= VMATLAS_PG_KSM;
	if (folio_test_locked(folio))
		out->flags |= VMATLAS_PG_LOCKED;
	if (folio_test_referenced(folio))
		out->flags |= VMATLAS_PG_REFERENCED;
	if (folio_test_uptodate(folio))
		out->flags |= VMATLAS_PG_UPTODATE;
	if (folio_test_dirty(folio))
		out->flags |= VMATLAS_PG_DIRTY;
	if (folio_test_lru(folio))
		out->flags |= VMATLAS_PG_LRU;
	if (folio_test_active(folio))
		out->flags |= VMATLAS_PG_ACTIVE;
	if (folio_test_writeback(folio))
		out->flags |= VMATLAS_PG_WRITEBACK;
	if (folio_test_swapcache(folio))
		out->flags |= VMATLAS_PG_SWAPCACHE;
	if (folio_test_swapbacked(folio))
		out->flags |= VMATLAS_PG_SWAPBACKED;
	if (folio_test_unevictable(folio))
		out->flags |= VMATLAS_PG_UNEVICTABLE;
	if (folio_test_mlocked(folio))
		out->flags |= VMATLAS_PG_MLOCKED;
	if (folio_test_large(folio))
		out->flags |= VMATLAS_PG_LARGE;
	if (folio_test_hugetlb(folio))
		out->flags |= VMATLAS_PG_HUGETLB;
	if (PageReserved(page))
		out->flags |= VMATLAS_PG_RESERVED;
	if (folio_test_slab(folio))
		out->flags |= VMATLAS_PG_SLAB;
	if (PageHighMem(page))
		out->flags |= VMATLAS_PG_HIGHMEM;
}
