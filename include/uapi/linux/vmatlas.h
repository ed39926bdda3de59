/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * vmatlas: observe the Linux virtual-memory system on a live kernel.
 *
 * This is the only header shared by the kernel module, the vmatlas tool, the
 * BPF programs and the tests. Rules that keep it stable:
 *
 * - fields are __u64, __u32, __s32 or fixed __u8 arrays for NUL-terminated
 *   strings; no pointers (user buffers are __u64), enums, bool or bitfields;
 * - every request starts with its own size (in bytes): the kernel reads it with
 *   copy_struct_from_user(), so a struct can grow at its end without breaking
 *   older binaries; a newer binary running on an older module gets -E2BIG only
 *   if it set a field the module does not know;
 * - reserved fields and unknown flag bits must be zero (-EINVAL otherwise);
 * - the command number identifies the request by type and number only: the
 *   size encoded by _IOWR() is not used, the size field is authoritative.
 */
#ifndef _UAPI_LINUX_VMATLAS_H
#define _UAPI_LINUX_VMATLAS_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VMATLAS_ABI_VERSION	1
#define VMATLAS_DEVICE_NAME	"vmatlas"

/* Not listed in Documentation/userspace-api/ioctl/ioctl-number.rst. */
#define VMATLAS_IOCTL_MAGIC	0xB7

/* Page-table levels, top down. */
#define VMATLAS_LEVEL_PGD	0
#define VMATLAS_LEVEL_P4D	1
#define VMATLAS_LEVEL_PUD	2
#define VMATLAS_LEVEL_PMD	3
#define VMATLAS_LEVEL_PTE	4
#define VMATLAS_LEVELS		5

/* struct vmatlas_info.features */
#define VMATLAS_FEAT_HIGHMEM	(1ULL << 0)	/* the kernel has highmem (32-bit) */
#define VMATLAS_FEAT_PHYS	(1ULL << 1)	/* this opener is shown physical addresses */
#define VMATLAS_FEAT_DEBUGFS	(1ULL << 2)	/* text views in debugfs */
#define VMATLAS_FEAT_KFUNC	(1ULL << 3)	/* BPF kfuncs registered (struct vmatlas_pte) */
/* VMAS and PTDUMP read each VMA under its own lock, never holding the mmap lock */
#define VMATLAS_FEAT_VMA_LOCKS	(1ULL << 4)

/**
 * struct vmatlas_info - what this module and kernel are
 * @size: (in/out) sizeof(struct vmatlas_info) as the caller knows it; on
 *	return, the number of bytes the module filled in.
 * @flags: (in) must be 0.
 * @abi_version: (out) VMATLAS_ABI_VERSION of the module.
 * @page_size: (out) base page size in bytes.
 * @levels: (out) page-table levels the kernel uses now: 5 under LA57, 4 on
 *	x86-64 otherwise, 3 on i386 PAE, 2 on i386 without PAE; on arm64 with
 *	4K pages 5 with 52-bit addresses (LPA2), 4 with 48; with 16K pages 4,
 *	or 3 where a 52-bit kernel runs on a CPU limited to 47 bits.
 * @reserved: must be 0.
 * @features: (out) VMATLAS_FEAT_* bits.
 * @module_version: (out) version string of the module.
 * @arch: (out) machine name as uname(2) reports it to the caller.
 * @release: (out) kernel release as uname(2) reports it to the caller.
 * @cont_size: (out) per VMATLAS_LEVEL_*, what a run of leaves that carry a
 *	contiguous hint maps as one translation, 0 where the MMU has no such
 *	hint: on arm64 with 4K pages 64 KiB (16 PTEs) and 32 MiB (16 PMDs),
 *	with 16K pages 2 MiB (128 PTEs) and 1 GiB (32 PMDs); 0 on x86.
 */
struct vmatlas_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 page_size;
	__u32 levels;
	__u32 reserved;
	__u64 features;
	__u8 module_version[32];
	__u8 arch[32];
	__u8 release[72];
	__u64 cont_size[VMATLAS_LEVELS];
};

#define VMATLAS_INFO_SIZE_VER0	168	/* sizeof first published */
#define VMATLAS_INFO_SIZE_VER1	208	/* @cont_size */

#define VMATLAS_IOC_INFO	_IOWR(VMATLAS_IOCTL_MAGIC, 0x00, struct vmatlas_info)

