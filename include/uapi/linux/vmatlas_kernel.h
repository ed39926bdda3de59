/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmatlas: the kernel address space: LAYOUT, KADDR, LAB, SEGMENTS.
 *
 * Part of the ABI of <linux/vmatlas.h>, which includes it, under the same
 * rules; it includes <linux/vmatlas.h> in turn, so either may come first.
 */
#ifndef _UAPI_LINUX_VMATLAS_KERNEL_H
#define _UAPI_LINUX_VMATLAS_KERNEL_H

#include <linux/vmatlas.h>

/*
 * Kernel address space: LAYOUT, KADDR, LAB, SEGMENTS. Kernel addresses defeat KASLR:
 * these commands need CAP_SYS_ADMIN at open (EPERM), are refused when
 * kptr_restrict hides kernel pointers from the caller (EPERM) and under
 * lockdown=confidentiality (EPERM).
 */

/* Regions of the kernel's virtual memory map (struct vmatlas_region.id). */
#define VMATLAS_REGION_USER		1	/* user space: 0 to TASK_SIZE */
#define VMATLAS_REGION_DIRECT_MAP	2	/* all (low) RAM at PAGE_OFFSET + phys */
#define VMATLAS_REGION_VMALLOC		3	/* vmalloc, vmap, ioremap */
#define VMATLAS_REGION_VMEMMAP		4	/* the struct page array (used part) */
#define VMATLAS_REGION_MODULES		5	/* module text and data */
#define VMATLAS_REGION_KERNEL_IMAGE	6	/* where the kernel image is mapped */
#define VMATLAS_REGION_KERNEL_TEXT	7
#define VMATLAS_REGION_KERNEL_RODATA	8
#define VMATLAS_REGION_KERNEL_DATA	9
#define VMATLAS_REGION_KERNEL_BSS	10
#define VMATLAS_REGION_FIXMAP		11	/* compile-time fixed mappings, kmap_local */
#define VMATLAS_REGION_PKMAP		12	/* 32-bit: persistent kmap() */
#define VMATLAS_REGION_CPU_ENTRY_AREA	13
#define VMATLAS_REGION_LDT_REMAP	14
#define VMATLAS_REGION_ESPFIX		15
#define VMATLAS_REGION_VSYSCALL		16
#define VMATLAS_REGION_HOLE		17	/* canonical, but in no region: a guard hole */
#define VMATLAS_REGION_NONCANONICAL	18	/* not a valid address at all */
#define VMATLAS_REGION_PCI_IO		19	/* arm64: PCI I/O space, memory-mapped */
#define VMATLAS_REGION_KASAN_SHADOW	20	/* KASAN's shadow of the address space */

/**
 * struct vmatlas_region - one range of the kernel's virtual memory map
 * @start: first address
 * @end: first address after it (0 for a region that ends at the top)
 * @id: VMATLAS_REGION_*
 * @reserved: must be 0
 */
struct vmatlas_region {
	__u64 start;
	__u64 end;
	__u32 id;
	__u32 reserved;
};

#define VMATLAS_MAX_REGIONS	24

/* struct vmatlas_layout.out_flags */
#define VMATLAS_LAYOUT_KASLR_IMAGE	(1U << 0)	/* the image moved from its link address */
#define VMATLAS_LAYOUT_KASLR_MEMORY	(1U << 1)	/* direct map, vmalloc, vmemmap moved */
#define VMATLAS_LAYOUT_MMU		(1U << 2)	/* @mmu_control and table bases read */
#define VMATLAS_LAYOUT_TABLES_HIDDEN	(1U << 3)	/* the table bases read as zero */

