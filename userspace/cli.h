/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every subcommand shares: the options common to all of them and the
 * way a subcommand is registered with main().
 */
#ifndef _VMATLAS_CLI_H
#define _VMATLAS_CLI_H

#include <argp.h>
#include <stdbool.h>
#include <stdio.h>

#include "util.h"

struct json_object;

#define __printf(a, b)	__attribute__((format(gnu_printf, a, b)))

/* The front end's own options; --json and --color are the printer's (out_opts). */
struct vmatlas_opts {
	bool verbose;
};

extern struct vmatlas_opts vmatlas_opts;

/* Add as a child to every subcommand's argp: --json, --color and --verbose. */
extern const struct argp vmatlas_common_argp;

/* The .children of a subcommand's argp: vmatlas_common_argp alone. */
extern const struct argp_child vmatlas_common_children[];

/* In the --help of the commands about kernel addresses: what they need. */
#define VMATLAS_KERNEL_DOC \
"Kernel addresses defeat KASLR: this needs CAP_SYS_ADMIN, kptr_restrict < 2 and\n" \
"no lockdown=confidentiality.\n"

struct vmatlas_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
};

extern const struct vmatlas_cmd vmatlas_cmd_info;
extern const struct vmatlas_cmd vmatlas_cmd_maps;
extern const struct vmatlas_cmd vmatlas_cmd_walk;
extern const struct vmatlas_cmd vmatlas_cmd_ptdump;
extern const struct vmatlas_cmd vmatlas_cmd_layout;
extern const struct vmatlas_cmd vmatlas_cmd_kaddr;
extern const struct vmatlas_cmd vmatlas_cmd_lab;
extern const struct vmatlas_cmd vmatlas_cmd_faults;
extern const struct vmatlas_cmd vmatlas_cmd_snapshot;
extern const struct vmatlas_cmd vmatlas_cmd_diff;
extern const struct vmatlas_cmd vmatlas_cmd_watch;
extern const struct vmatlas_cmd vmatlas_cmd_explain;
extern const struct vmatlas_cmd vmatlas_cmd_atlas;

/*
 * Exit statuses: 0 done, 1 an error (the device, the kernel, the target),
 * 2 a usage error (a bad option, argument or value). "vmatlas faults --
 * COMMAND" exits as COMMAND did, as time(1) and strace(1) do.
 */
#define VMATLAS_EXIT_ERROR	1
#define VMATLAS_EXIT_USAGE	2

/*
 * Print "vmatlas: SUBCOMMAND: MESSAGE" on stderr (without SUBCOMMAND before
 * one was chosen); return VMATLAS_EXIT_ERROR for use as an exit status.
 */
__printf(1, 2) int vmatlas_error(const char *fmt, ...);

/*
 * The body of a subcommand: open the device, let @gather fill a new document,
 * close the device, then print the document with out_emit(). @gather returns
 * 0, a negative errno with the reason in vmatlas_strerror(), or a positive
 * exit status after it printed an error itself; then nothing is printed on
 * stdout.
 * Return: the exit status.
 */
int vmatlas_gather_and_emit(int (*gather)(int fd, struct json_object *doc),
			    int (*print_text)(FILE *out, struct json_object *doc));

/*
 * A whole subcommand: parse @argc and @argv with @argp (a bad argument ends
 * the program with argp_error()), then vmatlas_gather_and_emit().
 * Return: the exit status.
 */
int vmatlas_parse_and_emit(const struct argp *argp, int argc, char **argv,
			   int (*gather)(int fd, struct json_object *doc),
			   int (*print_text)(FILE *out, struct json_object *doc));

/*
 * A whole subcommand that writes records rather than a document: parse
 * @argc and @argv with @argp, open the device, let @gather read every record
 * (it returns as vmatlas_gather_and_emit()'s does, and on error nothing is
 * printed on stdout), close the device, then let @write_records print them to @out,
 * JSON or text, and flush.
 * Return: the exit status.
 */
int vmatlas_parse_and_write(const struct argp *argp, int argc, char **argv,
			    int (*gather)(int fd), void (*write_records)(FILE *out));

/*
 * Write @file whole or not at all: @write fills FILE.tmp, which is then
 * renamed over @file. Return: 0, or the exit status after an error message.
 */
int vmatlas_save(const char *file, void (*write)(FILE *out, const void *priv), const void *priv);

#endif /* _VMATLAS_CLI_H */
