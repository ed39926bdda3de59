/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What vmatlas asks of an architecture. Each MMU's answers live under
 * module/arch/<arch>/ (Kbuild picks the directory); everything else in the
 * module walks and describes page tables through the kernel's generic
 * helpers (pgd_offset(), pte_present(), pte_pfn(), ...) and these.
 *
 * A new architecture is a new directory implementing this header and its
 * regions of the kernel map (layout.h), not a branch in the generic code.
 */
#ifndef _VMATLAS_ARCH_H
#define _VMATLAS_ARCH_H

#include <linux/types.h>
#include <linux/vmatlas.h>

/**
 * struct vmatlas_kleaf - the kernel page-table leaf that maps an address
 * @entry: its raw value
 * @phys: the physical address of the first byte it maps
 * @level: VMATLAS_LEVEL_* it was found at
 */
struct vmatlas_kleaf {
	u64 entry;
	u64 phys;
	unsigned int level;
};

/* VMATLAS_ENT_* of an entry in present format (the caller decodes swap entries). */
u64 vmatlas_arch_entry_bits(u64 entry, unsigned int level, bool leaf);
/* The bits of an entry that hold a physical address. */
u64 vmatlas_arch_phys_mask(void);
/*
 * What one TLB entry may hold of a present leaf of @size at @level: @size,
 * or the whole run when the entry carries a contiguous hint.
 */
u64 vmatlas_arch_tlb_size(u64 entry, unsigned int level, u64 size);
/* What a run of leaves with the contiguous hint at @level maps; 0: no hint. */
u64 vmatlas_arch_cont_size(unsigned int level);
/* Page-table levels in use now, with the levels folded at boot left out. */
unsigned int vmatlas_arch_levels(void);

/*
 * The VMATLAS_LEVEL_* at which the kernel's pgd_offset()/p4d_offset()/...
 * chain reads the hardware's top table: the PGD, unless the top levels were
 * folded at boot in a way that leaves the PGD a phantom (arm64: a kernel
 * built for 52 bits on a 48-bit CPU indexes the top table in p4d_offset()).
 */
unsigned int vmatlas_arch_top_level(void);
/* The kernel's present leaf that maps @addr: its size, or 0 if there is none. */
unsigned long vmatlas_kernel_leaf(unsigned long addr,
				  struct vmatlas_kleaf *leaf);
/* Is @addr canonical (not in the hole between the halves)? */
bool vmatlas_arch_canonical(u64 addr);
/* Is __pa() arithmetic valid for @addr, and what does it give? */
bool vmatlas_arch_linear(u64 addr, u64 *phys);
/*
 * Add the regions of the kernel map, set @l's architecture fields
 * (task_size, image_offset, out_flags); return the address of the kernel
 * image's first byte (_text), or 0 if it cannot be told.
 */
unsigned long vmatlas_layout_arch(struct vmatlas_layout *l);
/*
 * The MMU's control register and table bases, as the calling task runs
 * (struct vmatlas_layout's @mmu_control, @table_base_user and _kernel).
 */
void vmatlas_arch_mmu_regs(u64 *control, u64 *user_base, u64 *kernel_base);

/*
 * x86 segmentation as the calling thread runs on this CPU (struct
 * vmatlas_segments, less size and flags); -EOPNOTSUPP where there is none.
 */
int vmatlas_arch_segments(struct vmatlas_segments *segs);

#endif /* _VMATLAS_ARCH_H */
