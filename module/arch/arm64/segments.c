// SPDX-License-Identifier: GPL-2.0
/*
 * Segmentation is x86's: an arm64 address is translated by the page tables
 * alone (TTBR0 or TTBR1 by its top bits), with no base added before.
 */
#include <linux/errno.h>

#include "arch.h"

int vmatlas_arch_segments(struct vmatlas_segments *segs)
{
	return -EOPNOTSUPP;
}
