// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's printers, on the build machine: sizes as tables and sentences
 * show them, number cells, and the streamed JSON writer, whose text must be
 * byte for byte what json-c prints for the same document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

/* The printer needs nothing of the front end (cli.h): it is not linked here. */
#include "faults_events.h"
#include "output.h"
#include "sgr.h"
#include "kselftest_harness.h"

static const struct {
	unsigned long long bytes;
	const char *sentence, *cell;
} sizes[] = {
	{ 0, "0 B", "0" },
	{ 1, "1 B", "1" },
	{ 1023, "1023 B", "1023" },
	{ 1024, "1 KiB", "1K" },
	{ 1536, "1.5 KiB", "1.5K" },
	{ 4096, "4 KiB", "4K" },
	{ 65536, "64 KiB", "64K" },
	{ 2ULL << 20, "2 MiB", "2M" },
	{ 33554432, "32 MiB", "32M" },
	{ (1ULL << 30) - 1, "1023.9 MiB", "1023.9M" },	/* truncated, never rounded up */
	{ 1ULL << 30, "1 GiB", "1G" },
	{ 256ULL << 40, "256 TiB", "256T" },
	{ 1ULL << 60, "1 EiB", "1E" },
	{ ~0ULL, "15.9 EiB", "15.9E" },
};

TEST(sizes_read_as_binary_units)
{
	char buf[OUT_NUM_MAX];
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(sizes); i++) {
		n = out_format_size(buf, sizeof(buf), sizes[i].bytes, false);
		EXPECT_STREQ(sizes[i].sentence, buf);
		EXPECT_EQ(strlen(buf), n);
		out_format_size(buf, sizeof(buf), sizes[i].bytes, true);
		EXPECT_STREQ(sizes[i].cell, buf);
	}
	/* A table has nothing to say of a size of 0. */
	EXPECT_STREQ("-", out_cell_size(buf, 0));
	EXPECT_STREQ("4K", out_cell_size(buf, 4096));
}

TEST(number_cells)
{
	char buf[OUT_NUM_MAX];

	EXPECT_STREQ("0x0", out_cell_hex(buf, 0));
	EXPECT_STREQ("0x7ffd12340000", out_cell_hex(buf, 0x7ffd12340000ULL));
	EXPECT_STREQ("0xffffffffffffffff", out_cell_hex(buf, ~0ULL));
	EXPECT_STREQ("0", out_cell_u64(buf, 0));
	EXPECT_STREQ("18446744073709551615", out_cell_u64(buf, ~0ULL));
}

static const struct out_col cols[] = {
	{ "START", OUT_RIGHT }, { "END", OUT_RIGHT }, { "SIZE", OUT_RIGHT }, { "PATH", OUT_LEFT },
};

/* -o: the columns named, any case, in the order named; "all"; unknown names refused. */
TEST(columns_are_chosen_by_name)
{
	struct out_col out[OUT_COLS_MAX];
	char bad[32];

	ASSERT_EQ(2, out_choose_cols(cols, ARRAY_SIZE(cols), "path,Start", out, bad,
				     sizeof(bad)));
	EXPECT_STREQ("PATH", out[0].header);
	EXPECT_STREQ("START", out[1].header);
	ASSERT_EQ(4, out_choose_cols(cols, ARRAY_SIZE(cols), "ALL", out, bad, sizeof(bad)));
	EXPECT_STREQ("SIZE", out[2].header);
	EXPECT_EQ(-1, out_choose_cols(cols, ARRAY_SIZE(cols), "start,ends", out, bad,
				      sizeof(bad)));
	EXPECT_STREQ("ends", bad);
	EXPECT_EQ(-1, out_choose_cols(cols, ARRAY_SIZE(cols), "start,", out, bad, sizeof(bad)));
	EXPECT_STREQ("", bad);
	EXPECT_EQ(-1, out_choose_cols(cols, ARRAY_SIZE(cols), "", out, bad, sizeof(bad)));
}

/* out_print_table()'s columns are named by header or by the member they show. */
static const struct out_column json_cols[] = {
	{ "PHYS(__pa)", "phys_linear", OUT_RIGHT },
	{ "PHYS(walk)", "phys", OUT_RIGHT },
	{ "FLAGS", "flags", OUT_LEFT },
};

TEST(json_columns_are_chosen_by_header_or_member)
{
	struct out_column out[OUT_COLS_MAX];
	char bad[32];

	ASSERT_EQ(3, out_choose_columns(json_cols, ARRAY_SIZE(json_cols),
					"flags,PHYS,phys(__PA)", out, bad, sizeof(bad)));
	EXPECT_STREQ("FLAGS", out[0].header);
	EXPECT_STREQ("PHYS(walk)", out[1].header);
	EXPECT_STREQ("PHYS(__pa)", out[2].header);
	EXPECT_EQ(-1, out_choose_columns(json_cols, ARRAY_SIZE(json_cols), "phys_", out, bad,
					 sizeof(bad)));
	EXPECT_STREQ("phys_", bad);
	ASSERT_EQ(3, out_choose_columns(json_cols, ARRAY_SIZE(json_cols), "all", out, bad,
					sizeof(bad)));
}