/**
 * struct vmatlas_layout - VMATLAS_IOC_LAYOUT: this boot's kernel memory map
 * @size: (in/out) sizeof(struct vmatlas_layout)
 * @flags: (in) must be 0
 * @levels: (out) page-table levels in use
 * @page_size: (out) base page size
 * @count: (out) entries of @regions filled, in address order
 * @out_flags: (out) VMATLAS_LAYOUT_*
 * @page_offset: (out) PAGE_OFFSET: where the direct map starts
 * @high_memory: (out) end of the direct map of RAM (of lowmem on 32-bit)
 * @task_size: (out) end of user space (TASK_SIZE_MAX)
 * @phys_load: (out) physical address the kernel image (_text) was loaded at
 * @image_offset: (out) KASLR: kernel text virtual address minus its link address
 * @lowmem_bytes: (out) RAM the direct map covers (managed pages)
 * @highmem_bytes: (out) RAM outside it (32-bit highmem), 0 on 64-bit
 * @regions: (out) the regions
 * @mmu_control: (out) how the MMU translates, read on the calling CPU: arm64's
 *	TCR_EL1 (T0SZ, T1SZ, TG0, TG1, IPS, AS, HA, HD, DS), x86's CR4 (PAE,
 *	PGE, PCIDE, LA57, SMEP, SMAP)
 * @table_base_user: (out) the calling task's table base: arm64's TTBR0_EL1
 *	(ASID in bits 63-48), x86's CR3 (PCID in bits 11-0)
 * @table_base_kernel: (out) arm64's TTBR1_EL1, the kernel half's own base;
 *	0 on x86, whose kernel half lives in every process's top table
 *
 * The table bases hold physical addresses: without CAP_SYS_ADMIN at open
 * they read as zero and VMATLAS_LAYOUT_TABLES_HIDDEN is set.
 */
struct vmatlas_layout {
	__u32 size;
	__u32 flags;
	__u32 levels;
	__u32 page_size;
	__u32 count;
	__u32 out_flags;
	__u64 page_offset;
	__u64 high_memory;
	__u64 task_size;
	__u64 phys_load;
	__u64 image_offset;
	__u64 lowmem_bytes;
	__u64 highmem_bytes;
	struct vmatlas_region regions[VMATLAS_MAX_REGIONS];
	__u64 mmu_control;
	__u64 table_base_user;
	__u64 table_base_kernel;
};

#define VMATLAS_LAYOUT_SIZE_VER0	(80 + 24 * 24)
#define VMATLAS_LAYOUT_SIZE_VER1	(VMATLAS_LAYOUT_SIZE_VER0 + 24)

/* struct vmatlas_kaddr.out_flags */
#define VMATLAS_KADDR_LOGICAL	(1U << 0)	/* in the direct map: a logical address */
#define VMATLAS_KADDR_LINEAR	(1U << 1)	/* @phys_linear is valid (__pa() applies) */
#define VMATLAS_KADDR_MAPPED	(1U << 2)	/* the page tables map it: @phys is valid */
#define VMATLAS_KADDR_AGREE	(1U << 3)	/* both valid and equal */
#define VMATLAS_KADDR_PAGE	(1U << 4)	/* @page describes its struct page */

/**
 * struct vmatlas_kaddr - VMATLAS_IOC_KADDR: anatomy of one kernel address
 * @size: (in/out) sizeof(struct vmatlas_kaddr)
 * @flags: (in) must be 0
 * @addr: (in) any 64-bit value: never dereferenced, only looked up
 * @region: (out) VMATLAS_REGION_*
 * @out_flags: (out) VMATLAS_KADDR_*
 * @phys_linear: (out) physical address by __pa() arithmetic
 * @phys: (out) physical address by walking the kernel page tables
 * @page_size: (out) size of the leaf that maps it
 * @entry: (out) raw leaf entry
 * @bits: (out) VMATLAS_ENT_* of @entry
 * @level: (out) VMATLAS_LEVEL_* of the leaf
 * @reserved: must be 0
 * @page: (out) valid with VMATLAS_KADDR_PAGE
 * @tlb_size: (out) what one TLB entry may hold of the translation: the leaf,
 *	or its contiguous run (struct vmatlas_walk's @tlb_size); 0 if unmapped
 */
struct vmatlas_kaddr {
	__u32 size;
	__u32 flags;
	__u64 addr;
	__u32 region;
	__u32 out_flags;
	__u64 phys_linear;
	__u64 phys;
	__u64 page_size;
	__u64 entry;
	__u64 bits;
	__u32 level;
	__u32 reserved;
	struct vmatlas_page page;
	__u64 tlb_size;
};

