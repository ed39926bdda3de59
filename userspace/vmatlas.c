// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas: see virtual memory on a live Linux kernel.
 *
 * main() picks the subcommand; each subcommand parses its own arguments with
 * argp and shares --json and --verbose through vmatlas_common_argp.
 */
#include <argp.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "cli.h"
#include "libvmatlas.h"
#include "output.h"
#include "parse.h"

#ifndef VMATLAS_VERSION
#define VMATLAS_VERSION "unknown"
#endif

const char *argp_program_version = "vmatlas " VMATLAS_VERSION;
const char *argp_program_bug_address = "<vmatlas developers>";

struct vmatlas_opts vmatlas_opts;

/* --color's key: it has no short option. */
#define OPT_COLOR	0x100

static const struct argp_option common_options[] = {
	{ "json", 'j', NULL, 0, "Print a JSON document instead of a table", 0 },
	{ "color", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL,
	  "Colour tables: auto (on a terminal, the default), always or never", 0 },
	{ "colour", OPT_COLOR, "WHEN", OPTION_ARG_OPTIONAL | OPTION_ALIAS, NULL, 0 },
	{ "verbose", 'v', NULL, 0, "Verbose debug output", 0 },
	/* -h as most tools take it, beside argp's own --help and -?. */
	{ NULL, 'h', NULL, OPTION_HIDDEN, NULL, 0 },
	{},
};

/*
 * --color=auto: colour when stdout is a terminal that is not "dumb", unless
 * NO_COLOR is set (https://no-color.org).
 */
static bool vmatlas_color_auto(void)
{
	const char *term = getenv("TERM");
	const char *no_color = getenv("NO_COLOR");

	return isatty(STDOUT_FILENO) && !(no_color && *no_color) &&
	       !(term && !strcmp(term, "dumb"));
}

