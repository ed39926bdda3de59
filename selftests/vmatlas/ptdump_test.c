// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas ptdump against /proc/PID/pagemap: every page of every run is
 * present (or swapped) exactly when pagemap says so, physically contiguous
 * runs map the frames pagemap reports, and a dump taken one run per call
 * through the resume cursor equals a dump taken at once. Who else maps each
 * page (VMATLAS_PTDUMP_SHARING) is /proc/kpagecount's count, page by page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"

FIXTURE(layout) {
	struct layout l;
	int fd;
};

FIXTURE_SETUP(layout)
{
	self->fd = -1;
	REQUIRE_DEVICE(return);
	self->fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, layout_start(&self->l));
}

FIXTURE_TEARDOWN(layout)
{
	if (self->fd < 0)
		return;
	if (self->l.pid)
		layout_stop(&self->l);
	close(self->fd);
}

/* All runs of [start, end) with at most @room runs per call; returns the count. */
static int ptdump_flags(int fd, pid_t pid, unsigned int flags, unsigned long long start,
			unsigned long long end, unsigned int room, struct vmatlas_run *runs,
			int max, int *calls)
{
	struct vmatlas_ptdump req;
	int n = 0;

	*calls = 0;
	do {
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.flags = flags;
		req.pid = pid;
		req.start = start;
		req.end = end;
		req.count = room;
		req.entry_size = sizeof(*runs);
		req.runs_ptr = (uintptr_t)(runs + n);
		if (n + (int)room > max || ioctl(fd, VMATLAS_IOC_PTDUMP, &req))
			return -1;
		n += req.count;
		start = req.next;
		(*calls)++;
	} while (req.next);
	return n;
}

static int ptdump_ioctl(int fd, pid_t pid, unsigned long long start, unsigned long long end,
			unsigned int room, struct vmatlas_run *runs, int max, int *calls)
{
	return ptdump_flags(fd, pid, 0, start, end, room, runs, max, calls);
}

/* The members of the document and of a run, in order. */
static const struct json_member ptdump_doc_members[] = {
	{ "pid", json_type_int }, { "phys_hidden", json_type_boolean },
	{ "runs", json_type_array },
};

static const struct json_member ptdump_run_members[] = {
	{ "start", json_type_string }, { "end", json_type_string },
	{ "size", json_type_int }, { "page_size", json_type_int },
	{ "tlb_size", json_type_int }, { "level", json_type_string }, { "flags", json_type_array },
	{ "phys", json_type_string, true },
};

/*
 * Every run of a ptdump --json document agrees with pagemap, page by page:
 * present and swapped as pagemap says; and "phys" is there exactly when the
 * run is present and pagemap's frames follow each other through it, the
 * first of them. A run without the member at all fails. The document has
 * json-c's layout and its members in their order, of their types.
 */