#define VMATLAS_KADDR_SIZE_VER0	96
#define VMATLAS_KADDR_SIZE_VER1	104	/* @tlb_size */

/* struct vmatlas_lab.kind */
#define VMATLAS_LAB_KMALLOC	1	/* kmalloc(): logical, physically contiguous */
#define VMATLAS_LAB_VMALLOC	2	/* vmalloc(): virtual, page by page */
#define VMATLAS_LAB_PAGES	3	/* alloc_pages() of the order that fits */
#define VMATLAS_LAB_KMAP	4	/* alloc_page(GFP_HIGHUSER) + kmap_local_page() */

#define VMATLAS_LAB_MAX_BYTES	(4U << 20)

/* struct vmatlas_lab_page.flags */
#define VMATLAS_LABPG_HIGHMEM	(1U << 0)	/* no logical address: needs a kmap */

/**
 * struct vmatlas_lab_page - one page of a lab allocation
 * @va: the address the allocation gave (or the temporary kmap address)
 * @phys: its physical address
 * @logical: page_address(): its direct-map address, 0 for highmem
 * @flags: VMATLAS_LABPG_*
 * @region: VMATLAS_REGION_* of @va
 */
struct vmatlas_lab_page {
	__u64 va;
	__u64 phys;
	__u64 logical;
	__u32 flags;
	__u32 region;
};

/* struct vmatlas_lab.out_flags */
#define VMATLAS_LAB_CONTIGUOUS	(1U << 0)	/* the pages are physically contiguous */

/**
 * struct vmatlas_lab - VMATLAS_IOC_LAB: allocate, describe every page, free
 * @size: (in/out) sizeof(struct vmatlas_lab)
 * @flags: (in) must be 0
 * @kind: (in) VMATLAS_LAB_*
 * @count: (in) room in @pages_ptr; (out) pages described
 * @bytes: (in) how much to allocate, 1 to VMATLAS_LAB_MAX_BYTES
 * @pages_ptr: (in) user array of @count entries of @entry_size bytes
 * @entry_size: (in) sizeof(struct vmatlas_lab_page) as the caller knows it
 * @out_flags: (out) VMATLAS_LAB_*
 * @va: (out) address of the allocation (first kmap address for KMAP)
 * @region: (out) VMATLAS_REGION_* of @va
 * @npages: (out) pages the allocation spans
 *
 * ENOMEM if the allocation failed; EINVAL for an unknown kind or a size
 * out of range; the memory is freed before the call returns.
 */
struct vmatlas_lab {
	__u32 size;
	__u32 flags;
	__u32 kind;
	__u32 count;
	__u64 bytes;
	__u64 pages_ptr;
	__u32 entry_size;
	__u32 out_flags;
	__u64 va;
	__u32 region;
	__u32 npages;
};

#define VMATLAS_LAB_SIZE_VER0	56

/* struct vmatlas_segment.flags: the descriptor's own bits */
#define VMATLAS_SEG_PRESENT	(1U << 0)	/* P */
#define VMATLAS_SEG_CODE_DATA	(1U << 1)	/* S: code or data, not a system segment */
#define VMATLAS_SEG_LONG	(1U << 2)	/* L: 64-bit code */
#define VMATLAS_SEG_BIG		(1U << 3)	/* D/B: 32-bit operands and stack */
#define VMATLAS_SEG_GRAN_4K	(1U << 4)	/* G: the limit counts 4 KiB units */

