// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas atlas against the kernel's own view of the layout process: its
 * rows are /proc/PID/maps's VMAs with the gaps between them; each row's
 * page counts and every bin of its residency strip are what
 * /proc/PID/pagemap says of those pages, its huge pages what smaps says;
 * each walk's frame or swap slot is pagemap's; the kernel's rows are the
 * layout's regions. With few rows allowed, neighbours share rows and
 * every VMA is still in exactly one. The page carries the same data. The
 * browser's side (DOM and screenshot against the data) is the unit gate's
 * (selftests/unit/atlas_test.sh).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"

#define PM_SWAP_OFFSET(e)	(((e) & PM_PFN_MASK) >> 5)

static const char *str(struct json_object *obj, const char *key)
{
	return json_object_get_string(json_get(obj, key));
}

static bool user_row(struct json_object *row)
{
	return !strcmp(str(row, "type"), "vma") || !strcmp(str(row, "type"), "group");
}

/* Every VMA of @doc in exactly one user row, in order; the user rows counted. */
static size_t rows_cover_vmas(struct __test_metadata *_metadata, struct json_object *doc)
{
	struct json_object *rows = json_get(doc, "rows"), *vmas = json_get(doc, "vmas");
	size_t i, next = 0, user = 0;

	for (i = 0; i < json_object_array_length(rows); i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		size_t count = json_int(r, "count");
		struct json_object *last;

		if (!user_row(r))
			continue;
		user++;
		EXPECT_EQ(next, json_int(r, "first"));
		last = json_object_array_get_idx(vmas, next + count - 1);
		if (!last) {
			EXPECT_NE(NULL, last) TH_LOG("row %zu holds VMAs past the last", i);
			return user;
		}
		EXPECT_EQ(json_hex(json_object_array_get_idx(vmas, next), "start"),
			  json_hex(r, "start"));
		EXPECT_EQ(json_hex(last, "end"), json_hex(r, "end"));
		EXPECT_STREQ(count > 1 ? "group" : "vma", str(r, "type"));
		next += count;
	}
	EXPECT_EQ(json_object_array_length(vmas), next);
	return user;
}

FIXTURE(layout) {
	struct layout l;
	char pid[16];
	struct json_object *doc;
};

/* atlas --json with @extra (NULL-ended) before the PID, schema-checked. */
static struct json_object *atlas_json(const char *pid, const char *extra)
{
	const char *const args[] = { "atlas", "--json", extra ? extra : pid, extra ? pid : NULL,
				      NULL };
	struct json_object *doc;
	struct run_result res;

	doc = run_tool_json(&res, args);
	if (!doc)
		fprintf(stderr, "# atlas: %s\n", res.err);
	run_result_free(&res);
	return doc;
}

FIXTURE_SETUP(layout)
{
	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, layout_start(&self->l));
	snprintf(self->pid, sizeof(self->pid), "%d", self->l.pid);
	self->doc = atlas_json(self->pid, NULL);
	ASSERT_NE(NULL, self->doc);
}

FIXTURE_TEARDOWN(layout)
{
	if (!self->l.pid)
		return;
	layout_stop(&self->l);
	json_object_put(self->doc);
}

/* A row per VMA of maps, in order; between two, a gap row exactly as wide. */
TEST_F(layout, rows_are_proc_maps)
{
	struct json_object *rows = json_get(self->doc, "rows");
	size_t i, nrows = json_object_array_length(rows);
	unsigned long long prev_end = 0;
	struct smaps_vma *s;
	int n, j = 0;

	n = smaps_read(self->l.pid, &s);
	ASSERT_LT(0, n);
	EXPECT_FALSE(json_object_get_boolean(json_get(self->doc, "grouped")));
	for (i = 0; i < nrows; i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		unsigned long long start = json_hex(r, "start");

		if (!user_row(r)) {
			/* A gap between VMAs (or below the first) goes on from the last. */
			if (!strcmp(str(r, "type"), "gap") && start == prev_end)
				prev_end = json_hex(r, "end");
			continue;
		}
		while (j < n && !strcmp(s[j].name, "[vsyscall]"))
			j++;
		ASSERT_LT(j, n) TH_LOG("row %zu: more rows than maps has VMAs", i);
		EXPECT_STREQ("vma", str(r, "type"));
		EXPECT_EQ(s[j].start, start);
		EXPECT_EQ(s[j].end, json_hex(r, "end"));
		EXPECT_EQ(prev_end, start) TH_LOG("no gap row before 0x%llx", start);
		prev_end = s[j].end;
		j++;
	}
	while (j < n && !strcmp(s[j].name, "[vsyscall]"))
		j++;
	EXPECT_EQ(n, j) TH_LOG("maps has VMAs the rows do not");
	free(s);
}

