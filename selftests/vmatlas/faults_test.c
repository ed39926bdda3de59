// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas faults against the kernel's own fault accounting: the totals of a
 * traced command equal the minflt and majflt it reads from /proc/self/stat
 * at its end; N fresh pages are N first touches in their VMA; a COW break
 * in a child changes the frame (and, with the module's kfunc, the mapcount
 * goes from 2 to 1); pages swapped out to zram come back as swap-in major
 * faults; a file read after drop_caches faults major, then minor; a
 * command's descendants at any depth are traced and a bystander is not; a
 * parent and its child, and one process before and after execve(), each
 * have their own records of one address; bad targets get one clear line.
 * The workload is in workload.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "procfs.h"
#include "workload.h"

#define FILE_PAGES	64

FIXTURE(tracer) {
	int unused;
};

FIXTURE_SETUP(tracer)
{
	char why[1024];
	int ready;

	REQUIRE_DEVICE(return);
	ready = tracer_ready(why, sizeof(why));
	if (!ready)
		SKIP(return, "%s", why);
	ASSERT_EQ(1, ready) TH_LOG("%s", why);
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
	long long missed, lost;

	ASSERT_NE(NULL, doc);
	ru = json_get(doc, "rusage");
	ASSERT_NE(NULL, ru);
	missed = json_int(doc, "missed");
	if (missed) {
		/*
		 * A preemptible kernel (7.x) skips a tracing program while
		 * another task is preempted inside it, and counts the miss:
		 * the totals may then be low, by no more than the misses.
		 */
		lost = json_int(ru, "minflt") - json_int(doc, "minor") +
		       json_int(ru, "majflt") - json_int(doc, "major");
		EXPECT_LE(json_int(doc, "minor"), json_int(ru, "minflt"));
		EXPECT_LE(json_int(doc, "major"), json_int(ru, "majflt"));
		EXPECT_LE(lost, missed);
		TH_LOG("%lld faults lost, %lld recursion misses", lost, missed);
		json_object_put(doc);
		return;
	}
	EXPECT_EQ(json_int(ru, "minflt"), json_int(doc, "minor"));
	EXPECT_EQ(json_int(ru, "majflt"), json_int(doc, "major"));
	EXPECT_LE(r.minflt, json_int(doc, "minor"));
	EXPECT_GE(r.minflt + 2, json_int(doc, "minor")) TH_LOG("self-report far below");
	EXPECT_EQ(r.majflt, json_int(doc, "major"));
	EXPECT_EQ(0, json_int(doc, "exit_status"));
	json_object_put(doc);
}

/*
 * A bystander: waits for the traced tree's last process (TREE_LEAF), then
 * faults on @pages fresh pages of its own while that process waits for it.
 */