TEST_F(layout, runs_agree_with_pagemap)
{
	char pid[16];
	const char *const args[] = { "ptdump", "--json", pid, NULL };
	static struct run_result res;
	struct json_object *doc, *runs;
	unsigned long long present_pages = 0, with_phys = 0;
	int pm, bad = 0;
	char why[128];
	size_t i;

	snprintf(pid, sizeof(pid), "%d", self->l.pid);
	doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, doc) TH_LOG("ptdump failed: %s", res.err);
	EXPECT_TRUE(json_layout_ok(res.out)) TH_LOG("ptdump --json is not json-c's layout");
	ASSERT_TRUE(json_members_are(doc, ptdump_doc_members, ARRAY_SIZE(ptdump_doc_members),
				     why, sizeof(why)))
		TH_LOG("document: %s", why);
	ASSERT_NE(NULL, json_get(doc, "phys_hidden"));
	EXPECT_FALSE(json_object_get_boolean(json_get(doc, "phys_hidden")));
	runs = json_get(doc, "runs");
	ASSERT_LT(0, json_object_array_length(runs));
	pm = pagemap_open(self->l.pid);
	ASSERT_LE(0, pm);
	for (i = 0; i < json_object_array_length(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i), *phys_obj;
		unsigned long long a, start = json_hex(r, "start"), end = json_hex(r, "end");
		struct json_object *flags = json_get(r, "flags");
		int present = json_array_has(flags, "present") || json_array_has(flags, "protnone");
		int swap = json_array_has(flags, "swap");
		__u64 first = pagemap_entry(pm, start, self->l.page) & PM_PFN_MASK;
		int contiguous = present;

		EXPECT_LT(start, end);
		if (i)
			EXPECT_LE(json_hex(json_object_array_get_idx(runs, i - 1), "end"), start);
		ASSERT_TRUE(json_object_object_get_ex(r, "phys", &phys_obj))
			TH_LOG("run %#llx-%#llx has no phys member", start, end);
		ASSERT_TRUE(json_members_are(r, ptdump_run_members,
					     ARRAY_SIZE(ptdump_run_members), why, sizeof(why)))
			TH_LOG("run %#llx-%#llx: %s", start, end, why);
		for (a = start; a < end && bad < 10; a += self->l.page) {
			__u64 e = pagemap_entry(pm, a, self->l.page);

			if (!!(e & PM_PRESENT) != present || !!(e & PM_SWAP) != swap) {
				TH_LOG("%#llx in run %#llx-%#llx: pagemap %#llx", a, start, end,
				       (unsigned long long)e);
				bad++;
			}
			if ((e & PM_PFN_MASK) != first + (a - start) / self->l.page)
				contiguous = 0;
			present_pages += present;
		}
		if (contiguous != !!phys_obj ||
		    (phys_obj && json_hex(r, "phys") != first * self->l.page)) {
			TH_LOG("run %#llx-%#llx: phys %s, pagemap: frame %#llx, %scontiguous",
			       start, end, json_object_get_string(phys_obj),
			       (unsigned long long)first, contiguous ? "" : "not ");
			bad++;
		}
		with_phys += !!phys_obj;
	}
	EXPECT_EQ(0, bad);
	/* The layout's own touched pages are all somewhere in the dump. */
	EXPECT_LE(LAYOUT_PAGES * 3, present_pages);
	EXPECT_LT(0, with_phys);
	close(pm);
	json_object_put(doc);
	run_result_free(&res);
}

TEST_F(layout, one_run_per_call_equals_one_call)
{
	static struct vmatlas_run all[4096], one[4096];
	unsigned long long start = self->l.cow, end = self->l.heap + LAYOUT_PAGES * self->l.page;
	int n_all, n_one, calls, i;

	if (start > end) {
		unsigned long long t = start;

		start = self->l.heap;
		end = t + LAYOUT_PAGES * self->l.page;
	}
	n_all = ptdump_ioctl(self->fd, self->l.pid, start, end, 4096, all, 4096, &calls);
	ASSERT_LT(0, n_all);
	n_one = ptdump_ioctl(self->fd, self->l.pid, start, end, 1, one, 4096, &calls);
	ASSERT_EQ(n_all, n_one);
	EXPECT_EQ(n_one, calls);
	for (i = 0; i < n_all; i++) {
		EXPECT_EQ(all[i].start, one[i].start);
		EXPECT_EQ(all[i].end, one[i].end);
		EXPECT_EQ(all[i].bits, one[i].bits);
	}
}

/* A bounded call over a huge, mostly empty range returns with a cursor. */
TEST_F(layout, huge_sparse_range_is_bounded_and_resumable)
{
	struct vmatlas_run runs[2];
	struct vmatlas_ptdump req;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.pid = self->l.pid;
	req.start = 0;
	/* Just below TASK_SIZE: 128 TiB less a guard page, or 3 GiB on i386. */
	req.end = sizeof(void *) == 8 ? (1ULL << 47) - self->l.page : 0xbffff000ULL;
	req.count = 2;
	req.entry_size = sizeof(runs[0]);
	req.runs_ptr = (uintptr_t)runs;
	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_PTDUMP, &req));
	EXPECT_EQ(2, req.count);
	EXPECT_NE(0, req.next);
	EXPECT_LT(runs[0].start, runs[1].start);
	EXPECT_LE(runs[1].end, req.next);
}

/* The first run of [@start, @end), asked without sharing. */
static int first_run(int fd, pid_t pid, unsigned long long start, unsigned long long end,
		     struct vmatlas_run *run)
{
	int calls;

	memset(run, 0, sizeof(*run));
	return ptdump_flags(fd, pid, 0, start, end, 1, run, 1, &calls) > 0 ? 0 : -1;
}

/* The frame pagemap gives @addr of @pid, or 0. */
static unsigned long long pagemap_pfn(pid_t pid, unsigned long long addr, long page)
{
	int pm = pagemap_open(pid);
	__u64 e = pm < 0 ? 0 : pagemap_entry(pm, addr, page);

	if (pm >= 0)
		close(pm);
	return e & PM_PRESENT ? e & PM_PFN_MASK : 0;
}

