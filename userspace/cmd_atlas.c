// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas atlas: draw an address space, user VMAs and kernel regions, with
 * what their pages are and where a trace's faults fell, as SVG or as an
 * HTML page to explore.
 */
#include <argp.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "atlas.h"
#include "cli.h"
#include "libvmatlas.h"
#include "output.h"
#include "parse.h"
#include "snapshot.h"

static const char atlas_doc[] =
"Draw a process's address space: its VMAs on a readable scale (gaps\n"
"compressed and labelled), coloured by kind, each with a residency strip\n"
"(present, huge, swapped), and the kernel's regions above them.\n"
"\n"
"USAGE: vmatlas atlas [--html] [-o FILE] [-f TRACE] [-r ROWS] PID\n"
"       vmatlas atlas [--html] [-o FILE] [-f TRACE] [-r ROWS] -s SNAPSHOT\n"
"\n"
"SVG by default; --html writes a page with zoom, where the mouse over a row\n"
"shows the walk of an address under it, level by level; --json writes the\n"
"data drawn. TRACE is the output of 'vmatlas faults --events --json':\n"
"its faults are drawn over the rows. Past ROWS VMAs (default 200),\n"
"neighbours share rows. The kernel's regions need what 'vmatlas layout'\n"
"needs; without it they are left out, and the picture says why.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas atlas -o firefox.svg $(pidof -s firefox)\n"
"    vmatlas atlas --html -o a.html 1234   # then open a.html in a browser\n"
"    vmatlas faults --events --json -d 5 -p 1234 > t.json\n"
"    vmatlas atlas -f t.json -o faults.svg 1234\n"
"    vmatlas atlas -s before.json -o before.svg   # a saved snapshot\n";

#define OPT_HTML	0x100
#define OPT_NO_KERNEL	0x101

static const struct argp_option atlas_options[] = {
	{ "output", 'o', "FILE", 0, "Write to FILE (whole, or not at all), not stdout", 0 },
	{ "html", OPT_HTML, NULL, 0, "An HTML page to explore, not an SVG picture", 0 },
	{ "snapshot", 's', "FILE", 0, "Draw a snapshot saved by 'vmatlas snapshot'", 0 },
	{ "faults", 'f', "TRACE", 0, "Draw the faults of a 'vmatlas faults --events --json'", 0 },
	{ "rows", 'r', "N", 0, "VMAs beyond N share rows (default 200, at least 16)", 0 },
	{ "no-kernel", OPT_NO_KERNEL, NULL, 0, "Leave the kernel's regions out", 0 },
	{},
};

static struct {
	int pid;
	const char *file, *snapshot, *faults;
	bool html, no_kernel;
	unsigned long long rows;
} atlas_args = { .rows = ATLAS_ROWS };

static struct snapshot atlas_snap;
static struct atlas atlas;