static pid_t start_bystander(int pages)
{
	long page = getpagesize();
	pid_t pid = fork();
	char *p;
	int i;

	if (pid)
		return pid;
	for (i = 0; i < 6000 && access(TREE_LEAF, F_OK); i++)
		usleep(10000);
	p = mmap(NULL, pages * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (access(TREE_LEAF, F_OK) || p == MAP_FAILED)
		_exit(1);
	madvise(p, pages * page, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++)
		p[i * page] = 1;
	close(open(TREE_GO, O_WRONLY | O_CREAT, 0600));
	_exit(0);
}

/*
 * A command's processes are traced however deep they are forked, and nothing
 * else is: the totals equal what wait4() reports for the whole tree (a chain
 * of six processes below the command, each faulting on its own 40 pages), and
 * a bystander that faults 300 times while the tree's last process waits for
 * it adds nothing.
 */
TEST_F(tracer, a_command_s_descendants_are_traced_and_others_are_not)
{
	struct json_object *doc, *ru;
	struct rusage bru;
	struct wl_result r;
	int status;
	pid_t b;

	unlink(TREE_LEAF);
	unlink(TREE_GO);
	setenv("VMATLAS_WORKLOAD_DEPTH", "6", 1);
	b = start_bystander(300);
	ASSERT_LT(0, b);
	doc = trace_workload("tree", "40", &r);
	unsetenv("VMATLAS_WORKLOAD_DEPTH");
	ASSERT_EQ(b, wait4(b, &status, 0, &bru));
	ASSERT_NE(NULL, doc) TH_LOG("%s", workload_last_err);
	EXPECT_EQ(0, status) TH_LOG("the bystander did not fault during the trace");
	EXPECT_LE(300, bru.ru_minflt);
	EXPECT_EQ(6, r.child);
	EXPECT_EQ(0, json_int(doc, "exit_status"));
	EXPECT_EQ(0, json_int(doc, "unfollowed"));
	ru = json_get(doc, "rusage");
	ASSERT_NE(NULL, ru);
	/* Six processes of 40 pages each, all waited for: in the command's rusage. */
	EXPECT_LE(6 * 40, json_int(ru, "minflt"));
	EXPECT_COUNT(json_int(ru, "minflt"), json_int(doc, "minor"), doc);
	EXPECT_COUNT(json_int(ru, "majflt"), json_int(doc, "major"), doc);
	EXPECT_GE(json_int(ru, "minflt"), json_int(doc, "minor"));
	json_object_put(doc);
	unlink(TREE_LEAF);
	unlink(TREE_GO);
}

/*
 * The faults of process @pid in @what ("by_vma" rows starting at @start, or
 * "top_pages" rows of pages in [@start, @end)): their sum; in @rows how many
 * rows, in @most the largest row's count, in @end_seen (by_vma) each row's end.
 */
static long rows_of(struct json_object *doc, const char *what, long pid,
		    unsigned long long start, unsigned long long end, long *rows, long *most,
		    unsigned long long *end_seen)
{
	struct json_object *all = json_get(doc, what), *row;
	unsigned long long at;
	long sum = 0, n;
	size_t i;

	*rows = *most = 0;
	for (i = 0; i < json_object_array_length(all); i++) {
		row = json_object_array_get_idx(all, i);
		at = json_hex(row, end_seen ? "start" : "addr");
		if (json_int(row, "pid") != pid)
			continue;
		if (end_seen ? at != start : at < start || at >= end)
			continue;
		n = json_int(row, "faults");
		if (end_seen && *rows < 2)
			end_seen[*rows] = json_hex(row, "end");
		sum += n;
		*most = n > *most ? n : *most;
		(*rows)++;
	}
	return sum;
}

TEST_F(tracer, n_fresh_pages_are_n_first_touches_in_their_vma)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("touch", "200", &r);
	unsigned long long ends[2];
	long rows, most;

	ASSERT_NE(NULL, doc);
	EXPECT_COUNT(200, count_events(doc, r.region, "first_touch", 0, "minor"), doc);
	EXPECT_COUNT(200, count_events(doc, r.region, NULL, 0, NULL), doc);
	EXPECT_COUNT(200, events_with_vma(doc, r.region, "anon", ""), doc);
	EXPECT_COUNT(200, rows_of(doc, "by_vma", json_int(doc, "pid"), r.region, 0, &rows, &most,
				  ends), doc);
	EXPECT_EQ(1, rows);
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
	EXPECT_COUNT(16, cows, doc);
	json_object_put(doc);
}

/*
 * A forked child maps its parent's region at the same address: each process
 * has its own record of it, with its own count, in the per-VMA and the
 * per-page tables, and each event names its process.
 */
