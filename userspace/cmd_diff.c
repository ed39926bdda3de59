// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas diff: what changed between two snapshots of an address space.
 * As diff(1), the exit status says whether anything did.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "parse.h"
#include "snapdiff.h"

static const char diff_doc[] =
"Show what changed between two snapshots of an address space (vmatlas\n"
"snapshot): VMAs added, removed, grown, shrunk, split, merged, moved or\n"
"given other permissions; pages that became present, were unmapped,\n"
"swapped out or in, mapped by a huge leaf or split from one, or moved to\n"
"another frame; VMAs whose count of shared pages changed.\n"
"\n"
"USAGE: vmatlas diff [--json] A B\n"
"\n"
"Exit status, as diff(1): 0 nothing changed, 1 something did, 2 trouble.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas snapshot -o a.json 1234; sleep 10; vmatlas snapshot -o b.json 1234\n"
"    vmatlas diff a.json b.json\n";

/* The exit statuses, as diff(1)'s. */
#define DIFF_SAME	0
#define DIFF_CHANGED	1
#define DIFF_TROUBLE	2

static struct {
	const char *file[2];
} diff_args;

static error_t diff_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case ARGP_KEY_ARG:
		if (state->arg_num >= 2)
			parse_error(state, "two snapshots, not more: '%s'", arg);
		diff_args.file[state->arg_num] = arg;
		return 0;
	case ARGP_KEY_END:
		if (state->arg_num < 2)
			parse_error(state, "two snapshots to compare, A and B");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp diff_argp = {
	.parser = diff_parse,
	.args_doc = "A B",
	.doc = diff_doc,
	.children = vmatlas_common_children,
};

static int diff_run(int argc, char **argv)
{
	struct snapshot s[2] = {};
	struct snapdiff d = {};
	char err[256];
	int ret = DIFF_TROUBLE, k;

	if (parse_args(&diff_argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	for (k = 0; k < 2; k++)
		if (snapshot_read(diff_args.file[k], &s[k], err, sizeof(err))) {
			vmatlas_error("%s: %s", diff_args.file[k], err);
			goto out;
		}
	switch (snapdiff(&s[0], &s[1], &d)) {
	case 0:
		break;
	case -EINVAL:
		vmatlas_error("%s and %s: pages of %llu and %llu bytes: not the same kernel",
			      diff_args.file[0], diff_args.file[1], s[0].page_size, s[1].page_size);
		goto out;
	default:
		vmatlas_error("%s", strerror(ENOMEM));
		goto out;
	}
	if (out_opts.json)
		snapdiff_write_json(stdout, diff_args.file, s, &d);
	else
		snapdiff_write_text(stdout, diff_args.file, s, &d);
	ret = out_flush() ? DIFF_TROUBLE : snapdiff_empty(&d) ? DIFF_SAME : DIFF_CHANGED;
out:
	snapdiff_free(&d);
	snapshot_free(&s[0]);
	snapshot_free(&s[1]);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_diff = {
	.name = "diff",
	.summary = "what changed between two snapshots (exit status as diff's)",
	.run = diff_run,
};
