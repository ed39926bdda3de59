// SPDX-License-Identifier: GPL-2.0
/*
 * explain stack: the stack is a VMA that grows down when something below its
 * bottom is touched, as far as the touched page and no memory further: the
 * pages between stay absent. It may not grow to within stack_guard_gap of the
 * mapping below it: a touch that would is a SIGSEGV, one page further away
 * is not. Shown on the main thread's stack of a child.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "explain.h"

#define STACK_DEEPER	64	/* pages below the bottom the first touch lands */
#define STACK_GAP_PAGES	256	/* mm/mmap.c's default stack_guard_gap */

struct stk {
	unsigned long long page, gap;
};

/* The bottom of this process's [stack], from its own maps; 0 if none. */
static unsigned long long stack_bottom(void)
{
	unsigned long long start = 0, lo, hi;
	FILE *f = fopen("/proc/self/maps", "r");
	char line[512];

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[stack]") && sscanf(line, "%llx-%llx", &lo, &hi) == 2)
			start = lo;
	if (f)
		fclose(f);
	return start;
}

static void stack_touch(unsigned long long addr)
{
	__atomic_store_n((char *)(unsigned long)addr, 1, __ATOMIC_RELAXED);
}

/*
 * A forked child puts a readable page whose end is @room below the page
 * under its stack's bottom, then touches that page: 0 if the stack grew,
 * the signal that killed it + 256 if not, 1 if it could not set up.
 */
static unsigned long long stack_try(struct stk *k, unsigned long long room)
{
	struct rlimit none = {};
	unsigned long long bottom, end;
	pid_t pid = fork();
	int status;

	if (pid < 0)
		return 1;
	if (!pid) {
		/* The SIGSEGV is expected: no core to dump. */
		setrlimit(RLIMIT_CORE, &none);
		prctl(PR_SET_DUMPABLE, 0);
		bottom = stack_bottom();
		end = bottom - k->page - room;
		if (!bottom || mmap((void *)(unsigned long)(end - k->page), k->page, PROT_READ,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1,
				    0) == MAP_FAILED)
			_exit(1);
		stack_touch(bottom - k->page);
		_exit(0);
	}
	if (waitpid(pid, &status, 0) != pid)
		return 1;
	if (WIFSIGNALED(status))
		return 256 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* 0: the bottom; 'g': touch STACK_DEEPER pages below it (the faults); 'o', 'i': stack_try(). */
static unsigned long long stack_child(void *arg, char cmd)
{
	struct stk *k = arg;
	unsigned long long at, before;

	switch (cmd) {
	case 0:
		return stack_bottom();
	case 'g':
		/*
		 * Reading the maps (fopen()'s buffer, the kernel's copy into
		 * it) may fault in this forked child: not inside the count.
		 */
		at = stack_bottom() - STACK_DEEPER * k->page;
		before = story_minflt();
		stack_touch(at);
		return story_minflt() - before;
	case 'o':
		return stack_try(k, k->gap);
	case 'i':
		return stack_try(k, k->gap - k->page);
	}
	return 0;
}

/* stack_guard_gap, in pages: the kernel command line's, or the default. */
static unsigned long long stack_gap_pages(bool *set)
{
	const char *at;
	char line[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	at = strstr(line, "stack_guard_gap=");
	*set = at;
	return at ? strtoull(at + strlen("stack_guard_gap="), NULL, 0) : STACK_GAP_PAGES;
}

static const char *stack_outcome(unsigned long long v)
{
	static char buf[32];

	if (!v)
		return "the stack grew";
	if (v < 256)
		return "could not set up";
	snprintf(buf, sizeof(buf), "%s", strsignal(v - 256));
	return buf;
}

static int stack_run(struct story *st)
{
	unsigned long long bottom, faults, deeper = STACK_DEEPER * st->page_size, out, in;
	struct stk k = { .page = st->page_size };
	const struct snap_vma *va, *vb;
	struct snapshot a = {}, b = {};
	struct story_child child;
	bool set;
	int err;

	k.gap = stack_gap_pages(&set) * st->page_size;
	err = story_child_start(&child, stack_child, &k, &bottom);
	if (err)
		return err;
	err = snapshot_take(st->fd, child.pid, &a);
	if (!err)
		err = story_child_do(&child, 'g', &faults);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &b);
	if (err)
		goto out;
	va = story_vma_kind(&a, VMATLAS_KIND_STACK);
	vb = story_vma_kind(&b, VMATLAS_KIND_STACK);
	if (!va || !vb || !bottom) {
		snprintf(st->why, sizeof(st->why), "the child has no [stack] VMA");
		err = -ENOENT;
		goto out;
	}
	story_say(st, "A child's [stack] is 0x%llx-0x%llx: %llu KiB, %llu pages present.",
		  va->start, va->end, (va->end - va->start) >> 10,
		  story_pages(&a, va->start, va->end, SNAP_PRESENT, 0));
	story_say(st, "\nIt writes a byte %d pages below the bottom, at 0x%llx:", STACK_DEEPER,
		  va->start - deeper);
	story_check(st, vb->start == va->start - deeper && vb->end == va->end,
		    "the VMA grew down to that page: now 0x%llx-0x%llx, %llu KiB more",
		    vb->start, vb->end, (va->start - vb->start) >> 10);
	story_check(st, story_pages(&b, vb->start, va->start, SNAP_PRESENT, 0) == 1,
		    "and only that page is memory: %llu of the %d new pages present",
		    story_pages(&b, vb->start, va->start, SNAP_PRESENT, 0), STACK_DEEPER);
	story_check(st, faults == 1, "through one fault: %llu minor (getrusage)", faults);

	err = story_child_do(&child, 'o', &out);
	if (!err)
		err = story_child_do(&child, 'i', &in);
	if (err)
		goto out;
	story_say(st, "\nstack_guard_gap is %llu pages (%llu KiB)%s. A forked child maps a page",
		  k.gap / st->page_size, k.gap >> 10,
		  set ? ", from the kernel command line" : ", the default");
	story_say(st, "below its stack and touches the page under the bottom:");
	story_check(st, !out, "the gap %llu KiB wide: %s", k.gap >> 10, stack_outcome(out));
	story_check(st, in == 256 + SIGSEGV, "one page narrower: %s", stack_outcome(in));
out:
	story_child_stop(&child);
	snapshot_free(&a);
	snapshot_free(&b);
	return err;
}

const struct scenario scenario_stack = {
	.name = "stack",
	.claim = "the stack grows on demand below its bottom, and keeps a guard gap",
	.run = stack_run,
};