TEST_F(tracer, a_parent_and_its_child_count_apart_in_the_region_they_share)
{
	const char *const args[] = { "faults", "--top", "4096", "--events", "--json", "--",
				     workload_self(), NULL };
	unsigned long long end, ends[2], page = getpagesize();
	struct json_object *doc, *events, *e;
	static struct run_result res;
	long rows, most, pid, who;
	struct wl_result r;
	size_t i;

	ASSERT_EQ(0, run_workload("cow", "16", args, &res, &r)) TH_LOG("%s", res.err);
	ASSERT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
	doc = parse_tool_json(&res, res.out, "faults");
	run_result_free(&res);
	ASSERT_NE(NULL, doc);
	ASSERT_LT(0, r.child);
	pid = json_int(doc, "pid");
	end = r.region + 16 * page;
	for (who = pid; who; who = who == pid ? r.child : 0) {
		/* The parent's 16 first touches; the child's 16 COW breaks. */
		EXPECT_COUNT(16, rows_of(doc, "by_vma", who, r.region, 0, &rows, &most, ends),
			     doc);
		EXPECT_EQ(1, rows) TH_LOG("pid %ld: %ld records of its region", who, rows);
		EXPECT_EQ(end, ends[0]);
		EXPECT_COUNT(16, rows_of(doc, "top_pages", who, r.region, end, &rows, &most, NULL),
			     doc);
		EXPECT_EQ(1, most) TH_LOG("pid %ld: a page of its region faulted %ld times",
					  who, most);
	}
	events = json_get(doc, "events");
	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (json_hex(json_get(e, "vma"), "start") != r.region)
			continue;
		/* Both are single-threaded: a thread's process is itself. */
		EXPECT_EQ(json_int(e, "tid"), json_int(e, "pid"));
		EXPECT_TRUE(json_int(e, "pid") == pid || json_int(e, "pid") == r.child)
			TH_LOG("an event of pid %lld in the region", json_int(e, "pid"));
	}
	json_object_put(doc);
}

/*
 * execve() gives a process a new address space: the region the workload
 * wrote at EXEC_REGION before it (16 pages) and the one its new image wrote
 * at the same address (32 pages) are two records of the same pid, each
 * with its own end and count.
 */
TEST_F(tracer, one_process_s_region_before_and_after_execve_counts_apart)
{
	unsigned long long ends[2] = {}, page = getpagesize();
	struct json_object *doc;
	struct wl_result r;
	long rows, most, pid;

	doc = trace_workload("exec", "16", &r);
	ASSERT_NE(NULL, doc);
	ASSERT_EQ(EXEC_REGION, r.region);
	pid = json_int(doc, "pid");
	EXPECT_COUNT(48, rows_of(doc, "by_vma", pid, EXEC_REGION, 0, &rows, &most, ends), doc);
	ASSERT_EQ(2, rows) TH_LOG("%ld records of pid %ld at %#lx", rows, pid, EXEC_REGION);
	EXPECT_COUNT(32, most, doc);
	/* Either order: the table is a hash. */
	EXPECT_EQ(EXEC_REGION * 2 + 48 * page, ends[0] + ends[1]);
	EXPECT_TRUE(ends[0] == EXEC_REGION + 16 * page || ends[1] == EXEC_REGION + 16 * page);
	EXPECT_COUNT(48, events_with_vma(doc, EXEC_REGION, "anon", ""), doc);
	json_object_put(doc);
}

/*
 * Workload @mode traced as text, its per-VMA table's rows of the 16-page
 * region, into @rows: "PID;" each, or "-;" where there is no PID column;
 * "bad;" for a row whose count is not 1 to 16 (the JSON tests hold the
 * counts exactly, misses allowed for). @r: what the workload said; @pid:
 * the traced command's pid. Return: whether the table had a PID column, or -1.
 */