/*
 * Errors common to the process commands (VMAS, WALK, PTDUMP, TRANSLATE):
 *   EINVAL  pid <= 0; an address that is not a user address of the target;
 *           a range that is empty, wraps or is not page aligned
 *   ESRCH   no such process, or it has no user address space (kernel
 *           thread, exiting)
 *   EPERM   another process's address space without CAP_SYS_ADMIN
 *   ENOMEM  WALK: no VMA contains the address (as madvise(2) says of
 *           unmapped ranges)
 *   EAGAIN  the target is in the middle of execve() (its new address space
 *           has no size yet), or a page table kept changing: try again
 *   EINTR   a fatal signal arrived while waiting for the mmap lock
 * Unless the opener had CAP_SYS_ADMIN, as /proc/PID/pagemap and
 * /proc/kpageflags decide, VMATLAS_OUT_PHYS_HIDDEN is set and read as zero:
 * physical addresses, PFNs, the PFN bits of raw entries, the whole raw entry
 * of a swap-format leaf, a swap entry's type and offset, and WALK's page
 * facts (mapcount, refcount, page flags; VMATLAS_WALK_PAGE stays clear).
 * With CAP_SYS_ADMIN, the physical addresses of page tables (levels[].table)
 * are kernel memory layout: they also follow kptr_restrict and lockdown, as
 * LAYOUT and KADDR do, and read as zero with VMATLAS_OUT_TABLES_HIDDEN set
 * when those hide kernel addresses.
 */

/* Stable names for vm_flags: the kernel's VM_* bit positions are not ABI. */
#define VMATLAS_VM_READ		(1ULL << 0)
#define VMATLAS_VM_WRITE	(1ULL << 1)
#define VMATLAS_VM_EXEC		(1ULL << 2)
#define VMATLAS_VM_SHARED	(1ULL << 3)
#define VMATLAS_VM_MAYREAD	(1ULL << 4)
#define VMATLAS_VM_MAYWRITE	(1ULL << 5)
#define VMATLAS_VM_MAYEXEC	(1ULL << 6)
#define VMATLAS_VM_MAYSHARE	(1ULL << 7)
#define VMATLAS_VM_GROWSDOWN	(1ULL << 8)
#define VMATLAS_VM_PFNMAP	(1ULL << 9)
#define VMATLAS_VM_LOCKED	(1ULL << 10)
#define VMATLAS_VM_IO		(1ULL << 11)
#define VMATLAS_VM_SEQ_READ	(1ULL << 12)
#define VMATLAS_VM_RAND_READ	(1ULL << 13)
#define VMATLAS_VM_DONTCOPY	(1ULL << 14)
#define VMATLAS_VM_DONTEXPAND	(1ULL << 15)
#define VMATLAS_VM_ACCOUNT	(1ULL << 16)
#define VMATLAS_VM_NORESERVE	(1ULL << 17)
#define VMATLAS_VM_HUGETLB	(1ULL << 18)
#define VMATLAS_VM_SYNC		(1ULL << 19)
#define VMATLAS_VM_WIPEONFORK	(1ULL << 20)
#define VMATLAS_VM_DONTDUMP	(1ULL << 21)
#define VMATLAS_VM_SOFTDIRTY	(1ULL << 22)
#define VMATLAS_VM_MIXEDMAP	(1ULL << 23)
#define VMATLAS_VM_HUGEPAGE	(1ULL << 24)
#define VMATLAS_VM_NOHUGEPAGE	(1ULL << 25)
#define VMATLAS_VM_MERGEABLE	(1ULL << 26)
#define VMATLAS_VM_UFFD_MISSING	(1ULL << 27)
#define VMATLAS_VM_UFFD_WP	(1ULL << 28)
#define VMATLAS_VM_LOCKONFAULT	(1ULL << 29)
#define VMATLAS_VM_UFFD_MINOR	(1ULL << 30)	/* userfaultfd minor faults */
#define VMATLAS_VM_UFFD_RWP	(1ULL << 31)	/* userfaultfd read-write protect (7.3+) */

