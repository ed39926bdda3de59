// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas snapshot and diff against the kernel's own view: a snapshot of
 * the layout process has /proc/PID/maps's VMAs and, page by page, the
 * states, frames and swap slots /proc/PID/pagemap reports; a diff of this
 * process's own snapshots names exactly the pages it touched, the VMA
 * mprotect() split and the VMA mremap() moved, and exits as diff(1) does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"
#include "schema.h"

#define PM_SWAP_TYPE(e)		((e) & 0x1f)
#define PM_SWAP_OFFSET(e)	(((e) & PM_PFN_MASK) >> 5)

/* The run of @runs that holds @addr, or NULL. */
static struct json_object *run_at(struct json_object *runs, unsigned long long addr)
{
	size_t lo = 0, hi = json_object_array_length(runs);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		struct json_object *r = json_object_array_get_idx(runs, mid);

		if (json_hex(r, "end") <= addr)
			lo = mid + 1;
		else if (json_hex(r, "start") > addr)
			hi = mid;
		else
			return r;
	}
	return NULL;
}

static const char *str(struct json_object *obj, const char *key)
{
	return json_object_get_string(json_get(obj, key));
}

FIXTURE(layout) {
	struct layout l;
	struct json_object *doc;
};

FIXTURE_SETUP(layout)
{
	char pid[16];
	const char *const args[] = { "snapshot", pid, NULL };
	static struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, layout_start(&self->l));
	snprintf(pid, sizeof(pid), "%d", self->l.pid);
	self->doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, self->doc) TH_LOG("snapshot failed: %s", res.err);
	run_result_free(&res);
}

FIXTURE_TEARDOWN(layout)
{
	if (!self->l.pid)
		return;
	layout_stop(&self->l);
	json_object_put(self->doc);
}

TEST_F(layout, vmas_are_proc_maps)
{
	struct json_object *vmas = json_get(self->doc, "vmas");
	struct smaps_vma *s;
	int n, i, j = 0;

	n = smaps_read(self->l.pid, &s);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		struct json_object *v;

		if (!strcmp(s[i].name, "[vsyscall]"))
			continue;
		ASSERT_LT(j, json_object_array_length(vmas));
		v = json_object_array_get_idx(vmas, j++);
		EXPECT_EQ(s[i].start, json_hex(v, "start"));
		EXPECT_EQ(s[i].end, json_hex(v, "end"));
		EXPECT_STREQ(s[i].perms, str(v, "perms"));
		EXPECT_STREQ(s[i].name, str(v, "path"));
	}
	EXPECT_EQ(j, json_object_array_length(vmas));
	EXPECT_EQ(self->l.pid, json_int(self->doc, "pid"));
	EXPECT_EQ(sysconf(_SC_PAGESIZE), json_int(self->doc, "page_size"));
	free(s);
}

