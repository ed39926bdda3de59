// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs views of the kernel address space: "layout", and "kaddr" for the
 * address written to "addr". Text for people, from the same core functions
 * as the ioctls and under the same policy (CAP_SYS_ADMIN, kptr_restrict,
 * lockdown), judged when the view is read.
 */
#include <linux/debugfs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vmatlas.h"

static int vmatlas_layout_show(struct seq_file *m, void *unused)
{
	struct vmatlas_layout *l;
	u32 i;

	if (!vmatlas_may_see_kernel(m->file))
		return -EPERM;
	l = kzalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	vmatlas_layout_get(l);
	seq_printf(m, "page_offset %#llx high_memory %#llx task_size %#llx\n",
		   l->page_offset, l->high_memory, l->task_size);
	seq_printf(m, "phys_load %#llx image_offset %#llx levels %u",
		   l->phys_load, l->image_offset, l->levels);
	seq_printf(m, " lowmem %llu highmem %llu\n", l->lowmem_bytes,
		   l->highmem_bytes);
	for (i = 0; i < l->count; i++)
		seq_printf(m, "%016llx-%016llx region %u\n",
			   l->regions[i].start, l->regions[i].end,
			   l->regions[i].id);
	kfree(l);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_layout);

static int vmatlas_kaddr_show(struct seq_file *m, void *unused)
{
	struct vmatlas_kaddr k = {};

	if (!vmatlas_may_see_kernel(m->file))
		return -EPERM;
	k.addr = vmatlas_debugfs_addr_get();
	vmatlas_kaddr(k.addr, &k);
	seq_printf(m, "addr %#llx region %u flags %#x", k.addr, k.region,
		   k.out_flags);
	seq_printf(m, " phys_linear %#llx phys %#llx page_size %llu\n",
		   k.phys_linear, k.phys, k.page_size);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_kaddr);

/**
 * vmatlas_debugfs_kernel_init() - create the kernel views under @dir
 * @dir: /sys/kernel/debug/vmatlas
 */
void vmatlas_debugfs_kernel_init(struct dentry *dir)
{
	debugfs_create_file("layout", 0400, dir, NULL, &vmatlas_layout_fops);
	debugfs_create_file("kaddr", 0400, dir, NULL, &vmatlas_kaddr_fops);
}
