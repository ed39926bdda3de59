// SPDX-License-Identifier: GPL-2.0
/*
 * One VMA as /proc/PID/maps shows it: bounds, flags under stable names, the
 * file, device and offset, the name, and what kind of memory it is.
 */
#include <linux/dcache.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mm_types.h>
#include <linux/string.h>

#include "compat.h"
#include "vmatlas.h"

static const struct {
	unsigned long vm;
	u64 bit;
} vmatlas_vm_flag_map[] = {
	{ VM_READ, VMATLAS_VM_READ },
	{ VM_WRITE, VMATLAS_VM_WRITE },
	{ VM_EXEC, VMATLAS_VM_EXEC },
	{ VM_SHARED, VMATLAS_VM_SHARED },
	{ VM_MAYREAD, VMATLAS_VM_MAYREAD },
	{ VM_MAYWRITE, VMATLAS_VM_MAYWRITE },
	{ VM_MAYEXEC, VMATLAS_VM_MAYEXEC },
	{ VM_MAYSHARE, VMATLAS_VM_MAYSHARE },
	{ VM_GROWSDOWN, VMATLAS_VM_GROWSDOWN },
	{ VM_PFNMAP, VMATLAS_VM_PFNMAP },
	{ VM_LOCKED, VMATLAS_VM_LOCKED },
	{ VM_IO, VMATLAS_VM_IO },
	{ VM_SEQ_READ, VMATLAS_VM_SEQ_READ },
	{ VM_RAND_READ, VMATLAS_VM_RAND_READ },
	{ VM_DONTCOPY, VMATLAS_VM_DONTCOPY },
	{ VM_DONTEXPAND, VMATLAS_VM_DONTEXPAND },
	{ VM_ACCOUNT, VMATLAS_VM_ACCOUNT },
	{ VM_NORESERVE, VMATLAS_VM_NORESERVE },
	{ VM_HUGETLB, VMATLAS_VM_HUGETLB },
	{ VM_SYNC, VMATLAS_VM_SYNC },
	{ VM_WIPEONFORK, VMATLAS_VM_WIPEONFORK },
	{ VM_DONTDUMP, VMATLAS_VM_DONTDUMP },
	{ VM_SOFTDIRTY, VMATLAS_VM_SOFTDIRTY },
	{ VM_MIXEDMAP, VMATLAS_VM_MIXEDMAP },
	{ VM_HUGEPAGE, VMATLAS_VM_HUGEPAGE },
	{ VM_NOHUGEPAGE, VMATLAS_VM_NOHUGEPAGE },
	{ VM_MERGEABLE, VMATLAS_VM_MERGEABLE },
	{ VM_UFFD_MISSING, VMATLAS_VM_UFFD_MISSING },
	{ VM_UFFD_WP, VMATLAS_VM_UFFD_WP },
	{ VM_LOCKONFAULT, VMATLAS_VM_LOCKONFAULT },
	{ VM_UFFD_MINOR, VMATLAS_VM_UFFD_MINOR },
	{ VMATLAS_KERNEL_VM_UFFD_RWP, VMATLAS_VM_UFFD_RWP },
};

/**
 * vmatlas_vm_flags() - translate vm_flags into VMATLAS_VM_* bits
 * @vm_flags: the kernel's flags, whose bit positions are not ABI
 *
 * Return: VMATLAS_VM_* bits; flags this kernel is built without stay clear.
 */
u64 vmatlas_vm_flags(unsigned long vm_flags)
{
	u64 bits = 0;
	int i;

	for (i = 0; i < ARRAY_SIZE(vmatlas_vm_flag_map); i++)
		if (vmatlas_vm_flag_map[i].vm &&
		    (vm_flags & vmatlas_vm_flag_map[i].vm))
			bits |= vmatlas_vm_flag_map[i].bit;
	return bits;
}

static bool vma_is_heap(struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->brk &&
	       vma->vm_end >= vma->vm_mm->start_brk;
}

static bool vma_is_stack(struct vm_area_struct *vma)
{
	return vma->vm_start <= vma->vm_mm->start_stack &&
	       vma->vm_end >= vma->vm_mm->start_stack;
}

/* Special mappings ([vdso], [vvar], [uprobes], ...) name themselves. */
static const char *vma_special_name(struct vm_area_struct *vma)
{
	if (vma->vm_file || !vma->vm_ops || !vma->vm_ops->name)
		return NULL;
	return vma->vm_ops->name(vma);
}

/**
 * vmatlas_vma_kind() - what kind of memory a VMA is
 * @vma: the VMA
 *
 * Locking: the caller holds the mmap lock.
 *
 * Return: VMATLAS_KIND_*.
 */
unsigned int vmatlas_vma_kind(struct vm_area_struct *vma)
{
	const char *special = vma_special_name(vma);

	if (vma->vm_flags & VM_HUGETLB)
		return VMATLAS_KIND_HUGETLB;
	if (special)
		return strcmp(special, "[vdso]") ? VMATLAS_KIND_VVAR :
						   VMATLAS_KIND_VDSO;
	if (!(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return VMATLAS_KIND_GUARD;
	if (vma->vm_file) {
		/* MAP_SHARED|MAP_ANONYMOUS, SysV and POSIX shm, memfd: shmem. */
		if ((vma->vm_flags & VM_MAYSHARE) &&
		    file_inode(vma->vm_file)->i_sb->s_magic == TMPFS_MAGIC)
			return VMATLAS_KIND_SHM;
		return VMATLAS_KIND_FILE;
	}
	if (vma_is_heap(vma))
		return VMATLAS_KIND_HEAP;
	if (vma_is_stack(vma))
		return VMATLAS_KIND_STACK;
	return VMATLAS_KIND_ANON;
}

/**
 * vmatlas_vma_name() - the name /proc/PID/maps gives a VMA
 * @vma: the VMA
 * @buf: scratch for building the name, at least PATH_MAX bytes for paths
 * @len: its size
 *
 * Locking: the caller holds the mmap lock.
 *
 * Return: the name (in @buf or a constant string), or NULL for none.
 */
const char *vmatlas_vma_name(struct vm_area_struct *vma, char *buf, size_t len)
{
	const char *name;

	if (vma->vm_file) {
		name = d_path(&vma->vm_file->f_path, buf, len);
		return IS_ERR(name) ? "?" : name;
	}
	name = vma_special_name(vma);
	if (name)
		return name;
	if (vma_is_heap(vma))
		return "[heap]";
	if (vma_is_stack(vma))
		return "[stack]";
#ifdef CONFIG_ANON_VMA_NAME
	if (vma->anon_name) {
		snprintf(buf, len, "[anon:%s]", vma->anon_name->name);
		return buf;
	}
#endif
	return NULL;
}

/**
 * vmatlas_vma_fill() - describe a VMA, without its name and residency
 * @vma: the VMA
 * @out: zeroed by the caller, filled in
 *
 * Locking: the caller holds the mmap lock.
 */
void vmatlas_vma_fill(struct vm_area_struct *vma, struct vmatlas_vma *out)
{
	out->start = vma->vm_start;
	out->end = vma->vm_end;
	out->vm_flags = vmatlas_vm_flags(vma->vm_flags);
	out->kind = vmatlas_vma_kind(vma);
	out->name_off = VMATLAS_NO_NAME;
	if (vma->vm_file) {
		struct inode *inode = file_inode(vma->vm_file);

		out->dev_major = MAJOR(inode->i_sb->s_dev);
		out->dev_minor = MINOR(inode->i_sb->s_dev);
		out->inode = inode->i_ino;
		out->pgoff = (u64)vma->vm_pgoff << PAGE_SHIFT;
	}
}
