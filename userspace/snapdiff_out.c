// SPDX-License-Identifier: GPL-2.0
/*
 * A diff of two snapshots as text, for people, or as JSON ($defs/diff): for
 * vmatlas diff and vmatlas watch.
 */
#include <stdio.h>

#include "names.h"
#include "output.h"
#include "snapdiff.h"

/* "0x400000-0x401000 4K r--p file /bin/busybox" */
static void diff_vma_text(FILE *out, const struct snap_vma *v)
{
	char size[OUT_CELL_MAX], perms[5];

	names_perms(v->vm_flags, perms);
	fprintf(out, "0x%llx-0x%llx %s %s %s%s%s", v->start, v->end,
		out_cell_size(size, v->end - v->start), perms, names_kind(v->kind),
		*v->path ? " " : "", v->path);
}

/* "           flags +hugepage -nohugepage": the VM_* flags a VMA gained and lost. */
static void diff_flags_text(FILE *out, const struct snap_vma *a, const struct snap_vma *b)
{
	unsigned long long gained = b->vm_flags & ~a->vm_flags, lost = a->vm_flags & ~b->vm_flags;
	char buf[OUT_CELL_MAX];

	if (!gained && !lost)
		return;
	fprintf(out, "           flags");
	if (gained)
		fprintf(out, " +%s", names_join_bits(buf, sizeof(buf), &names_vm, gained));
	if (lost)
		fprintf(out, " -%s", names_join_bits(buf, sizeof(buf), &names_vm, lost));
	fprintf(out, "\n");
}

static void diff_write_vmas_text(FILE *out, const struct snapdiff *d)
{
	size_t i, k;

	if (d->nvmas)
		fprintf(out, "VMAs:\n");
	for (i = 0; i < d->nvmas; i++) {
		const struct vma_delta *v = &d->vmas[i];

		fprintf(out, "  %-8s ", vma_change_name(v->what));
		if (v->na == 1) {
			diff_vma_text(out, v->a);
			fprintf(out, "\n");
		}
		for (k = 0; k < (v->na == 1 ? 0 : v->na); k++) {
			fprintf(out, k ? "           " : "");
			diff_vma_text(out, &v->a[k]);
			fprintf(out, "\n");
		}
		for (k = 0; k < v->nb; k++) {
			fprintf(out, v->na ? "        -> " : "");
			diff_vma_text(out, &v->b[k]);
			fprintf(out, "\n");
		}
		if (v->what == VMA_CHANGED)
			diff_flags_text(out, v->a, v->b);
	}
}

static void diff_write_pages_text(FILE *out, const struct snapdiff *d, unsigned long long psize)
{
	char la[OUT_CELL_MAX], lb[OUT_CELL_MAX];
	size_t i;

	if (d->npages)
		fprintf(out, "Pages:\n");
	for (i = 0; i < d->npages; i++) {
		const struct page_delta *p = &d->pages[i];
		unsigned long long n = (p->end - p->start) / psize;

		fprintf(out, "  %-11s 0x%llx-0x%llx %llu page%s", page_change_name(p->what),
			p->start, p->end, n, n == 1 ? "" : "s");
		if (p->what == PAGE_HUGE || p->what == PAGE_SPLIT)
			fprintf(out, ", leaves %s -> %s", out_cell_size(la, p->leaf_a),
				out_cell_size(lb, p->leaf_b));
		else if (p->what == PAGE_FRAME)
			fprintf(out, ", pfn 0x%llx -> 0x%llx", p->pfn_a, p->pfn_b);
		else if ((p->what == PAGE_SHARED || p->what == PAGE_PRIVATE) &&
			 p->pfn_b != SNAP_NO_NUMBER)
			fprintf(out, ", pfn 0x%llx", p->pfn_b);
		fprintf(out, "\n");
	}
	if (d->nshares)
		fprintf(out, "Shared pages:\n");
	for (i = 0; i < d->nshares; i++) {
		fprintf(out, "  %llu -> %llu  ", (unsigned long long)d->shares[i].a->res.shared,
			(unsigned long long)d->shares[i].b->res.shared);
		diff_vma_text(out, d->shares[i].b);
		fprintf(out, "\n");
	}
}

static void diff_write_summary_text(FILE *out, const struct snapdiff *d)
{
	const char *sep = "";
	size_t k;

	fprintf(out, "Summary:");
	for (k = 0; k < VMA_CHANGES; k++)
		if (d->vma_count[k]) {
			fprintf(out, "%s %zu VMA%s %s", sep, d->vma_count[k],
				d->vma_count[k] == 1 ? "" : "s", vma_change_name(k));
			sep = ",";
		}
	for (k = 0; k < PAGE_CHANGES; k++)
		if (d->page_count[k]) {
			fprintf(out, "%s %llu page%s %s", sep, d->page_count[k],
				d->page_count[k] == 1 ? "" : "s", page_change_name(k));
			sep = ",";
		}
	if (d->nshares)
		fprintf(out, "%s %zu VMA%s with other shared counts", sep, d->nshares,
			d->nshares == 1 ? "" : "s");
	fprintf(out, "\n");
}

