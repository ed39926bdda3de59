// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas faults against the kernel's own fault accounting: the totals of a
 * traced command equal the minflt and majflt it reads from /proc/self/stat
 * at its end; N fresh pages are N first touches in their VMA; a COW break
 * in a child changes the frame; pages swapped out to zram come back as
 * swap-in major faults; a file read after drop_caches faults major, then
 * minor. Where the module offers its BPF kfunc, each fault's entries carry
 * the page's mapcount (2 before a COW break in the child, 1 after) and the
 * frame after a fault is the one /proc/PID/pagemap shows; where it does not,
 * the tool says so. kprobe attachment counts as fentry does. The workload is
 * this binary itself, run by the tool with VMATLAS_WORKLOAD set.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "procfs.h"

#define DISK_FILE	"/mnt/disk/vmatlas-faults"
#define FILE_PAGES	64

/* ---- the workload side ---- */

static long wl_page;

static void *wl_map(size_t pages, int prot, int flags, int fd)
{
	void *p = mmap(NULL, pages * wl_page, prot, flags, fd, 0);

	if (p == MAP_FAILED)
		_exit(90);
	return p;
}

static void wl_touch(char *p, size_t pages, int write)
{
	size_t i;

	for (i = 0; i < pages; i++) {
		if (write)
			__atomic_store_n(p + i * wl_page, (char)i, __ATOMIC_RELAXED);
		else
			__atomic_load_n(p + i * wl_page, __ATOMIC_RELAXED);
	}
}

/* Its own fault counts, then what the test needs: written to @fd. */
static void wl_report(int fd, void *region, long swapped, long child)
{
	char stat[1024], out[256], *p;
	unsigned long long minflt = 0, majflt = 0;
	int sfd = open("/proc/self/stat", O_RDONLY);
	ssize_t n = sfd < 0 ? -1 : read(sfd, stat, sizeof(stat) - 1);

	if (sfd >= 0)
		close(sfd);
	if (n > 0) {
		stat[n] = '\0';
		p = strrchr(stat, ')');
		if (p)
			sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &minflt,
			       &majflt);
	}
	n = snprintf(out, sizeof(out), "%p %llu %llu %ld %ld\n", region, minflt, majflt,
		     swapped, child);
	if (write(fd, out, n) != n)
		_exit(91);
}

static long wl_swapped(char *p, size_t pages)
{
	__u64 e;
	long n = 0;
	size_t i;
	int fd = open("/proc/self/pagemap", O_RDONLY);

	for (i = 0; fd >= 0 && i < pages; i++)
		if (pread(fd, &e, 8, ((uintptr_t)p / wl_page + i) * 8) == 8 && (e & PM_SWAP))
			n++;
	if (fd >= 0)
		close(fd);
	return n;
}

/* The frame of each page as pagemap shows it, to VMATLAS_WORKLOAD_OUT.pfn. */
static void wl_frames(char *p, size_t pages)
{
	char path[256], line[32];
	__u64 e;
	size_t i;
	int fd = open("/proc/self/pagemap", O_RDONLY), out;

	snprintf(path, sizeof(path), "%s.pfn", getenv("VMATLAS_WORKLOAD_OUT"));
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	for (i = 0; fd >= 0 && out >= 0 && i < pages; i++) {
		int len;

		if (pread(fd, &e, 8, ((uintptr_t)p / wl_page + i) * 8) != 8)
			e = 0;
		len = snprintf(line, sizeof(line), "%llx\n", (unsigned long long)(e & PM_PFN_MASK));
		if (write(out, line, len) != len)
			break;
	}
	if (fd >= 0)
		close(fd);
	if (out >= 0)
		close(out);
}