/* struct vmatlas_segment.role: what Linux keeps the entry for */
#define VMATLAS_SEGROLE_OTHER		0
#define VMATLAS_SEGROLE_KERNEL_CS	1
#define VMATLAS_SEGROLE_KERNEL_DS	2
#define VMATLAS_SEGROLE_USER_CS		3	/* the native user code segment */
#define VMATLAS_SEGROLE_USER_DS		4	/* user data and stack */
#define VMATLAS_SEGROLE_USER32_CS	5	/* x86-64: 32-bit (compat) user code */
#define VMATLAS_SEGROLE_KERNEL32_CS	6	/* x86-64: 32-bit kernel code (EFI, boot) */
#define VMATLAS_SEGROLE_TLS		7	/* a thread's TLS slot (set_thread_area) */
#define VMATLAS_SEGROLE_TSS		8
#define VMATLAS_SEGROLE_LDT		9
#define VMATLAS_SEGROLE_PERCPU		10	/* i386: the kernel's per-CPU base (FS) */
#define VMATLAS_SEGROLE_CPUNODE		11	/* x86-64: CPU and node number, for getcpu() */

/**
 * struct vmatlas_segment - one descriptor of a GDT
 * @raw: its first 8 bytes, as the table holds them
 * @base: where the segment starts (a 16-byte system descriptor's 64-bit base)
 * @limit: offset of its last byte, granularity applied
 * @index: its index in the GDT; the selector that loads it is @index << 3 | RPL
 * @role: VMATLAS_SEGROLE_*
 * @flags: VMATLAS_SEG_*
 * @type: the 4-bit type field (code/data: accessed, writable or readable,
 *	expand-down or conforming, code; system: 0x9/0xb TSS, 0x2 LDT)
 * @dpl: its descriptor privilege level, 0 (kernel) to 3 (user)
 * @reserved: 0
 */
struct vmatlas_segment {
	__u64 raw;
	__u64 base;
	__u64 limit;
	__u32 index;
	__u32 role;
	__u32 flags;
	__u8 type;
	__u8 dpl;
	__u16 reserved;
};

#define VMATLAS_MAX_SEGMENTS	32

/**
 * struct vmatlas_segments - VMATLAS_IOC_SEGMENTS: x86 segmentation, as the
 *	calling thread runs on this CPU (EOPNOTSUPP on other architectures)
 * @size: (in/out) sizeof(struct vmatlas_segments)
 * @flags: (in) must be 0
 * @gdt_base: (out) this CPU's GDT, as SGDT reads it
 * @gdt_limit: (out) its size in bytes, less one
 * @count: (out) entries of @segs filled: the GDT's non-null descriptors
 * @cpu: (out) the CPU it was read on
 * @out_flags: (out) 0
 * @cs: (out) the caller's selectors, as its user-mode instructions use them
 * @ss: (out)
 * @ds: (out)
 * @es: (out)
 * @fs: (out)
 * @gs: (out)
 * @reserved: 0
 * @fs_base: (out) the caller's FS base: the linear address %fs:0 is
 * @gs_base: (out) the caller's GS base
 * @segs: (out) the descriptors, by index
 */
struct vmatlas_segments {
	__u32 size;
	__u32 flags;
	__u64 gdt_base;
	__u32 gdt_limit;
	__u32 count;
	__u32 cpu;
	__u32 out_flags;
	__u16 cs;
	__u16 ss;
	__u16 ds;
	__u16 es;
	__u16 fs;
	__u16 gs;
	__u32 reserved;
	__u64 fs_base;
	__u64 gs_base;
	struct vmatlas_segment segs[VMATLAS_MAX_SEGMENTS];
};

#define VMATLAS_SEGMENTS_SIZE_VER0	(64 + 40 * 32)

/* struct vmatlas_xlat.out_flags, beyond VMATLAS_OUT_*: VMATLAS_WALK_PRESENT */

#define VMATLAS_IOC_LAYOUT	_IOWR(VMATLAS_IOCTL_MAGIC, 0x04, struct vmatlas_layout)
#define VMATLAS_IOC_KADDR	_IOWR(VMATLAS_IOCTL_MAGIC, 0x05, struct vmatlas_kaddr)
#define VMATLAS_IOC_LAB		_IOWR(VMATLAS_IOCTL_MAGIC, 0x06, struct vmatlas_lab)
#define VMATLAS_IOC_SEGMENTS	_IOWR(VMATLAS_IOCTL_MAGIC, 0x08, struct vmatlas_segments)

#endif /* _UAPI_LINUX_VMATLAS_KERNEL_H */
