/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmatlas supports, in one place: kernel
 * versions and configurations. No other file tests LINUX_VERSION_CODE.
 */
#ifndef _VMATLAS_COMPAT_H
#define _VMATLAS_COMPAT_H

#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pgtable.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/version.h>

/*
 * The code is written against the newest kernel's API; what older kernels
 * name differently is supplied below under the new name, as backports'
 * compat/ does. Where the headers can tell whether an API exists, they are
 * probed (#ifdef on a macro here, VMATLAS_HAVE_* from Kbuild's look at the
 * header files) rather than guessed from a version: Debian ships nothing
 * between 6.12 and 7.2 to date such a change by.
 */

/*
 * Software leaf entries (swap, migration, device, hwpoison, markers): the
 * swapops predicates on swp_entry_t gave way to <linux/leafops.h> (7.x),
 * whose softleaf_t is still swp_entry_t underneath, so swp_type() and
 * swp_offset() stay. vmatlas names its own wrappers: stable kernels carry
 * parts of the new spelling (Debian's 6.12.117 has softleaf_t and a
 * softleaf_from_pte() macro, without the predicates), so the new names
 * cannot be supplied whole where leafops.h is missing.
 */
#ifdef VMATLAS_HAVE_LEAFOPS
#include <linux/leafops.h>
#define vmatlas_leaf_from_pte(pte) softleaf_from_pte(pte)
#define vmatlas_leaf_is_swap(leaf) softleaf_is_swap(leaf)
#define vmatlas_leaf_is_migration(leaf) softleaf_is_migration(leaf)
#define vmatlas_leaf_is_device_private(leaf) softleaf_is_device_private(leaf)
#define vmatlas_leaf_is_device_exclusive(leaf) \
	softleaf_is_device_exclusive(leaf)
#define vmatlas_leaf_is_hwpoison(leaf) softleaf_is_hwpoison(leaf)
#define vmatlas_leaf_is_marker(leaf) softleaf_is_marker(leaf)
#else
#define vmatlas_leaf_from_pte(pte) pte_to_swp_entry(pte)
#define vmatlas_leaf_is_swap(leaf) (!non_swap_entry(leaf))
#define vmatlas_leaf_is_migration(leaf) is_migration_entry(leaf)
#define vmatlas_leaf_is_device_private(leaf) is_device_private_entry(leaf)
#define vmatlas_leaf_is_device_exclusive(leaf) is_device_exclusive_entry(leaf)
#define vmatlas_leaf_is_hwpoison(leaf) is_hwpoison_entry(leaf)
#define vmatlas_leaf_is_marker(leaf) is_pte_marker_entry(leaf)
#endif

/*
 * The userfaultfd bit of present and swap entries: pte_uffd_wp() and
 * pte_swp_uffd_wp() became pte_uffd() and pte_swp_uffd() in 7.3, with the
 * same meaning (asm-generic/pgtable_uffd.h answers 0 where the architecture
 * has no such bit).
 */
#ifdef VMATLAS_HAVE_PTE_UFFD
#define vmatlas_pte_uffd(pte) pte_uffd(pte)
#define vmatlas_pte_swp_uffd(pte) pte_swp_uffd(pte)
#else
#define vmatlas_pte_uffd(pte) pte_uffd_wp(pte)
#define vmatlas_pte_swp_uffd(pte) pte_swp_uffd_wp(pte)
#endif

/*
 * Whether a PUD leaf maps memory. Only hugetlb makes PUD leaves in user
 * space, and it reads them as PTEs (huge_ptep_get()): PROT_NONE is
 * present, as for PTEs and PMDs. pud_present() tests _PAGE_PRESENT alone
 * on x86, which would take a PROT_NONE 1 GiB page for a swap entry.
 */
static inline bool vmatlas_pud_leaf_present(pud_t pud)
{
	return pte_present(__pte(pud_val(pud)));
}

/*
 * The @n-th page after @page within one allocation. nth_page() left mm.h
 * once a folio's struct pages were contiguous in every memory model; before,
 * SPARSEMEM without VMEMMAP needed it.
 */
static inline struct page *vmatlas_nth_page(struct page *page, unsigned long n)
{
#ifdef nth_page
	return nth_page(page, n);
#else
	return page + n;
#endif
}

/*
 * A PMD read without the page-table lock. 6.5 made pmdp_get_lockless() the
 * one way; before it, PAE's two halves were read by pmd_read_atomic(), and
 * its users followed it with a compiler barrier so that the value tested is
 * the value used (pmd_none_or_trans_huge_or_clear_bad() in 6.1).
 */
