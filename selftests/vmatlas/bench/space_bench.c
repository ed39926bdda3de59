// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas-bench-space: the cost of looking at an address space, vmatlas
 * beside the kernel's own interfaces, in one boot.
 *
 * A target process reserves a large range, splits it into many VMAs and
 * touches pages spread over them; each benchmark then times vmatlas and its
 * anchor on that same target, interleaved round by round, and prints the
 * medians and the ratio (vmatlas / anchor) with its minimum and maximum
 * over the rounds. Before timing anything it checks that both sides agree
 * (resident pages, VMA count): a fast wrong answer is not a result.
 *
 * No thresholds: this is a report ("make bench"); bench_test.sh runs a small
 * one so that it cannot rot.
 *
 * Usage: vmatlas-bench-space [-n VMAS] [-t TOUCH_MIB] [-g RESERVE_GIB] [-r ROUNDS]
 *                            [-o NAME,...]
 * -o runs only the named benchmarks (residency, listing, translate, stall,
 * memory, span): "make bench BENCH=space:stall" runs one in its own boot.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
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

#include <linux/vmatlas.h>

#include "libvmatlas.h"
#include "space_bench.h"

static long page_size;

__u64 bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (__u64)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

void bench_die(const char *what)
{
	fprintf(stderr, "vmatlas-bench-space: %s: %s\n", what, strerror(errno));
	exit(1);
}

/*
 * The target: @nvmas read-write VMAs, each followed by a PROT_NONE gap, in a
 * reservation of @reserve bytes at @hint (0: anywhere); @touch bytes written,
 * spread evenly over the read-write VMAs. The reservation's start comes back
 * in @base once all is touched; the target then waits to be killed. With
 * @stall, a thread of it maps and unmaps as space_stall.c asks.
 */
pid_t bench_spawn_target(unsigned long nvmas, unsigned long long reserve,
			 unsigned long long touch, void *hint, unsigned long *base,
			 struct bench_stall *stall)
{
	pthread_t thread;
	int fds[2];
	pid_t pid;

	if (pipe(fds))
		bench_die("pipe");
	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (!pid) {
		unsigned long long stride = reserve / nvmas / page_size * page_size;
		unsigned long long per_vma = touch / nvmas;
		unsigned long i, off;
		char *r;

		/* Gone with the benchmark, whatever ends it; quiet meanwhile. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(fds[0]);
		dup2(open("/dev/null", O_WRONLY), 1);
		dup2(1, 2);
		r = mmap(hint, reserve, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
			 (hint ? MAP_FIXED_NOREPLACE : 0), -1, 0);
		if (r == MAP_FAILED)
			_exit(2);
		/* Base pages only: a THP would make one touched byte 2 MiB. */
		madvise(r, reserve, MADV_NOHUGEPAGE);
		for (i = 0; i < nvmas; i++) {
			char *v = r + i * stride;

			/* Half of each stride read-write: a VMA and a gap. */
			if (mprotect(v, stride / 2 / page_size * page_size, PROT_READ | PROT_WRITE))
				_exit(3);
			for (off = 0; off < per_vma; off += page_size)
				v[off] = 1;
		}
		if (stall && pthread_create(&thread, NULL, bench_stall_thread, stall))
			_exit(5);
		if (write(fds[1], &r, sizeof(r)) != sizeof(r))
			_exit(4);
		pause();
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], base, sizeof(*base)) != sizeof(*base)) {
		int st;

		waitpid(pid, &st, 0);
		errno = ENOMEM;
		bench_die("the target could not map its reservation");
	}
	close(fds[0]);
	return pid;
}