static int text_rows(const char *mode, struct wl_result *r, unsigned long long *pid,
		     char *rows, size_t len)
{
	const char *const args[] = { "faults", "--top", "4096", "--", workload_self(), NULL };
	unsigned long long p, a, b, faults;
	char *line, *save = NULL;
	static struct run_result res;
	size_t at = 0;
	int pids = -1;

	*rows = '\0';
	if (run_workload(mode, "16", args, &res, r) || run_exit_code(&res))
		return -1;
	for (line = strtok_r(res.out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line, "pid %llu (", &p) == 1)
			*pid = p;
		else if (strstr(line, "FAULTS  MAJOR"))
			pids = !strncmp(line + strspn(line, " "), "PID ", 4);
		else if (pids == 1 && at < len &&
			 sscanf(line, "%llu %llx %llx %llu", &p, &a, &b, &faults) == 4 &&
			 a == r->region)
			at += faults && faults <= 16 ? snprintf(rows + at, len - at, "%llu;", p) :
			      snprintf(rows + at, len - at, "bad;");
		else if (!pids && at < len &&
			 sscanf(line, "%llx %llx %llu", &a, &b, &faults) == 3 && a == r->region)
			at += snprintf(rows + at, len - at, "%s",
				       faults && faults <= 16 ? "-;" : "bad;");
	}
	run_result_free(&res);
	return pids;
}

/*
 * As text: one process's trace has no PID column; a parent and its child
 * in one region are two rows, each with its PID and its own count.
 */
TEST_F(tracer, the_text_names_the_process_of_each_row_where_there_are_several)
{
	char rows[128], one[64], other[64];
	unsigned long long pid = 0;
	struct wl_result r;

	ASSERT_EQ(0, text_rows("touch", &r, &pid, rows, sizeof(rows)));
	EXPECT_STREQ("-;", rows);
	ASSERT_EQ(1, text_rows("cow", &r, &pid, rows, sizeof(rows)));
	ASSERT_LT(0, r.child);
	/* Equal counts: in either order. */
	snprintf(one, sizeof(one), "%llu;%ld;", pid, r.child);
	snprintf(other, sizeof(other), "%ld;%llu;", r.child, pid);
	EXPECT_TRUE(!strcmp(rows, one) || !strcmp(rows, other))
		TH_LOG("rows '%s', want '%s'", rows, one);
}

/* TCR_EL1.HA: the MMU sets the access flag itself (FEAT_HAFDBS); -1 if unknown. */
static int hardware_access_flag(void)
{
	struct vmatlas_layout l = { .size = sizeof(l) };
	int fd = open(VMATLAS_TEST_DEVICE, O_RDONLY), ret = -1;

	if (fd >= 0 && !ioctl(fd, VMATLAS_IOC_LAYOUT, &l) && (l.out_flags & VMATLAS_LAYOUT_MMU))
		ret = !!(l.mmu_control & BIT_ULL(39));
	if (fd >= 0)
		close(fd);
	return ret;
}

/*
 * arm64: the MMU's own word (ESR_EL1) beside the kernel's view of the entry
 * before: a fresh page had no valid entry, a translation fault; a COW page
 * had a valid read-only one, a permission fault. Both were writes. But
 * fork() gives the child its entries old (copy_present_pte()), and an MMU
 * that does not set the access flag itself checks it first: there, a COW
 * break in the child is an access-flag fault that the kernel resolves, in
 * the same call, by copying the page.
 */
static long syndromes(struct json_object *doc, uintptr_t region, pid_t tid, const char *fault)
{
	struct json_object *events = json_get(doc, "events");
	long n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i), *mmu;

		if (json_hex(json_get(e, "vma"), "start") != region ||
		    (tid && json_int(e, "tid") != tid))
			continue;
		mmu = json_get(e, "mmu");
		if (mmu && !strcmp(fault, json_object_get_string(json_get(mmu, "fault"))) &&
		    !strcmp("data", json_object_get_string(json_get(mmu, "abort"))) &&
		    json_object_get_boolean(json_get(mmu, "write")))
			n++;
	}
	return n;
}

