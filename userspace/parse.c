// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of command-line values. strtol() and strtoull() alone accept
 * leading blanks, a sign and trailing garbage, strtoull() silently negates
 * "-1", and base 0 reads a leading zero as octal: every value here must be
 * digits from its first character to its last, in the base the value has
 * where people copy it from (addresses are hexadecimal in /proc/PID/maps,
 * /proc/kallsyms and every kernel log).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int parse_pid(const char *s, int *pid)
{
	char *end;
	long val;

	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	val = strtol(s, &end, 10);
	if (errno || *end || val < 1 || val > INT_MAX)
		return -EINVAL;
	*pid = val;
	return 0;
}

/* The value of hexadecimal digit @c, or -1. */
static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Digits of @base (10 or 16) from @s on, at least one, with no overflow;
 * @end after the last. Leading zeros are digits like any other: "00400000"
 * is what /proc/PID/maps prints, never octal.
 */
static int parse_digits(const char *s, unsigned int base, unsigned long long *val,
			const char **end)
{
	unsigned long long v = 0;
	int d;

	if (hex_digit(*s) < 0 || hex_digit(*s) >= (int)base)
		return -EINVAL;
	for (; (d = hex_digit(*s)) >= 0 && d < (int)base; s++) {
		if (v > (ULLONG_MAX - d) / base)
			return -EINVAL;
		v = v * base + d;
	}
	*val = v;
	*end = s;
	return 0;
}

/* "0x" or "0X" at @s: how many characters to skip. */
static int hex_prefix(const char *s)
{
	return s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 2 : 0;
}

int parse_addr(const char *s, unsigned long long *addr)
{
	unsigned long long val;
	const char *end;

	if (parse_digits(s + hex_prefix(s), 16, &val, &end) || *end)
		return -EINVAL;
	*addr = val;
	return 0;
}

int parse_size(const char *s, unsigned long long *bytes)
{
	static const char units[] = "KMGT";
	unsigned long long val;
	unsigned int shift = 0;
	const char *end, *u;
	int hex = hex_prefix(s);

	if (parse_digits(s + hex, hex ? 16 : 10, &val, &end))
		return -EINVAL;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		shift = 10 * (u - units + 1);
		end++;
	}
	if (*end || val > ULLONG_MAX >> shift)
		return -EINVAL;
	*bytes = val << shift;
	return 0;
}

void (*parse_report)(const char *cmd, const char *msg);

void parse_error(const struct argp_state *state, const char *fmt, ...)
{
	const char *name = state->name;
	char msg[512];
	size_t n;
	va_list ap;

	/* main() names a subcommand "vmatlas walk" for argp's own messages. */
	if (!strncmp(name, "vmatlas ", 8))
		name += 8;
	va_start(ap, fmt);
	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < sizeof(msg))
		snprintf(msg + n, sizeof(msg) - n, " ('vmatlas %s --help' says more)", name);
	if (parse_report)
		parse_report(name, msg);
	else
		fprintf(state->err_stream, "vmatlas: %s: %s\n", name, msg);
	if (!(state->flags & ARGP_NO_EXIT))
		exit(argp_err_exit_status);
}

/*
 * argp's own messages come from getopt (to stderr) and argp ("Try ..." to
 * state->err_stream, stderr when parsing starts), and argp exits after
 * them. parse_args() points stderr at a memory stream while argp parses,
 * and says what was caught when it returns, or at exit.
 */
static FILE *caught, *real_stderr;
static char *caught_text;
static size_t caught_len;

/* One caught line: getopt's "vmatlas CMD: MESSAGE" in parse_error()'s form. */
static void parse_say_line(char *line)
{
	static const char prefix[] = "vmatlas ";
	char *sep = strstr(line, ": "), msg[512];
	const char *cmd = line + sizeof(prefix) - 1;

	/* argp's "Try `vmatlas CMD --help' or ...": the message says where. */
	if (!strncmp(line, "Try `", 5))
		return;
	if (strncmp(line, prefix, sizeof(prefix) - 1) || !sep || sep < cmd ||
	    memchr(cmd, ' ', sep - cmd)) {
		fprintf(stderr, "%s\n", line);
		return;
	}
	*sep = '\0';
	snprintf(msg, sizeof(msg), "%s ('vmatlas %s --help' says more)", sep + 2, cmd);
	if (parse_report)
		parse_report(cmd, msg);
	else
		fprintf(stderr, "vmatlas: %s: %s\n", cmd, msg);
}

/* Give stderr back and say what was caught, a line at a time. */
static void parse_release(void)
{
	FILE *f = caught;
	char *line, *next;

	if (!f)
		return;
	caught = NULL;
	stderr = real_stderr;
	if (fclose(f) || !caught_text)
		return;
	for (line = caught_text; *line; line = next) {
		next = line + strcspn(line, "\n");
		if (*next)
			*next++ = '\0';
		parse_say_line(line);
	}
	free(caught_text);
	caught_text = NULL;
}

int parse_args(const struct argp *argp, int argc, char **argv, unsigned int flags)
{
	static bool registered;
	int err;

	if (!registered)
		registered = !atexit(parse_release);
	real_stderr = stderr;
	caught = registered ? open_memstream(&caught_text, &caught_len) : NULL;
	if (caught)
		stderr = caught;
	err = argp_parse(argp, argc, argv, flags, NULL, NULL);
	parse_release();
	return err;
}

void parse_pid_arg(struct argp_state *state, const char *arg, int *pid)
{
	if (parse_pid(arg, pid))
		parse_error(state, "invalid PID '%s'", arg);
}

void parse_addr_arg(struct argp_state *state, const char *arg, unsigned long long *addr)
{
	if (parse_addr(arg, addr))
		parse_error(state, "invalid address '%s'", arg);
}

void parse_columns_arg(struct argp_state *state, const char *arg,
		       int (*choose)(void *table, const char *list, char *bad, size_t len),
		       void *table)
{
	char bad[32];

	if (choose(table, arg, bad, sizeof(bad)) < 0)
		parse_error(state, "unknown column '%s' in '%s'", bad, arg);
}

error_t parse_no_args(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	parse_error(state, "unexpected argument '%s'", arg);
	return 0;
}

error_t parse_pid_key(int key, const char *arg, struct argp_state *state, int *pid)
{
	switch (key) {
	case ARGP_KEY_ARG:
		if (state->arg_num)
			parse_error(state, "unexpected argument '%s'", arg);
		else
			parse_pid_arg(state, arg, pid);
		return 0;
	case ARGP_KEY_NO_ARGS:
		parse_error(state, "missing PID");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}