/* The header line of @rows printed with @c's columns, in @buf. */
static const char *choice_header(struct out_choice *c, char *buf, size_t len)
{
	struct json_object *rows = json_tokener_parse("[]");
	FILE *f = fmemopen(buf, len, "w");

	if (!f || out_print_choice(f, rows, c))
		snprintf(buf, len, "(failed)");
	if (f)
		fclose(f);
	json_object_put(rows);
	return buf;
}

/* A table -o chose prints those columns; one it did not, its default or all. */
TEST(a_choice_prints_the_chosen_else_the_default_columns)
{
	struct out_choice all = { json_cols, ARRAY_SIZE(json_cols), NULL };
	struct out_choice some = { json_cols, ARRAY_SIZE(json_cols), "flags,phys_linear" };
	char buf[256], bad[32];

	EXPECT_STREQ("PHYS(__pa)  PHYS(walk)  FLAGS\n", choice_header(&all, buf, sizeof(buf)));
	EXPECT_STREQ("FLAGS  PHYS(__pa)\n", choice_header(&some, buf, sizeof(buf)));
	ASSERT_EQ(1, out_choice_set(&some, "Phys", bad, sizeof(bad)));
	EXPECT_STREQ("PHYS(walk)\n", choice_header(&some, buf, sizeof(buf)));
	EXPECT_EQ(-1, out_choice_set(&some, "phys,nope", bad, sizeof(bad)));
	EXPECT_STREQ("nope", bad);
}

#define EVENTS_HEADER	"    TIME_S      TID            ADDR  ACCESS  CLASS            " \
			"LAT_NS  PFN_BEFORE   PFN_AFTER\n"

/*
 * The widest event a 64-bit machine gives: a 5-level user address, a kernel
 * instruction pointer, the longest class, frames of a 16 TiB machine.
 */
#define WIDE_EVENT	"{ \"ts_ns\": 1000000000000, \"pid\": 4194303, \"tid\": 4194304, " \
			"\"addr\": \"0xfffffffffff000\", \"ip\": \"0xffffffff81234567\", " \
			"\"access\": \"write\", \"class\": \"write_protect\", " \
			"\"latency_ns\": 99999999, " \
			"\"pte_before\": { \"pfn\": \"0xfffffffff\", \"mapcount\": 1000 }, " \
			"\"pte_after\": { \"pfn\": \"0xfffffffff\", \"mapcount\": 1000 } }"

/* The lines faults --events writes for WIDE_EVENT under the columns @list. */
static int event_lines(const char *list, char *text, size_t len)
{
	struct faults_events fe = {};
	struct json_object *e = json_tokener_parse(WIDE_EVENT);
	char bad[32];
	FILE *f = fmemopen(text, len, "w");

	if (!e || !f || faults_events_columns(&fe, list, bad, sizeof(bad)))
		return -1;
	fe.out = f;
	faults_events_on(e, &fe);
	faults_events_on(e, &fe);
	fclose(f);
	json_object_put(e);
	return 0;
}

/* The longest line of @text. */
static size_t widest(const char *text)
{
	size_t len, max = 0;

	for (; *text; text += len + !!text[len]) {
		len = strcspn(text, "\n");
		if (len > max)
			max = len;
	}
	return max;
}

TEST(event_lines_fit_100_columns_and_take_their_columns_from_o)
{
	char text[1024], bad[32];
	struct faults_events fe = {};

	ASSERT_EQ(0, event_lines(NULL, text, sizeof(text)));
	EXPECT_EQ(0, strncmp(text, EVENTS_HEADER, strlen(EVENTS_HEADER))) TH_LOG("%s", text);
	EXPECT_LE(widest(text), 100) TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "0xfffffffffff000  write   write_protect  99999999"))
		TH_LOG("%s", text);

	ASSERT_EQ(0, event_lines("Class,ip,maps_after", text, sizeof(text)));
	EXPECT_STREQ("CLASS                          IP  MAPS_AFTER\n"
		     "write_protect  0xffffffff81234567        1000\n"
		     "write_protect  0xffffffff81234567        1000\n", text);

	ASSERT_EQ(0, event_lines("all", text, sizeof(text)));
	EXPECT_EQ(0, strncmp(text, "    TIME_S      PID      TID            ADDR", 44))
		TH_LOG("%s", text);
	EXPECT_NE(NULL, strstr(text, "MAPS_BEFORE  MAPS_AFTER\n")) TH_LOG("%s", text);
	/* Time counts from the first event. */
	EXPECT_NE(NULL, strstr(text, "\n  0.000000  4194303  4194304")) TH_LOG("%s", text);

	EXPECT_EQ(-1, faults_events_columns(&fe, "addr,lat", bad, sizeof(bad)));
	EXPECT_STREQ("lat", bad);
	EXPECT_EQ(-1, faults_events_columns(&fe, "", bad, sizeof(bad)));
}