static error_t atlas_parse(int key, char *arg, struct argp_state *state)
{
	char *end;

	switch (key) {
	case 'o':
		atlas_args.file = arg;
		return 0;
	case OPT_HTML:
		atlas_args.html = true;
		return 0;
	case 's':
		atlas_args.snapshot = arg;
		return 0;
	case 'f':
		atlas_args.faults = arg;
		return 0;
	case 'r':
		atlas_args.rows = strtoull(arg, &end, 10);
		if (!isdigit((unsigned char)*arg) || *end || atlas_args.rows < 16 ||
		    atlas_args.rows > 100000)
			parse_error(state, "invalid ROWS '%s': from 16 to 100000", arg);
		return 0;
	case OPT_NO_KERNEL:
		atlas_args.no_kernel = true;
		return 0;
	case ARGP_KEY_ARG:
		if (atlas_args.snapshot)
			parse_error(state, "a PID or -s SNAPSHOT, not both");
		return parse_pid_key(key, arg, state, &atlas_args.pid);
	case ARGP_KEY_END:
		if (atlas_args.html && out_opts.json)
			parse_error(state, "--html or --json, not both");
		return 0;
	case ARGP_KEY_NO_ARGS:
		if (atlas_args.snapshot)
			return 0;
		return parse_pid_key(key, arg, state, &atlas_args.pid);
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp atlas_argp = {
	.options = atlas_options,
	.parser = atlas_parse,
	.args_doc = "PID",
	.doc = atlas_doc,
	.children = vmatlas_common_children,
};

/* The live half: the snapshot, the kernel's regions, the walks. */
static int atlas_take(void)
{
	struct vmatlas_layout layout;
	int fd = vmatlas_open(), err;

	if (fd < 0)
		return vmatlas_error("%s", vmatlas_strerror());
	err = snapshot_take(fd, atlas_args.pid, &atlas_snap);
	if (err) {
		vmatlas_close(fd);
		return vmatlas_error("%s", snapshot_strerror(err, atlas_args.pid));
	}
	err = atlas_build(&atlas, &atlas_snap, atlas_args.rows);
	if (!err && !atlas_args.no_kernel) {
		if (vmatlas_layout(fd, &layout))
			snprintf(atlas.kernel_note, sizeof(atlas.kernel_note), "not drawn: %s",
				 vmatlas_strerror());
		else
			err = atlas_add_kernel(&atlas, &layout);
	}
	if (!err)
		err = atlas_add_walks(&atlas, fd);
	vmatlas_close(fd);
	if (err == -ENOMEM)
		return vmatlas_error("%s", strerror(ENOMEM));
	return err ? vmatlas_error("%s", vmatlas_strerror()) : 0;
}

static int atlas_read(void)
{
	char why[256];
	int err;

	if (snapshot_read(atlas_args.snapshot, &atlas_snap, why, sizeof(why)))
		return vmatlas_error("%s: %s", atlas_args.snapshot, why);
	err = atlas_build(&atlas, &atlas_snap, atlas_args.rows);
	if (err)
		return vmatlas_error("%s", strerror(-err));
	snprintf(atlas.kernel_note, sizeof(atlas.kernel_note),
		 "not drawn: a snapshot has no kernel regions");
	return 0;
}

static int atlas_trace(void)
{
	struct json_object *trace = json_object_from_file(atlas_args.faults);
	char why[128] = "";
	int err;

	if (!trace)
		return vmatlas_error("%s: not a JSON document: %s", atlas_args.faults,
				     json_util_get_last_err() ? json_util_get_last_err() : "");
	err = atlas_add_faults(&atlas, trace, why, sizeof(why));
	json_object_put(trace);
	if (err == -EINVAL)
		return vmatlas_error("%s: %s", atlas_args.faults, why);
	return err ? vmatlas_error("%s", strerror(-err)) : 0;
}

static void atlas_write(FILE *out, const void *priv)
{
	const int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			  JSON_C_TO_STRING_NOSLASHESCAPE;
	const struct atlas *a = priv;
	struct json_object *doc;

	if (out_opts.json) {
		doc = atlas_to_json(a);
		fprintf(out, "%s\n", json_object_to_json_string_ext(doc, flags));
		json_object_put(doc);
	} else if (atlas_args.html) {
		atlas_write_html(out, a);
	} else {
		atlas_write_svg(out, a);
	}
}

static int atlas_run(int argc, char **argv)
{
	int ret;

	if (parse_args(&atlas_argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	ret = atlas_args.snapshot ? atlas_read() : atlas_take();
	if (!ret && atlas_args.faults)
		ret = atlas_trace();
	if (!ret && atlas_args.file) {
		ret = vmatlas_save(atlas_args.file, atlas_write, &atlas);
	} else if (!ret) {
		atlas_write(stdout, &atlas);
		ret = out_flush();
	}
	atlas_free(&atlas);
	snapshot_free(&atlas_snap);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_atlas = {
	.name = "atlas",
	.summary = "draw an address space: SVG, or an HTML page to explore",
	.run = atlas_run,
};