/*
 * Is the page at @addr mapped by a huge leaf, by pagemap and kpageflags: a
 * THP or hugetlb page whose whole aligned @huge block is present, on frames
 * in a row from an aligned one. (A PTE-mapped THP would pass too; the
 * layout process has none.)
 */
static bool huge_leaf(int fd, unsigned long long addr, long page, unsigned long huge)
{
	static unsigned long long block = 1;
	static bool answer;
	unsigned long long base = addr & ~(unsigned long long)(huge - 1), pfn, i;
	__u64 e = pagemap_entry(fd, base, page);

	if (base == block)
		return answer;
	block = base;
	answer = false;
	pfn = e & PM_PFN_MASK;
	if (!(e & PM_PRESENT) || !pfn || (pfn & (huge / page - 1)) ||
	    !(kpage_flags(pfn) & (1ULL << KPF_THP | 1ULL << KPF_HUGE)))
		return false;
	for (i = 1; i < huge / page; i++) {
		e = pagemap_entry(fd, base + i * page, page);
		if (!(e & PM_PRESENT) || (e & PM_PFN_MASK) != pfn + i)
			return false;
	}
	answer = true;
	return true;
}

/*
 * A bin's pages by state, as pagemap_class() counts them; a row's totals
 * (present counts huge and shared too), and the pages that may be shared.
 */
enum { C_SWAP, C_SHARED, C_HUGE, C_PRESENT, C_NONE, C_STATES, C_MAYBE = C_STATES };
/* C_MAYBE: pages counted once that may have been shared; C_MAYBE + 1: the reverse. */

/* The tool's rule: most pages win, a tie goes to the state listed first. */
static char bin_state(const unsigned long long n[C_STATES])
{
	static const char name[] = "sSHp.";
	int k, best = 0;

	for (k = 1; k < C_STATES; k++)
		if (n[k] > n[best])
			best = k;
	return name[best];
}

/* This process's own pagemap, opened once. */
static int self_pagemap(void)
{
	static int fd = -1;

	if (fd < 0)
		fd = pagemap_open(getpid());
	return fd;
}

/*
 * What most pages of a bin may be, by pagemap, kpageflags and kpagecount:
 * s(wapped), S (mapped more than once), H (under a huge leaf), p(resent) or
 * '.', into @may (every state the bin may have); the pages added to
 * @counts (C_STATES + 2 of them). A page of a file (not anonymous, not
 * shmem) may have been mapped once more or once less while the tool ran
 * than now: the tool and this test map the same libraries. So a base page
 * of a file mapped once now may have been S, and one mapped twice p. And
 * the layout process is this one's fork: an anonymous page it still shared
 * with this process when the tool read it may be this process's own copy
 * since (it wrote its heap and stack), so one mapped once now, at an
 * address this process maps too, may have been S.
 */
