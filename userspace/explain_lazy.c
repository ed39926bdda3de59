// SPDX-License-Identifier: GPL-2.0
/*
 * explain lazy: mmap() hands out addresses, not memory. A child maps 64 MiB
 * and nothing of it is present; it writes one byte to every 16th page and
 * exactly those pages become present, each through one minor fault. A
 * region mapped with MAP_POPULATE is the opposite: the kernel takes its
 * faults inside mmap(). Then the same with MADV_HUGEPAGE, where THP makes
 * one fault fill a whole PMD: shown, not hidden.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "explain.h"
#include "snapdiff.h"

#define LAZY_BYTES	(64ULL << 20)
#define LAZY_STEP	16		/* every 16th page is touched */
/*
 * Pre-faulted: below a PMD's size, and between two PROT_NONE pages that no
 * anonymous neighbour can merge across, so no THP can be in it.
 */
#define LAZY_POPULATE	(1024ULL * 1024)

struct lazy {
	unsigned long long page, huge;
	char *plain, *thp, *populated;
	unsigned long long populate_faults;	/* taken inside mmap(MAP_POPULATE) */
};

/* Write one byte to each page of the pre-faulted region; the minor faults it took. */
static unsigned long long lazy_touch_all(char *p, unsigned long long page)
{
	unsigned long long before = story_minflt(), off;

	for (off = 0; off < LAZY_POPULATE; off += page)
		p[off] = 1;
	return story_minflt() - before;
}

/* Write one byte to every 16th page of @p; the minor faults it took. */
static unsigned long long lazy_touch(char *p, unsigned long long page)
{
	unsigned long long before = story_minflt(), off;

	for (off = 0; off < LAZY_BYTES; off += LAZY_STEP * page)
		p[off] = 1;
	return story_minflt() - before;
}

/*
 * The child: 0 maps the plain region, 't' touches it ('T' again), 'P' maps
 * one with MAP_POPULATE ('F': the faults that took), 'p' touches all of it,
 * 'H' maps THP's, 'h' touches it.
 */
