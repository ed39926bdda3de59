// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas-bench-space's benchmarks: residency, VMA listing and cost against
 * span, each beside the kernel's own interface for the same
 * question. Each side's answer is checked against the other's before any
 * time is taken.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/vmatlas.h>

#include "libvmatlas.h"
#include "space_bench.h"

/*
 * PAGEMAP_SCAN (6.7) and PROCMAP_QUERY (6.11) as <linux/fs.h> defines them:
 * the build machine's headers are older than the kernels measured.
 */
#define PROCFS_IOCTL_MAGIC_	'f'
struct pm_scan_arg_ {
	__u64 size, flags, start, end, walk_end, vec, vec_len, max_pages;
	__u64 category_inverted, category_mask, category_anyof_mask, return_mask;
};

struct page_region_ {
	__u64 start, end, categories;
};

#define PAGEMAP_SCAN_	_IOWR(PROCFS_IOCTL_MAGIC_, 16, struct pm_scan_arg_)
#define PAGE_IS_PRESENT_	0x8

struct procmap_query_ {
	__u64 size, query_flags, query_addr, vma_start, vma_end, vma_flags;
	__u64 vma_page_size, vma_offset, inode;
	__u32 dev_major, dev_minor, vma_name_size, build_id_size;
	__u64 vma_name_addr, build_id_addr;
};

#define PROCMAP_QUERY_	_IOWR(PROCFS_IOCTL_MAGIC_, 17, struct procmap_query_)
#define PROCMAP_QUERY_COVERING_OR_NEXT_VMA_	0x10

#define BATCH		256
#define CHUNK_PAGES	4096

/* What a run found, for the agreement check; ranges limit the counts. */
struct ctx {
	struct bench_target *t;
	unsigned long lo, hi;		/* count pages of VMAs inside [lo, hi) */
	unsigned long long pages;	/* resident pages found */
	unsigned long vmas;		/* VMAs found */
	unsigned long smaps_start;	/* the VMA smaps_line() is in */
	unsigned long smaps_end;
	char pid[16];
	char *buf;
	size_t buf_size;
	/* VMA ranges (read_ranges()) */
	unsigned long *r;
	unsigned long r_max;
};

static int open_proc(struct ctx *c, const char *file)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", c->t->pid, file);
	return open(path, O_RDONLY);
}

static int count_vma(const struct vmatlas_vma *v, const char *name, void *p)
{
	struct ctx *c = p;

	if (v->start >= c->lo && v->end <= c->hi)
		c->pages += v->res.present;
	c->vmas++;
	return 0;
}

/*
 * VMAS over the whole process, names included (maps and smaps print them),
 * as the tool asks: through libvmatlas.
 */
static __u64 vmas_ioctl(struct ctx *c, bool residency)
{
	__u64 t0 = bench_now_ns();
	int ret;

	c->pages = 0;
	c->vmas = 0;
	ret = vmatlas_list_vmas(c->t->dev, c->t->pid, residency, count_vma, c);
	if (ret) {
		errno = -ret;
		return 0;
	}
	return bench_now_ns() - t0;
}

static __u64 vmas_residency(void *p)
{
	return vmas_ioctl(p, true);
}

static __u64 vmas_listing(void *p)
{
	return vmas_ioctl(p, false);
}

/* Read a whole /proc file; each line to @line (may be NULL). */
static __u64 read_proc(struct ctx *c, const char *file, void (*line)(struct ctx *, char *))
{
	__u64 t0 = bench_now_ns();
	size_t have = 0;
	ssize_t n;
	int fd;

	c->pages = 0;
	c->vmas = 0;
	fd = open_proc(c, file);
	if (fd < 0)
		return 0;
	while ((n = read(fd, c->buf + have, c->buf_size - have - 1)) > 0) {
		char *s = c->buf, *nl;

		have += n;
		c->buf[have] = '\0';
		while ((nl = strchr(s, '\n'))) {
			*nl = '\0';
			if (line)
				line(c, s);
			s = nl + 1;
		}
		have -= s - c->buf;
		memmove(c->buf, s, have);
	}
	close(fd);
	return n ? 0 : bench_now_ns() - t0;
}

/* smaps: a VMA's header line, then its fields; Rss counts in kB. */
static void smaps_line(struct ctx *c, char *s)
{
	unsigned long kb;

	/* As a careful reader would: only two of the ~25 lines are parsed. */
	if (!strncmp(s, "Rss:", 4)) {
		if (sscanf(s + 4, "%lu", &kb) == 1 && c->smaps_start >= c->lo &&
		    c->smaps_end <= c->hi)
			c->pages += kb * 1024 / c->t->page_size;
	} else if (!(*s >= 'A' && *s <= 'Z') &&
		   sscanf(s, "%lx-%lx ", &c->smaps_start, &c->smaps_end) == 2) {
		/* Field names are capitalised; a VMA's line starts with hex. */
		c->vmas++;
	}
}