static int wl_run(const char *mode, size_t n)
{
	int out = open(getenv("VMATLAS_WORKLOAD_OUT"), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	int null = open("/dev/null", O_WRONLY);
	long swapped = 0, child = 0;
	char *region = NULL;
	int fd, status;

	if (out < 0 || null < 0)
		return 92;
	if (!strcmp(mode, "touch")) {
		region = wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		madvise(region, n * wl_page, MADV_NOHUGEPAGE);
		wl_touch(region, n, 1);
		wl_frames(region, n);
	} else if (!strcmp(mode, "cow")) {
		region = wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		madvise(region, n * wl_page, MADV_NOHUGEPAGE);
		wl_touch(region, n, 1);
		child = fork();
		if (child == 0) {
			wl_touch(region, n, 1);
			_exit(0);
		}
		waitpid(child, &status, 0);
	} else if (!strcmp(mode, "swap")) {
		region = wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		madvise(region, n * wl_page, MADV_NOHUGEPAGE);
		wl_touch(region, n, 1);
		madvise(region, n * wl_page, MADV_PAGEOUT);
		swapped = wl_swapped(region, n);
		wl_touch(region, n, 0);
	} else if (!strcmp(mode, "bench")) {
		/* n pages in 16 MiB rounds: map, touch, unmap. Reports nanoseconds. */
		struct timespec a, b;
		size_t round = (16 << 20) / wl_page, done;

		clock_gettime(CLOCK_MONOTONIC, &a);
		for (done = 0; done < n; done += round) {
			region = wl_map(round, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
					-1);
			madvise(region, round * wl_page, MADV_NOHUGEPAGE);
			wl_touch(region, round, 1);
			munmap(region, round * wl_page);
		}
		clock_gettime(CLOCK_MONOTONIC, &b);
		swapped = (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec;
		region = NULL;
	} else if (!strcmp(mode, "file")) {
		fd = open(DISK_FILE, O_RDONLY);
		if (fd < 0)
			return 93;
		region = wl_map(n, PROT_READ, MAP_PRIVATE, fd);
		wl_touch(region, n, 0);
	}
	/* Once to /dev/null, so that reporting faults in nothing new the second time. */
	wl_report(null, region, swapped, child);
	wl_report(out, region, swapped, child);
	return 0;
}

__attribute__((constructor)) static void wl_main(void)
{
	const char *mode = getenv("VMATLAS_WORKLOAD");

	if (!mode)
		return;
	wl_page = sysconf(_SC_PAGESIZE);
	_exit(wl_run(mode, strtoul(getenv("VMATLAS_WORKLOAD_N") ?: "16", NULL, 10)));
}

/* ---- the test side ---- */

struct wl_result {
	unsigned long long region, minflt, majflt;
	long swapped, child;
};

/*
 * Run the workload under "vmatlas faults --events --json", attached as
 * @attach says; the tool's document. Its stderr stays in @last_err.
 */
static char last_err[4096];

static struct json_object *trace_workload_as(const char *mode, const char *n, const char *attach,
					     struct wl_result *r)
{
	static char self[256];
	const char *const args[] = { "faults", "--attach", attach, "--events", "--json", "--",
				      self, NULL };
	static struct run_result res;
	struct json_object *doc;
	char text[256];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);

	if (len <= 0)
		return NULL;
	self[len] = '\0';
	setenv("VMATLAS_WORKLOAD", mode, 1);
	setenv("VMATLAS_WORKLOAD_N", n, 1);
	setenv("VMATLAS_WORKLOAD_OUT", "/tmp/vmatlas-workload.out", 1);
	doc = run_tool_json(&res, args);
	unsetenv("VMATLAS_WORKLOAD");
	if (!doc)
		fprintf(stderr, "# faults failed: %s\n", res.err);
	snprintf(last_err, sizeof(last_err), "%s", res.err);
	run_result_free(&res);
	memset(r, 0, sizeof(*r));
	if (read_file("/tmp/vmatlas-workload.out", text, sizeof(text)) <= 0 ||
	    sscanf(text, "%llx %llu %llu %ld %ld", &r->region, &r->minflt, &r->majflt,
		   &r->swapped, &r->child) != 5) {
		json_object_put(doc);
		return NULL;
	}
	return doc;
}

static struct json_object *trace_workload(const char *mode, const char *n, struct wl_result *r)
{
	return trace_workload_as(mode, n, "auto", r);
}

/* Whether the module says it registered its kfunc: the tool must then use it. */
static int module_has_kfunc(void)
{
	struct vmatlas_info info = { .size = sizeof(info) };
	int fd = open(VMATLAS_TEST_DEVICE, O_RDONLY), ok;

	ok = fd >= 0 && !ioctl(fd, VMATLAS_IOC_INFO, &info) &&
	     (info.features & VMATLAS_FEAT_KFUNC);
	if (fd >= 0)
		close(fd);
	return ok;
}

/* Events in the VMA that starts at @region, of class @class (NULL: any). */
static long count_events(struct json_object *doc, unsigned long long region, const char *class,
			 long tid, const char *counted)
{
	struct json_object *events = json_get(doc, "events");
	long n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i);

		if (json_hex(json_get(e, "vma"), "start") != region)
			continue;
		if (class && strcmp(json_object_get_string(json_get(e, "class")), class))
			continue;
		if (tid && json_int(e, "tid") != tid)
			continue;
		if (counted && strcmp(json_object_get_string(json_get(e, "counted")), counted))
			continue;
		n++;
	}
	return n;
}

