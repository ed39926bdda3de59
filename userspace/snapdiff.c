// SPDX-License-Identifier: GPL-2.0
/*
 * Comparing two snapshots. VMAs are matched by the ranges they overlap;
 * pages by a sweep over the boundaries of both snapshots' runs, in which
 * every stretch between two boundaries is one state before and one after,
 * with frames that follow each other on both sides: one comparison tells
 * for the whole stretch. Adjacent stretches that changed alike are joined.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "snapdiff.h"

static const char *const vma_changes[] = {
	[VMA_ADDED] = "added", [VMA_REMOVED] = "removed", [VMA_GROWN] = "grown",
	[VMA_SHRUNK] = "shrunk", [VMA_RESIZED] = "resized", [VMA_SPLIT] = "split",
	[VMA_MERGED] = "merged", [VMA_MOVED] = "moved", [VMA_CHANGED] = "changed",
};

static const char *const page_changes[] = {
	[PAGE_PRESENT] = "present", [PAGE_UNMAPPED] = "unmapped",
	[PAGE_SWAPPED_OUT] = "swapped_out", [PAGE_SWAPPED_IN] = "swapped_in",
	[PAGE_HUGE] = "huge", [PAGE_SPLIT] = "split", [PAGE_FRAME] = "frame",
	[PAGE_SHARED] = "shared", [PAGE_PRIVATE] = "private", [PAGE_OTHER] = "other",
};

const char *vma_change_name(enum vma_change what)
{
	return what < VMA_CHANGES ? vma_changes[what] : "unknown";
}

const char *page_change_name(enum page_change what)
{
	return what < PAGE_CHANGES ? page_changes[what] : "unknown";
}

static int vma_delta_add(struct snapdiff *d, enum vma_change what, const struct snap_vma *a,
			 size_t na, const struct snap_vma *b, size_t nb)
{
	struct vma_delta *v = reallocarray(d->vmas, d->nvmas + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	d->vmas = v;
	d->vmas[d->nvmas++] = (struct vma_delta){ what, a, b, na, nb };
	d->vma_count[what]++;
	return 0;
}

static bool overlap(const struct snap_vma *x, const struct snap_vma *y)
{
	return x->start < y->end && y->start < x->end;
}

static bool inside(const struct snap_vma *x, const struct snap_vma *outer)
{
	return x->start >= outer->start && x->end <= outer->end;
}

/* The first VMA of @v[0..n) that ends above @start. */
static size_t vma_from(const struct snap_vma *v, size_t n, unsigned long long start)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].end <= start)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* How many of @v[first..n) overlap @x, all of them inside @x? */
static size_t overlapping(const struct snap_vma *x, const struct snap_vma *v, size_t n,
			  size_t *first, bool *all_inside)
{
	size_t i = vma_from(v, n, x->start), k = 0;

	*first = i;
	*all_inside = true;
	for (; i < n && overlap(x, &v[i]); i++, k++)
		if (!inside(&v[i], x))
			*all_inside = false;
	return k;
}

static bool same_mapping(const struct snap_vma *a, const struct snap_vma *b)
{
	return a->vm_flags == b->vm_flags && !strcmp(a->path, b->path);
}

/* What mremap() keeps: the permissions, the kind and the file. */
#define SNAP_PERMS	(VMATLAS_VM_READ | VMATLAS_VM_WRITE | VMATLAS_VM_EXEC | VMATLAS_VM_MAYSHARE)

static bool same_perms_and_file(const struct snap_vma *a, const struct snap_vma *b)
{
	return (a->vm_flags & SNAP_PERMS) == (b->vm_flags & SNAP_PERMS) && a->kind == b->kind &&
	       !strcmp(a->path, b->path);
}

/*
 * Does @vb hold @va's pages where @va had them: the first present page of
 * @va, at the same offset in @vb, on the same frame? What mremap() does
 * when it moves and resizes at once. Frames hidden: nobody can tell.
 */
static bool frames_follow(const struct snap_vma *va, const struct snapshot *a,
			  const struct snap_vma *vb, const struct snapshot *b)
{
	size_t i = snap_run_after(a, va->start), j;
	unsigned long long at, off, pfn;

	for (; i < a->nruns && a->runs[i].start < va->end; i++)
		if (a->runs[i].state == SNAP_PRESENT && a->runs[i].pfn != SNAP_NO_NUMBER)
			break;
	if (i == a->nruns || a->runs[i].start >= va->end)
		return false;
	at = a->runs[i].start > va->start ? a->runs[i].start : va->start;
	pfn = a->runs[i].pfn + (at - a->runs[i].start) / a->page_size;
	off = at - va->start;
	if (off >= vb->end - vb->start)
		return false;
	j = snap_run_after(b, vb->start + off);
	if (j == b->nruns || b->runs[j].start > vb->start + off ||
	    b->runs[j].state != SNAP_PRESENT || b->runs[j].pfn == SNAP_NO_NUMBER)
		return false;
	return b->runs[j].pfn + (vb->start + off - b->runs[j].start) / b->page_size == pfn;
}

