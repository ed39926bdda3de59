// SPDX-License-Identifier: GPL-2.0
/*
 * The tables the tool prints without --json, the output people read: every
 * row of maps and walk (ptdump's are ptdump_table_test's) says what the JSON
 * document of the same command says, cell by cell, and what /proc/PID/maps,
 * smaps and pagemap say, so that a broken table formatter (a column shifted
 * or dropped, a row lost, a total miscounted, a cell out of its column) fails.
 */
#include <ctype.h>
#include <errno.h>
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

#define MAPS_COUNTS	11
#define MAPS_HEADER	"START END PERMS OFFSET DEV INODE KIND PRESENT SWAP ANON FILE THP " \
			"HUGETLB DIRTY YOUNG SHARED COW ZERO"
/* maps -o all */
#define MAPS_ALL_HEADER	"START END SIZE PERMS OFFSET DEV INODE KIND PRESENT SWAP ANON FILE " \
			"THP HUGETLB DIRTY YOUNG SHARED COW ZERO FLAGS PATH"
/* A row of maps up to the FLAGS (with -f) or PATH column. */
#define MAPS_ROW	"%llx %llx %7s %llx %15s %llu %15s %llu %llu %llu %llu %llu %llu " \
			"%llu %llu %llu %llu %llu %n"

/* The count columns of maps, in table order, as "pages" members. */
static const char *const maps_counts[MAPS_COUNTS] = {
	"present", "swap", "anon", "file", "thp", "hugetlb", "dirty", "young", "shared",
	"cow", "zero",
};

/* The /proc/PID/maps entries vmatlas lists: all but the vsyscall gate area. */
static int proc_vmas(pid_t pid, struct smaps_vma **out)
{
	int n = smaps_read(pid, out), i, k = 0;

	for (i = 0; i < n; i++)
		if (strcmp((*out)[i].name, "[vsyscall]"))
			(*out)[k++] = (*out)[i];
	return n < 0 ? n : k;
}

/*
 * Check a maps table against the JSON document and /proc/PID/smaps: the
 * header, one row per VMA with every cell, and the totals line.
 */
static void check_maps_table(struct __test_metadata *_metadata, const char *text,
			     struct json_object *vmas, struct smaps_vma *s, int ns, int with_flags)
{
	unsigned long long kb = getpagesize() / 1024, sum[4] = {}, want[4] = {}, total[4];
	char line[4096], head[4096], hdr[512], perms[8], dev[16], kind[16], flags[1024];
	char want_flags[1024];
	/* START to ZERO, then FLAGS with -f; PATH may hold blanks. */
	const char *align = with_flags ? "RRLRLRLRRRRRRRRRRRL" : "RRLRLRLRRRRRRRRRRR";
	unsigned long long start, end, offset, inode, c[MAPS_COUNTS];
	size_t rows = 0, nvmas;
	int at, k, n;

