// SPDX-License-Identifier: GPL-2.0
/*
 * explain cow: fork() copies no memory. A process writes 16 pages, forks,
 * and parent and child map the same 16 frames, write-protected in both. The
 * child writes one page: one fault gives it a frame of its own, and the
 * parent keeps the old one. What the parent's own write then costs (the
 * kernel reuses the frame nobody else maps) is shown as it happened.
 */
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>

#include "explain.h"

#define COW_PAGES	16

struct cow {
	unsigned long long page;
	char *p;
	struct story_child child;	/* the parent's: the forked one */
};

/*
 * Store a byte to page 0 of @p; the minor faults it took. A store alone: a
 * load first would be a fault of its own where the MMU does not set the
 * access flag itself (arm64 without FEAT_HAFDBS), fork() having made the
 * child's entries old.
 */
static unsigned long long cow_write(char *p)
{
	unsigned long long before = story_minflt();

	__atomic_store_n(p, 2, __ATOMIC_RELAXED);
	return story_minflt() - before;
}

/* The forked child: it only writes page 0 when asked. */
static unsigned long long cow_forked(void *arg, char cmd)
{
	struct cow *c = arg;

	return cmd == 'w' ? cow_write(c->p) : 1;
}

/*
 * The parent: 0 maps and writes the pages, 'f' forks (the child's pid),
 * 'c' has the child write page 0 (its faults), 'w' writes it here.
 */
static unsigned long long cow_parent(void *arg, char cmd)
{
	struct cow *c = arg;
	unsigned long long v = 0;
	int i;

	switch (cmd) {
	case 0:
		c->p = mmap(NULL, COW_PAGES * c->page, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (c->p == MAP_FAILED)
			return 0;
		madvise(c->p, COW_PAGES * c->page, MADV_NOHUGEPAGE);
		for (i = 0; i < COW_PAGES; i++)
			c->p[i * c->page] = 1;
		return (unsigned long)c->p;
	case 'f':
		return story_child_start(&c->child, cow_forked, c, &v) ? 0 : c->child.pid;
	case 'c':
		return story_child_do(&c->child, 'w', &v) ? ~0ULL : v;
	case 'w':
		return cow_write(c->p);
	}
	return 0;
}

/* Page @i of both processes; how many of the 16 map one frame in both. */
static int cow_look(struct story *st, pid_t parent, pid_t child, unsigned long long start,
		    struct story_page *pp, struct story_page *cp, unsigned int *same)
{
	int i, err;

	*same = 0;
	for (i = 0; i < COW_PAGES; i++) {
		err = story_page(st, parent, start + i * st->page_size, &pp[i]);
		if (!err && child)
			err = story_page(st, child, start + i * st->page_size, &cp[i]);
		if (err)
			return err;
		if (child && pp[i].present && cp[i].present && pp[i].pfn == cp[i].pfn)
			(*same)++;
	}
	return 0;
}

/* How many of the pages are writable. */
static unsigned int cow_writable(const struct story_page *p)
{
	unsigned int k = 0;
	int i;

	for (i = 0; i < COW_PAGES; i++)
		k += p[i].writable;
	return k;
}

/* How many of the pages are mapped @times. */
static unsigned int cow_mapped(const struct story_page *p, int times)
{
	unsigned int k = 0;
	int i;

	for (i = 0; i < COW_PAGES; i++)
		k += p[i].mapcount == times;
	return k;
}

static int cow_run(struct story *st)
{
	struct story_page pp[COW_PAGES], cp[COW_PAGES], before;
	struct cow c = { .page = st->page_size };
	unsigned long long start, pid, faults;
	struct json_object *doc = NULL;
	struct story_child parent;
	unsigned int same, cow, all;
	int err;

	err = story_child_start(&parent, cow_parent, &c, &start);
	if (err)
		return err;
	err = start ? cow_look(st, parent.pid, 0, start, pp, cp, &same) : -ENOMEM;
	if (err)
		goto out;
	story_say(st, "A process maps %d pages at 0x%llx and writes each: %u writable,", COW_PAGES,
		  start, cow_writable(pp));
	story_say(st, "%u mapped once; page 0 is frame 0x%llx.", cow_mapped(pp, 1),
		  pp[0].pfn);
	before = pp[0];

	err = story_child_do(&parent, 'f', &pid);
	if (!err && !pid)
		err = -ECHILD;
	if (!err)
		err = cow_look(st, parent.pid, pid, start, pp, cp, &same);
	if (err)
		goto out;
	story_say(st, "\nfork() = %llu: nothing is copied.", pid);
	story_check(st, same == COW_PAGES, "parent and child map the same frames: %u of %d pages",
		    same, COW_PAGES);
	story_check(st, !cow_writable(pp) && !cow_writable(cp),
		    "both lost write permission: %u writable in the parent, %u in the child",
		    cow_writable(pp), cow_writable(cp));
	story_check(st, cow_mapped(pp, 2) == COW_PAGES,
		    "each frame is mapped twice: %u of %d pages", cow_mapped(pp, 2),
		    COW_PAGES);

	err = story_do_traced(st, &parent, 'c', pid, &faults, &doc);
	if (!err && faults == ~0ULL)
		err = -EIO;
	if (!err)
		err = cow_look(st, parent.pid, pid, start, pp, cp, &same);
	if (err)
		goto out;
	story_say(st, "\nThe child writes one byte to page 0:");
	story_check(st, faults == 1, "it took one fault: %llu minor (getrusage)", faults);
	if (doc) {
		cow = story_trace_count(doc, start, start + st->page_size, "cow");
		all = story_trace_count(doc, start, start + COW_PAGES * st->page_size, NULL);
		story_check_traced(st, doc, cow == 1 && all == 1, 1, all,
				   "vmatlas faults classified it copy-on-write: %u cow of %u traced",
				   cow, all);
	} else {
		story_untraced(st);
	}
	story_check(st, cp[0].pfn != before.pfn && cp[0].writable && cp[0].mapcount == 1,
		    "the child got a frame of its own: 0x%llx, %s, mapped %d time%s", cp[0].pfn,
		    cp[0].writable ? "writable" : "read-only", cp[0].mapcount,
		    cp[0].mapcount == 1 ? "" : "s");
	story_check(st, pp[0].pfn == before.pfn && !pp[0].writable,
		    "the parent keeps the old one: 0x%llx, %s", pp[0].pfn,
		    pp[0].writable ? "writable" : "still read-only");
	story_check(st, same == COW_PAGES - 1, "the other %d pages are still shared: %u",
		    COW_PAGES - 1, same);

	err = story_child_do(&parent, 'w', &faults);
	if (!err)
		err = cow_look(st, parent.pid, 0, start, pp, cp, &same);
	if (err)
		goto out;
	story_say(st, "\nThe parent writes page 0 too: %llu fault, and %s: frame 0x%llx", faults,
		  pp[0].pfn == before.pfn ? "no copy" : "a copy", pp[0].pfn);
	if (pp[0].pfn == before.pfn)
		story_say(st, "(nobody else maps it now) is %s in the parent.",
			  pp[0].writable ? "writable" : "read-only");
	else
		story_say(st, "is %s in the parent (it could not tell it was the last user).",
			  pp[0].writable ? "writable" : "read-only");
out:
	json_object_put(doc);
	story_child_stop(&parent);
	return err;
}

const struct scenario scenario_cow = {
	.name = "cow",
	.claim = "after fork(), parent and child share frames until one of them writes",
	.run = cow_run,
};
