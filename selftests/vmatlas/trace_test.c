// SPDX-License-Identifier: GPL-2.0
/*
 * The module's tracepoints (events/vmatlas in tracefs): every request leaves
 * one event with what was asked and what came back. Each event is checked
 * against the ioctl's own reply and, for a walk, against /proc/self/pagemap;
 * an event carries no more than its caller was shown; a failed request is
 * traced with its errno; the debugfs views are traced
 * like the ioctls; nothing is traced while the events are off.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"
#include "kselftest_harness.h"

#define TRACEFS		"/sys/kernel/tracing"
#define EVENTS		TRACEFS "/events/vmatlas"
#define TRACE_BUF	(1024 * 1024)
#define PAGE		((unsigned long)getpagesize())

/*
 * The last event @name in the trace buffer whose text after "@name: "
 * starts with @prefix; the rest of its line in @rest. 0 if found.
 */
static int last_event(const char *name, const char *prefix, char *rest, size_t len)
{
	static char buf[TRACE_BUF];
	char needle[128], *p, *found = NULL, *eol;

	if (read_file(TRACEFS "/trace", buf, sizeof(buf)) < 0)
		return -1;
	snprintf(needle, sizeof(needle), " %s: %s", name, prefix);
	for (p = strstr(buf, needle); p; p = strstr(p + 1, needle))
		found = p + strlen(needle);
	if (!found)
		return -1;
	eol = strchr(found, '\n');
	snprintf(rest, len, "%.*s", eol ? (int)(eol - found) : (int)strlen(found), found);
	return 0;
}

FIXTURE(trace) {
	int fd;
	char *page;
};

FIXTURE_SETUP(trace)
{
	self->fd = -1;
	self->page = MAP_FAILED;
	if (access(TRACEFS "/events", F_OK))
		SKIP(return, "tracefs is not mounted at " TRACEFS);
	ASSERT_EQ(0, access(EVENTS, F_OK)) TH_LOG("the module registered no events");
	self->fd = open(VMATLAS_TEST_DEVICE, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	/*
	 * Enabling any event also hooks sched_switch and sched_wakeup to record
	 * task names, which patches the scheduler's hottest code each time:
	 * once seen to crash a TCG guest (an int3 Oops in ttwu_do_activate()
	 * while the patch was in flight). The events here need no task names.
	 */
	ASSERT_EQ(0, write_file(TRACEFS "/options/record-cmd", "0"));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, write_file(EVENTS "/enable", "1"));
	self->page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	self->page[0] = 1;
}

FIXTURE_TEARDOWN(trace)
{
	write_file(EVENTS "/enable", "0");
	if (self->page != MAP_FAILED)
		munmap(self->page, PAGE);
	if (self->fd >= 0)
		close(self->fd);
}

static int do_walk(int fd, unsigned long long addr, struct vmatlas_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->pid = getpid();
	w->addr = addr;
	return ioctl(fd, VMATLAS_IOC_WALK, w) ? errno : 0;
}

TEST_F(trace, events_have_stable_fields)
{
	static const struct {
		const char *event;
		const char *field[3];
	} want[] = {
		{ "vmatlas_walk", { "field:int pid;", "field:unsigned long addr;",
				    "field:u64 pfn;" } },
		{ "vmatlas_vmas", { "field:int pid;", "field:unsigned int count;",
				    "field:int ret;" } },
		{ "vmatlas_ptdump", { "field:unsigned long end;", "field:unsigned int runs;",
				      "field:int ret;" } },
		{ "vmatlas_kaddr", { "field:u64 addr;", "field:unsigned int region;",
				     "field:u64 phys;" } },
		{ "vmatlas_translate", { "field:unsigned int count;",
					 "field:unsigned int refused;", "field:int ret;" } },
		{ "vmatlas_lab", { "field:unsigned int kind;", "field:unsigned int npages;",
				   "field:int ret;" } },
	};
	char path[256], buf[4096];
	size_t i, j;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		snprintf(path, sizeof(path), EVENTS "/%s/format", want[i].event);
		ASSERT_LT(0, read_file(path, buf, sizeof(buf))) TH_LOG("%s", path);
		for (j = 0; j < ARRAY_SIZE(want[i].field); j++) {
			const char *field = want[i].field[j];

			EXPECT_NE(NULL, strstr(buf, field))
				TH_LOG("%s lacks %s", want[i].event, field);
		}
	}
}