FIXTURE(tracer) {
	int unused;
};

FIXTURE_SETUP(tracer)
{
	static const char *const args[] = { "faults", "-p", "1", "-d", "0.1", NULL };
	static struct run_result res;

	if (access("/dev/vmatlas", F_OK))
		SKIP(return, "/dev/vmatlas missing");
	ASSERT_EQ(0, run_tool(&res, -1, args));
	if (strstr(res.err, "without BPF"))
		SKIP(run_result_free(&res); return, "this build has no BPF (32-bit)");
	ASSERT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
	run_result_free(&res);
}

FIXTURE_TEARDOWN(tracer)
{
}

/*
 * The kernel's final count for the command is what wait4() reports at its
 * exit; what the workload read from /proc/self/stat just before it ended can
 * only be lower (a fault can come after the read: seen in 32-bit processes).
 */
TEST_F(tracer, totals_equal_the_process_own_minflt_and_majflt)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("touch", "50", &r), *ru;

	ASSERT_NE(NULL, doc);
	ru = json_get(doc, "rusage");
	ASSERT_NE(NULL, ru);
	EXPECT_EQ(json_int(ru, "minflt"), json_int(doc, "minor"));
	EXPECT_EQ(json_int(ru, "majflt"), json_int(doc, "major"));
	EXPECT_LE(r.minflt, json_int(doc, "minor"));
	EXPECT_GE(r.minflt + 2, json_int(doc, "minor")) TH_LOG("self-report far below");
	EXPECT_EQ(r.majflt, json_int(doc, "major"));
	EXPECT_EQ(0, json_int(doc, "exit_status"));
	json_object_put(doc);
}

/* Every event in the VMA at @region names its kind and file as given. */
static long events_with_vma(struct json_object *doc, unsigned long long region, const char *kind,
			    const char *path)
{
	struct json_object *events = json_get(doc, "events");
	long n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *vma = json_get(json_object_array_get_idx(events, i), "vma");

		if (json_hex(vma, "start") != region)
			continue;
		if (!json_get(vma, "kind") ||
		    strcmp(json_object_get_string(json_get(vma, "kind")), kind) ||
		    strcmp(json_object_get_string(json_get(vma, "path")), path))
			return -1;
		n++;
	}
	return n;
}

TEST_F(tracer, n_fresh_pages_are_n_first_touches_in_their_vma)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("touch", "200", &r), *vmas;
	size_t i;
	long by_vma = -1;

	ASSERT_NE(NULL, doc);
	EXPECT_EQ(200, count_events(doc, r.region, "first_touch", 0, "minor"));
	EXPECT_EQ(200, count_events(doc, r.region, NULL, 0, NULL));
	EXPECT_EQ(200, events_with_vma(doc, r.region, "anon", ""));
	vmas = json_get(doc, "by_vma");
	for (i = 0; i < json_object_array_length(vmas); i++)
		if (json_hex(json_object_array_get_idx(vmas, i), "start") == r.region)
			by_vma = json_int(json_object_array_get_idx(vmas, i), "faults");
	EXPECT_EQ(200, by_vma);
	json_object_put(doc);
}

