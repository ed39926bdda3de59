// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas: make the Linux virtual-memory system observable on a live kernel.
 *
 * Module init and exit only. The module is read-only: it never writes a
 * page-table entry or physical memory.
 */
#include <linux/module.h>

#include "vmatlas.h"

static int __init vmatlas_init(void)
{
	int ret;

	vmatlas_layout_init();
	vmatlas_kfunc_init();
	vmatlas_debugfs_init();

	ret = vmatlas_chardev_init();
	if (ret)
		goto out_debugfs;

	pr_info("version %s loaded\n", VMATLAS_VERSION);
	return 0;

out_debugfs:
	vmatlas_debugfs_exit();
	return ret;
}

static void __exit vmatlas_exit(void)
{
	vmatlas_chardev_exit();
	vmatlas_debugfs_exit();
}

module_init(vmatlas_init);
module_exit(vmatlas_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The vmatlas developers");
MODULE_DESCRIPTION("Watch virtual memory: address spaces, page tables, faults");
MODULE_VERSION(VMATLAS_VERSION);