static void pagemap_class(int fd, unsigned long long from, unsigned long long to, long page,
			  unsigned long huge, char *may, unsigned long long *counts)
{
	unsigned long long n[C_STATES] = {}, up = 0, down = 0, a, i, j, pfn, cnt;
	size_t len = 0;
	int k;

	for (a = from; a < to; a += page) {
		__u64 e = pagemap_entry(fd, a, page), f;
		bool hg, either;

		if (e & PM_SWAP) {
			n[C_SWAP]++;
			continue;
		}
		if (!(e & PM_PRESENT)) {
			n[C_NONE]++;
			continue;
		}
		hg = huge_leaf(fd, a, page, huge);
		pfn = e & PM_PFN_MASK;
		f = pfn ? kpage_flags(pfn) : 1ULL << KPF_ZERO_PAGE;
		cnt = f & 1ULL << KPF_ZERO_PAGE ? 0 : kpage_count(pfn);
		either = !hg && !(f & (1ULL << KPF_ANON | 1ULL << KPF_SWAPBACKED)) && cnt;
		if (!hg && (f & 1ULL << KPF_ANON) && cnt == 1 &&
		    (pagemap_entry(self_pagemap(), a, page) & PM_PRESENT))
			either = true;	/* copied by this process since */
		counts[C_PRESENT]++;
		counts[C_HUGE] += hg;
		if (cnt > 1) {
			n[C_SHARED]++;
			counts[C_SHARED]++;
			down += either && cnt == 2;
		} else {
			n[hg ? C_HUGE : C_PRESENT]++;
			up += either;
		}
	}
	counts[C_SWAP] += n[C_SWAP];
	counts[C_MAYBE] += up;
	counts[C_MAYBE + 1] += down;
	for (i = 0; i <= up; i++) {
		for (j = 0; j <= down; j++) {
			unsigned long long m[C_STATES];
			char c;

			memcpy(m, n, sizeof(m));
			m[C_SHARED] += i - j;
			m[C_PRESENT] += j - i;
			c = bin_state(m);
			for (k = 0; k < (int)len && may[k] != c; k++)
				;
			if (k == (int)len)
				may[len++] = c;
		}
	}
	may[len] = '\0';
}

/*
 * Every bin of every row, and every row's counts, from pagemap (huge leaves:
 * with kpageflags); a row's huge pages from smaps too.
 */
TEST_F(layout, strips_are_pagemap)
{
	struct json_object *rows = json_get(self->doc, "rows");
	size_t i, nrows = json_object_array_length(rows);
	long page = self->l.page;
	int fd = pagemap_open(self->l.pid), n, bins = 0;
	struct smaps_vma *s;

	ASSERT_LE(0, fd);
	n = smaps_read(self->l.pid, &s);
	ASSERT_LT(0, n);
	for (i = 0; i < nrows; i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		unsigned long long start = json_hex(r, "start"), end = json_hex(r, "end");
		unsigned long long pages = (end - start) / page;
		const char *strip = str(r, "strip");
		struct json_object *pg = json_get(r, "pages");
		unsigned long long c[C_STATES + 2] = {};
		size_t b, nb;
		struct smaps_vma *v;
		char may[C_STATES + 1];

		if (!user_row(r))
			continue;
		nb = strlen(strip);
		ASSERT_EQ(pages < 200 ? pages : 200, nb);
		for (b = 0; b < nb; b++) {
			unsigned long long f = (b * pages + nb - 1) / nb;
			unsigned long long t = ((b + 1) * pages + nb - 1) / nb;

			pagemap_class(fd, start + f * page, start + t * page, page, self->l.huge,
				      may, c);
			EXPECT_NE(NULL, strchr(may, strip[b]))
				TH_LOG("row 0x%llx, bin %zu of %zu: '%c', pagemap says '%s'", start,
				       b, nb, strip[b], may);
			bins++;
		}
		EXPECT_EQ(c[C_PRESENT], json_int(pg, "present"))
			TH_LOG("row 0x%llx: present pages", start);
		EXPECT_EQ(c[C_SWAP], json_int(pg, "swap"))
			TH_LOG("row 0x%llx: swapped pages", start);
		/* Mapped more than once: kpagecount's, give or take some file pages. */
		EXPECT_LE(c[C_SHARED] - c[C_MAYBE + 1], json_int(pg, "shared"))
			TH_LOG("row 0x%llx", start);
		EXPECT_GE(c[C_SHARED] + c[C_MAYBE], json_int(pg, "shared"))
			TH_LOG("row 0x%llx", start);
		v = smaps_find(s, n, start);
		ASSERT_NE(NULL, v);
		if (v->anon_huge)
			EXPECT_EQ(v->anon_huge * 1024 / page,
				  json_int(json_get(r, "pages"), "huge"))
				TH_LOG("row 0x%llx: AnonHugePages %llu kB", start, v->anon_huge);
	}
	TH_LOG("%d bins checked", bins);
	close(fd);
	free(s);
}

