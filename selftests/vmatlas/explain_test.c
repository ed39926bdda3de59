// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas explain: each scenario holds on this kernel (exit 0, every check
 * "[holds]") and says the numbers its claim is about, which the test works
 * out on its own from the page size; bad names are usage errors.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

/* How many times @needle is in @s. */
static int occurrences(const char *s, const char *needle)
{
	int n = 0;

	for (; (s = strstr(s, needle)); s += strlen(needle))
		n++;
	return n;
}

/*
 * What a failed story says first: its checks that did not hold, on one line
 * (a summary keeps only a failed case's first lines), then all it printed.
 */
static const char *why(const struct run_result *res)
{
	static char buf[1 << 16];
	const char *s = res->out, *nl;
	size_t n = 0;

	while ((s = strstr(s, "[DOES NOT HOLD HERE]"))) {
		nl = strchrnul(s, '\n');
		n += snprintf(buf + n, sizeof(buf) - n, "%.*s | ", (int)(nl - s), s);
		if (n >= sizeof(buf))
			return res->out;
		s = nl;
	}
	snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "\n" : "", res->out);
	if (res->err[0] && strlen(buf) + strlen(res->err) < sizeof(buf))
		strcat(buf, res->err);
	return buf;
}

TEST(lazy_holds_with_this_kernels_numbers)
{
	const char *const args[] = { "explain", "lazy", NULL };
	unsigned long long touched = (64ULL << 20) / sysconf(_SC_PAGESIZE) / 16;
	unsigned long long populated = (1ULL << 20) / sysconf(_SC_PAGESIZE);
	char want[128];
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(7, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	EXPECT_EQ(0, occurrences(res.out, "DOES NOT HOLD")) TH_LOG("%s", why(&res));
	snprintf(want, sizeof(want), "%llu pages touched", touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "%llu present, in %llu one-page stretches", touched, touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "%llu minor faults for %llu touches", touched, touched);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	EXPECT_NE(NULL, strstr(res.out, "TLB or not: 0 faults")) TH_LOG("%s", res.out);
	/* MAP_POPULATE: the same numbers, all taken inside mmap(). */
	snprintf(want, sizeof(want), "present before any touch: %llu of %llu", populated,
		 populated);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "%llu minor faults inside the call", populated);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	snprintf(want, sizeof(want), "writing all %llu pages costs 0 faults", populated);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	run_result_free(&res);
}

/* The text of @doc's check lines that held and hold @what, or NULL. */
static const char *held_line(struct json_object *doc, const char *what)
{
	struct json_object *lines = json_get(doc, "lines");
	size_t i;

	for (i = 0; i < json_object_array_length(lines); i++) {
		struct json_object *l = json_object_array_get_idx(lines, i);
		const char *text = json_object_get_string(json_get(l, "text"));

		if (json_get(l, "holds") && json_object_get_boolean(json_get(l, "holds")) &&
		    strstr(text, what))
			return text;
	}
	return NULL;
}

/*
 * --json: the same story as one document ($defs/explain), each check with
 * whether it held; the listing too ($defs/explain_list), the text's names.
 */
TEST(lazy_as_json_is_the_same_story)
{
	const char *const args[] = { "explain", "--json", "lazy", NULL };
	const char *const list[] = { "explain", "--json", NULL };
	const char *const text[] = { "explain", NULL };
	unsigned long long populated = (1ULL << 20) / sysconf(_SC_PAGESIZE);
	struct run_result res, names;
	struct json_object *doc, *sc;
	char want[96];
	size_t i;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	doc = parse_tool_json(&res, res.out, "explain");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_STREQ("lazy", json_object_get_string(json_get(doc, "scenario")));
	EXPECT_EQ(sysconf(_SC_PAGESIZE), json_int(doc, "page_size"));
	EXPECT_EQ(7, json_int(doc, "checks"));
	EXPECT_EQ(7, json_int(doc, "held"));
	EXPECT_TRUE(json_object_get_boolean(json_get(doc, "holds")));
	snprintf(want, sizeof(want), "%llu minor faults inside the call", populated);
	EXPECT_NE(NULL, held_line(doc, want)) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, held_line(doc, "TLB or not: 0 faults")) TH_LOG("%s", res.out);
	json_object_put(doc);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, list));
	ASSERT_EQ(0, run_tool(&names, -1, text));
	doc = parse_tool_json(&res, res.out, "explain_list");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	sc = json_get(doc, "scenarios");
	EXPECT_EQ(occurrences(names.out, "\n"), json_object_array_length(sc));
	for (i = 0; i < json_object_array_length(sc); i++) {
		const char *name = json_object_get_string(json_get(json_object_array_get_idx(sc, i),
								   "name"));

		snprintf(want, sizeof(want), "%s ", name);
		EXPECT_NE(NULL, strstr(names.out, want)) TH_LOG("%s", name);
	}
	json_object_put(doc);
	run_result_free(&res);
	run_result_free(&names);
}

