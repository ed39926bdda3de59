/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmatlas: what the BPF kfunc vmatlas_pte_get() fills in.
 *
 * Part of the ABI of <linux/vmatlas.h>, which includes it, under the same
 * rules; it includes <linux/vmatlas.h> in turn, so either may come first.
 */
#ifndef _UAPI_LINUX_VMATLAS_BPF_H
#define _UAPI_LINUX_VMATLAS_BPF_H

#include <linux/vmatlas.h>

/*
 * BPF: the module's kfunc, for tracing and kprobe programs, where the kernel
 * supports kfuncs in modules (VMATLAS_FEAT_KFUNC says it is registered):
 *
 *   int vmatlas_pte_get(__u64 addr, __u32 flags, void *pte, __u32 pte__sz);
 *
 * reads, without taking any lock, the leaf entry that maps @addr in the
 * address space of the current task, and fills a struct vmatlas_pte of
 * @pte__sz bytes (zeroed past what the module knows); with
 * VMATLAS_PTE_GET_PAGE in @flags, also its @page. It returns 0, -EPERM under
 * lockdown=confidentiality (as BPF may not read kernel memory then), -EINVAL
 * for unknown flags, a task without an address space, an address above its
 * TASK_SIZE or a size below VMATLAS_PTE_SIZE_VER0, or -EAGAIN if a page table
 * changed under the lookup. What it reads is a snapshot: the entry and the page may change
 * the moment after.
 */

/* vmatlas_pte_get() flags */
/* describe the struct page too (not from NMI: VMATLAS_PTE_PAGE stays clear) */
#define VMATLAS_PTE_GET_PAGE	(1U << 0)

/* struct vmatlas_pte.out_flags */
#define VMATLAS_PTE_PRESENT	(1U << 0)	/* a present leaf maps the address */
#define VMATLAS_PTE_SWAP	(1U << 1)	/* a swap-format leaf (swap, migration...) */
#define VMATLAS_PTE_PAGE	(1U << 2)	/* @page describes its struct page */

/**
 * struct vmatlas_pte - the leaf entry behind one user address, for BPF
 * @entry: the raw leaf: a PTE, or the PMD/PUD of a huge page; 0 if none
 * @bits: VMATLAS_ENT_* of @entry
 * @pfn: the frame of the address's page if present, else 0
 * @page_size: what the leaf maps, in bytes; 0 if nothing is mapped
 * @level: VMATLAS_LEVEL_* of the leaf (or of the empty entry that ended the
 *	lookup)
 * @out_flags: VMATLAS_PTE_*
 * @page: its struct page, if VMATLAS_PTE_PAGE
 */
struct vmatlas_pte {
	__u64 entry;
	__u64 bits;
	__u64 pfn;
	__u64 page_size;
	__u32 level;
	__u32 out_flags;
	struct vmatlas_page page;
};

#define VMATLAS_PTE_SIZE_VER0	64

#endif /* _UAPI_LINUX_VMATLAS_BPF_H */
