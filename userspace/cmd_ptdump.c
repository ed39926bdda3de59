// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas ptdump: the page tables of a process as runs, like the kernel's
 * ptdump: neighbouring leaves with the same attributes make one run.
 */
#include <argp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "progress.h"
#include "parse.h"

static const char ptdump_doc[] =
"Dump the page tables of a process as runs of leaves with the same attributes.\n"
"\n"
"USAGE: vmatlas ptdump [--start ADDR] [--end ADDR] [-o COLUMNS] [--json] PID\n"
"\n"
"ADDR is hexadecimal, with or without 0x, and page aligned. By default the\n"
"range goes from the start of the first VMA to the end of the last one.\n"
"TLB is what one TLB entry may hold: a leaf, or on arm64 a whole run of\n"
"leaves with the contiguous hint (flag cont). The table's columns, all by\n"
"default: START END SIZE LEVEL TLB FLAGS PHYS.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas ptdump 1234                           # all VMAs of process 1234\n"
"    vmatlas ptdump -s 0x400000 -e 0x600000 1234   # only that range\n"
"    vmatlas ptdump -o start,size,level,phys 1234   # some columns\n"
"    vmatlas ptdump --json 1234                    # as a JSON document\n";

static const struct argp_option ptdump_options[] = {
	{ "start", 's', "ADDR", 0, "First address (default: start of the first VMA)", 0 },
	{ "end", 'e', "ADDR", 0, "End address (default: end of the last VMA)", 0 },
	{ "output", 'o', "COLUMNS", 0, "The table's columns, comma-separated, or all", 0 },
	{},
};

static struct {
	int pid;
	unsigned long long start, end;
	bool has_start, has_end;
	/* The table's columns: -o's, else all. */
	struct out_col cols[OUT_COLS_MAX];
	int ncols;
} ptdump_args;

static int ptdump_choose(void *table, const char *list, char *bad, size_t len);