static unsigned long long lazy_child(void *arg, char cmd)
{
	struct lazy *l = arg;
	uintptr_t mask;
	char *p;

	switch (cmd) {
	case 0:
		l->plain = mmap(NULL, LAZY_BYTES, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (l->plain == MAP_FAILED)
			return 0;
		madvise(l->plain, LAZY_BYTES, MADV_NOHUGEPAGE);
		return (unsigned long)l->plain;
	case 't':
	case 'T':
		return lazy_touch(l->plain, l->page);
	case 'P':
		/*
		 * THP "always" would fill a PMD of a VMA merged with an
		 * anonymous neighbour in one fault: fence it in first.
		 */
		p = mmap(NULL, LAZY_POPULATE + 2 * l->page, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED)
			return 0;
		l->populate_faults = story_minflt();
		p = mmap(p + l->page, LAZY_POPULATE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_POPULATE, -1, 0);
		l->populate_faults = story_minflt() - l->populate_faults;
		if (p == MAP_FAILED)
			return 0;
		l->populated = p;
		return (unsigned long)p;
	case 'F':
		return l->populate_faults;
	case 'p':
		return lazy_touch_all(l->populated, l->page);
	case 'H':
		p = mmap(NULL, LAZY_BYTES + l->huge, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 0;
		mask = (uintptr_t)l->huge - 1;
		l->thp = (char *)(((uintptr_t)p + mask) & ~mask);
		madvise(l->thp, LAZY_BYTES, MADV_HUGEPAGE);
		return (unsigned long)l->thp;
	case 'h':
		return lazy_touch(l->thp, l->page);
	}
	return 0;
}

/* Page changes @what of @d in [@start, @end): how many stretches, how many pages. */
static void lazy_changes(const struct snapdiff *d, enum page_change what,
			 unsigned long long start, unsigned long long end,
			 unsigned long long *stretches, unsigned long long *pages,
			 unsigned long long page)
{
	size_t i;

	*stretches = *pages = 0;
	for (i = 0; i < d->npages; i++)
		if (d->pages[i].what == what && d->pages[i].start >= start &&
		    d->pages[i].end <= end) {
			(*stretches)++;
			*pages += (d->pages[i].end - d->pages[i].start) / page;
		}
}

/* MAP_POPULATE: every page present at once, the faults taken inside mmap(). */
static int lazy_populated(struct story *st, struct story_child *child)
{
	unsigned long long start, faults, touch_faults, present;
	unsigned long long pages = LAZY_POPULATE / st->page_size;
	struct snapshot s = {};
	int err;

	err = story_child_do(child, 'P', &start);
	if (!err && !start)
		err = -ENOMEM;
	if (!err)
		err = story_child_do(child, 'F', &faults);
	if (!err)
		err = snapshot_take(st->fd, child->pid, &s);
	if (err)
		goto out;
	present = story_pages(&s, start, start + LAZY_POPULATE, SNAP_PRESENT, 0);
	story_say(st, "\nmmap(1 MiB, ..., MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE) = 0x%llx:",
		  start);
	story_say(st, "pre-faulting, as mlock() does too: the kernel touches every page itself.");
	story_say(st, "(Between two PROT_NONE pages: no VMA to merge with, too small for a THP.)");
	story_check(st, present == pages, "every page is present before any touch: %llu of %llu",
		    present, pages);
	story_check(st, faults == pages,
		    "mmap() took the faults: %llu minor faults inside the call (getrusage)",
		    faults);
	err = story_child_do(child, 'p', &touch_faults);
	if (err)
		goto out;
	story_check(st, !touch_faults, "then writing all %llu pages costs %llu faults", pages,
		    touch_faults);
out:
	snapshot_free(&s);
	return err;
}

static int lazy_run(struct story *st)
{
	struct lazy l = { .page = st->page_size, .huge = st->page_size * (st->page_size / 8) };
	unsigned long long start, end, faults, pages = LAZY_BYTES / st->page_size;
	unsigned long long touched = pages / LAZY_STEP, stretches, became, present, huge;
	struct snapshot a = {}, b = {}, c = {};
	struct snapdiff d = {};
	struct story_child child;
	char thp[128];
	int err;

	err = story_child_start(&child, lazy_child, &l, &start);
	if (err)
		return err;
	if (!start) {
		story_child_stop(&child);
		return -ENOMEM;
	}
	end = start + LAZY_BYTES;
	err = snapshot_take(st->fd, child.pid, &a);
	if (err)
		goto out;
	story_say(st, "mmap(64 MiB, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS) = 0x%llx:",
		  start);
	story_say(st, "a VMA of %llu pages, 0x%llx-0x%llx, and no memory yet.", pages, start, end);
	story_check(st, story_pages(&a, start, end, SNAP_PRESENT, 0) == 0,
		    "none of its pages is present: %llu mapped",
		    story_pages(&a, start, end, SNAP_PRESENT, 0));

	err = story_child_do(&child, 't', &faults);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &b);
	if (!err)
		err = snapdiff(&a, &b, &d);
	if (err)
		goto out;
	present = story_pages(&b, start, end, SNAP_PRESENT, 0);
	lazy_changes(&d, PAGE_PRESENT, start, end, &stretches, &became, st->page_size);
	story_say(st, "\nThe child writes one byte to every %dth page: %llu pages touched.",
		  LAZY_STEP, touched);
	story_check(st, present == touched && stretches == touched && became == touched,
		    "exactly those became present: %llu present, in %llu one-page stretches",
		    present, stretches);
	story_check(st, faults == touched,
		    "each through one minor fault: %llu minor faults for %llu touches (getrusage)",
		    faults, touched);

	err = story_child_do(&child, 'T', &faults);
	if (err)
		goto out;
	story_say(st, "\nIt writes the same %llu pages again. Lecture notes say a TLB miss",
		  touched);
	story_say(st, "is a page fault; here the MMU walks the page tables itself on a miss:");
	story_check(st, !faults, "a present page costs no fault, TLB or not: %llu faults", faults);

	err = lazy_populated(st, &child);
	if (err)
		goto out;

	story_thp_mode(thp, sizeof(thp));
	if (!thp[0])
		snprintf(thp, sizeof(thp), "not built in");
	err = story_child_do(&child, 'H', &start);
	if (!err && !start)
		err = -ENOMEM;
	if (!err)
		err = story_child_do(&child, 'h', &faults);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &c);
	if (err)
		goto out;
	end = start + LAZY_BYTES;
	present = story_pages(&c, start, end, SNAP_PRESENT, 0);
	huge = story_pages(&c, start, end, SNAP_PRESENT, l.huge) / (l.huge / st->page_size);
	story_say(st, "\nThe same with MADV_HUGEPAGE, 64 MiB aligned to %llu KiB (THP: %s):",
		  l.huge >> 10, thp);
	story_say(st, "the same %llu touches made %llu pages present through %llu faults:",
		  touched, present, faults);
	story_say(st, "%llu PMD leaves of %llu KiB, each filled by its first fault.%s", huge,
		  l.huge >> 10, huge ? "" : " (No huge page here: THP is off, or none was free.)");
out:
	story_child_stop(&child);
	snapdiff_free(&d);
	snapshot_free(&a);
	snapshot_free(&b);
	snapshot_free(&c);
	return err;
}

const struct scenario scenario_lazy = {
	.name = "lazy",
	.claim = "mmap() gives addresses; memory comes at the first touch of each page",
	.run = lazy_run,
};
