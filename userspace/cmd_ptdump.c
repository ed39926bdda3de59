// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas ptdump: the page tables of a process as runs, like the kernel's
 * ptdump: neighbouring leaves with the same attributes make one run.
 */
#include <argp.h>
#include <errno.h>
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
"USAGE: vmatlas ptdump [-s ADDR] [-e ADDR] [-S] [-o COLUMNS] [--json] PID\n"
"\n"
"ADDR is hexadecimal, with or without 0x, and page aligned. By default the\n"
"range goes from the start of the first VMA to the end of the last one.\n"
"TLB is what one TLB entry may hold: a leaf, or on arm64 a whole run of\n"
"leaves with the contiguous hint (flag cont). The table's columns, by\n"
"default START END SIZE LEVEL TLB FLAGS PHYS; --sharing adds SHARED, whether\n"
"the pages of each run are mapped once (no) or more (yes), as after fork()\n"
"until one side writes, and cuts runs where that changes.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas ptdump 1234                           # all VMAs of process 1234\n"
"    vmatlas ptdump -s 0x400000 -e 0x600000 1234   # only that range\n"
"    vmatlas ptdump -o start,size,level,phys 1234  # some columns\n"
"    vmatlas ptdump --sharing 1234                 # which pages are shared\n"
"    vmatlas ptdump --json 1234                    # as a JSON document\n";

static const struct argp_option ptdump_options[] = {
	{ "start", 's', "ADDR", 0, "First address (default: start of the first VMA)", 0 },
	{ "end", 'e', "ADDR", 0, "End address (default: end of the last VMA)", 0 },
	{ "sharing", 'S', NULL, 0, "Add a SHARED column: pages mapped more than once", 0 },
	{ "output", 'o', "COLUMNS", 0, "The table's columns, comma-separated, or all", 0 },
	{},
};

static struct {
	int pid;
	unsigned long long start, end;
	bool has_start, has_end, sharing;
	/* The table's columns: -o's, else the default ones. */
	struct out_col cols[OUT_COLS_MAX];
	int ncols;
} ptdump_args;

static int ptdump_choose(void *table, const char *list, char *bad, size_t len);

#define PTDUMP_DEFAULT	"start,end,size,level,tlb,flags,phys"

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
	case 'S':
		ptdump_args.sharing = true;
		return 0;
	case 'o':
		parse_columns_arg(state, arg, ptdump_choose, NULL);
		return 0;
	case ARGP_KEY_END:
		if (!ptdump_args.ncols)
			ptdump_choose(NULL, ptdump_args.sharing ? PTDUMP_DEFAULT ",shared" :
				      PTDUMP_DEFAULT, bad, sizeof(bad));
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

/* Its pages mapped more than once (true), once (false), or unknown (null). */
static void ptdump_json_shared(struct out_json *j, const struct vmatlas_run *run)
{
	unsigned int sharing = vmatlas_run_sharing(run);

	if (sharing)
		out_json_bool(j, "shared", sharing == VMATLAS_RUN_SHARED);
	else
		out_json_null(j, "shared");
}

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
		if (ptdump_list.flags & VMATLAS_PTDUMP_SHARING)
			ptdump_json_shared(&j, run);
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

/* "yes" for pages mapped more than once, "no" for once, "-" when unknown. */
static const char *ptdump_cell_shared(const void *rows, size_t i, size_t arg, char *buf)
{
	switch (vmatlas_run_sharing(ptdump_run_at(rows, i))) {
	case VMATLAS_RUN_SHARED:
		return "yes";
	case VMATLAS_RUN_PRIVATE:
		return "no";
	default:
		return "-";
	}
}

static const struct out_col ptdump_columns[] = {
	{ "START", OUT_RIGHT, ptdump_cell_hex, offsetof(struct vmatlas_run, start) },
	{ "END", OUT_RIGHT, ptdump_cell_hex, offsetof(struct vmatlas_run, end) },
	{ "SIZE", OUT_RIGHT, ptdump_cell_size },
	{ "LEVEL", OUT_LEFT, ptdump_cell_level, 0, ptdump_color_level },
	{ "TLB", OUT_RIGHT, ptdump_cell_tlb },
	{ "FLAGS", OUT_LEFT, ptdump_cell_flags },
	{ "PHYS", OUT_LEFT, ptdump_cell_phys },
	{ "SHARED", OUT_LEFT, ptdump_cell_shared },
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

/* --sharing, or a SHARED column -o named: ask the module who maps each page. */
static bool ptdump_wants_sharing(void)
{
	int i;

	for (i = 0; i < ptdump_args.ncols; i++)
		if (ptdump_args.cols[i].cell == ptdump_cell_shared)
			return true;
	return ptdump_args.sharing;
}

static int ptdump_gather(int fd)
{
	unsigned long long start = 0, end = 0;
	int err;

	err = ptdump_range(fd, &start, &end);
	if (err)
		return err;
	if (ptdump_wants_sharing())
		ptdump_list.flags |= VMATLAS_PTDUMP_SHARING;
	progress_begin(&ptdump_progress, "ptdump", "runs", start, end);
	ptdump_list.progress = ptdump_progressed;
	err = vmatlas_read_runs(fd, ptdump_args.pid, start, end, &ptdump_list);
	progress_end(&ptdump_progress);
	/* A module before VMATLAS_PTDUMP_SHARING refuses the flag. */
	if (err == -EINVAL && (ptdump_list.flags & VMATLAS_PTDUMP_SHARING))
		return vmatlas_error("--sharing: this vmatlas module cannot tell, a newer one can");
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
