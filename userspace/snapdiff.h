/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What changed between two snapshots of an address space: VMAs added,
 * removed, grown, shrunk, split, merged, moved or given other permissions;
 * pages that became present, were unmapped, swapped out or in, mapped by a
 * larger or smaller leaf, given another frame, or became shared or private;
 * VMAs whose count of shared pages changed.
 */
#ifndef _VMATLAS_SNAPDIFF_H
#define _VMATLAS_SNAPDIFF_H

#include "snapshot.h"

enum vma_change {
	VMA_ADDED,
	VMA_REMOVED,
	VMA_GROWN,
	VMA_SHRUNK,
	VMA_RESIZED,	/* both ends moved */
	VMA_SPLIT,
	VMA_MERGED,
	VMA_MOVED,	/* mremap(): same size, path and permissions elsewhere */
	VMA_CHANGED,	/* same range: permissions, flags or path */
	VMA_CHANGES
};

enum page_change {
	PAGE_PRESENT,		/* nothing mapped before */
	PAGE_UNMAPPED,		/* nothing mapped after */
	PAGE_SWAPPED_OUT,
	PAGE_SWAPPED_IN,
	PAGE_HUGE,		/* mapped by a larger leaf (a THP collapse) */
	PAGE_SPLIT,		/* mapped by a smaller leaf (a THP split) */
	PAGE_FRAME,		/* present before and after, in another frame */
	PAGE_SHARED,		/* now mapped more than once (the same frame, if known) */
	PAGE_PRIVATE,		/* now mapped once (the same frame, if known) */
	PAGE_OTHER,		/* to or from migration, hwpoison, markers */
	PAGE_CHANGES
};

/* VMAs @a[0..na) of the first snapshot became @b[0..nb) of the second. */
struct vma_delta {
	enum vma_change what;
	const struct snap_vma *a, *b;
	size_t na, nb;
};

/* Pages [start, end) changed as @what says; the frames are those of @start. */
struct page_delta {
	enum page_change what;
	unsigned long long start, end;
	unsigned long long leaf_a, leaf_b;
	unsigned long long pfn_a, pfn_b;	/* SNAP_NO_NUMBER if not present or hidden */
};

/* A VMA found at the same range in both whose shared pages changed. */
struct share_delta {
	const struct snap_vma *a, *b;
};

struct snapdiff {
	struct vma_delta *vmas;
	size_t nvmas;
	struct page_delta *pages;
	size_t npages, pages_room;
	struct share_delta *shares;
	size_t nshares;
	/* Totals: VMA changes, and pages (base pages) per page change. */
	size_t vma_count[VMA_CHANGES];
	unsigned long long page_count[PAGE_CHANGES];
};

int snapdiff(const struct snapshot *a, const struct snapshot *b, struct snapdiff *d);
bool snapdiff_empty(const struct snapdiff *d);
void snapdiff_free(struct snapdiff *d);
const char *vma_change_name(enum vma_change what);
const char *page_change_name(enum page_change what);

/* snapdiff_out.c: @names are what to call the snapshots (files, or times). */
void snapdiff_write_text(FILE *out, const char *const names[2], const struct snapshot *s,
			 const struct snapdiff *d);
void snapdiff_write_json(FILE *out, const char *const names[2], const struct snapshot *s,
			 const struct snapdiff *d);

#endif /* _VMATLAS_SNAPDIFF_H */
