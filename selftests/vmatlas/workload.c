// SPDX-License-Identifier: GPL-2.0
/*
 * The fault tests' workload (workload.h): the process side, which runs as a
 * constructor of any test binary when VMATLAS_WORKLOAD is set, and the test
 * side, which starts it under "vmatlas faults" and reads what both said.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "procfs.h"
#include "layout.h"
#include "workload.h"

/* ---- the workload side ---- */

static long wl_page;

/*
 * The region is a VMA of its own, found by its start: an unmapped page on
 * each side keeps the kernel from merging it with its neighbours (7.x
 * merges anonymous VMAs that earlier kernels kept apart).
 */
static void *wl_map(size_t pages, int prot, int flags, int fd)
{
	size_t len = pages * wl_page;
	char *room, *p;

	room = mmap(NULL, len + 2 * wl_page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (room == MAP_FAILED)
		_exit(90);
	p = mmap(room + wl_page, len, prot, flags | MAP_FIXED, fd, 0);
	if (p == MAP_FAILED || munmap(room, wl_page) || munmap(p + len, wl_page))
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
	/* "%#lx": a region of NULL (bench, tree) reads back as 0, not "(nil)". */
	n = snprintf(out, sizeof(out), "%#lx %llu %llu %ld %ld\n", (unsigned long)region, minflt,
		     majflt, swapped, child);
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

/* Wait for the file @path to exist, for at most @secs seconds. */
static bool wl_wait_file(const char *path, int secs)
{
	int i;

	for (i = 0; i < secs * 100; i++) {
		if (!access(path, F_OK))
			return true;
		usleep(10000);
	}
	return false;
}

/* @n write faults on a 4 MiB region, dropped after each pass; the time in ns. */
static long wl_churn(size_t n)
{
	size_t round = (4 << 20) / wl_page, done, step;
	char *region = wl_map(round, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
	struct timespec a, b;

	madvise(region, round * wl_page, MADV_NOHUGEPAGE);
	clock_gettime(CLOCK_MONOTONIC, &a);
	for (done = 0; done < n; done += step) {
		step = n - done < round ? n - done : round;
		wl_touch(region, step, 1);
		madvise(region, step * wl_page, MADV_DONTNEED);
	}
	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a.tv_sec) * 1000000000L + b.tv_nsec - a.tv_nsec;
}

/*
 * The benchmark's target: wait for VMATLAS_WORKLOAD_GO (a file) if named,
 * fault on @n fresh pages, say so (its pid, to @out) and wait to be killed.
 */
static int wl_target(size_t n, int out)
{
	const char *go = getenv("VMATLAS_WORKLOAD_GO");
	char line[32];
	int len;

	if (go && !wl_wait_file(go, 600))
		return 94;
	wl_touch(wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1), n, 1);
	len = snprintf(line, sizeof(line), "%d\n", getpid());
	if (write(out, line, len) != len)
		return 91;
	close(out);
	for (;;)
		pause();
}

/*
 * A chain of @depth processes below this one, each forked by the one above
 * and faulting on @n fresh pages of its own, each waiting for its child.
 * The last one creates TREE_LEAF and waits for TREE_GO (a bystander's turn,
 * in faults_test) for at most a minute. The count of processes made.
 */
static long wl_tree(size_t n, long depth)
{
	long level;
	pid_t pid;
	int status;

	for (level = 0; level < depth; level++) {
		pid = fork();
		if (pid < 0)
			_exit(95);
		if (pid > 0) {
			if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			    WEXITSTATUS(status))
				_exit(96);
			if (level)
				_exit(0);
			return depth;
		}
		wl_touch(wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1), n, 1);
	}
	close(open(TREE_LEAF, O_WRONLY | O_CREAT, 0600));
	_exit(wl_wait_file(TREE_GO, 60) ? 0 : 97);
}

/*
 * @n fresh pages written at EXEC_REGION, a VMA of its own there: the "exec"
 * workload's, in both of its images.
 */
static char *wl_fixed(size_t n)
{
	char *p = mmap((void *)EXEC_REGION, n * wl_page, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != (void *)EXEC_REGION)
		_exit(90);
	madvise(p, n * wl_page, MADV_NOHUGEPAGE);
	wl_touch(p, n, 1);
	return p;
}

/* Minor faults of this process so far (rusage, as /proc/self/stat has them). */
static long wl_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? -1 : ru.ru_minflt;
}

/*
 * Write @n fresh pages, have the kernel clear their access flags as reclaim's
 * aging does (clear_refs), write them again: the minor faults of the second
 * pass, which an MMU that sets the flag itself does not take.
 */
