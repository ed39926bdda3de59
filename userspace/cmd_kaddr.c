// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas kaddr: the anatomy of kernel addresses: the region each lies in,
 * its physical address by __pa() arithmetic and by a walk of the kernel page
 * tables, and whether the two agree.
 */
#include <argp.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char kaddr_doc[] =
"Show what kernel addresses are: the region of the kernel's memory map each\n"
"lies in, its physical address by __pa() arithmetic and by a walk of the\n"
"kernel page tables, and whether the two agree.\n"
"\n"
"USAGE: vmatlas kaddr [--flags] [-o COLUMNS] [--json] ADDR [ADDR...]\n"
"\n"
"ADDR is hexadecimal, with or without 0x. Any value will do: it is looked\n"
"up, never read.\n"
"\n"
"The table's columns, by default ADDR REGION LOGICAL PHYS(__pa) PHYS(walk)\n"
"AGREE SIZE LEVEL: also TLB, the size the TLB may cache it as; ENTRY, the\n"
"leaf entry; FLAGS, its bits. A column is named by its header or by its\n"
"member of the JSON document (phys_linear for PHYS(__pa), phys for PHYS(walk)).\n"
"\n"
VMATLAS_KERNEL_DOC
"\n"
"EXAMPLES:\n"
"    vmatlas kaddr 0xffff888000100000          # direct map: both ways agree\n"
"    vmatlas kaddr 0xffffc90000000000 0x1000   # vmalloc, a user address\n"
"    vmatlas kaddr -f 0xffffffff81000000       # also the leaf's bits\n"
"    vmatlas kaddr -o addr,size,entry,flags 0xffffffff81000000\n"
"    vmatlas kaddr --json 0xffffffff81000000   # as a JSON document\n";

static const struct argp_option kaddr_options[] = {
	{ "flags", 'f', NULL, 0, "Add a FLAGS column: the bits of each leaf entry", 0 },
	{ "output", 'o', "COLUMNS", 0, "The table's columns, comma-separated, or all", 0 },
	{},
};

static struct {
	unsigned long long *addrs;	/* room for every argument */
	size_t naddrs;
} kaddr_args;

/*
 * By default what fits in 100 columns: where each address is, both ways to
 * its physical address, the size and level of its leaf. --flags adds FLAGS.
 */
#define KADDR_DEFAULT	"addr,region,logical,phys_linear,phys,agree,size,level"

static void kaddr_print_logical(FILE *out, struct json_object *logical)
{
	fputs(json_object_get_boolean(logical) ? "yes" : "no", out);
}

/* "-" when there is nothing to compare; a disagreement stands out. */
static void kaddr_print_agree(FILE *out, struct json_object *agree)
{
	if (!agree)
		fputc('-', out);
	else
		fputs(json_object_get_boolean(agree) ? "yes" : "NO", out);
}

static const struct out_column kaddr_columns[] = {
	{ "ADDR", "addr", OUT_RIGHT },
	{ "REGION", "region", OUT_LEFT },
	{ "LOGICAL", "logical", OUT_LEFT, kaddr_print_logical },
	{ "PHYS(__pa)", "phys_linear", OUT_RIGHT },
	{ "PHYS(walk)", "phys", OUT_RIGHT },
	{ "AGREE", "agree", OUT_LEFT, kaddr_print_agree },
	{ "SIZE", "page_size", OUT_RIGHT, out_print_size_cell },
	{ "LEVEL", "level", OUT_LEFT },
	{ "TLB", "tlb_size", OUT_RIGHT, out_print_size_cell },
	{ "ENTRY", "entry", OUT_RIGHT },
	{ "FLAGS", "flags", OUT_LEFT },
};

static struct out_choice kaddr_cols = {
	kaddr_columns, ARRAY_SIZE(kaddr_columns), KADDR_DEFAULT
};

static error_t kaddr_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'f':
		kaddr_cols.fallback = KADDR_DEFAULT ",flags";
		return 0;
	case 'o':
		parse_columns_arg(state, arg, out_choice_set, &kaddr_cols);
		return 0;
	case ARGP_KEY_ARG:
		parse_addr_arg(state, arg, &kaddr_args.addrs[kaddr_args.naddrs++]);
		return 0;
	case ARGP_KEY_NO_ARGS:
		parse_error(state, "missing ADDR");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp kaddr_argp = {
	.options = kaddr_options,
	.parser = kaddr_parse,
	.args_doc = "ADDR [ADDR...]",
	.doc = kaddr_doc,
	.children = vmatlas_common_children,
};

static struct json_object *kaddr_to_json(const struct vmatlas_kaddr *k)
{
	bool mapped = k->out_flags & VMATLAS_KADDR_MAPPED;
	bool linear = k->out_flags & VMATLAS_KADDR_LINEAR;
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "addr", out_hex(k->addr));
	json_object_object_add(obj, "region", json_object_new_string(names_region(k->region)));
	json_object_object_add(obj, "logical",
			       json_object_new_boolean(!!(k->out_flags & VMATLAS_KADDR_LOGICAL)));
	json_object_object_add(obj, "phys", out_hex_or_null(mapped, k->phys));
	json_object_object_add(obj, "phys_linear", out_hex_or_null(linear, k->phys_linear));
	json_object_object_add(obj, "agree", mapped && linear ?
			       json_object_new_boolean(!!(k->out_flags & VMATLAS_KADDR_AGREE)) :
			       NULL);
	json_object_object_add(obj, "page_size", json_object_new_uint64(mapped ? k->page_size : 0));
	json_object_object_add(obj, "tlb_size", json_object_new_uint64(mapped ? k->tlb_size : 0));
	json_object_object_add(obj, "level",
			       mapped ? json_object_new_string(names_level(k->level)) : NULL);
	json_object_object_add(obj, "entry", out_hex_or_null(mapped, k->entry));
	json_object_object_add(obj, "flags", names_bits_to_json(&names_ent, k->bits));
	json_object_object_add(obj, "page", k->out_flags & VMATLAS_KADDR_PAGE ?
					    names_page_to_json(&k->page) : NULL);
	return obj;
}

static int kaddr_print(FILE *out, struct json_object *doc)
{
	return out_print_choice(out, out_get(doc, "results"), &kaddr_cols);
}

static int kaddr_gather(int fd, struct json_object *doc)
{
	struct json_object *results = json_object_new_array();
	struct vmatlas_kaddr k;
	size_t i;
	int err;

	json_object_object_add(doc, "results", results);
	for (i = 0; i < kaddr_args.naddrs; i++) {
		err = vmatlas_kaddr(fd, kaddr_args.addrs[i], &k);
		if (err)
			return err;
		json_object_array_add(results, kaddr_to_json(&k));
	}
	return 0;
}

static int kaddr_run(int argc, char **argv)
{
	int ret;

	kaddr_args.addrs = calloc(argc, sizeof(*kaddr_args.addrs));
	if (!kaddr_args.addrs)
		return vmatlas_error("%m");
	ret = vmatlas_parse_and_emit(&kaddr_argp, argc, argv, kaddr_gather, kaddr_print);
	free(kaddr_args.addrs);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_kaddr = {
	.name = "kaddr",
	.summary = "what kernel addresses are: region, __pa() and page-table walk",
	.run = kaddr_run,
};