/**
 * snapdiff_write_text() - @d as text: nothing if nothing changed
 * @out: where
 * @names: what to call the two snapshots (their files, or their times)
 * @s: the two snapshots
 * @d: what changed from @s[0] to @s[1]
 */
void snapdiff_write_text(FILE *out, const char *const names[2], const struct snapshot *s,
			 const struct snapdiff *d)
{
	size_t k;

	if (snapdiff_empty(d))
		return;
	for (k = 0; k < 2; k++)
		fprintf(out, "%s %s  pid %d (%s) %s\n", k ? "+++" : "---", names[k],
			s[k].pid, s[k].comm, s[k].time);
	diff_write_vmas_text(out, d);
	diff_write_pages_text(out, d, s[0].page_size);
	diff_write_summary_text(out, d);
}

static void diff_json_vma(struct out_json *j, const struct snap_vma *v)
{
	char perms[5];

	names_perms(v->vm_flags, perms);
	out_json_object(j, NULL);
	out_json_hex(j, "start", v->start);
	out_json_hex(j, "end", v->end);
	out_json_str(j, "perms", perms);
	out_json_str(j, "kind", names_kind(v->kind));
	out_json_str(j, "path", v->path);
	names_json_bits(j, "flags", &names_vm, v->vm_flags);
	out_json_u64(j, "shared", v->res.shared);
	out_json_close(j);
}

static void diff_json_side(struct out_json *j, const char *key, const char *file,
			   const struct snapshot *s)
{
	out_json_object(j, key);
	out_json_str(j, "file", file);
	out_json_s64(j, "pid", s->pid);
	out_json_str(j, "comm", s->comm);
	out_json_str(j, "time", s->time);
	out_json_close(j);
}

/* @d as one JSON document ($defs/diff); arguments as snapdiff_write_text(). */
void snapdiff_write_json(FILE *out, const char *const names[2], const struct snapshot *s,
			 const struct snapdiff *d)
{
	struct out_json j;
	size_t i, k;

	out_json_begin(&j, out);
	diff_json_side(&j, "a", names[0], &s[0]);
	diff_json_side(&j, "b", names[1], &s[1]);
	out_json_bool(&j, "changed", !snapdiff_empty(d));
	out_json_array(&j, "vmas");
	for (i = 0; i < d->nvmas; i++) {
		out_json_object(&j, NULL);
		out_json_str(&j, "change", vma_change_name(d->vmas[i].what));
		out_json_array(&j, "before");
		for (k = 0; k < d->vmas[i].na; k++)
			diff_json_vma(&j, &d->vmas[i].a[k]);
		out_json_close(&j);
		out_json_array(&j, "after");
		for (k = 0; k < d->vmas[i].nb; k++)
			diff_json_vma(&j, &d->vmas[i].b[k]);
		out_json_close(&j);
		out_json_close(&j);
	}
	out_json_close(&j);
	out_json_array(&j, "pages");
	for (i = 0; i < d->npages; i++) {
		const struct page_delta *p = &d->pages[i];

		out_json_object(&j, NULL);
		out_json_str(&j, "change", page_change_name(p->what));
		out_json_hex(&j, "start", p->start);
		out_json_hex(&j, "end", p->end);
		out_json_u64(&j, "pages", (p->end - p->start) / s[0].page_size);
		out_json_u64(&j, "leaf_size_before", p->leaf_a);
		out_json_u64(&j, "leaf_size_after", p->leaf_b);
		out_json_hex_or_null(&j, "pfn_before", p->pfn_a != SNAP_NO_NUMBER, p->pfn_a);
		out_json_hex_or_null(&j, "pfn_after", p->pfn_b != SNAP_NO_NUMBER, p->pfn_b);
		out_json_close(&j);
	}
	out_json_close(&j);
	out_json_array(&j, "shared");
	for (i = 0; i < d->nshares; i++) {
		out_json_object(&j, NULL);
		out_json_hex(&j, "start", d->shares[i].b->start);
		out_json_hex(&j, "end", d->shares[i].b->end);
		out_json_str(&j, "path", d->shares[i].b->path);
		out_json_u64(&j, "before", d->shares[i].a->res.shared);
		out_json_u64(&j, "after", d->shares[i].b->res.shared);
		out_json_close(&j);
	}
	out_json_close(&j);
	out_json_object(&j, "summary");
	for (k = 0; k < VMA_CHANGES; k++)
		out_json_u64(&j, vma_change_name(k), d->vma_count[k]);
	out_json_object(&j, "pages");
	for (k = 0; k < PAGE_CHANGES; k++)
		out_json_u64(&j, page_change_name(k), d->page_count[k]);
	out_json_close(&j);
	out_json_close(&j);
	out_json_end(&j);
}