TEST_F(tracer, cow_break_in_the_child_moves_to_a_new_frame)
{
	struct json_object *doc, *events;
	struct wl_result r;
	long cows = 0;
	size_t i;

	doc = trace_workload("cow", "16", &r);
	ASSERT_NE(NULL, doc);
	ASSERT_LT(0, r.child);
	events = json_get(doc, "events");
	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i);
		struct json_object *before = json_get(e, "pte_before");
		struct json_object *after = json_get(e, "pte_after");

		if (json_int(e, "tid") != r.child ||
		    json_hex(json_get(e, "vma"), "start") != r.region)
			continue;
		EXPECT_STREQ("cow", json_object_get_string(json_get(e, "class")));
		ASSERT_NE(NULL, before);
		ASSERT_NE(NULL, after);
		EXPECT_FALSE(json_object_get_boolean(json_get(before, "writable")));
		EXPECT_TRUE(json_object_get_boolean(json_get(after, "writable")));
		EXPECT_NE(json_hex(before, "pfn"), json_hex(after, "pfn"));
		if (module_has_kfunc()) {
			/* Shared with the parent (waiting in waitpid()), then the child's own. */
			EXPECT_EQ(2, json_int(before, "mapcount"));
			EXPECT_EQ(1, json_int(after, "mapcount"));
			EXPECT_TRUE(json_object_get_boolean(json_get(before, "anon")));
			EXPECT_TRUE(json_object_get_boolean(json_get(after, "anon")));
		} else {
			EXPECT_EQ(NULL, json_get(before, "mapcount"));
		}
		cows++;
	}
	EXPECT_EQ(16, cows);
	json_object_put(doc);
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

	ASSERT_LT(0, read_file("/tmp/vmatlas-workload.out.pfn", text, sizeof(text)));
	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i), *after;
		unsigned long long page = (json_hex(e, "addr") - r->region) / 4096;
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
	EXPECT_EQ(pages, matched);
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
		EXPECT_EQ(NULL, strstr(last_err, "kfunc")) TH_LOG("%s", last_err);
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
		EXPECT_NE(NULL, strstr(last_err, "offers no BPF kfuncs")) TH_LOG("%s", last_err);
		EXPECT_NE(NULL, strstr(last_err, "mapcount")) TH_LOG("%s", last_err);
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
	EXPECT_EQ(json_int(ru, "minflt"), json_int(doc, "minor"));
	EXPECT_EQ(json_int(ru, "majflt"), json_int(doc, "major"));
	EXPECT_EQ(100, count_events(doc, r.region, "first_touch", 0, "minor"));
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
	setenv("VMATLAS_WORKLOAD_OUT", "/tmp/vmatlas-workload.out", 1);
	doc = run_tool_json(&res, args);
	unsetenv("VMATLAS_WORKLOAD");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	run_result_free(&res);
	ru = json_get(doc, "rusage");
	EXPECT_EQ(json_int(ru, "minflt"), json_int(doc, "minor"));
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

	doc = trace_workload_as("touch", "100", "tracepoint", &r);
	ASSERT_NE(NULL, doc);
	EXPECT_STREQ("tracepoint", json_object_get_string(json_get(doc, "attach")));
	EXPECT_EQ(100, count_events(doc, r.region, "first_touch", 0, "unknown"));
	EXPECT_EQ(100, count_events(doc, r.region, NULL, 0, NULL));
	vmas = json_get(doc, "by_vma");
	for (i = 0; i < json_object_array_length(vmas); i++)
		if (json_hex(json_object_array_get_idx(vmas, i), "start") == r.region)
			by_vma = json_int(json_object_array_get_idx(vmas, i), "faults");
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
	EXPECT_NE(NULL, strstr(last_err, "page_fault_user")) TH_LOG("%s", last_err);
	json_object_put(doc);
}

