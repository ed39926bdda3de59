// SPDX-License-Identifier: GPL-2.0
/*
 * explain swap: a page pushed out to swap leaves a swap entry where its
 * frame was; the next touch faults it back in, maybe into another frame,
 * with its contents. A child writes 16 pages, has them paged out
 * (MADV_PAGEOUT, 5.4+), and reads them back.
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include "explain.h"

#define SWAP_PAGES	16
#define SWAP_BAD	(~0ULL)

struct swp {
	unsigned long long page;
	unsigned char *p;
};

/* A swap device or file is on. */
static bool swap_on(void)
{
	FILE *f = fopen("/proc/swaps", "r");
	char line[256];
	int n = 0;

	while (f && fgets(line, sizeof(line), f))
		n++;
	if (f)
		fclose(f);
	return n > 1;
}

static void swap_faults(unsigned long long *minflt, unsigned long long *majflt)
{
	struct rusage ru = {};

	getrusage(RUSAGE_SELF, &ru);
	*minflt = ru.ru_minflt;
	*majflt = ru.ru_majflt;
}

/*
 * MADV_PAGEOUT, until each page is out (mincore()), three times at most:
 * a page still in a CPU's batch on its way to the LRU cannot be reclaimed
 * yet, and the call drains only this CPU's. 0 or errno.
 */
static int swap_pageout(unsigned char *p, size_t len)
{
	unsigned char in[SWAP_PAGES];
	int tries, i, resident = 1;

	for (tries = 0; resident && tries < 3; tries++) {
		if (madvise(p, len, MADV_PAGEOUT) || mincore(p, len, in))
			return errno;
		for (i = resident = 0; i < SWAP_PAGES; i++)
			resident += in[i] & 1;
		if (resident)
			usleep(10000);
	}
	return 0;
}

/*
 * 0: map and write (the address); 'o': page out (0 or errno); 'r': read
 * back (major faults << 32 | minor ones), SWAP_BAD if a byte came back wrong.
 */
static unsigned long long swap_child(void *arg, char cmd)
{
	unsigned long long min0, maj0, min1, maj1;
	struct swp *s = arg;
	size_t len = SWAP_PAGES * s->page;
	bool ok = true;
	cpu_set_t set;
	int i, cpu;

	switch (cmd) {
	case 0:
		/* On one CPU: its batches are the ones MADV_PAGEOUT drains. */
		cpu = sched_getcpu();
		if (cpu >= 0) {
			CPU_ZERO(&set);
			CPU_SET(cpu, &set);
			sched_setaffinity(0, sizeof(set), &set);
		}
		s->p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (s->p == MAP_FAILED)
			return 0;
		madvise(s->p, len, MADV_NOHUGEPAGE);
		for (i = 0; i < SWAP_PAGES; i++)
			memset(s->p + i * s->page, 0x10 + i, s->page);
		return (unsigned long)s->p;
	case 'o':
		return swap_pageout(s->p, len);
	case 'r':
		swap_faults(&min0, &maj0);
		for (i = 0; i < SWAP_PAGES; i++)
			ok &= s->p[i * s->page] == 0x10 + i &&
			      s->p[(i + 1) * s->page - 1] == 0x10 + i;
		swap_faults(&min1, &maj1);
		return ok ? (maj1 - maj0) << 32 | (min1 - min0) : SWAP_BAD;
	}
	return 0;
}

static int swap_look(struct story *st, pid_t pid, unsigned long long start, struct story_page *p,
		     unsigned int *present, unsigned int *swapped)
{
	int i, err;

	*present = *swapped = 0;
	for (i = 0; i < SWAP_PAGES; i++) {
		err = story_page(st, pid, start + i * st->page_size, &p[i]);
		if (err)
			return err;
		*present += p[i].present;
		*swapped += p[i].swapped;
	}
	return 0;
}

static int swap_ready(struct story *st)
{
	if (swap_on())
		return 0;
	snprintf(st->why, sizeof(st->why), "%s",
		 "no swap is on here (/proc/swaps): swapon a device or a file first");
	return -ENODEV;
}

static int swap_run(struct story *st)
{
	struct story_page in[SWAP_PAGES], out[SWAP_PAGES], back[SWAP_PAGES];
	unsigned long long start, v, majflt, minflt;
	unsigned int present, swapped, same = 0, traced_in = 0;
	struct swp s = { .page = st->page_size };
	struct json_object *doc = NULL;
	struct story_child child;
	int i, err;

	err = story_child_start(&child, swap_child, &s, &start);
	if (err)
		return err;
	err = start ? swap_look(st, child.pid, start, in, &present, &swapped) : -ENOMEM;
	if (!err)
		err = story_child_do(&child, 'o', &v);
	if (!err && v) {
		snprintf(st->why, sizeof(st->why), "MADV_PAGEOUT: %s", strerror(v));
		err = -(int)v;
	}
	if (!err)
		err = swap_look(st, child.pid, start, out, &present, &swapped);
	if (err)
		goto out;
	story_say(st, "A child writes %d pages at 0x%llx; page 0 is frame 0x%llx. It asks for",
		  SWAP_PAGES, start, in[0].pfn);
	story_say(st, "them to be paged out (MADV_PAGEOUT):");
	story_check(st, swapped == SWAP_PAGES && !present,
		    "each entry is now a swap entry: %u of %d, %u present", swapped, SWAP_PAGES,
		    present);
	if (out[0].swapped)
		story_say(st, "  page 0: swap device %u, slot 0x%llx", out[0].swap_type,
			  out[0].swap_offset);

	err = story_do_traced(st, &child, 'r', child.pid, &v, &doc);
	if (!err)
		err = swap_look(st, child.pid, start, back, &present, &swapped);
	if (err)
		goto out;
	majflt = v == SWAP_BAD ? 0 : v >> 32;
	minflt = v == SWAP_BAD ? 0 : v & 0xffffffff;
	for (i = 0; i < SWAP_PAGES; i++)
		same += back[i].present && back[i].pfn == in[i].pfn;
	story_say(st, "\nIt reads them back:");
	story_check(st, v != SWAP_BAD, "every byte is as it was written");
	story_check(st, present == SWAP_PAGES, "all %u pages are present again", present);
	story_check(st, majflt && majflt + minflt == SWAP_PAGES,
		    "each through a fault: %llu major, %llu minor (getrusage)", majflt, minflt);
	if (minflt)
		story_say(st, "  (A minor one found its page still in the swap cache.)");
	if (doc) {
		traced_in = story_trace_count(doc, start, start + SWAP_PAGES * st->page_size,
					      "swap_in");
		story_check_traced(st, doc, traced_in == SWAP_PAGES, SWAP_PAGES,
				   story_trace_count(doc, start, start + SWAP_PAGES * st->page_size,
						     NULL),
				   "vmatlas faults classified them swap-ins: %u of %d", traced_in,
				   SWAP_PAGES);
	} else {
		story_untraced(st);
	}
	story_say(st, "%u of %d came back to the frame they left, %d to another.", same, SWAP_PAGES,
		  SWAP_PAGES - (int)same);
out:
	json_object_put(doc);
	story_child_stop(&child);
	return err;
}

const struct scenario scenario_swap = {
	.name = "swap",
	.claim = "a page out on swap leaves a swap entry, and a fault brings it back",
	.ready = swap_ready,
	.run = swap_run,
};
