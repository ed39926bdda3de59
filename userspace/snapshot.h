/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A snapshot of an address space: its VMAs, and what its page tables map,
 * as runs of pages in one state whose frames (or swap slots) follow each
 * other. Taken from the device, saved as JSON ("vmatlas snapshot"), read
 * back and compared ("vmatlas diff").
 */
#ifndef _VMATLAS_SNAPSHOT_H
#define _VMATLAS_SNAPSHOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <linux/vmatlas.h>

/* The format of the file; a reader refuses another. */
#define SNAP_FORMAT	1

/* What a leaf entry says of its pages. */
enum snap_state {
	SNAP_NONE,	/* nothing mapped (not in any run) */
	SNAP_PRESENT,	/* a frame */
	SNAP_SWAP,	/* a swap entry: the page is out */
	SNAP_OTHER,	/* another non-present entry: migration, hwpoison, marker */
};

#define SNAP_NO_NUMBER	(~0ULL)

struct snap_vma {
	unsigned long long start, end, pgoff, inode, vm_flags;
	unsigned int kind, dev_major, dev_minor;
	char *path;			/* "" when the VMA has no name */
	struct vmatlas_residency res;
};

/* Pages [start, end) in @state, mapped by leaves of @leaf_size bytes. */
struct snap_run {
	unsigned long long start, end;
	unsigned long long leaf_size;
	/* PRESENT: the frame of @start, the next ones after it; else SNAP_NO_NUMBER. */
	unsigned long long pfn;
	/* SWAP: the slot of @start on swap device @swap_type, the next ones after it. */
	unsigned long long swap_offset;
	unsigned int swap_type;
	enum snap_state state;
	unsigned long long bits;	/* VMATLAS_ENT_* of the leaves */
	/* PRESENT: VMATLAS_RUN_PRIVATE or _SHARED (mapped once, or more); 0 unknown. */
	unsigned int sharing;
};

struct snapshot {
	int pid;
	char comm[32];
	char time[32];			/* UTC, ISO 8601 */
	char kernel[72], arch[32];
	unsigned long long page_size;
	bool phys_hidden;		/* frames unknown: not CAP_SYS_ADMIN */
	bool sharing;			/* runs say who else maps their pages */
	struct snap_vma *vmas;
	size_t nvmas;
	struct snap_run *runs;
	size_t nruns, runs_room;
};

int snapshot_take(int fd, int pid, struct snapshot *s);
void snapshot_write(FILE *out, const struct snapshot *s);
int snapshot_read(const char *path, struct snapshot *s, char *err, size_t len);
void snapshot_free(struct snapshot *s);
const char *snapshot_strerror(int err, int pid);
const char *snap_state_name(enum snap_state state);
/* The first run of @s that ends above @addr (@s->nruns if none). */
size_t snap_run_after(const struct snapshot *s, unsigned long long addr);

#endif /* _VMATLAS_SNAPSHOT_H */
