// SPDX-License-Identifier: GPL-2.0
/*
 * The tables of the kernel's side, the output people read: kaddr's by
 * default the columns that fit 100 characters, -f and -o the ones asked
 * for, and every cell what the JSON document of the same addresses says;
 * layout's regions and lab's pages, all their columns or those -o names.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "procfs.h"
#include "tables.h"

/* The addresses kaddr is shown: a kernel function, this process's code, a non-address. */
static int kaddr_addrs(char addrs[3][24])
{
	unsigned long long text = kallsyms_addr("_printk");

	if (!text)
		text = kallsyms_addr("printk");
	snprintf(addrs[0], 24, "%#llx", text);
	snprintf(addrs[1], 24, "%#llx", (unsigned long long)(uintptr_t)kaddr_addrs);
	snprintf(addrs[2], 24, "%s", kernel_is_64bit() ? "0x8000000000000000" : "0xfffff000");
	return text ? 0 : -1;
}

/* A cell as kaddr's table writes the JSON value @v: "-" for null. */
static const char *kaddr_cell(struct json_object *v, char *buf, size_t len)
{
	if (!v)
		return "-";
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v) ? "yes" : "no";
	if (json_object_is_type(v, json_type_array)) {
		json_join(v, buf, len);
		return buf;
	}
	return json_object_get_string(v);
}

/*
 * kaddr's table for @args, its header line in @head (@len bytes), whose
 * words must be @header. Return: the text after the header (the rows), or
 * NULL if the tool failed or printed nothing.
 */
static const char *kaddr_table(struct __test_metadata *_metadata, struct run_result *res,
			       const char *const args[], const char *header, char *head,
			       size_t len)
{
	const char *text = run_tool_text(res, args);
	char hdr[256];

	if (!text || !next_line(&text, head, len))
		return NULL;
	words(head, hdr, sizeof(hdr));
	EXPECT_STREQ(header, hdr);
	return text;
}

/*
 * kaddr: by default the columns that fit 100 characters, each cell what the
 * JSON result says (AGREE "NO" where they differ); -f adds FLAGS; -o names
 * columns by header or JSON member.
 */
