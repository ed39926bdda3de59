// SPDX-License-Identifier: GPL-2.0
/*
 * explain brk-vs-mmap: malloc() takes small blocks from [heap], which it
 * grows by moving the program break (brk()); a block above the mmap
 * threshold gets a mapping of its own; mallopt(M_MMAP_THRESHOLD) moves the
 * threshold, and the same request lands in [heap]. Shown on a child with
 * the C library this vmatlas was built with.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "explain.h"

#define BRK_SMALL	1000		/* bytes, each */
#define BRK_COUNT	256
#define BRK_LARGE	(256 << 10)	/* twice glibc's default threshold */
#define BRK_THRESHOLD	(512 << 10)	/* the most 32-bit glibc allows */

/* 0, 'b': the break; 's': small blocks (the last); 'm': a large one; 'M': after mallopt(). */
static unsigned long long brk_child(void *arg, char cmd)
{
	void *p = NULL;
	int i;

	switch (cmd) {
	case 0:
	case 'b':
		return (unsigned long)sbrk(0);
	case 's':
		for (i = 0; i < BRK_COUNT; i++)
			p = malloc(BRK_SMALL);
		return (unsigned long)p;
	case 'm':
		return (unsigned long)malloc(BRK_LARGE);
	case 'M':
		if (!mallopt(M_MMAP_THRESHOLD, BRK_THRESHOLD))
			return 0;
		return (unsigned long)malloc(BRK_LARGE);
	}
	return 0;
}

/*
 * [heap]: what /proc/PID/maps calls so, which may be more than one VMA (the
 * break's first growth in a static binary is a VMA of its own): from the
 * first one's start to the last one's end. False if there is none.
 */
static bool brk_heap(const struct snapshot *s, unsigned long long *start,
		     unsigned long long *end)
{
	size_t i;

	*start = *end = 0;
	for (i = 0; i < s->nvmas; i++) {
		if (s->vmas[i].kind != VMATLAS_KIND_HEAP)
			continue;
		if (!*end)
			*start = s->vmas[i].start;
		*end = s->vmas[i].end;
	}
	return *end;
}

static int brk_run(struct story *st)
{
	unsigned long long brk0, brk1, small, large, moved, align = st->page_size - 1;
	struct snapshot a = {}, b = {}, c = {};
	unsigned long long ha_start, ha_end, hb_start, hb_end;
	const struct snap_vma *v;
	bool ha, hb;
	struct story_child child;
	int err;

	err = story_child_start(&child, brk_child, NULL, &brk0);
	if (err)
		return err;
	err = snapshot_take(st->fd, child.pid, &a);
	if (!err)
		err = story_child_do(&child, 's', &small);
	if (!err)
		err = story_child_do(&child, 'b', &brk1);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &b);
	if (err)
		goto out;
	ha = brk_heap(&a, &ha_start, &ha_end);
	hb = brk_heap(&b, &hb_start, &hb_end);
	if (ha)
		story_say(st, "A child's program break is 0x%llx; its [heap] 0x%llx-0x%llx.", brk0,
			  ha_start, ha_end);
	else
		story_say(st, "A child's program break is 0x%llx; it has no [heap] yet.", brk0);
	story_say(st, "\nIt calls malloc(%d) %d times:", BRK_SMALL, BRK_COUNT);
	story_check(st, hb && brk1 > brk0 && hb_end == ((brk1 + align) & ~align),
		    "brk() moved the break up %llu KiB, to 0x%llx, and [heap] ends there: 0x%llx",
		    (brk1 - brk0) >> 10, brk1, hb_end);
	story_check(st, hb && small >= hb_start && small < hb_end,
		    "the last block, 0x%llx, lies in [heap]", small);

	err = story_child_do(&child, 'm', &large);
	if (!err && !large)
		err = -ENOMEM;
	if (!err)
		err = snapshot_take(st->fd, child.pid, &c);
	if (err)
		goto out;
	v = story_vma_at(&c, large);
	story_say(st, "\nmalloc(%d KiB), above the mmap threshold (128 KiB unless changed):",
		  BRK_LARGE >> 10);
	story_check(st, v && v->kind == VMATLAS_KIND_ANON && !story_vma_at(&b, large),
		    "0x%llx is in a mapping of its own, not [heap]: 0x%llx-0x%llx, new", large,
		    v ? v->start : 0, v ? v->end : 0);

	err = story_child_do(&child, 'M', &moved);
	if (!err && !moved)
		err = -ENOMEM;
	snapshot_free(&c);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &c);
	if (err)
		goto out;
	v = story_vma_at(&c, moved);
	story_say(st, "\nmallopt(M_MMAP_THRESHOLD, %d KiB), and malloc(%d KiB) again:",
		  BRK_THRESHOLD >> 10, BRK_LARGE >> 10);
	/* The block's VMA may be one of several [heap] has: say the whole. */
	hb = brk_heap(&c, &hb_start, &hb_end);
	story_check(st, v && v->kind == VMATLAS_KIND_HEAP,
		    "0x%llx is in [heap] now, which brk() grew to 0x%llx-0x%llx", moved,
		    hb ? hb_start : 0, hb ? hb_end : 0);
out:
	story_child_stop(&child);
	snapshot_free(&a);
	snapshot_free(&b);
	snapshot_free(&c);
	return err;
}

const struct scenario scenario_brk = {
	.name = "brk-vs-mmap",
	.claim = "malloc() grows [heap] with brk(), and mmap()s what is above a threshold",
	.run = brk_run,
};
