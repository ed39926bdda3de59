// SPDX-License-Identifier: GPL-2.0
/*
 * Bad input to the process commands gets a precise errno from the device and
 * one line from the tool, with nothing on stdout; privilege rules hold; and a
 * target that execs or exits under the ioctls gets clean errors, never an
 * oops (the harness fails the run on any kernel warning).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

#define PAGE	((unsigned long long)getpagesize())
#define REEXEC	"VMATLAS_REEXEC"

/*
 * With VMATLAS_REEXEC=N in its environment this binary execs itself N more
 * times, then exits: one PID whose address space is replaced over and over,
 * for the debugfs views to catch in the middle of an execve().
 */
__attribute__((constructor)) static void reexec(void)
{
	const char *left = getenv(REEXEC);
	static char *const argv[] = { "proc_input_test", NULL };
	char buf[16];

	if (!left)
		return;
	if (atoi(left) <= 0)
		_exit(0);
	snprintf(buf, sizeof(buf), "%d", atoi(left) - 1);
	setenv(REEXEC, buf, 1);
	execv("/proc/self/exe", argv);
	_exit(1);
}

FIXTURE(dev) {
	int fd;
	void *mapped;
};

FIXTURE_SETUP(dev)
{
	self->fd = -1;
	REQUIRE_DEVICE(return);
	self->fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, self->fd);
	self->mapped = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->mapped);
	memset(self->mapped, 1, 4 * PAGE);
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

static int walk(int fd, int pid, unsigned long long addr, struct vmatlas_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->pid = pid;
	w->addr = addr;
	return ioctl(fd, VMATLAS_IOC_WALK, w) ? errno : 0;
}

static int vmas(int fd, int pid, unsigned int count, unsigned int entry_size, unsigned int flags)
{
	/* Room for more than the module's batch: an absurd count must stay bounded. */
	static struct vmatlas_vma buf[64];
	struct vmatlas_vmas req = {
		.size = sizeof(req), .pid = pid, .count = count, .entry_size = entry_size,
		.flags = flags, .vmas_ptr = (uintptr_t)buf,
	};

	return ioctl(fd, VMATLAS_IOC_VMAS, &req) ? errno : 0;
}

static int ptdump(int fd, int pid, unsigned long long start, unsigned long long end)
{
	static struct vmatlas_run runs[4];
	struct vmatlas_ptdump req = {
		.size = sizeof(req), .pid = pid, .start = start, .end = end, .count = 4,
		.entry_size = sizeof(runs[0]), .runs_ptr = (uintptr_t)runs,
	};

	return ioctl(fd, VMATLAS_IOC_PTDUMP, &req) ? errno : 0;
}

/* A PID that surely names no process: one that just exited and was reaped. */
static pid_t dead_pid(void)
{
	pid_t pid = fork();

	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	return pid;
}

TEST_F(dev, bad_pids_get_precise_errors)
{
	struct vmatlas_walk w;
	unsigned long long a = (uintptr_t)self->mapped;

	EXPECT_EQ(EINVAL, walk(self->fd, 0, a, &w));
	EXPECT_EQ(EINVAL, walk(self->fd, -1, a, &w));
	EXPECT_EQ(ESRCH, walk(self->fd, dead_pid(), a, &w));
	/* PID 2 is kthreadd: a task without a user address space. */
	EXPECT_EQ(ESRCH, walk(self->fd, 2, a, &w));
	EXPECT_EQ(ESRCH, vmas(self->fd, 2, 8, sizeof(struct vmatlas_vma), 0));
	EXPECT_EQ(ESRCH, ptdump(self->fd, 2, PAGE, 2 * PAGE));
}

