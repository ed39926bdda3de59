/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kernel's own accounting, read the way any program can: the sources of
 * truth vmatlas is compared with.
 */
#ifndef _VMATLAS_TEST_PROCFS_H
#define _VMATLAS_TEST_PROCFS_H

#include <linux/types.h>
#include <sys/types.h>

#include "helpers.h"

struct smaps_vma {
	unsigned long long start, end, offset, inode;
	char perms[8];
	char dev[16];
	char name[512];
	/* in kB, as smaps prints them */
	unsigned long long rss, swap, anonymous, anon_huge, shmem_pmd, file_pmd;
	unsigned long long shared_clean, shared_dirty, private_hugetlb, shared_hugetlb;
	unsigned long long kernel_page;	/* KernelPageSize: a hugetlb page's size */
	char vmflags[256];
};

/*
 * Read /proc/PID/smaps (which starts each VMA with its /proc/PID/maps line).
 * Returns the number of VMAs, or -errno; *out is malloc()ed.
 */
int smaps_read(pid_t pid, struct smaps_vma **out);

/* The smaps entry that starts at @start, or NULL. */
struct smaps_vma *smaps_find(struct smaps_vma *v, int n, unsigned long long start);

#define PM_PFN_MASK	(BIT_ULL(55) - 1)
#define PM_SOFT_DIRTY	BIT_ULL(55)
#define PM_EXCLUSIVE	BIT_ULL(56)
#define PM_FILE	BIT_ULL(61)
#define PM_SWAP	BIT_ULL(62)
#define PM_PRESENT	BIT_ULL(63)

/* /proc/kpageflags bits (Documentation/admin-guide/mm/pagemap.rst) */
#define KPF_ANON		12
#define KPF_SWAPBACKED		14
#define KPF_COMPOUND_HEAD	15
#define KPF_COMPOUND_TAIL	16
#define KPF_HUGE		17
#define KPF_THP			22

#define KPF_ZERO_PAGE		24

/* The /proc/kpageflags word of @pfn (root only); 0 on a read error. */
__u64 kpage_flags(unsigned long long pfn);
/* How many times @pfn is mapped, from /proc/kpagecount (root only); 0 on a read error. */
__u64 kpage_count(unsigned long long pfn);

/* Open /proc/PID/pagemap; -errno on failure. */
int pagemap_open(pid_t pid);

/* The pagemap entry of the page holding @addr; 0 on a read error. */
__u64 pagemap_entry(int fd, unsigned long long addr, long page);

/* minflt + majflt of a process from /proc/PID/stat, or -1. */
long long proc_faults(pid_t pid);

/*
 * Wait (up to a few seconds) until a process sleeps, e.g. blocked in read():
 * only then does its address space stop changing. 0 or -ETIMEDOUT.
 */
int proc_wait_sleeping(pid_t pid);

/* Whether the kernel tracks soft-dirty bits (pagemap bit 55 means something). */
int soft_dirty_supported(void);

/* A symbol's address in /proc/kallsyms; 0 if missing or hidden. */
unsigned long long kallsyms_addr(const char *name);

/* The start of the first /proc/iomem range that names @what; 0 if none. */
unsigned long long iomem_start(const char *what);

/* A /proc/meminfo value in kB (@key with its colon); 0 if missing. */
unsigned long long meminfo_kb(const char *key);

/* The highest end of any zone (of lowmem only, if asked), in pages. */
unsigned long long zones_end_pfn(int lowmem_only);

#endif /* _VMATLAS_TEST_PROCFS_H */