/* struct vmatlas_vma.kind */
#define VMATLAS_KIND_ANON	1	/* private anonymous */
#define VMATLAS_KIND_FILE	2	/* file-backed */
#define VMATLAS_KIND_SHM	3	/* shared anonymous or SysV/tmpfs shared */
#define VMATLAS_KIND_HEAP	4	/* [heap] */
#define VMATLAS_KIND_STACK	5	/* [stack] */
#define VMATLAS_KIND_VDSO	6	/* [vdso] */
#define VMATLAS_KIND_VVAR	7	/* [vvar] and other special mappings */
#define VMATLAS_KIND_GUARD	8	/* no access at all: PROT_NONE */
#define VMATLAS_KIND_HUGETLB	9	/* hugetlbfs */

/**
 * struct vmatlas_residency - what the page tables of a range map, in pages
 * @present: resident pages with a struct page, as smaps "Rss" counts them
 *	(the zero page, PFN maps and hugetlb pages are not counted)
 * @swap: swap entries, as smaps "Swap"
 * @anon: present anonymous pages, as smaps "Anonymous"
 * @file: present page-cache (and shmem) pages
 * @thp: present pages mapped by a PMD or PUD leaf (not hugetlb)
 * @hugetlb: pages mapped by hugetlb entries
 * @dirty: present pages whose entry has the dirty bit
 * @young: present pages whose entry has the accessed bit
 * @shared: present pages mapped more than once, as smaps "Shared_*"
 * @cow: present pages of a writable private mapping mapped read-only: a
 *	write fault will copy (or reuse) them
 * @zero: entries mapping the shared zero page (4 KiB or huge)
 * @soft_dirty: present or swapped entries with the soft-dirty bit
 * @reserved: must be 0
 */
struct vmatlas_residency {
	__u64 present;
	__u64 swap;
	__u64 anon;
	__u64 file;
	__u64 thp;
	__u64 hugetlb;
	__u64 dirty;
	__u64 young;
	__u64 shared;
	__u64 cow;
	__u64 zero;
	__u64 soft_dirty;
	__u64 reserved[4];
};

/**
 * struct vmatlas_vma - one VMA, as /proc/PID/maps shows it, and its residency
 * @start: first address
 * @end: first address after it
 * @pgoff: file offset in bytes (maps' third column)
 * @inode: inode number of the mapped file, or 0
 * @vm_flags: VMATLAS_VM_* bits
 * @dev_major: device of the mapped file
 * @dev_minor: device of the mapped file
 * @kind: VMATLAS_KIND_*
 * @name_off: offset of the NUL-terminated name (path, "[heap]", ...) in the
 *	names buffer, or VMATLAS_NO_NAME
 * @res: residency; zero unless VMATLAS_VMAS_RESIDENCY was asked for
 */
struct vmatlas_vma {
	__u64 start;
	__u64 end;
	__u64 pgoff;
	__u64 inode;
	__u64 vm_flags;
	__u32 dev_major;
	__u32 dev_minor;
	__u32 kind;
	__u32 name_off;
	struct vmatlas_residency res;
};

#define VMATLAS_NO_NAME		0xffffffffU

/* struct vmatlas_vmas.flags */
#define VMATLAS_VMAS_RESIDENCY	(1U << 0)	/* walk the page tables of each VMA */

/* Output flags common to process commands. */
#define VMATLAS_OUT_PHYS_HIDDEN	(1U << 0)	/* physical addresses read as zero */
#define VMATLAS_OUT_TABLES_HIDDEN (1U << 1)	/* page-table addresses read as zero */

/**
 * struct vmatlas_vmas - VMATLAS_IOC_VMAS: list a process's VMAs
 * @size: (in/out) sizeof(struct vmatlas_vmas), see struct vmatlas_info
 * @flags: (in) VMATLAS_VMAS_*
 * @pid: (in) the process, in the caller's PID namespace
 * @count: (in) room in @vmas_ptr, in entries; (out) entries filled
 * @start: (in) report VMAs that end above this address
 * @next: (out) where to continue (as @start), or 0 when no VMA is left
 * @vmas_ptr: (in) user array of @count entries of @entry_size bytes
 * @names_ptr: (in) user buffer for names
 * @names_size: (in) its size; (out) bytes used
 * @entry_size: (in) sizeof(struct vmatlas_vma) as the caller knows it
 * @out_flags: (out) VMATLAS_OUT_*
 * @reserved: must be 0
 *
 * A call fills at most a small fixed number of entries (the module's memory
 * use does not grow with @count), fewer when a writer waits for the target's
 * mmap lock: call again from @next until it is 0.
 */
