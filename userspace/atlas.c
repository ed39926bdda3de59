// SPDX-License-Identifier: GPL-2.0
/*
 * The atlas's rows, from a snapshot: which VMAs get a row of their own and
 * which share one, the gaps between them, the kernel's regions, and for
 * each user row what its bins hold: pages by state, faults, walks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "atlas.h"
#include "libvmatlas.h"
#include "output.h"
#include "util.h"
#include "walk_json.h"

static const char *const atlas_row_types[] = {
	[ATLAS_ROW_VMA] = "vma",
	[ATLAS_ROW_GROUP] = "group",
	[ATLAS_ROW_GAP] = "gap",
	[ATLAS_ROW_REGION] = "region",
};

const char *atlas_row_type_name(enum atlas_row_type type)
{
	return atlas_row_types[type];
}

static struct atlas_row *atlas_row_add(struct atlas *a, enum atlas_row_type type,
				       unsigned long long start, unsigned long long end)
{
	struct atlas_row *r;

	if (a->nrows == a->room) {
		size_t room = a->room ? 2 * a->room : 64;

		r = reallocarray(a->rows, room, sizeof(*r));
		if (!r)
			return NULL;
		a->rows = r;
		a->room = room;
	}
	r = &a->rows[a->nrows++];
	memset(r, 0, sizeof(*r));
	r->type = type;
	r->start = start;
	r->end = end;
	return r;
}

/* A row's pages: its bins split them as evenly as whole pages allow. */
static unsigned long long row_pages(const struct atlas *a, const struct atlas_row *r)
{
	return (r->end - r->start) / a->s->page_size;
}

/* The first page (from the row's start) of bin @i; @i == nbins: the end. */
static unsigned long long bin_first(unsigned long long pages, unsigned int nbins, unsigned int i)
{
	return (i * pages + nbins - 1) / nbins;
}

unsigned long long atlas_bin_addr(const struct atlas *a, const struct atlas_row *row,
				  unsigned int i)
{
	return row->start + bin_first(row_pages(a, row), row->nbins, i) * a->s->page_size;
}

unsigned int atlas_cell_bin(const struct atlas_row *row, unsigned int c)
{
	return c * row->nbins / row->ncells;
}

/* A gap between two rows: its size, then the VMA after it. */
struct atlas_gap {
	unsigned long long size;
	size_t next;
};

static int atlas_gap_cmp(const void *x, const void *y)
{
	const struct atlas_gap *a = x, *b = y;

	if (a->size != b->size)
		return a->size < b->size ? -1 : 1;
	return a->next < b->next ? -1 : a->next > b->next;
}

/* How readily two neighbouring VMAs share a row: lower first. */
enum { JOIN_FILE, JOIN_TOUCH, JOIN_GAP };

static int atlas_join(const struct snapshot *s, size_t i)
{
	const struct snap_vma *p = &s->vmas[i - 1], *v = &s->vmas[i];

	if (p->end != v->start)
		return JOIN_GAP;
	return *v->path && !strcmp(p->path, v->path) ? JOIN_FILE : JOIN_TOUCH;
}

/*
 * Join @need of the @m neighbours of kind @join into the rows before them,
 * spread evenly over the address space, so that groups come out alike.
 */
static void atlas_join_evenly(const struct snapshot *s, bool *first, int join, size_t m,
			      size_t need)
{
	size_t i, j = 0;

	for (i = 1; i < s->nvmas; i++) {
		if (atlas_join(s, i) != join)
			continue;
		if ((j + 1) * need / m > j * need / m)
			first[i] = false;
		j++;
	}
}

/*
 * Which VMAs share a row: none while there are few enough; else exactly as
 * many as it takes to leave @max rows: first the mappings of one file that
 * touch (a library's parts), then any that touch (thread stacks and their
 * guards), each spread evenly when not all are needed, then those across
 * the smallest gaps, the lowest first among equal ones. @first[i] is set
 * for the VMAs that start a row.
 * Return: the rows, 0 if out of memory.
 */