TEST(kaddr_table_rows_are_the_json_results)
{
	static const char *const dflt_keys[] = { "addr", "region", "logical", "phys_linear",
						 "phys", "agree", "page_size", "level" };
	char addrs[3][24], line[1024], head[1024], w[9][512], want[512];
	const char *const jargs[] = { "kaddr", "--json", addrs[0], addrs[1], addrs[2], NULL };
	const char *const targs[] = { "kaddr", addrs[0], addrs[1], addrs[2], NULL };
	const char *const fargs[] = { "kaddr", "-f", addrs[0], addrs[1], addrs[2], NULL };
	const char *const oargs[] = { "kaddr", "-o", "entry,TLB,phys_linear", addrs[0],
				      addrs[1], addrs[2], NULL };
	static struct run_result js, tab, fl, o;
	struct json_object *doc, *results, *r, *v;
	const char *text, *cell;
	size_t i, k;
	int n;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, kaddr_addrs(addrs)) TH_LOG("no printk in /proc/kallsyms");
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	results = json_get(doc, "results");
	ASSERT_EQ(3, json_object_array_length(results));

	text = kaddr_table(_metadata, &tab, targs,
			   "ADDR REGION LOGICAL PHYS(__pa) PHYS(walk) AGREE SIZE LEVEL", head,
			   sizeof(head));
	ASSERT_NE(NULL, text) TH_LOG("%s", tab.err);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(results, i);
		ASSERT_NE(NULL, r) TH_LOG("more rows than results: '%s'", line);
		EXPECT_GE(100, (int)strlen(line)) TH_LOG("row '%s'", line);
		n = sscanf(line, "%511s %511s %511s %511s %511s %511s %511s %511s %511s", w[0],
			   w[1], w[2], w[3], w[4], w[5], w[6], w[7], w[8]);
		ASSERT_EQ(8, n) TH_LOG("row '%s'", line);
		EXPECT_EQ(-1, table_misaligned(head, line, "RLLRRLRL")) TH_LOG("row '%s'", line);
		for (k = 0; k < ARRAY_SIZE(dflt_keys); k++) {
			v = json_get(r, dflt_keys[k]);
			if (!strcmp(dflt_keys[k], "page_size")) {
				size_cell(json_object_get_uint64(v), want, sizeof(want));
				cell = json_object_get_uint64(v) ? want : "-";
			} else if (!strcmp(dflt_keys[k], "agree") && v) {
				cell = json_object_get_boolean(v) ? "yes" : "NO";
			} else {
				cell = kaddr_cell(v, want, sizeof(want));
			}
			EXPECT_STREQ(cell, w[k]) TH_LOG("%s of '%s'", dflt_keys[k], line);
		}
	}
	EXPECT_EQ(3, i);

	text = kaddr_table(_metadata, &fl, fargs,
			   "ADDR REGION LOGICAL PHYS(__pa) PHYS(walk) AGREE SIZE LEVEL FLAGS", head,
			   sizeof(head));
	ASSERT_NE(NULL, text) TH_LOG("%s", fl.err);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(results, i);
		ASSERT_NE(NULL, r);
		n = sscanf(line, "%*s %*s %*s %*s %*s %*s %*s %*s %511s", w[8]);
		ASSERT_EQ(1, n) TH_LOG("row '%s'", line);
		json_join(json_get(r, "flags"), want, sizeof(want));
		EXPECT_STREQ(want, w[8]) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(3, i);

	text = kaddr_table(_metadata, &o, oargs, "ENTRY TLB PHYS(__pa)", head, sizeof(head));
	ASSERT_NE(NULL, text) TH_LOG("%s", o.err);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(results, i);
		ASSERT_NE(NULL, r);
		n = sscanf(line, "%511s %511s %511s", w[0], w[1], w[2]);
		ASSERT_EQ(3, n) TH_LOG("row '%s'", line);
		EXPECT_STREQ(kaddr_cell(json_get(r, "entry"), want, sizeof(want)), w[0]);
		size_cell(json_int(r, "tlb_size"), want, sizeof(want));
		EXPECT_STREQ(json_int(r, "tlb_size") ? want : "-", w[1]) TH_LOG("'%s'", line);
		EXPECT_STREQ(kaddr_cell(json_get(r, "phys_linear"), want, sizeof(want)), w[2]);
	}
	EXPECT_EQ(3, i);
	json_object_put(doc);
	run_result_free(&js);
	run_result_free(&tab);
	run_result_free(&fl);
	run_result_free(&o);
}

/*
 * Skip @text past a table's header, the line whose words begin as @head's
 * do (its first word: a header may be padded); that line into @line.
 */
static const char *table_after(const char *text, const char *head, char *line, size_t len)
{
	size_t first = strcspn(head, " ");
	const char *w;

	while (next_line(&text, line, len)) {
		w = line + strspn(line, " ");
		if (!strncmp(w, head, first) && (!w[first] || w[first] == ' '))
			return text;
	}
	return NULL;
}

/* A region's cells: its name, start, end ("top" for 0) and size ("-" for 0). */
static void region_cells(struct json_object *r, char cells[4][64])
{
	const char *end = json_object_get_string(json_get(r, "end"));
	/* uint64: the non-canonical hole of x86-64 is over 2^63 bytes. */
	unsigned long long size = json_object_get_uint64(json_get(r, "size"));

	snprintf(cells[0], 64, "%s", json_object_get_string(json_get(r, "name")));
	snprintf(cells[1], 64, "%s", json_object_get_string(json_get(r, "start")));
	snprintf(cells[2], 64, "%s", strcmp(end, "0x0") ? end : "top");
	if (size)
		size_cell(size, cells[3], 64);
	else
		snprintf(cells[3], 64, "-");
}

/*
 * layout's regions table, run with @args, against @regions: its header
 * @header, its cells the regions' (@cols: which of region_cells(), in order,
 * -1 at the end).
 */
static void check_regions(struct __test_metadata *_metadata, const char *const args[],
			  struct json_object *regions, const char *header, const int *cols)
{
	char line[512], hdr[128], w[5][64], cells[4][64];
	static struct run_result res;
	const char *text;
	size_t i;
	int n, c;

