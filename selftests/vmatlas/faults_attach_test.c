// SPDX-License-Identifier: GPL-2.0
/*
 * Where the tracer's columns come from and how it attaches: the frame after
 * each fault is the one /proc/PID/pagemap shows; the module's kfunc is used
 * exactly where it is registered, and elsewhere the tool names what stays
 * empty; kprobes count as fentry does; the page_fault_user tracepoint sees
 * each user-mode fault start and leaves what it cannot know null; --top 0
 * drops only the per-page table. The workload is in workload.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "procfs.h"
#include "workload.h"

FIXTURE(tracer) {
	int unused;
};

FIXTURE_SETUP(tracer)
{
	char why[1024];
	int ready = tracer_ready(why, sizeof(why));

	if (!ready)
		SKIP(return, "%s", why);
	ASSERT_EQ(1, ready) TH_LOG("%s", why);
}

FIXTURE_TEARDOWN(tracer)
{
}

/* The frame each fault left, against the one pagemap shows afterwards. */
static void check_frames(struct __test_metadata *_metadata, struct json_object *doc,
			 const struct wl_result *r, int pages)
{
	struct json_object *events = json_get(doc, "events");
	unsigned long long want;
	long matched = 0;
	char text[64 * 1024], *line;
	size_t i;

	ASSERT_LT(0, read_file(WORKLOAD_OUT ".pfn", text, sizeof(text)));
	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i), *after;
		unsigned long long page = (json_hex(e, "addr") - r->region) / getpagesize();
		int k;

		if (json_hex(json_get(e, "vma"), "start") != r->region || page >= (size_t)pages)
			continue;
		after = json_get(e, "pte_after");
		ASSERT_NE(NULL, after);
		for (line = text, k = 0; line && k < (int)page; k++) {
			line = strchr(line, '\n');
			line = line ? line + 1 : NULL;
		}
		ASSERT_NE(NULL, line);
		want = strtoull(line, NULL, 16);
		EXPECT_NE(0, want);
		EXPECT_EQ(want, json_hex(after, "pfn")) TH_LOG("page %llu", page);
		EXPECT_FALSE(json_object_get_boolean(json_get(json_get(e, "pte_before"),
							      "present")));
		matched++;
	}
	EXPECT_COUNT(pages, matched, doc);
}

TEST_F(tracer, pte_after_is_the_frame_pagemap_shows)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("touch", "64", &r);

	ASSERT_NE(NULL, doc);
	check_frames(_metadata, doc, &r, 64);
	json_object_put(doc);
}

/*
 * The kfunc is used exactly where the module registered it, which it can do
 * only when its build carries BTF (/sys/kernel/btf/vmatlas); elsewhere the
 * tool names the columns it cannot fill.
 */
TEST_F(tracer, kfunc_columns_are_filled_or_named_as_missing)
{
	int has_btf = !access("/sys/kernel/btf/vmatlas", F_OK);
	struct json_object *doc, *e, *events;
	struct wl_result r;
	size_t i;

	EXPECT_EQ(has_btf, module_has_kfunc());
	doc = trace_workload("touch", "8", &r);
	ASSERT_NE(NULL, doc);
	events = json_get(doc, "events");
	if (module_has_kfunc()) {
		EXPECT_STREQ("kfunc", json_object_get_string(json_get(doc, "pte_source")));
		EXPECT_EQ(0, json_object_array_length(json_get(doc, "unavailable")));
		EXPECT_EQ(NULL, strstr(workload_last_err, "kfunc")) TH_LOG("%s", workload_last_err);
		for (i = 0; i < json_object_array_length(events); i++) {
			struct json_object *after;

			e = json_object_array_get_idx(events, i);
			if (json_hex(json_get(e, "vma"), "start") != r.region)
				continue;
			after = json_get(e, "pte_after");
			/* A fresh anonymous page, mapped once, by this fault. */
			EXPECT_EQ(1, json_int(after, "mapcount"));
			EXPECT_TRUE(json_object_get_boolean(json_get(after, "anon")));
		}
	} else {
		EXPECT_STREQ("bpf_walk", json_object_get_string(json_get(doc, "pte_source")));
		EXPECT_TRUE(json_array_has(json_get(doc, "unavailable"), "mapcount"));
		EXPECT_NE(NULL, strstr(workload_last_err, "offers no BPF kfuncs"))
			TH_LOG("%s", workload_last_err);
		EXPECT_NE(NULL, strstr(workload_last_err, "mapcount"))
			TH_LOG("%s", workload_last_err);
	}
	json_object_put(doc);
}

