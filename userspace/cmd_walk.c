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

static const char walk_doc[] =
"Translate addresses of a process through its page tables, level by level.\n"
"\n"
"USAGE: vmatlas walk [--json] PID ADDR [ADDR...]\n"
"\n"
"ADDR is hexadecimal, with or without 0x, as /proc/PID/maps prints it.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas walk 1234 0x601000              # one address of process 1234\n"
"    vmatlas walk 1234 0x601000 0x7ffc1000   # two addresses, a block each\n"
"    vmatlas walk --json 1234 0x601000       # the same as a JSON document\n";

static struct {
	int pid;
	unsigned long long *addrs;	/* room for every argument */
	size_t naddrs;
} walk_args;

static error_t walk_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
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
	.parser = walk_parse,
	.args_doc = "PID ADDR [ADDR...]",
	.doc = walk_doc,
	.children = vmatlas_common_children,
};

/*
 * The VMATLAS_LVL_* flags a level is shown with: its JSON member and its note
 * in the table, the note of the first flag set winning.
 */
static const struct {
	const char *key;
	unsigned int flag;
	const char *note;
} walk_level_flags[] = {
	{ "leaf", VMATLAS_LVL_LEAF, "leaf" },
	{ "folded", VMATLAS_LVL_FOLDED, "folded" },
	{ "none", VMATLAS_LVL_NONE, "empty" },
	{ "bad", VMATLAS_LVL_BAD, "bad" },
};

static struct json_object *walk_level_to_json(const struct vmatlas_level *level, unsigned int i)
{
	struct json_object *obj = json_object_new_object();
	size_t j;

	json_object_object_add(obj, "level", json_object_new_string(names_level(i)));
	json_object_object_add(obj, "index", json_object_new_int64(level->index));
	json_object_object_add(obj, "entry", out_hex(level->entry));
	json_object_object_add(obj, "table", out_hex_or_null(level->table, level->table));
	json_object_object_add(obj, "flags", names_bits_to_json(&names_ent, level->bits));
	for (j = 0; j < ARRAY_SIZE(walk_level_flags); j++)
		json_object_object_add(obj, walk_level_flags[j].key,
				       json_object_new_boolean(!!(level->flags &
								  walk_level_flags[j].flag)));
	return obj;
}

static struct json_object *walk_swap_to_json(const struct vmatlas_walk *w)
{
	/* Without CAP_SYS_ADMIN the slot is not shown, as pagemap does not. */
	bool hidden = w->out_flags & VMATLAS_OUT_PHYS_HIDDEN;
	struct json_object *swap;

	if (w->swap_kind == VMATLAS_SWP_NONE)
		return NULL;
	swap = json_object_new_object();
	json_object_object_add(swap, "kind", json_object_new_string(names_swap(w->swap_kind)));
	json_object_object_add(swap, "type", hidden ? NULL : json_object_new_int64(w->swap_type));
	json_object_object_add(swap, "offset", out_hex_or_null(!hidden, w->swap_offset));
	return swap;
}

static struct json_object *walk_to_json(const struct vmatlas_walk *w)
{
	bool present = w->out_flags & VMATLAS_WALK_PRESENT;
	bool phys = present && !(w->out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	struct json_object *obj = json_object_new_object();
	struct json_object *levels = json_object_new_array();
	struct json_object *vma = json_object_new_object();
	unsigned int i;

	for (i = 0; i <= w->stop_level && i < VMATLAS_LEVELS; i++)
		json_object_array_add(levels, walk_level_to_json(&w->levels[i], i));
	json_object_object_add(vma, "start", out_hex(w->vma_start));
	json_object_object_add(vma, "end", out_hex(w->vma_end));
	json_object_object_add(vma, "flags", names_bits_to_json(&names_vm, w->vma_flags));

	json_object_object_add(obj, "addr", out_hex(w->addr));
	json_object_object_add(obj, "present", json_object_new_boolean(present));
	json_object_object_add(obj, "page_size", json_object_new_uint64(w->page_size));
	json_object_object_add(obj, "tlb_size", json_object_new_uint64(w->tlb_size));
	json_object_object_add(obj, "phys", out_hex_or_null(phys, w->phys));
	json_object_object_add(obj, "pfn", out_hex_or_null(phys, w->pfn));
	json_object_object_add(obj, "swap", walk_swap_to_json(w));
	json_object_object_add(obj, "stop", json_object_new_string(names_level(w->stop_level)));
	json_object_object_add(obj, "levels", levels);
	json_object_object_add(obj, "vma", vma);
	json_object_object_add(obj, "page", w->out_flags & VMATLAS_WALK_PAGE ?
					    names_page_to_json(&w->page) : NULL);
	return obj;
}

/* What a level of the walk was: "leaf", "folded", "empty", "bad" or "". */
static const char *walk_note(struct json_object *level)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(walk_level_flags); i++)
		if (json_object_get_boolean(out_get(level, walk_level_flags[i].key)))
			return walk_level_flags[i].note;
	return "";
}

static void walk_print_note(FILE *out, struct json_object *level)
{
	fputs(walk_note(level), out);
}

static const struct out_column walk_columns[] = {
	{ "LEVEL", "level", OUT_LEFT },
	{ "INDEX", "index", OUT_RIGHT },
	{ "ENTRY", "entry", OUT_RIGHT },
	{ "FLAGS", "flags", OUT_LEFT },
	{ "NOTE", NULL, OUT_LEFT, walk_print_note },
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
	ret = out_print_table(out, out_get(res, "levels"), walk_columns, ARRAY_SIZE(walk_columns));
	if (ret)
		return ret;
	walk_print_outcome(out, res);
	if (page) {
		fputs("page: flags ", out);
		out_print_value(out, out_get(page, "flags"));
		fprintf(out, " mapcount %s refcount %s order %s\n", out_get_str(page, "mapcount"),
			out_get_str(page, "refcount"), out_get_str(page, "order"));
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