static __u64 smaps_read(void *p)
{
	return read_proc(p, "smaps", smaps_line);
}

static void maps_line(struct ctx *c, char *s)
{
	c->vmas += !strstr(s, "[vsyscall]");
}

static __u64 maps_read(void *p)
{
	return read_proc(p, "maps", maps_line);
}

/* The VMAs /proc/PID/maps lists, as c->r[2 * i], c->r[2 * i + 1]; -1 on error. */
static long read_ranges(struct ctx *c)
{
	unsigned long nr = 0;
	char *s;
	FILE *f;
	int fd;

	fd = open_proc(c, "maps");
	f = fd < 0 ? NULL : fdopen(fd, "r");
	if (!f)
		return -1;
	while ((s = fgets(c->buf, c->buf_size, f))) {
		if (strstr(s, "[vsyscall]") || nr == c->r_max)
			continue;
		if (sscanf(s, "%lx-%lx", &c->r[2 * nr], &c->r[2 * nr + 1]) == 2)
			nr++;
	}
	fclose(f);
	return nr;
}

/* Both pagemap readers start so: the VMAs, pagemap open, nothing counted. */
static int ranges_and_pagemap(struct ctx *c, long *nr)
{
	c->pages = 0;
	*nr = read_ranges(c);
	return *nr < 0 ? -1 : open_proc(c, "pagemap");
}

/* By hand: maps, then pagemap over every VMA, counting present entries. */
static __u64 pagemap_by_hand(void *p)
{
	static __u64 ent[CHUNK_PAGES];
	__u64 t0 = bench_now_ns();
	struct ctx *c = p;
	long nr, i;
	int fd;

	fd = ranges_and_pagemap(c, &nr);
	if (fd < 0)
		return 0;
	for (i = 0; i < nr; i++) {
		unsigned long a = c->r[2 * i], end = c->r[2 * i + 1], n, j;
		bool in = a >= c->lo && end <= c->hi;

		for (; a < end; a += n * c->t->page_size) {
			n = (end - a) / c->t->page_size;
			if (n > CHUNK_PAGES)
				n = CHUNK_PAGES;
			if (pread(fd, ent, n * 8, a / c->t->page_size * 8) != (ssize_t)(n * 8)) {
				close(fd);
				return 0;
			}
			if (in)
				for (j = 0; j < n; j++)
					c->pages += ent[j] >> 63;
		}
	}
	close(fd);
	return bench_now_ns() - t0;
}

/* PAGEMAP_SCAN over the same VMAs, asking for present pages only. */
static __u64 pagemap_scan(void *p)
{
	static struct page_region_ vec[BATCH];
	__u64 t0 = bench_now_ns();
	struct pm_scan_arg_ a;
	struct ctx *c = p;
	long nr, i, n, k;
	int fd;

	fd = ranges_and_pagemap(c, &nr);
	if (fd < 0)
		return 0;
	for (i = 0; i < nr; i++) {
		bool in = c->r[2 * i] >= c->lo && c->r[2 * i + 1] <= c->hi;

		memset(&a, 0, sizeof(a));
		a.size = sizeof(a);
		a.start = c->r[2 * i];
		a.end = c->r[2 * i + 1];
		a.vec = (uintptr_t)vec;
		a.vec_len = BATCH;
		a.category_mask = PAGE_IS_PRESENT_;
		a.return_mask = PAGE_IS_PRESENT_;
		do {
			n = ioctl(fd, PAGEMAP_SCAN_, &a);
			if (n < 0) {
				close(fd);
				return 0;
			}
			if (in)
				for (k = 0; k < n; k++)
					c->pages += (vec[k].end - vec[k].start) / c->t->page_size;
			a.start = a.walk_end;
		} while (a.walk_end < a.end);
	}
	close(fd);
	return bench_now_ns() - t0;
}

/* PROCMAP_QUERY from address 0 up: every VMA, no text. */
static __u64 procmap_query(void *p)
{
	__u64 t0 = bench_now_ns();
	struct procmap_query_ q;
	struct ctx *c = p;
	unsigned long addr = 0;
	int fd, err;

	c->vmas = 0;
	fd = open_proc(c, "maps");
	if (fd < 0)
		return 0;
	for (;;) {
		memset(&q, 0, sizeof(q));
		q.size = sizeof(q);
		q.query_flags = PROCMAP_QUERY_COVERING_OR_NEXT_VMA_;
		q.query_addr = addr;
		if (ioctl(fd, PROCMAP_QUERY_, &q))
			break;
		c->vmas++;
		addr = q.vma_end;
	}
	err = errno;
	close(fd);
	return err == ENOENT ? bench_now_ns() - t0 : 0;
}