struct vmatlas_vmas {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__u32 count;
	__u64 start;
	__u64 next;
	__u64 vmas_ptr;
	__u64 names_ptr;
	__u32 names_size;
	__u32 entry_size;
	__u32 out_flags;
	__u32 reserved;
};

#define VMATLAS_VMAS_SIZE_VER0	64

/*
 * Decoded bits of an entry. Bits 0-31 mean the same on every architecture
 * (where the MMU has no such thing they stay clear); PWT, PCD and PAT are
 * x86's memory-type bits, named for it. Bits 32 and up are an
 * architecture's own, named VMATLAS_ENT_<ARCH>_*: struct vmatlas_info.arch
 * says which.
 *
 * In a leaf: PRESENT, the MMU may use it (x86 P, arm64 valid); WRITE, the
 * kernel lets the mapping be written (x86 R/W; arm64 DBM, Linux's PTE_WRITE,
 * which a clean writable page holds with AP[2] still read-only); USER,
 * reachable from user mode (x86 U/S; arm64 AP[1], or executable at EL0);
 * ACCESSED (arm64 AF); DIRTY (arm64: writable and AP[2] clear, or the
 * software dirty bit); GLOBAL (arm64: nG clear); NX, executable at no
 * privilege (x86 XD; arm64 both PXN and UXN); HUGE, a block above the PTE
 * level. In a table entry the bits say what the table does not forbid
 * below it: on arm64 WRITE and USER are APTable's, NX is PXNTable and
 * UXNTable together.
 */
#define VMATLAS_ENT_PRESENT	(1ULL << 0)
#define VMATLAS_ENT_WRITE	(1ULL << 1)
#define VMATLAS_ENT_USER	(1ULL << 2)
#define VMATLAS_ENT_PWT		(1ULL << 3)	/* x86 */
#define VMATLAS_ENT_PCD		(1ULL << 4)	/* x86 */
#define VMATLAS_ENT_ACCESSED	(1ULL << 5)
#define VMATLAS_ENT_DIRTY	(1ULL << 6)
#define VMATLAS_ENT_HUGE	(1ULL << 7)	/* a leaf above the PTE level (x86 PSE) */
#define VMATLAS_ENT_GLOBAL	(1ULL << 8)
#define VMATLAS_ENT_PAT		(1ULL << 9)	/* x86 */
#define VMATLAS_ENT_NX		(1ULL << 10)
#define VMATLAS_ENT_SOFT_DIRTY	(1ULL << 11)
#define VMATLAS_ENT_UFFD_WP	(1ULL << 12)
#define VMATLAS_ENT_SPECIAL	(1ULL << 13)	/* no struct page behind it */
#define VMATLAS_ENT_PROTNONE	(1ULL << 14)	/* NUMA hinting / PROT_NONE */
#define VMATLAS_ENT_SWAP	(1ULL << 15)	/* not present: a swap-format entry */
#define VMATLAS_ENT_EXCLUSIVE	(1ULL << 16)	/* swap entry of an exclusive anon page */

/* arm64 stage-1 descriptors, by the Arm ARM's names */
#define VMATLAS_ENT_ARM64_CONT	(1ULL << 32)	/* contiguous hint: one TLB entry for a run */
#define VMATLAS_ENT_ARM64_RDONLY (1ULL << 33)	/* AP[2]; APTable[1] in a table */
#define VMATLAS_ENT_ARM64_DBM	(1ULL << 34)	/* dirty bit modifier (Linux: writable) */
#define VMATLAS_ENT_ARM64_PXN	(1ULL << 35)	/* privileged execute-never (or PXNTable) */
#define VMATLAS_ENT_ARM64_UXN	(1ULL << 36)	/* user execute-never (or UXNTable) */
#define VMATLAS_ENT_ARM64_GP	(1ULL << 37)	/* BTI guarded page */
#define VMATLAS_ENT_ARM64_SW_DIRTY (1ULL << 38)	/* Linux's software dirty bit */
/* AttrIndx: the MAIR_EL1 attribute of a leaf (Linux: 0 normal, 3/4 device) */
#define VMATLAS_ENT_ARM64_ATTR_SHIFT	40
#define VMATLAS_ENT_ARM64_ATTR_MASK	(7ULL << VMATLAS_ENT_ARM64_ATTR_SHIFT)
/* SH: shareability of a leaf, 3 inner, 2 outer, 0 none (not with LPA2: address bits) */
#define VMATLAS_ENT_ARM64_SH_SHIFT	43
#define VMATLAS_ENT_ARM64_SH_MASK	(3ULL << VMATLAS_ENT_ARM64_SH_SHIFT)

