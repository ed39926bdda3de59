// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 MMU as vmatlas reads it (Arm ARM D8, "The AArch64 Virtual
 * Memory System Architecture", stage 1): descriptor bits by the
 * architecture's names, the kernel's own tables found from TTBR1_EL1, and
 * the levels in use, some of them folded at boot.
 *
 * Linux's meaning is kept where it differs from the hardware's: DBM is
 * PTE_WRITE, and a clean writable page is read-only (AP[2]) until the CPU's
 * dirty-bit management or a fault makes it writable. A descriptor with
 * bit 0 clear and nG set is "present but invalid" (PTE_PRESENT_INVALID):
 * PROT_NONE, NUMA hinting, or a THP being split.
 */
#include <linux/bits.h>
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/pgtable.h>
#include <asm/sysreg.h>

#include "arch.h"

/* Table descriptors' hierarchical controls (APTable, XNTable). */
#define TABLE_PXN BIT_ULL(59)
#define TABLE_UXN BIT_ULL(60)
#define TABLE_AP_USER BIT_ULL(61) /* APTable[0]: no EL0 access below */
#define TABLE_AP_RDONLY BIT_ULL(62) /* APTable[1]: no writes below */

static u64 table_bits(u64 entry)
{
	u64 bits = VMATLAS_ENT_PRESENT;

	if (!(entry & TABLE_AP_RDONLY))
		bits |= VMATLAS_ENT_WRITE;
	else
		bits |= VMATLAS_ENT_ARM64_RDONLY;
	if (!(entry & TABLE_AP_USER))
		bits |= VMATLAS_ENT_USER;
	if (entry & TABLE_PXN)
		bits |= VMATLAS_ENT_ARM64_PXN;
	if (entry & TABLE_UXN)
		bits |= VMATLAS_ENT_ARM64_UXN;
	if ((entry & TABLE_PXN) && (entry & TABLE_UXN))
		bits |= VMATLAS_ENT_NX;
	/* FEAT_HAFT sets AF in table descriptors too. */
	if (entry & PTE_AF)
		bits |= VMATLAS_ENT_ACCESSED;
	return bits;
}

u64 vmatlas_arch_entry_bits(u64 entry, unsigned int level, bool leaf)
{
	u64 bits = 0;

	if (!leaf)
		return entry & PTE_VALID ? table_bits(entry) : 0;
	if (entry & PTE_VALID)
		bits |= VMATLAS_ENT_PRESENT;
	else if (entry & PTE_PRESENT_INVALID)
		bits |= VMATLAS_ENT_PROTNONE;
	if (level != VMATLAS_LEVEL_PTE)
		bits |= VMATLAS_ENT_HUGE;
	if (entry & PTE_WRITE)
		bits |= VMATLAS_ENT_WRITE | VMATLAS_ENT_ARM64_DBM;
	if (entry & PTE_RDONLY)
		bits |= VMATLAS_ENT_ARM64_RDONLY;
	/* EL0 may read it (AP[1]), or execute it: an execute-only mapping. */
	if ((entry & PTE_USER) || !(entry & PTE_UXN))
		bits |= VMATLAS_ENT_USER;
	if (entry & PTE_AF)
		bits |= VMATLAS_ENT_ACCESSED;
	/* pte_dirty(): written through DBM, or marked dirty by software. */
	if (((entry & PTE_WRITE) && !(entry & PTE_RDONLY)) ||
	    (entry & PTE_DIRTY))
		bits |= VMATLAS_ENT_DIRTY;
	if (entry & PTE_DIRTY)
		bits |= VMATLAS_ENT_ARM64_SW_DIRTY;
	if ((entry & PTE_VALID) && !(entry & PTE_NG))
		bits |= VMATLAS_ENT_GLOBAL;
	if (entry & PTE_PXN)
		bits |= VMATLAS_ENT_ARM64_PXN;
	if (entry & PTE_UXN)
		bits |= VMATLAS_ENT_ARM64_UXN;
	/* Linux sets PXN on every user mapping and UXN on every kernel one. */
	if ((entry & PTE_PXN) && (entry & PTE_UXN))
		bits |= VMATLAS_ENT_NX;
	if (entry & PTE_CONT)
		bits |= VMATLAS_ENT_ARM64_CONT;
	if (entry & PTE_GP)
		bits |= VMATLAS_ENT_ARM64_GP;
	bits |= (u64)((entry & PTE_ATTRINDX_MASK) >> 2)
		<< VMATLAS_ENT_ARM64_ATTR_SHIFT;
	/* With LPA2 the SH field holds output address bits 51:50. */
	if (!lpa2_is_enabled())
		bits |= (u64)((entry >> 8) & 3) << VMATLAS_ENT_ARM64_SH_SHIFT;
	return bits;
}

