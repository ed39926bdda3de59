// SPDX-License-Identifier: GPL-2.0
/*
 * The atlas drawn as SVG: high addresses at the top, as the lecture notes
 * draw an address space. A row per VMA (or group), its height growing with
 * the log of its size; gaps a thin row labelled with their size; each user
 * row's bar in the colour of its kind, its residency strip along the bottom
 * half, faults along the top. Every element says what it stands for in
 * data-* attributes, so a test can compare the picture with the data.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "atlas.h"
#include "atlas_draw.h"
#include "names.h"
#include "output.h"
#include "util.h"

#define SVG_WIDTH	1180
#define ADDR_RIGHT	152	/* the addresses end here */
#define BAR_X		160
#define BAR_W		640
#define LABEL_X		812
#define LABEL_MAX	46	/* characters of a name shown; the title has all */
#define HEAD_H		96
#define GAP_H		14
#define REGION_H	22
#define SECTION_H	22

/* Fill colours: a kind's, a kernel region's, a bin state's. */
static const char *const kind_fill[] = {
	[VMATLAS_KIND_ANON] = "#cfe2f6",
	[VMATLAS_KIND_FILE] = "#f6e2c2",
	[VMATLAS_KIND_SHM] = "#e4d3f1",
	[VMATLAS_KIND_HEAP] = "#fff1b8",
	[VMATLAS_KIND_STACK] = "#fcd5d5",
	[VMATLAS_KIND_VDSO] = "#d3f4da",
	[VMATLAS_KIND_VVAR] = "#d3f4da",
	[VMATLAS_KIND_GUARD] = "#e6e8eb",
	[VMATLAS_KIND_HUGETLB] = "#d8cdfb",
};

#define FILE_EXEC_FILL	"#f0bd86"	/* a file mapped executable: text */
#define UNKNOWN_FILL	"#ffffff"

static const struct {
	char state;
	const char *fill, *name;
} bin_legend[] = {
	{ ATLAS_BIN_PRESENT, "#2b8a3e", "present" },
	{ ATLAS_BIN_HUGE, "#5f3dc4", "present, huge leaf" },
	{ ATLAS_BIN_SHARED, "#1971c2", "present, shared" },
	{ ATLAS_BIN_SWAP, "#e8590c", "swapped out" },
	{ ATLAS_BIN_OTHER, "#868e96", "other entry" },
	{ ATLAS_BIN_UNMAPPED, "#ffffff", "no VMA" },
};

static const char *atlas_kind_fill(unsigned int kind, unsigned long long vm_flags)
{
	if (kind == VMATLAS_KIND_FILE && (vm_flags & VMATLAS_VM_EXEC))
		return FILE_EXEC_FILL;
	return kind < ARRAY_SIZE(kind_fill) && kind_fill[kind] ? kind_fill[kind] : UNKNOWN_FILL;
}

/* How an address in a kernel region becomes physical: its label and colour. */
enum { HOW_LOGICAL, HOW_IMAGE, HOW_VMEMMAP, HOW_VIRTUAL };

static const struct {
	const char *text, *fill;
} region_hows[] = {
	[HOW_LOGICAL] = { "logical: addr - PAGE_OFFSET", "#b8f0dc" },
	[HOW_IMAGE] = { "image: addr - its offset", "#ffe0b3" },
	[HOW_VMEMMAP] = { "struct pages: walked", "#d6e0fb" },
	[HOW_VIRTUAL] = { "virtual: walked", "#d6e0fb" },
};

static unsigned int region_how(unsigned int region)
{
	switch (region) {
	case VMATLAS_REGION_DIRECT_MAP:
		return HOW_LOGICAL;
	case VMATLAS_REGION_KERNEL_IMAGE:
	case VMATLAS_REGION_KERNEL_TEXT:
	case VMATLAS_REGION_KERNEL_RODATA:
	case VMATLAS_REGION_KERNEL_DATA:
	case VMATLAS_REGION_KERNEL_BSS:
		return HOW_IMAGE;
	case VMATLAS_REGION_VMEMMAP:
		return HOW_VMEMMAP;
	default:
		return HOW_VIRTUAL;
	}
}