TEST_F(trace, walk_event_matches_reply_and_pagemap)
{
	unsigned long long addr = (uintptr_t)self->page + 0x123, pfn, size, pm;
	unsigned int level;
	struct vmatlas_walk w;
	char prefix[64], rest[256];
	int ret, pmfd, n;

	ASSERT_EQ(0, do_walk(self->fd, addr, &w));
	snprintf(prefix, sizeof(prefix), "pid=%d addr=0x%llx ", getpid(), addr);
	ASSERT_EQ(0, last_event("vmatlas_walk", prefix, rest, sizeof(rest)));
	n = sscanf(rest, "stop_level=%u page_size=%llu pfn=0x%llx ret=%d", &level, &size, &pfn,
		   &ret);
	ASSERT_EQ(4, n) TH_LOG("%s", rest);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(w.stop_level, level);
	EXPECT_EQ(w.page_size, size);
	EXPECT_EQ(w.pfn, pfn);
	pmfd = pagemap_open(getpid());
	ASSERT_LE(0, pmfd);
	pm = pagemap_entry(pmfd, addr, PAGE);
	close(pmfd);
	ASSERT_TRUE(pm & PM_PRESENT);
	EXPECT_EQ(pm & PM_PFN_MASK, pfn);
	EXPECT_NE(0, pfn);
}

/* In a child: a walk of @arg's page by an opener without CAP_SYS_ADMIN. */
static int walk_without_admin(void *arg)
{
	struct vmatlas_walk w;
	int fd;

	fd = open_device_without_cap_sys_admin();
	if (fd < 0)
		return 101;
	if (do_walk(fd, (uintptr_t)arg, &w))
		return 102;
	return w.pfn || !(w.out_flags & VMATLAS_OUT_PHYS_HIDDEN) ? 103 : 0;
}

/*
 * An event carries what its caller was shown: no frame for an opener
 * without CAP_SYS_ADMIN, though the page has one (the child's copy of it
 * is present: the parent touched it before forking).
 */
TEST_F(trace, walk_event_hides_the_frame_its_caller_was_not_shown)
{
	unsigned long long addr = 0, size, pfn = 1;
	char rest[256];
	unsigned int level;
	int child, ret, n;

	ASSERT_EQ(0, in_child(walk_without_admin, self->page));
	/* The child's was the last walk since the buffer was cleared. */
	ASSERT_EQ(0, last_event("vmatlas_walk", "pid=", rest, sizeof(rest)));
	n = sscanf(rest, "%d addr=0x%llx stop_level=%u page_size=%llu pfn=0x%llx ret=%d", &child,
		   &addr, &level, &size, &pfn, &ret);
	ASSERT_EQ(6, n) TH_LOG("%s", rest);
	EXPECT_NE(getpid(), child);
	EXPECT_EQ((uintptr_t)self->page, addr);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, pfn) TH_LOG("the event shows frame %#llx to whoever reads the trace", pfn);
}

TEST_F(trace, failed_walk_is_traced_with_its_errno)
{
	struct vmatlas_walk w;
	char prefix[64], rest[256];

	/* Below mmap_min_addr nothing is ever mapped. */
	ASSERT_EQ(ENOMEM, do_walk(self->fd, 0x10, &w));
	snprintf(prefix, sizeof(prefix), "pid=%d addr=0x10 ", getpid());
	ASSERT_EQ(0, last_event("vmatlas_walk", prefix, rest, sizeof(rest)));
	EXPECT_NE(NULL, strstr(rest, "ret=-12")) TH_LOG("%s", rest);
}