TEST_F(dev, bad_addresses_get_precise_errors)
{
	struct vmatlas_walk w;
	pid_t me = getpid();

	EXPECT_EQ(0, walk(self->fd, me, (uintptr_t)self->mapped + 5, &w));
	/* Below mmap_min_addr nothing is ever mapped. */
	EXPECT_EQ(ENOMEM, walk(self->fd, me, 0x10, &w));
	/* Kernel half, and (64-bit) non-canonical. */
	EXPECT_EQ(EINVAL, walk(self->fd, me, ~0ULL, &w));
	EXPECT_EQ(EINVAL, walk(self->fd, me, 0x8000000000000000ULL, &w));
	/* Above this process's TASK_SIZE (also for a 32-bit one on x86-64). */
	EXPECT_EQ(EINVAL, walk(self->fd, me, sizeof(void *) == 8 ? 0xffff800000000000ULL :
							       0xfffff000ULL, &w));
}

TEST_F(dev, bad_ranges_and_counts_are_einval)
{
	pid_t me = getpid();
	unsigned long long a = (uintptr_t)self->mapped;

	EXPECT_EQ(0, ptdump(self->fd, me, a, a + 4 * PAGE));
	EXPECT_EQ(EINVAL, ptdump(self->fd, me, a, a));
	EXPECT_EQ(EINVAL, ptdump(self->fd, me, a + PAGE, a));
	EXPECT_EQ(EINVAL, ptdump(self->fd, me, a + 1, a + PAGE));
	EXPECT_EQ(EINVAL, ptdump(self->fd, me, a, a + PAGE + 1));
	EXPECT_EQ(EINVAL, ptdump(self->fd, me, a, ~0ULL & ~(PAGE - 1)));
	EXPECT_EQ(0, vmas(self->fd, me, 8, sizeof(struct vmatlas_vma), 0));
	EXPECT_EQ(EINVAL, vmas(self->fd, me, 0, sizeof(struct vmatlas_vma), 0));
	EXPECT_EQ(EINVAL, vmas(self->fd, me, 8, 8, 0));
	EXPECT_EQ(EINVAL, vmas(self->fd, me, 8, 1 << 20, 0));
	EXPECT_EQ(EINVAL, vmas(self->fd, me, 8, sizeof(struct vmatlas_vma), 1U << 31));
	/* An absurd count is fine: the module fills a bounded batch. */
	EXPECT_EQ(0, vmas(self->fd, me, 0xffffffffU, sizeof(struct vmatlas_vma), 0));
}

TEST_F(dev, walk_reserved_and_flags_are_einval)
{
	struct vmatlas_walk w;

	memset(&w, 0, sizeof(w));
	w.size = sizeof(w);
	w.pid = getpid();
	w.addr = (uintptr_t)self->mapped;
	w.reserved = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_WALK, &w));
	EXPECT_EQ(EINVAL, errno);
	w.reserved = 0;
	w.flags = 1;
	EXPECT_EQ(-1, ioctl(self->fd, VMATLAS_IOC_WALK, &w));
	EXPECT_EQ(EINVAL, errno);
}

/* What unprivileged_rules_hold() returns when no page could be swapped out. */
#define NOT_SWAPPED	99

/*
 * A page of our own pushed to swap: without CAP_SYS_ADMIN its slot (type,
 * offset, the raw entry) is hidden, as pagemap hides it; that it is swapped
 * is not. Whether the page went to swap is pagemap's to say (its swap bit is
 * shown to anyone), not the walk's: NOT_SWAPPED if it did not.
 */
static int swapped_page_hides_its_slot(int fd)
{
	long page = getpagesize();
	struct vmatlas_walk w;
	__u64 pm = 0;
	char *p;
	int i, pmfd;

	p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 20;
	p[0] = 1;
#ifdef MADV_PAGEOUT
	madvise(p, page, MADV_PAGEOUT);
#endif
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	if (pmfd < 0 || pread(pmfd, &pm, sizeof(pm), (uintptr_t)p / page * sizeof(pm)) !=
			sizeof(pm))
		return 25;
	close(pmfd);
	if (walk(fd, getpid(), (uintptr_t)p, &w))
		return 21;
	if (!(pm & (1ULL << 62)))
		return w.swap_kind == VMATLAS_SWP_NONE ? NOT_SWAPPED : 26;
	if (w.swap_kind != VMATLAS_SWP_SWAP)
		return 27;
	if (w.swap_type || w.swap_offset)
		return 22;
	for (i = 0; i <= (int)w.stop_level && i < VMATLAS_LEVELS; i++)
		if ((w.levels[i].flags & VMATLAS_LVL_LEAF) && w.levels[i].entry)
			return 23;
	if (!(w.levels[w.stop_level].bits & VMATLAS_ENT_SWAP))
		return 24;
	return 0;
}

