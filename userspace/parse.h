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
 * An address, the whole of @s: 0x-prefixed hexadecimal or decimal (strtoull()
 * base 0), no sign, no overflow. Return: 0 or -EINVAL.
 */
int parse_addr(const char *s, unsigned long long *addr);

/* The same for argp parsers: a bad value ends the program with argp_error(). */
void parse_pid_arg(struct argp_state *state, const char *arg, int *pid);
void parse_addr_arg(struct argp_state *state, const char *arg, unsigned long long *addr);

/*
 * For a subcommand whose only argument is a PID: handle @key if it is about
 * that argument, else return ARGP_ERR_UNKNOWN.
 */
error_t parse_pid_key(int key, const char *arg, struct argp_state *state, int *pid);

#endif /* _VMATLAS_PARSE_H */