TEST_F(trace, vmas_event_counts_the_reply)
{
	static struct vmatlas_vma buf[8];
	struct vmatlas_vmas req = {
		.size = sizeof(req), .pid = getpid(), .count = 3,
		.entry_size = sizeof(buf[0]), .vmas_ptr = (uintptr_t)buf,
	};
	unsigned long long next;
	unsigned int count, residency;
	char prefix[64], rest[256];
	int ret, n;

	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_VMAS, &req));
	snprintf(prefix, sizeof(prefix), "pid=%d start=0x0 ", getpid());
	ASSERT_EQ(0, last_event("vmatlas_vmas", prefix, rest, sizeof(rest)));
	n = sscanf(rest, "residency=%u count=%u next=0x%llx ret=%d", &residency, &count, &next,
		   &ret);
	ASSERT_EQ(4, n) TH_LOG("%s", rest);
	EXPECT_EQ(0, residency);
	EXPECT_EQ(req.count, count);
	EXPECT_EQ(3, count);
	EXPECT_EQ(req.next, next);
	EXPECT_EQ(buf[2].end <= next, 1);
	EXPECT_EQ(0, ret);
}

TEST_F(trace, ptdump_event_counts_the_reply)
{
	static struct vmatlas_run runs[16];
	unsigned long long start = (uintptr_t)self->page, next;
	struct vmatlas_ptdump req = {
		.size = sizeof(req), .pid = getpid(), .start = start, .end = start + PAGE,
		.count = 16, .entry_size = sizeof(runs[0]), .runs_ptr = (uintptr_t)runs,
	};
	char prefix[96], rest[256];
	unsigned int runs_traced;
	int ret, n;

	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_PTDUMP, &req));
	snprintf(prefix, sizeof(prefix), "pid=%d start=0x%llx end=0x%llx ", getpid(), start,
		 start + PAGE);
	ASSERT_EQ(0, last_event("vmatlas_ptdump", prefix, rest, sizeof(rest)));
	n = sscanf(rest, "runs=%u next=0x%llx ret=%d", &runs_traced, &next, &ret);
	ASSERT_EQ(3, n) TH_LOG("%s", rest);
	EXPECT_EQ(req.count, runs_traced);
	EXPECT_EQ(1, runs_traced);
	EXPECT_EQ(req.next, next);
	EXPECT_EQ(0, ret);
}

/*
 * One event per chunk (64 entries, fewer when a writer waits for the lock):
 * together they count the call's 70 entries, 69 present and one refused.
 */
TEST_F(trace, translate_events_count_each_chunk)
{
	static struct vmatlas_xlat x[70];
	static char buf[TRACE_BUF];
	struct vmatlas_translate req = {
		.size = sizeof(req), .pid = getpid(), .count = 70,
		.entry_size = sizeof(x[0]), .xlat_ptr = (uintptr_t)x,
	};
	unsigned int count, present, refused, sum[3] = { 0, 0, 0 };
	char needle[64], *p;
	int i, ret;

	for (i = 0; i < 70; i++)
		x[i].addr = (uintptr_t)self->page;
	x[69].addr = ~0ULL;
	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_TRANSLATE, &req));
	ASSERT_EQ(70, req.count);
	EXPECT_EQ(-EINVAL, x[69].error);
	ASSERT_LT(0, read_file(TRACEFS "/trace", buf, sizeof(buf)));
	snprintf(needle, sizeof(needle), " vmatlas_translate: pid=%d ", getpid());
	for (p = strstr(buf, needle); p; p = strstr(p + 1, needle)) {
		int n = sscanf(p + strlen(needle), "count=%u present=%u refused=%u ret=%d",
			       &count, &present, &refused, &ret);

		ASSERT_EQ(4, n);
		EXPECT_LE(count, 64);
		EXPECT_EQ(0, ret);
		sum[0] += count;
		sum[1] += present;
		sum[2] += refused;
	}
	EXPECT_EQ(70, sum[0]);
	EXPECT_EQ(69, sum[1]);
	EXPECT_EQ(1, sum[2]);
}