/* The walk behind each hover cell ends where pagemap says the page is. */
TEST_F(layout, walks_are_pagemap)
{
	struct json_object *rows = json_get(self->doc, "rows");
	size_t i, c, nrows = json_object_array_length(rows);
	int fd = pagemap_open(self->l.pid), present = 0, swapped = 0;

	ASSERT_LE(0, fd);
	for (i = 0; i < nrows; i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		struct json_object *walks = json_get(r, "walks");

		if (!user_row(r))
			continue;
		ASSERT_NE(NULL, walks);
		EXPECT_EQ(json_int(r, "cells"), json_object_array_length(walks));
		for (c = 0; c < json_object_array_length(walks); c++) {
			struct json_object *w = json_object_array_get_idx(walks, c);
			unsigned long long addr = w ? json_hex(w, "addr") : 0;
			__u64 e = w ? pagemap_entry(fd, addr, self->l.page) : 0;

			/* Every cell of a lone VMA has pages of it. */
			ASSERT_NE(NULL, w) TH_LOG("row 0x%llx, cell %zu", json_hex(r, "start"), c);
			EXPECT_LE(json_hex(r, "start"), addr);
			EXPECT_GT(json_hex(r, "end"), addr);
			if (json_object_get_boolean(json_get(w, "present"))) {
				EXPECT_TRUE(e & PM_PRESENT) TH_LOG("0x%llx", addr);
				/* [vvar]'s PFN map: pagemap may hide its frame. */
				if (e & PM_PFN_MASK)
					EXPECT_EQ(e & PM_PFN_MASK, json_hex(w, "pfn"))
						TH_LOG("0x%llx", addr);
				present++;
			} else if (json_get(w, "swap")) {
				EXPECT_TRUE(e & PM_SWAP) TH_LOG("0x%llx", addr);
				EXPECT_EQ(PM_SWAP_OFFSET(e),
					  json_hex(json_get(w, "swap"), "offset"));
				swapped++;
			} else {
				EXPECT_FALSE(e & (PM_PRESENT | PM_SWAP)) TH_LOG("0x%llx", addr);
			}
		}
	}
	EXPECT_LT(0, present);
	if (self->l.swap_out)
		EXPECT_LT(0, swapped);
	close(fd);
}

/* The layout region @name from @start to @end, or NULL. */
static struct json_object *region_of(struct json_object *regions, const char *name,
				     unsigned long long start, unsigned long long end)
{
	size_t i;

	for (i = 0; i < json_object_array_length(regions); i++) {
		struct json_object *reg = json_object_array_get_idx(regions, i);

		if (!strcmp(name, str(reg, "name")) && json_hex(reg, "start") == start &&
		    json_hex(reg, "end") == end)
			return reg;
	}
	return NULL;
}

/* The kernel's rows: regions vmatlas layout lists, in address order, the direct map among them. */
TEST_F(layout, kernel_rows_are_layout)
{
	static const char *const args[] = { "layout", "--json", NULL };
	struct json_object *rows = json_get(self->doc, "rows"), *layout, *regions;
	size_t i, nrows = json_object_array_length(rows), checked = 0;
	unsigned long long last = 0;
	struct run_result res;
	bool direct = false;

	layout = run_tool_json(&res, args);
	ASSERT_NE(NULL, layout) TH_LOG("%s", res.err);
	run_result_free(&res);
	ASSERT_TRUE(json_object_get_boolean(json_get(self->doc, "kernel_regions")));
	regions = json_get(layout, "regions");
	for (i = 0; i < nrows; i++) {
		struct json_object *r = json_object_array_get_idx(rows, i);
		const char *name = str(r, "region");
		bool hole;

		if (!name)
			continue;
		hole = !strcmp(name, "hole") || !strcmp(name, "non_canonical");
		EXPECT_NE(NULL, region_of(regions, name, json_hex(r, "start"), json_hex(r, "end")))
			TH_LOG("row %s 0x%llx-0x%llx is no region of layout", name,
			       json_hex(r, "start"), json_hex(r, "end"));
		EXPECT_STREQ(hole ? "gap" : "region", str(r, "type"));
		EXPECT_LE(last, json_hex(r, "start")) TH_LOG("%s: out of order", name);
		last = json_hex(r, "start");
		direct |= !strcmp(name, "direct_map");
		checked++;
	}
	EXPECT_TRUE(direct);
	EXPECT_LT(2, checked);
	json_object_put(layout);
}

