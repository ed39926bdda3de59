// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 MMU as vmatlas reads it (Intel SDM vol. 3, "Paging"): the bits of
 * an entry by the architecture's names, the kernel's own tables through
 * lookup_address(), and the levels in use.
 */
#include <linux/mm.h>
#include <linux/pgtable.h>
#include <asm/pgtable.h>
#include <asm/special_insns.h>

#include "arch.h"
#include "layout.h"
#include "x86.h"

u64 vmatlas_arch_entry_bits(u64 entry, unsigned int level, bool leaf)
{
	u64 bits = 0;

	if (entry & _PAGE_PRESENT)
		bits |= VMATLAS_ENT_PRESENT;
	else if (leaf && (entry & _PAGE_PROTNONE))
		bits |= VMATLAS_ENT_PROTNONE;
	if (entry & _PAGE_RW)
		bits |= VMATLAS_ENT_WRITE;
	if (entry & _PAGE_USER)
		bits |= VMATLAS_ENT_USER;
	if (entry & _PAGE_PWT)
		bits |= VMATLAS_ENT_PWT;
	if (entry & _PAGE_PCD)
		bits |= VMATLAS_ENT_PCD;
	if (entry & _PAGE_ACCESSED)
		bits |= VMATLAS_ENT_ACCESSED;
	if (entry & _PAGE_NX)
		bits |= VMATLAS_ENT_NX;
	if (level != VMATLAS_LEVEL_PTE && (entry & _PAGE_PSE))
		bits |= VMATLAS_ENT_HUGE;
	if (!leaf)
		return bits;

	/* Bits that mean something only in an entry that maps memory. */
	if (entry & _PAGE_DIRTY)
		bits |= VMATLAS_ENT_DIRTY;
	if ((entry & _PAGE_GLOBAL) && (entry & _PAGE_PRESENT))
		bits |= VMATLAS_ENT_GLOBAL;
	if (entry & (level == VMATLAS_LEVEL_PTE ? _PAGE_PAT : _PAGE_PAT_LARGE))
		bits |= VMATLAS_ENT_PAT;
	return bits;
}

/* x86 paging has no contiguous hint: a TLB entry holds one leaf. */
u64 vmatlas_arch_cont_size(unsigned int level)
{
	return 0;
}

u64 vmatlas_arch_tlb_size(u64 entry, unsigned int level, u64 size)
{
	return size;
}

u64 vmatlas_arch_phys_mask(void)
{
	return PTE_PFN_MASK;
}

/*
 * x86-64 kernels built for five levels fold the P4D at run time when the CPU
 * lacks LA57 (or no5lvl is given): CONFIG_PGTABLE_LEVELS is the most there can
 * be, not what is in use.
 */
unsigned int vmatlas_arch_levels(void)
{
#if CONFIG_PGTABLE_LEVELS == 5
	if (!pgtable_l5_enabled())
		return 4;
#endif
	return CONFIG_PGTABLE_LEVELS;
}

/*
 * CR4 from the register (the kernel's shadow, cr4_read_shadow(), is
 * exported to KVM alone since 7.x), CR3 too: the caller's PGD, or with PTI
 * its kernel half's, which is mm->pgd too.
 */
void vmatlas_arch_mmu_regs(u64 *control, u64 *user_base, u64 *kernel_base)
{
	*control = native_read_cr4();
	*user_base = __read_cr3();
	*kernel_base = 0;
}

/* x86 folds the P4D into the PGD: pgd_index() follows the paging mode. */
unsigned int vmatlas_arch_top_level(void)
{
	return VMATLAS_LEVEL_PGD;
}

/*
 * lookup_address() is exported on x86; it walks init_mm's tables, which
 * modules cannot reach themselves.
 */
unsigned long vmatlas_kernel_leaf(unsigned long addr,
				  struct vmatlas_kleaf *leaf)
{
	unsigned int pg_level;
	unsigned long size;
	pte_t *ptep = lookup_address(addr, &pg_level);
	pte_t pte;

	if (!ptep)
		return 0;
	pte = READ_ONCE(*ptep);
	if (!(pte_val(pte) & _PAGE_PRESENT))
		return 0;
	size = page_level_size(pg_level);
	leaf->entry = pte_val(pte);
	leaf->phys = pte_val(pte) & PTE_PFN_MASK & ~((u64)size - 1);
	switch (pg_level) {
	case PG_LEVEL_2M:
		leaf->level = VMATLAS_LEVEL_PMD;
		break;
	case PG_LEVEL_1G:
		leaf->level = VMATLAS_LEVEL_PUD;
		break;
	default:
		leaf->level = VMATLAS_LEVEL_PTE;
	}
	return size;
}

/*
 * The kernel image by what the MMU tells apart (layout.c), where NX lets it:
 * without NX nothing tells text from data. Its link address is
 * __START_KERNEL: what KASLR moved it by is the rest.
 */
unsigned long vmatlas_x86_scan_image(struct vmatlas_layout *l, bool with_data)
{
	unsigned long text;

	if (!(__supported_pte_mask & _PAGE_NX))
		return 0;
	text = vmatlas_layout_scan_image(l, vmatlas_text_anchor(), with_data,
					 0);
	if (text)
		l->image_offset = text - __START_KERNEL;
	return text;
}