static inline pmd_t vmatlas_pmdp_get(pmd_t *pmdp)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return pmdp_get_lockless(pmdp);
#else
	pmd_t pmd = pmd_read_atomic(pmdp);

	barrier();
	return pmd;
#endif
}

/*
 * Map the PTE table a PMD value points to. pte_offset_map() became the
 * unexported __pte_offset_map() in 6.5, so map it here: through the direct
 * map, or with kmap_local_page() where CONFIG_HIGHPTE puts tables in highmem.
 * The caller holds rcu_read_lock() and re-checks the PMD afterwards, as
 * __pte_offset_map() users do.
 */
static inline pte_t *vmatlas_pte_map(pmd_t pmd, unsigned long addr)
{
#ifdef CONFIG_HIGHPTE
	return (pte_t *)kmap_local_page(pmd_page(pmd)) + pte_index(addr);
#else
	return (pte_t *)pmd_page_vaddr(pmd) + pte_index(addr);
#endif
}

static inline void vmatlas_pte_unmap(pte_t *pte)
{
#ifdef CONFIG_HIGHPTE
	kunmap_local(pte);
#endif
}

/*
 * How many times this page is mapped, the way /proc/PID/pagemap decides
 * PM_MMAP_EXCLUSIVE and smaps decides Shared_*: page_mapcount() up to 6.11,
 * fs/proc's folio_precise_page_mapcount() (not visible to modules) after it.
 */
static inline int vmatlas_page_mapcount(struct page *page)
{
#if defined(CONFIG_NO_PAGE_MAPCOUNT)
	/*
	 * 6.15+ may keep no per-page map count: smaps then uses the folio's
	 * average (fs/proc's folio_average_page_mapcount(), rounded, at least
	 * 1 if mapped at all), and so do we.
	 */
	struct folio *folio = page_folio(page);
	int mapcount, entire, avg;

	if (!folio_test_large(folio))
		return atomic_read(&folio->_mapcount) + 1;
	mapcount = folio_large_mapcount(folio);
	if (mapcount <= 0)
		return 0;
	entire = folio_entire_mapcount(folio);
	if (mapcount <= entire)
		return entire;
	mapcount -= entire;
	avg = ((unsigned int)mapcount + folio_nr_pages(folio) / 2) >>
	      folio_order(folio);
	return max_t(int, avg + entire, 1);
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	struct folio *folio = page_folio(page);
	int mapcount = atomic_read(&page->_mapcount) + 1;

	if (page_mapcount_is_type(mapcount))
		mapcount = 0;
	if (folio_test_large(folio))
		mapcount += folio_entire_mapcount(folio);
	return mapcount;
#else
	return page_mapcount(page);
#endif
}

/* 7.3 added read-write protected userfaultfd ranges; VM_NONE before. */
#ifdef VM_UFFD_RWP
#define VMATLAS_KERNEL_VM_UFFD_RWP VM_UFFD_RWP
#else
#define VMATLAS_KERNEL_VM_UFFD_RWP VM_NONE
#endif

/*
 * Whether smaps counts the page as shared: mapped more than once, or, where
 * the kernel keeps no per-page map count (CONFIG_NO_PAGE_MAPCOUNT), in a
 * folio that may be mapped by more than one process.
 */
static inline bool vmatlas_page_shared(struct page *page)
{
#if defined(CONFIG_NO_PAGE_MAPCOUNT)
	return folio_maybe_mapped_shared(page_folio(page));
#else
	return vmatlas_page_mapcount(page) >= 2;
#endif
}

/*
 * Point a VMA iterator at @addr again, after the mmap lock was dropped:
 * vma_iter_set() from 6.4; the maple state underneath before.
 */
static inline void vmatlas_vma_iter_set(struct vma_iterator *vmi,
					unsigned long addr)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
	vma_iter_set(vmi, addr);
#else
	mas_set(&vmi->mas, addr);
#endif
}

/*
 * The next VMA from @vmi that starts below @end. vma_find() took the last
 * address (6.1: for_each_vma_range() passed end - 1) and later the end
 * itself (6.12); checking the VMA found is right under either.
 */
static inline struct vm_area_struct *vmatlas_vma_find(struct vma_iterator *vmi,
						      unsigned long end)
{
	struct vm_area_struct *vma = vma_find(vmi, end);

	return vma && vma->vm_start < end ? vma : NULL;
}