/* What /proc says of the page at @addr: VMATLAS_RUN_* as the module should. */
static unsigned int proc_sharing(int pm, unsigned long long addr, long page)
{
	__u64 e = pagemap_entry(pm, addr, page), pfn = e & PM_PFN_MASK;
	__u64 count;

	if (!(e & PM_PRESENT) || (kpage_flags(pfn) & BIT_ULL(KPF_ZERO_PAGE)))
		return 0;
	count = kpage_count(pfn);
	/* pagemap's own word for it, where it is per page on every kernel. */
	if (!(kpage_flags(pfn) & BIT_ULL(KPF_THP)) && !(e & PM_EXCLUSIVE) != !(count == 1))
		return ~0U;
	return count == 1 ? VMATLAS_RUN_PRIVATE : count > 1 ? VMATLAS_RUN_SHARED : ~0U;
}

/*
 * Runs of [@start, @end) of @pid asked with VMATLAS_PTDUMP_SHARING, at once
 * and one run per call (cut inside huge leaves too); both against
 * proc_sharing(), page by page, into @flags (one word per page). Compaction
 * and the deferred split may move or split pages between the looks: looked
 * at again, at most thrice. Returns the pages that disagree.
 */
static int sharing_of(int fd, pid_t pid, unsigned long long start, unsigned long long end,
		      long page, unsigned int *flags)
{
	static struct vmatlas_run all[4096], one[4096];
	unsigned long long a;
	int pm = pagemap_open(pid), n, m, calls, i, bad = 0, tries;

	if (pm < 0)
		return -1;
	for (tries = 0; tries < 3; tries++) {
		n = ptdump_flags(fd, pid, VMATLAS_PTDUMP_SHARING, start, end, 1024, all, 4096,
				 &calls);
		m = ptdump_flags(fd, pid, VMATLAS_PTDUMP_SHARING, start, end, 1, one, 4096,
				 &calls);
		bad = n <= 0 || n != m;
		for (i = 0; !bad && i < n; i++)
			bad = all[i].start != one[i].start || all[i].end != one[i].end ||
			      all[i].page_flags != one[i].page_flags;
		if (bad) {
			fprintf(stderr, "# %d runs at once, %d one by one: not the same\n", n, m);
			continue;
		}
		memset(flags, 0, (end - start) / page * sizeof(*flags));
		for (i = 0; i < n; i++)
			for (a = all[i].start; a < all[i].end; a += page)
				flags[(a - start) / page] = all[i].page_flags;
		for (a = start; a < end; a += page) {
			unsigned int want = proc_sharing(pm, a, page);

			if (flags[(a - start) / page] != want && bad++ < 4)
				fprintf(stderr, "# %#llx: page_flags %#x, /proc says %#x\n", a,
					flags[(a - start) / page], want);
		}
		if (!bad)
			break;
	}
	close(pm);
	return bad;
}

/* A child forked by sharing_child(): it ran @in_child, then waits for a byte. */
struct sharing_child {
	pid_t pid;
	int go;
};

