// SPDX-License-Identifier: GPL-2.0
/*
 * explain threads: the threads of a process share its one address space. A
 * child starts a thread: pthread_create() maps the thread's stack as a VMA
 * of the process, with a guard page below it. The thread writes pages the
 * main thread mapped, and they become present in the process's one set of
 * page tables: walked through the thread's id or the process's, the same
 * frame, mapped once (a thread is no second mapping, as fork()'s child is).
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "explain.h"

#define THREADS_PAGES	16		/* the region; the thread writes its top half */
#define THREADS_STACK	(256 * 1024)	/* the thread's stack, guard page apart */
#define THREADS_ACCESS	(VMATLAS_VM_READ | VMATLAS_VM_WRITE | VMATLAS_VM_EXEC)

struct threads {
	unsigned long long page;
	char *region;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool started;
	pid_t tid;
	uintptr_t stack_var;		/* where a local variable of the thread lies */
	int stop[2];			/* the thread waits on it, forever */
};

/* The thread: say who and where it is, write its pages, and wait. */
static void *threads_body(void *arg)
{
	struct threads *t = arg;
	char here = 0, c;
	int i;

	for (i = THREADS_PAGES / 2; i < THREADS_PAGES; i++)
		t->region[i * t->page] = 1;
	pthread_mutex_lock(&t->lock);
	t->tid = syscall(SYS_gettid);
	t->stack_var = (uintptr_t)&here;
	t->started = true;
	pthread_cond_signal(&t->cond);
	pthread_mutex_unlock(&t->lock);
	while (read(t->stop[0], &c, 1) < 0 && errno == EINTR)
		;
	return NULL;
}

/*
 * The child: 0 maps the region and writes its bottom half (its address);
 * 't' starts the thread (its TID, once it wrote); 's' where its stack is.
 */
static unsigned long long threads_child(void *arg, char cmd)
{
	struct threads *t = arg;
	pthread_attr_t attr;
	int i, err;

	switch (cmd) {
	case 0:
		/*
		 * A page with no access below the region: the thread's stack,
		 * mapped next and below, cannot merge with it into one VMA (a
		 * hole would not do: a later one-page mapping may fill it).
		 */
		t->region = mmap(NULL, (THREADS_PAGES + 1) * t->page, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (t->region == MAP_FAILED || mprotect(t->region, t->page, PROT_NONE) ||
		    pipe(t->stop))
			return 0;
		t->region += t->page;
		madvise(t->region, THREADS_PAGES * t->page, MADV_NOHUGEPAGE);
		for (i = 0; i < THREADS_PAGES / 2; i++)
			t->region[i * t->page] = 1;
		pthread_mutex_init(&t->lock, NULL);
		pthread_cond_init(&t->cond, NULL);
		return (unsigned long)t->region;
	case 't':
		if (pthread_attr_init(&attr))
			return 0;
		err = pthread_attr_setstacksize(&attr, THREADS_STACK) ||
		      pthread_create(&t->thread, &attr, threads_body, t);
		pthread_attr_destroy(&attr);
		if (err)
			return 0;
		pthread_mutex_lock(&t->lock);
		while (!t->started)
			pthread_cond_wait(&t->cond, &t->lock);
		pthread_mutex_unlock(&t->lock);
		return t->tid;
	case 's':
		return t->stack_var;
	}
	return 0;
}

/* The VMA of @s right below @v, if one ends where @v starts. */
static const struct snap_vma *threads_below(const struct snapshot *s, const struct snap_vma *v)
{
	return v && v->start ? story_vma_at(s, v->start - 1) : NULL;
}

static int threads_run(struct story *st)
{
	struct threads t = { .page = st->page_size };
	unsigned long long start, end, tid = 0, var = 0, pages, present;
	const struct snap_vma *stack, *guard, *before;
	unsigned long long top = THREADS_PAGES / 2;
	struct story_page by_tid, by_pid;
	struct snapshot a = {}, b = {};
	struct story_child child;
	size_t i;
	int err;

	err = story_child_start(&child, threads_child, &t, &start);
	if (err)
		return err;
	if (!start) {
		story_child_stop(&child);
		return -ENOMEM;
	}
	err = snapshot_take(st->fd, child.pid, &a);
	if (!err)
		err = story_child_do(&child, 't', &tid);
	if (!err && !tid)
		err = -EAGAIN;
	if (!err)
		err = story_child_do(&child, 's', &var);
	if (!err)
		err = snapshot_take(st->fd, child.pid, &b);
	if (err)
		goto out;

	story_say(st, "Process %d maps %d pages at 0x%llx and writes the first %llu.", child.pid,
		  THREADS_PAGES, start, top);
	story_say(st, "It starts a thread, TID %llu, which writes the other %llu.", tid, top);

	end = start + THREADS_PAGES * st->page_size;
	stack = story_vma_at(&b, var);
	before = story_vma_at(&a, var);
	/* Its own VMA: nothing that was there before is in it. */
	story_check(st, stack && !before && (stack->end <= start || stack->start >= end),
		    "its stack (0x%llx) is a new VMA: 0x%llx-0x%llx, %llu KiB",
		    var, stack ? stack->start : 0, stack ? stack->end : 0,
		    stack ? (stack->end - stack->start) >> 10 : 0);
	guard = threads_below(&b, stack);
	story_check(st, guard && guard->end == stack->start && !(guard->vm_flags & THREADS_ACCESS),
		    "below it a guard with no access at all, 0x%llx-0x%llx: an overflow faults",
		    guard ? guard->start : 0, guard ? guard->end : 0);

	present = story_pages(&b, start + top * st->page_size, end, SNAP_PRESENT, 0);
	story_check(st, present == top,
		    "the thread's writes are in the process's page tables: %llu of %llu pages present",
		    present, top);

	err = story_page(st, (pid_t)tid, start + top * st->page_size, &by_tid);
	if (!err)
		err = story_page(st, child.pid, start + top * st->page_size, &by_pid);
	if (err)
		goto out;
	story_say(st, "\nPage %llu, which the thread wrote, walked through each id:", top);
	story_check(st, by_tid.present && by_pid.present && by_tid.pfn == by_pid.pfn,
		    "TID %llu and PID %d: the same tables, the same frame 0x%llx", tid, child.pid,
		    by_pid.pfn);
	/* One address space: no page of the region is mapped twice (fork()'s would be). */
	pages = 0;
	for (i = 0; i < b.nruns; i++) {
		const struct snap_run *r = &b.runs[i];

		if (r->start >= start && r->end <= end && r->sharing == VMATLAS_RUN_PRIVATE)
			pages += (r->end - r->start) / st->page_size;
	}
	story_check(st, pages == THREADS_PAGES,
		    "two threads, one mapping: %llu of %d pages mapped once, none shared", pages,
		    THREADS_PAGES);
	story_say(st, "A thread is a second set of registers and a stack in the same address");
	story_say(st, "space; fork()'s child is a second address space (vmatlas explain cow).");
out:
	story_child_stop(&child);
	snapshot_free(&a);
	snapshot_free(&b);
	return err;
}

const struct scenario scenario_threads = {
	.name = "threads",
	.claim = "the threads of a process share one address space",
	.run = threads_run,
};
