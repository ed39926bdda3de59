// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas lab: let the kernel allocate memory one way or another, show where
 * every page of it lies, virtually and physically, and free it again.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char lab_doc[] =
"Allocate memory in the kernel, show where every page of it lies, virtually and\n"
"physically, and free it before returning.\n"
"\n"
"USAGE: vmatlas lab [-o COLUMNS] [--json] KIND SIZE\n"
"\n"
"KIND is how the kernel allocates:\n"
"    kmalloc   kmalloc(): logical addresses, physically contiguous\n"
"    vmalloc   vmalloc(): contiguous addresses, pages from anywhere\n"
"    pages     alloc_pages() of the order that fits SIZE\n"
"    kmap      page by page, highmem if any, mapped by kmap_local_page()\n"
"\n"
"SIZE is 1 to 4M bytes: decimal, hexadecimal with 0x, or with a K or M suffix.\n"
"\n"
"The pages' columns, all shown by default: PAGE (its index), VA, PHYS,\n"
"LOGICAL (its address in the direct map, if it has one) and REGION.\n"
"\n"
VMATLAS_KERNEL_DOC
"\n"
"EXAMPLES:\n"
"    vmatlas lab kmalloc 12K          # 3 pages, physically contiguous\n"
"    vmatlas lab vmalloc 1M           # 256 pages from wherever they were free\n"
"    vmatlas lab kmap 16K             # highmem pages on a 32-bit kernel\n"
"    vmatlas lab -o va,phys pages 8K  # where each page is, alone\n"
"    vmatlas lab --json pages 8K      # the same as a JSON document\n";

/* Pages a lab allocation can span. */
#define LAB_ROOM	(VMATLAS_LAB_MAX_BYTES / 4096)

static struct {
	unsigned int kind;
	unsigned long long bytes;
} lab_args;

static void lab_parse_size(struct argp_state *state, const char *arg)
{
	if (parse_size(arg, &lab_args.bytes))
		parse_error(state, "invalid SIZE '%s'", arg);
	else if (!lab_args.bytes || lab_args.bytes > VMATLAS_LAB_MAX_BYTES)
		parse_error(state, "SIZE must be 1 to %u bytes (%uM), not '%s'",
			    VMATLAS_LAB_MAX_BYTES, VMATLAS_LAB_MAX_BYTES >> 20, arg);
}

static void lab_parse_kind(struct argp_state *state, const char *arg)
{
	lab_args.kind = names_lab_kind_value(arg);
	if (!lab_args.kind)
		parse_error(state, "unknown kind '%s': kmalloc, vmalloc, pages or kmap", arg);
}

/* The logical address of a page, or "-"; highmem pages say so. */
static void lab_print_logical(FILE *out, struct json_object *page)
{
	out_print_value(out, out_get(page, "logical"));
	if (json_object_get_boolean(out_get(page, "highmem")))
		fputs(" (highmem)", out);
}

/* The rows are {"index": N, "page": the page's object}. */
static const struct out_column lab_columns[] = {
	{ "PAGE", "index", OUT_RIGHT },
	{ "VA", "page.va", OUT_RIGHT },
	{ "PHYS", "page.phys", OUT_RIGHT },
	{ "LOGICAL", "page", OUT_LEFT, lab_print_logical },
	{ "REGION", "page.region", OUT_LEFT },
};

static struct out_choice lab_cols = { lab_columns, ARRAY_SIZE(lab_columns), NULL };

static const struct argp_option lab_options[] = {
	{ "output", 'o', "COLUMNS", 0, "The pages' columns, comma-separated, or all", 0 },
	{},
};

static error_t lab_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'o':
		parse_columns_arg(state, arg, out_choice_set, &lab_cols);
		return 0;
	case ARGP_KEY_ARG:
		if (state->arg_num > 1)
			parse_error(state, "unexpected argument '%s'", arg);
		else if (state->arg_num)
			lab_parse_size(state, arg);
		else
			lab_parse_kind(state, arg);
		return 0;
	case ARGP_KEY_END:
		if (state->arg_num < 2)
			parse_error(state, "missing %s", state->arg_num ? "SIZE" : "KIND");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp lab_argp = {
	.options = lab_options,
	.parser = lab_parse,
	.args_doc = "KIND SIZE",
	.doc = lab_doc,
	.children = vmatlas_common_children,
};

/* The last line of the text: what the kind of allocation shows. */
static const char *const lab_notes[] = {
	[VMATLAS_LAB_KMALLOC] =
		"kmalloc memory is logical: va - PAGE_OFFSET = phys, one physically contiguous block.",
	[VMATLAS_LAB_VMALLOC] =
		"vmalloc memory is virtual: contiguous addresses, pages from anywhere, found by a page-table walk.",
	[VMATLAS_LAB_PAGES] =
		"alloc_pages gives 2^order physically contiguous pages; page_address() is their logical address.",
	[VMATLAS_LAB_KMAP] =
		"each page was mapped with kmap_local_page(); highmem pages have no logical address.",
};

