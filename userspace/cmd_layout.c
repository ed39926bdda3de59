// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas layout: the kernel's virtual memory map of this boot, region by
 * region, and where KASLR put the kernel and its memory.
 */
#include <argp.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "libvmatlas.h"
#include "mmu_regs.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char layout_doc[] =
"Show the kernel's virtual memory map of this boot: where user space, the\n"
"direct map, vmalloc, vmemmap, the modules and the kernel image lie, and\n"
"what KASLR moved.\n"
"\n"
"USAGE: vmatlas layout [-o COLUMNS] [--json]\n"
"\n"
"The regions' columns, all shown by default: REGION START END SIZE. A column\n"
"is named by its header or by its member of the JSON document (name for\n"
"REGION).\n"
"\n"
VMATLAS_KERNEL_DOC
"\n"
"EXAMPLES:\n"
"    vmatlas layout                 # key addresses, then every region\n"
"    vmatlas layout -o region,size  # how large each region is\n"
"    vmatlas layout --json          # the same as a JSON document\n";

/*
 * The sizes of the regions are taken modulo the size of the address space:
 * 2^64, or 2^32 under a 32-bit kernel (whose PAGE_OFFSET lies below 4 GiB).
 * So a region that ends at the top (end 0) is as large as it is.
 */
static unsigned long long layout_mask(const struct vmatlas_layout *l)
{
	return l->page_offset >> 32 ? ~0ULL : 0xffffffffULL;
}

static struct json_object *layout_region_to_json(const struct vmatlas_region *r,
						 unsigned long long mask)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "name", json_object_new_string(names_region(r->id)));
	json_object_object_add(obj, "start", out_hex(r->start));
	json_object_object_add(obj, "end", out_hex(r->end));
	json_object_object_add(obj, "size", json_object_new_uint64((r->end - r->start) & mask));
	return obj;
}

static void layout_to_json(const struct vmatlas_layout *l, struct json_object *doc)
{
	struct json_object *regions = json_object_new_array();
	struct json_object *kaslr = json_object_new_object();
	unsigned int i;

	for (i = 0; i < l->count; i++)
		json_object_array_add(regions, layout_region_to_json(&l->regions[i],
								     layout_mask(l)));
	json_object_object_add(kaslr, "image",
			       json_object_new_boolean(!!(l->out_flags &
							  VMATLAS_LAYOUT_KASLR_IMAGE)));
	json_object_object_add(kaslr, "memory",
			       json_object_new_boolean(!!(l->out_flags &
							  VMATLAS_LAYOUT_KASLR_MEMORY)));

	json_object_object_add(doc, "regions", regions);
	json_object_object_add(doc, "page_offset", out_hex(l->page_offset));
	json_object_object_add(doc, "high_memory", out_hex(l->high_memory));
	json_object_object_add(doc, "task_size", out_hex(l->task_size));
	json_object_object_add(doc, "phys_load", out_hex(l->phys_load));
	json_object_object_add(doc, "image_offset", out_hex(l->image_offset));
	json_object_object_add(doc, "kaslr", kaslr);
	json_object_object_add(doc, "levels", json_object_new_int64(l->levels));
	json_object_object_add(doc, "page_size", json_object_new_int64(l->page_size));
	json_object_object_add(doc, "lowmem_bytes", json_object_new_uint64(l->lowmem_bytes));
	json_object_object_add(doc, "highmem_bytes", json_object_new_uint64(l->highmem_bytes));
	json_object_object_add(doc, "mmu", mmu_regs_json(l));
}

/* One "key  value" line of the header. */
static __printf(3, 4) void layout_print_line(FILE *out, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "%-12s  ", key);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

static const char *layout_yes_no(struct json_object *doc, const char *key)
{
	return json_object_get_boolean(out_get(doc, key)) ? "yes" : "no";
}

/* A region that ends at the top of the address space ends at "top". */
static void layout_print_end(FILE *out, struct json_object *end)
{
	const char *text = json_object_get_string(end);

	fputs(strcmp(text, "0x0") ? text : "top", out);
}

/* "TTBR0_EL1 0x... (table 0x..., ASID 3)", or "hidden". */
static void layout_print_base(FILE *out, struct json_object *b)
{
	struct json_object *tag = out_get(b, "asid") ?: out_get(b, "pcid");

	if (!out_get(b, "value")) {
		fprintf(out, "%s hidden (needs CAP_SYS_ADMIN)", out_get_str(b, "register"));
		return;
	}
	fprintf(out, "%s %s (table %s", out_get_str(b, "register"), out_get_str(b, "value"),
		out_get_str(b, "table"));
	if (tag)
		fprintf(out, ", %s %lld", out_get(b, "asid") ? "ASID" : "PCID",
			(long long)json_object_get_int64(tag));
	fputc(')', out);
}