/*
 * Reading a VMA under its own read lock, without the mmap lock: the kernel
 * walks its page tables that way on a page fault, and /proc/PID/maps and
 * smaps read that way too on recent kernels. A module can do it where
 * lock_vma_under_rcu() is exported (probed in Module.symvers by Kbuild: 7.x
 * exports it, 6.12 does not) and the kernel has per-VMA locks.
 */
#if defined(CONFIG_PER_VMA_LOCK) && defined(VMATLAS_HAVE_LOCK_VMA_UNDER_RCU)
#define VMATLAS_VMA_LOCKS 1
static inline struct vm_area_struct *vmatlas_vma_read_lock(struct mm_struct *mm,
							   unsigned long addr)
{
	return lock_vma_under_rcu(mm, addr);
}

static inline void vmatlas_vma_read_unlock(struct vm_area_struct *vma)
{
	vma_end_read(vma);
}

static inline void vmatlas_vma_assert_read_locked(struct vm_area_struct *vma)
{
	vma_assert_locked(vma);
}
#else
#define VMATLAS_VMA_LOCKS 0
static inline struct vm_area_struct *vmatlas_vma_read_lock(struct mm_struct *mm,
							   unsigned long addr)
{
	return NULL;
}

static inline void vmatlas_vma_read_unlock(struct vm_area_struct *vma)
{
}

static inline void vmatlas_vma_assert_read_locked(struct vm_area_struct *vma)
{
	mmap_assert_locked(vma->vm_mm);
}
#endif

/*
 * Declaring kfuncs. Since 6.8 register_btf_kfunc_id_set() takes only sets
 * marked as kfuncs (BTF_KFUNCS_START); before, a plain BTF_SET8 was it.
 * __bpf_kfunc (6.3) keeps a kfunc out of line and in BTF.
 */
#ifndef BTF_KFUNCS_START
#define BTF_KFUNCS_START(name) BTF_SET8_START(name)
#define BTF_KFUNCS_END(name) BTF_SET8_END(name)
#endif
#ifndef __bpf_kfunc
#define __bpf_kfunc noinline
#endif

/*
 * A kfunc set may refuse a program when it is loaded (.filter, 6.5; the
 * module's is vmatlas_kfunc_filter() in kfunc.c): that is
 * where lockdown is judged, as the verifier judges bpf_probe_read_kernel(),
 * never in the kfunc itself, which runs in any context. Without a filter
 * the module registers its kfuncs only if the kernel is not locked down
 * when it loads.
 */
#ifdef VMATLAS_HAVE_KFUNC_FILTER
#define VMATLAS_KFUNC_SET_FILTER .filter = vmatlas_kfunc_filter,
#define VMATLAS_KFUNC_HAS_FILTER true
#else
#define VMATLAS_KFUNC_SET_FILTER
#define VMATLAS_KFUNC_HAS_FILTER false
#endif

/*
 * Kprobe programs may call module kfuncs once the kernel has a kprobe kfunc
 * hook (BTF_KFUNC_HOOK_KPROBE, present in 6.12); before, registering for
 * them is refused with a warning.
 */
#define VMATLAS_KFUNC_KPROBE (LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0))

/*
 * Whether this build of the module carries BTF: kbuild adds it after linking
 * only when the headers ship vmlinux (Debian's 6.12 headers do, 6.1's do
 * not), and kfuncs cannot be registered without it.
 */
static inline bool vmatlas_module_has_btf(void)
{
#ifdef CONFIG_DEBUG_INFO_BTF_MODULES
	return THIS_MODULE->btf_data_size;
#else
	return false;
#endif
}

/*
 * x86 MSRs: rdmsrl() became rdmsrq() (6.16), each a macro (paravirt's or
 * native), so the header says which there is.
 */
#ifdef CONFIG_X86
#include <asm/msr.h>
#include <asm/segment.h>
#ifdef rdmsrq
#define vmatlas_rdmsr(msr, val) rdmsrq(msr, val)
#else
#define vmatlas_rdmsr(msr, val) rdmsrl(msr, val)
#endif

/*
 * The GDT entry getcpu() reads its CPU and node from: x86-64's since 4.19,
 * i386's only in later kernels (6.1's has none). UINT_MAX: no such entry.
 */
#ifdef GDT_ENTRY_CPUNODE
#define VMATLAS_GDT_CPUNODE GDT_ENTRY_CPUNODE
#else
#define VMATLAS_GDT_CPUNODE UINT_MAX
#endif
#endif

#endif /* _VMATLAS_COMPAT_H */