static int unprivileged_rules_hold(void *mapped)
{
	struct vmatlas_walk w;
	int fd, i;

	if (drop_cap_sys_admin())
		return 10;
	fd = open("/dev/vmatlas", O_RDONLY);
	if (fd < 0)
		return 11;
	if (walk(fd, getppid(), (uintptr_t)mapped, &w) != EPERM)
		return 12;
	if (walk(fd, getpid(), (uintptr_t)mapped, &w) != 0)
		return 13;
	if (!(w.out_flags & VMATLAS_OUT_PHYS_HIDDEN) || w.phys || w.pfn)
		return 14;
	if (!(w.out_flags & VMATLAS_WALK_PRESENT))
		return 15;
	for (i = 0; i < VMATLAS_LEVELS; i++)
		if ((w.levels[i].entry & entry_addr_mask()) || w.levels[i].table)
			return 16;
	/* No page facts: mapcount, refcount and flags are /proc/kpage*'s, root's. */
	if ((w.out_flags & VMATLAS_WALK_PAGE) || w.page.flags || w.page.mapcount ||
	    w.page.refcount)
		return 17;
	return swapped_page_hides_its_slot(fd);
}

TEST_F(dev, without_cap_sys_admin_only_self_and_no_frames)
{
	int ret = in_child(unprivileged_rules_hold, self->mapped);

	if (ret == NOT_SWAPPED)
		REQUIRE_HARNESS(return, "MADV_PAGEOUT put no page in swap (no swap device?)");
	EXPECT_EQ(0, ret);
}

static int walk_tables(int fd, void *mapped, struct vmatlas_walk *w)
{
	int i, n = 0;

	if (walk(fd, getpid(), (uintptr_t)mapped, w))
		return -1;
	for (i = 0; i <= (int)w->stop_level && i < VMATLAS_LEVELS; i++)
		n += !!w->levels[i].table;
	return n;
}

/*
 * Where the page tables are is kernel memory layout: even for root, the
 * tables' physical addresses follow kptr_restrict as kernel pointers do.
 */
TEST_F(dev, page_table_addresses_follow_kptr_restrict)
{
	char saved[16] = "";
	struct vmatlas_walk w;

	ASSERT_LT(0, read_file("/proc/sys/kernel/kptr_restrict", saved, sizeof(saved)));
	ASSERT_EQ(0, write_file("/proc/sys/kernel/kptr_restrict", "0"));
	EXPECT_LT(0, walk_tables(self->fd, self->mapped, &w));
	EXPECT_FALSE(w.out_flags & VMATLAS_OUT_TABLES_HIDDEN);
	ASSERT_EQ(0, write_file("/proc/sys/kernel/kptr_restrict", "2"));
	EXPECT_EQ(0, walk_tables(self->fd, self->mapped, &w));
	EXPECT_TRUE(w.out_flags & VMATLAS_OUT_TABLES_HIDDEN);
	/* The frame itself is pagemap's business, not kptr_restrict's. */
	EXPECT_NE(0, w.pfn);
	ASSERT_EQ(0, write_file("/proc/sys/kernel/kptr_restrict", saved));
}

/*
 * Exit status 2 for what the command line got wrong, 1 for what the kernel
 * refused (tool.rst); one line on stderr either way, nothing on stdout.
 */
