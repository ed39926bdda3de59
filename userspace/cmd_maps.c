// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas maps: every VMA of a process, as /proc/PID/maps shows it, with what
 * its page tables map.
 */
#include <argp.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char maps_doc[] =
"Show every VMA of a process and what its page tables map.\n"
"\n"
"USAGE: vmatlas maps [--flags] [--json] PID\n"
"\n"
"EXAMPLES:\n"
"    vmatlas maps 1234          # the VMAs of process 1234 and their pages\n"
"    vmatlas maps -f 1234       # also the VM_* flags of each VMA\n"
"    vmatlas maps --json 1234   # the same as a JSON document\n";

static const struct argp_option maps_options[] = {
	{ "flags", 'f', NULL, 0, "Add a FLAGS column: the VM_* flags of each VMA", 0 },
	{},
};

static struct {
	int pid;
	bool flags;
} maps_args;

static error_t maps_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'f':
		maps_args.flags = true;
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

/* struct vmatlas_residency, member by member, as "pages" in the document. */
static const struct {
	const char *key;
	size_t offset;
} maps_pages[] = {
	{ "present", offsetof(struct vmatlas_residency, present) },
	{ "swap", offsetof(struct vmatlas_residency, swap) },
	{ "anon", offsetof(struct vmatlas_residency, anon) },
	{ "file", offsetof(struct vmatlas_residency, file) },
	{ "thp", offsetof(struct vmatlas_residency, thp) },
	{ "hugetlb", offsetof(struct vmatlas_residency, hugetlb) },
	{ "dirty", offsetof(struct vmatlas_residency, dirty) },
	{ "young", offsetof(struct vmatlas_residency, young) },
	{ "shared", offsetof(struct vmatlas_residency, shared) },
	{ "cow", offsetof(struct vmatlas_residency, cow) },
	{ "zero", offsetof(struct vmatlas_residency, zero) },
	{ "soft_dirty", offsetof(struct vmatlas_residency, soft_dirty) },
};

static struct json_object *maps_pages_to_json(const struct vmatlas_residency *res)
{
	struct json_object *pages = json_object_new_object();
	size_t i;

	for (i = 0; i < ARRAY_SIZE(maps_pages); i++) {
		const __u64 *count = (const void *)((const char *)res + maps_pages[i].offset);

		json_object_object_add(pages, maps_pages[i].key, json_object_new_uint64(*count));
	}
	return pages;
}

static int maps_add_vma(const struct vmatlas_vma *vma, const char *name, void *priv)
{
	struct json_object *obj = json_object_new_object();
	char perms[5], dev[24];

	names_perms(vma->vm_flags, perms);
	snprintf(dev, sizeof(dev), "%02x:%02x", vma->dev_major, vma->dev_minor);
	json_object_object_add(obj, "start", out_hex(vma->start));
	json_object_object_add(obj, "end", out_hex(vma->end));
	json_object_object_add(obj, "perms", json_object_new_string(perms));
	json_object_object_add(obj, "offset", out_hex(vma->pgoff));
	json_object_object_add(obj, "dev", json_object_new_string(dev));
	json_object_object_add(obj, "inode", json_object_new_uint64(vma->inode));
	json_object_object_add(obj, "path", json_object_new_string(name ? name : ""));
	json_object_object_add(obj, "kind", json_object_new_string(names_kind(vma->kind)));
	json_object_object_add(obj, "flags", names_bits_to_json(&names_vm, vma->vm_flags));
	json_object_object_add(obj, "pages", maps_pages_to_json(&vma->res));
	json_object_array_add(priv, obj);
	return 0;
}

/* "read,write,mayread": the VM_* names, short and lowercase, for the table. */
static void maps_print_flags(FILE *out, struct json_object *flags)
{
	size_t i, n = json_object_array_length(flags);
	const char *name;

	for (i = 0; i < n; i++) {
		name = json_object_get_string(json_object_array_get_idx(flags, i));
		if (!strncmp(name, "VM_", 3))
			name += 3;
		if (i)
			fputc(',', out);
		while (*name)
			fputc(tolower((unsigned char)*name++), out);
	}
	if (!n)
		fputc('-', out);
}

static const struct out_column maps_columns[] = {
	{ "START", "start", OUT_RIGHT },
	{ "END", "end", OUT_RIGHT },
	{ "PERMS", "perms", OUT_LEFT },
	{ "OFFSET", "offset", OUT_RIGHT },
	{ "DEV", "dev", OUT_LEFT },
	{ "INODE", "inode", OUT_RIGHT },
	{ "KIND", "kind", OUT_LEFT },
	{ "PRESENT", "pages.present", OUT_RIGHT },
	{ "SWAP", "pages.swap", OUT_RIGHT },
	{ "ANON", "pages.anon", OUT_RIGHT },
	{ "FILE", "pages.file", OUT_RIGHT },
	{ "THP", "pages.thp", OUT_RIGHT },
	{ "HUGETLB", "pages.hugetlb", OUT_RIGHT },
	{ "DIRTY", "pages.dirty", OUT_RIGHT },
	{ "YOUNG", "pages.young", OUT_RIGHT },
	{ "SHARED", "pages.shared", OUT_RIGHT },
	{ "COW", "pages.cow", OUT_RIGHT },
	{ "ZERO", "pages.zero", OUT_RIGHT },
	{ "FLAGS", "flags", OUT_LEFT, maps_print_flags },	/* with --flags only */
	{ "PATH", "path", OUT_LEFT },
};

static int maps_print(FILE *out, struct json_object *doc)
{
	struct json_object *vmas = out_get(doc, "vmas");
	size_t i, ncols = 0, nvmas = json_object_array_length(vmas);
	struct out_column cols[ARRAY_SIZE(maps_columns)];
	unsigned long long present = 0, swap = 0, anon = 0, file = 0;
	struct json_object *vma;
	int ret;

	for (i = 0; i < ARRAY_SIZE(maps_columns); i++)
		if (maps_args.flags || maps_columns[i].format != maps_print_flags)
			cols[ncols++] = maps_columns[i];
	ret = out_print_table(out, vmas, cols, ncols);
	if (ret)
		return ret;

	for (i = 0; i < nvmas; i++) {
		vma = json_object_array_get_idx(vmas, i);
		present += out_get_u64(vma, "pages.present");
		swap += out_get_u64(vma, "pages.swap");
		anon += out_get_u64(vma, "pages.anon");
		file += out_get_u64(vma, "pages.file");
	}
	fprintf(out, "total: %zu VMAs, present %llu, swap %llu, anon %llu, file %llu pages\n",
		nvmas, present, swap, anon, file);
	return 0;
}

static int maps_gather(int fd, struct json_object *doc)
{
	struct json_object *vmas = json_object_new_array();

	json_object_object_add(doc, "pid", json_object_new_int(maps_args.pid));
	json_object_object_add(doc, "vmas", vmas);
	return vmatlas_list_vmas(fd, maps_args.pid, true, maps_add_vma, vmas);
}

static int maps_run(int argc, char **argv)
{
	return vmatlas_parse_and_emit(&maps_argp, argc, argv, maps_gather, maps_print);
}

const struct vmatlas_cmd vmatlas_cmd_maps = {
	.name = "maps",
	.summary = "every VMA of a process and what its page tables map",
	.run = maps_run,
};
