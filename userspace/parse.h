/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line values shared by the subcommands: process IDs and addresses.
 */
#ifndef _VMATLAS_PARSE_H
#define _VMATLAS_PARSE_H

#include <argp.h>

/* A decimal PID, the whole of @s, 1..INT_MAX. Return: 0 or -EINVAL. */
int parse_pid(const char *s, int *pid);

/*
 * An address, the whole of @s: hexadecimal, with or without 0x, as
 * /proc/PID/maps ("00400000"), /proc/kallsyms and pagemap tools print it;
 * no sign, no overflow. Return: 0 or -EINVAL.
 */
int parse_addr(const char *s, unsigned long long *addr);

/*
 * A size in bytes, the whole of @s: decimal (leading zeros too), or
 * hexadecimal with 0x; then optionally K, M, G or T (KiB ... TiB, either
 * case): "12288", "0x3000", "12K", "1M", "2g". No overflow. Return: 0 or
 * -EINVAL.
 */
int parse_size(const char *s, unsigned long long *bytes);

/*
 * A usage error, as argp_error() but in the tool's format: "vmatlas:
 * SUBCOMMAND: MESSAGE ('vmatlas SUBCOMMAND --help' says more)"; then exit
 * with argp_err_exit_status (2), unless the parse has ARGP_NO_EXIT.
 */
__attribute__((format(printf, 2, 3)))
void parse_error(const struct argp_state *state, const char *fmt, ...);

/* Where parse_error() reports, if set (the tool's: text or JSON); else stderr. */
extern void (*parse_report)(const char *cmd, const char *msg);

/*
 * argp_parse(), with argp's own errors (an unknown option, a missing
 * option argument: getopt's words) said in parse_error()'s form, through
 * parse_report, instead of GNU's "Try ..." form. Return: as argp_parse().
 */
int parse_args(const struct argp *argp, int argc, char **argv, unsigned int flags);

/* The same for argp parsers: a bad value ends the program with parse_error(). */
void parse_pid_arg(struct argp_state *state, const char *arg, int *pid);
void parse_addr_arg(struct argp_state *state, const char *arg, unsigned long long *addr);

/*
 * -o COLUMNS: @choose(@table, @arg, bad, len) sets the table's columns, or
 * returns a negative number with the first name that is no column in bad.
 */
void parse_columns_arg(struct argp_state *state, const char *arg,
		       int (*choose)(void *table, const char *list, char *bad, size_t len),
		       void *table);

/* The argp parser of a subcommand that takes no argument. */
error_t parse_no_args(int key, char *arg, struct argp_state *state);

/*
 * For a subcommand whose only argument is a PID: handle @key if it is about
 * that argument, else return ARGP_ERR_UNKNOWN.
 */
error_t parse_pid_key(int key, const char *arg, struct argp_state *state, int *pid);

#endif /* _VMATLAS_PARSE_H */