/*
 * The VMA of @b that @va, found nowhere in @b, moved to: an added one (no
 * VMA of @a under it) of the same permissions, kind and file, not taken yet
 * by another, and of the same size, or else holding @va's frames where @va
 * had them (moved and resized). Return: its index, or @b->nvmas.
 */
static size_t moved_to(const struct snap_vma *va, const struct snapshot *a,
		       const struct snapshot *b, const bool *taken)
{
	size_t j, first;
	int pass;
	bool in;

	for (pass = 0; pass < 2; pass++) {
		for (j = 0; j < b->nvmas; j++) {
			const struct snap_vma *vb = &b->vmas[j];
			bool sized = vb->end - vb->start == va->end - va->start;

			if (taken[j] || !same_perms_and_file(va, vb) ||
			    overlapping(vb, a->vmas, a->nvmas, &first, &in))
				continue;
			if (pass ? frames_follow(va, a, vb, b) : sized)
				return j;
		}
	}
	return b->nvmas;
}

/* @va became @vb alone: the same, changed, or one or both ends moved. */
static int one_to_one(struct snapdiff *d, const struct snap_vma *va, const struct snap_vma *vb)
{
	if (vb->start == va->start && vb->end == va->end)
		return same_mapping(va, vb) ? 0 : vma_delta_add(d, VMA_CHANGED, va, 1, vb, 1);
	if (vb->start != va->start && vb->end != va->end)
		return vma_delta_add(d, VMA_RESIZED, va, 1, vb, 1);
	return vma_delta_add(d, vb->end - vb->start > va->end - va->start ? VMA_GROWN : VMA_SHRUNK,
			     va, 1, vb, 1);
}

static int diff_vmas(const struct snapshot *a, const struct snapshot *b, struct snapdiff *d)
{
	bool *taken = calloc(b->nvmas + 1, sizeof(*taken));
	size_t i, j, k, ka, first, first_a;
	bool all_inside, in_b;
	int err = 0;

	if (!taken)
		return -ENOMEM;
	for (i = 0; i < a->nvmas && !err; i++) {
		const struct snap_vma *va = &a->vmas[i];

		k = overlapping(va, b->vmas, b->nvmas, &first, &all_inside);
		if (!k) {
			j = moved_to(va, a, b, taken);
			if (j < b->nvmas) {
				taken[j] = true;
				err = vma_delta_add(d, VMA_MOVED, va, 1, &b->vmas[j], 1);
			} else {
				err = vma_delta_add(d, VMA_REMOVED, va, 1, NULL, 0);
			}
		} else if (k > 1 && all_inside) {
			err = vma_delta_add(d, VMA_SPLIT, va, 1, &b->vmas[first], k);
		} else if (k == 1) {
			/* One B VMA over several A ones is a merge, said once, below. */
			ka = overlapping(&b->vmas[first], a->vmas, a->nvmas, &first_a, &in_b);
			if (ka == 1)
				err = one_to_one(d, va, &b->vmas[first]);
		}
	}
	for (j = 0; j < b->nvmas && !err; j++) {
		const struct snap_vma *vb = &b->vmas[j];

		k = overlapping(vb, a->vmas, a->nvmas, &first, &all_inside);
		if (!k && !taken[j])
			err = vma_delta_add(d, VMA_ADDED, NULL, 0, vb, 1);
		else if (k > 1)
			err = vma_delta_add(d, all_inside ? VMA_MERGED : VMA_RESIZED,
					    &a->vmas[first], k, vb, 1);
	}
	free(taken);
	return err;
}

/* What one side maps at @addr, from the run @r (NULL: nothing). */
struct side {
	enum snap_state state;
	unsigned long long leaf, pfn;
	unsigned int sharing;
};

static struct side side_at(const struct snapshot *s, const struct snap_run *r,
			   unsigned long long addr)
{
	struct side x = { SNAP_NONE, 0, SNAP_NO_NUMBER, 0 };

	if (!r)
		return x;
	x.state = r->state;
	x.leaf = r->leaf_size;
	x.sharing = r->sharing;
	if (r->pfn != SNAP_NO_NUMBER)
		x.pfn = r->pfn + (addr - r->start) / s->page_size;
	return x;
}

/* How the pages of a stretch changed; -1 if they did not. */
static int page_change_of(struct side a, struct side b)
{
	if (a.state == b.state) {
		if (a.state != SNAP_PRESENT)
			return -1;
		if (a.leaf != b.leaf)
			return b.leaf > a.leaf ? PAGE_HUGE : PAGE_SPLIT;
		if (a.pfn != SNAP_NO_NUMBER && b.pfn != SNAP_NO_NUMBER && a.pfn != b.pfn)
			return PAGE_FRAME;
		/* Known on both sides: a snapshot without it changes nothing. */
		if (a.sharing && b.sharing && a.sharing != b.sharing)
			return b.sharing == VMATLAS_RUN_SHARED ? PAGE_SHARED : PAGE_PRIVATE;
		return -1;
	}
	if (a.state == SNAP_OTHER || b.state == SNAP_OTHER)
		return PAGE_OTHER;
	if (b.state == SNAP_NONE)
		return PAGE_UNMAPPED;
	if (b.state == SNAP_SWAP)
		return PAGE_SWAPPED_OUT;
	return a.state == SNAP_SWAP ? PAGE_SWAPPED_IN : PAGE_PRESENT;
}

