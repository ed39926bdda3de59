// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump's table, the output people read: every row says what the JSON
 * document of the same range says, cell by cell, and what pagemap says of
 * its first frame; -o chooses the columns; --sharing says which pages are
 * mapped more than once, as /proc/kpagecount does, before and after the
 * child of the layout process writes its copy-on-write pages.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "layout_fixture.h"
#include "procfs.h"
#include "tables.h"

TEST_F(layout, ptdump_table_rows_are_the_json_runs_and_pagemap)
{
	const char *const targs[] = { "ptdump", self->pid, NULL };
	const char *const jargs[] = { "ptdump", "--json", self->pid, NULL };
	char line[1024], head[1024], hdr[128], size[32], lvl[16], flags[512], phys[32];
	char tlb[32], want[512];
	static struct run_result tab, js;
	struct json_object *doc, *runs;
	unsigned long long start, end;
	const char *text;
	size_t rows = 0;
	int pm, n, cont;

	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	runs = json_get(doc, "runs");
	pm = pagemap_open(self->l.pid);
	ASSERT_LE(0, pm);
	EXPECT_TRUE(json_layout_ok(js.out)) TH_LOG("ptdump --json is not json-c's layout");
	ASSERT_TRUE(next_line(&text, head, sizeof(head)));
	words(head, hdr, sizeof(hdr));
	EXPECT_STREQ("START END SIZE LEVEL TLB FLAGS PHYS", hdr);
	while (next_line(&text, line, sizeof(line))) {
		struct json_object *r = json_object_array_get_idx(runs, rows);

		ASSERT_NE(NULL, r) TH_LOG("more rows than runs: '%s'", line);
		n = sscanf(line, "%llx %llx %31s %15s %31s %511s %31s", &start, &end, size, lvl,
			   tlb, flags, phys);
		ASSERT_EQ(7, n) TH_LOG("row '%s'", line);
		EXPECT_EQ(-1, table_misaligned(head, line, "RRRLRLL")) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(r, "start"), start) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(r, "end"), end) TH_LOG("row '%s'", line);
		size_cell(end - start, want, sizeof(want));
		EXPECT_STREQ(want, size) TH_LOG("row '%s'", line);
		EXPECT_EQ(end - start, json_int(r, "size"));
		EXPECT_STREQ(json_object_get_string(json_get(r, "level")), lvl);
		size_cell(json_int(r, "tlb_size"), want, sizeof(want));
		EXPECT_STREQ(want, tlb) TH_LOG("row '%s'", line);
		/* One TLB entry holds a leaf, or a whole run with the contiguous hint. */
		cont = json_array_has(json_get(r, "flags"), "cont");
		EXPECT_EQ(cont, json_int(r, "page_size") < json_int(r, "tlb_size"));
		EXPECT_EQ(0, json_int(r, "tlb_size") % json_int(r, "page_size"));
		json_join(json_get(r, "flags"), want, sizeof(want));
		EXPECT_STREQ(want, flags) TH_LOG("row '%s'", line);
		if (json_get(r, "phys")) {
			EXPECT_STREQ(json_object_get_string(json_get(r, "phys")), phys);
			/* The frame of the run's first page, as pagemap has it. */
			EXPECT_EQ(pagemap_entry(pm, start, self->l.page) & PM_PFN_MASK,
				  strtoull(phys, NULL, 16) / self->l.page) TH_LOG("row '%s'", line);
		} else {
			EXPECT_STREQ("-", phys) TH_LOG("row '%s'", line);
		}
		rows++;
	}
	EXPECT_EQ(json_object_array_length(runs), rows);
	EXPECT_LT(0, rows);
	close(pm);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

