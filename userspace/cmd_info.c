// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas info: what the loaded module and the running kernel are.
 */
#include <argp.h>
#include <stdio.h>

#include "cli.h"
#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "parse.h"

static const char info_doc[] =
"Show the vmatlas module and the kernel it runs on.\n"
"\n"
"USAGE: vmatlas info [--json]\n"
"\n"
"EXAMPLES:\n"
"    vmatlas info          # ABI and module version, page size, paging levels\n"
"    vmatlas info --json   # the same as a JSON document\n";

static const struct argp info_argp = {
	.parser = parse_no_args,
	.doc = info_doc,
	.children = vmatlas_common_children,
};

static struct json_object *info_to_json(const struct vmatlas_info *info)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "abi_version", json_object_new_int64(info->abi_version));
	json_object_object_add(doc, "module_version",
			       json_object_new_string((const char *)info->module_version));
	json_object_object_add(doc, "arch", json_object_new_string((const char *)info->arch));
	json_object_object_add(doc, "kernel", json_object_new_string((const char *)info->release));
	json_object_object_add(doc, "page_size", json_object_new_int64(info->page_size));
	json_object_object_add(doc, "levels", json_object_new_int64(info->levels));
	json_object_object_add(doc, "features", names_bits_to_json(&names_feat, info->features));
	return doc;
}

static int info_run(int argc, char **argv)
{
	struct vmatlas_info info;
	int fd, err;

	err = parse_args(&info_argp, argc, argv, 0);
	if (err)
		return VMATLAS_EXIT_USAGE;

	fd = vmatlas_open();
	if (fd < 0)
		return vmatlas_error("%s", vmatlas_strerror());
	err = vmatlas_get_info(fd, &info);
	vmatlas_close(fd);
	if (err)
		return vmatlas_error("%s", vmatlas_strerror());

	return out_emit_object(info_to_json(&info));
}

const struct vmatlas_cmd vmatlas_cmd_info = {
	.name = "info",
	.summary = "the module and the kernel: ABI, page size, paging levels",
	.run = info_run,
};