/* What a user runs: the tool, and cat. */
static __u64 tool_maps(void *p)
{
	struct ctx *c = p;
	char *const argv[] = { "vmatlas", "maps", "--json", c->pid, NULL };

	return bench_run_quiet(argv);
}

static __u64 cat_smaps(void *p)
{
	struct ctx *c = p;
	char path[64];
	char *const argv[] = { "cat", path, NULL };

	snprintf(path, sizeof(path), "/proc/%s/smaps", c->pid);
	return bench_run_quiet(argv);
}

static int ctx_init(struct ctx *c, struct bench_target *t, unsigned long lo, unsigned long hi)
{
	memset(c, 0, sizeof(*c));
	c->t = t;
	c->lo = lo;
	c->hi = hi;
	snprintf(c->pid, sizeof(c->pid), "%d", t->pid);
	c->r_max = t->nvmas * 2 + 256;
	c->r = calloc(2 * c->r_max, sizeof(*c->r));
	c->buf_size = 1 << 16;
	c->buf = malloc(c->buf_size);
	if (!c->buf || !c->r)
		bench_die("malloc");
	return 0;
}

static void ctx_fini(struct ctx *c)
{
	free(c->buf);
	free(c->r);
}

/*
 * Run each side once and compare what @field counted: a benchmark of two
 * different answers would measure nothing.
 */
static int agree(const char *what, struct ctx *c, __u64 (*fn[])(void *),
		 const char *const names[], int n, int vmas)
{
	unsigned long long first = 0, got;
	int i;

	for (i = 0; i < n; i++) {
		if (!fn[i](c)) {
			printf("%-34s FAILED: %s failed: %s\n", what, names[i], strerror(errno));
			return -1;
		}
		got = vmas ? c->vmas : c->pages;
		if (i && got != first) {
			printf("%-34s FAILED: %s counts %llu, %s %llu\n", what, names[0], first,
			       names[i], got);
			return -1;
		}
		first = got;
	}
	printf("# %s: %s give the same answer: %llu %s\n", what,
	       n > 2 ? "all sides" : "both sides", first, vmas ? "VMAs" : "resident pages");
	return 0;
}

/* Whether this kernel has an interface (ENOTTY: not yet); prints if not. */
static bool has(__u64 (*fn)(void *), struct ctx *c, const char *name, const char *since)
{
	if (fn(c) || errno != ENOTTY)
		return true;
	printf("%-34s not in this kernel (since %s)\n", name, since);
	return false;
}

int bench_residency(struct bench_target *t, int rounds)
{
	__u64 (*fn[])(void *) = { vmas_residency, smaps_read, pagemap_by_hand, pagemap_scan };
	static const char *const names[] = { "VMAS", "smaps", "pagemap", "PAGEMAP_SCAN" };
	const struct bench b[] = {
		{ "residency: VMAS ioctl", "read smaps", vmas_residency, smaps_read },
		{ "residency: vmatlas maps --json", "cat smaps", tool_maps, cat_smaps },
		{ "residency: VMAS ioctl", "pagemap by hand", vmas_residency, pagemap_by_hand },
		{ "residency: VMAS ioctl", "PAGEMAP_SCAN", vmas_residency, pagemap_scan },
	};
	unsigned long hi = t->base + t->nvmas * t->stride;
	struct ctx c;
	int scan, ret = -1;

	ctx_init(&c, t, t->base, hi);
	scan = has(pagemap_scan, &c, "residency: PAGEMAP_SCAN", "6.7");
	if (agree("residency", &c, fn, names, scan ? 4 : 3, 0))
		goto out;
	bench_pair(&b[0], &c, rounds);
	bench_pair(&b[1], &c, rounds);
	bench_pair(&b[2], &c, rounds);
	if (scan)
		bench_pair(&b[3], &c, rounds);
	ret = 0;
out:
	ctx_fini(&c);
	return ret;
}