static size_t atlas_group(const struct snapshot *s, size_t max, bool *first)
{
	size_t i, k = 0, need, m[JOIN_GAP] = {};
	struct atlas_gap *gaps;
	int join;

	for (i = 0; i < s->nvmas; i++)
		first[i] = true;
	if (s->nvmas <= max)
		return s->nvmas;
	need = s->nvmas - max;
	for (i = 1; i < s->nvmas; i++)
		if (atlas_join(s, i) != JOIN_GAP)
			m[atlas_join(s, i)]++;
	for (join = JOIN_FILE; join < JOIN_GAP && need; join++) {
		size_t n = m[join] < need ? m[join] : need;

		if (n)
			atlas_join_evenly(s, first, join, m[join], n);
		need -= n;
	}
	if (!need)
		return max;
	gaps = calloc(s->nvmas, sizeof(*gaps));
	if (!gaps)
		return 0;
	for (i = 1; i < s->nvmas; i++)
		if (atlas_join(s, i) == JOIN_GAP)
			gaps[k++] = (struct atlas_gap){ s->vmas[i].start - s->vmas[i - 1].end, i };
	qsort(gaps, k, sizeof(*gaps), atlas_gap_cmp);
	for (i = 0; i < need; i++)
		first[gaps[i].next] = false;
	free(gaps);
	return max;
}

/* Bin counts of a row: one line of ATLAS_STATES per bin. */
enum { ST_SWAP, ST_SHARED, ST_HUGE, ST_PRESENT, ST_OTHER, ST_NONE, ST_UNMAPPED, ATLAS_STATES };

static const char atlas_state_char[ATLAS_STATES] = {
	ATLAS_BIN_SWAP, ATLAS_BIN_SHARED, ATLAS_BIN_HUGE, ATLAS_BIN_PRESENT, ATLAS_BIN_OTHER,
	ATLAS_BIN_NONE, ATLAS_BIN_UNMAPPED,
};

/* Move the pages [@from, @to) (row-relative) from state @was to state @is. */
static void bins_move(long long (*cnt)[ATLAS_STATES], unsigned long long pages,
		      unsigned int nbins, unsigned long long from, unsigned long long to,
		      int was, int is)
{
	unsigned int i = from * nbins / pages;

	for (; from < to; i++) {
		unsigned long long end = bin_first(pages, nbins, i + 1);

		if (end > to)
			end = to;
		cnt[i][was] -= end - from;
		cnt[i][is] += end - from;
		from = end;
	}
}

static int run_state(const struct snap_run *r, unsigned long long page_size)
{
	switch (r->state) {
	case SNAP_PRESENT:
		if (r->sharing == VMATLAS_RUN_SHARED)
			return ST_SHARED;
		return r->leaf_size > page_size ? ST_HUGE : ST_PRESENT;
	case SNAP_SWAP:
		return ST_SWAP;
	default:
		return ST_OTHER;
	}
}