	ASSERT_TRUE(next_line(&text, head, sizeof(head)));
	words(head, hdr, sizeof(hdr));
	snprintf(want_flags, sizeof(want_flags), "%s%s PATH", MAPS_HEADER,
		 with_flags ? " FLAGS" : "");
	EXPECT_STREQ(want_flags, hdr);
	nvmas = json_object_array_length(vmas);
	ASSERT_EQ(ns, nvmas) TH_LOG("/proc/PID/maps and maps --json list different VMAs");
	while (next_line(&text, line, sizeof(line)) && strncmp(line, "total: ", 7)) {
		struct json_object *v = json_object_array_get_idx(vmas, rows);
		const char *path;

		at = 0;
		flags[0] = '\0';
		n = sscanf(line, MAPS_ROW, &start, &end, perms, &offset, dev, &inode, kind,
			   &c[0], &c[1], &c[2], &c[3], &c[4], &c[5], &c[6], &c[7], &c[8], &c[9],
			   &c[10], &at);
		ASSERT_LE(18, n) TH_LOG("row: '%s'", line);
		ASSERT_NE(0, at) TH_LOG("row: '%s'", line);
		if (with_flags) {
			n = sscanf(line + at, "%1023s", flags);
			ASSERT_EQ(1, n) TH_LOG("row: '%s'", line);
			at += strcspn(line + at, " ");
			at += strspn(line + at, " ");
		}
		path = line + at;
		ASSERT_GT(nvmas, rows) TH_LOG("more rows than VMAs: '%s'", line);
		EXPECT_EQ(-1, table_misaligned(head, line, align)) TH_LOG("row '%s'", line);
		/* As maps --json says. */
		EXPECT_EQ(json_hex(v, "start"), start) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(v, "end"), end) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(v, "perms")), perms);
		EXPECT_EQ(json_hex(v, "offset"), offset) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(v, "dev")), dev);
		EXPECT_EQ(json_int(v, "inode"), inode) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(v, "kind")), kind);
		EXPECT_STREQ(json_object_get_string(json_get(v, "path")), path);
		for (k = 0; k < MAPS_COUNTS; k++)
			EXPECT_EQ(json_int(json_get(v, "pages"), maps_counts[k]), c[k])
				TH_LOG("column %d of row '%s'", 8 + k, line);
		if (with_flags) {
			/* FLAGS says the JSON document's names, joined. */
			json_join(json_get(v, "flags"), want_flags, sizeof(want_flags));
			EXPECT_STREQ(want_flags, flags) TH_LOG("row '%s'", line);
		}
		/* As /proc/PID/maps and smaps say. */
		EXPECT_EQ(s[rows].start, start);
		EXPECT_EQ(s[rows].end, end);
		EXPECT_STREQ(s[rows].perms, perms);
		EXPECT_EQ(s[rows].offset, offset);
		EXPECT_STREQ(s[rows].dev, dev);
		EXPECT_EQ(s[rows].inode, inode);
		EXPECT_STREQ(s[rows].name, path);
		EXPECT_EQ(s[rows].rss, c[0] * kb) TH_LOG("Rss of row '%s'", line);
		EXPECT_EQ(s[rows].swap, c[1] * kb) TH_LOG("Swap of row '%s'", line);
		EXPECT_EQ(s[rows].anonymous, c[2] * kb) TH_LOG("Anonymous of row '%s'", line);
		for (k = 0; k < 4; k++)
			sum[k] += c[k];
		want[0] += s[rows].rss / kb;
		want[1] += s[rows].swap / kb;
		want[2] += s[rows].anonymous / kb;
		want[3] += (s[rows].rss - s[rows].anonymous) / kb;
		rows++;
	}
	EXPECT_EQ(nvmas, rows);
	n = sscanf(line, "total: %zu VMAs, present %llu, swap %llu, anon %llu, file %llu pages",
		   &rows, &total[0], &total[1], &total[2], &total[3]);
	ASSERT_EQ(5, n) TH_LOG("totals line: '%s'", line);
	EXPECT_EQ(nvmas, rows);
	for (k = 0; k < 4; k++) {
		EXPECT_EQ(sum[k], total[k]) TH_LOG("total %d", k);
		EXPECT_EQ(want[k], total[k]) TH_LOG("total %d against smaps", k);
	}
	EXPECT_FALSE(next_line(&text, line, sizeof(line))) TH_LOG("after the totals: '%s'", line);
}

/* The columns check_maps_table() reads, as -o names them. */
#define MAPS_COLS	"start,end,perms,offset,dev,inode,kind,present,swap,anon,file,thp," \
			"hugetlb,dirty,young,shared,cow,zero"

