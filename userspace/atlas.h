/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The atlas: an address space laid out to be drawn. Rows in address order,
 * one per VMA (or per group of neighbouring VMAs when there are too many to
 * read), the unmapped gaps between them, and the kernel's regions; each
 * user row with a residency strip (what most of the pages under each of its
 * bins are), optionally the faults of a trace binned the same way, and the
 * walk of one address per hover cell.
 */
#ifndef _VMATLAS_ATLAS_H
#define _VMATLAS_ATLAS_H

#include <stdbool.h>
#include <stdio.h>

#include <linux/vmatlas.h>
#include <linux/vmatlas_kernel.h>

#include "snapshot.h"

struct json_object;

#define ATLAS_BINS	200	/* residency bins of a row, at most */
#define ATLAS_CELLS	16	/* hover cells (walks) of a row, at most */
#define ATLAS_ROWS	200	/* user rows before neighbours are grouped */

/* What most of a bin's pages are, as the strip spells it. */
#define ATLAS_BIN_SWAP		's'	/* swapped out */
#define ATLAS_BIN_SHARED	'S'	/* present, mapped more than once (any leaf) */
#define ATLAS_BIN_HUGE		'H'	/* present, under a PMD or PUD leaf */
#define ATLAS_BIN_PRESENT	'p'	/* present, under a base-page leaf */
#define ATLAS_BIN_OTHER		'o'	/* another non-present entry: migration, marker */
#define ATLAS_BIN_NONE		'.'	/* in a VMA, nothing mapped yet */
#define ATLAS_BIN_UNMAPPED	' '	/* in no VMA (between a group's members) */

enum atlas_row_type {
	ATLAS_ROW_VMA,		/* one VMA */
	ATLAS_ROW_GROUP,	/* neighbouring VMAs drawn as one row */
	ATLAS_ROW_GAP,		/* nothing mapped: drawn compressed, with its size */
	ATLAS_ROW_REGION,	/* a region of the kernel's map */
};

/*
 * Pages of a row by state; @present counts @huge and @shared too, and @huge
 * the shared pages under huge leaves. Without sharing in the snapshot,
 * @shared is the VMAs' residency count (smaps' rule), not the runs'.
 */
struct atlas_pages {
	unsigned long long present, huge, swap, other, none, shared;
};

struct atlas_row {
	enum atlas_row_type type;
	unsigned long long start, end;	/* @end 0: the top of the address space */
	size_t first, count;		/* VMA, GROUP: the snapshot's VMAs [first, +count) */
	unsigned int region;		/* REGION: VMATLAS_REGION_*; GAP: HOLE, NONCANONICAL, 0 */
	struct atlas_pages pages;
	unsigned int nbins;
	char *strip;			/* @nbins ATLAS_BIN_* and a NUL */
	unsigned long long *faults;	/* @nbins fault counts, NULL without a trace */
	unsigned long long nfaults;
	unsigned int ncells;		/* hover cells, of about @nbins / @ncells bins each */
	struct json_object *walks;	/* @ncells walks ($defs/walk_result or null), or NULL */
};

struct atlas {
	const struct snapshot *s;
	struct atlas_row *rows;		/* in address order */
	size_t nrows, room;
	size_t max_rows;
	bool grouped;			/* some rows are groups */
	bool kernel;			/* @layout's regions are rows */
	struct vmatlas_layout layout;
	char kernel_note[96];		/* why the kernel is not drawn, or "" */
	bool traced;			/* a fault trace was binned */
	unsigned long long faults_in, faults_out; /* its faults in rows, outside any */
	bool walked;			/* the rows have walks */
};

int atlas_build(struct atlas *a, const struct snapshot *s, size_t max_rows);
int atlas_add_kernel(struct atlas *a, const struct vmatlas_layout *layout);
int atlas_add_faults(struct atlas *a, struct json_object *trace, char *why, size_t len);
int atlas_add_walks(struct atlas *a, int fd);
void atlas_free(struct atlas *a);

/* The first bin of hover cell @c of @row. */
unsigned int atlas_cell_bin(const struct atlas_row *row, unsigned int c);
/* The first address of bin @i of @row (page aligned). */
unsigned long long atlas_bin_addr(const struct atlas *a, const struct atlas_row *row,
				  unsigned int i);
const char *atlas_row_type_name(enum atlas_row_type type);

/* The atlas as data ($defs/atlas): what --json prints and the page embeds. */
struct json_object *atlas_to_json(const struct atlas *a);

/* The picture: an SVG document; an HTML page around it, with zoom and walks. */
void atlas_write_svg(FILE *out, const struct atlas *a);
void atlas_write_html(FILE *out, const struct atlas *a);

#endif /* _VMATLAS_ATLAS_H */