/* The MMU's control register, decoded, and the table bases. */
static void layout_print_mmu(FILE *out, struct json_object *mmu)
{
	struct json_object *c = out_get(mmu, "control");

	if (!mmu)
		return;
	if (out_get(c, "user_va_bits")) {
		layout_print_line(out, "mmu", "%s %s", out_get_str(c, "register"),
				  out_get_str(c, "value"));
		layout_print_line(out, "", "user %llu bits, kernel %llu bits, %llu-byte pages",
				  out_get_u64(c, "user_va_bits"), out_get_u64(c, "kernel_va_bits"),
				  out_get_u64(c, "user_granule"));
		layout_print_line(out, "", "PA %llu bits, LPA2 %s, hardware AF %s, dirty %s",
				  out_get_u64(c, "pa_bits"), layout_yes_no(c, "lpa2"),
				  layout_yes_no(c, "hw_access_flag"), layout_yes_no(c, "hw_dirty"));
	} else {
		layout_print_line(out, "mmu", "%s %s: PAE %s, LA57 %s, PGE %s, PCID %s",
				  out_get_str(c, "register"), out_get_str(c, "value"),
				  layout_yes_no(c, "pae"), layout_yes_no(c, "la57"),
				  layout_yes_no(c, "pge"), layout_yes_no(c, "pcide"));
		layout_print_line(out, "", "SMEP %s, SMAP %s", layout_yes_no(c, "smep"),
				  layout_yes_no(c, "smap"));
	}
	fprintf(out, "%-12s  ", "tables");
	layout_print_base(out, out_get(mmu, "table_base_user"));
	if (out_get(mmu, "table_base_kernel")) {
		fprintf(out, "\n%-12s  ", "");
		layout_print_base(out, out_get(mmu, "table_base_kernel"));
	}
	fputc('\n', out);
}

static const struct out_column layout_columns[] = {
	{ "REGION", "name", OUT_LEFT },
	{ "START", "start", OUT_RIGHT },
	{ "END", "end", OUT_RIGHT, layout_print_end },
	{ "SIZE", "size", OUT_RIGHT, out_print_size_cell },
};

static struct out_choice layout_cols = { layout_columns, ARRAY_SIZE(layout_columns), NULL };

static const struct argp_option layout_options[] = {
	{ "output", 'o', "COLUMNS", 0, "The regions' columns, comma-separated, or all", 0 },
	{},
};

static error_t layout_parse(int key, char *arg, struct argp_state *state)
{
	if (key == 'o') {
		parse_columns_arg(state, arg, out_choice_set, &layout_cols);
		return 0;
	}
	return parse_no_args(key, arg, state);
}

static const struct argp layout_argp = {
	.options = layout_options,
	.parser = layout_parse,
	.doc = layout_doc,
	.children = vmatlas_common_children,
};

static int layout_print(FILE *out, struct json_object *doc)
{
	static const char *const addrs[] = {
		"page_offset", "high_memory", "task_size", "phys_load", "image_offset",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(addrs); i++)
		layout_print_line(out, addrs[i], "%s", out_get_str(doc, addrs[i]));
	layout_print_line(out, "kaslr", "image %s, memory %s", layout_yes_no(doc, "kaslr.image"),
			  layout_yes_no(doc, "kaslr.memory"));
	layout_print_line(out, "levels", "%llu", out_get_u64(doc, "levels"));
	layout_print_line(out, "page_size", "%llu", out_get_u64(doc, "page_size"));
	layout_print_line(out, "lowmem", "%llu MiB", out_get_u64(doc, "lowmem_bytes") >> 20);
	layout_print_line(out, "highmem", "%llu MiB", out_get_u64(doc, "highmem_bytes") >> 20);
	layout_print_mmu(out, out_get(doc, "mmu"));
	fputc('\n', out);
	return out_print_choice(out, out_get(doc, "regions"), &layout_cols);
}

static int layout_gather(int fd, struct json_object *doc)
{
	struct vmatlas_layout l;
	int err;

	err = vmatlas_layout(fd, &l);
	if (err)
		return err;
	layout_to_json(&l, doc);
	return 0;
}

static int layout_run(int argc, char **argv)
{
	return vmatlas_parse_and_emit(&layout_argp, argc, argv, layout_gather, layout_print);
}

const struct vmatlas_cmd vmatlas_cmd_layout = {
	.name = "layout",
	.summary = "the kernel's virtual memory map of this boot, region by region",
	.run = layout_run,
};
