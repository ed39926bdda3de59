// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas maps: every VMA of a process, as /proc/PID/maps shows it, with what
 * its page tables map.
 */
#include <argp.h>
#include <stddef.h>
#include <stdio.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "progress.h"
#include "parse.h"

static const char maps_doc[] =
"Show every VMA of a process and what its page tables map.\n"
"\n"
"USAGE: vmatlas maps [--flags] [-o COLUMNS] [--json] PID\n"
"\n"
"The table's columns, by default START SIZE PERMS PRESENT SWAP KIND PATH:\n"
"START END SIZE PERMS OFFSET DEV INODE KIND, the VMA as /proc/PID/maps has\n"
"it; PRESENT SWAP ANON FILE THP HUGETLB DIRTY YOUNG SHARED COW ZERO, its pages\n"
"(counts of base pages); FLAGS, its VM_* flags; PATH. SIZE is the VMA's size.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas maps 1234          # the VMAs of process 1234 and their pages\n"
"    vmatlas maps -f 1234       # also the VM_* flags of each VMA\n"
"    vmatlas maps -o all 1234   # every column\n"
"    vmatlas maps -o start,end,dirty,path 1234\n"
"    vmatlas maps --json 1234   # the same as a JSON document\n";

static const struct argp_option maps_options[] = {
	{ "flags", 'f', NULL, 0, "Add a FLAGS column: the VM_* flags of each VMA", 0 },
	{ "output", 'o', "COLUMNS", 0, "The table's columns, comma-separated, or all", 0 },
	{},
};

static struct {
	int pid;
	bool flags;
	/* The table's columns: -o's, else the default ones, chosen as options are read. */
	struct out_col cols[OUT_COLS_MAX];
	int ncols;
} maps_args;

/* The VMAs, gathered before anything is printed. */
static struct vmatlas_vma_list maps_list;

/* The __u64 member at @offset of VMA @i. */
static unsigned long long maps_field(const struct vmatlas_vma_list *list, size_t i,
				     size_t offset)
{
	return *(const __u64 *)((const char *)&list->vmas[i] + offset);
}

/* Table cells of VMA @i; @arg is the offset of a __u64 in struct vmatlas_vma. */
static const char *maps_cell_hex(const void *rows, size_t i, size_t arg, char *buf)
{
	return out_cell_hex(buf, maps_field(rows, i, arg));
}

static const char *maps_cell_u64(const void *rows, size_t i, size_t arg, char *buf)
{
	return out_cell_u64(buf, maps_field(rows, i, arg));
}

static const char *maps_cell_perms(const void *rows, size_t i, size_t arg, char *buf)
{
	names_perms(maps_field(rows, i, arg), buf);
	return buf;
}

static const char *maps_cell_dev(const void *rows, size_t i, size_t arg, char *buf)
{
	const struct vmatlas_vma *vma = &((const struct vmatlas_vma_list *)rows)->vmas[i];

	snprintf(buf, OUT_CELL_MAX, "%02x:%02x", vma->dev_major, vma->dev_minor);
	return buf;
}

static const char *maps_cell_kind(const void *rows, size_t i, size_t arg, char *buf)
{
	return names_kind(((const struct vmatlas_vma_list *)rows)->vmas[i].kind);
}

static const char *maps_color_kind(const void *rows, size_t i, size_t arg)
{
	return names_kind_color(((const struct vmatlas_vma_list *)rows)->vmas[i].kind);
}

/* "read,write,mayread": the VM_* names, short and lowercase. */
static const char *maps_cell_flags(const void *rows, size_t i, size_t arg, char *buf)
{
	return names_join_bits(buf, OUT_CELL_MAX, &names_vm, maps_field(rows, i, arg));
}

static const char *maps_cell_path(const void *rows, size_t i, size_t arg, char *buf)
{
	const char *name = vmatlas_vma_name(rows, i);

	return name ? name : "";
}

static const char *maps_cell_size(const void *rows, size_t i, size_t arg, char *buf)
{
	const struct vmatlas_vma *vma = &((const struct vmatlas_vma_list *)rows)->vmas[i];

	return out_cell_size(buf, vma->end - vma->start);
}

#define MAPS_VMA(member)	offsetof(struct vmatlas_vma, member)
#define MAPS_PAGES(member)	offsetof(struct vmatlas_vma, res.member)