TEST_F(tracer, arm64_syndrome_agrees_with_the_entry_before)
{
	struct json_object *doc;
	struct wl_result r;
	const char *cow;
	int hw;

	if (!kernel_is_arm64())
		SKIP(return, "the fault syndrome (ESR_EL1) is arm64's");
	doc = trace_workload("touch", "200", &r);
	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, json_get(doc, "mmu")) TH_LOG("no syndrome: fentry on do_mem_abort?");
	EXPECT_COUNT(200, syndromes(doc, r.region, 0, "translation"), doc);
	EXPECT_LE(200, json_int(json_get(doc, "mmu"), "translation"));
	json_object_put(doc);

	hw = hardware_access_flag();
	ASSERT_LE(0, hw) TH_LOG("LAYOUT has no TCR_EL1");
	cow = hw ? "permission" : "access_flag";
	doc = trace_workload("cow", "16", &r);
	ASSERT_NE(NULL, doc);
	ASSERT_LT(0, r.child);
	EXPECT_COUNT(16, syndromes(doc, r.region, r.child, cow), doc);
	EXPECT_LE(16, json_int(json_get(doc, "mmu"), cow));
	EXPECT_COUNT(16, count_events(doc, r.region, "cow", r.child, NULL), doc);
	json_object_put(doc);
}

/*
 * A valid entry whose access flag the kernel cleared (clear_refs, as
 * reclaim's aging does): the next access sets it again, by the MMU where
 * TCR_EL1.HA is on, without a fault; else through an access-flag fault the
 * kernel handles (CPUs without FEAT_HAFDBS: Cortex-A53, A72, the Raspberry
 * Pis'). The workload's own rusage says which happened, the MMU register
 * says which should have, and the syndrome of each fault must say why.
 */
TEST_F(tracer, arm64_access_flag_faults_where_the_mmu_does_not_set_it)
{
	struct json_object *doc;
	struct wl_result r;
	int hw;

	if (!kernel_is_arm64())
		SKIP(return, "access-flag faults are arm64's (x86 sets A itself)");
	hw = hardware_access_flag();
	ASSERT_LE(0, hw) TH_LOG("LAYOUT has no TCR_EL1");
	doc = trace_workload("young", "64", &r);
	ASSERT_NE(NULL, doc);
	ASSERT_NE(NULL, json_get(doc, "mmu")) TH_LOG("no syndrome: fentry on do_mem_abort?");
	if (hw) {
		EXPECT_EQ(0, r.swapped) TH_LOG("TCR_EL1.HA is set, yet faults");
		EXPECT_EQ(0, syndromes(doc, r.region, 0, "access_flag"));
	} else {
		EXPECT_LE(64, r.swapped) TH_LOG("TCR_EL1.HA is clear, yet no fault");
		EXPECT_COUNT(64, syndromes(doc, r.region, 0, "access_flag"), doc);
		EXPECT_LE(64, json_int(json_get(doc, "mmu"), "access_flag"));
	}
	json_object_put(doc);
}

TEST_F(tracer, swapped_out_pages_fault_back_as_major_swap_ins)
{
	struct wl_result r;
	struct json_object *doc = trace_workload("swap", "64", &r);

	ASSERT_NE(NULL, doc);
	if (!r.swapped)
		REQUIRE_HARNESS(json_object_put(doc); return, "no page reached swap");
	EXPECT_COUNT(r.swapped, count_events(doc, r.region, "swap_in", 0, NULL), doc);
	EXPECT_COUNT(r.swapped, count_events(doc, r.region, "swap_in", 0, "major"), doc);
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
	sync();
	return write_file("/proc/sys/vm/drop_caches", "3");
}

/* Major faults the trace counted outside the VMA at @region. */
static long majors_elsewhere(struct json_object *doc, unsigned long long region)
{
	struct json_object *events = json_get(doc, "events");
	long n = 0;
	size_t i;

	for (i = 0; i < json_object_array_length(events); i++) {
		struct json_object *e = json_object_array_get_idx(events, i);

		if (json_hex(json_get(e, "vma"), "start") != region &&
		    !strcmp(json_object_get_string(json_get(e, "counted")), "major"))
			n++;
	}
	return n;
}