static long wl_young(char *region, size_t n)
{
	long before;

	madvise(region, n * wl_page, MADV_NOHUGEPAGE);
	wl_touch(region, n, 1);
	if (write_file("/proc/self/clear_refs", "1"))
		_exit(98);
	before = wl_minflt();
	wl_touch(region, n, 1);
	return wl_minflt() - before;
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
	} else if (!strcmp(mode, "young")) {
		region = wl_map(n, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1);
		swapped = wl_young(region, n);
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
	} else if (!strcmp(mode, "churn")) {
		/* A bystander: n faults on 4 MiB, dropped and touched again. */
		swapped = wl_churn(n);
	} else if (!strcmp(mode, "target")) {
		/* The benchmark's traced process: n faults, then until killed. */
		return wl_target(n, out);
	} else if (!strcmp(mode, "tree")) {
		child = wl_tree(n, strtol(getenv("VMATLAS_WORKLOAD_DEPTH") ?: "6", NULL, 10));
		region = NULL;
	} else if (!strcmp(mode, "layout")) {
		/*
		 * The tests' layout process, for a shell to look at: its pid
		 * and its COW and private regions, then until killed.
		 */
		struct layout l;

		if (layout_start(&l))
			return 94;
		dprintf(out, "%d %#lx %#lx %#lx %#lx\n", l.pid, (unsigned long)l.cow,
			(unsigned long)(l.cow + LAYOUT_PAGES * l.page), (unsigned long)l.anon,
			(unsigned long)(l.anon + LAYOUT_PAGES * l.page));
		close(out);
		for (;;)
			pause();
	} else if (!strcmp(mode, "exec")) {
		/* n pages at EXEC_REGION, then this binary again: "exec2" there. */
		wl_fixed(n);
		setenv("VMATLAS_WORKLOAD", "exec2", 1);
		execl("/proc/self/exe", "workload", (char *)NULL);
		return 99;
	} else if (!strcmp(mode, "exec2")) {
		/* The image after execve(): 2n pages at the same address. */
		region = wl_fixed(2 * n);
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

char workload_last_err[4096];

const char *workload_self(void)
{
	static char self[256];
	ssize_t len;

	if (!self[0]) {
		len = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (len <= 0)
			return NULL;
		self[len] = '\0';
	}
	return self;
}

int run_workload(const char *mode, const char *n, const char *const args[],
		 struct run_result *res, struct wl_result *r)
{
	char text[256];
	int ret;

	setenv("VMATLAS_WORKLOAD", mode, 1);
	setenv("VMATLAS_WORKLOAD_N", n, 1);
	setenv("VMATLAS_WORKLOAD_OUT", WORKLOAD_OUT, 1);
	ret = run_tool(res, -1, args);
	unsetenv("VMATLAS_WORKLOAD");
	memset(r, 0, sizeof(*r));
	if (ret)
		return ret;
	if (read_file(WORKLOAD_OUT, text, sizeof(text)) <= 0 ||
	    sscanf(text, "%llx %llu %llu %ld %ld", &r->region, &r->minflt, &r->majflt,
		   &r->swapped, &r->child) != 5)
		return -EPROTO;
	return 0;
}

struct json_object *trace_workload_as(const char *mode, const char *n, const char *attach,
				      struct wl_result *r)
{
	const char *const args[] = { "faults", "--attach", attach, "--events", "--json", "--",
				      workload_self(), NULL };
	static struct run_result res;
	struct json_object *doc = NULL;

	if (!workload_self())
		return NULL;
	if (!run_workload(mode, n, args, &res, r) && !run_exit_code(&res))
		doc = parse_tool_json(&res, res.out, "faults");
	if (!doc)
		fprintf(stderr, "# faults failed: %s\n", res.err);
	snprintf(workload_last_err, sizeof(workload_last_err), "%s", res.err);
	run_result_free(&res);
	return doc;
}

struct json_object *trace_workload(const char *mode, const char *n, struct wl_result *r)
{
	return trace_workload_as(mode, n, "auto", r);
}

int module_has_kfunc(void)
{
	struct vmatlas_info info = { .size = sizeof(info) };
	int fd = open(VMATLAS_TEST_DEVICE, O_RDONLY), ok;

	ok = fd >= 0 && !ioctl(fd, VMATLAS_IOC_INFO, &info) &&
	     (info.features & VMATLAS_FEAT_KFUNC);
	if (fd >= 0)
		close(fd);
	return ok;
}

long count_events(struct json_object *doc, unsigned long long region, const char *class,
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

long events_with_vma(struct json_object *doc, unsigned long long region, const char *kind,
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

int count_ok(long long want, long long got, struct json_object *doc)
{
	long long missed = json_int(doc, "missed");

	return got == want || (got < want && want - got <= missed);
}

int tracer_ready(char *why, size_t len)
{
	static const char *const args[] = { "faults", "-p", "1", "-d", "0.1", NULL };
	struct run_result res;
	int ready;

	if (access(VMATLAS_TEST_DEVICE, F_OK)) {
		snprintf(why, len, "%s missing", VMATLAS_TEST_DEVICE);
		return 0;
	}
	if (run_tool(&res, -1, args)) {
		snprintf(why, len, "cannot run the tool");
		return -1;
	}
	snprintf(why, len, "%s", res.err);
	ready = run_exit_code(&res) == 0 ? 1 : -1;
	if (strstr(res.err, "without BPF")) {
		snprintf(why, len, "this build has no BPF (32-bit)");
		ready = 0;
	}
	run_result_free(&res);
	return ready;
}
