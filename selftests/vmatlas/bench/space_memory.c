// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas-bench-space: how much kernel memory does a walk hold?
 *
 * The kernel's own kmem tracepoints (kmalloc, kmem_cache_alloc, the page
 * allocator and their frees), filtered on the walking process, in a trace
 * instance of their own: replayed in order, they give the bytes the walk
 * held at each moment, and the peak. A walk whose buffers grew with what it
 * reads (VMAs, span, resident pages) would show it here: the peak is taken
 * for a whole walk (VMAS with residency, then PTDUMP of the reservation) of
 * a small and of a large reservation.
 *
 * Slab objects (what the slab really holds: bytes_alloc, a PATH_MAX buffer
 * may take 12 KiB) and pages are counted apart: a kmalloc() of more than two
 * pages (a "large" one) counts as pages only; a vmalloc() or a new slab page
 * is seen by both.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmatlas.h"
#include "space_bench.h"

#define INSTANCE	"/sys/kernel/tracing/instances/vmatlas_bench"
#define MEM_OBJS	4096
#define MEM_KEEP	"/tmp/vmatlas-bench-memory.trace"

/* Before 6.2, the _node variants were events of their own. */
static const char *const mem_events[] = {
	"kmalloc", "kmalloc_node", "kfree", "kmem_cache_alloc", "kmem_cache_alloc_node",
	"kmem_cache_free", "mm_page_alloc", "mm_page_free", "mm_page_free_batched", NULL,
};