void bench_kill_target(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

static int noop_vma(const struct vmatlas_vma *vma, const char *name, void *priv)
{
	return 0;
}

static int noop_run(const struct vmatlas_run *run, void *priv)
{
	return 0;
}

/*
 * Everything vmatlas can read of @pid, once: VMAS with residency, then
 * PTDUMP of [@start, @end). 0 or a negative errno.
 */
int bench_walk_all(int dev, pid_t pid, unsigned long start, unsigned long end)
{
	unsigned int out_flags;
	int ret;

	ret = vmatlas_list_vmas(dev, pid, true, noop_vma, NULL);
	if (!ret)
		ret = vmatlas_list_runs(dev, pid, start, end, 0, noop_run, NULL, &out_flags);
	return ret;
}

/* Run @argv with stdout to /dev/null; its wall time in ns, or 0 if it failed. */
__u64 bench_run_quiet(char *const argv[])
{
	posix_spawn_file_actions_t fa;
	__u64 t0, t;
	pid_t pid;
	int st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	t0 = bench_now_ns();
	if (posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		return 0;
	}
	waitpid(pid, &st, 0);
	t = bench_now_ns() - t0;
	posix_spawn_file_actions_destroy(&fa);
	return WIFEXITED(st) && !WEXITSTATUS(st) ? t : 0;
}

static int cmp_u64(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/*
 * Time @b->vmatlas and @b->anchor @rounds times, interleaved, and print one
 * line: the medians and the ratio's median, minimum and maximum.
 */
void bench_pair(const struct bench *b, void *ctx, int rounds)
{
	__u64 v[BENCH_MAX_ROUNDS], a[BENCH_MAX_ROUNDS];
	int i;

	for (i = 0; i < rounds; i++) {
		v[i] = b->vmatlas(ctx);
		a[i] = b->anchor(ctx);
		if (!v[i] || !a[i]) {
			printf("%-34s FAILED (%s)\n", b->name, !v[i] ? "vmatlas" : "anchor");
			return;
		}
	}
	bench_report(b->name, b->anchor_name, v, a, rounds);
}

/*
 * One line for @rounds pairs of times in ns (both sorted on return): the
 * medians and the ratio's median, minimum and maximum.
 */
void bench_report(const char *name, const char *anchor_name, __u64 *v, __u64 *a, int rounds)
{
	double ratio[BENCH_MAX_ROUNDS];
	int i;

	for (i = 0; i < rounds; i++)
		ratio[i] = (double)v[i] / a[i];
	qsort(v, rounds, sizeof(v[0]), cmp_u64);
	qsort(a, rounds, sizeof(a[0]), cmp_u64);
	qsort(ratio, rounds, sizeof(ratio[0]), cmp_double);
	printf("%-34s %10.3f ms  %-22s %10.3f ms  %6.2fx (%.2f-%.2f)\n", name,
	       v[rounds / 2] / 1e6, anchor_name, a[rounds / 2] / 1e6,
	       ratio[rounds / 2], ratio[0], ratio[rounds - 1]);
	fflush(stdout);
}

static const char usage_text[] =
	"usage: vmatlas-bench-space [-n VMAS] [-t TOUCH_MIB] [-g RESERVE_GIB] [-r ROUNDS]\n"
	"                           [-o residency,listing,translate,stall,memory,span]\n";

/* The benchmarks on the target, in the order they run; bench_span() makes its own. */
static const struct {
	const char *name;
	int (*run)(struct bench_target *t, int rounds);
} benches[] = {
	{ "residency", bench_residency },
	{ "listing", bench_listing },
	{ "translate", bench_translate },
	{ "stall", bench_stall },
	{ "memory", bench_memory },
	{ "span", NULL },
};

#define BENCH_ALL	((1u << ARRAY_SIZE(benches)) - 1)

/* -o's comma-separated names as a mask of benches[]; 0 if one is unknown. */
static unsigned int bench_parse_only(char *list)
{
	unsigned int mask = 0, i;
	char *name, *save;

	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < ARRAY_SIZE(benches); i++)
			if (!strcmp(name, benches[i].name))
				break;
		if (i == ARRAY_SIZE(benches))
			return 0;
		mask |= 1u << i;
	}
	return mask;
}

int main(int argc, char **argv)
{
	unsigned long nvmas = 5000, base;
	unsigned long long touch = 256ULL << 20, reserve = 64ULL << 30;
	struct bench_target t = {};
	unsigned int only = BENCH_ALL, i;
	int rounds = 5, c, ret = 0;
	pid_t pid;

	page_size = sysconf(_SC_PAGESIZE);
	/* A 32-bit process has 3 GiB: a smaller sketch of the same. */
	if (sizeof(long) < 8)
		reserve = 1ULL << 30;
	while ((c = getopt(argc, argv, "n:t:g:r:o:")) != -1) {
		switch (c) {
		case 'n':
			nvmas = strtoul(optarg, NULL, 0);
			break;
		case 't':
			touch = strtoull(optarg, NULL, 0) << 20;
			break;
		case 'g':
			reserve = strtoull(optarg, NULL, 0) << 30;
			break;
		case 'r':
			rounds = atoi(optarg);
			break;
		case 'o':
			only = bench_parse_only(optarg);
			break;
		default:
			fputs(usage_text, stderr);
			return 2;
		}
	}
	if (!only || !nvmas || !touch || rounds < 1 || rounds > BENCH_MAX_ROUNDS ||
	    reserve / nvmas < 2 * (unsigned long long)page_size ||
	    touch / nvmas > reserve / nvmas / 2) {
		fputs(usage_text, stderr);
		return 2;
	}

	t.dev = vmatlas_open();
	if (t.dev < 0) {
		fprintf(stderr, "vmatlas-bench-space: %s\n", vmatlas_strerror());
		return 1;
	}
	t.page_size = page_size;

	/* Before fork(): the target's mapping thread writes here. */
	t.stall = mmap(NULL, sizeof(*t.stall), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (t.stall == MAP_FAILED)
		bench_die("mmap");
	pid = bench_spawn_target(nvmas, reserve, touch, NULL, &base, t.stall);
	t.pid = pid;
	t.base = base;
	t.nvmas = nvmas;
	t.touch = touch;
	t.stride = reserve / nvmas / page_size * page_size;
	printf("space benchmark: %lu read-write VMAs with gaps in %llu GiB, %llu MiB touched; ",
	       nvmas, reserve >> 30, touch >> 20);
	printf("medians of %d interleaved rounds\n", rounds);
	printf("%-34s %13s  %-22s %13s  %s\n", "benchmark", "vmatlas", "anchor", "",
	       "ratio (min-max)");
	for (i = 0; i < ARRAY_SIZE(benches) && !ret; i++)
		if ((only & (1u << i)) && benches[i].run)
			ret = benches[i].run(&t, rounds);
	bench_kill_target(pid);
	if (ret)
		return 1;
	return only & (1u << (ARRAY_SIZE(benches) - 1)) ? bench_span(&t, rounds) : 0;
}