TEST_F(trace, kaddr_event_matches_reply)
{
	struct vmatlas_layout layout = { .size = sizeof(layout) };
	struct vmatlas_kaddr k = { .size = sizeof(k) };
	unsigned long long phys;
	unsigned int region, level;
	char prefix[64], rest[256];
	int n;

	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_LAYOUT, &layout));
	/* The first page of the direct map: a logical address. */
	k.addr = layout.page_offset;
	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_KADDR, &k));
	snprintf(prefix, sizeof(prefix), "addr=0x%llx ", (unsigned long long)k.addr);
	ASSERT_EQ(0, last_event("vmatlas_kaddr", prefix, rest, sizeof(rest)));
	n = sscanf(rest, "region=%u level=%u phys=0x%llx", &region, &level, &phys);
	ASSERT_EQ(3, n) TH_LOG("%s", rest);
	EXPECT_EQ(k.region, region);
	EXPECT_EQ(k.level, level);
	EXPECT_EQ(k.phys, phys);
	EXPECT_EQ(VMATLAS_REGION_DIRECT_MAP, region);
}

TEST_F(trace, lab_events_match_reply_and_errors)
{
	static struct vmatlas_lab_page pages[4];
	struct vmatlas_lab req = {
		.size = sizeof(req), .kind = VMATLAS_LAB_VMALLOC, .bytes = 3 * PAGE, .count = 4,
		.entry_size = sizeof(pages[0]), .pages_ptr = (uintptr_t)pages,
	};
	unsigned int npages, region;
	char rest[256], want[64];
	int ret, n;

	ASSERT_EQ(0, ioctl(self->fd, VMATLAS_IOC_LAB, &req));
	snprintf(want, sizeof(want), "kind=2 bytes=%lu ", 3 * PAGE);
	ASSERT_EQ(0, last_event("vmatlas_lab", want, rest, sizeof(rest)));
	n = sscanf(rest, "npages=%u region=%u ret=%d", &npages, &region, &ret);
	ASSERT_EQ(3, n) TH_LOG("%s", rest);
	EXPECT_EQ(3, npages);
	EXPECT_EQ(req.npages, npages);
	EXPECT_EQ(req.region, region);
	EXPECT_EQ(0, ret);

	req.kind = 99;
	ASSERT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_LAB, &req));
	ASSERT_EQ(EINVAL, errno);
	ASSERT_EQ(0, last_event("vmatlas_lab", "kind=99 ", rest, sizeof(rest)));
	EXPECT_NE(NULL, strstr(rest, "ret=-22")) TH_LOG("%s", rest);
}

TEST_F(trace, debugfs_walk_is_traced_like_the_ioctl)
{
	unsigned long long addr = (uintptr_t)self->page;
	char num[32], prefix[64], rest[256], buf[8192];
	struct vmatlas_walk w;

	if (access(VMATLAS_TEST_DEBUGFS "/walk", R_OK))
		SKIP(return, "debugfs is not mounted");
	ASSERT_EQ(0, do_walk(self->fd, addr, &w));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	snprintf(num, sizeof(num), "%d", getpid());
	ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/pid", num));
	snprintf(num, sizeof(num), "0x%llx", addr);
	ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/addr", num));
	ASSERT_LT(0, read_file(VMATLAS_TEST_DEBUGFS "/walk", buf, sizeof(buf)));
	snprintf(prefix, sizeof(prefix), "pid=%d addr=0x%llx ", getpid(), addr);
	ASSERT_EQ(0, last_event("vmatlas_walk", prefix, rest, sizeof(rest)));
	snprintf(num, sizeof(num), "pfn=0x%llx ", (unsigned long long)w.pfn);
	EXPECT_NE(NULL, strstr(rest, num)) TH_LOG("%s", rest);
}

TEST_F(trace, nothing_is_traced_while_disabled)
{
	struct vmatlas_walk w;
	char prefix[64], rest[256];

	ASSERT_EQ(0, write_file(EVENTS "/enable", "0"));
	ASSERT_EQ(0, write_file(TRACEFS "/trace", ""));
	ASSERT_EQ(0, do_walk(self->fd, (uintptr_t)self->page, &w));
	snprintf(prefix, sizeof(prefix), "pid=%d ", getpid());
	EXPECT_NE(0, last_event("vmatlas_walk", prefix, rest, sizeof(rest)));
}

TEST_HARNESS_MAIN