static struct json_object *lab_page_to_json(const struct vmatlas_lab_page *p)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "va", out_hex(p->va));
	json_object_object_add(obj, "phys", out_hex(p->phys));
	json_object_object_add(obj, "logical", out_hex_or_null(p->logical, p->logical));
	json_object_object_add(obj, "highmem",
			       json_object_new_boolean(!!(p->flags & VMATLAS_LABPG_HIGHMEM)));
	json_object_object_add(obj, "region", json_object_new_string(names_region(p->region)));
	return obj;
}

static void lab_to_json(const struct vmatlas_lab *lab, const struct vmatlas_lab_page *pages,
			struct json_object *doc)
{
	struct json_object *array = json_object_new_array();
	unsigned int i;

	for (i = 0; i < lab->count; i++)
		json_object_array_add(array, lab_page_to_json(&pages[i]));
	json_object_object_add(doc, "kind", json_object_new_string(names_lab_kind(lab_args.kind)));
	json_object_object_add(doc, "size", json_object_new_uint64(lab_args.bytes));
	json_object_object_add(doc, "va", out_hex(lab->va));
	json_object_object_add(doc, "region", json_object_new_string(names_region(lab->region)));
	json_object_object_add(doc, "contiguous",
			       json_object_new_boolean(!!(lab->out_flags &
							  VMATLAS_LAB_CONTIGUOUS)));
	json_object_object_add(doc, "npages", json_object_new_int64(lab->npages));
	json_object_object_add(doc, "pages", array);
}

/* Every page was mapped at its logical address: no highmem among them. */
static bool lab_all_logical(struct json_object *pages)
{
	size_t i, n = json_object_array_length(pages);

	for (i = 0; i < n; i++) {
		struct json_object *p = json_object_array_get_idx(pages, i);

		if (!out_get(p, "logical") ||
		    strcmp(out_get_str(p, "va"), out_get_str(p, "logical")))
			return false;
	}
	return n > 0;
}

static int lab_print(FILE *out, struct json_object *doc)
{
	struct json_object *pages = out_get(doc, "pages");
	struct json_object *rows = json_object_new_array();
	size_t i, n = json_object_array_length(pages);
	unsigned long long npages = out_get_u64(doc, "npages");
	struct json_object *row;
	int ret;

	for (i = 0; i < n; i++) {
		row = json_object_new_object();
		json_object_object_add(row, "index", json_object_new_uint64(i));
		json_object_object_add(row, "page",
				       json_object_get(json_object_array_get_idx(pages, i)));
		json_object_array_add(rows, row);
	}

	fprintf(out, "%s(%llu): va %s in %s, %llu page%s, %sphysically contiguous\n",
		out_get_str(doc, "kind"), out_get_u64(doc, "size"), out_get_str(doc, "va"),
		out_get_str(doc, "region"), npages, npages == 1 ? "" : "s",
		json_object_get_boolean(out_get(doc, "contiguous")) ? "" : "not ");
	ret = out_print_choice(out, rows, &lab_cols);
	json_object_put(rows);
	if (ret)
		return ret;
	if (n < npages)
		fprintf(out, "(the first %zu of %llu pages)\n", n, npages);
	fprintf(out, "%s\n", lab_notes[lab_args.kind]);
	if (lab_args.kind == VMATLAS_LAB_KMAP && lab_all_logical(pages))
		fputs("No highmem here (none on a 64-bit kernel, x86-64 or arm64):\n"
		      "kmap_local_page() returned each page's logical address, va = logical.\n",
		      out);
	return 0;
}

static int lab_gather(int fd, struct json_object *doc)
{
	struct vmatlas_lab_page *pages = calloc(LAB_ROOM, sizeof(*pages));
	struct vmatlas_lab lab;
	int err;

	if (!pages)
		return vmatlas_error("%m");
	err = vmatlas_lab(fd, lab_args.kind, lab_args.bytes, &lab, pages, LAB_ROOM);
	if (!err)
		lab_to_json(&lab, pages, doc);
	free(pages);
	return err;
}

static int lab_run(int argc, char **argv)
{
	return vmatlas_parse_and_emit(&lab_argp, argc, argv, lab_gather, lab_print);
}

const struct vmatlas_cmd vmatlas_cmd_lab = {
	.name = "lab",
	.summary = "allocate kernel memory one way or another and show its pages",
	.run = lab_run,
};