/* The states of a user row's pages, binned; the row's totals. */
static int atlas_fill_bins(struct atlas *a, struct atlas_row *row)
{
	const struct snapshot *s = a->s;
	unsigned long long ps = s->page_size, pages = row_pages(a, row);
	long long (*cnt)[ATLAS_STATES];
	unsigned int i;
	size_t v, k;
	int st, best;

	row->nbins = pages < ATLAS_BINS ? pages : ATLAS_BINS;
	row->ncells = row->nbins < ATLAS_CELLS ? row->nbins : ATLAS_CELLS;
	row->strip = malloc(row->nbins + 1);
	cnt = calloc(row->nbins, sizeof(*cnt));
	if (!row->strip || !cnt) {
		free(cnt);
		return -ENOMEM;
	}
	/* Every page starts unmapped: no VMA of the row holds it. */
	for (i = 0; i < row->nbins; i++)
		cnt[i][ST_UNMAPPED] = bin_first(pages, row->nbins, i + 1) -
				      bin_first(pages, row->nbins, i);
	for (v = row->first; v < row->first + row->count; v++) {
		const struct snap_vma *sv = &s->vmas[v];

		bins_move(cnt, pages, row->nbins, (sv->start - row->start) / ps,
			  (sv->end - row->start) / ps, ST_UNMAPPED, ST_NONE);
		if (!s->sharing)
			row->pages.shared += sv->res.shared;
		/* Runs were read over the VMAs; count only what lies in one. */
		for (k = snap_run_after(s, sv->start); k < s->nruns; k++) {
			const struct snap_run *r = &s->runs[k];
			unsigned long long lo = r->start > sv->start ? r->start : sv->start;
			unsigned long long hi = r->end < sv->end ? r->end : sv->end;

			if (r->start >= sv->end)
				break;
			st = run_state(r, ps);
			bins_move(cnt, pages, row->nbins, (lo - row->start) / ps,
				  (hi - row->start) / ps, ST_NONE, st);
			/* Huge and shared: drawn shared, counted huge too. */
			if (st == ST_SHARED && r->leaf_size > ps)
				row->pages.huge += (hi - lo) / ps;
		}
	}
	/* Most pages win; a tie goes to the state listed first. The row's totals. */
	for (i = 0; i < row->nbins; i++) {
		row->pages.present += cnt[i][ST_PRESENT] + cnt[i][ST_HUGE] + cnt[i][ST_SHARED];
		row->pages.huge += cnt[i][ST_HUGE];
		if (s->sharing)
			row->pages.shared += cnt[i][ST_SHARED];
		row->pages.swap += cnt[i][ST_SWAP];
		row->pages.other += cnt[i][ST_OTHER];
		row->pages.none += cnt[i][ST_NONE];
		best = 0;
		for (st = 1; st < ATLAS_STATES; st++)
			if (cnt[i][st] > cnt[i][best])
				best = st;
		row->strip[i] = atlas_state_char[best];
	}
	row->strip[row->nbins] = '\0';
	free(cnt);
	return 0;
}

static int atlas_add_gap(struct atlas *a, unsigned long long start, unsigned long long end,
			 unsigned int region)
{
	struct atlas_row *r;

	if (start == end)
		return 0;
	r = atlas_row_add(a, ATLAS_ROW_GAP, start, end);
	if (!r)
		return -ENOMEM;
	r->region = region;
	return 0;
}

/**
 * atlas_build() - the user rows of @s
 * @a: a zeroed atlas; atlas_free() it whatever this returns
 * @s: the snapshot, which must outlive @a
 * @max_rows: VMAs beyond this many share rows
 *
 * Return: 0 or -ENOMEM.
 */
int atlas_build(struct atlas *a, const struct snapshot *s, size_t max_rows)
{
	bool *first = calloc(s->nvmas ? s->nvmas : 1, sizeof(*first));
	struct atlas_row *r = NULL;
	size_t i, rows;
	int err = 0;

	a->s = s;
	a->max_rows = max_rows;
	if (!first)
		return -ENOMEM;
	rows = atlas_group(s, max_rows, first);
	if (s->nvmas && !rows) {
		free(first);
		return -ENOMEM;
	}
	a->grouped = rows < s->nvmas;
	err = atlas_add_gap(a, 0, s->nvmas ? s->vmas[0].start : 0, 0);
	for (i = 0; i < s->nvmas && !err; i++) {
		if (!first[i]) {
			r->end = s->vmas[i].end;
			r->count++;
			r->type = ATLAS_ROW_GROUP;
			continue;
		}
		err = i ? atlas_add_gap(a, s->vmas[i - 1].end, s->vmas[i].start, 0) : 0;
		if (err)
			break;
		r = atlas_row_add(a, ATLAS_ROW_VMA, s->vmas[i].start, s->vmas[i].end);
		if (!r) {
			err = -ENOMEM;
			break;
		}
		r->first = i;
		r->count = 1;
	}
	free(first);
	for (i = 0; i < a->nrows && !err; i++)
		if (a->rows[i].type <= ATLAS_ROW_GROUP)
			err = atlas_fill_bins(a, &a->rows[i]);
	return err;
}

