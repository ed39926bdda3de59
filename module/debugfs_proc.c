// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs views of a process: write a PID to "pid" (and an address to
 * "addr"), then read "maps", "walk" or "ptdump". Text for people, built from
 * the same core functions as the ioctls; the same access policy applies,
 * judged on the credentials the view was opened with.
 */
#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "vmatlas.h"

static u32 vmatlas_debugfs_pid;
static u64 vmatlas_debugfs_addr;

static const char *const vmatlas_level_names[VMATLAS_LEVELS] = {
	[VMATLAS_LEVEL_PGD] = "pgd", [VMATLAS_LEVEL_P4D] = "p4d",
	[VMATLAS_LEVEL_PUD] = "pud", [VMATLAS_LEVEL_PMD] = "pmd",
	[VMATLAS_LEVEL_PTE] = "pte",
};

static int proc_target_get(struct seq_file *m, struct vmatlas_target *t)
{
	int ret =
		vmatlas_target_get(t, m->file, READ_ONCE(vmatlas_debugfs_pid));

	if (ret)
		seq_printf(m, "pid %u: error %d (write a PID to pid)\n",
			   READ_ONCE(vmatlas_debugfs_pid), ret);
	return ret;
}

static void show_vma(struct seq_file *m, const struct vmatlas_vma *v,
		     const char *name)
{
	const struct vmatlas_residency *r = &v->res;

	seq_printf(m, "%08llx-%08llx %c%c%c%c %08llx %02x:%02x %-8llu ",
		   v->start, v->end, v->vm_flags & VMATLAS_VM_READ ? 'r' : '-',
		   v->vm_flags & VMATLAS_VM_WRITE ? 'w' : '-',
		   v->vm_flags & VMATLAS_VM_EXEC ? 'x' : '-',
		   v->vm_flags & VMATLAS_VM_MAYSHARE ? 's' : 'p', v->pgoff,
		   v->dev_major, v->dev_minor, v->inode);
	/* As /proc/PID/maps: a newline in a file name must not forge a line. */
	if (name)
		seq_escape(m, name, "\n");
	seq_putc(m, '\n');
	seq_printf(m, "    kind %u vm_flags %#llx present %llu swap %llu",
		   v->kind, v->vm_flags, r->present, r->swap);
	seq_printf(m, " anon %llu file %llu thp %llu hugetlb %llu\n", r->anon,
		   r->file, r->thp, r->hugetlb);
	seq_printf(m, "    dirty %llu young %llu shared %llu cow %llu",
		   r->dirty, r->young, r->shared, r->cow);
	seq_printf(m, " zero %llu soft_dirty %llu\n", r->zero, r->soft_dirty);
}

static int vmatlas_maps_show(struct seq_file *m, void *unused)
{
	struct vmatlas_vmas_batch b = {};
	struct vmatlas_target t;
	unsigned long start = 0;
	unsigned int i;
	int ret;

	if (proc_target_get(m, &t))
		return 0;
	ret = vmatlas_vmas_batch_alloc(&b, VMATLAS_VMAS_BATCH,
				       VMATLAS_NAMES_BATCH);
	if (ret)
		goto out;
	do {
		ret = vmatlas_vmas_collect(&t, start, true, &b);
		if (ret)
			break;
		for (i = 0; i < b.count; i++) {
			const struct vmatlas_vma *v = &b.vmas[i];
			const char *name = NULL;

			if (v->name_off != VMATLAS_NO_NAME)
				name = b.names + v->name_off;
			show_vma(m, v, name);
		}
		start = b.next;
	} while (start);
out:
	if (ret)
		seq_printf(m, "error %d\n", ret);
	vmatlas_vmas_batch_free(&b);
	vmatlas_target_put(&t);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_maps);