int bench_listing(struct bench_target *t, int rounds)
{
	__u64 (*fn[])(void *) = { vmas_listing, maps_read, procmap_query };
	static const char *const names[] = { "VMAS", "maps", "PROCMAP_QUERY" };
	const struct bench b[] = {
		{ "listing: VMAS ioctl", "read maps", vmas_listing, maps_read },
		{ "listing: VMAS ioctl", "PROCMAP_QUERY", vmas_listing, procmap_query },
	};
	struct ctx c;
	int query, ret = -1;

	ctx_init(&c, t, 0, 0);
	query = has(procmap_query, &c, "listing: PROCMAP_QUERY", "6.11");
	if (agree("listing", &c, fn, names, query ? 3 : 2, 1))
		goto out;
	bench_pair(&b[0], &c, rounds);
	if (query)
		bench_pair(&b[1], &c, rounds);
	ret = 0;
out:
	ctx_fini(&c);
	return ret;
}

/*
 * Cost against span: the same 64 clusters of touched pages, one per VMA,
 * spread over reservations of growing size; each timed against the
 * smallest. Empty upper-level entries should cost nothing.
 */
#define SPAN_VMAS	64
#define SPAN_TOUCH	(64ULL << 20)

static struct ctx span_ctx[3];

static __u64 span_small(void *p)
{
	return vmas_residency(&span_ctx[0]);
}

static __u64 span_large(void *p)
{
	return vmas_residency(p);
}

static int levels(int dev)
{
	struct vmatlas_info info;

	return vmatlas_get_info(dev, &info) ? -1 : (int)info.levels;
}

/*
 * The user space five levels give: 64 PiB (x86-64, 57 bits, the user half)
 * or 4 PiB (arm64, 52 bits), with the program and its stack in it. Half of
 * it, above the 47- or 48-bit default: 32 PiB or 2 PiB.
 */
static unsigned long long five_level_span(int dev, unsigned long long *hint)
{
	struct vmatlas_layout layout;
	unsigned long long reach;

	if (vmatlas_layout(dev, &layout) || layout.task_size < 2)
		return 0;
	/* TASK_SIZE is the reach, or a page short of it (x86-64). */
	reach = 1ULL << (64 - __builtin_clzll(layout.task_size - 1));
	*hint = reach / 4;
	return reach / 2;
}

int bench_span(struct bench_target *t, int rounds)
{
	static struct {
		char name[40];
		unsigned long long size;
		unsigned long long hint;
		int levels;
	} span[] = {
		{ "span: 64 TiB reservation", 64ULL << 40, 0, 4 },
		{ "", 0, 0, 5 },
	};
	struct bench b = { NULL, "the same in 64 GiB", span_large, span_small };
	struct bench_target st[3];
	unsigned long base;
	int i, n = 1, ret = -1;

	st[0] = *t;
	st[0].nvmas = SPAN_VMAS;
	st[0].touch = SPAN_TOUCH;
	if (sizeof(long) < 8) {
		printf("%-34s needs a 64-bit process\n", "span");
		return 0;
	}
	span[1].size = five_level_span(t->dev, &span[1].hint);
	snprintf(span[1].name, sizeof(span[1].name), "span: %llu PiB reservation",
		 span[1].size >> 50);
	st[0].stride = (64ULL << 30) / SPAN_VMAS;
	st[0].pid = bench_spawn_target(SPAN_VMAS, 64ULL << 30, SPAN_TOUCH, NULL, &base, NULL);
	st[0].base = base;
	ctx_init(&span_ctx[0], &st[0], base, base + (64ULL << 30));
	for (i = 0; i < 2; i++) {
		if (levels(t->dev) < span[i].levels) {
			printf("%-34s needs %d page-table levels\n", span[i].name, span[i].levels);
			continue;
		}
		st[n] = st[0];
		st[n].stride = span[i].size / SPAN_VMAS;
		st[n].pid = bench_spawn_target(SPAN_VMAS, span[i].size, SPAN_TOUCH,
					       (void *)(uintptr_t)span[i].hint, &base, NULL);
		st[n].base = base;
		ctx_init(&span_ctx[n], &st[n], base, base + span[i].size);
		n++;
		if (!span_small(NULL) || !span_large(&span_ctx[n - 1]) ||
		    span_ctx[0].pages != span_ctx[n - 1].pages ||
		    span_ctx[0].pages != SPAN_TOUCH / t->page_size) {
			printf("%-34s FAILED: resident pages %llu and %llu, want %llu\n",
			       span[i].name, span_ctx[0].pages, span_ctx[n - 1].pages,
			       SPAN_TOUCH / t->page_size);
			goto out;
		}
		printf("# %s: both sides give the same answer: %llu resident pages\n",
		       span[i].name, span_ctx[0].pages);
		b.name = span[i].name;
		bench_pair(&b, &span_ctx[n - 1], rounds);
	}
	ret = 0;
out:
	for (i = 0; i < n; i++) {
		bench_kill_target(st[i].pid);
		ctx_fini(&span_ctx[i]);
	}
	return ret;
}