/* The regions drawn: the image's parts stand for the image, user space is the rows. */
static bool atlas_region_drawn(const struct vmatlas_layout *l, unsigned int k)
{
	unsigned int id = l->regions[k].id, j;

	if (id == VMATLAS_REGION_USER)
		return false;
	if (id != VMATLAS_REGION_KERNEL_IMAGE)
		return true;
	for (j = 0; j < l->count; j++)
		if (l->regions[j].id == VMATLAS_REGION_KERNEL_TEXT)
			return false;
	return true;
}

/**
 * atlas_add_kernel() - rows for the kernel's regions, above the user rows
 * @a: built by atlas_build()
 * @layout: from vmatlas_layout()
 *
 * Holes and the non-canonical range are gaps, like the unmapped user ranges;
 * between user space's last VMA and the first region, a gap to TASK_SIZE.
 * Return: 0 or -ENOMEM.
 */
int atlas_add_kernel(struct atlas *a, const struct vmatlas_layout *layout)
{
	unsigned long long at = a->nrows ? a->rows[a->nrows - 1].end : 0;
	unsigned int k;
	int err = 0;

	a->layout = *layout;
	a->kernel = true;
	for (k = 0; k < layout->count && !err; k++) {
		const struct vmatlas_region *reg = &layout->regions[k];
		bool hole = reg->id == VMATLAS_REGION_HOLE ||
			    reg->id == VMATLAS_REGION_NONCANONICAL;
		struct atlas_row *r;

		if (!atlas_region_drawn(layout, k) || (reg->end && reg->end <= at))
			continue;
		/* User space's last gap ends at TASK_SIZE; the kernel's side begins. */
		if (at < layout->task_size && layout->task_size < reg->start) {
			err = atlas_add_gap(a, at, layout->task_size, 0);
			at = layout->task_size;
		}
		/* Regions may nest (KASAN's shadow, vmemmap): draw each whole, in order. */
		if (!err && reg->start > at)
			err = atlas_add_gap(a, at, reg->start, 0);
		if (err)
			break;
		if (hole) {
			err = atlas_add_gap(a, reg->start, reg->end, reg->id);
		} else {
			r = atlas_row_add(a, ATLAS_ROW_REGION, reg->start, reg->end);
			if (!r)
				return -ENOMEM;
			r->region = reg->id;
		}
		at = reg->end;
		if (!at)
			break;
	}
	return err;
}

/* The user row (VMA or group) that holds @addr, or NULL. */
static struct atlas_row *atlas_row_at(struct atlas *a, unsigned long long addr)
{
	size_t lo = 0, hi = a->nrows;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct atlas_row *r = &a->rows[mid];

		if (r->end && r->end <= addr)
			lo = mid + 1;
		else if (r->start > addr)
			hi = mid;
		else
			return r->type <= ATLAS_ROW_GROUP ? r : NULL;
	}
	return NULL;
}

/**
 * atlas_add_faults() - bin the faults of a trace over the rows
 * @a: built by atlas_build()
 * @trace: a document of "vmatlas faults --events --json"
 * @why: the reason, if this fails
 * @len: its size
 *
 * The trace must be of @a's process. A fault of another process (a traced
 * command's children, which map the same addresses after fork()), or
 * outside every row (in a VMA since gone), is counted apart; events of a
 * trace made before they named their process are taken as its.
 *
 * Return: 0, -EINVAL (the document has no events, or is of another
 * process), -ENOMEM.
 */