static int vmatlas_walk_show(struct seq_file *m, void *unused)
{
	struct vmatlas_target t;
	struct vmatlas_walk *w;
	int i, ret;

	if (proc_target_get(m, &t))
		return 0;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w) {
		vmatlas_target_put(&t);
		return -ENOMEM;
	}
	w->addr = READ_ONCE(vmatlas_debugfs_addr);
	ret = vmatlas_translate(&t, w->addr, w);
	vmatlas_target_put(&t);
	if (ret) {
		seq_printf(m, "%#llx: error %d\n", w->addr, ret);
		goto out;
	}
	seq_printf(m, "addr %#llx vma %#llx-%#llx\n", w->addr, w->vma_start,
		   w->vma_end);
	for (i = 0; i <= w->stop_level && i < VMATLAS_LEVELS; i++) {
		const struct vmatlas_level *l = &w->levels[i];

		seq_printf(m,
			   "%s index %3u entry %016llx bits %#06llx%s%s%s%s\n",
			   vmatlas_level_names[i], l->index, l->entry, l->bits,
			   l->flags & VMATLAS_LVL_FOLDED ? " folded" : "",
			   l->flags & VMATLAS_LVL_LEAF ? " leaf" : "",
			   l->flags & VMATLAS_LVL_NONE ? " none" : "",
			   l->flags & VMATLAS_LVL_BAD ? " bad" : "");
	}
	if (w->out_flags & VMATLAS_WALK_PRESENT) {
		seq_printf(m, "present page_size %llu phys %#llx pfn %#llx",
			   w->page_size, w->phys, w->pfn);
		/* A contiguous run: what one TLB entry may hold. */
		if (w->tlb_size != w->page_size)
			seq_printf(m, " tlb_size %llu", w->tlb_size);
		seq_putc(m, '\n');
	} else if (w->swap_kind) {
		seq_printf(m, "swap kind %u type %u offset %#llx\n",
			   w->swap_kind, w->swap_type, w->swap_offset);
	} else {
		seq_puts(m, "not present\n");
	}
out:
	kfree(w);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_walk);

static void show_run(struct seq_file *m, const struct vmatlas_run *r)
{
	seq_printf(m, "%016llx-%016llx %8lluK %s", r->start, r->end,
		   (r->end - r->start) >> 10, vmatlas_level_names[r->level]);
	seq_printf(m, " bits %#06llx phys %#llx\n", r->bits, r->phys);
}

static int vmatlas_ptdump_show(struct seq_file *m, void *unused)
{
	struct vmatlas_target t;
	struct vmatlas_run *runs;
	unsigned long start = 0, end, next;
	unsigned int i, count;
	int ret;

	if (proc_target_get(m, &t))
		return 0;
	runs = kvcalloc(VMATLAS_RUNS_BATCH, sizeof(*runs),
			GFP_KERNEL | __GFP_NOWARN);
	if (!runs) {
		vmatlas_target_put(&t);
		return -ENOMEM;
	}
	/*
	 * Read once: an mm that execve() installed has no TASK_SIZE until
	 * setup_new_exec(), and a second look could find one where the first
	 * found 0, an empty range (-EINVAL) where -EAGAIN is the truth.
	 */
	end = READ_ONCE(t.mm->task_size);
	do {
		ret = -EAGAIN;
		if (end)
			ret = vmatlas_ptdump_collect(&t, start, end, 0, runs,
						     VMATLAS_RUNS_BATCH, &count,
						     &next);
		if (ret) {
			seq_printf(m, "error %d\n", ret);
			break;
		}
		for (i = 0; i < count; i++)
			show_run(m, &runs[i]);
		start = next;
	} while (start);
	kvfree(runs);
	vmatlas_target_put(&t);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vmatlas_ptdump);

/**
 * vmatlas_debugfs_addr_get() - the address last written to "addr"
 *
 * Return: the address.
 */
u64 vmatlas_debugfs_addr_get(void)
{
	return READ_ONCE(vmatlas_debugfs_addr);
}

/**
 * vmatlas_debugfs_proc_init() - create the process views under @dir
 * @dir: /sys/kernel/debug/vmatlas
 */
void vmatlas_debugfs_proc_init(struct dentry *dir)
{
	debugfs_create_u32("pid", 0600, dir, &vmatlas_debugfs_pid);
	debugfs_create_x64("addr", 0600, dir, &vmatlas_debugfs_addr);
	debugfs_create_file("maps", 0400, dir, NULL, &vmatlas_maps_fops);
	debugfs_create_file("walk", 0400, dir, NULL, &vmatlas_walk_fops);
	debugfs_create_file("ptdump", 0400, dir, NULL, &vmatlas_ptdump_fops);
}
