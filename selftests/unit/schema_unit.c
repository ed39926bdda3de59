// SPDX-License-Identifier: GPL-2.0
/*
 * The schema of the tool's JSON (Documentation/vmatlas.schema.json) and the
 * validator the VM tests check every --json document with: each command is
 * described, documents of the documented shape pass, and each way to break
 * one fails with the place it broke.
 */
#include <string.h>

#include "names.h"
#include "schema.h"
#include "kselftest_harness.h"

static const char *const commands[] = {
	"info", "maps", "walk", "ptdump", "layout", "kaddr", "lab", "faults", "error",
	"explain", "explain_list",
};

/* As Documentation/tool.rst shows it. */
#define INFO_DOC	"{ \"abi_version\": 1, \"module_version\": \"0.1.0\", " \
			"\"arch\": \"x86_64\", \"kernel\": \"6.12.117+deb12-amd64\", " \
			"\"page_size\": 4096, \"levels\": 5, \"features\": [ \"phys\", " \
			"\"debugfs\" ] }"
#define PTDUMP_DOC	"{ \"pid\": 170, \"phys_hidden\": false, \"runs\": [ { " \
			"\"start\": \"0x400000\", \"end\": \"0x401000\", \"size\": 4096, " \
			"\"page_size\": 4096, \"tlb_size\": 4096, \"level\": \"pte\", " \
			"\"flags\": [ \"present\", \"user\" ], \"phys\": null } ] }"

/* explain --json with the first line's and the second's "holds" as given. */
#define EXPLAIN_DOC(say, held) \
			"{ \"scenario\": \"lazy\", \"claim\": \"c\", \"kernel\": \"6.12\", " \
			"\"arch\": \"x86_64\", \"page_size\": 4096, \"lines\": [ " \
			"{ \"text\": \"a\", \"holds\": " say " }, " \
			"{ \"text\": \"b\", \"holds\": " held " }, " \
			"{ \"text\": \"c\", \"holds\": false } ], " \
			"\"checks\": 2, \"held\": 1, \"holds\": false }"
#define EXPLAIN_LIST_DOC "{ \"scenarios\": [ { \"name\": \"lazy\", \"claim\": \"c\" } ] }"

static const char info_doc[] = INFO_DOC;
static const char ptdump_doc[] = PTDUMP_DOC;

static bool check(const char *command, const char *text, char *why, size_t len)
{
	struct json_object *doc = json_tokener_parse(text);
	bool ok;

	if (!doc) {
		snprintf(why, len, "not JSON");
		return false;
	}
	ok = schema_valid_output(command, doc, why, len);
	json_object_put(doc);
	return ok;
}

TEST(every_command_is_described)
{
	char why[256];
	size_t i;

	ASSERT_NE(NULL, schema_root());
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		/* An empty object is not a document of any command... */
		EXPECT_FALSE(check(commands[i], "{}", why, sizeof(why))) TH_LOG("%s", commands[i]);
		/* ...for want of a member, not of a definition. */
		EXPECT_NE(NULL, strstr(why, "missing member")) TH_LOG("%s: %s", commands[i], why);
	}
	EXPECT_FALSE(check("bogus", info_doc, why, sizeof(why)));
	EXPECT_NE(NULL, strstr(why, "no \"bogus\""));
}

TEST(documented_shapes_pass)
{
	char why[256] = "";

	EXPECT_TRUE(check("info", info_doc, why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_TRUE(check("ptdump", ptdump_doc, why, sizeof(why))) TH_LOG("%s", why);
	/* What a command says on stderr when it fails with --json. */
	EXPECT_TRUE(check("error", "{ \"command\": \"walk\", \"error\": \"not mapped\" }",
			  why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_TRUE(check("error", "{ \"command\": null, \"error\": \"no such command\" }",
			  why, sizeof(why))) TH_LOG("%s", why);
	/* explain --json: a line that says, a check that held, one that did not. */
	EXPECT_TRUE(check("explain", EXPLAIN_DOC("null", "true"), why, sizeof(why)))
		TH_LOG("%s", why);
	/* A check is true or false, and a line a string. */
	EXPECT_FALSE(check("explain", EXPLAIN_DOC("null", "1"), why, sizeof(why)));
	EXPECT_FALSE(check("explain", EXPLAIN_DOC("null", "\"yes\""), why, sizeof(why)));
	EXPECT_TRUE(check("explain_list", EXPLAIN_LIST_DOC, why, sizeof(why))) TH_LOG("%s", why);
}

static const struct {
	const char *from, *to, *where;
} breaks[] = {
	{ "\"phys\": null", "\"phys\": 5", ".runs[0].phys" },			/* type */
	{ "\"0x400000\"", "\"400000\"", ".runs[0].start" },			/* pattern */
	{ "\"pte\"", "\"pte5\"", ".runs[0].level" },				/* enum */
	{ "\"size\": 4096,", "", ".runs[0]" },					/* required */
	{ "\"pid\": 170,", "\"pid\": 170, \"extra\": 1,", ".extra" },		/* extra */
	{ "\"page_size\": 4096", "\"page_size\": -1", ".runs[0].page_size" },	/* minimum */
	{ "\"user\"", "\"User\"", ".runs[0].flags[1]" },			/* names */
};

TEST(each_way_to_break_a_document_fails_where_it_broke)
{
	char text[1024], why[256];
	const char *at;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(breaks); i++) {
		at = strstr(ptdump_doc, breaks[i].from);
		ASSERT_NE(NULL, at);
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - ptdump_doc), ptdump_doc,
			 breaks[i].to, at + strlen(breaks[i].from));
		EXPECT_FALSE(check("ptdump", text, why, sizeof(why))) TH_LOG("%s", text);
		EXPECT_EQ(0, strncmp(why, breaks[i].where, strlen(breaks[i].where)))
			TH_LOG("'%s' for %s", why, breaks[i].where);
	}
}

/* One run of a ptdump document with @flags as its entry bits. */
#define RUN_DOC(flags)	"{ \"pid\": 1, \"phys_hidden\": true, \"runs\": [ { " \
			"\"start\": \"0x1000\", \"end\": \"0x2000\", \"size\": 4096, " \
			"\"page_size\": 4096, \"tlb_size\": 4096, \"level\": \"pte\", " \
			"\"flags\": [ " flags " ], \"phys\": null } ] }"

/*
 * The entry bits the schema names are the tool's (names.c), each of them,
 * and nothing else: a bit renamed on one side fails here.
 */
TEST(entry_bits_are_the_tools_names)
{
	char doc[512], why[256];
	size_t i;

	for (i = 0; i < names_ent.count; i++) {
		snprintf(doc, sizeof(doc), RUN_DOC("\"%s\""), names_ent.bits[i].name);
		EXPECT_TRUE(check("ptdump", doc, why, sizeof(why)))
			TH_LOG("%s: %s", names_ent.bits[i].name, why);
	}
	EXPECT_FALSE(check("ptdump", RUN_DOC("\"present\", \"bogus\""), why, sizeof(why)));
	EXPECT_FALSE(check("ptdump", RUN_DOC("\"anon\""), why, sizeof(why)));
}

TEST_HARNESS_MAIN