int atlas_add_faults(struct atlas *a, struct json_object *trace, char *why, size_t len)
{
	struct json_object *events = out_get(trace, "events");
	size_t i, n;

	struct json_object *pid = out_get(trace, "pid");

	if (!json_object_is_type(events, json_type_array)) {
		snprintf(why, len, "%s",
			 "no \"events\" array: trace with 'vmatlas faults --events --json'");
		return -EINVAL;
	}
	/* Another process's addresses would fall in this one's rows. */
	if (pid && json_object_get_int64(pid) != a->s->pid) {
		snprintf(why, len, "a trace of pid %lld, not of pid %d",
			 (long long)json_object_get_int64(pid), a->s->pid);
		return -EINVAL;
	}
	for (i = 0; i < a->nrows; i++) {
		struct atlas_row *r = &a->rows[i];

		if (r->type > ATLAS_ROW_GROUP)
			continue;
		r->faults = calloc(r->nbins, sizeof(*r->faults));
		if (!r->faults)
			return -ENOMEM;
	}
	n = json_object_array_length(events);
	for (i = 0; i < n; i++) {
		struct json_object *e = json_object_array_get_idx(events, i);
		struct json_object *who = out_get(e, "pid");
		const char *hex = out_get_str(e, "addr");
		unsigned long long addr = hex ? strtoull(hex, NULL, 16) : 0;
		struct atlas_row *r = hex ? atlas_row_at(a, addr) : NULL;
		unsigned long long page;

		if (who && json_object_get_int64(who) != a->s->pid)
			r = NULL;
		if (!r) {
			a->faults_out++;
			continue;
		}
		page = (addr - r->start) / a->s->page_size;
		r->faults[page * r->nbins / row_pages(a, r)]++;
		r->nfaults++;
		a->faults_in++;
	}
	a->traced = true;
	return 0;
}

/* The address a cell's walk is of: its first page with an entry, else its first in a VMA. */
static bool atlas_cell_addr(const struct atlas *a, const struct atlas_row *row, unsigned int c,
			    unsigned long long *addr)
{
	const struct snapshot *s = a->s;
	unsigned long long lo = atlas_bin_addr(a, row, atlas_cell_bin(row, c));
	unsigned long long hi = c + 1 < row->ncells ?
				atlas_bin_addr(a, row, atlas_cell_bin(row, c + 1)) : row->end;
	size_t k = snap_run_after(s, lo), v;

	if (k < s->nruns && s->runs[k].start < hi) {
		*addr = s->runs[k].start > lo ? s->runs[k].start : lo;
		return true;
	}
	for (v = row->first; v < row->first + row->count; v++) {
		const struct snap_vma *sv = &s->vmas[v];

		if (sv->end > lo && sv->start < hi) {
			*addr = sv->start > lo ? sv->start : lo;
			return true;
		}
	}
	return false;
}

/**
 * atlas_add_walks() - walk one address of each hover cell of each user row
 * @a: built by atlas_build() from a snapshot of a live process
 * @fd: from vmatlas_open()
 *
 * An address whose VMA went away since the snapshot, or whose page tables
 * kept changing under the walk, has a null walk.
 * Return: 0, or a negative errno explained by vmatlas_strerror().
 */
int atlas_add_walks(struct atlas *a, int fd)
{
	struct vmatlas_walk w;
	unsigned long long addr;
	unsigned int c;
	size_t i;
	int err;

	for (i = 0; i < a->nrows; i++) {
		struct atlas_row *r = &a->rows[i];

		if (r->type > ATLAS_ROW_GROUP)
			continue;
		r->walks = json_object_new_array();
		if (!r->walks)
			return -ENOMEM;
		for (c = 0; c < r->ncells; c++) {
			struct json_object *walk = NULL;

			if (atlas_cell_addr(a, r, c, &addr)) {
				err = vmatlas_walk(fd, a->s->pid, addr, &w);
				/* Gone, or its tables kept changing: no walk to show. */
				if (err && err != -ENOMEM && err != -EAGAIN)
					return err;
				if (!err)
					walk = walk_to_json(&w);
			}
			json_object_array_add(r->walks, walk);
		}
	}
	a->walked = true;
	return 0;
}

void atlas_free(struct atlas *a)
{
	size_t i;

	for (i = 0; i < a->nrows; i++) {
		free(a->rows[i].strip);
		free(a->rows[i].faults);
		json_object_put(a->rows[i].walks);
	}
	free(a->rows);
	memset(a, 0, sizeof(*a));
}