/* struct vmatlas_level.flags */
#define VMATLAS_LVL_FOLDED	(1U << 0)	/* level folded at build or boot time */
#define VMATLAS_LVL_LEAF	(1U << 1)	/* the walk ended here with a mapping */
#define VMATLAS_LVL_NONE	(1U << 2)	/* empty entry: the walk ended here */
#define VMATLAS_LVL_BAD		(1U << 3)	/* malformed entry: the walk ended here */
#define VMATLAS_LVL_READ	(1U << 4)	/* the walk read this entry */

/**
 * struct vmatlas_level - one level of a walk
 * @entry: raw entry value (PFN bits zero when physical addresses are hidden)
 * @bits: VMATLAS_ENT_* decoded from @entry
 * @table: physical address of the table this entry lies in (0 if hidden)
 * @index: index of the entry in its table
 * @flags: VMATLAS_LVL_*
 */
struct vmatlas_level {
	__u64 entry;
	__u64 bits;
	__u64 table;
	__u32 index;
	__u32 flags;
};

/* struct vmatlas_walk.swap_kind */
#define VMATLAS_SWP_NONE	0
#define VMATLAS_SWP_SWAP	1	/* on a swap device */
#define VMATLAS_SWP_MIGRATION	2	/* being migrated */
#define VMATLAS_SWP_DEVICE	3	/* device-private memory */
#define VMATLAS_SWP_HWPOISON	4	/* hardware-poisoned */
#define VMATLAS_SWP_MARKER	5	/* PTE marker (uffd-wp, swapin error) */
#define VMATLAS_SWP_OTHER	6

/* struct vmatlas_page.flags: what struct page says */
#define VMATLAS_PG_ANON		(1ULL << 0)
#define VMATLAS_PG_KSM		(1ULL << 1)
#define VMATLAS_PG_ANON_EXCLUSIVE (1ULL << 2)
#define VMATLAS_PG_LOCKED	(1ULL << 3)
#define VMATLAS_PG_REFERENCED	(1ULL << 4)
#define VMATLAS_PG_UPTODATE	(1ULL << 5)
#define VMATLAS_PG_DIRTY	(1ULL << 6)
#define VMATLAS_PG_LRU		(1ULL << 7)
#define VMATLAS_PG_ACTIVE	(1ULL << 8)
#define VMATLAS_PG_WRITEBACK	(1ULL << 9)
#define VMATLAS_PG_SWAPCACHE	(1ULL << 10)
#define VMATLAS_PG_SWAPBACKED	(1ULL << 11)
#define VMATLAS_PG_UNEVICTABLE	(1ULL << 12)
#define VMATLAS_PG_MLOCKED	(1ULL << 13)
#define VMATLAS_PG_LARGE	(1ULL << 14)	/* part of a large folio */
#define VMATLAS_PG_HUGETLB	(1ULL << 15)
#define VMATLAS_PG_ZERO		(1ULL << 16)	/* the shared zero page */
#define VMATLAS_PG_RESERVED	(1ULL << 17)
#define VMATLAS_PG_SLAB		(1ULL << 18)
#define VMATLAS_PG_HIGHMEM	(1ULL << 19)

/**
 * struct vmatlas_page - the struct page behind a mapping
 * @flags: VMATLAS_PG_*
 * @mapcount: mappings of this page (as /proc/PID/pagemap judges exclusivity)
 * @refcount: references to its folio
 * @order: allocation order of its folio (0: a single page)
 * @reserved: must be 0
 */
struct vmatlas_page {
	__u64 flags;
	__s32 mapcount;
	__s32 refcount;
	__u32 order;
	__u32 reserved;
};

/* struct vmatlas_walk.out_flags, beyond VMATLAS_OUT_* */
#define VMATLAS_WALK_PRESENT	(1U << 8)	/* a present leaf maps the address */
#define VMATLAS_WALK_PAGE	(1U << 9)	/* @page describes its struct page */