static int put(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

/* Filter each event on @pid and switch it on (@pid > 0) or off; 0 or -1. */
static int mem_trace(pid_t pid)
{
	char path[256], val[32];
	size_t i;

	for (i = 0; mem_events[i]; i++) {
		snprintf(path, sizeof(path), INSTANCE "/events/kmem/%s/filter", mem_events[i]);
		if (access(path, F_OK))
			continue;
		snprintf(val, sizeof(val), pid > 0 ? "common_pid == %d" : "0", pid);
		if (pid > 0 && put(path, val))
			return -1;
		snprintf(path, sizeof(path), INSTANCE "/events/kmem/%s/enable", mem_events[i]);
		if (put(path, pid > 0 ? "1" : "0"))
			return -1;
	}
	return 0;
}

/* What is held, by hashed pointer or frame, and the peaks. */
struct mem_tally {
	struct {
		char key[40];
		char site[64];		/* the allocation's call_site */
		long long bytes;
	} held[MEM_OBJS];
	int n;
	long long slab, pages, slab_peak, pages_peak;
	unsigned int allocs, frees, matched, dropped, large;
};

static void tally(struct mem_tally *m, const char *key, const char *site, long long bytes,
		  long long *sum, long long *peak)
{
	int i;

	if (bytes > 0) {
		m->allocs++;
		if (m->n == MEM_OBJS)
			m->dropped++;
		if (m->n < MEM_OBJS) {
			snprintf(m->held[m->n].key, sizeof(m->held[0].key), "%s", key);
			snprintf(m->held[m->n].site, sizeof(m->held[0].site), "%s", site);
			m->held[m->n++].bytes = bytes;
		}
		*sum += bytes;
		if (*sum > *peak)
			*peak = *sum;
		return;
	}
	/* A free of something allocated before the trace began counts nothing. */
	m->frees++;
	for (i = m->n - 1; i >= 0; i--) {
		if (!strcmp(m->held[i].key, key)) {
			m->matched++;
			*sum -= m->held[i].bytes;
			m->held[i] = m->held[--m->n];
			return;
		}
	}
}

static int field(const char *line, const char *name, char *out, size_t len)
{
	const char *p = strstr(line, name);
	size_t n;

	if (!p)
		return -1;
	p += strlen(name);
	n = strcspn(p, "\n\t ");
	snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
	return 0;
}

/* Replay the instance's trace; 0, or -1 if it lost events. */
static int mem_replay(struct mem_tally *m)
{
	char line[512], key[40], num[32], req[32], site[64];
	long page = sysconf(_SC_PAGESIZE);
	FILE *f = fopen(INSTANCE "/trace", "r"), *keep;
	int lost = 0;

	if (!f)
		return -1;
	/* The last trace replayed stays behind, for whoever doubts the figure. */
	keep = fopen(MEM_KEEP, "w");
	memset(m, 0, sizeof(*m));
	while (fgets(line, sizeof(line), f)) {
		if (keep)
			fputs(line, keep);
		if (strstr(line, "LOST"))
			lost = 1;
		if (strstr(line, " kmalloc: ") || strstr(line, " kmalloc_node: ") ||
		    strstr(line, " kmem_cache_alloc: ") ||
		    strstr(line, " kmem_cache_alloc_node: ")) {
			/*
			 * A request above two pages goes to the page allocator
			 * (a "large" kmalloc, traced twice through kvmalloc):
			 * the page events count it.
			 */
			if (field(line, "ptr=", key, sizeof(key)) ||
			    field(line, "bytes_req=", req, sizeof(req)) ||
			    field(line, "bytes_alloc=", num, sizeof(num)) ||
			    field(line, "call_site=", site, sizeof(site)))
				continue;
			if (atoll(req) > 2 * page)
				m->large++;
			else
				tally(m, key, site, atoll(num), &m->slab, &m->slab_peak);
		} else if (strstr(line, " kfree: ") || strstr(line, " kmem_cache_free: ")) {
			if (!field(line, "ptr=", key, sizeof(key)))
				tally(m, key, NULL, 0, &m->slab, &m->slab_peak);
		} else if (strstr(line, " mm_page_alloc: ")) {
			if (!field(line, "pfn=", key + 1, sizeof(key) - 1) &&
			    !field(line, "order=", num, sizeof(num))) {
				key[0] = 'p';
				tally(m, key, "pages", (long long)page << atoi(num), &m->pages,
				      &m->pages_peak);
			}
		} else if (strstr(line, " mm_page_free")) {
			if (!field(line, "pfn=", key + 1, sizeof(key) - 1)) {
				key[0] = 'p';
				tally(m, key, NULL, 0, &m->pages, &m->pages_peak);
			}
		}
	}
	fclose(f);
	if (keep)
		fclose(keep);
	return lost ? -1 : 0;
}

/*
 * One whole walk of [@start, @end) of @pid by a child, traced; the peaks in
 * @m. The child walks once untraced first, so that its own user memory is
 * in place before the trace begins. 0 or -1.
 */
static int mem_walk(int dev, pid_t pid, unsigned long start, unsigned long end,
		    struct mem_tally *m)
{
	int go[2], done[2], st, ret = -1;
	pid_t child;
	char c = 0;

	if (pipe(go) || pipe(done))
		bench_die("pipe");
	child = fork();
	if (child < 0)
		bench_die("fork");
	if (!child) {
		close(go[1]);
		close(done[0]);
		if (bench_walk_all(dev, pid, start, end) || read(go[0], &c, 1) != 1)
			_exit(1);
		c = !bench_walk_all(dev, pid, start, end);
		if (write(done[1], &c, 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(go[0]);
	close(done[1]);
	put(INSTANCE "/trace", "");
	if (!mem_trace(child) && write(go[1], &c, 1) == 1 && read(done[0], &c, 1) == 1 && c)
		ret = 0;
	mem_trace(0);
	kill(child, SIGKILL);
	waitpid(child, &st, 0);
	close(go[1]);
	close(done[0]);
	if (!ret)
		ret = mem_replay(m);
	return ret;
}

/*
 * The peak, and what the walker left allocated at its end, by call site:
 * what it freed in another context (an RCU callback, a kthread) is not seen
 * freed, so a peak can only overstate.
 */
static void mem_print(const char *what, struct mem_tally *m)
{
	int i, j, shown = 0;

	printf("%-34s %8.1f KiB slab  %8.1f KiB pages  held at most\n", what,
	       m->slab_peak / 1024.0, m->pages_peak / 1024.0);
	printf("# %s: %u allocations (%u not followed; %u large kmallocs as pages), ", what,
	       m->allocs, m->dropped, m->large);
	printf("%u frees, %u of them matched\n", m->frees, m->matched);
	printf("# %s: not seen freed:", what);
	for (i = 0; i < m->n; i++) {
		long long bytes = m->held[i].bytes;

		if (!m->held[i].site[0])
			continue;
		for (j = i + 1; j < m->n; j++) {
			if (!strcmp(m->held[i].site, m->held[j].site)) {
				bytes += m->held[j].bytes;
				m->held[j].site[0] = 0;
			}
		}
		if (shown++ < 6)
			printf(" %.1f KiB %s;", bytes / 1024.0, m->held[i].site);
	}
	printf("%s\n", shown ? "" : " nothing");
}

/* @rounds: unused; one whole walk is what is measured, and it is exact. */
int bench_memory(struct bench_target *t, int rounds)
{
	static struct mem_tally m;
	unsigned long base;
	char what[64];
	pid_t big;

	if (access("/sys/kernel/tracing/events/kmem/kmalloc", F_OK) ||
	    (mkdir(INSTANCE, 0700) && errno != EEXIST)) {
		printf("%-34s needs tracefs and the kmem events\n", "memory:");
		return 0;
	}
	put("/sys/kernel/tracing/options/record-cmd", "0");
	put(INSTANCE "/buffer_size_kb", "4096");

	snprintf(what, sizeof(what), "memory: whole walk, %llu GiB",
		 (t->nvmas * t->stride + (1ULL << 29)) >> 30);
	if (mem_walk(t->dev, t->pid, t->base, t->base + t->nvmas * t->stride, &m))
		goto fail;
	mem_print(what, &m);

	/* The same walk of a 64 TiB reservation: the span must not matter. */
	if (sizeof(long) == 8) {
		big = bench_spawn_target(64, 64ULL << 40, 64ULL << 20, NULL, &base, NULL);
		if (mem_walk(t->dev, big, base, base + (64ULL << 40), &m)) {
			bench_kill_target(big);
			goto fail;
		}
		bench_kill_target(big);
		mem_print("memory: whole walk, 64 TiB", &m);
	}
	rmdir(INSTANCE);
	return 0;
fail:
	printf("%-34s FAILED: the trace could not be taken or lost events\n", "memory:");
	rmdir(INSTANCE);
	return -1;
}
