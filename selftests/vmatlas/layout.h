/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A process with a known address space for the tests to inspect: it builds
 * every kind of mapping, forks a child that shares some of them, then both
 * block until told otherwise, so that nothing changes while vmatlas and
 * /proc are compared.
 */
#ifndef _VMATLAS_TEST_LAYOUT_H
#define _VMATLAS_TEST_LAYOUT_H

#include <stdint.h>
#include <sys/types.h>

#define LAYOUT_PAGES	16

struct layout {
	pid_t pid;		/* the layout process */
	pid_t child;		/* its child, forked after cow and shared were written */
	int cmd_fd;
	int ack_fd;
	long page;		/* page size */
	unsigned long huge;	/* a PMD leaf's size: 2 MiB, or 32 MiB with 16 KiB pages */
	unsigned long hugetlb_size; /* the default hugetlb page size */

	uintptr_t cow;		/* private anon, written before the fork: COW-shared */
	uintptr_t shared;	/* MAP_SHARED anon, written; the child read the first half */
	uintptr_t anon;		/* private anon, NOHUGEPAGE; even pages written */
	uintptr_t untouched;	/* private anon, never touched */
	uintptr_t zero;		/* private anon, NOHUGEPAGE, read: the zero page */
	uintptr_t thp;		/* huge aligned, 2 * huge, MADV_HUGEPAGE, written */
	uintptr_t file;		/* private read-only file mapping; first half read */
	uintptr_t split;	/* 8 pages written, pages 3-4 made read-only */
	uintptr_t guard;	/* PROT_NONE */
	uintptr_t swapped;	/* written, then MADV_PAGEOUT */
	uintptr_t hugetlb;	/* one MAP_HUGETLB page, written, or 0 */
	uintptr_t high;		/* a page above 256 TiB (5 levels, 52 bits), or 0 */
	uintptr_t heap;		/* grown with sbrk(), written */
	int swap_out;		/* pages of swapped that reached swap */
};

/* Start the layout process; 0 or -errno. */
int layout_start(struct layout *l);

/* Make the child write its copy of the COW region; 0 or -errno. */
int layout_child_write_cow(struct layout *l);

/* End both processes. */
void layout_stop(struct layout *l);

#endif /* _VMATLAS_TEST_LAYOUT_H */
