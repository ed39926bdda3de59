// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas ptdump against /proc/PID/pagemap: every page of every run is
 * present (or swapped) exactly when pagemap says so, physically contiguous
 * runs map the frames pagemap reports, and a dump taken one run per call
 * through the resume cursor equals a dump taken at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"

FIXTURE(layout) {
	struct layout l;
	int fd;
};

FIXTURE_SETUP(layout)
{
	self->fd = -1;
	REQUIRE_DEVICE(return);
	self->fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, layout_start(&self->l));
}

FIXTURE_TEARDOWN(layout)
{
	if (self->fd < 0)
		return;
	if (self->l.pid)
		layout_stop(&self->l);
	close(self->fd);
}

/* All runs of [start, end) with at most @room runs per call; returns the count. */
static int ptdump_ioctl(int fd, pid_t pid, unsigned long long start, unsigned long long end,
			unsigned int room, struct vmatlas_run *runs, int max, int *calls)
{
	struct vmatlas_ptdump req;
	int n = 0;

	*calls = 0;
	do {
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.pid = pid;
		req.start = start;
		req.end = end;
		req.count = room;
		req.entry_size = sizeof(*runs);
		req.runs_ptr = (uintptr_t)(runs + n);
		if (n + (int)room > max || ioctl(fd, VMATLAS_IOC_PTDUMP, &req))
			return -1;
		n += req.count;
		start = req.next;
		(*calls)++;
	} while (req.next);
	return n;
}

/* The members of the document and of a run, in order. */
static const struct json_member ptdump_doc_members[] = {
	{ "pid", json_type_int }, { "phys_hidden", json_type_boolean },
	{ "runs", json_type_array },
};

static const struct json_member ptdump_run_members[] = {
	{ "start", json_type_string }, { "end", json_type_string },
	{ "size", json_type_int }, { "page_size", json_type_int },
	{ "tlb_size", json_type_int }, { "level", json_type_string }, { "flags", json_type_array },
	{ "phys", json_type_string, true },
};

/*
 * Every run of a ptdump --json document agrees with pagemap, page by page:
 * present and swapped as pagemap says; and "phys" is there exactly when the
 * run is present and pagemap's frames follow each other through it, the
 * first of them. A run without the member at all fails. The document has
 * json-c's layout and its members in their order, of their types.
 */
