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

/* Skip @text to the line after the one that starts with @head; that line into @line. */
static const char *table_after(const char *text, const char *head, char *line, size_t len)
{
	while (next_line(&text, line, len))
		if (!strncmp(line, head, strlen(head)))
			return text;
	return NULL;
}

/* A region's cells: its name, start, end ("top" for 0) and size ("-" for 0). */
static void region_cells(struct json_object *r, char cells[4][64])
{
	const char *end = json_object_get_string(json_get(r, "end"));

	snprintf(cells[0], 64, "%s", json_object_get_string(json_get(r, "name")));
	snprintf(cells[1], 64, "%s", json_object_get_string(json_get(r, "start")));
	snprintf(cells[2], 64, "%s", strcmp(end, "0x0") ? end : "top");
	if (json_int(r, "size"))
		size_cell(json_int(r, "size"), cells[3], 64);
	else
		snprintf(cells[3], 64, "-");
}

/* layout: the regions' table is the JSON regions, all of it or what -o names. */
TEST(layout_table_rows_are_the_json_regions)
{
	const char *const jargs[] = { "layout", "--json", NULL };
	const char *const targs[] = { "layout", NULL };
	const char *const oargs[] = { "layout", "-o", "size,Region", NULL };
	static struct run_result js, tab, o;
	char line[512], hdr[128], w[5][64], cells[4][64];
	struct json_object *doc, *regions, *r;
	const char *text;
	size_t i;
	int n;

	REQUIRE_DEVICE(return);
	doc = run_tool_json(&js, jargs);
	ASSERT_NE(NULL, doc) TH_LOG("%s", js.err);
	regions = json_get(doc, "regions");
	ASSERT_LT(0, json_object_array_length(regions));

	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text) TH_LOG("%s", tab.err);
	text = table_after(text, "REGION", line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no table in: %s", tab.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("REGION START END SIZE", hdr);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(regions, i);
		ASSERT_NE(NULL, r) TH_LOG("more rows than regions: '%s'", line);
		n = sscanf(line, "%63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4]);
		ASSERT_EQ(4, n) TH_LOG("row '%s'", line);
		region_cells(r, cells);
		for (n = 0; n < 4; n++)
			EXPECT_STREQ(cells[n], w[n]) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(json_object_array_length(regions), i);

	text = run_tool_text(&o, oargs);
	ASSERT_NE(NULL, text) TH_LOG("%s", o.err);
	text = table_after(text, "SIZE", line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no table in: %s", o.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("SIZE REGION", hdr);
	for (i = 0; next_line(&text, line, sizeof(line)); i++) {
		r = json_object_array_get_idx(regions, i);
		ASSERT_NE(NULL, r) TH_LOG("more rows than regions: '%s'", line);
		n = sscanf(line, "%63s %63s %63s", w[0], w[1], w[2]);
		ASSERT_EQ(2, n) TH_LOG("row '%s'", line);
		region_cells(r, cells);
		EXPECT_STREQ(cells[3], w[0]) TH_LOG("row '%s'", line);
		EXPECT_STREQ(cells[0], w[1]) TH_LOG("row '%s'", line);
	}
	EXPECT_EQ(json_object_array_length(regions), i);
	json_object_put(doc);
	run_result_free(&js);
	run_result_free(&tab);
	run_result_free(&o);
}

/*
 * lab: kmalloc's pages are logical, one contiguous block: in the default
 * table each page's LOGICAL is its VA, pages a page apart both ways; -o
 * gives the columns it names, PHYS - VA the same on every row.
 */
TEST(lab_table_pages_are_one_logical_block)
{
	long page = sysconf(_SC_PAGESIZE);
	char size[24], line[512], hdr[128], w[6][64];
	const char *const targs[] = { "lab", "kmalloc", size, NULL };
	const char *const oargs[] = { "lab", "-o", "phys,va", "kmalloc", size, NULL };
	unsigned long long va, phys, first_va = 0, first_phys = 0;
	static struct run_result tab, o;
	const char *text;
	long i;
	int n;

	REQUIRE_DEVICE(return);
	snprintf(size, sizeof(size), "%ld", 3 * page);
	text = run_tool_text(&tab, targs);
	ASSERT_NE(NULL, text) TH_LOG("%s", tab.err);
	text = table_after(text, "PAGE", line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no table in: %s", tab.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("PAGE VA PHYS LOGICAL REGION", hdr);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(next_line(&text, line, sizeof(line)));
		n = sscanf(line, "%63s %63s %63s %63s %63s %63s", w[0], w[1], w[2], w[3], w[4],
			   w[5]);
		ASSERT_EQ(5, n) TH_LOG("row '%s'", line);
		EXPECT_EQ(i, strtol(w[0], NULL, 10)) TH_LOG("row '%s'", line);
		EXPECT_STREQ(w[1], w[3]) TH_LOG("a logical VA: '%s'", line);
		va = strtoull(w[1], NULL, 16);
		phys = strtoull(w[2], NULL, 16);
		if (!i) {
			first_va = va;
			first_phys = phys;
		}
		EXPECT_EQ(first_va + i * page, va) TH_LOG("row '%s'", line);
		EXPECT_EQ(first_phys + i * page, phys) TH_LOG("row '%s'", line);
	}

	text = run_tool_text(&o, oargs);
	ASSERT_NE(NULL, text) TH_LOG("%s", o.err);
	text = table_after(text, "PHYS", line, sizeof(line));
	ASSERT_NE(NULL, text) TH_LOG("no table in: %s", o.out);
	words(line, hdr, sizeof(hdr));
	EXPECT_STREQ("PHYS VA", hdr);
	for (i = 0; i < 3; i++) {
		ASSERT_TRUE(next_line(&text, line, sizeof(line)));
		n = sscanf(line, "%63s %63s %63s", w[0], w[1], w[2]);
		ASSERT_EQ(2, n) TH_LOG("row '%s'", line);
		phys = strtoull(w[0], NULL, 16);
		va = strtoull(w[1], NULL, 16);
		if (!i) {
			first_va = va;
			first_phys = phys;
		}
		EXPECT_EQ(first_va + i * page, va) TH_LOG("row '%s'", line);
		EXPECT_EQ(first_phys - first_va, phys - va) TH_LOG("row '%s'", line);
	}
	run_result_free(&tab);
	run_result_free(&o);
}

TEST_HARNESS_MAIN
