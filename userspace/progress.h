/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A progress line on stderr for the commands that read a whole address
 * space (maps, ptdump): only on a terminal, only once the work has taken
 * half a second, redrawn at most ten times a second and erased at the end,
 * so that a pipe, a file or a quick answer never sees it.
 */
#ifndef _VMATLAS_PROGRESS_H
#define _VMATLAS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>

struct progress {
	bool on;		/* stderr is a terminal */
	bool shown;		/* a line is on the terminal now */
	unsigned int calls;
	double from, drawn;	/* no line before @from; the last one drawn at @drawn */
	const char *what, *unit;
	unsigned long long lo, hi;
};

/*
 * Start @p for work over the addresses [@lo, @hi) (@hi 0: the end is not
 * known) that gathers records called @unit ("runs", "VMAs"), for the
 * command @what.
 */
void progress_begin(struct progress *p, const char *what, const char *unit,
		    unsigned long long lo, unsigned long long hi);

/* The work has reached address @at with @count records: maybe redraw. */
void progress_at(struct progress *p, unsigned long long at, size_t count);

/* Erase the line, if one was drawn. */
void progress_end(struct progress *p);

#endif /* _VMATLAS_PROGRESS_H */