static void maps_table_case(struct __test_metadata *_metadata, pid_t pid, int with_flags)
{
	char pidbuf[16];
	const char *const targs[] = { "maps", "-o", with_flags ? MAPS_COLS ",flags,path" :
							       MAPS_COLS ",path", pidbuf, NULL };
	const char *const jargs[] = { "maps", "--json", pidbuf, NULL };
	static struct run_result tab, js, before;
	struct json_object *doc;
	struct smaps_vma *s;
	const char *text;
	int ns, tries = 0;

	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	/*
	 * The workload is at rest, but the kernel may still reclaim one of its
	 * pages (swap is on): the table is checked only if the JSON taken just
	 * before and just after it agree, else all three are taken again.
	 */
	for (;;) {
		doc = run_tool_json(&before, jargs);
		ASSERT_NE(NULL, doc) TH_LOG("%s", before.err);
		json_object_put(doc);
		text = run_tool_text(&tab, targs);
		ASSERT_NE(NULL, text);
		doc = run_tool_json(&js, jargs);
		ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
		if (!strcmp(before.out, js.out) || ++tries == 3)
			break;
		TH_LOG("the process changed while the table was taken: again");
		json_object_put(doc);
		run_result_free(&tab);
		run_result_free(&js);
		run_result_free(&before);
	}
	run_result_free(&before);
	EXPECT_TRUE(json_layout_ok(js.out)) TH_LOG("maps --json is not json-c's layout");
	ns = proc_vmas(pid, &s);
	ASSERT_LT(0, ns);
	check_maps_table(_metadata, text, json_get(doc, "vmas"), s, ns, with_flags);
	free(s);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

TEST_F(layout, maps_table_rows_are_the_json_vmas_and_proc_maps)
{
	maps_table_case(_metadata, self->l.pid, 0);
}

TEST_F(layout, maps_flags_table_rows_are_the_json_vmas_and_proc_maps)
{
	maps_table_case(_metadata, self->l.pid, 1);
}

/*
 * By default a maps row fits in 100 columns but for a long path: START, the
 * VMA's SIZE with units, PERMS, its PRESENT and SWAP pages, KIND, PATH, each
 * as the JSON document says. -o all has every column, in the table's order.
 */
TEST_F(layout, maps_default_columns_fit_100_and_all_has_every_one)
{
	char pidbuf[16], line[4096], head[4096], hdr[512], size[32], perms[8], kind[16];
	char want[32];
	const char *const targs[] = { "maps", pidbuf, NULL };
	const char *const aargs[] = { "maps", "-o", "ALL", pidbuf, NULL };
	const char *const jargs[] = { "maps", "--json", pidbuf, NULL };
	static struct run_result tab, js, all;
	unsigned long long start, present, swap;
	struct json_object *doc, *vmas, *v;
	const char *text;
	size_t rows = 0;
	int at, n;

	snprintf(pidbuf, sizeof(pidbuf), "%d", self->l.pid);
	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	vmas = json_get(doc, "vmas");
	ASSERT_TRUE(next_line(&text, head, sizeof(head)));
	words(head, hdr, sizeof(hdr));
	EXPECT_STREQ("START SIZE PERMS PRESENT SWAP KIND PATH", hdr);
	while (next_line(&text, line, sizeof(line)) && strncmp(line, "total: ", 7)) {
		v = json_object_array_get_idx(vmas, rows++);
		ASSERT_NE(NULL, v) TH_LOG("more rows than VMAs: '%s'", line);
		at = 0;
		n = sscanf(line, "%llx %31s %7s %llu %llu %15s %n", &start, size, perms, &present,
			   &swap, kind, &at);
		ASSERT_LE(6, n) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(v, "start"), start) TH_LOG("row '%s'", line);
		size_cell(json_hex(v, "end") - start, want, sizeof(want));
		EXPECT_STREQ(want, size) TH_LOG("row '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(v, "perms")), perms);
		EXPECT_EQ(json_int(json_get(v, "pages"), "present"), present);
		EXPECT_EQ(json_int(json_get(v, "pages"), "swap"), swap);
		EXPECT_STREQ(json_object_get_string(json_get(v, "kind")), kind);
		/* What comes before PATH fits, with room for a path of 40. */
		EXPECT_GE(60, at ? at : (int)strlen(line)) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(json_object_array_length(vmas), rows);
	json_object_put(doc);

	text = run_tool_text(&all, aargs);
	ASSERT_NE(NULL, text);
	ASSERT_TRUE(next_line(&text, head, sizeof(head)));
	words(head, hdr, sizeof(hdr));
	EXPECT_STREQ(MAPS_ALL_HEADER, hdr);
	run_result_free(&tab);
	run_result_free(&js);
	run_result_free(&all);
}

/* What the NOTE column says of a level: its first flag of leaf, folded, none, bad; else table. */
static const char *level_note(struct json_object *lvl)
{
	if (json_object_get_boolean(json_get(lvl, "leaf")))
		return "leaf";
	if (json_object_get_boolean(json_get(lvl, "folded")))
		return "folded";
	if (json_object_get_boolean(json_get(lvl, "none")))
		return "empty";
	if (json_object_get_boolean(json_get(lvl, "bad")))
		return "bad";
	return "table";
}

/* "4 KiB", "2 MiB", "1 GiB" as a size in bytes; 0 if not that form. */
static unsigned long long long_size(unsigned long long n, const char *unit)
{
	static const char *const units[] = { "KiB", "MiB", "GiB" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(units); i++)
		if (!strcmp(unit, units[i]))
			return n << (10 * (i + 1));
	return 0;
}

/* @flags (comma-separated, changed in place) without the LRU's moving ones. */
static char *stable_flags(char *flags)
{
	static const char *const moving[] = { "lru", "active", "referenced", "locked",
					      "writeback" };
	char out[512] = "", *tok, *save;
	size_t i;

	for (tok = strtok_r(flags, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(moving) && strcmp(tok, moving[i]); i++)
			;
		if (i < ARRAY_SIZE(moving))
			continue;
		if (out[0])
			strncat(out, ",", sizeof(out) - strlen(out) - 1);
		strncat(out, tok, sizeof(out) - strlen(out) - 1);
	}
	memcpy(flags, out, strlen(out) + 1);
	return flags;
}

/* The line after the outcome for a leaf with the contiguous hint. */
#define WALK_CONT_LINE	"contiguous: one of %llu entries the TLB may hold as one %llu %7s"

/* Check one block of a walk table against its JSON result and pagemap. */
static void check_walk_block(struct __test_metadata *_metadata, const char **text,
			     struct json_object *r, struct smaps_vma *s, int ns, int pm, long page)
{
	unsigned long long addr, vstart, vend, entry, phys, pfn, n;
	struct json_object *levels = json_get(r, "levels"), *swap = json_get(r, "swap");
	struct json_object *pg = json_get(r, "page");
	char line[1024], hdr[256], perms[8], name[16], flags[512], note[16], unit[8];
	char want[512], kindbuf[16];
	long long index, type, mapcount, refcount, order, tlb = json_int(r, "tlb_size");
	struct smaps_vma *v = NULL;
	size_t i;
	int k;
	__u64 e;

	ASSERT_TRUE(next_line(text, line, sizeof(line)));
	k = sscanf(line, "%llx in VMA %llx-%llx %7s", &addr, &vstart, &vend, perms);
	ASSERT_EQ(4, k) TH_LOG("first line: '%s'", line);
	EXPECT_EQ(json_hex(r, "addr"), addr);
	EXPECT_EQ(json_hex(json_get(r, "vma"), "start"), vstart);
	EXPECT_EQ(json_hex(json_get(r, "vma"), "end"), vend);
	for (k = 0; k < ns; k++)
		if (s[k].start <= addr && addr < s[k].end)
			v = &s[k];
	ASSERT_NE(NULL, v) TH_LOG("%#llx in no VMA of /proc/PID/maps", addr);
	EXPECT_EQ(v->start, vstart);
	EXPECT_EQ(v->end, vend);
	EXPECT_STREQ(v->perms, perms);

	ASSERT_TRUE(next_line(text, line, sizeof(line)));
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("LEVEL INDEX ENTRY NOTE FLAGS", hdr);
	for (i = 0; i < json_object_array_length(levels); i++) {
		struct json_object *lvl = json_object_array_get_idx(levels, i);

		ASSERT_TRUE(next_line(text, line, sizeof(line)));
		k = sscanf(line, "%15s %lld %llx %15s %511s", name, &index, &entry, note, flags);
		ASSERT_EQ(5, k) TH_LOG("level row: '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(lvl, "level")), name);
		EXPECT_EQ(json_int(lvl, "index"), index) TH_LOG("row '%s'", line);
		EXPECT_EQ(json_hex(lvl, "entry"), entry) TH_LOG("row '%s'", line);
		json_join(json_get(lvl, "flags"), want, sizeof(want));
		EXPECT_STREQ(want, flags) TH_LOG("row '%s'", line);
		EXPECT_STREQ(level_note(lvl), note) TH_LOG("row '%s'", line);
	}

	e = pagemap_entry(pm, addr, page);
	ASSERT_TRUE(next_line(text, line, sizeof(line)));
	if (e & PM_PRESENT) {
		k = sscanf(line, "present: %llu %7s page at phys %llx (pfn %llx)", &n, unit,
			   &phys, &pfn);
		ASSERT_EQ(4, k) TH_LOG("outcome: '%s'", line);
		EXPECT_EQ(json_int(r, "page_size"), long_size(n, unit)) TH_LOG("'%s'", line);
		EXPECT_EQ(json_hex(r, "phys"), phys);
		EXPECT_EQ(json_hex(r, "pfn"), pfn);
		EXPECT_EQ(e & PM_PFN_MASK, pfn) TH_LOG("pagemap's frame, '%s'", line);
		EXPECT_EQ(phys, pfn * page + (addr & (page - 1)));
		if (tlb > json_int(r, "page_size")) {
			ASSERT_TRUE(next_line(text, line, sizeof(line)));
			k = sscanf(line, WALK_CONT_LINE, &n, &pfn, unit);
			ASSERT_EQ(3, k) TH_LOG("contiguous: '%s'", line);
			EXPECT_EQ(tlb / json_int(r, "page_size"), n);
			EXPECT_EQ(tlb, long_size(pfn, unit)) TH_LOG("'%s'", line);
		}
	} else if (e & PM_SWAP) {
		ASSERT_NE(NULL, swap);
		k = sscanf(line, "swapped: kind %15[^,], type %lld, offset %llx", kindbuf, &type,
			   &n);
		ASSERT_EQ(3, k) TH_LOG("outcome: '%s'", line);
		EXPECT_STREQ(json_object_get_string(json_get(swap, "kind")), kindbuf);
		EXPECT_EQ(json_int(swap, "type"), type);
		EXPECT_EQ(json_hex(swap, "offset"), n);
		/* pagemap: the type in bits 0-4, the offset above. */
		EXPECT_EQ(e & PM_PFN_MASK, (unsigned long long)type | n << 5);
	} else {
		snprintf(want, sizeof(want), "not present: empty %s entry",
			 json_object_get_string(json_get(r, "stop")));
		EXPECT_STREQ(want, line);
	}
	if (pg) {
		ASSERT_TRUE(next_line(text, line, sizeof(line)));
		k = sscanf(line, "page: mapcount %lld refcount %lld order %lld flags %511s",
			   &mapcount, &refcount, &order, flags);
		ASSERT_EQ(4, k) TH_LOG("'%s'", line);
		/*
		 * Two runs, two looks at a page the kernel keeps working on: a
		 * page in a per-CPU LRU batch has an extra reference and no
		 * "lru" until the batch drains. Those facts may differ.
		 */
		json_join(json_get(pg, "flags"), want, sizeof(want));
		EXPECT_STREQ(stable_flags(want), stable_flags(flags));
		EXPECT_EQ(json_int(pg, "mapcount"), mapcount);
		/* Held by someone in both looks; the zero page (no facts): 0 in both. */
		EXPECT_EQ(!!json_int(pg, "refcount"), refcount >= 1);
		EXPECT_EQ(json_int(pg, "order"), order);
	}
}

/*
 * The layout process sits still, the kernel around it does not: compaction
 * moves its pages, and the MMU or reclaim's aging flips an entry's accessed
 * bit, between the text run, the JSON run and pagemap. Do the three looks
 * agree on every entry and frame? (A rough look, to know whether to look
 * again; the checks proper are check_walk_block()'s.)
 */
static bool walk_looks_agree(const char *text, struct json_object *results, int pm, long page)
{
	size_t i, l;
	char s[64];

	for (i = 0; i < json_object_array_length(results); i++) {
		struct json_object *r = json_object_array_get_idx(results, i);
		struct json_object *levels = json_get(r, "levels"), *pfn = json_get(r, "pfn");
		__u64 e = pagemap_entry(pm, json_hex(r, "addr"), page);

		for (l = 0; l < json_object_array_length(levels); l++) {
			snprintf(s, sizeof(s), " %#llx ",
				 json_hex(json_object_array_get_idx(levels, l), "entry"));
			if (!strstr(text, s))
				return false;
		}
		if (!pfn != !(e & PM_PRESENT))
			return false;
		if (pfn) {
			snprintf(s, sizeof(s), "(pfn %#llx)", json_hex(r, "pfn"));
			if (!strstr(text, s) || json_hex(r, "pfn") != (e & PM_PFN_MASK))
				return false;
		}
	}
	return true;
}

TEST_F(layout, walk_table_blocks_are_the_json_results_and_pagemap)
{
	long page = self->l.page;
	unsigned long long want[] = {
		self->l.anon + 2 * page + 0x123, self->l.untouched + page, self->l.zero,
		self->l.thp + self->l.huge + 77, self->l.file + page, self->l.cow + 5 * page,
		self->l.heap, self->l.swapped, self->l.swapped + 5 * page,
	};
	char addrs[ARRAY_SIZE(want)][24], line[256];
	const char *targs[ARRAY_SIZE(want) + 3], *jargs[ARRAY_SIZE(want) + 4];
	static struct run_result tab, js;
	struct json_object *doc, *results;
	struct smaps_vma *s;
	const char *text;
	size_t i;
	int ns, pm, tries;

	targs[0] = "walk";
	targs[1] = self->pid;
	jargs[0] = "walk";
	jargs[1] = "--json";
	jargs[2] = self->pid;
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(addrs[i], sizeof(addrs[i]), "%#llx", want[i]);
		targs[2 + i] = addrs[i];
		jargs[3 + i] = addrs[i];
	}
	targs[2 + i] = NULL;
	jargs[3 + i] = NULL;
	pm = pagemap_open(self->l.pid);
	ASSERT_LE(0, pm);
	for (tries = 0;; tries++) {
		text = run_tool_text(&tab, targs);
		ASSERT_NE(NULL, text);
		doc = run_tool_json(&js, jargs);
		ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
		results = json_get(doc, "results");
		ASSERT_EQ(ARRAY_SIZE(want), json_object_array_length(results));
		if (tries == 3 || walk_looks_agree(text, results, pm, page))
			break;
		json_object_put(doc);
		run_result_free(&tab);
		run_result_free(&js);
	}
	ns = proc_vmas(self->l.pid, &s);
	ASSERT_LT(0, ns);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		if (i) {
			ASSERT_TRUE(next_line(&text, line, sizeof(line)));
			EXPECT_STREQ("", line) TH_LOG("between blocks %zu and %zu", i - 1, i);
		}
		check_walk_block(_metadata, &text, json_object_array_get_idx(results, i), s, ns,
				 pm, page);
	}
	EXPECT_FALSE(next_line(&text, line, sizeof(line))) TH_LOG("after the blocks: '%s'", line);
	close(pm);
	free(s);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

/*
 * walk -o: each level's table has the columns it names, in that order, each
 * cell the JSON run's (looked at again while the kernel changes an entry
 * between the two runs, as above).
 */
TEST_F(layout, walk_o_chooses_each_levels_columns)
{
	char addr[24], line[256], hdr[128], name[16], note[16], extra[8];
	const char *const targs[] = { "walk", "-o", "entry,Note,level", self->pid, addr, NULL };
	const char *const jargs[] = { "walk", "--json", self->pid, addr, NULL };
	static struct run_result tab, js;
	struct json_object *doc, *levels, *lvl;
	unsigned long long entry;
	const char *text;
	size_t rows;
	int n, tries;

	snprintf(addr, sizeof(addr), "%#llx", (unsigned long long)self->l.anon);
	for (tries = 0;; tries++) {
		text = run_tool_text(&tab, targs);
		ASSERT_NE(NULL, text);
		doc = run_tool_json(&js, jargs);
		ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
		levels = json_get(json_object_array_get_idx(json_get(doc, "results"), 0), "levels");
		ASSERT_NE(NULL, levels);
		ASSERT_TRUE(next_line(&text, line, sizeof(line)));	/* the VMA */
		ASSERT_TRUE(next_line(&text, line, sizeof(line)));
		words(line, hdr, sizeof(hdr));
		EXPECT_STREQ("ENTRY NOTE LEVEL", hdr);
		for (rows = 0; rows < json_object_array_length(levels); rows++) {
			lvl = json_object_array_get_idx(levels, rows);
			ASSERT_TRUE(next_line(&text, line, sizeof(line)));
			n = sscanf(line, "%llx %15s %15s %7s", &entry, note, name, extra);
			ASSERT_EQ(3, n) TH_LOG("row '%s'", line);
			if (json_hex(lvl, "entry") != entry)
				break;
			EXPECT_STREQ(level_note(lvl), note) TH_LOG("row '%s'", line);
			EXPECT_STREQ(json_object_get_string(json_get(lvl, "level")), name);
		}
		if (rows == json_object_array_length(levels) || tries == 3)
			break;
		json_object_put(doc);
		run_result_free(&tab);
		run_result_free(&js);
	}
	EXPECT_EQ(json_object_array_length(levels), rows) TH_LOG("entry %#llx", entry);
	ASSERT_TRUE(next_line(&text, line, sizeof(line)));
	EXPECT_EQ(0, strncmp(line, "present: ", 9)) TH_LOG("after the levels: '%s'", line);
	json_object_put(doc);
	run_result_free(&tab);
	run_result_free(&js);
}

TEST_HARNESS_MAIN
