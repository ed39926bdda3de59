// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas ptdump: the page tables of a process as runs, like the kernel's
 * ptdump: neighbouring leaves with the same attributes make one run.
 */
#include <argp.h>
#include <stdio.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char ptdump_doc[] =
"Dump the page tables of a process as runs of leaves with the same attributes.\n"
"\n"
"USAGE: vmatlas ptdump [--start ADDR] [--end ADDR] [--json] PID\n"
"\n"
"ADDR is hexadecimal with 0x, or decimal, and page aligned. By default the\n"
"range goes from the start of the first VMA to the end of the last one.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas ptdump 1234                           # all VMAs of process 1234\n"
"    vmatlas ptdump -s 0x400000 -e 0x600000 1234   # only that range\n"
"    vmatlas ptdump --json 1234                    # as a JSON document\n";

static const struct argp_option ptdump_options[] = {
	{ "start", 's', "ADDR", 0, "First address (default: start of the first VMA)", 0 },
	{ "end", 'e', "ADDR", 0, "End address (default: end of the last VMA)", 0 },
	{},
};

static struct {
	int pid;
	unsigned long long start, end;
	bool has_start, has_end;
} ptdump_args;

static error_t ptdump_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 's':
		parse_addr_arg(state, arg, &ptdump_args.start);
		ptdump_args.has_start = true;
		return 0;
	case 'e':
		parse_addr_arg(state, arg, &ptdump_args.end);
		ptdump_args.has_end = true;
		return 0;
	default:
		return parse_pid_key(key, arg, state, &ptdump_args.pid);
	}
}

static const struct argp ptdump_argp = {
	.options = ptdump_options,
	.parser = ptdump_parse,
	.args_doc = "PID",
	.doc = ptdump_doc,
	.children = vmatlas_common_children,
};

/* The start of the first VMA and the end of the last one. */
struct ptdump_bounds {
	unsigned long long start, end;
	bool found;
};

static int ptdump_add_vma(const struct vmatlas_vma *vma, const char *name, void *priv)
{
	struct ptdump_bounds *bounds = priv;

	if (!bounds->found)
		bounds->start = vma->start;
	bounds->end = vma->end;
	bounds->found = true;
	return 0;
}

/*
 * The range to dump: the options, else the bounds of the VMAs. Return: 0, a
 * negative errno, or an exit status after an error message.
 */
static int ptdump_range(int fd, unsigned long long *start, unsigned long long *end)
{
	struct ptdump_bounds bounds = {};
	struct vmatlas_info info;
	int err;

	err = vmatlas_get_info(fd, &info);
	if (err)
		return err;
	if (ptdump_args.has_start && ptdump_args.start % info.page_size) {
		vmatlas_error("--start 0x%llx: not page aligned", ptdump_args.start);
		return 2;
	}
	if (ptdump_args.has_end && ptdump_args.end % info.page_size) {
		vmatlas_error("--end 0x%llx: not page aligned", ptdump_args.end);
		return 2;
	}

	if (!ptdump_args.has_start || !ptdump_args.has_end) {
		err = vmatlas_list_vmas(fd, ptdump_args.pid, false, ptdump_add_vma, &bounds);
		if (err)
			return err;
		if (!bounds.found)
			return vmatlas_error("pid %d: no VMA", ptdump_args.pid);
	}
	*start = ptdump_args.has_start ? ptdump_args.start : bounds.start;
	*end = ptdump_args.has_end ? ptdump_args.end : bounds.end;
	if (*start >= *end) {
		vmatlas_error("empty range 0x%llx-0x%llx", *start, *end);
		return 2;
	}
	return 0;
}

static int ptdump_add_run(const struct vmatlas_run *run, void *priv)
{
	struct json_object *obj = json_object_new_object();

	json_object_object_add(obj, "start", out_hex(run->start));
	json_object_object_add(obj, "end", out_hex(run->end));
	json_object_object_add(obj, "size", json_object_new_uint64(run->end - run->start));
	json_object_object_add(obj, "page_size", json_object_new_uint64(run->page_size));
	json_object_object_add(obj, "level", json_object_new_string(names_level(run->level)));
	json_object_object_add(obj, "flags", names_bits_to_json(&names_ent, run->bits));
	json_object_object_add(obj, "phys",
			       out_hex_or_null(run->phys != VMATLAS_NO_PHYS, run->phys));
	json_object_array_add(priv, obj);
	return 0;
}

static const struct out_column ptdump_columns[] = {
	{ "START", "start", OUT_RIGHT },
	{ "END", "end", OUT_RIGHT },
	{ "SIZE", "size", OUT_RIGHT, out_print_size_cell },
	{ "LEVEL", "level", OUT_LEFT },
	{ "FLAGS", "flags", OUT_LEFT },
	{ "PHYS", "phys", OUT_LEFT },
};

static int ptdump_print(FILE *out, struct json_object *doc)
{
	return out_print_table(out, out_get(doc, "runs"), ptdump_columns,
			       ARRAY_SIZE(ptdump_columns));
}

static int ptdump_gather(int fd, struct json_object *doc)
{
	struct json_object *hidden = json_object_new_boolean(0);
	struct json_object *runs = json_object_new_array();
	unsigned long long start = 0, end = 0;
	unsigned int out_flags = 0;
	int err;

	json_object_object_add(doc, "pid", json_object_new_int(ptdump_args.pid));
	json_object_object_add(doc, "phys_hidden", hidden);
	json_object_object_add(doc, "runs", runs);
	err = ptdump_range(fd, &start, &end);
	if (!err)
		err = vmatlas_list_runs(fd, ptdump_args.pid, start, end, ptdump_add_run, runs,
					&out_flags);
	json_object_set_boolean(hidden, !!(out_flags & VMATLAS_OUT_PHYS_HIDDEN));
	return err;
}

static int ptdump_run(int argc, char **argv)
{
	return vmatlas_parse_and_emit(&ptdump_argp, argc, argv, ptdump_gather, ptdump_print);
}

const struct vmatlas_cmd vmatlas_cmd_ptdump = {
	.name = "ptdump",
	.summary = "the page tables of a process as runs of like leaves",
	.run = ptdump_run,
};