static error_t ptdump_parse(int key, char *arg, struct argp_state *state)
{
	char bad[32];

	switch (key) {
	case 's':
		parse_addr_arg(state, arg, &ptdump_args.start);
		ptdump_args.has_start = true;
		return 0;
	case 'e':
		parse_addr_arg(state, arg, &ptdump_args.end);
		ptdump_args.has_end = true;
		return 0;
	case 'o':
		parse_columns_arg(state, arg, ptdump_choose, NULL);
		return 0;
	case ARGP_KEY_END:
		if (!ptdump_args.ncols)
			ptdump_choose(NULL, "all", bad, sizeof(bad));
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

/* INFO's contiguous-run sizes, per level: what a "cont" run's TLB entries hold. */
static __u64 ptdump_cont_size[VMATLAS_LEVELS];

static __u64 ptdump_tlb_size(const struct vmatlas_run *run)
{
	if ((run->bits & VMATLAS_ENT_ARM64_CONT) && ptdump_cont_size[run->level])
		return ptdump_cont_size[run->level];
	return run->page_size;
}

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
	memcpy(ptdump_cont_size, info.cont_size, sizeof(ptdump_cont_size));
	if (ptdump_args.has_start && ptdump_args.start % info.page_size) {
		vmatlas_error("--start 0x%llx: not page aligned", ptdump_args.start);
		return VMATLAS_EXIT_USAGE;
	}
	if (ptdump_args.has_end && ptdump_args.end % info.page_size) {
		vmatlas_error("--end 0x%llx: not page aligned", ptdump_args.end);
		return VMATLAS_EXIT_USAGE;
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
		return VMATLAS_EXIT_USAGE;
	}
	return 0;
}

/* The runs, gathered before anything is printed. */
static struct vmatlas_run_list ptdump_list;

static void ptdump_write_json(FILE *out)
{
	const struct vmatlas_run *run;
	struct out_json j;
	size_t i;

	out_json_begin(&j, out);
	out_json_s64(&j, "pid", ptdump_args.pid);
	out_json_bool(&j, "phys_hidden", ptdump_list.out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	out_json_array(&j, "runs");
	for (i = 0; i < ptdump_list.count; i++) {
		run = &ptdump_list.runs[i];
		out_json_object(&j, NULL);
		out_json_hex(&j, "start", run->start);
		out_json_hex(&j, "end", run->end);
		out_json_u64(&j, "size", run->end - run->start);
		out_json_u64(&j, "page_size", run->page_size);
		out_json_u64(&j, "tlb_size", ptdump_tlb_size(run));
		out_json_str(&j, "level", names_level(run->level));
		names_json_bits(&j, "flags", &names_ent, run->bits);
		out_json_hex_or_null(&j, "phys", run->phys != VMATLAS_NO_PHYS, run->phys);
		out_json_close(&j);
	}
	out_json_close(&j);
	out_json_end(&j);
}

/* Table cells of run @i; @arg is the offset of a __u64 in struct vmatlas_run. */
static const struct vmatlas_run *ptdump_run_at(const void *rows, size_t i)
{
	return &((const struct vmatlas_run_list *)rows)->runs[i];
}

static const char *ptdump_cell_hex(const void *rows, size_t i, size_t arg, char *buf)
{
	return out_cell_hex(buf, *(const __u64 *)((const char *)ptdump_run_at(rows, i) + arg));
}

static const char *ptdump_cell_size(const void *rows, size_t i, size_t arg, char *buf)
{
	const struct vmatlas_run *run = ptdump_run_at(rows, i);

	return out_cell_size(buf, run->end - run->start);
}

static const char *ptdump_cell_tlb(const void *rows, size_t i, size_t arg, char *buf)
{
	return out_cell_size(buf, ptdump_tlb_size(ptdump_run_at(rows, i)));
}

static const char *ptdump_cell_level(const void *rows, size_t i, size_t arg, char *buf)
{
	return names_level(ptdump_run_at(rows, i)->level);
}

/* A huge leaf stands out: a PMD's yellow, a PUD's magenta. */
static const char *ptdump_color_level(const void *rows, size_t i, size_t arg)
{
	switch (ptdump_run_at(rows, i)->level) {
	case VMATLAS_LEVEL_PMD:
		return "33";
	case VMATLAS_LEVEL_PUD:
		return "35";
	default:
		return NULL;
	}
}

static const char *ptdump_cell_flags(const void *rows, size_t i, size_t arg, char *buf)
{
	return names_join_bits(buf, OUT_CELL_MAX, &names_ent, ptdump_run_at(rows, i)->bits);
}

static const char *ptdump_cell_phys(const void *rows, size_t i, size_t arg, char *buf)
{
	const struct vmatlas_run *run = ptdump_run_at(rows, i);

	return run->phys == VMATLAS_NO_PHYS ? "-" : out_cell_hex(buf, run->phys);
}

static const struct out_col ptdump_columns[] = {
	{ "START", OUT_RIGHT, ptdump_cell_hex, offsetof(struct vmatlas_run, start) },
	{ "END", OUT_RIGHT, ptdump_cell_hex, offsetof(struct vmatlas_run, end) },
	{ "SIZE", OUT_RIGHT, ptdump_cell_size },
	{ "LEVEL", OUT_LEFT, ptdump_cell_level, 0, ptdump_color_level },
	{ "TLB", OUT_RIGHT, ptdump_cell_tlb },
	{ "FLAGS", OUT_LEFT, ptdump_cell_flags },
	{ "PHYS", OUT_LEFT, ptdump_cell_phys },
};

static int ptdump_choose(void *table, const char *list, char *bad, size_t len)
{
	ptdump_args.ncols = out_choose_cols(ptdump_columns, ARRAY_SIZE(ptdump_columns), list,
					    ptdump_args.cols, bad, len);
	return ptdump_args.ncols;
}

static void ptdump_write(FILE *out)
{
	if (out_opts.json)
		ptdump_write_json(out);
	else
		out_write_table(out, ptdump_args.cols, ptdump_args.ncols, &ptdump_list,
				ptdump_list.count);
}

static struct progress ptdump_progress;

static void ptdump_progressed(unsigned long long at, size_t count, void *priv)
{
	progress_at(&ptdump_progress, at, count);
}

static int ptdump_gather(int fd)
{
	unsigned long long start = 0, end = 0;
	int err;

	err = ptdump_range(fd, &start, &end);
	if (err)
		return err;
	progress_begin(&ptdump_progress, "ptdump", "runs", start, end);
	ptdump_list.progress = ptdump_progressed;
	err = vmatlas_read_runs(fd, ptdump_args.pid, start, end, &ptdump_list);
	progress_end(&ptdump_progress);
	return err;
}

static int ptdump_run(int argc, char **argv)
{
	int ret = vmatlas_parse_and_write(&ptdump_argp, argc, argv, ptdump_gather, ptdump_write);

	vmatlas_run_list_free(&ptdump_list);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_ptdump = {
	.name = "ptdump",
	.summary = "the page tables of a process as runs of like leaves",
	.run = ptdump_run,
};