/* Rows of a small table: an address, a size and a name, coloured by name. */
struct row {
	unsigned long long start, size;
	const char *path;
};

static const struct row rows[] = {
	{ 0x400000, 4096, "/bin/true" },
	{ 0x7ffd12340000ULL, 135168, "[stack]" },
	{ 0x7ffd12400000ULL, 8192, "" },
};

static const char *cell_start(const void *r, size_t i, size_t arg, char *buf)
{
	return out_cell_hex(buf, ((const struct row *)r)[i].start);
}

static const char *cell_size(const void *r, size_t i, size_t arg, char *buf)
{
	return out_cell_size(buf, ((const struct row *)r)[i].size);
}

static const char *cell_path(const void *r, size_t i, size_t arg, char *buf)
{
	return ((const struct row *)r)[i].path;
}

static const char *color_path(const void *r, size_t i, size_t arg)
{
	return strcmp(((const struct row *)r)[i].path, "[stack]") ? NULL : "35";
}

static const struct out_col row_cols[] = {
	{ "START", OUT_RIGHT, cell_start },
	{ "SIZE", OUT_RIGHT, cell_size },
	{ "PATH", OUT_LEFT, cell_path, 0, color_path },
};

/* Not inlined: GCC 12 then takes the stream's buffer for a dangling local. */
__attribute__((noinline)) static char *table_text(bool color)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	out_opts.color = color;
	out_write_table(f, row_cols, ARRAY_SIZE(row_cols), rows, ARRAY_SIZE(rows));
	out_opts.color = false;
	fclose(f);
	return text;
}

/*
 * --color: the header bold, a coloured cell wrapped in its colour, the
 * padding outside it; without the colours the text is byte for byte the
 * plain table. Without --color, no escape at all.
 */
TEST(colour_is_drawn_over_the_same_table)
{
	char *plain = table_text(false), *color = table_text(true);

	ASSERT_NE(NULL, plain);
	ASSERT_NE(NULL, color);
	EXPECT_EQ(NULL, strchr(plain, '\033'));
	EXPECT_STREQ("         START  SIZE  PATH\n"
		     "      0x400000    4K  /bin/true\n"
		     "0x7ffd12340000  132K  [stack]\n"
		     "0x7ffd12400000    8K\n", plain);
	EXPECT_NE(NULL, strstr(color, "\033[1mSTART\033[0m  \033[1mSIZE\033[0m"));
	EXPECT_NE(NULL, strstr(color, "132K  \033[35m[stack]\033[0m\n"));
	EXPECT_NE(NULL, strstr(color, "4K  /bin/true\n"));
	strip_sgr(color);
	EXPECT_STREQ(plain, color);
	free(plain);
	free(color);
}

/* A document with every kind of member, nested, written by the streaming writer. */
static char *stream_doc(void)
{
	struct out_json j;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	out_json_begin(&j, f);
	out_json_s64(&j, "pid", 1234);
	out_json_bool(&j, "phys_hidden", false);
	out_json_str(&j, "path", "/usr/lib/x86_64-linux-gnu/libc.so.6 \"quoted\"\ttab");
	out_json_hex(&j, "start", 0x7ffd12340000ULL);
	out_json_hex_or_null(&j, "phys", false, 0);
	out_json_null(&j, "swap");
	out_json_array(&j, "runs");
	out_json_object(&j, NULL);
	out_json_u64(&j, "size", ~0ULL);
	out_json_s64(&j, "neg", -5);
	out_json_array(&j, "flags");
	out_json_str(&j, NULL, "present");
	out_json_str(&j, NULL, "write");
	out_json_close(&j);
	out_json_array(&j, "empty");
	out_json_close(&j);
	out_json_close(&j);
	out_json_close(&j);
	out_json_object(&j, "none");
	out_json_close(&j);
	out_json_end(&j);
	fclose(f);
	return text;
}

TEST(streamed_json_is_what_json_c_prints)
{
	struct json_object *doc, *run;
	char *text = stream_doc(), *want;
	const char *printed;

	ASSERT_NE(NULL, text);
	doc = json_tokener_parse(text);
	ASSERT_NE(NULL, doc) TH_LOG("not JSON:\n%s", text);
	printed = json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PRETTY |
						      JSON_C_TO_STRING_SPACED |
						      JSON_C_TO_STRING_NOSLASHESCAPE);
	ASSERT_EQ(0, asprintf(&want, "%s\n", printed) < 0);
	EXPECT_STREQ(want, text);
	run = json_object_array_get_idx(json_object_object_get(doc, "runs"), 0);
	EXPECT_EQ(~0ULL, json_object_get_uint64(json_object_object_get(run, "size")));
	free(want);
	json_object_put(doc);
	free(text);
}

TEST_HARNESS_MAIN
