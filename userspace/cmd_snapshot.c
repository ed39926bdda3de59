// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas snapshot: save a process's address space (its VMAs, their
 * residency, and what every page is mapped to) as JSON, for vmatlas diff.
 */
#include <argp.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "output.h"
#include "parse.h"
#include "snapshot.h"

static const char snapshot_doc[] =
"Save a process's address space: its VMAs, what their pages are mapped to\n"
"(runs of pages in one state: present, with their frames, or swapped out,\n"
"with their swap slots) and the counts maps shows, as one JSON document.\n"
"\n"
"USAGE: vmatlas snapshot [-o FILE] PID\n"
"\n"
"Compare two with 'vmatlas diff A B'. Frames and swap slots need\n"
"CAP_SYS_ADMIN; without it they are null, and diff compares states only.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas snapshot -o before.json 1234\n"
"    vmatlas snapshot 1234 | jq '.runs | length'\n";

static const struct argp_option snapshot_options[] = {
	{ "output", 'o', "FILE", 0, "Write to FILE (whole, or not at all), not stdout", 0 },
	{},
};

static struct {
	int pid;
	const char *file;
} snapshot_args;

static struct snapshot snapshot_taken;

static error_t snapshot_parse(int key, char *arg, struct argp_state *state)
{
	if (key == 'o') {
		snapshot_args.file = arg;
		return 0;
	}
	return parse_pid_key(key, arg, state, &snapshot_args.pid);
}

static const struct argp snapshot_argp = {
	.options = snapshot_options,
	.parser = snapshot_parse,
	.args_doc = "PID",
	.doc = snapshot_doc,
	.children = vmatlas_common_children,
};

static void snapshot_write_taken(FILE *out, const void *priv)
{
	snapshot_write(out, priv);
}

static int snapshot_gather(int fd)
{
	int err = snapshot_take(fd, snapshot_args.pid, &snapshot_taken);

	if (err)
		return vmatlas_error("%s", snapshot_strerror(err, snapshot_args.pid));
	return snapshot_args.file ?
	       vmatlas_save(snapshot_args.file, snapshot_write_taken, &snapshot_taken) : 0;
}

static void snapshot_print(FILE *out)
{
	if (!snapshot_args.file)
		snapshot_write(out, &snapshot_taken);
}

static int snapshot_run(int argc, char **argv)
{
	int ret = vmatlas_parse_and_write(&snapshot_argp, argc, argv, snapshot_gather,
					  snapshot_print);

	snapshot_free(&snapshot_taken);
	return ret;
}

const struct vmatlas_cmd vmatlas_cmd_snapshot = {
	.name = "snapshot",
	.summary = "save a process's address space as JSON, for diff",
	.run = snapshot_run,
};