static int page_delta_add(struct snapdiff *d, const struct snapshot *a, int what,
			  unsigned long long x, unsigned long long y, struct side sa,
			  struct side sb)
{
	struct page_delta *p = d->npages ? &d->pages[d->npages - 1] : NULL;

	d->page_count[what] += (y - x) / a->page_size;
	if (p && p->what == (enum page_change)what && p->end == x) {
		p->end = y;
		return 0;
	}
	if (d->npages == d->pages_room) {
		size_t room = d->pages_room ? 2 * d->pages_room : 64;

		p = reallocarray(d->pages, room, sizeof(*p));
		if (!p)
			return -ENOMEM;
		d->pages = p;
		d->pages_room = room;
	}
	d->pages[d->npages++] = (struct page_delta){
		.what = what, .start = x, .end = y, .leaf_a = sa.leaf, .leaf_b = sb.leaf,
		.pfn_a = sa.pfn, .pfn_b = sb.pfn,
	};
	return 0;
}

static int cmp_ull(const void *x, const void *y)
{
	unsigned long long a = *(const unsigned long long *)x, b = *(const unsigned long long *)y;

	return a < b ? -1 : a > b;
}

static int diff_pages(const struct snapshot *a, const struct snapshot *b, struct snapdiff *d)
{
	size_t n = 2 * (a->nruns + b->nruns), nb = 0, i, ia = 0, ib = 0;
	unsigned long long *bound = malloc((n + 1) * sizeof(*bound));
	int err = 0;

	if (!bound)
		return -ENOMEM;
	for (i = 0; i < a->nruns; i++) {
		bound[nb++] = a->runs[i].start;
		bound[nb++] = a->runs[i].end;
	}
	for (i = 0; i < b->nruns; i++) {
		bound[nb++] = b->runs[i].start;
		bound[nb++] = b->runs[i].end;
	}
	qsort(bound, nb, sizeof(*bound), cmp_ull);
	for (i = 0; i + 1 < nb && !err; i++) {
		unsigned long long x = bound[i], y = bound[i + 1];
		const struct snap_run *ra = NULL, *rb = NULL;
		struct side sa, sb;
		int what;

		if (x == y)
			continue;
		while (ia < a->nruns && a->runs[ia].end <= x)
			ia++;
		while (ib < b->nruns && b->runs[ib].end <= x)
			ib++;
		if (ia < a->nruns && a->runs[ia].start <= x)
			ra = &a->runs[ia];
		if (ib < b->nruns && b->runs[ib].start <= x)
			rb = &b->runs[ib];
		sa = side_at(a, ra, x);
		sb = side_at(b, rb, x);
		what = page_change_of(sa, sb);
		if (what >= 0)
			err = page_delta_add(d, a, what, x, y, sa, sb);
	}
	free(bound);
	return err;
}

/* VMAs at the same range in both whose count of shared pages changed. */
static int diff_shares(const struct snapshot *a, const struct snapshot *b, struct snapdiff *d)
{
	size_t i, j;

	for (i = 0; i < a->nvmas; i++) {
		const struct snap_vma *va = &a->vmas[i];
		struct share_delta *s;

		j = vma_from(b->vmas, b->nvmas, va->start);
		if (j == b->nvmas || b->vmas[j].start != va->start || b->vmas[j].end != va->end ||
		    b->vmas[j].res.shared == va->res.shared)
			continue;
		s = reallocarray(d->shares, d->nshares + 1, sizeof(*s));
		if (!s)
			return -ENOMEM;
		d->shares = s;
		d->shares[d->nshares++] = (struct share_delta){ va, &b->vmas[j] };
	}
	return 0;
}

/**
 * snapdiff() - what changed from @a to @b
 * @a: the earlier snapshot
 * @b: the later one, of the same page size
 * @d: a zeroed diff; snapdiff_free() it whatever this returns
 *
 * Return: 0, -EINVAL if the page sizes differ, or -ENOMEM.
 */
int snapdiff(const struct snapshot *a, const struct snapshot *b, struct snapdiff *d)
{
	int err;

	if (a->page_size != b->page_size)
		return -EINVAL;
	err = diff_vmas(a, b, d);
	if (!err)
		err = diff_pages(a, b, d);
	if (!err)
		err = diff_shares(a, b, d);
	return err;
}

bool snapdiff_empty(const struct snapdiff *d)
{
	return !d->nvmas && !d->npages && !d->nshares;
}

void snapdiff_free(struct snapdiff *d)
{
	free(d->vmas);
	free(d->pages);
	free(d->shares);
	memset(d, 0, sizeof(*d));
}