/* kprobe/kretprobe, the fallback, count and attribute as fentry/fexit do. */
TEST_F(tracer, kprobe_attachment_counts_like_fentry)
{
	struct json_object *doc, *ru;
	struct wl_result r;

	doc = trace_workload_as("touch", "100", "kprobe", &r);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("kprobe", json_object_get_string(json_get(doc, "attach")));
	ru = json_get(doc, "rusage");
	ASSERT_NE(NULL, ru);
	EXPECT_COUNT(json_int(ru, "minflt"), json_int(doc, "minor"), doc);
	EXPECT_COUNT(json_int(ru, "majflt"), json_int(doc, "major"), doc);
	EXPECT_COUNT(100, count_events(doc, r.region, "first_touch", 0, "minor"), doc);
	check_frames(_metadata, doc, &r, 100);
	json_object_put(doc);

	doc = trace_workload_as("touch", "10", "fentry", &r);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("fentry", json_object_get_string(json_get(doc, "attach")));
	json_object_put(doc);
}

/* --top 0 leaves out the per-page table, and nothing else. */
TEST_F(tracer, top_zero_keeps_counts_and_drops_pages)
{
	static char exe[256];
	const char *const args[] = { "faults", "--top", "0", "--json", "--", exe, NULL };
	static struct run_result res;
	struct json_object *doc, *ru;
	ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	ASSERT_LT(0, len);
	exe[len] = '\0';
	setenv("VMATLAS_WORKLOAD", "touch", 1);
	setenv("VMATLAS_WORKLOAD_N", "30", 1);
	setenv("VMATLAS_WORKLOAD_OUT", WORKLOAD_OUT, 1);
	doc = run_tool_json(&res, args);
	unsetenv("VMATLAS_WORKLOAD");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	run_result_free(&res);
	ru = json_get(doc, "rusage");
	EXPECT_COUNT(json_int(ru, "minflt"), json_int(doc, "minor"), doc);
	EXPECT_LE(30, json_int(doc, "minor"));
	EXPECT_EQ(0, json_object_array_length(json_get(doc, "top_pages")));
	EXPECT_LT(0, json_object_array_length(json_get(doc, "by_vma")));
	json_object_put(doc);
}

/*
 * The page_fault_user tracepoint sees each user-mode fault begin: N fresh
 * pages are N first touches in their VMA, and what it cannot know (minor or
 * major, latency, the entry after) is null and named, not made up.
 */
TEST_F(tracer, tracepoint_attachment_sees_each_fault_start_and_no_more)
{
	struct json_object *doc, *vmas, *unavailable, *lat;
	struct wl_result r;
	long by_vma = -1;
	size_t i;

	if (access("/sys/kernel/tracing/events/exceptions/page_fault_user", F_OK)) {
		static const char *const args[] = {
			"faults", "--attach", "tracepoint", "--", "true", NULL,
		};
		struct run_result res;

		/* Asked for what the kernel lacks: one line, status 1, no output. */
		ASSERT_EQ(0, run_tool(&res, -1, args));
		EXPECT_EQ(1, run_exit_code(&res));
		EXPECT_EQ(0, res.out_len);
		EXPECT_NE(NULL, strstr(res.err, "page_fault_user: no such tracepoint"))
			TH_LOG("%s", res.err);
		EXPECT_EQ(1, count_lines(res.err));
		run_result_free(&res);
		SKIP(return, "no page_fault_user tracepoint in this kernel (x86 has one)");
	}
	doc = trace_workload_as("touch", "100", "tracepoint", &r);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("tracepoint", json_object_get_string(json_get(doc, "attach")));
	EXPECT_EQ(100, count_events(doc, r.region, "first_touch", 0, "unknown"));
	EXPECT_EQ(100, count_events(doc, r.region, NULL, 0, NULL));
	vmas = json_get(doc, "by_vma");
	for (i = 0; i < json_object_array_length(vmas); i++)
		if (json_hex(json_object_array_get_idx(vmas, i), "start") == r.region) {
			by_vma = json_int(json_object_array_get_idx(vmas, i), "faults");
			EXPECT_EQ(NULL, json_get(json_object_array_get_idx(vmas, i),
						 "latency_ns_avg"));
		}
	EXPECT_EQ(100, by_vma);
	EXPECT_LE(100, json_int(doc, "total"));
	EXPECT_TRUE(json_object_object_get_ex(doc, "minor", NULL));
	EXPECT_EQ(NULL, json_get(doc, "minor"));
	EXPECT_EQ(NULL, json_get(doc, "major"));
	lat = json_get(doc, "latency_ns");
	EXPECT_EQ(NULL, json_get(lat, "p50"));
	unavailable = json_get(doc, "unavailable");
	EXPECT_TRUE(json_array_has(unavailable, "minor"));
	EXPECT_TRUE(json_array_has(unavailable, "latency_ns"));
	EXPECT_TRUE(json_array_has(unavailable, "pte_after"));
	EXPECT_NE(NULL, strstr(workload_last_err, "page_fault_user"))
		TH_LOG("%s", workload_last_err);
	json_object_put(doc);
}

TEST_HARNESS_MAIN