/*
 * The contiguous hint (Arm ARM D8.6.1): an aligned run of CONT_PTES page
 * descriptors, or CONT_PMDS block descriptors, that map one physically
 * contiguous, aligned range with the same attributes, and may be cached as
 * one TLB entry. Linux sets it on hugetlb pages of those sizes, on the
 * linear map and, since 6.9 (contpte), on large anonymous and file folios
 * that fill a run. There is no contiguous PUD.
 */
u64 vmatlas_arch_cont_size(unsigned int level)
{
	switch (level) {
	case VMATLAS_LEVEL_PTE:
		return CONT_PTE_SIZE;
	case VMATLAS_LEVEL_PMD:
		return vmatlas_arch_levels() > 2 ? CONT_PMD_SIZE : 0;
	default:
		return 0;
	}
}

u64 vmatlas_arch_tlb_size(u64 entry, unsigned int level, u64 size)
{
	if (!(entry & PTE_VALID) || !(entry & PTE_CONT))
		return size;
	return vmatlas_arch_cont_size(level) ?: size;
}

u64 vmatlas_arch_phys_mask(void)
{
#if defined(CONFIG_ARM64_PA_BITS_52) && defined(CONFIG_ARM64_64K_PAGES)
	return PTE_ADDR_LOW | PTE_ADDR_HIGH;
#elif defined(CONFIG_ARM64_PA_BITS_52)
	return PTE_ADDR_LOW | (lpa2_is_enabled() ? PTE_ADDR_HIGH : 0);
#else
	return PTE_ADDR_LOW;
#endif
}

/*
 * A kernel built for 52-bit addresses folds a level at boot on a CPU
 * without them (or with arm64.nolva): the top level with 4K pages
 * (pgtable_l5_enabled()), the PUD level with 16K pages
 * (pgtable_l4_enabled()).
 */
unsigned int vmatlas_arch_levels(void)
{
#if CONFIG_PGTABLE_LEVELS > 4
	if (!pgtable_l5_enabled())
		return 4;
#endif
#if CONFIG_PGTABLE_LEVELS > 3
	if (!pgtable_l4_enabled())
		return 3;
#endif
	return CONFIG_PGTABLE_LEVELS;
}

/*
 * TCR_EL1 is the same on every CPU. TTBR0_EL1 is the calling task's while
 * the kernel runs for it, unless software PAN parks it on a reserved table
 * (CONFIG_ARM64_SW_TTBR0_PAN, on CPUs without PAN): then the value uaccess
 * would install is in the thread's own copy.
 */
void vmatlas_arch_mmu_regs(u64 *control, u64 *user_base, u64 *kernel_base)
{
	*control = read_sysreg(tcr_el1);
	*kernel_base = read_sysreg(ttbr1_el1);
#ifdef CONFIG_ARM64_SW_TTBR0_PAN
	if (system_uses_ttbr0_pan()) {
		*user_base = READ_ONCE(current_thread_info()->ttbr0);
		return;
	}
#endif
	*user_base = read_sysreg(ttbr0_el1);
}

