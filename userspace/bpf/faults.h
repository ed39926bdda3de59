/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by faults.bpf.c and the faults subcommand: what one page fault
 * looks like, and the summaries kept in maps.
 */
#ifndef _VMATLAS_FAULTS_H
#define _VMATLAS_FAULTS_H

/* How a fault ended, judged from the vm_fault_t and the PTE before and after. */
enum fault_class {
	FC_MINOR,		/* minor, nothing more specific */
	FC_FIRST_TOUCH,		/* anonymous memory mapped for the first time */
	FC_PAGE_CACHE,		/* file page found in the page cache */
	FC_COW,			/* write to a shared page: copied to a new frame */
	FC_WRITE_PROTECT,	/* write to a read-only entry: same frame made writable */
	FC_SWAP_IN,		/* a swap entry brought back (from swap cache, or read) */
	FC_MAJOR,		/* read from a file: I/O */
	FC_RETRY,		/* gave up the lock and will be tried again */
	FC_SIGSEGV,
	FC_SIGBUS,
	FC_OOM,
	FC_ERROR,		/* other VM_FAULT_ERROR */
	FC_MAX
};

/* Extra slots of the counters array, after the classes. */
#define FC_COUNTED_MINOR	FC_MAX		/* as the kernel counts min_flt */
#define FC_COUNTED_MAJOR	(FC_MAX + 1)	/* as the kernel counts maj_flt */
#define FC_EXCEPTIONS		(FC_MAX + 2)	/* tracepoint attach: user-mode #PF */
#define FC_UNFOLLOWED		(FC_MAX + 3)	/* forked, but no room to trace it */
/* arm64: the MMU's word on each fault (ESR_EL1's fault status code). */
#define FC_MMU_OTHER		(FC_MAX + 4)
#define FC_MMU_TRANSLATION	(FC_MAX + 5)	/* no valid entry at some level */
#define FC_MMU_ACCESS_FLAG	(FC_MAX + 6)	/* valid, but its AF clear */
#define FC_MMU_PERMISSION	(FC_MAX + 7)	/* valid, but not for this access */
/* --events: events lost because the ring buffer was full. */
#define FC_DROPPED		(FC_MAX + 8)
#define FC_SLOTS		(FC_MAX + 9)

/*
 * An arm64 data or instruction abort's fault status code (ESR_EL1.ISS
 * bits 5-0): 0b0001LL translation, 0b0010LL access flag, 0b0011LL
 * permission fault at level LL; 0b101011 a translation fault at level -1
 * (LPA2's fifth level). Its FC_MMU_* slot.
 */
#define ESR_FSC(esr)		((esr) & 0x3f)

static inline unsigned int esr_fsc_slot(unsigned int fsc)
{
	if (fsc == 0x2b)
		return FC_MMU_TRANSLATION;
	switch (fsc >> 2) {
	case 1:
		return FC_MMU_TRANSLATION;
	case 2:
		return FC_MMU_ACCESS_FLAG;
	case 3:
		return FC_MMU_PERMISSION;
	default:
		return FC_MMU_OTHER;
	}
}

/* How many processes of a command can be traced at once. */
#define TRACED_MAX		8192

#define HIST_SLOTS		32	/* log2 buckets of latency in ns */
#define VMA_NAME_LEN		32

/* Leaf level of a PTE lookup, or what stopped it. */
#define PTE_NONE		0	/* nothing mapped */
#define PTE_LEAF_PTE		1	/* a base page */
#define PTE_LEAF_PMD		2	/* a PMD leaf: 2 MiB (4 KiB pages), 32 MiB (16 KiB) */
#define PTE_LEAF_PUD		3	/* a PUD leaf: 1 GiB (4 KiB pages) */
#define PTE_SWAP		4	/* a swap-format entry */
#define PTE_UNKNOWN		5	/* could not be read */

/*
 * How the kernel's architecture lays out a page-table entry: for the BPF
 * walk, and for decoding the entries an event carries. faults.c fills it
 * from the kernel's machine and page size (faults_entry_format()).
 */
struct entry_format {
	unsigned long long present;	/* any of these set: present (PROT_NONE too) */
	unsigned long long write;	/* set: writable (x86's RW, arm64's DBM = PTE_WRITE) */
	unsigned long long leaf_mask;	/* above the last level, an entry e with */
	unsigned long long leaf_value;	/* (e & leaf_mask) == leaf_value is a leaf */
	unsigned long long addr;	/* the physical address of a table or a frame */
	unsigned int page_shift;
	unsigned int index_bits;	/* of each level's index: page_shift - 3 */
};

/*
 * struct vmatlas_pte of <linux/vmatlas.h>, which the module's kfunc fills:
 * BPF cannot include that header next to vmlinux.h, so it is repeated here
 * and faults.c checks that the two agree.
 */
struct fault_pte {
	unsigned long long entry;
	unsigned long long bits;
	unsigned long long pfn;
	unsigned long long page_size;
	unsigned int level;
	unsigned int out_flags;
	unsigned long long page_flags;
	int mapcount;
	int refcount;
	unsigned int order;
	unsigned int reserved;
};

#define FAULT_PTE_PRESENT	0x1	/* VMATLAS_PTE_PRESENT */
#define FAULT_PTE_SWAP		0x2	/* VMATLAS_PTE_SWAP */
#define FAULT_PTE_PAGE		0x4	/* VMATLAS_PTE_PAGE */
#define FAULT_PTE_GET_PAGE	0x1	/* VMATLAS_PTE_GET_PAGE */

/* Page facts of one side of a fault; only from the kfunc. */
struct fault_page {
	unsigned int flags;	/* VMATLAS_PG_* (the low 32 bits) */
	int mapcount;		/* -1: not known */
	int refcount;
};

struct fault_event {
	unsigned long long ts_ns;
	unsigned long long latency_ns;
	unsigned long long addr;
	unsigned long long ip;
	unsigned long long vma_start;
	unsigned long long vma_end;
	unsigned long long pte_before;
	unsigned long long pte_after;
	unsigned int tid;
	unsigned int fault_flags;
	unsigned int ret;
	unsigned int class;
	unsigned char level_before;
	unsigned char level_after;
	unsigned char counted;	/* 0 not counted by the kernel, 1 minor, 2 major */
	unsigned char has_esr;	/* arm64: @esr is the syndrome of this fault */
	unsigned int pid;	/* the thread's process (tgid) */
	struct fault_page page_before;
	struct fault_page page_after;
	unsigned long long esr;
	unsigned long long mm;	/* with @pid and @vma_start, its VMA's fault_key */
};

/*
 * The key of the per-VMA and the per-page tables: an address in one address
 * space of one process. A command's processes map the same addresses (a
 * fork()'s child, any two runs of one static binary), and one process
 * replaces its address space in execve(): the mm_struct tells the image
 * after an execve() from the one before, the tgid a new process from a dead
 * one whose freed mm_struct it was given.
 */
struct fault_key {
	unsigned long long mm;
	unsigned long long addr;	/* the VMA's start; the page's */
	unsigned int tgid;
	unsigned int pad;
};

struct vma_stat {
	unsigned long long end;
	unsigned long long ino;
	unsigned long long faults;
	unsigned long long major;
	unsigned long long latency_ns;
	char name[VMA_NAME_LEN];
};

#endif /* _VMATLAS_FAULTS_H */