/*
 * Checks of the fault trace a preemptible kernel made the tracer miss (its
 * "missed"): said, not failed, by the scenario; as faults_test allows them.
 */
static int trace_misses(const char *out)
{
	return occurrences(out, "the kernel skipped it");
}

/* Whether this vmatlas was built with its fault tracer. */
static bool tool_has_bpf(void)
{
	const char *const args[] = { "--help", NULL };
	struct run_result res;
	bool has;

	if (run_tool(&res, -1, args))
		return false;
	has = !strstr(res.out, "not in this build");
	run_result_free(&res);
	return has;
}

/* The hex number after @label in @s, or 0. */
static unsigned long long frame_after(const char *s, const char *label)
{
	const char *at = strstr(s, label);

	return at ? strtoull(at + strlen(label), NULL, 16) : 0;
}

/*
 * The frames come from WALK, which walk_test holds to pagemap; here the
 * story must hold together: the frame page 0 had before fork() is the one
 * the parent keeps, and the child's is another.
 */
TEST(cow_holds_and_its_frames_agree)
{
	const char *const args[] = { "explain", "cow", NULL };
	unsigned long long before, child, parent;
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	/* Where this vmatlas has BPF, the trace must have classified the write. */
	if (tool_has_bpf()) {
		EXPECT_EQ(8, occurrences(res.out, "[holds]") + trace_misses(res.out))
			TH_LOG("%s", why(&res));
		if (!trace_misses(res.out))
			EXPECT_NE(NULL, strstr(res.out, "copy-on-write: 1 cow of 1"))
				TH_LOG("%s", res.out);
	} else {
		EXPECT_EQ(7, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	}
	EXPECT_EQ(0, occurrences(res.out, "DOES NOT HOLD")) TH_LOG("%s", why(&res));
	EXPECT_NE(NULL, strstr(res.out, "the same frames: 16 of 16 pages")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "one fault: 1 minor")) TH_LOG("%s", res.out);
	before = frame_after(res.out, "page 0 is frame ");
	child = frame_after(res.out, "a frame of its own: ");
	parent = frame_after(res.out, "keeps the old one: ");
	EXPECT_NE(0, before);
	EXPECT_EQ(before, parent);
	EXPECT_NE(before, child);
	EXPECT_NE(0, child);
	run_result_free(&res);
}

/*
 * A thread's stack is a new VMA of the process with a guard below, its
 * writes are in the process's tables, and its TID walks to the same frame;
 * /proc, read through either id, agrees: the same maps, the same frame in
 * pagemap, every frame of the region mapped once in kpagecount.
 */
TEST(threads_share_one_address_space)
{
	const char *const args[] = { "explain", "threads", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(8, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	EXPECT_EQ(0, occurrences(res.out, "DOES NOT HOLD")) TH_LOG("%s", why(&res));
	EXPECT_NE(NULL, strstr(res.out, "page tables: 8 of 8 pages present")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "16 of 16 pages mapped once")) TH_LOG("%s", res.out);
	EXPECT_NE(0, frame_after(res.out, "the same frame ")) TH_LOG("%s", res.out);
	EXPECT_EQ(frame_after(res.out, "the same frame "), frame_after(res.out, "pagemap: frame "))
		TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "kpagecount: 16 of the 16 frames mapped once"))
		TH_LOG("%s", res.out);
	run_result_free(&res);
}

/*
 * 64 pages below the bottom: the VMA's new start is there (maps's view of
 * a growing stack is walk_test's), one page of them present, one fault; the
 * guard gap admits a neighbour exactly its width away, not a page closer.
 */
TEST(stack_grows_to_the_touch_and_stops_at_the_gap)
{
	const char *const args[] = { "explain", "stack", NULL };
	char want[96];
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(5, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	snprintf(want, sizeof(want), "%ld KiB more", 64 * sysconf(_SC_PAGESIZE) / 1024);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in: %s", want, res.out);
	EXPECT_NE(NULL, strstr(res.out, "1 of the 64 new pages present")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "wide: the stack grew")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "narrower: Segmentation fault")) TH_LOG("%s", res.out);
	run_result_free(&res);
}