/* Every page of every VMA: what pagemap says, the snapshot says. */
TEST_F(layout, every_page_is_pagemap)
{
	struct json_object *vmas = json_get(self->doc, "vmas");
	struct json_object *runs = json_get(self->doc, "runs");
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long addr, checked = 0, present = 0, swapped = 0;
	int fd = pagemap_open(self->l.pid);
	size_t i;

	ASSERT_LE(0, fd);
	for (i = 0; i < json_object_array_length(vmas); i++) {
		struct json_object *v = json_object_array_get_idx(vmas, i);

		/* [vvar]'s PFN map: pagemap's frames, no struct page; both say present. */
		for (addr = json_hex(v, "start"); addr < json_hex(v, "end"); addr += page) {
			__u64 e = pagemap_entry(fd, addr, page);
			struct json_object *r = run_at(runs, addr);
			const char *state = r ? str(r, "state") : "none";
			unsigned long long n = r ? (addr - json_hex(r, "start")) / page : 0;

			checked++;
			if (e & PM_PRESENT) {
				present++;
				ASSERT_STREQ("present", state) TH_LOG("0x%llx", addr);
				EXPECT_EQ(e & PM_PFN_MASK, json_hex(r, "pfn") + n)
					TH_LOG("0x%llx: frame", addr);
			} else if (e & PM_SWAP) {
				swapped++;
				ASSERT_STREQ("swap", state) TH_LOG("0x%llx", addr);
				EXPECT_EQ(PM_SWAP_TYPE(e), json_int(r, "swap_type"));
				EXPECT_EQ(PM_SWAP_OFFSET(e), json_hex(r, "swap_offset") + n)
					TH_LOG("0x%llx: swap slot", addr);
			} else {
				EXPECT_STREQ("none", state) TH_LOG("0x%llx", addr);
			}
		}
	}
	EXPECT_LT(0, present);
	EXPECT_EQ(self->l.swap_out, swapped) TH_LOG("swap entries");
	/* The THP region: one run of PMD leaves, if the kernel gave it huge pages. */
	if (kpage_flags(pagemap_entry(fd, self->l.thp, page) & PM_PFN_MASK) &
	    (1ULL << KPF_THP)) {
		struct json_object *r = run_at(runs, self->l.thp);

		ASSERT_NE(NULL, r);
		EXPECT_EQ(self->l.huge, json_int(r, "leaf_size"));
	}
	close(fd);
	TH_LOG("%llu pages checked, %llu present, %llu swapped", checked, present, swapped);
}

/*
 * @pages pages of private anonymous memory between two PROT_NONE guard
 * pages, so that no neighbour merges with its VMA.
 */
static char *map_guarded(int pages, long page)
{
	char *p = mmap(NULL, (pages + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED || mprotect(p + page, pages * page, PROT_READ | PROT_WRITE))
		return NULL;
	return p + page;
}

/* Our own address space, saved to @file; 0 or the tool's exit status. */
static int snapshot_self(const char *file, char *err, size_t len)
{
	char pid[16];
	const char *const args[] = { "snapshot", "-o", file, pid, NULL };
	struct run_result res;
	int rc;

	snprintf(pid, sizeof(pid), "%d", getpid());
	if (run_tool(&res, -1, args))
		return -1;
	rc = run_exit_code(&res);
	snprintf(err, len, "%s", res.err);
	run_result_free(&res);
	return rc;
}

/* diff --json A B, schema-checked; its exit status in @rc. */
static struct json_object *diff_json(const char *a, const char *b, int *rc)
{
	const char *const args[] = { "diff", "--json", a, b, NULL };
	struct json_object *doc = NULL;
	struct run_result res;

	if (run_tool(&res, -1, args))
		return NULL;
	*rc = run_exit_code(&res);
	doc = parse_tool_json(&res, res.out, "diff");
	if (!doc)
		fprintf(stderr, "# diff: %s\n", res.err);
	run_result_free(&res);
	return doc;
}

/* The changes @kind of @doc's @key that lie in [@start, @end). */
static int changes_in(struct json_object *doc, const char *key, const char *kind,
		      unsigned long long start, unsigned long long end, struct json_object **first)
{
	struct json_object *arr = json_get(doc, key);
	int n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(arr); i++) {
		struct json_object *c = json_object_array_get_idx(arr, i);
		struct json_object *side = c;

		if (!strcmp(key, "vmas")) {
			side = json_object_array_get_idx(json_get(c, "before"), 0);
			if (!side)
				side = json_object_array_get_idx(json_get(c, "after"), 0);
		}
		if (json_hex(side, "start") < start || json_hex(side, "start") >= end)
			continue;
		if (kind && strcmp(kind, str(c, "change")))
			continue;
		if (!n++ && first)
			*first = c;
	}
	return n;
}

/* The pages of @doc's page changes @kind (NULL: any) that start in [@start, @end). */
static long long changes_pages(struct json_object *doc, const char *kind,
			       unsigned long long start, unsigned long long end)
{
	struct json_object *pages = json_get(doc, "pages");
	long long n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(pages); i++) {
		struct json_object *p = json_object_array_get_idx(pages, i);

		if (json_hex(p, "start") >= start && json_hex(p, "start") < end &&
		    (!kind || !strcmp(str(p, "change"), kind)))
			n += json_int(p, "pages");
	}
	return n;
}