static int sharing_fork(struct sharing_child *c, void (*in_child)(void *), void *arg)
{
	int go[2], ready[2];
	char b = 0;

	if (pipe(go) || pipe(ready))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		/* Only the parent may hold the write end: its close() is the go. */
		close(go[1]);
		in_child(arg);
		if (write(ready[1], &b, 1) != 1)
			_exit(1);
		read(go[0], &b, 1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	c->go = go[1];
	b = read(ready[0], &b, 1) == 1 ? 0 : 1;
	close(ready[0]);
	return b ? -1 : 0;
}

static void sharing_reap(struct sharing_child *c)
{
	close(c->go);
	waitpid(c->pid, NULL, 0);
}

struct sharing_area {
	char *p;
	long page;
	size_t pages;
};

/*
 * The child writes every fourth private page: they are its own now, and the
 * parent's. It writes the shared ones too: fork() copies no entries of
 * shared memory, the child maps them (the same frames) at its first touch.
 */
static void write_every_fourth(void *arg)
{
	struct sharing_area *a = arg;
	size_t i;

	for (i = 0; i < a->pages; i += 4)
		a->p[i * a->page] = 2;
	for (i = a->pages; i < 2 * a->pages; i++)
		a->p[i * a->page] = 3;
}

/*
 * After fork: private pages the child wrote are private in the parent
 * again, the others shared; MAP_SHARED pages shared; the zero page neither.
 */
TEST(sharing_is_kpagecount_page_by_page)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t pages = 64, i;
	unsigned long long start;
	struct sharing_area a = { .page = page, .pages = pages };
	struct sharing_child c;
	unsigned int *flags = calloc(3 * pages, sizeof(*flags));
	char *shared, sum = 0;
	int fd;

	REQUIRE_DEVICE(return);
	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_NE(NULL, flags);
	/* Private, written; shared, written; private, only read. Apart, in a row. */
	a.p = mmap(NULL, 3 * pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	ASSERT_NE(MAP_FAILED, a.p);
	shared = mmap(a.p + pages * page, pages * page, PROT_READ | PROT_WRITE,
		      MAP_SHARED | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	ASSERT_EQ(a.p + pages * page, shared);
	ASSERT_EQ(0, madvise(a.p, 3 * pages * page, MADV_NOHUGEPAGE));
	for (i = 0; i < 2 * pages; i++)
		a.p[i * page] = 1;
	for (i = 2 * pages; i < 3 * pages; i++)
		sum += a.p[i * page];
	ASSERT_EQ(0, sum);
	ASSERT_EQ(0, sharing_fork(&c, write_every_fourth, &a));

	start = (uintptr_t)a.p;
	EXPECT_EQ(0, sharing_of(fd, getpid(), start, start + 3 * pages * page, page, flags));
	/* The claims, not only the agreement: what fork and COW did. */
	for (i = 0; i < pages; i++)
		EXPECT_EQ(i % 4 ? VMATLAS_RUN_SHARED : VMATLAS_RUN_PRIVATE, flags[i])
			TH_LOG("private page %zu", i);
	for (i = pages; i < 2 * pages; i++)
		EXPECT_EQ(VMATLAS_RUN_SHARED, flags[i]) TH_LOG("MAP_SHARED page %zu", i - pages);
	for (i = 2 * pages; i < 3 * pages; i++)
		EXPECT_EQ(0, flags[i]) TH_LOG("zero page %zu", i - 2 * pages);
	/* The child's view: its written pages private, the rest shared. */
	EXPECT_EQ(0, sharing_of(fd, c.pid, start, start + 2 * pages * page, page, flags));
	EXPECT_EQ(VMATLAS_RUN_PRIVATE, flags[0]);
	EXPECT_EQ(VMATLAS_RUN_SHARED, flags[1]);
	sharing_reap(&c);
	/* Alone again: every written page is this process's only. */
	EXPECT_EQ(0, sharing_of(fd, getpid(), start, start + pages * page, page, flags));
	for (i = 0; i < pages; i++)
		EXPECT_EQ(VMATLAS_RUN_PRIVATE, flags[i]) TH_LOG("page %zu after the child", i);
	munmap(a.p, 3 * pages * page);
	free(flags);
	close(fd);
}

/* The child keeps the first half of the parent's huge page mapped. */
static void unmap_second_half(void *arg)
{
	struct sharing_area *a = arg;

	munmap(a->p + a->pages / 2 * a->page, a->pages / 2 * a->page);
}

/*
 * One PMD leaf whose pages are mapped differently: shared in its first
 * half (the child maps it too, by PTEs), private in the second. The runs
 * are cut inside the leaf, and a call with room for one run resumes there.
 */
TEST(sharing_cuts_a_huge_leaf)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long huge = thp_size();
	struct sharing_area a = { .page = page, .pages = huge / page };
	struct vmatlas_run run;
	struct sharing_child c;
	unsigned long long start;
	unsigned int *flags;
	char *raw;
	size_t i;
	int fd;

	REQUIRE_DEVICE(return);
	if (!huge)
		SKIP(return, "no transparent huge pages in this kernel");
	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	flags = calloc(a.pages, sizeof(*flags));
	ASSERT_NE(NULL, flags);
	raw = mmap(NULL, 2 * huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, raw);
	a.p = (char *)(((uintptr_t)raw + huge - 1) & ~(uintptr_t)(huge - 1));
	start = (uintptr_t)a.p;
	madvise(a.p, huge, MADV_HUGEPAGE);
	memset(a.p, 1, huge);
	ASSERT_EQ(0, first_run(fd, getpid(), start, start + huge, &run));
	if (run.level != VMATLAS_LEVEL_PMD) {
		munmap(raw, 2 * huge);
		free(flags);
		close(fd);
		SKIP(return, "no PMD leaf: transparent huge pages are off, or none was free");
	}
	ASSERT_EQ(0, sharing_fork(&c, unmap_second_half, &a));
	/* CONFIG_NO_PAGE_MAPCOUNT (6.15+) keeps no count per page of a large folio. */
	if (kpage_count(pagemap_pfn(getpid(), start + huge - page, page)) != 1) {
		sharing_reap(&c);
		munmap(raw, 2 * huge);
		free(flags);
		close(fd);
		SKIP(return, "this kernel counts the huge page's maps per folio, not per page");
	}

	EXPECT_EQ(0, sharing_of(fd, getpid(), start, start + huge, page, flags));
	for (i = 0; i < a.pages; i++)
		EXPECT_EQ(i < a.pages / 2 ? VMATLAS_RUN_SHARED : VMATLAS_RUN_PRIVATE, flags[i])
			TH_LOG("page %zu of the huge page", i);
	/* Still one leaf in the parent, described in two runs. */
	ASSERT_EQ(0, first_run(fd, getpid(), start, start + huge, &run));
	EXPECT_EQ(VMATLAS_LEVEL_PMD, run.level);
	sharing_reap(&c);
	munmap(raw, 2 * huge);
	free(flags);
	close(fd);
}

/* The child writes the first byte of the hugetlb page: its entry is there. */
static void write_first_byte(void *arg)
{
	struct sharing_area *a = arg;

	a->p[0] = 2;
}

/* The only PTDUMP run of [@start, @start + @len) asked with sharing, or -1. */
static int sharing_run(int fd, pid_t pid, unsigned long long start, unsigned long long len,
		       struct vmatlas_run *run)
{
	int calls;

	return ptdump_flags(fd, pid, VMATLAS_PTDUMP_SHARING, start, start + len, 1, run, 1,
			    &calls) == 1 ? 0 : -1;
}

/*
 * A hugetlb page two processes map, after fork(), through one PMD table
 * (huge_pmd_share(): MAP_SHARED mappings of one file over the same 1 GiB-
 * aligned range). Its map count says once, one entry maps it; the page is
 * mapped by two processes all the same, as both walks show (the same
 * frame), and PTDUMP must say shared in each.
 */
TEST(sharing_of_a_hugetlb_page_two_processes_map)
{
	unsigned long long hp = meminfo_kb("Hugepagesize:") * 1024, start;
	struct sharing_area a = { .page = sysconf(_SC_PAGESIZE) };
	struct vmatlas_walk wp, wc;
	struct vmatlas_run run;
	struct sharing_child c;
	int mfd, fd;
	struct vx x;

	REQUIRE_DEVICE(return);
	if (sizeof(void *) < 8)
		SKIP(return, "no 1 GiB-aligned range for a 32-bit process");
	if (hp != 512ULL * a.page || meminfo_kb("HugePages_Free:") < 1)
		SKIP(return, "no free hugetlb page a PMD maps");
	mfd = memfd_create("vmatlas-sharing", MFD_HUGETLB);
	ASSERT_LE(0, mfd);
	ASSERT_EQ(0, ftruncate(mfd, 1ULL << 30));
	a.p = vx_map_aligned(1ULL << 30, 1ULL << 30, PROT_READ | PROT_WRITE,
			     MAP_SHARED | MAP_NORESERVE, mfd);
	close(mfd);
	ASSERT_NE(NULL, a.p);
	a.p[0] = 1;
	start = (uintptr_t)a.p;
	ASSERT_EQ(0, sharing_fork(&c, write_first_byte, &a));
	ASSERT_EQ(0, vx_open(&x));
	ASSERT_EQ(0, vx_walk(&x, &wp, getpid(), start));
	ASSERT_EQ(0, vx_walk(&x, &wc, c.pid, start));
	EXPECT_EQ(wp.phys, wc.phys);
	EXPECT_NE(0, wp.phys);
	TH_LOG("PMD table %s, map count %llu",
	       wp.levels[VMATLAS_LEVEL_PMD].table == wc.levels[VMATLAS_LEVEL_PMD].table ?
	       "shared" : "not shared", kpage_count(wp.phys / a.page));
	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, sharing_run(fd, getpid(), start, hp, &run));
	EXPECT_EQ(VMATLAS_RUN_SHARED, run.page_flags);
	ASSERT_EQ(0, sharing_run(fd, c.pid, start, hp, &run));
	EXPECT_EQ(VMATLAS_RUN_SHARED, run.page_flags);
	sharing_reap(&c);
	close(fd);
	vx_close(&x);
	munmap(a.p, 1ULL << 30);
}

TEST_HARNESS_MAIN