static const char *bin_fill(char state)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bin_legend); i++)
		if (bin_legend[i].state == state)
			return bin_legend[i].fill;
	return NULL;
}

/* The length of the valid UTF-8 sequence at @s (not U+FFFE, U+FFFF), or 0. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n, i;
	unsigned int c;

	if (*s < 0x80)
		return 1;
	if ((*s & 0xe0) == 0xc0 && *s >= 0xc2)
		n = 2, c = *s & 0x1f;
	else if ((*s & 0xf0) == 0xe0)
		n = 3, c = *s & 0x0f;
	else if ((*s & 0xf8) == 0xf0 && *s <= 0xf4)
		n = 4, c = *s & 0x07;
	else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates, beyond U+10FFFF, and XML's two non-characters. */
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff) || c == 0xfffe || c == 0xffff)
		return 0;
	return n;
}

/*
 * File names are bytes, not text: what is not UTF-8, and control characters,
 * which XML 1.0 has no place for, become '?'.
 */
void atlas_xml(FILE *out, const char *s)
{
	size_t n;

	for (; *s; s++) {
		n = utf8_len((const unsigned char *)s);
		if (n > 1) {
			fwrite(s, 1, n, out);
			s += n - 1;
			continue;
		}
		if (!n) {
			fputc('?', out);
			continue;
		}
		switch (*s) {
		case '<':
			fputs("&lt;", out);
			break;
		case '>':
			fputs("&gt;", out);
			break;
		case '&':
			fputs("&amp;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		default:
			fputc((unsigned char)*s < ' ' ? '?' : *s, out);
		}
	}
}

static unsigned int row_height(const struct atlas *a, const struct atlas_row *r)
{
	unsigned long long pages;
	unsigned int log = 0;

	switch (r->type) {
	case ATLAS_ROW_GAP:
		return GAP_H;
	case ATLAS_ROW_REGION:
		return REGION_H;
	default:
		pages = (r->end - r->start) / a->s->page_size;
		while (pages >>= 1)
			log++;
		return 18 + (log < 14 ? log : 14);
	}
}

/* The end of a long name, from a character's first byte on, after an ellipsis. */
static void row_label_tail(FILE *out, const char *s)
{
	while ((*s & 0xc0) == 0x80)
		s++;
	fputs("…", out);
	atlas_xml(out, s);
}

/* A row's label: what it is and how big. */
static void row_label(FILE *out, const struct atlas *a, const struct atlas_row *r)
{
	const struct snap_vma *v = &a->s->vmas[r->first];
	char size[OUT_NUM_MAX], perms[5];
	size_t len;

	out_format_size(size, sizeof(size), r->end - r->start, false);
	if (r->type == ATLAS_ROW_REGION) {
		fprintf(out, "%s  %s  (%s)", names_region(r->region), size,
			region_hows[region_how(r->region)].text);
		return;
	}
	if (r->type == ATLAS_ROW_GROUP) {
		fprintf(out, "%zu VMAs  %s", r->count, size);
		return;
	}
	names_perms(v->vm_flags, perms);
	fprintf(out, "%s  %s  ", perms, size);
	len = strlen(v->path);
	if (!len)
		fprintf(out, "[%s]", names_kind(v->kind));
	else if (len <= LABEL_MAX)
		atlas_xml(out, v->path);
	else
		row_label_tail(out, v->path + len - LABEL_MAX + 1);
}

/* A row's tooltip: all of it, for the SVG alone (the page shows more). */
static void row_title(FILE *out, const struct atlas *a, const struct atlas_row *r)
{
	const struct atlas_pages *p = &r->pages;
	char perms[5];

	fprintf(out, "<title>0x%llx-0x%llx ", r->start, r->end);
	if (r->type == ATLAS_ROW_VMA) {
		const struct snap_vma *v = &a->s->vmas[r->first];

		names_perms(v->vm_flags, perms);
		fprintf(out, "%s %s ", perms, names_kind(v->kind));
		atlas_xml(out, v->path);
	} else if (r->type == ATLAS_ROW_GROUP) {
		fprintf(out, "%zu VMAs", r->count);
	} else {
		fputs(r->region ? names_region(r->region) : "unmapped", out);
	}
	if (r->type <= ATLAS_ROW_GROUP)
		fprintf(out, "\npages: %llu present (%llu under huge leaves), %llu swapped, ",
			p->present, p->huge, p->swap);
	if (r->type <= ATLAS_ROW_GROUP)
		fprintf(out, "%llu shared, %llu not mapped", p->shared, p->none);
	if (r->faults)
		fprintf(out, "\ntrace: %llu faults", r->nfaults);
	fputs("</title>", out);
}

static double bin_x(const struct atlas_row *r, unsigned int i)
{
	return BAR_X + (double)BAR_W * i / r->nbins;
}

/* The strip: one rect per stretch of bins in one state, "nothing" left bare. */
static void row_strip(FILE *out, const struct atlas_row *r, unsigned int y, unsigned int h)
{
	unsigned int i, j;

	for (i = 0; i < r->nbins; i = j) {
		const char *fill = bin_fill(r->strip[i]);

		for (j = i + 1; j < r->nbins && r->strip[j] == r->strip[i]; j++)
			;
		if (!fill)
			continue;
		fprintf(out,
			"<rect class=\"bin\" data-state=\"%c\" data-bins=\"%u-%u\" x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%u\" fill=\"%s\"/>",
			r->strip[i], i, j, bin_x(r, i), y, bin_x(r, j) - bin_x(r, i), h, fill);
	}
}

static void row_faults(FILE *out, const struct atlas_row *r, unsigned int y,
		       unsigned long long max)
{
	unsigned int i;

	for (i = 0; r->faults && i < r->nbins; i++) {
		double op;

		if (!r->faults[i])
			continue;
		op = 0.3 + 0.7 * log1p(r->faults[i]) / log1p(max);
		fprintf(out,
			"<rect class=\"fault\" data-bin=\"%u\" data-n=\"%llu\" x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"5\" fill=\"#e03131\" fill-opacity=\"%.2f\"/>",
			i, r->faults[i], bin_x(r, i), y, bin_x(r, i + 1) - bin_x(r, i), op);
	}
}

/* The members of a group, each in its kind's colour, over the group's extent. */
static void row_members(FILE *out, const struct atlas *a, const struct atlas_row *r,
			unsigned int y, unsigned int h)
{
	double span = (double)(r->end - r->start);
	size_t v;

	for (v = r->first; v < r->first + r->count; v++) {
		const struct snap_vma *sv = &a->s->vmas[v];
		double x0 = BAR_X + BAR_W * ((sv->start - r->start) / span);
		double x1 = BAR_X + BAR_W * ((sv->end - r->start) / span);

		fprintf(out,
			"<rect class=\"member\" data-vma=\"%zu\" x=\"%.2f\" y=\"%u\" width=\"%.2f\" height=\"%u\" fill=\"%s\"/>",
			v, x0, y, x1 - x0 < 0.5 ? 0.5 : x1 - x0, h,
			atlas_kind_fill(sv->kind, sv->vm_flags));
	}
}

static void row_cells(FILE *out, size_t i, const struct atlas_row *r, unsigned int y,
		      unsigned int h)
{
	unsigned int c;

	for (c = 0; r->walks && c < r->ncells; c++) {
		unsigned int b0 = atlas_cell_bin(r, c);
		unsigned int b1 = c + 1 < r->ncells ? atlas_cell_bin(r, c + 1) : r->nbins;

		fprintf(out,
			"<rect class=\"cell\" data-row=\"%zu\" data-cell=\"%u\" x=\"%.1f\" y=\"%u\" width=\"%.1f\" height=\"%u\" fill=\"transparent\"/>",
			i, c, bin_x(r, b0), y, bin_x(r, b1) - bin_x(r, b0), h);
	}
}

static void draw_gap(FILE *out, const struct atlas_row *r, unsigned int y)
{
	char size[OUT_NUM_MAX];

	out_format_size(size, sizeof(size), r->end - r->start, false);
	fprintf(out, "<line x1=\"%d\" x2=\"%d\" y1=\"%u\" y2=\"%u\" class=\"gapline\"/>",
		BAR_X, BAR_X + BAR_W, y + GAP_H / 2, y + GAP_H / 2);
	fprintf(out, "<text x=\"%d\" y=\"%u\" class=\"gaptext\">%s %s</text>",
		BAR_X + BAR_W / 2, y + GAP_H - 3, size,
		r->region == VMATLAS_REGION_NONCANONICAL ? "non-canonical: no address at all" :
		r->region == VMATLAS_REGION_HOLE ? "guard hole" : "unmapped");
}

static void draw_row(FILE *out, const struct atlas *a, size_t i, unsigned int y,
		     unsigned long long max_faults)
{
	const struct atlas_row *r = &a->rows[i];
	unsigned int h = row_height(a, r), bar = h - 2;
	const struct snap_vma *v = &a->s->vmas[r->first];
	const char *fill;

	fprintf(out,
		"<g class=\"row %s\" id=\"row%zu\" data-row=\"%zu\" data-start=\"0x%llx\" data-end=\"0x%llx\"",
		atlas_row_type_name(r->type), i, i, r->start, r->end);
	if (r->type <= ATLAS_ROW_GROUP)
		fprintf(out, " data-present=\"%llu\" data-huge=\"%llu\" data-swap=\"%llu\"",
			r->pages.present, r->pages.huge, r->pages.swap);
	fputs(">", out);
	row_title(out, a, r);
	fprintf(out, "<text x=\"%d\" y=\"%u\" class=\"addr\">0x%llx</text>", ADDR_RIGHT,
		y + h - 3, r->start);
	if (r->type == ATLAS_ROW_GAP) {
		draw_gap(out, r, y);
		fputs("</g>\n", out);
		return;
	}
	if (r->type == ATLAS_ROW_REGION)
		fill = region_hows[region_how(r->region)].fill;
	else if (r->type == ATLAS_ROW_GROUP)
		fill = "#ffffff";
	else
		fill = atlas_kind_fill(v->kind, v->vm_flags);
	fprintf(out,
		"<rect class=\"bar\" x=\"%d\" y=\"%u\" width=\"%d\" height=\"%u\" fill=\"%s\"/>",
		BAR_X, y + 1, BAR_W, bar, fill);
	if (r->type == ATLAS_ROW_GROUP)
		row_members(out, a, r, y + 1, bar);
	if (r->type <= ATLAS_ROW_GROUP) {
		row_strip(out, r, y + 1 + bar / 2, bar - bar / 2);
		row_faults(out, r, y + 1, max_faults);
		row_cells(out, i, r, y + 1, bar);
	}
	fprintf(out, "<text x=\"%d\" y=\"%u\" class=\"label\">", LABEL_X, y + h / 2 + 4);
	row_label(out, a, r);
	fputs("</text></g>\n", out);
}

static void draw_head(FILE *out, const struct atlas *a, unsigned long long user_pages[2])
{
	const struct snapshot *s = a->s;
	unsigned int x = BAR_X;
	size_t i;

	fputs("<text x=\"8\" y=\"22\" class=\"title\">", out);
	fprintf(out, "vmatlas atlas: pid %d (", s->pid);
	atlas_xml(out, s->comm);
	fputs(")</text>", out);
	fprintf(out, "<text x=\"8\" y=\"42\" class=\"sub\">Linux ");
	atlas_xml(out, s->kernel);
	fputc(' ', out);
	atlas_xml(out, s->arch);
	fprintf(out, ", %llu KiB pages, ", s->page_size >> 10);
	atlas_xml(out, s->time);
	fprintf(out, ". %zu VMAs; %llu pages present, %llu swapped.%s%s", s->nvmas,
		user_pages[0], user_pages[1],
		a->grouped ? " Neighbours share rows." : "",
		s->phys_hidden ? " Frames hidden (needs CAP_SYS_ADMIN)." : "");
	fputs("</text>", out);
	for (i = 0; i < ARRAY_SIZE(bin_legend); i++) {
		fprintf(out,
			"<rect x=\"%u\" y=\"54\" width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#868e96\"/><text x=\"%u\" y=\"64\" class=\"legend\">%s</text>",
			x, bin_legend[i].fill, x + 16, bin_legend[i].name);
		x += 24 + 7 * strlen(bin_legend[i].name);
	}
	if (a->traced)
		fprintf(out,
			"<rect x=\"%u\" y=\"54\" width=\"12\" height=\"5\" fill=\"#e03131\"/><text x=\"%u\" y=\"64\" class=\"legend\">faults (%llu; %llu elsewhere)</text>",
			x, x + 16, a->faults_in, a->faults_out);
	fprintf(out,
		"<text x=\"%d\" y=\"84\" class=\"sub\">Bar: the kind of mapping. Strip: what most pages of each bin (1/%d of the row) are. Height: the log of the size. Gaps are not to scale.</text>",
		BAR_X, ATLAS_BINS);
}

static void draw_section(FILE *out, unsigned int y, const char *name, const char *note)
{
	fprintf(out, "<text x=\"8\" y=\"%u\" class=\"section\">%s</text>", y + 16, name);
	if (note) {
		fprintf(out, "<text x=\"%d\" y=\"%u\" class=\"sub\">", BAR_X, y + 16);
		atlas_xml(out, note);
		fputs("</text>", out);
	}
}

static const char svg_style[] =
"<style>\n"
"text{font-family:'DejaVu Sans Mono',monospace;font-size:11px;fill:#212529}\n"
".title{font-size:16px;font-weight:bold}.sub,.legend{font-size:11px;fill:#495057}\n"
".section{font-size:13px;font-weight:bold}.addr{text-anchor:end;fill:#495057}\n"
".gaptext{text-anchor:middle;fill:#868e96;font-size:10px}\n"
".gapline{stroke:#ced4da;stroke-dasharray:4 3}.bar{stroke:#adb5bd;stroke-width:0.5}\n"
".cell:hover{fill:#000;fill-opacity:0.08}\n"
"</style>\n";

/**
 * atlas_svg() - the <svg> element of the atlas
 * @out: where to
 * @a: the atlas
 */
void atlas_svg(FILE *out, const struct atlas *a)
{
	unsigned long long max_faults = 1, user_pages[2] = {};
	unsigned int height = HEAD_H + 2 * SECTION_H + 12, y;
	int section = 0;	/* 1: the kernel's heading is drawn, 2: user space's */
	size_t i;

	for (i = 0; i < a->nrows; i++) {
		const struct atlas_row *r = &a->rows[i];
		unsigned int b;

		height += row_height(a, r);
		user_pages[0] += r->type <= ATLAS_ROW_GROUP ? r->pages.present : 0;
		user_pages[1] += r->type <= ATLAS_ROW_GROUP ? r->pages.swap : 0;
		for (b = 0; r->faults && b < r->nbins; b++)
			max_faults = r->faults[b] > max_faults ? r->faults[b] : max_faults;
	}
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%u\" viewBox=\"0 0 %d %u\" data-rows=\"%zu\">\n",
		SVG_WIDTH, height, SVG_WIDTH, height, a->nrows);
	fputs(svg_style, out);
	fprintf(out, "<rect width=\"%d\" height=\"%u\" fill=\"#ffffff\"/>\n", SVG_WIDTH, height);
	draw_head(out, a, user_pages);
	y = HEAD_H;
	if (!a->kernel) {
		draw_section(out, y, "kernel space", *a->kernel_note ? a->kernel_note :
			     "not drawn");
		y += SECTION_H;
		section = 1;
	}
	/* Top down: the highest address first. */
	for (i = a->nrows; i--;) {
		const struct atlas_row *r = &a->rows[i];
		bool user = r->type <= ATLAS_ROW_GROUP ||
			    (r->type == ATLAS_ROW_GAP && !r->region &&
			     (!a->kernel || r->end <= a->layout.task_size));

		if (!user && !section) {
			draw_section(out, y, "kernel space", NULL);
			y += SECTION_H;
			section = 1;
		} else if (user && section < 2) {
			draw_section(out, y, "user space", NULL);
			y += SECTION_H;
			section = 2;
		}
		draw_row(out, a, i, y, max_faults);
		y += row_height(a, r);
	}
	fputs("</svg>\n", out);
}

void atlas_write_svg(FILE *out, const struct atlas *a)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	atlas_svg(out, a);
}