/* The trace's events as one line, for a failure's log. */
#define TRACE(doc) json_object_to_json_string_ext(json_get(doc, "events"), JSON_C_TO_STRING_PLAIN)

TEST_F(tracer, file_read_after_drop_caches_is_major_then_minor)
{
	size_t len = FILE_PAGES * getpagesize();
	struct json_object *doc;
	struct wl_result r;
	long elsewhere;
	char n[16], *buf;
	int fd;

	if (!is_mounted("/mnt/disk"))
		REQUIRE_HARNESS(return, "no disk mounted at /mnt/disk");
	fd = open(DISK_FILE, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	buf = malloc(len);
	ASSERT_NE(NULL, buf);
	memset(buf, 'x', len);
	ASSERT_EQ((ssize_t)len, write(fd, buf, len));
	free(buf);
	fsync(fd);
	close(fd);
	snprintf(n, sizeof(n), "%d", FILE_PAGES);

	ASSERT_EQ(0, drop_page_cache());
	doc = trace_workload("file", n, &r);
	ASSERT_NE(NULL, doc);
	elsewhere = majors_elsewhere(doc, r.region);
	EXPECT_LE(1, count_events(doc, r.region, "major", 0, "major")) TH_LOG("%s", TRACE(doc));
	/*
	 * The workload counts its own faults before it reports them; a major
	 * fault after that (a page of its text, tmpfs and swapped out by an
	 * earlier test's pressure) is the tracer's only, and not in the file.
	 */
	EXPECT_LE(r.majflt, json_int(doc, "major")) TH_LOG("%s", TRACE(doc));
	EXPECT_GE(r.majflt + elsewhere, json_int(doc, "major"))
		TH_LOG("rusage %llu, elsewhere %ld: %s", r.majflt, elsewhere, TRACE(doc));
	/* Retried faults (the read waits for the disk) name their VMA too. */
	EXPECT_LE(1, events_with_vma(doc, r.region, "file", "vmatlas-faults"))
		TH_LOG("%s", TRACE(doc));
	json_object_put(doc);

	doc = trace_workload("file", n, &r);
	ASSERT_NE(NULL, doc);
	EXPECT_EQ(0, count_events(doc, r.region, NULL, 0, "major")) TH_LOG("%s", TRACE(doc));
	EXPECT_LE(1, count_events(doc, r.region, "page_cache", 0, "minor"))
		TH_LOG("%s", TRACE(doc));
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

/*
 * As time(1) and strace(1): the tool exits as the command did, or with 128
 * plus the signal that killed it, and the document says which. The command
 * needs no "--": the first word that is not an option starts it, and its
 * own options ("-c") are its own.
 */
TEST_F(tracer, a_command_exits_as_it_did)
{
	static const char *const three[] = { "faults", "--json", "sh", "-c", "exit 3", NULL };
	static const char *const killed[] = { "faults", "--json", "--", "sh", "-c",
					      "kill -TERM $$", NULL };
	static struct run_result res;
	struct json_object *doc;

	ASSERT_EQ(0, run_tool(&res, -1, three));
	doc = parse_tool_json(&res, res.out, "faults");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_EQ(3, run_exit_code(&res));
	EXPECT_EQ(3, json_int(doc, "exit_status"));
	EXPECT_EQ(NULL, json_get(doc, "signal"));
	json_object_put(doc);
	run_result_free(&res);

	ASSERT_EQ(0, run_tool(&res, -1, killed));
	doc = parse_tool_json(&res, res.out, "faults");
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	EXPECT_EQ(128 + SIGTERM, run_exit_code(&res));
	EXPECT_EQ(SIGTERM, json_int(doc, "signal"));
	EXPECT_EQ(NULL, json_get(doc, "exit_status"));
	json_object_put(doc);
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
