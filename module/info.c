// SPDX-License-Identifier: GPL-2.0
/*
 * INFO: what this module and this kernel are. The tool checks the ABI version
 * before anything else; tests compare the rest with uname(2), getpagesize(3)
 * and the paging mode the machine was booted with.
 */
#include <linux/mm.h>
#include <linux/string.h>
#include <linux/utsname.h>

#include "arch.h"
#include "compat.h"
#include "vmatlas.h"

/**
 * vmatlas_info_fill() - describe the module and the running kernel
 * @info: filled in completely; @info->size and @info->flags are left alone
 * @file: the file the request came through, for the access policy
 */
void vmatlas_info_fill(struct vmatlas_info *info, const struct file *file)
{
	struct new_utsname *uts = utsname();
	unsigned int level;

	info->abi_version = VMATLAS_ABI_VERSION;
	info->page_size = PAGE_SIZE;
	info->levels = vmatlas_arch_levels();
	info->reserved = 0;
	info->features = 0;
	if (vmatlas_debugfs_available())
		info->features |= VMATLAS_FEAT_DEBUGFS;
	if (IS_ENABLED(CONFIG_HIGHMEM))
		info->features |= VMATLAS_FEAT_HIGHMEM;
	if (vmatlas_privileged(file))
		info->features |= VMATLAS_FEAT_PHYS;
	if (vmatlas_kfunc_available())
		info->features |= VMATLAS_FEAT_KFUNC;
	if (VMATLAS_VMA_LOCKS)
		info->features |= VMATLAS_FEAT_VMA_LOCKS;

	strscpy_pad(info->module_version, VMATLAS_VERSION,
		    sizeof(info->module_version));
	strscpy_pad(info->arch, uts->machine, sizeof(info->arch));
	strscpy_pad(info->release, uts->release, sizeof(info->release));
	for (level = 0; level < VMATLAS_LEVELS; level++)
		info->cont_size[level] = vmatlas_arch_cont_size(level);
}
