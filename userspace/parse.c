// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of command-line values. strtol() and strtoull() alone accept
 * leading blanks, a sign and trailing garbage, and strtoull() silently
 * negates "-1": every value here must be digits from its first character to
 * its last.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>

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

/* Digits from the first character, as strtoull() base 0 reads them; @end after them. */
static int parse_ull(const char *s, unsigned long long *val, char **end)
{
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	*val = strtoull(s, end, 0);
	return errno ? -EINVAL : 0;
}

int parse_addr(const char *s, unsigned long long *addr)
{
	unsigned long long val;
	char *end;

	if (parse_ull(s, &val, &end) || *end)
		return -EINVAL;
	*addr = val;
	return 0;
}

int parse_size(const char *s, unsigned long long *bytes)
{
	unsigned int shift = 0;
	unsigned long long val;
	char *end;

	if (parse_ull(s, &val, &end))
		return -EINVAL;
	if (*end == 'K' || *end == 'k')
		shift = 10;
	else if (*end == 'M' || *end == 'm')
		shift = 20;
	if (shift)
		end++;
	if (*end || val > ULLONG_MAX >> shift)
		return -EINVAL;
	*bytes = val << shift;
	return 0;
}

void parse_pid_arg(struct argp_state *state, const char *arg, int *pid)
{
	if (parse_pid(arg, pid))
		argp_error(state, "invalid PID '%s'", arg);
}

void parse_addr_arg(struct argp_state *state, const char *arg, unsigned long long *addr)
{
	if (parse_addr(arg, addr))
		argp_error(state, "invalid address '%s'", arg);
}

error_t parse_no_args(int key, char *arg, struct argp_state *state)
{
	if (key != ARGP_KEY_ARG)
		return ARGP_ERR_UNKNOWN;
	argp_error(state, "unexpected argument '%s'", arg);
	return 0;
}

error_t parse_pid_key(int key, const char *arg, struct argp_state *state, int *pid)
{
	switch (key) {
	case ARGP_KEY_ARG:
		if (state->arg_num)
			argp_error(state, "unexpected argument '%s'", arg);
		else
			parse_pid_arg(state, arg, pid);
		return 0;
	case ARGP_KEY_NO_ARGS:
		argp_error(state, "missing PID");
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}