	text = run_tool_text(&res, args);
	ASSERT_NE(NULL, text) TH_LOG("%s", res.err);
	text = table_after(text, header, line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no table in: %s", res.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ(header, hdr);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		ASSERT_NE(NULL, json_object_array_get_idx(regions, i))
			TH_LOG("more rows than regions: '%s'", line);
		n = sscanf(line, "%63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4]);
		region_cells(json_object_array_get_idx(regions, i), cells);
		for (c = 0; cols[c] >= 0; c++)
			EXPECT_STREQ(cells[cols[c]], w[c]) TH_LOG("row '%s'", line);
		EXPECT_EQ(c, n) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(json_object_array_length(regions), i);
	run_result_free(&res);
}

/* layout: the regions' table is the JSON regions, all of it or what -o names. */
TEST(layout_table_rows_are_the_json_regions)
{
	const char *const jargs[] = { "layout", "--json", NULL };
	const char *const targs[] = { "layout", NULL };
	const char *const oargs[] = { "layout", "-o", "size,Region", NULL };
	static const int all[] = { 0, 1, 2, 3, -1 }, size_region[] = { 3, 0, -1 };
	static struct run_result js;
	struct json_object *doc, *regions;

	REQUIRE_DEVICE(return);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	regions = json_get(doc, "regions");
	ASSERT_LT(0, json_object_array_length(regions));
	check_regions(_metadata, targs, regions, "REGION START END SIZE", all);
	check_regions(_metadata, oargs, regions, "SIZE REGION", size_region);
	json_object_put(doc);
	run_result_free(&js);
}

/*
 * lab's table of 3 kmalloc()ed pages, run with @args: its header @header,
 * the VA and PHYS of each row in columns @va and @phys, its PAGE and LOGICAL
 * in @index and @logical (-1: not shown). The pages are one logical block:
 * a page apart, PHYS - VA the same on every row, LOGICAL the VA.
 */
static void check_lab_rows(struct __test_metadata *_metadata, const char *const args[],
			   const char *header, int index, int va, int phys, int logical)
{
	unsigned long long page = sysconf(_SC_PAGESIZE), v, p, va0 = 0, pa0 = 0;
	char line[512], hdr[128], w[6][64];
	static struct run_result res;
	const char *text;
	unsigned int i;
	int n;

	text = run_tool_text(&res, args);
	ASSERT_NE(NULL, text) TH_LOG("%s", res.err);
	text = table_after(text, header, line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no '%s' table in: %s", header, res.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ(header, hdr);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(next_line(&text, line, sizeof(line)));
		n = sscanf(line, "%63s %63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4],
			   w[5]);
		ASSERT_EQ(logical < 0 ? 2 : 5, n) TH_LOG("row '%s'", line);
		v = strtoull(w[va], NULL, 16);
		p = strtoull(w[phys], NULL, 16);
		if (!i) {
			va0 = v;
			pa0 = p;
		}
		EXPECT_EQ(va0 + i * page, v) TH_LOG("row '%s'", line);
		EXPECT_EQ(pa0 - va0, p - v) TH_LOG("row '%s'", line);
		if (index >= 0)
			EXPECT_EQ(i, strtoul(w[index], NULL, 10)) TH_LOG("row '%s'", line);
		if (logical >= 0)
			EXPECT_STREQ(w[va], w[logical]) TH_LOG("a logical VA: '%s'", line);
	}
	run_result_free(&res);
}

/* lab: kmalloc's pages, in the default table and in the columns -o names. */
TEST(lab_table_pages_are_one_logical_block)
{
	char size[24];
	const char *const targs[] = { "lab", "kmalloc", size, NULL };
	const char *const oargs[] = { "lab", "-o", "phys,va", "kmalloc", size, NULL };

	REQUIRE_DEVICE(return);
	snprintf(size, sizeof(size), "%ld", 3 * sysconf(_SC_PAGESIZE));
	check_lab_rows(_metadata, targs, "PAGE VA PHYS LOGICAL REGION", 0, 1, 2, 3);
	check_lab_rows(_metadata, oargs, "PHYS VA", -1, 1, 0, -1);
}

TEST_HARNESS_MAIN