static error_t common_parse(int key, char *arg, struct argp_state *state)
{
	switch (key) {
	case 'j':
		out_opts.json = true;
		return 0;
	case OPT_COLOR:
		/* A bare --color is --color=always, as ls(1) takes it. */
		if (!arg || !strcmp(arg, "always") || !strcmp(arg, "yes") || !strcmp(arg, "force"))
			out_opts.color = true;
		else if (!strcmp(arg, "never") || !strcmp(arg, "no") || !strcmp(arg, "none"))
			out_opts.color = false;
		else if (!strcmp(arg, "auto") || !strcmp(arg, "tty") || !strcmp(arg, "if-tty"))
			out_opts.color = vmatlas_color_auto();
		else
			parse_error(state, "invalid --color '%s': auto, always or never", arg);
		return 0;
	case 'v':
		vmatlas_opts.verbose = true;
		return 0;
	case 'h':
		argp_state_help(state, stdout, ARGP_HELP_STD_HELP);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

const struct argp vmatlas_common_argp = {
	.options = common_options,
	.parser = common_parse,
};

const struct argp_child vmatlas_common_children[] = {
	{ &vmatlas_common_argp, 0, NULL, 0 },
	{},
};

static const struct vmatlas_cmd *const vmatlas_cmds[] = {
	&vmatlas_cmd_info,
	&vmatlas_cmd_maps,
	&vmatlas_cmd_walk,
	&vmatlas_cmd_ptdump,
	&vmatlas_cmd_layout,
	&vmatlas_cmd_kaddr,
	&vmatlas_cmd_lab,
	&vmatlas_cmd_faults,
	&vmatlas_cmd_snapshot,
	&vmatlas_cmd_diff,
	&vmatlas_cmd_watch,
	&vmatlas_cmd_explain,
	&vmatlas_cmd_atlas,
};

/* The subcommand running, for error messages. */
static const char *vmatlas_cmd_name;

/*
 * One line on stderr: "vmatlas: COMMAND: MESSAGE", or with --json the same
 * as a JSON object, {"command": ..., "error": ...}, for the programs that
 * read the tool's output.
 */
static void vmatlas_report(const char *cmd, const char *msg)
{
	struct json_object *e;

	if (!out_opts.json) {
		fprintf(stderr, "vmatlas: %s%s%s\n", cmd ?: "", cmd ? ": " : "", msg);
		return;
	}
	e = json_object_new_object();
	json_object_object_add(e, "command", cmd ? json_object_new_string(cmd) : NULL);
	json_object_object_add(e, "error", json_object_new_string(msg));
	fprintf(stderr, "%s\n", json_object_to_json_string_ext(e, JSON_C_TO_STRING_SPACED |
								  JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(e);
}

int vmatlas_error(const char *fmt, ...)
{
	char *msg;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	vmatlas_report(vmatlas_cmd_name, n < 0 ? fmt : msg);
	if (n >= 0)
		free(msg);
	return VMATLAS_EXIT_ERROR;
}

static int vmatlas_open_or_say(void)
{
	int fd = vmatlas_open();

	if (fd < 0)
		vmatlas_error("%s", vmatlas_strerror());
	return fd;
}

/*
 * Close @fd after a gather that returned @err. Return: 0, or the exit status
 * after an error message (the gather's own, or vmatlas_strerror()).
 */
static int vmatlas_gathered(int fd, int err)
{
	vmatlas_close(fd);
	if (err < 0)
		return vmatlas_error("%s", vmatlas_strerror());
	return err;
}

int vmatlas_gather_and_emit(int (*gather)(int fd, struct json_object *doc),
			    int (*print_text)(FILE *out, struct json_object *doc))
{
	struct json_object *doc;
	int fd, err;

	fd = vmatlas_open_or_say();
	if (fd < 0)
		return 1;
	doc = json_object_new_object();
	err = vmatlas_gathered(fd, gather(fd, doc));
	if (err) {
		json_object_put(doc);
		return err;
	}
	return out_emit(doc, print_text);
}

int vmatlas_parse_and_emit(const struct argp *argp, int argc, char **argv,
			   int (*gather)(int fd, struct json_object *doc),
			   int (*print_text)(FILE *out, struct json_object *doc))
{
	if (parse_args(argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	return vmatlas_gather_and_emit(gather, print_text);
}

int vmatlas_parse_and_write(const struct argp *argp, int argc, char **argv,
			    int (*gather)(int fd), void (*write_records)(FILE *out))
{
	int fd, err;

	if (parse_args(argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	fd = vmatlas_open_or_say();
	if (fd < 0)
		return 1;
	err = vmatlas_gathered(fd, gather(fd));
	if (err)
		return err;
	/* Megabytes of text to a pipe or file: fewer, bigger writes. */
	if (!isatty(STDOUT_FILENO))
		setvbuf(stdout, NULL, _IOFBF, 64 * 1024);
	write_records(stdout);
	return out_flush();
}

/* FILE.tmp written whole, then renamed over FILE: never half a file. */
int vmatlas_save(const char *file, void (*write)(FILE *out, const void *priv), const void *priv)
{
	size_t len = strlen(file) + 8;
	char *tmp = malloc(len);
	FILE *f;
	int err = 0;

	if (!tmp)
		return vmatlas_error("%s: %s", file, strerror(ENOMEM));
	snprintf(tmp, len, "%s.tmp", file);
	f = fopen(tmp, "w");
	if (!f) {
		err = vmatlas_error("%s: %s", tmp, strerror(errno));
		goto out;
	}
	write(f, priv);
	if (ferror(f) | fclose(f)) {
		err = vmatlas_error("%s: %s", tmp, strerror(errno ? errno : EIO));
		unlink(tmp);
	} else if (rename(tmp, file)) {
		err = vmatlas_error("%s: %s", file, strerror(errno));
		unlink(tmp);
	}
out:
	free(tmp);
	return err;
}

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: vmatlas COMMAND [OPTION...] [ARG...]\n"
		"See virtual memory on a live Linux kernel.\n\n"
		"Commands:\n");
	for (i = 0; i < ARRAY_SIZE(vmatlas_cmds); i++)
		fprintf(out, "  %-10s %s\n", vmatlas_cmds[i]->name, vmatlas_cmds[i]->summary);
	fprintf(out, "\n'vmatlas COMMAND --help' describes a command.\n");
}

int main(int argc, char **argv)
{
	static char name[32];
	size_t i;

	/* argp's own errors (an unknown option, a missing argument) are usage errors. */
	argp_err_exit_status = VMATLAS_EXIT_USAGE;
	parse_report = vmatlas_report;
	out_opts.error = vmatlas_error;
	out_opts.color = vmatlas_color_auto();
	if (argc < 2) {
		usage(stderr);
		return VMATLAS_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		puts(argp_program_version);
		return 0;
	}

	for (i = 0; i < ARRAY_SIZE(vmatlas_cmds); i++) {
		if (strcmp(argv[1], vmatlas_cmds[i]->name))
			continue;
		/* argp names the program after argv[0] in its messages. */
		snprintf(name, sizeof(name), "vmatlas %s", vmatlas_cmds[i]->name);
		argv[1] = name;
		vmatlas_cmd_name = vmatlas_cmds[i]->name;
		return vmatlas_cmds[i]->run(argc - 1, argv + 1);
	}

	vmatlas_error("unknown command '%s'; 'vmatlas --help' lists them", argv[1]);
	return VMATLAS_EXIT_USAGE;
}