TEST_F(layout, runs_agree_with_pagemap)
{
	char pid[16];
	const char *const args[] = { "ptdump", "--json", pid, NULL };
	static struct run_result res;
	struct json_object *doc, *runs;
	unsigned long long present_pages = 0, with_phys = 0;
	int pm, bad = 0;
	char why[128];
	size_t i;

	snprintf(pid, sizeof(pid), "%d", self->l.pid);
	doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, doc) TH_LOG("ptdump failed: %s", res.err);
	EXPECT_TRUE(json_layout_ok(res.out)) TH_LOG("ptdump --json is not json-c's layout");
	ASSERT_TRUE(json_members_are(doc, ptdump_doc_members, ARRAY_SIZE(ptdump_doc_members),
				     why, sizeof(why)))
		TH_LOG("document: %s", why);
	ASSERT_NE(NULL, json_get(doc, "phys_hidden"));
	EXPECT_FALSE(json_object_get_boolean(json_get(doc, "phys_hidden")));
	runs = json_get(doc, "runs");
	ASSERT_LT(0, json_object_array_length(runs));
	pm = pagemap_open(self->l.pid);
	ASSERT_LE(0, pm);
	for (i = 0; i < json_object_array_length(runs); i++) {
		struct json_object *r = json_object_array_get_idx(runs, i), *phys_obj;
		unsigned long long a, start = json_hex(r, "start"), end = json_hex(r, "end");
		struct json_object *flags = json_get(r, "flags");
		int present = json_array_has(flags, "present") || json_array_has(flags, "protnone");
		int swap = json_array_has(flags, "swap");
		__u64 first = pagemap_entry(pm, start, self->l.page) & PM_PFN_MASK;
		int contiguous = present;

		EXPECT_LT(start, end);
		if (i)
			EXPECT_LE(json_hex(json_object_array_get_idx(runs, i - 1), "end"), start);
		ASSERT_TRUE(json_object_object_get_ex(r, "phys", &phys_obj))
			TH_LOG("run %#llx-%#llx has no phys member", start, end);
		ASSERT_TRUE(json_members_are(r, ptdump_run_members,
					     ARRAY_SIZE(ptdump_run_members), why, sizeof(why)))
			TH_LOG("run %#llx-%#llx: %s", start, end, why);
		for (a = start; a < end && bad < 10; a += self->l.page) {
			__u64 e = pagemap_entry(pm, a, self->l.page);

			if (!!(e & PM_PRESENT) != present || !!(e & PM_SWAP) != swap) {
				TH_LOG("%#llx in run %#llx-%#llx: pagemap %#llx", a, start, end,
				       (unsigned long long)e);
				bad++;
			}
			if ((e & PM_PFN_MASK) != first + (a - start) / self->l.page)
				contiguous = 0;
			present_pages += present;
		}
		if (contiguous != !!phys_obj ||
		    (phys_obj && json_hex(r, "phys") != first * self->l.page)) {
			TH_LOG("run %#llx-%#llx: phys %s, pagemap: frame %#llx, %scontiguous",
			       start, end, json_object_get_string(phys_obj),
			       (unsigned long long)first, contiguous ? "" : "not ");
			bad++;
		}
		with_phys += !!phys_obj;
	}
	EXPECT_EQ(0, bad);
	/* The layout's own touched pages are all somewhere in the dump. */
	EXPECT_LE(LAYOUT_PAGES * 3, present_pages);
	EXPECT_LT(0, with_phys);
	close(pm);
	json_object_put(doc);
	run_result_free(&res);
}

TEST_F(layout, one_run_per_call_equals_one_call)
{
	static struct vmatlas_run all[4096], one[4096];
	unsigned long long start = self->l.cow, end = self->l.heap + LAYOUT_PAGES * self->l.page;
	int n_all, n_one, calls, i;

	if (start > end) {
		unsigned long long t = start;

		start = self->l.heap;
		end = t + LAYOUT_PAGES * self->l.page;
	}
	n_all = ptdump_ioctl(self->fd, self->l.pid, start, end, 4096, all, 4096, &calls);
	ASSERT_LT(0, n_all);
	n_one = ptdump_ioctl(self->fd, self->l.pid, start, end, 1, one, 4096, &calls);
	ASSERT_EQ(n_all, n_one);
	EXPECT_EQ(n_one, calls);
	for (i = 0; i < n_all; i++) {
		EXPECT_EQ(all[i].start, one[i].start);
		EXPECT_EQ(all[i].end, one[i].end);
		EXPECT_EQ(all[i].bits, one[i].bits);
	}
}

/* A bounded call over a huge, mostly empty range returns with a cursor. */
TEST_F(layout, huge_sparse_range_is_bounded_and_resumable)
{
	struct vmatlas_run runs[2];
	struct vmatlas_ptdump req;

	memset(&req, 0, sizeof(req));
	req.size = sizeof(req);
	req.pid = self->l.pid;
	req.start = 0;
	/* Just below TASK_SIZE: 128 TiB less a guard page, or 3 GiB on i386. */
	req.end = sizeof(void *) == 8 ? (1ULL << 47) - self->l.page : 0xbffff000ULL;
	req.count = 2;
	req.entry_size = sizeof(runs[0]);
	req.runs_ptr = (uintptr_t)runs;
	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_PTDUMP, &req));
	EXPECT_EQ(2, req.count);
	EXPECT_NE(0, req.next);
	EXPECT_LT(runs[0].start, runs[1].start);
	EXPECT_LE(runs[1].end, req.next);
}

TEST_HARNESS_MAIN