/**
 * struct vmatlas_walk - VMATLAS_IOC_WALK: translate one user address
 * @size: (in/out) sizeof(struct vmatlas_walk)
 * @flags: (in) must be 0
 * @pid: (in) the process
 * @out_flags: (out) VMATLAS_OUT_* and VMATLAS_WALK_*
 * @addr: (in) the user address, any byte
 * @page_size: (out) size mapped by the leaf (4 KiB, 2 MiB, 1 GiB) or 0
 * @phys: (out) physical address of @addr, 0 if not present or hidden
 * @pfn: (out) page frame of @addr, 0 if not present or hidden
 * @swap_offset: (out) offset of a swap entry (or the PFN of a migration entry)
 * @swap_type: (out) swap device index of a swap entry
 * @swap_kind: (out) VMATLAS_SWP_*
 * @stop_level: (out) VMATLAS_LEVEL_* where the walk ended
 * @reserved: must be 0
 * @vma_start: (out) the VMA containing @addr
 * @vma_end: (out)
 * @vma_flags: (out) VMATLAS_VM_* of that VMA
 * @page: (out) valid when VMATLAS_WALK_PAGE is set
 * @levels: (out) every level top down; folded ones say so
 * @tlb_size: (out) what one TLB entry may hold of this translation: the
 *	whole run when the leaf carries a contiguous hint (arm64 PTE_CONT,
 *	struct vmatlas_info's @cont_size), else @page_size; 0 if not present
 */
struct vmatlas_walk {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__u32 out_flags;
	__u64 addr;
	__u64 page_size;
	__u64 phys;
	__u64 pfn;
	__u64 swap_offset;
	__u32 swap_type;
	__u32 swap_kind;
	__u32 stop_level;
	__u32 reserved;
	__u64 vma_start;
	__u64 vma_end;
	__u64 vma_flags;
	struct vmatlas_page page;
	struct vmatlas_level levels[VMATLAS_LEVELS];
	__u64 tlb_size;
};

#define VMATLAS_WALK_SIZE_VER0	280
#define VMATLAS_WALK_SIZE_VER1	288	/* @tlb_size */

/**
 * struct vmatlas_run - a ptdump run: contiguous addresses, one look
 * @start: first address
 * @end: first address after it
 * @phys: physical address of @start if the whole run is physically
 *	contiguous and present, else VMATLAS_NO_PHYS (also when hidden)
 * @bits: VMATLAS_ENT_* shared by every entry of the run
 * @page_size: size of each leaf in the run
 * @level: VMATLAS_LEVEL_* of the leaves
 * @page_flags: VMATLAS_RUN_* of every page of the run, if the request asked
 *	for them (VMATLAS_PTDUMP_SHARING); else 0
 */
struct vmatlas_run {
	__u64 start;
	__u64 end;
	__u64 phys;
	__u64 bits;
	__u64 page_size;
	__u32 level;
	__u32 page_flags;
};

/*
 * Who else maps the pages of a present run, the way /proc/PID/pagemap says
 * it (PM_MMAP_EXCLUSIVE) and smaps counts Shared_* and Private_*: mapped
 * once, or more than once (by another process, or twice by this one). The
 * zero page, PFN maps and pages that changed while being looked at have
 * neither bit. Like smaps counts, they need no privilege beyond the runs.
 */
#define VMATLAS_RUN_PRIVATE	(1U << 0)
#define VMATLAS_RUN_SHARED	(1U << 1)

#define VMATLAS_NO_PHYS		(~0ULL)

/**
 * struct vmatlas_ptdump - VMATLAS_IOC_PTDUMP: page tables of a range as runs
 * @size: (in/out) sizeof(struct vmatlas_ptdump)
 * @flags: (in) VMATLAS_PTDUMP_*
 * @pid: (in) the process
 * @count: (in) room in @runs_ptr, in entries; (out) runs filled
 * @start: (in) page-aligned first address
 * @end: (in) page-aligned end, above @start
 * @next: (out) where to continue (as @start), or 0 when @end was reached;
 *	with VMATLAS_PTDUMP_SHARING it may lie inside a huge leaf
 * @runs_ptr: (in) user array of @count entries of @entry_size bytes
 * @entry_size: (in) sizeof(struct vmatlas_run) as the caller knows it
 * @out_flags: (out) VMATLAS_OUT_*
 *
 * Unmapped holes are not reported: a run never spans one. A run is cut
 * where a call's room ends; the next call continues it as a new run. A call
 * may also end short, between two VMAs, when a writer waits for the target's
 * mmap lock: call again from @next until it is 0.
 */