TEST(cli_bad_input_gets_one_line_and_no_output)
{
	char dead[16], me[16];
	const struct {
		const char *args[6];
		int status;
	} cases[] = {
		{ { "maps", "0", NULL }, 2 },
		{ { "maps", "-5", NULL }, 2 },
		{ { "maps", "12abc", NULL }, 2 },
		{ { "maps", dead, NULL }, 1 },
		{ { "maps", "2", NULL }, 1 },
		{ { "walk", me, "0x10", NULL }, 1 },
		{ { "walk", me, "10", NULL }, 1 },		/* hexadecimal: 0x10 */
		{ { "walk", me, "0xzz", NULL }, 2 },
		{ { "walk", me, "010x", NULL }, 2 },
		{ { "walk", me, "0xffffffffffffffff", NULL }, 1 },
		{ { "ptdump", me, "--start", "0x1001", "--end", NULL }, 2 },
		{ { "lab", "kmalloc", "1.5K", NULL }, 2 },
	};
	static struct run_result res;
	size_t i;

	REQUIRE_DEVICE(return);
	snprintf(dead, sizeof(dead), "%d", dead_pid());
	snprintf(me, sizeof(me), "%d", getpid());
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, run_tool(&res, -1, cases[i].args));
		EXPECT_EQ(cases[i].status, run_exit_code(&res)) TH_LOG("case %zu: %s", i, res.err);
		EXPECT_STREQ("", res.out) TH_LOG("case %zu printed output", i);
		EXPECT_LE(1, count_lines(res.err)) TH_LOG("case %zu", i);
		run_result_free(&res);
	}
}

/* With --json an error is a JSON object too, on one line of stderr. */
TEST(cli_errors_with_json_are_json)
{
	char me[16];
	const struct {
		const char *args[6];
		int status;
		const char *says;
	} cases[] = {
		{ { "walk", "--json", me, "0x10", NULL }, 1, "not mapped" },
		{ { "walk", "--json", me, "zz", NULL }, 2, "invalid address 'zz'" },
	};
	static struct run_result res;
	struct json_object *e;
	const char *msg;
	size_t i;

	REQUIRE_DEVICE(return);
	snprintf(me, sizeof(me), "%d", getpid());
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, run_tool(&res, -1, cases[i].args));
		EXPECT_EQ(cases[i].status, run_exit_code(&res)) TH_LOG("case %zu", i);
		EXPECT_STREQ("", res.out);
		EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
		e = parse_tool_json(&res, res.err, "error");
		ASSERT_NE(NULL, e) TH_LOG("not an error document: %s", res.err);
		EXPECT_STREQ("walk", json_object_get_string(json_get(e, "command")));
		msg = json_object_get_string(json_get(e, "error"));
		EXPECT_NE(NULL, strstr(msg ?: "", cases[i].says)) TH_LOG("%s", res.err);
		json_object_put(e);
		run_result_free(&res);
	}
}

TEST(cli_errors_say_what_is_wrong)
{
	static const struct {
		const char *args[4];
		const char *says;
	} cases[] = {
		{ { "maps", "2", NULL }, "no user address space" },
		{ { "walk", "1", "0x10", NULL }, "not mapped" },
		{ { "walk", "1", "0xffffffffffffffff", NULL }, "not a user address" },
		{ { "maps", "0", NULL }, "invalid PID" },
	};
	static struct run_result res;
	char prefix[32];
	size_t i;

	REQUIRE_DEVICE(return);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		const char *nl;

		ASSERT_EQ(0, run_tool(&res, -1, cases[i].args));
		EXPECT_NE(NULL, strstr(res.err, cases[i].says))
			TH_LOG("'%s %s' said: %s", cases[i].args[0], cases[i].args[1], res.err);
		/* One line, "vmatlas: SUBCOMMAND: ...", as tool.rst says. */
		snprintf(prefix, sizeof(prefix), "vmatlas: %s: ", cases[i].args[0]);
		EXPECT_EQ(0, strncmp(res.err, prefix, strlen(prefix))) TH_LOG("%s", res.err);
		nl = strchr(res.err, '\n');
		EXPECT_TRUE(nl && !nl[1]) TH_LOG("not one line: %s", res.err);
		EXPECT_NE(0, run_exit_code(&res));
		EXPECT_STREQ("", res.out);
		run_result_free(&res);
	}
}