static const struct out_col maps_columns[] = {
	{ "START", OUT_RIGHT, maps_cell_hex, MAPS_VMA(start) },
	{ "END", OUT_RIGHT, maps_cell_hex, MAPS_VMA(end) },
	{ "SIZE", OUT_RIGHT, maps_cell_size },
	{ "PERMS", OUT_LEFT, maps_cell_perms, MAPS_VMA(vm_flags) },
	{ "OFFSET", OUT_RIGHT, maps_cell_hex, MAPS_VMA(pgoff) },
	{ "DEV", OUT_LEFT, maps_cell_dev },
	{ "INODE", OUT_RIGHT, maps_cell_u64, MAPS_VMA(inode) },
	{ "KIND", OUT_LEFT, maps_cell_kind, 0, maps_color_kind },
	{ "PRESENT", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(present) },
	{ "SWAP", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(swap) },
	{ "ANON", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(anon) },
	{ "FILE", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(file) },
	{ "THP", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(thp) },
	{ "HUGETLB", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(hugetlb) },
	{ "DIRTY", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(dirty) },
	{ "YOUNG", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(young) },
	{ "SHARED", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(shared) },
	{ "COW", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(cow) },
	{ "ZERO", OUT_RIGHT, maps_cell_u64, MAPS_PAGES(zero) },
	{ "FLAGS", OUT_LEFT, maps_cell_flags, MAPS_VMA(vm_flags) },
	{ "PATH", OUT_LEFT, maps_cell_path },
};

/*
 * By default, what fits in 100 columns beside most paths, as pmap(1) shows:
 * where each VMA starts, how big it is, what it may do, what of it is in
 * memory or swap. --flags adds FLAGS before PATH.
 */
#define MAPS_DEFAULT		"start,size,perms,present,swap,kind,path"
#define MAPS_DEFAULT_FLAGS	"start,size,perms,present,swap,kind,flags,path"

/* Choose the table's columns from @list; -1 with the unknown name in @bad. */
static int maps_choose(void *table, const char *list, char *bad, size_t len)
{
	maps_args.ncols = out_choose_cols(maps_columns, ARRAY_SIZE(maps_columns), list,
					  maps_args.cols, bad, len);
	return maps_args.ncols;
}

static error_t maps_parse(int key, char *arg, struct argp_state *state)
{
	char bad[32];

	switch (key) {
	case 'f':
		maps_args.flags = true;
		return 0;
	case 'o':
		parse_columns_arg(state, arg, maps_choose, NULL);
		return 0;
	case ARGP_KEY_END:
		if (!maps_args.ncols)
			maps_choose(NULL, maps_args.flags ? MAPS_DEFAULT_FLAGS : MAPS_DEFAULT, bad,
				    sizeof(bad));
		return 0;
	default:
		return parse_pid_key(key, arg, state, &maps_args.pid);
	}
}

static const struct argp maps_argp = {
	.options = maps_options,
	.parser = maps_parse,
	.args_doc = "PID",
	.doc = maps_doc,
	.children = vmatlas_common_children,
};

static void maps_write_vma(struct out_json *j, size_t i)
{
	const char *name = vmatlas_vma_name(&maps_list, i);

	names_json_vma(j, &maps_list.vmas[i], name ? name : "");
}

static void maps_write_json(FILE *out)
{
	struct out_json j;
	size_t i;

	out_json_begin(&j, out);
	out_json_s64(&j, "pid", maps_args.pid);
	out_json_array(&j, "vmas");
	for (i = 0; i < maps_list.count; i++)
		maps_write_vma(&j, i);
	out_json_close(&j);
	out_json_end(&j);
}

static void maps_write_table(FILE *out)
{
	unsigned long long present = 0, swap = 0, anon = 0, file = 0;
	size_t i;

	out_write_table(out, maps_args.cols, maps_args.ncols, &maps_list, maps_list.count);

	for (i = 0; i < maps_list.count; i++) {
		present += maps_list.vmas[i].res.present;
		swap += maps_list.vmas[i].res.swap;
		anon += maps_list.vmas[i].res.anon;
		file += maps_list.vmas[i].res.file;
	}
	fprintf(out, "total: %zu VMAs, present %llu, swap %llu, anon %llu, file %llu pages\n",
		maps_list.count, present, swap, anon, file);
}

static void maps_write(FILE *out)
{
	if (out_opts.json)
		maps_write_json(out);
	else
		maps_write_table(out);
}

static struct progress maps_progress;

static void maps_progressed(unsigned long long at, size_t count, void *priv)
{
	progress_at(&maps_progress, at, count);
}

/* Residency is counted by walking every VMA's tables: long for a big process. */
static int maps_gather(int fd)
{
	int err;

	progress_begin(&maps_progress, "maps", "VMAs", 0, 0);
	maps_list.progress = maps_progressed;
	err = vmatlas_read_vmas(fd, maps_args.pid, true, &maps_list);
	progress_end(&maps_progress);
	return err;
}

static int maps_run(int argc, char **argv)
{
	int ret = vmatlas_parse_and_write(&maps_argp, argc, argv, maps_gather, maps_write);

	vmatlas_vma_list_free(&maps_list);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_maps = {
	.name = "maps",
	.summary = "every VMA of a process and what its page tables map",
	.run = maps_run,
};