struct vmatlas_ptdump {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__u32 count;
	__u64 start;
	__u64 end;
	__u64 next;
	__u64 runs_ptr;
	__u32 entry_size;
	__u32 out_flags;
};

#define VMATLAS_PTDUMP_SIZE_VER0	56

/*
 * Also say, in each run's @page_flags, whether its pages are mapped once or
 * more (VMATLAS_RUN_*): runs are then cut where that changes, inside a huge
 * leaf too. Modules before it refuse the flag with -EINVAL.
 */
#define VMATLAS_PTDUMP_SHARING	(1U << 0)

#define VMATLAS_IOC_VMAS	_IOWR(VMATLAS_IOCTL_MAGIC, 0x01, struct vmatlas_vmas)
#define VMATLAS_IOC_WALK	_IOWR(VMATLAS_IOCTL_MAGIC, 0x02, struct vmatlas_walk)
#define VMATLAS_IOC_PTDUMP	_IOWR(VMATLAS_IOCTL_MAGIC, 0x03, struct vmatlas_ptdump)

/**
 * struct vmatlas_xlat - one address of a TRANSLATE batch
 * @addr: (in) any byte of the target's user address space
 * @phys: (out) physical address of @addr, 0 if not present or hidden
 * @page_size: (out) size mapped by the leaf, 0 if nothing maps @addr
 * @entry: (out) the leaf entry, or the empty one where the walk ended, as
 *	WALK's levels[@level].entry (PFN and swap bits zero when hidden)
 * @bits: (out) VMATLAS_ENT_* of @entry
 * @swap_offset: (out) as struct vmatlas_walk
 * @swap_type: (out) as struct vmatlas_walk
 * @swap_kind: (out) VMATLAS_SWP_*
 * @level: (out) VMATLAS_LEVEL_* where the walk ended
 * @out_flags: (out) VMATLAS_WALK_PRESENT, VMATLAS_OUT_*
 * @error: (out) 0; -EINVAL, not a user address of the target; -ENOMEM, no
 *	VMA contains it; -EAGAIN, a page table kept changing: as WALK would
 *	have failed for this address alone
 * @reserved: (out) 0
 *
 * Only @addr is read: the other fields of the caller's entry are written.
 */
struct vmatlas_xlat {
	__u64 addr;
	__u64 phys;
	__u64 page_size;
	__u64 entry;
	__u64 bits;
	__u64 swap_offset;
	__u32 swap_type;
	__u32 swap_kind;
	__u32 level;
	__u32 out_flags;
	__s32 error;
	__u32 reserved;
};

/**
 * struct vmatlas_translate - VMATLAS_IOC_TRANSLATE: many addresses, one call
 * @size: (in/out) sizeof(struct vmatlas_translate)
 * @flags: (in) must be 0
 * @pid: (in) the process
 * @count: (in) entries in @xlat_ptr; (out) entries translated, all of them
 *	unless the call failed
 * @xlat_ptr: (in) user array of @count entries of @entry_size bytes; each
 *	entry's @addr is read and the rest of it written
 * @entry_size: (in) sizeof(struct vmatlas_xlat) as the caller knows it
 * @out_flags: (out) VMATLAS_OUT_*
 *
 * WALK without the levels and the struct page, for thousands of addresses:
 * the module takes the target once, translates the entries in fixed-size
 * chunks, each under one hold of the mmap lock, and honours a fatal signal
 * between chunks (-EINTR; entries already written stay written). An address
 * that WALK would refuse fails in its own entry (@error), not the call:
 * as move_pages(2)'s status array. Like pagemap, each chunk is a snapshot
 * of its own: the target may change between two of them.
 */
struct vmatlas_translate {
	__u32 size;
	__u32 flags;
	__s32 pid;
	__u32 count;
	__u64 xlat_ptr;
	__u32 entry_size;
	__u32 out_flags;
};

#define VMATLAS_TRANSLATE_SIZE_VER0	32

#define VMATLAS_IOC_TRANSLATE	_IOWR(VMATLAS_IOCTL_MAGIC, 0x07, struct vmatlas_translate)

/* The kernel-space commands and the BPF kfunc's result, in headers of their own. */
#include <linux/vmatlas_kernel.h>
#include <linux/vmatlas_bpf.h>

#endif /* _UAPI_LINUX_VMATLAS_H */