/* Targets that exec and exit while being inspected: clean errors only. */
TEST_F(dev, target_exec_and_exit_races_are_clean)
{
	int round, errors = 0;

	for (round = 0; round < 200; round++) {
		struct vmatlas_walk w;
		pid_t pid = fork();
		int e[3], k;

		ASSERT_LE(0, pid);
		if (pid == 0) {
			if (round & 1)
				execl("/bin/true", "true", (char *)NULL);
			_exit(0);
		}
		e[0] = vmas(self->fd, pid, 8, sizeof(struct vmatlas_vma), VMATLAS_VMAS_RESIDENCY);
		e[1] = walk(self->fd, pid, (uintptr_t)self->mapped, &w);
		e[2] = ptdump(self->fd, pid, PAGE, 1ULL << 30);
		for (k = 0; k < 3; k++)
			if (e[k] && e[k] != ESRCH && e[k] != ENOMEM && e[k] != EAGAIN) {
				TH_LOG("round %d call %d: %s", round, k, strerror(e[k]));
				errors++;
			}
		waitpid(pid, NULL, 0);
	}
	EXPECT_EQ(0, errors);
}

#define MANY_VMAS	8000

/* A child with about MANY_VMAS VMAs (every other page read-only), waiting to be killed. */
static pid_t many_vmas_target(void)
{
	int ready[2];
	pid_t pid;
	char c;

	if (pipe(ready))
		return -1;
	pid = fork();
	if (pid == 0) {
		char *p = mmap(NULL, MANY_VMAS * PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		size_t i;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (p == MAP_FAILED)
			_exit(1);
		for (i = 0; i < MANY_VMAS; i++) {
			p[i * PAGE] = 1;
			if ((i & 1) && mprotect(p + i * PAGE, PAGE, PROT_READ))
				_exit(1);
		}
		if (write(ready[1], "", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(ready[1]);
	if (pid > 0 && read(ready[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(ready[0]);
	return pid;
}

static long long mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/*
 * Run the tool with @args (its PID argument @pid) on a new target, killed
 * @delay_ns after the tool started (never if negative); *@ns: how long the
 * tool ran.
 */
static int run_and_kill(struct run_result *res, const char *const args[], char *pid,
			long long delay_ns, long long *ns)
{
	pid_t target = many_vmas_target(), killer;
	struct timespec ts = { delay_ns / 1000000000, delay_ns % 1000000000 };
	int ret;

	if (target < 0)
		return -1;
	snprintf(pid, 16, "%d", target);
	*ns = mono_ns();
	killer = delay_ns < 0 ? -1 : fork();
	if (killer == 0) {
		nanosleep(&ts, NULL);
		kill(target, SIGKILL);
		_exit(0);
	}
	ret = run_tool(res, -1, args);
	*ns = mono_ns() - *ns;
	if (killer > 0)
		waitpid(killer, NULL, 0);
	kill(target, SIGKILL);
	waitpid(target, NULL, 0);
	return ret;
}

/* A run's output is whole: a document in json-c's layout, or a table with its totals. */
static bool output_is_whole(const struct run_result *res, bool json)
{
	if (json)
		return json_layout_ok(res->out);
	return res->out_len && res->out[res->out_len - 1] == '\n' &&
	       strstr(res->out, "\ntotal: ");
}

/*
 * All or nothing: a target killed at any moment of a long listing (hundreds
 * of VMAS calls) leaves either a whole document or table, exit 0, or one
 * line on stderr and nothing on stdout. Never half a document. The kills
 * fall anywhere in the time a whole run takes; some must stop a listing.
 */
#define KILL_ROUNDS	8

TEST_F_TIMEOUT(dev, target_killed_mid_listing_gives_all_or_nothing, 300)
{
	static const char *const cmds[][2] = {
		{ "maps", "--json" }, { "maps", "--" }, { "ptdump", "--json" },
	};
	unsigned int seed = time(NULL);
	static struct run_result res;
	int round, failed = 0;
	long long full, delay, ns;
	char pid[16];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		const char *const args[] = { cmds[i][0], cmds[i][1], pid, NULL };
		bool json = !strcmp(cmds[i][1], "--json");
		int before = failed;

		ASSERT_EQ(0, run_and_kill(&res, args, pid, -1, &full));
		ASSERT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
		EXPECT_TRUE(output_is_whole(&res, json));
		run_result_free(&res);
		/*
		 * The listing is the start of a run, the printing the rest:
		 * every other kill falls in the first eighth of it.
		 */
		for (round = 0; round < KILL_ROUNDS; round++) {
			delay = rand_r(&seed) % ((round % 2 ? full : full / 8) + 1);
			ASSERT_EQ(0, run_and_kill(&res, args, pid, delay, &ns));
			if (run_exit_code(&res)) {
				failed++;
				EXPECT_STREQ("", res.out) TH_LOG("%s %s", cmds[i][0], cmds[i][1]);
				EXPECT_EQ(1, count_lines(res.err)) TH_LOG("%s", res.err);
			} else {
				EXPECT_TRUE(output_is_whole(&res, json)) TH_LOG("%s", cmds[i][0]);
			}
			run_result_free(&res);
		}
		ksft_print_msg("vmatlas %s %s: %lld ms; %d of %d killed runs failed cleanly\n",
			       cmds[i][0], cmds[i][1], full / 1000000, failed - before,
			       KILL_ROUNDS);
	}
	EXPECT_LE(1, failed) TH_LOG("no kill stopped a listing: the test proved nothing");
}

/*
 * The debugfs views of a process that keeps exec'ing: between exec_mmap()
 * and setup_new_exec() its new mm has no TASK_SIZE yet, and a view must then
 * report an error (-EAGAIN), not walk to the top of memory (which warned).
 * Every read must succeed; a fresh mm may have no page tables to show yet.
 * 600 execs; on a kernel the harness says is slower (the debug kernel, where
 * an exec takes most of a second) proportionally fewer, at least 60.
 */
TEST_F_TIMEOUT(dev, debugfs_views_of_an_execing_target_are_clean, 300)
{
	static const char *const views[] = { "ptdump", "maps", "walk" };
	static char text[1 << 16];
	int reads = 0, bad = 0, eagain = 0, status;
	unsigned int execs = 600 / vmatlas_timeout_scale();
	char buf[32];
	pid_t pid;

	if (access(VMATLAS_TEST_DEBUGFS "/pid", F_OK))
		REQUIRE_HARNESS(return, "no vmatlas debugfs views");
	if (execs < 60)
		execs = 60;
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		snprintf(buf, sizeof(buf), "%u", execs);
		setenv(REEXEC, buf, 1);
		reexec();
		_exit(1);
	}
	snprintf(buf, sizeof(buf), "%d", pid);
	ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/pid", buf));
	ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/addr", "0x1000"));
	while (waitpid(pid, &status, WNOHANG) == 0) {
		char path[64];
		ssize_t n;

		snprintf(path, sizeof(path), VMATLAS_TEST_DEBUGFS "/%s", views[reads % 3]);
		n = read_file(path, text, sizeof(text));
		reads++;
		if (n < 0) {
			TH_LOG("%s: read returned %zd", path, n);
			bad++;
		}
		if (strstr(text, "error -11"))
			eagain++;
	}
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(0, bad);
	TH_LOG("%d reads while the target exec'd %u times, %d caught it mid-exec",
	       reads, execs, eagain);
}

TEST_HARNESS_MAIN