/* Sixteen rows at most: neighbours share them, each VMA in one, in order. */
TEST_F(layout, few_rows_group_neighbours)
{
	struct json_object *doc = atlas_json(self->pid, "--rows=16");

	ASSERT_NE(NULL, doc);
	ASSERT_LT(16, json_object_array_length(json_get(doc, "vmas")));
	EXPECT_TRUE(json_object_get_boolean(json_get(doc, "grouped")));
	EXPECT_EQ(16, rows_cover_vmas(_metadata, doc));
	json_object_put(doc);
}

/* The page and the picture: written whole, with a row element per row of the data. */
TEST_F(layout, page_draws_every_row)
{
	static const char *const files[] = { "/tmp/vmatlas-atlas.html", "/tmp/vmatlas-atlas.svg" };
	size_t nrows = json_object_array_length(json_get(self->doc, "rows")), k;
	static char text[4 << 20];

	for (k = 0; k < 2; k++) {
		const char *const args[] = { "atlas", k ? "--no-kernel" : "--html", "-o", files[k],
					      self->pid, NULL };
		const char *at;
		struct run_result res;
		char tmp[64];
		size_t rows = 0;
		ssize_t len;

		ASSERT_EQ(0, run_tool(&res, -1, args));
		EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
		EXPECT_STREQ("", res.out);
		run_result_free(&res);
		len = read_file(files[k], text, sizeof(text));
		ASSERT_LT(0, len);
		ASSERT_GT((ssize_t)sizeof(text), len);
		for (at = text; (at = strstr(at, "<g class=\"row ")); at++)
			rows++;
		/* The page has every row and the kernel; the picture says it left it out. */
		if (!k)
			EXPECT_EQ(nrows, rows);
		if (k)
			EXPECT_NE(NULL, strstr(text, "class=\"sub\">not drawn<"));
		if (!k)
			EXPECT_EQ(NULL, strstr(text, ">not drawn"));
		EXPECT_NE(NULL, strstr(text, "</svg>"));
		snprintf(tmp, sizeof(tmp), "%s.tmp", files[k]);
		EXPECT_NE(0, access(tmp, F_OK));
		unlink(files[k]);
	}
}

/* Thousands of VMAs (every other page read-only): exactly 200 rows, none lost. */
TEST(thousands_of_vmas)
{
	const int n = 4000;
	long page = sysconf(_SC_PAGESIZE);
	struct json_object *doc, *vmas;
	char pid[16], *p;
	size_t user;
	int i;

	REQUIRE_DEVICE(return);
	p = mmap(NULL, n * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	for (i = 0; i < n; i += 2)
		ASSERT_EQ(0, mprotect(p + i * page, page, PROT_READ));
	snprintf(pid, sizeof(pid), "%d", getpid());
	doc = atlas_json(pid, NULL);
	ASSERT_NE(NULL, doc);
	vmas = json_get(doc, "vmas");
	EXPECT_LT(n, json_object_array_length(vmas));
	EXPECT_TRUE(json_object_get_boolean(json_get(doc, "grouped")));
	user = rows_cover_vmas(_metadata, doc);
	EXPECT_EQ(200, user);
	json_object_put(doc);
	munmap(p, n * page);
}

/* A process that is gone: one line, exit 1, no file. */
TEST(dead_pid)
{
	static const char *const args[] = { "atlas", "-o", "/tmp/vmatlas-dead.svg", "999999",
					    NULL };
	struct run_result res;
	struct stat st;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
	EXPECT_STREQ("", res.out);
	EXPECT_NE(0, stat("/tmp/vmatlas-dead.svg", &st));
	run_result_free(&res);
}

TEST_HARNESS_MAIN
