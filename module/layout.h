/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between layout.c and the architecture files that describe the kernel's
 * virtual memory map (layout_64.c, layout_32.c; Kbuild picks one).
 */
#ifndef _VMATLAS_LAYOUT_H
#define _VMATLAS_LAYOUT_H

#include <linux/printk.h>
#include <linux/types.h>
#include <asm/pgtable_types.h>
#include <linux/vmatlas.h>

unsigned long vmatlas_kernel_leaf(unsigned long addr, pteval_t *val, unsigned int *pg_level);
void vmatlas_layout_add(struct vmatlas_layout *l, u32 id, u64 start, u64 end);
unsigned long vmatlas_layout_scan_image(struct vmatlas_layout *l, unsigned long anchor,
					bool with_data);

/* An address surely in the kernel's text: an exported function of it. */
static inline unsigned long vmatlas_text_anchor(void)
{
	return (unsigned long)_printk;
}

/* Architecture: add the regions, return the kernel text's address (or 0). */
unsigned long vmatlas_layout_arch(struct vmatlas_layout *l);
/* Architecture: is @addr canonical (not in the hole between the halves)? */
bool vmatlas_arch_canonical(u64 addr);
/* Architecture: is __pa() arithmetic valid for @addr, and what does it give? */
bool vmatlas_arch_linear(u64 addr, u64 *phys);

#endif /* _VMATLAS_LAYOUT_H */