TEST_F(tracer, swapped_out_pages_fault_back_as_major_swap_ins)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("swap", "64", &r);

	ASSERT_NE(NULL, doc);
	if (!r.swapped)
		SKIP(json_object_put(doc); return, "no page reached swap");
	EXPECT_EQ(r.swapped, count_events(doc, r.region, "swap_in", 0, NULL));
	EXPECT_EQ(r.swapped, count_events(doc, r.region, "swap_in", 0, "major"));
	json_object_put(doc);
}

static int is_mounted(const char *dir)
{
	char mounts[8192], want[64];

	snprintf(want, sizeof(want), " %s ", dir);
	return read_file("/proc/mounts", mounts, sizeof(mounts)) > 0 && strstr(mounts, want);
}

static int drop_page_cache(void)
{
	int fd = open("/proc/sys/vm/drop_caches", O_WRONLY), ok;

	sync();
	if (fd < 0)
		return -1;
	ok = write(fd, "3", 1) == 1;
	close(fd);
	return ok ? 0 : -1;
}

TEST_F(tracer, file_read_after_drop_caches_is_major_then_minor)
{
	static char buf[FILE_PAGES * 4096];
	struct json_object *doc;
	struct wl_result r;
	char n[16];
	int fd;

	if (!is_mounted("/mnt/disk"))
		SKIP(return, "no disk in this VM");
	fd = open(DISK_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	memset(buf, 'x', sizeof(buf));
	ASSERT_EQ((ssize_t)sizeof(buf), write(fd, buf, sizeof(buf)));
	fsync(fd);
	close(fd);
	snprintf(n, sizeof(n), "%d", FILE_PAGES);

	ASSERT_EQ(0, drop_page_cache());
	doc = trace_workload("file", n, &r);
	ASSERT_NE(NULL, doc);
	EXPECT_LE(1, count_events(doc, r.region, "major", 0, "major"));
	EXPECT_EQ(r.majflt, json_int(doc, "major"));
	EXPECT_LE(1, events_with_vma(doc, r.region, "file", "vmatlas-faults"));
	json_object_put(doc);

	doc = trace_workload("file", n, &r);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(0, count_events(doc, r.region, NULL, 0, "major"));
	EXPECT_LE(1, count_events(doc, r.region, "page_cache", 0, "minor"));
	json_object_put(doc);
}

TEST_F(tracer, bad_targets_get_one_line_and_no_output)
{
	static const char *const nopid[] = { "faults", "-p", "999999", NULL };
	static const char *const nocmd[] = { "faults", "--", "/nonexistent/command", NULL };
	static const char *const both[] = { "faults", NULL };
	static const char *const how[] = { "faults", "--attach", "uprobe", "-p", "1", NULL };
	static struct run_result res;

	ASSERT_EQ(0, run_tool(&res, -1, nopid));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "no such process")) TH_LOG("%s", res.err);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, nocmd));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "cannot run")) TH_LOG("%s", res.err);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, both));
	EXPECT_NE(0, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, how));
	EXPECT_NE(0, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "invalid attach mode 'uprobe'")) TH_LOG("%s", res.err);
	run_result_free(&res);
}

TEST_F(tracer, without_privileges_it_says_so)
{
	static const char *const args[] = { "faults", "-p", "1", "-d", "1", NULL };
	static struct run_result res;

	ASSERT_EQ(0, run_tool(&res, NOBODY_UID, args));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
	run_result_free(&res);
}

TEST_F(tracer, a_traced_pid_that_exits_ends_the_trace_cleanly)
{
	char pid[16];
	const char *const args[] = { "faults", "--json", "-p", pid, NULL };
	static struct run_result res;
	struct json_object *doc;
	pid_t child = fork();

	ASSERT_LE(0, child);
	if (child == 0) {
		usleep(1500000);
		_exit(0);
	}
	snprintf(pid, sizeof(pid), "%d", child);
	doc = run_tool_json(&res, args);
	waitpid(child, NULL, 0);
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_STREQ("process exited", json_object_get_string(json_get(doc, "ended")));
	json_object_put(doc);
	run_result_free(&res);
}

TEST_HARNESS_MAIN
