/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between the x86 files: what the 64- and 32-bit memory maps share.
 */
#ifndef _VMATLAS_ARCH_X86_H
#define _VMATLAS_ARCH_X86_H

#include <linux/types.h>
#include <linux/vmatlas.h>

unsigned long vmatlas_x86_scan_image(struct vmatlas_layout *l, bool with_data);

#endif /* _VMATLAS_ARCH_X86_H */
