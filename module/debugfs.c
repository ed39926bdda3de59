// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/vmatlas/: the same facts as the char device, as text for
 * people. Each view formats what a core function filled in; nothing here
 * computes anything of its own. Files are 0400: debugfs is root's.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "vmatlas.h"

static struct dentry *vmatlas_debugfs_dir;

static int vmatlas_info_show(struct seq_file *m, void *unused)
{
	struct vmatlas_info info = {};

	vmatlas_info_fill(&info, m->file);
	seq_printf(m, "abi_version:    %u\n", info.abi_version);
	seq_printf(m, "module_version: %s\n", info.module_version);
	seq_printf(m, "arch:           %s\n", info.arch);
	seq_printf(m, "kernel:         %s\n", info.release);
	seq_printf(m, "page_size:      %u\n", info.page_size);
	seq_printf(m, "levels:         %u\n", info.levels);
	seq_printf(m, "features:       %#llx\n", info.features);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_info);

/**
 * vmatlas_debugfs_init() - create /sys/kernel/debug/vmatlas/
 *
 * Failure is not fatal, as for every debugfs user: the char device works
 * without it.
 */
void vmatlas_debugfs_init(void)
{
	vmatlas_debugfs_dir = debugfs_create_dir(VMATLAS_DEVICE_NAME, NULL);
	debugfs_create_file("info", 0400, vmatlas_debugfs_dir, NULL,
			    &vmatlas_info_fops);
	vmatlas_debugfs_proc_init(vmatlas_debugfs_dir);
	vmatlas_debugfs_kernel_init(vmatlas_debugfs_dir);
}

/**
 * vmatlas_debugfs_available() - were the debugfs views created?
 *
 * Return: false if debugfs is disabled, restricted or failed.
 */
bool vmatlas_debugfs_available(void)
{
	return !IS_ERR_OR_NULL(vmatlas_debugfs_dir);
}

/**
 * vmatlas_debugfs_exit() - remove /sys/kernel/debug/vmatlas/ and its files
 */
void vmatlas_debugfs_exit(void)
{
	debugfs_remove(vmatlas_debugfs_dir);
}