#define REGION_PAGES	64

TEST(diff_names_what_this_process_did)
{
	long page = sysconf(_SC_PAGESIZE);
	char dir[] = "/tmp/snapXXXXXX", a[64], b[64], c[64], d[64], err[4096];
	struct json_object *doc, *ch = NULL, *after;
	unsigned long long start, end;
	char *region, *small, *hole;
	int i, rc = -1;

	REQUIRE_DEVICE(return);
	ASSERT_NE(NULL, mkdtemp(dir));
	snprintf(a, sizeof(a), "%s/a.json", dir);
	snprintf(b, sizeof(b), "%s/b.json", dir);
	snprintf(c, sizeof(c), "%s/c.json", dir);
	snprintf(d, sizeof(d), "%s/d.json", dir);
	region = map_guarded(REGION_PAGES, page);
	ASSERT_NE(NULL, region);
	/* No THP: every 4th page must be one page, not a huge one. */
	madvise(region, REGION_PAGES * page, MADV_NOHUGEPAGE);
	start = (unsigned long)region;
	end = start + REGION_PAGES * page;

	ASSERT_EQ(0, snapshot_self(a, err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(a, a, &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(0, rc) TH_LOG("a snapshot against itself");
	json_object_put(doc);

	/* Lazy allocation: every 4th page touched, those and no other become present. */
	for (i = 0; i < REGION_PAGES; i += 4)
		region[i * page] = 1;
	ASSERT_EQ(0, snapshot_self(b, err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(a, b, &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(1, rc);
	EXPECT_EQ(REGION_PAGES / 4, changes_in(doc, "pages", "present", start, end, &ch));
	EXPECT_EQ(REGION_PAGES / 4, changes_in(doc, "pages", NULL, start, end, NULL));
	EXPECT_EQ(start, json_hex(ch, "start"));
	EXPECT_EQ(1, json_int(ch, "pages"));
	EXPECT_EQ(0, changes_in(doc, "vmas", NULL, start, end, NULL));
	json_object_put(doc);

	/* mprotect() of pages 8-15: the VMA is split in three. */
	ASSERT_EQ(0, mprotect(region + 8 * page, 8 * page, PROT_READ));
	ASSERT_EQ(0, snapshot_self(c, err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(b, c, &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(1, rc);
	ASSERT_EQ(1, changes_in(doc, "vmas", "split", start, end, &ch));
	after = json_get(ch, "after");
	ASSERT_EQ(3, json_object_array_length(after));
	EXPECT_EQ(start + 8 * page, json_hex(json_object_array_get_idx(after, 1), "start"));
	EXPECT_STREQ("r--p", str(json_object_array_get_idx(after, 1), "perms"));
	EXPECT_EQ(0, changes_in(doc, "pages", NULL, start, end, NULL));
	json_object_put(doc);

	/* mremap() of a touched 4-page mapping into a hole: moved, frames kept. */
	small = map_guarded(4, page);
	hole = mmap(NULL, 64 * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(NULL, small);
	ASSERT_NE(MAP_FAILED, hole);
	ASSERT_EQ(0, munmap(hole, 64 * page));
	small[0] = 1;
	ASSERT_EQ(0, snapshot_self(c, err, sizeof(err))) TH_LOG("%s", err);
	ASSERT_EQ(hole + 30 * page, mremap(small, 4 * page, 4 * page,
					   MREMAP_MAYMOVE | MREMAP_FIXED, hole + 30 * page));
	ASSERT_EQ(0, snapshot_self(d, err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(c, d, &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(1, rc);
	ASSERT_EQ(1, changes_in(doc, "vmas", "moved", (unsigned long)small,
				(unsigned long)small + 4 * page, &ch));
	EXPECT_EQ((unsigned long)hole + 30 * page,
		  json_hex(json_object_array_get_idx(json_get(ch, "after"), 0), "start"));
	json_object_put(doc);

	/* Moved again and grown to 8 pages: still moved, known by its frame. */
	ASSERT_EQ(hole + 44 * page, mremap(hole + 30 * page, 4 * page, 8 * page,
					   MREMAP_MAYMOVE | MREMAP_FIXED, hole + 44 * page));
	ASSERT_EQ(0, snapshot_self(c, err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(d, c, &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(1, rc);
	ASSERT_EQ(1, changes_in(doc, "vmas", "moved", (unsigned long)hole + 30 * page,
				(unsigned long)hole + 34 * page, &ch));
	after = json_object_array_get_idx(json_get(ch, "after"), 0);
	EXPECT_EQ((unsigned long)hole + 44 * page, json_hex(after, "start"));
	EXPECT_EQ((unsigned long)hole + 52 * page, json_hex(after, "end"));
	EXPECT_EQ(0, changes_in(doc, "vmas", "added", (unsigned long)hole + 44 * page,
				(unsigned long)hole + 52 * page, NULL));
	json_object_put(doc);

	munmap(region - page, (REGION_PAGES + 2) * page);
	munmap(small - page, 6 * page);
	munmap(hole + 44 * page, 8 * page);
	unlink(a);
	unlink(b);
	unlink(c);
	unlink(d);
	rmdir(dir);
}

/* Tell a child waiting on @go[0] to go on; wait for its byte on @ack. */
static int child_step(int go, int ack)
{
	char c = 0;

	return write(go, &c, 1) == 1 && read(ack, &c, 1) == 1 ? 0 : -1;
}

/*
 * fork() shares every written private page (same frames, mapped twice); the
 * child's writes to a quarter of them (copy on write) and then its exit
 * leave them private again. Each step's diff names exactly those pages.
 */
TEST(diff_names_pages_shared_by_fork_and_private_again)
{
	long page = sysconf(_SC_PAGESIZE);
	char dir[] = "/tmp/snapXXXXXX", f[4][64], err[4096];
	struct json_object *doc;
	unsigned long long start, end;
	int go[2], ack[2], i, rc = -1;
	char *region, c = 0;
	pid_t child;

	REQUIRE_DEVICE(return);
	ASSERT_NE(NULL, mkdtemp(dir));
	for (i = 0; i < 4; i++)
		snprintf(f[i], sizeof(f[i]), "%s/%c.json", dir, 'a' + i);
	region = map_guarded(REGION_PAGES, page);
	ASSERT_NE(NULL, region);
	madvise(region, REGION_PAGES * page, MADV_NOHUGEPAGE);
	start = (unsigned long)region;
	end = start + REGION_PAGES * page;
	for (i = 0; i < REGION_PAGES; i++)
		region[i * page] = 1;
	ASSERT_EQ(0, snapshot_self(f[0], err, sizeof(err))) TH_LOG("%s", err);
	doc = json_object_from_file(f[0]);
	ASSERT_NE(NULL, doc);
	EXPECT_TRUE(json_object_get_boolean(json_get(doc, "sharing")));
	json_object_put(doc);

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ack));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		/* First wait, then write every fourth page, then wait, then exit. */
		close(go[1]);
		if (read(go[0], &c, 1) != 1)
			_exit(1);
		for (i = 0; i < REGION_PAGES; i += 4)
			region[i * page] = 2;
		if (write(ack[1], &c, 1) != 1 || read(go[0], &c, 1) != 1)
			_exit(1);
		_exit(0);
	}
	close(ack[1]);
	ASSERT_EQ(0, snapshot_self(f[1], err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(f[0], f[1], &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(1, rc);
	EXPECT_EQ(REGION_PAGES, changes_pages(doc, "shared", start, end));
	EXPECT_EQ(REGION_PAGES, changes_pages(doc, NULL, start, end));
	json_object_put(doc);

	ASSERT_EQ(0, child_step(go[1], ack[0]));
	ASSERT_EQ(0, snapshot_self(f[2], err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(f[1], f[2], &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(REGION_PAGES / 4, changes_pages(doc, "private", start, end));
	EXPECT_EQ(REGION_PAGES / 4, changes_pages(doc, NULL, start, end));
	json_object_put(doc);

	/* The child gone, the others are this process's alone again. */
	close(go[1]);
	waitpid(child, NULL, 0);
	ASSERT_EQ(0, snapshot_self(f[3], err, sizeof(err))) TH_LOG("%s", err);
	doc = diff_json(f[2], f[3], &rc);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(REGION_PAGES * 3 / 4, changes_pages(doc, "private", start, end));
	EXPECT_EQ(REGION_PAGES * 3 / 4, changes_pages(doc, NULL, start, end));
	json_object_put(doc);

	close(go[0]);
	close(ack[0]);
	munmap(region - page, (REGION_PAGES + 2) * page);
	for (i = 0; i < 4; i++)
		unlink(f[i]);
	rmdir(dir);
}

/*
 * A child maps 32 pages, then a second later writes every other one, then a
 * second later exits: vmatlas watch, started at once, must show those 16
 * pages becoming present, and end, exit 0, when the child is gone.
 */
TEST(watch_sees_pages_touched_and_the_end)
{
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long start, present = 0;
	struct json_object *doc;
	struct json_tokener *tok;
	struct run_result res;
	const char *text;
	char why[256];
	int fds[2], i, rc;
	char pid[16];
	const char *const args[] = { "watch", "--json", "-i", "0.2", "-n", "100", pid, NULL };
	pid_t child;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, pipe(fds));
	child = fork();
	ASSERT_LE(0, child);
	if (!child) {
		char *r = map_guarded(32, page);

		madvise(r, 32 * page, MADV_NOHUGEPAGE);
		start = (unsigned long)r;
		if (write(fds[1], &start, sizeof(start)) != sizeof(start))
			_exit(1);
		sleep(1);
		for (i = 0; i < 32; i += 2)
			r[i * page] = 1;
		sleep(1);
		_exit(0);
	}
	close(fds[1]);
	ASSERT_EQ(sizeof(start), read(fds[0], &start, sizeof(start)));
	close(fds[0]);
	snprintf(pid, sizeof(pid), "%d", child);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	waitpid(child, NULL, 0);
	rc = run_exit_code(&res);
	EXPECT_EQ(0, rc) TH_LOG("%s", res.err);
	/* One diff document per interval that changed. */
	tok = json_tokener_new();
	for (text = res.out; text && *text;) {
		while (*text == '\n')
			text++;
		if (!*text)
			break;
		doc = json_tokener_parse_ex(tok, text, strlen(text));
		ASSERT_NE(NULL, doc) TH_LOG("not JSON documents: %s", text);
		text += json_tokener_get_parse_end(tok);
		json_tokener_reset(tok);
		EXPECT_TRUE(schema_valid_output("diff", doc, why, sizeof(why))) TH_LOG("%s", why);
		present += changes_pages(doc, "present", start, start + 32 * page);
		json_object_put(doc);
	}
	json_tokener_free(tok);
	EXPECT_EQ(16, present);
	run_result_free(&res);
}

/* Bad input: a precise error, exit 1, and no file left behind. */
TEST(snapshot_refuses_what_it_cannot_save)
{
	const char *const gone[] = { "snapshot", "-o", "/tmp/vmatlas-gone.json", "999999", NULL };
	const char *const nodir[] = { "snapshot", "-o", "/nonexistent/s.json", "1", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, gone));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "pid 999999: no such process")) TH_LOG("%s", res.err);
	EXPECT_EQ(-1, access("/tmp/vmatlas-gone.json", F_OK));
	EXPECT_EQ(0, res.out_len);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, nodir));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "/nonexistent/s.json.tmp: No such file or directory"))
		TH_LOG("%s", res.err);
	run_result_free(&res);
}

TEST_HARNESS_MAIN
