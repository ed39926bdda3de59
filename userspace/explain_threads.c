// SPDX-License-Identifier: GPL-2.0
/*
 * explain threads: the threads of a process share its one address space. A
 * child starts a thread: pthread_create() maps the thread's stack as a VMA
 * of the process, with a guard page below it. The thread writes pages the
 * main thread mapped, and they become present in the process's one set of
 * page tables: walked through the thread's id or the process's, the same
 * frame, mapped once (a thread is no second mapping, as fork()'s child is).
 * The kernel's own files, read through either id, are held to the same.
 */
#include <errno.h>
#include <fcntl.h>
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

/* @path's text, up to @len - 1 bytes, NUL-terminated: its length, or -1. */
static ssize_t threads_read(const char *path, char *buf, size_t len)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((n = read(fd, buf + got, len - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = '\0';
	return n < 0 ? -1 : got;
}

/* @fd's 64-bit entry @i (pagemap, kpagecount); 0 if it cannot be read. */
static unsigned long long threads_entry(int fd, unsigned long long i)
{
	unsigned long long e;

	return pread(fd, &e, sizeof(e), i * sizeof(e)) == sizeof(e) ? e : 0;
}

/* The frame a pagemap entry @e names; 0: not present, or hidden. */
static unsigned long long threads_pfn(unsigned long long e)
{
	return e >> 63 ? e & ((1ULL << 55) - 1) : 0;	/* bit 63 present, 0-54 the frame */
}

/*
 * What /proc says through the thread's id and the process's, as the
 * module's walks did: one list of VMAs, the same frame, each page of the
 * region mapped once.
 */
static void threads_proc(struct story *st, pid_t pid, pid_t tid, unsigned long long start,
			 unsigned long long pfn)
{
	static char by_pid[1 << 16], by_tid[1 << 16];
	unsigned long long page = st->page_size, i, frame, once = 0;
	unsigned long long mid = start / page + THREADS_PAGES / 2;
	int map_pid, map_tid, counts, lines = 0;
	ssize_t np, nt;
	char path[48];

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	np = threads_read(path, by_pid, sizeof(by_pid));
	snprintf(path, sizeof(path), "/proc/%d/task/%d/maps", pid, tid);
	nt = threads_read(path, by_tid, sizeof(by_tid));
	for (i = 0; np > 0 && i < (unsigned long long)np; i++)
		lines += by_pid[i] == '\n';
	story_say(st, "\nThe kernel's own files, through each id:");
	story_check(st, np > 0 && np == nt && !memcmp(by_pid, by_tid, np),
		    "/proc/%d/task/%d/maps is /proc/%d/maps: one list of %d VMAs", pid, tid, pid,
		    lines);

	snprintf(path, sizeof(path), "/proc/%d/pagemap", pid);
	map_pid = open(path, O_RDONLY | O_CLOEXEC);
	snprintf(path, sizeof(path), "/proc/%d/pagemap", tid);
	map_tid = open(path, O_RDONLY | O_CLOEXEC);
	counts = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	frame = threads_pfn(threads_entry(map_tid, mid));
	story_check(st, frame && frame == pfn && threads_pfn(threads_entry(map_pid, mid)) == frame,
		    "/proc/%d/pagemap and /proc/%d/pagemap: frame 0x%llx, as walked", tid, pid,
		    frame);
	for (i = 0; i < THREADS_PAGES; i++) {
		frame = threads_pfn(threads_entry(map_pid, start / page + i));
		once += frame && threads_entry(counts, frame) == 1;
	}
	story_check(st, once == THREADS_PAGES,
		    "/proc/kpagecount: %llu of the %d frames mapped once", once, THREADS_PAGES);
	if (map_pid >= 0)
		close(map_pid);
	if (map_tid >= 0)
		close(map_tid);
	if (counts >= 0)
		close(counts);
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
	threads_proc(st, child.pid, (pid_t)tid, start, by_pid.pfn);
	story_say(st, "\nA thread is a second set of registers and a stack in the same address");
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
