// SPDX-License-Identifier: GPL-2.0
/*
 * explain thp: a transparent huge page. A child maps a PMD-aligned region
 * with MADV_HUGEPAGE and writes one byte: one fault, and one PMD leaf maps
 * the whole huge page, its frames aligned. Then mprotect() of one page in
 * its middle: a leaf cannot span three VMAs, so the kernel splits the PMD
 * into PTEs that map the same frames, and the huge page is still one folio.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "explain.h"

struct thp {
	unsigned long long page, huge;
	char *p;
};

/* 0: map, align and advise (the address); 'w': write a byte (faults); 's': mprotect. */
static unsigned long long thp_child(void *arg, char cmd)
{
	struct thp *t = arg;
	unsigned long long before = story_minflt();
	uintptr_t mask = t->huge - 1;
	char *p;

	switch (cmd) {
	case 0:
		p = mmap(NULL, 2 * t->huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
		if (p == MAP_FAILED)
			return 0;
		t->p = (char *)(((uintptr_t)p + mask) & ~mask);
		if (madvise(t->p, t->huge, MADV_HUGEPAGE))
			return 0;
		return (unsigned long)t->p;
	case 'w':
		t->p[0] = 1;
		return story_minflt() - before;
	case 's':
		return !mprotect(t->p + t->huge / 2, t->page, PROT_READ);
	}
	return 0;
}

static int thp_ready(struct story *st)
{
	char setting[32];

	story_thp_mode(setting, sizeof(setting));
	if (setting[0] && strcmp(setting, "never"))
		return 0;
	snprintf(st->why, sizeof(st->why), "transparent huge pages are %s here",
		 setting[0] ? "off (enabled: never)" : "not built in");
	return -ENODEV;
}

static int thp_run(struct story *st)
{
	unsigned long long huge = st->page_size * (st->page_size / 8), start, faults, ok, base;
	unsigned long long n = huge / st->page_size;
	unsigned long long offs[3] = { 0, huge / 2, huge - st->page_size };
	struct thp t = { .page = st->page_size, .huge = huge };
	struct story_page pg[3], split[3];
	struct snapshot a = {}, b = {};
	const struct snap_vma *mid;
	struct story_child child;
	unsigned int follow = 0;
	bool three;
	char setting[32];
	int i, err;

	story_thp_mode(setting, sizeof(setting));
	err = story_child_start(&child, thp_child, &t, &start);
	if (err)
		return err;
	err = start ? story_child_do(&child, 'w', &faults) : -ENOMEM;
	if (!err)
		err = snapshot_take(st->fd, child.pid, &a);
	for (i = 0; !err && i < 3; i++)
		err = story_page(st, child.pid, start + offs[i], &pg[i]);
	if (err)
		goto out;
	base = pg[0].pfn;
	story_say(st, "THP: %s. A child maps %llu KiB aligned at 0x%llx, madvise(MADV_HUGEPAGE),",
		  setting, huge >> 10, start);
	story_say(st, "and writes one byte at its start:");
	story_check(st, faults == 1, "one fault: %llu minor (getrusage)", faults);
	story_check(st, story_pages(&a, start, start + huge, SNAP_PRESENT, huge) == n,
		    "one PMD leaf maps all %llu pages: %llu present in %llu KiB leaves", n,
		    story_pages(&a, start, start + huge, SNAP_PRESENT, huge), huge >> 10);
	story_check(st, base && !(base & (n - 1)) && pg[2].pfn == base + n - 1,
		    "on %llu frames in a row from 0x%llx, aligned to %llu", n, base, n);

	err = story_child_do(&child, 's', &ok);
	if (!err && !ok)
		err = -EINVAL;
	if (!err)
		err = snapshot_take(st->fd, child.pid, &b);
	for (i = 0; !err && i < 3; i++)
		err = story_page(st, child.pid, start + offs[i], &split[i]);
	if (err)
		goto out;
	for (i = 0; i < 3; i++)
		follow += split[i].present && split[i].leaf_size == st->page_size &&
			  split[i].pfn == base + offs[i] / st->page_size;
	story_say(st, "\nmprotect(PROT_READ) of the page at 0x%llx, in the middle:",
		  start + huge / 2);
	mid = story_vma_at(&b, start + huge / 2);
	three = story_vma_at(&b, start) != mid &&
		mid != story_vma_at(&b, start + huge / 2 + st->page_size);
	story_check(st, three, "the VMA is split in three");
	story_check(st, story_pages(&b, start, start + huge, SNAP_PRESENT, st->page_size) == n,
		    "the PMD is split: %llu pages present in %llu KiB leaves",
		    story_pages(&b, start, start + huge, SNAP_PRESENT, st->page_size),
		    st->page_size >> 10);
	story_check(st, follow == 3, "the frames did not move: first, middle and last page on %s",
		    follow == 3 ? "the same frames" : "other frames");
	if (split[0].pg_flags & VMATLAS_PG_LARGE)
		story_say(st, "%s\n%s", "The memory is still one huge folio: the page tables",
			  "split, the folio waits (deferred split).");
	else
		story_say(st, "The folio was split too: its pages are single pages now.");
out:
	story_child_stop(&child);
	snapshot_free(&a);
	snapshot_free(&b);
	return err;
}

const struct scenario scenario_thp = {
	.name = "thp",
	.claim = "an aligned MADV_HUGEPAGE region is mapped by one PMD leaf, until split",
	.ready = thp_ready,
	.run = thp_run,
};