TEST(brk_vs_mmap_holds)
{
	const char *const args[] = { "explain", "brk-vs-mmap", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(4, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	run_result_free(&res);
}

TEST(shared_holds)
{
	const char *const args[] = { "explain", "shared", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(6, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	EXPECT_NE(NULL, strstr(res.out, "4 of 4 pages, 0 anonymous")) TH_LOG("%s", res.out);
	run_result_free(&res);
}

/* The test VMs swap to zram: each page is read back through a major fault. */
TEST(swap_holds)
{
	const char *const args[] = { "explain", "swap", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(tool_has_bpf() ? 5 : 4, occurrences(res.out, "[holds]") + trace_misses(res.out))
		TH_LOG("%s", why(&res));
	EXPECT_NE(NULL, strstr(res.out, "16 major, 0 minor")) TH_LOG("%s", res.out);
	run_result_free(&res);
}

TEST(thp_holds)
{
	const char *const args[] = { "explain", "thp", NULL };
	long page = sysconf(_SC_PAGESIZE);
	struct run_result res;
	char want[96];

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(6, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	snprintf(want, sizeof(want), "%ld present in %ld KiB leaves", page / 8,
		 page * page / 8 / 1024);
	EXPECT_NE(NULL, strstr(res.out, want)) TH_LOG("no '%s' in %s", want, res.out);
	run_result_free(&res);
}

TEST(kernel_holds)
{
	const char *const args[] = { "explain", "kernel", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(6, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	run_result_free(&res);
}

/* Highmem is 32-bit's: /proc/meminfo says whether there is any. */
TEST(highmem_holds_where_there_is_highmem)
{
	const char *const args[] = { "explain", "highmem", NULL };
	struct run_result res;
	char meminfo[8192];

	REQUIRE_DEVICE(return);
	ASSERT_LT(0, read_file("/proc/meminfo", meminfo, sizeof(meminfo)));
	ASSERT_EQ(0, run_tool(&res, -1, args));
	if (!strstr(meminfo, "HighTotal:") || strstr(meminfo, "HighTotal:             0 kB")) {
		EXPECT_EQ(1, run_exit_code(&res));
		EXPECT_EQ(0, res.out_len) TH_LOG("%s", res.out);
		EXPECT_NE(NULL, strstr(res.err, "no highmem here")) TH_LOG("%s", res.err);
	} else {
		EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
		EXPECT_EQ(6, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	}
	run_result_free(&res);
}

/*
 * The static program is the tool itself; the VMs of 64-bit targets carry a
 * dynamic one, coreutils' true (lib.sh), the i386 one none.
 */
TEST(elf_holds_for_a_static_and_a_dynamic_program)
{
	const char *const args[] = { "explain", "elf", NULL };
	bool dynamic = !access("/usr/bin/true", X_OK);
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
	EXPECT_EQ(0, occurrences(res.out, "DOES NOT HOLD")) TH_LOG("%s", why(&res));
	EXPECT_NE(NULL, strstr(res.out, ": ELF")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, ", static")) TH_LOG("%s", res.out);
	EXPECT_NE(NULL, strstr(res.out, "nothing but the program is mapped")) TH_LOG("%s", res.out);
	EXPECT_EQ(dynamic ? 2 : 1, occurrences(res.out, "each LOAD segment is a VMA"))
		TH_LOG("%s", res.out);
	if (dynamic) {
		EXPECT_NE(NULL, strstr(res.out, "dynamic linker too, and no library: 0"))
			TH_LOG("%s", res.out);
		EXPECT_NE(NULL, strstr(res.out, "libc.so.6")) TH_LOG("%s", res.out);
	}
	run_result_free(&res);
}

/* A program that is not one, or is not there: a line, no story. */
TEST(elf_refuses_what_is_not_a_program)
{
	const char *const notelf[] = { "explain", "elf", "/proc/self/status", NULL };
	const char *const none[] = { "explain", "elf", "/nonexistent", NULL };
	struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, run_tool(&res, -1, notelf));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "not an ELF file")) TH_LOG("%s", res.err);
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, none));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "No such file")) TH_LOG("%s", res.err);
	run_result_free(&res);
}

/* x86's: the arm64 kernel has no segments to show, and says so. */
TEST(segments_hold_on_x86)
{
	const char *const args[] = { "explain", "segments", NULL };
	struct run_result res;
	struct utsname u;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, uname(&u));
	ASSERT_EQ(0, run_tool(&res, -1, args));
	if (!strcmp(u.machine, "aarch64")) {
		EXPECT_EQ(1, run_exit_code(&res));
		EXPECT_EQ(0, res.out_len) TH_LOG("%s", res.out);
		EXPECT_NE(NULL, strstr(res.err, "segments are x86's")) TH_LOG("%s", res.err);
	} else {
		EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", why(&res));
		EXPECT_EQ(5, occurrences(res.out, "[holds]")) TH_LOG("%s", why(&res));
	}
	run_result_free(&res);
}

TEST(scenarios_are_listed_and_unknown_ones_refused)
{
	const char *const list[] = { "explain", NULL };
	const char *const bad[] = { "explain", "nosuch", NULL };
	struct run_result res;

	ASSERT_EQ(0, run_tool(&res, -1, list));
	EXPECT_EQ(0, run_exit_code(&res));
	EXPECT_EQ(0, strncmp(res.out, "lazy ", 5)) TH_LOG("%s", res.out);
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, bad));
	EXPECT_EQ(2, run_exit_code(&res));
	EXPECT_NE(NULL, strstr(res.err, "no scenario 'nosuch'")) TH_LOG("%s", res.err);
	EXPECT_EQ(0, res.out_len);
	run_result_free(&res);
}

TEST_HARNESS_MAIN