/*
 * Folded at boot, the levels above the hardware's first are phantoms: the
 * PGD entry pgd_offset() finds indexes the table with the bits of a level
 * the CPU does not have, and p4d_offset() (4K pages) or pud_offset() (16K)
 * finds the entry the CPU reads, in the same page (pgd_to_folded_p4d(),
 * p4d_to_folded_pud()).
 */
unsigned int vmatlas_arch_top_level(void)
{
#if CONFIG_PGTABLE_LEVELS > 4
	if (!pgtable_l5_enabled())
		return VMATLAS_LEVEL_P4D;
#endif
#if CONFIG_PGTABLE_LEVELS > 3
	if (!pgtable_l4_enabled())
		return VMATLAS_LEVEL_PUD;
#endif
	return VMATLAS_LEVEL_PGD;
}

/*
 * The kernel's top table: init_mm and swapper_pg_dir are not exported, but
 * TTBR1_EL1 holds the table's physical address while the kernel runs (with
 * KPTI too: the trampoline's table is in TTBR1 only on the way to and from
 * EL0). The ASID and CnP bits are masked off; with 52-bit physical
 * addresses, bits 5:2 hold address bits 51:48. The table is page-aligned,
 * which the kernel's folding helpers (pgd_to_folded_p4d()) rely on.
 */
static pgd_t *kernel_pgd(void)
{
	u64 ttbr = read_sysreg(ttbr1_el1);
	phys_addr_t pa = ttbr & GENMASK_ULL(47, 6);

#ifdef CONFIG_ARM64_PA_BITS_52
	pa |= (ttbr & GENMASK_ULL(5, 2)) << 46;
#endif
	return (pgd_t *)__va(pa & PAGE_MASK);
}

static unsigned long kernel_leaf_of(struct vmatlas_kleaf *leaf, u64 entry,
				    unsigned int level, unsigned long size)
{
	if (!(entry & PTE_VALID))
		return 0;
	leaf->entry = entry;
	leaf->level = level;
	leaf->phys = PFN_PHYS(pte_pfn(__pte(entry))) & ~((u64)size - 1);
	return size;
}

/*
 * Each entry is read once and the next table found from the snapshot
 * (*_offset_lockless()), as the walker does for user tables. Kernel tables
 * of the linear map and vmalloc are freed only by memory hot-remove and by
 * vmap's huge mappings replacing a table (pmd_free_pte_page()); the kernel's
 * own ptdump serialises against those with a lock modules cannot take, so a
 * leaf read in that instant may be stale: it describes, it is never used.
 */
unsigned long vmatlas_kernel_leaf(unsigned long addr,
				  struct vmatlas_kleaf *leaf)
{
	pgd_t *pgdp = pgd_offset_pgd(kernel_pgd(), addr),
	      pgd = READ_ONCE(*pgdp);
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep;

	if (pgd_none(pgd) || pgd_bad(pgd))
		return 0;
	p4dp = p4d_offset_lockless(pgdp, pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (p4d_none(p4d) || p4d_bad(p4d))
		return 0;
	pudp = pud_offset_lockless(p4dp, p4d, addr);
	pud = READ_ONCE(*pudp);
	if (pud_none(pud))
		return 0;
	if (pud_leaf(pud))
		return kernel_leaf_of(leaf, pud_val(pud), VMATLAS_LEVEL_PUD,
				      PUD_SIZE);
	if (pud_bad(pud))
		return 0;
	pmdp = pmd_offset_lockless(pudp, pud, addr);
	pmd = READ_ONCE(*pmdp);
	if (pmd_none(pmd))
		return 0;
	if (pmd_leaf(pmd))
		return kernel_leaf_of(leaf, pmd_val(pmd), VMATLAS_LEVEL_PMD,
				      PMD_SIZE);
	if (pmd_bad(pmd))
		return 0;
	ptep = pte_offset_kernel(&pmd, addr);
	return kernel_leaf_of(leaf, pte_val(READ_ONCE(*ptep)),
			      VMATLAS_LEVEL_PTE, PAGE_SIZE);
}
