// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas walk: translate addresses of a process level by level, as the MMU
 * would, and show every entry on the way and what the walk found.
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
#include "walk_json.h"

static const char walk_doc[] =
"Translate addresses of a process through its page tables, level by level.\n"
"\n"
"USAGE: vmatlas walk [-o COLUMNS] [--json] PID ADDR [ADDR...]\n"
"\n"
"ADDR is hexadecimal, with or without 0x, as /proc/PID/maps prints it.\n"
"\n"
"Each level's columns, all shown by default: LEVEL INDEX ENTRY NOTE FLAGS.\n"
"NOTE says what the entry is: table, leaf, folded, empty or bad.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas walk 1234 0x601000              # one address of process 1234\n"
"    vmatlas walk 1234 0x601000 0x7ffc1000   # two addresses, a block each\n"
"    vmatlas walk -o level,entry 1234 601000 # the entries alone\n"
"    vmatlas walk --json 1234 0x601000       # the same as a JSON document\n";

static struct {
	int pid;
	unsigned long long *addrs;	/* room for every argument */
	size_t naddrs;
} walk_args;

static void walk_print_note(FILE *out, struct json_object *level)
{
	fputs(walk_note(level), out);
}

static const struct out_column walk_columns[] = {
	{ "LEVEL", "level", OUT_LEFT },
	{ "INDEX", "index", OUT_RIGHT },
	{ "ENTRY", "entry", OUT_RIGHT },
	{ "NOTE", NULL, OUT_LEFT, walk_print_note },
	/* Last: a list, which may run past 100 columns. */
	{ "FLAGS", "flags", OUT_LEFT },
};

static struct out_choice walk_cols = { walk_columns, ARRAY_SIZE(walk_columns), NULL };

static const struct argp_option walk_options[] = {
	{ "output", 'o', "COLUMNS", 0, "Each level's columns, comma-separated, or all", 0 },
	{},
};

static error_t walk_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'o':
		parse_columns_arg(state, arg, out_choice_set, &walk_cols);
		return 0;
	case ARGP_KEY_ARG:
		if (!state->arg_num)
			return parse_pid_key(key, arg, state, &walk_args.pid);
		parse_addr_arg(state, arg, &walk_args.addrs[walk_args.naddrs++]);
		return 0;
	case ARGP_KEY_END:
		if (state->arg_num == 1)
			parse_error(state, "missing ADDR");
		return 0;
	default:
		return parse_pid_key(key, arg, state, &walk_args.pid);
	}
}

static const struct argp walk_argp = {
	.options = walk_options,
	.parser = walk_parse,
	.args_doc = "PID ADDR [ADDR...]",
	.doc = walk_doc,
	.children = vmatlas_common_children,
};

/* A leaf with the contiguous hint: the run one TLB entry may hold. */
static void walk_print_cont(FILE *out, struct json_object *res)
{
	unsigned long long page = out_get_u64(res, "page_size");
	unsigned long long tlb = out_get_u64(res, "tlb_size");

	if (!page || tlb <= page)
		return;
	fprintf(out, "contiguous: one of %llu entries the TLB may hold as one ", tlb / page);
	out_print_size(out, tlb, false);
	fputs(" translation\n", out);
}

/* The last line about a translation: where it leads, or why nowhere. */
static void walk_print_outcome(FILE *out, struct json_object *res)
{
	struct json_object *levels = out_get(res, "levels");
	struct json_object *swap = out_get(res, "swap");
	const char *note;

	if (json_object_get_boolean(out_get(res, "present"))) {
		fputs("present: ", out);
		out_print_size(out, out_get_u64(res, "page_size"), false);
		if (out_get(res, "phys"))
			fprintf(out, " page at phys %s (pfn %s)\n", out_get_str(res, "phys"),
				out_get_str(res, "pfn"));
		else
			fputs(" page, phys hidden (needs CAP_SYS_ADMIN)\n", out);
		walk_print_cont(out, res);
	} else if (swap) {
		fprintf(out, "swapped: kind %s, type %s, offset %s\n", out_get_str(swap, "kind"),
			out_get_str(swap, "type"),
			out_get(swap, "offset") ? out_get_str(swap, "offset") :
						  "hidden (needs CAP_SYS_ADMIN)");
	} else {
		note = walk_note(json_object_array_get_idx(levels,
							   json_object_array_length(levels) - 1));
		if (!strcmp(note, "empty") || !strcmp(note, "bad"))
			fprintf(out, "not present: %s %s entry\n", note, out_get_str(res, "stop"));
		else
			fputs("not present\n", out);
	}
}

static int walk_print_result(FILE *out, struct json_object *res)
{
	struct json_object *page = out_get(res, "page");
	char perms[5];
	int ret;

	names_perms(names_json_to_bits(&names_vm, out_get(res, "vma.flags")), perms);
	fprintf(out, "%s in VMA %s-%s %s\n", out_get_str(res, "addr"),
		out_get_str(res, "vma.start"), out_get_str(res, "vma.end"), perms);
	ret = out_print_choice(out, out_get(res, "levels"), &walk_cols);
	if (ret)
		return ret;
	walk_print_outcome(out, res);
	if (page) {
		fprintf(out, "page: mapcount %s refcount %s order %s flags ",
			out_get_str(page, "mapcount"), out_get_str(page, "refcount"),
			out_get_str(page, "order"));
		out_print_value(out, out_get(page, "flags"));
		fputc('\n', out);
	}
	return 0;
}

static int walk_print(FILE *out, struct json_object *doc)
{
	struct json_object *results = out_get(doc, "results");
	size_t i, n = json_object_array_length(results);
	int ret = 0;

	for (i = 0; i < n && !ret; i++) {
		if (i)
			fputc('\n', out);
		ret = walk_print_result(out, json_object_array_get_idx(results, i));
	}
	return ret;
}

static int walk_gather(int fd, struct json_object *doc)
{
	struct json_object *hidden = json_object_new_boolean(0);
	struct json_object *tables_hidden = json_object_new_boolean(0);
	struct json_object *results = json_object_new_array();
	struct vmatlas_walk w;
	size_t i;
	int err;

	json_object_object_add(doc, "pid", json_object_new_int(walk_args.pid));
	json_object_object_add(doc, "phys_hidden", hidden);
	json_object_object_add(doc, "tables_hidden", tables_hidden);
	json_object_object_add(doc, "results", results);
	for (i = 0; i < walk_args.naddrs; i++) {
		err = vmatlas_walk(fd, walk_args.pid, walk_args.addrs[i], &w);
		if (err)
			return err;
		if (w.out_flags & VMATLAS_OUT_PHYS_HIDDEN)
			json_object_set_boolean(hidden, 1);
		if (w.out_flags & VMATLAS_OUT_TABLES_HIDDEN)
			json_object_set_boolean(tables_hidden, 1);
		json_object_array_add(results, walk_to_json(&w));
	}
	return 0;
}

static int walk_run(int argc, char **argv)
{
	int ret;

	walk_args.addrs = calloc(argc, sizeof(*walk_args.addrs));
	if (!walk_args.addrs)
		return vmatlas_error("%m");
	ret = vmatlas_parse_and_emit(&walk_argp, argc, argv, walk_gather, walk_print);
	free(walk_args.addrs);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_walk = {
	.name = "walk",
	.summary = "translate addresses of a process through its page tables",
	.run = walk_run,
};
