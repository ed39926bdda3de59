/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault tests' workload and how to run it under "vmatlas faults". The
 * workload is whichever test binary runs it: a constructor takes over when
 * VMATLAS_WORKLOAD names a mode (touch, cow, young, swap, file, bench, churn,
 * target, tree, layout, exec), does it, reports its own fault counts and exits
 * (layout: the pid of the tests' layout process and the start and end of its
 * COW and private regions, then it waits to be killed).
 */
#ifndef _VMATLAS_TEST_WORKLOAD_H
#define _VMATLAS_TEST_WORKLOAD_H

#include <json-c/json.h>

#define DISK_FILE	"/mnt/disk/vmatlas-faults"
#define WORKLOAD_OUT	"/tmp/vmatlas-workload.out"
/* The "tree" workload's last process made this, and waits for TREE_GO. */
#define TREE_LEAF	"/tmp/vmatlas-tree.leaf"
#define TREE_GO		"/tmp/vmatlas-tree.go"
/*
 * The "exec" workload writes n pages here, then executes itself again, and
 * its new image 2n pages at the same address: free in 32- and 64-bit
 * layouts alike, far from a binary, its heap and the mmap area.
 */
#define EXEC_REGION	0x30000000UL

/* What the workload said of itself at its end. */
struct wl_result {
	unsigned long long region, minflt, majflt;
	long swapped, child;	/* young: swapped is the second pass's minor faults */
};

struct run_result;

/* The test binary's path: the workload, when VMATLAS_WORKLOAD is set. */
const char *workload_self(void);

/*
 * Run the tool with @args (which run workload_self() somewhere) while the
 * workload (@mode, @n pages) is what the test binary does; @r is what it
 * reported. Return: 0, or a negative errno (-EPROTO: no report).
 */
int run_workload(const char *mode, const char *n, const char *const args[],
		 struct run_result *res, struct wl_result *r);

/*
 * Run the workload (@mode, @n pages) under "vmatlas faults --events --json
 * --attach @attach"; the tool's document (put it), or NULL. The tool's
 * stderr stays in workload_last_err.
 */
struct json_object *trace_workload_as(const char *mode, const char *n, const char *attach,
				      struct wl_result *r);
struct json_object *trace_workload(const char *mode, const char *n, struct wl_result *r);
extern char workload_last_err[4096];

/*
 * Whether a traced count is right: equal to @want, or, if the kernel skipped
 * the tracer (@doc's "missed", BPF recursion guard on a preemptible kernel),
 * short of it by no more than the misses.
 */
int count_ok(long long want, long long got, struct json_object *doc);

/* EXPECT that a traced count is right (count_ok()), saying what it was. */
#define EXPECT_COUNT(want, got, doc)						\
	do {									\
		struct json_object *_d = (doc);					\
		long long _w = (want), _g = (got);				\
		EXPECT_TRUE(count_ok(_w, _g, _d))				\
			TH_LOG("%s: want %lld, got %lld, missed %lld", #got, _w, _g,	\
			       json_int(_d, "missed"));				\
	} while (0)

/* Whether the tracer can run here: 1 yes, 0 no (SKIP, @why says), -1 broken. */
int tracer_ready(char *why, size_t len);

/* Whether the module registered its kfunc: the tool must then use it. */
int module_has_kfunc(void);

/* Events in the VMA at @region of @class, thread @tid, counted as @counted (NULL, 0: any). */
long count_events(struct json_object *doc, unsigned long long region, const char *class,
		  long tid, const char *counted);

/* Events in the VMA at @region, if each names @kind and @path; else -1. */
long events_with_vma(struct json_object *doc, unsigned long long region, const char *kind,
		     const char *path);

#endif /* _VMATLAS_TEST_WORKLOAD_H */
