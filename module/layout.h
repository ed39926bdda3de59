/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between layout.c and the architecture files that describe the kernel's
 * virtual memory map (module/arch/<arch>/layout*.c; Kbuild picks one).
 */
#ifndef _VMATLAS_LAYOUT_H
#define _VMATLAS_LAYOUT_H

#include <linux/printk.h>
#include <linux/types.h>
#include <linux/vmatlas.h>

#include "arch.h"

void vmatlas_layout_add(struct vmatlas_layout *l, u32 id, u64 start, u64 end);
unsigned long vmatlas_layout_scan_image(struct vmatlas_layout *l,
					unsigned long anchor, bool with_data,
					unsigned long gap);

/* An address surely in the kernel's text: an exported function of it. */
static inline unsigned long vmatlas_text_anchor(void)
{
	return (unsigned long)_printk;
}

#endif /* _VMATLAS_LAYOUT_H */
