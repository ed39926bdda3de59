// SPDX-License-Identifier: GPL-2.0
/*
 * The progress line: "vmatlas: ptdump: 0x7f3a2c000000, 41%, 120311 runs",
 * redrawn in place with a carriage return and erased with "ESC [ K".
 * VMATLAS_PROGRESS_DELAY_MS changes the half second before the first one
 * (the tests set 0, to see the line on a quick walk).
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

static double progress_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void progress_begin(struct progress *p, const char *what, const char *unit,
		    unsigned long long lo, unsigned long long hi)
{
	const char *delay = getenv("VMATLAS_PROGRESS_DELAY_MS");

	*p = (struct progress){
		.on = isatty(STDERR_FILENO),
		.what = what,
		.unit = unit,
		.lo = lo,
		.hi = hi,
	};
	p->from = progress_now() + (delay ? atoi(delay) / 1000.0 : 0.5);
	p->drawn = p->from - 1;
}

void progress_at(struct progress *p, unsigned long long at, size_t count)
{
	double now;

	/* The clock is read every 64th call: a walk makes millions. */
	if (!p->on || p->calls++ % 64)
		return;
	now = progress_now();
	if (now < p->from || now - p->drawn < 0.1)
		return;
	p->drawn = now;
	p->shown = true;
	if (p->hi > p->lo && at >= p->lo && at <= p->hi)
		fprintf(stderr, "\rvmatlas: %s: 0x%llx, %d%%, %zu %s\033[K", p->what, at,
			(int)((at - p->lo) * 100.0 / (p->hi - p->lo)), count, p->unit);
	else
		fprintf(stderr, "\rvmatlas: %s: 0x%llx, %zu %s\033[K", p->what, at, count, p->unit);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
	p->shown = false;
}
