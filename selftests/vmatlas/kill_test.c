// SPDX-License-Identifier: GPL-2.0
/*
 * Kill: whatever a caller asks for, SIGKILL ends it within a second. A
 * target maps as much as the VMs allow (256 MiB written, page by page, plus
 * a sparse reservation of several GiB with a page in every 2 MiB: a PTE
 * table each); a walker process walks all of it in a loop, the biggest
 * walks there are (VMAS with residency, PTDUMP of the whole address space,
 * the debugfs maps and ptdump views, which walk everything in one read).
 * The test kills the walker in the middle of a walk and times, with
 * CLOCK_MONOTONIC, how long until waitpid() has reaped it; then the same for
 * the vmatlas tool running maps and ptdump. The bound is the requirement
 * ("ends the caller within a second"), not a performance target.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE	23
#endif

#define BIG_BYTES	(256UL << 20)
#define ROUNDS		4
#define LIMIT_NS	1000000000LL

/* What the walker says about itself, in memory shared with the test. */
struct kill_shared {
	int in_call;			/* inside a walk right now */
	unsigned long long calls;	/* walks finished */
	unsigned long long ns;		/* time they took */
};

static long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* The target: maps, writes, says so on @fd, then waits to be killed. */
static void target_main(int fd)
{
	size_t sparse = sizeof(long) == 8 ? 4UL << 30 : 1UL << 30, i;
	char *big, *sp;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	big = mmap(NULL, BIG_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sp = mmap(NULL, sparse, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (big == MAP_FAILED || sp == MAP_FAILED)
		_exit(80);
	/* Base pages: the most entries a range of this size can have. */
	madvise(big, BIG_BYTES, MADV_NOHUGEPAGE);
	madvise(sp, sparse, MADV_NOHUGEPAGE);
	if (madvise(big, BIG_BYTES, MADV_POPULATE_WRITE))
		memset(big, 1, BIG_BYTES);
	for (i = 0; i < sparse; i += 2UL << 20)
		sp[i] = 1;
	if (write(fd, "r", 1) != 1)
		_exit(81);
	for (;;)
		pause();
}

enum { W_VMAS, W_PTDUMP, W_DBG_MAPS, W_DBG_PTDUMP, W_MAX };
static const char *const walk_names[W_MAX] = {
	"VMAS+residency", "PTDUMP", "debugfs maps", "debugfs ptdump",
};

/* The end of the last VMA of @pid, or 0. */
static unsigned long long top_of(struct vx *x, pid_t pid)
{
	static struct vmatlas_vma vmas[16];
	unsigned long long start = 0, top = 0;
	struct vmatlas_vmas req;

	do {
		if (vx_vmas(x, &req, pid, start, 0, vmas, 16, NULL, 0))
			return 0;
		if (req.count)
			top = vmas[req.count - 1].end;
		start = req.next;
	} while (start);
	return top;
}

/* One whole walk of @pid by @how; 0, or -errno if a call failed. */
static int walk_all(struct vx *x, pid_t pid, int how, unsigned long long top, char *text,
		    size_t len)
{
	static struct vmatlas_vma vmas[16];
	static struct vmatlas_run runs[64];
	static char names[8192];
	unsigned long long start = 0;
	struct vmatlas_vmas vr;
	struct vmatlas_ptdump pr;
	int ret;

	switch (how) {
	case W_VMAS:
		do {
			ret = vx_vmas(x, &vr, pid, start, VMATLAS_VMAS_RESIDENCY, vmas, 16, names,
				      sizeof(names));
			start = vr.next;
		} while (!ret && start);
		return ret;
	case W_PTDUMP:
		do {
			ret = vx_ptdump(x, &pr, pid, VMATLAS_PTDUMP_SHARING, start, top, runs, 64);
			start = pr.next;
		} while (!ret && start);
		return ret;
	default:
		ret = read_file(how == W_DBG_MAPS ? VMATLAS_TEST_DEBUGFS "/maps" :
			       VMATLAS_TEST_DEBUGFS "/ptdump", text, len);
		return ret < 0 ? ret : 0;
	}
}

static void walker_main(struct kill_shared *sh, pid_t target, int how)
{
	static char text[1 << 20];
	unsigned long long top;
	struct vx x;

	if (vx_open(&x))
		_exit(90);
	top = top_of(&x, target);
	if (!top)
		_exit(91);
	for (;;) {
		long long t0 = now_ns();

		__atomic_store_n(&sh->in_call, 1, __ATOMIC_SEQ_CST);
		if (walk_all(&x, target, how, top, text, sizeof(text)))
			_exit(92);
		__atomic_store_n(&sh->in_call, 0, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&sh->ns, now_ns() - t0, __ATOMIC_SEQ_CST);
		__atomic_add_fetch(&sh->calls, 1, __ATOMIC_SEQ_CST);
	}
}

/* SIGKILL @pid now; how long until it is reaped, in ns. */
static long long kill_and_reap(pid_t pid)
{
	long long t0 = now_ns();

	kill(pid, SIGKILL);
	if (waitpid(pid, NULL, 0) != pid)
		return -1;
	return now_ns() - t0;
}

static void sleep_ns(long long ns)
{
	struct timespec ts = { .tv_sec = ns / 1000000000LL, .tv_nsec = ns % 1000000000LL };

	nanosleep(&ts, NULL);
}

FIXTURE(kill) {
	pid_t target;
	struct kill_shared *sh;
	unsigned int seed;
};

FIXTURE_SETUP(kill)
{
	int fds[2];
	char c;

	if (access(VMATLAS_TEST_DEVICE, F_OK))
		SKIP(return, "/dev/vmatlas missing");
	self->seed = now_ns();
	self->sh = mmap(NULL, sizeof(*self->sh), PROT_READ | PROT_WRITE,
			MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->sh);
	ASSERT_EQ(0, pipe(fds));
	self->target = fork();
	ASSERT_LE(0, self->target);
	if (self->target == 0) {
		close(fds[0]);
		target_main(fds[1]);
	}
	close(fds[1]);
	ASSERT_EQ(1, read(fds[0], &c, 1)) TH_LOG("the target could not map its memory");
	close(fds[0]);
}

FIXTURE_TEARDOWN(kill)
{
	if (self->target > 0) {
		kill(self->target, SIGKILL);
		waitpid(self->target, NULL, 0);
	}
}

TEST_F_TIMEOUT(kill, walker_killed_mid_walk_is_reaped_within_a_second, 280)
{
	int how, round, debugfs = !access(VMATLAS_TEST_DEBUGFS "/maps", R_OK);
	char pid[16];

	snprintf(pid, sizeof(pid), "%d", self->target);
	if (debugfs)
		ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/pid", pid));
	for (how = 0; how < W_MAX; how++) {
		long long worst = 0, mean = 0;
		int mid = 0;

		if (how >= W_DBG_MAPS && !debugfs) {
			ksft_print_msg("%s: no debugfs views, not tested\n", walk_names[how]);
			continue;
		}
		for (round = 0; round < ROUNDS; round++) {
			long long deadline = now_ns() + 60 * 1000000000LL, dt;
			pid_t walker;

			memset(self->sh, 0, sizeof(*self->sh));
			walker = fork();
			ASSERT_LE(0, walker);
			if (walker == 0)
				walker_main(self->sh, self->target, how);
			/* One whole walk first, to know how long one takes. */
			while (!__atomic_load_n(&self->sh->calls, __ATOMIC_SEQ_CST) &&
			       now_ns() < deadline && !waitpid(walker, NULL, WNOHANG))
				usleep(1000);
			ASSERT_LT(0, self->sh->calls) TH_LOG("%s: no walk finished",
							     walk_names[how]);
			mean = self->sh->ns / self->sh->calls;
			sleep_ns(rand_r(&self->seed) % (mean + 1));
			mid += __atomic_load_n(&self->sh->in_call, __ATOMIC_SEQ_CST);
			dt = kill_and_reap(walker);
			ASSERT_LE(0, dt);
			EXPECT_GT(LIMIT_NS, dt) TH_LOG("%s: reaped %lld ms after SIGKILL",
						       walk_names[how], dt / 1000000);
			if (dt > worst)
				worst = dt;
		}
		ksft_print_msg("%-15s walk %5lld ms; %d of %d kills mid-walk; reaped in %lld ms\n",
			       walk_names[how], mean / 1000000, mid, ROUNDS, worst / 1000000);
		/* A kill between walks proves nothing: most must land inside one. */
		EXPECT_LE(ROUNDS / 2, mid) TH_LOG("%s: the walker was seldom inside a walk",
						  walk_names[how]);
	}
}

/* Start the tool with @cmd on the target, its output thrown away. */
static pid_t spawn_tool(const char *cmd, pid_t target)
{
	posix_spawn_file_actions_t fa;
	char pid[16], *argv[4];
	pid_t child;
	int ret;

	snprintf(pid, sizeof(pid), "%d", target);
	argv[0] = (char *)vmatlas_tool();
	argv[1] = (char *)cmd;
	argv[2] = pid;
	argv[3] = NULL;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
	ret = posix_spawnp(&child, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	return ret ? -1 : child;
}

TEST_F_TIMEOUT(kill, tool_killed_mid_walk_is_reaped_within_a_second, 280)
{
	static const char *const cmds[] = { "maps", "ptdump" };
	size_t i;
	int round;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		long long t0 = now_ns(), full, first, worst = 0;
		int status, mid = 0, runs = 0;
		pid_t tool = spawn_tool(cmds[i], self->target);

		ASSERT_LT(0, tool) TH_LOG("cannot run %s", vmatlas_tool());
		ASSERT_EQ(tool, waitpid(tool, &status, 0));
		full = now_ns() - t0;
		first = full;
		ASSERT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
			TH_LOG("vmatlas %s %d failed: %#x", cmds[i], self->target, status);
		/* ROUNDS kills that land mid-run, out of at most three times as many runs. */
		for (round = 0; mid < ROUNDS && round < 3 * ROUNDS; round++) {
			long long dt;

			tool = spawn_tool(cmds[i], self->target);
			ASSERT_LT(0, tool);
			runs++;
			/* Somewhere in the middle of what a whole run takes. */
			sleep_ns(full / 5 + rand_r(&self->seed) % (full * 3 / 5 + 1));
			if (waitpid(tool, &status, WNOHANG) == tool) {
				/* Faster than the first, cold run: aim earlier. */
				full = full * 2 / 3;
				continue;
			}
			mid++;
			dt = kill_and_reap(tool);
			ASSERT_LE(0, dt);
			EXPECT_GT(LIMIT_NS, dt) TH_LOG("vmatlas %s: reaped %lld ms after SIGKILL",
						       cmds[i], dt / 1000000);
			if (dt > worst)
				worst = dt;
		}
		ksft_print_msg("vmatlas %-6s %5lld ms; %d of %d runs killed mid-run; ",
			       cmds[i], first / 1000000, mid, runs);
		printf("reaped in %lld ms\n", worst / 1000000);
		EXPECT_LE(1, mid) TH_LOG("vmatlas %s always finished before the kill", cmds[i]);
	}
}

TEST_HARNESS_MAIN
