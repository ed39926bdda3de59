/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels vmatlas supports, in one place: kernel
 * versions and configurations. No other file tests LINUX_VERSION_CODE.
 */
#ifndef _VMATLAS_COMPAT_H
#define _VMATLAS_COMPAT_H

#include <linux/pgtable.h>

/*
 * x86-64 kernels built for five levels fold the P4D at run time when the CPU
 * lacks LA57 (or no5lvl is given): CONFIG_PGTABLE_LEVELS is the most there can
 * be, not what is in use.
 */
static inline unsigned int vmatlas_pgtable_levels(void)
{
#if CONFIG_PGTABLE_LEVELS == 5
	if (!pgtable_l5_enabled())
		return 4;
#endif
	return CONFIG_PGTABLE_LEVELS;
}

#endif /* _VMATLAS_COMPAT_H */