/* -o: the columns it names, in that order, each cell the JSON run's. */
TEST_F(layout, ptdump_o_chooses_the_columns)
{
	const char *const targs[] = { "ptdump", "-o", "phys,Level,start", self->pid, NULL };
	const char *const jargs[] = { "ptdump", "--json", self->pid, NULL };
	char line[1024], head[1024], hdr[128], lvl[16], phys[32], extra[8];
	static struct run_result tab, js;
	struct json_object *doc, *runs, *r;
	unsigned long long start;
	const char *text;
	size_t rows = 0;
	int n;

	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	runs = json_get(doc, "runs");
	ASSERT_TRUE(next_line(&text, head, sizeof(head)));
	words(head, hdr, sizeof(hdr));
	EXPECT_STREQ("PHYS LEVEL START", hdr);
	while (next_line(&text, line, sizeof(line))) {
		r = json_object_array_get_idx(runs, rows++);
		ASSERT_NE(NULL, r) TH_LOG("more rows than runs: '%s'", line);
		n = sscanf(line, "%31s %15s %llx %7s", phys, lvl, &start, extra);
		ASSERT_EQ(3, n) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_get(r, "phys") ? json_object_get_string(json_get(r, "phys")) :
			     "-", phys);
		EXPECT_STREQ(json_object_get_string(json_get(r, "level")), lvl);
		EXPECT_EQ(json_hex(r, "start"), start) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(json_object_array_length(runs), rows);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

/*
 * ptdump --sharing over @l's COW region: each run's "shared" is what
 * /proc/kpagecount says of every frame in it (mapped more than once), and
 * the table's SHARED column (-o start,shared) says it too. Return: how many
 * of the region's pages are shared.
 */
static long check_sharing(struct __test_metadata *_metadata, struct layout *l,
			  const char *pid)
{
	char s[24], e[24], line[256], hdr[64], cell[16];
	const char *const jargs[] = { "ptdump", "--sharing", "--json", "-s", s, "-e", e, pid,
				      NULL };
	const char *const targs[] = { "ptdump", "-o", "start,shared", "-s", s, "-e", e, pid,
				      NULL };
	static struct run_result tab, js;
	struct json_object *doc, *runs, *r, *shared;
	unsigned long long a, start;
	long nshared = 0;
	const char *text;
	size_t i;
	int pm, n;

	snprintf(s, sizeof(s), "%#llx", (unsigned long long)l->cow);
	snprintf(e, sizeof(e), "%#llx", (unsigned long long)l->cow + LAYOUT_PAGES * l->page);
	pm = pagemap_open(l->pid);
	ASSERT_LE(0, pm);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	runs = json_get(doc, "runs");
	ASSERT_LT(0, json_object_array_length(runs));
	for (i = 0; i < json_object_array_length(runs); i++) {
		r = json_object_array_get_idx(runs, i);
		shared = json_get(r, "shared");
		ASSERT_TRUE(json_object_object_get_ex(r, "shared", NULL)) TH_LOG("run %zu", i);
		ASSERT_NE(NULL, shared) TH_LOG("written pages, yet unknown: run %zu", i);
		for (a = json_hex(r, "start"); a < json_hex(r, "end"); a += l->page) {
			__u64 pfn = pagemap_entry(pm, a, l->page) & PM_PFN_MASK;

			EXPECT_EQ(kpage_count(pfn) > 1, json_object_get_boolean(shared))
				TH_LOG("page %#llx, frame %#llx", a, (unsigned long long)pfn);
			nshared += json_object_get_boolean(shared);
		}
	}
	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text) TH_LOG("%s", tab.err);
	ASSERT_TRUE(next_line(&text, line, sizeof(line)));
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("START SHARED", hdr);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(runs, i);
		ASSERT_NE(NULL, r) TH_LOG("more rows than runs: '%s'", line);
		n = sscanf(line, "%llx %15s", &start, cell);
		ASSERT_EQ(2, n) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(r, "start"), start) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_object_get_boolean(json_get(r, "shared")) ? "yes" : "no", cell);
	}
	EXPECT_EQ(json_object_array_length(runs), i);
	close(pm);
	json_object_put(doc);
	run_result_free(&js);
	run_result_free(&tab);
	return nshared;
}

/*
 * ptdump --sharing: after fork() the COW region's pages are mapped twice,
 * then once each when the child has written its copy; kpagecount agrees.
 */
TEST_F(layout, ptdump_sharing_is_what_kpagecount_says)
{
	EXPECT_EQ(LAYOUT_PAGES, check_sharing(_metadata, &self->l, self->pid));
	ASSERT_EQ(0, layout_child_write_cow(&self->l));
	EXPECT_EQ(0, check_sharing(_metadata, &self->l, self->pid));
}

TEST_HARNESS_MAIN
