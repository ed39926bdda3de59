// SPDX-License-Identifier: GPL-2.0
/* Reading the tool's text tables (tables.h). */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tables.h"

int next_line(const char **text, char *line, size_t len)
{
	size_t n = strcspn(*text, "\n");

	if (!**text)
		return 0;
	snprintf(line, len, "%.*s", (int)n, *text);
	*text += n + !!(*text)[n];
	return 1;
}

void words(const char *line, char *out, size_t len)
{
	size_t at = 0;

	while (*line && at + 1 < len) {
		line += strspn(line, " ");
		if (!*line)
			break;
		at += snprintf(out + at, len - at, "%s%.*s", at ? " " : "",
			       (int)strcspn(line, " "), line);
		line += strcspn(line, " ");
	}
	out[at < len ? at : len - 1] = '\0';
}

/* Where the @k-th word of @line (words end at blanks) starts and ends; 0 if none. */
static int word_at(const char *line, int k, size_t *start, size_t *end)
{
	size_t at = 0;

	for (;;) {
		at += strspn(line + at, " ");
		if (!line[at])
			return 0;
		*start = at;
		at += strcspn(line + at, " ");
		*end = at;
		if (!k--)
			return 1;
	}
}

int table_misaligned(const char *hdr, const char *line, const char *align)
{
	size_t hs, he, cs, ce;
	bool right;
	int k;

	for (k = 0; align[k]; k++) {
		if (!word_at(hdr, k, &hs, &he) || !word_at(line, k, &cs, &ce))
			return k;
		right = align[k] == 'R';
		if ((right ? he : hs) != (right ? ce : cs))
			return k;
	}
	return -1;
}

void size_cell(unsigned long long b, char *out, size_t len)
{
	static const char units[] = "KMGTPE";
	unsigned long long unit = 1024;
	int i = 0;

	while (i < 5 && b / unit >= 1024) {
		unit <<= 10;
		i++;
	}
	if (b % unit)
		snprintf(out, len, "%llu.%llu%c", b / unit, b % unit * 10 / unit, units[i]);
	else
		snprintf(out, len, "%llu%c", b / unit, units[i]);
}
