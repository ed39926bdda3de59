// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas-bench-space: does the target keep running while it is looked at?
 *
 * A thread of the target maps and unmaps one page in a loop (mmap() and
 * munmap() both take its mmap lock for writing) and times each pair. Round
 * by round, the benchmark first walks the target in full for a while (VMAS
 * with residency, then PTDUMP of the whole reservation, again and again),
 * then leaves it alone for as long; the thread's 99th percentile with the
 * walker against without is the cost the walk imposes on the process. A
 * walker that holds the lock for long, or does not let a waiting writer in,
 * shows here.
 *
 * Then a walker is killed at a random moment of its walk, several times:
 * the time from SIGKILL until it is reaped says whether the walk honours
 * fatal signals.
 */
#include <errno.h>
#include <linux/futex.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "libvmatlas.h"
#include "space_bench.h"

/* A window lasts at least this long, and at least one whole walk. */
#define STALL_WINDOW_NS	500000000ULL
#define STALL_KILLS	10

void *bench_stall_thread(void *arg)
{
	struct bench_stall *s = arg;
	long page = sysconf(_SC_PAGESIZE);

	for (;;) {
		int ph = __atomic_load_n(&s->phase, __ATOMIC_ACQUIRE);
		__u64 t0;
		void *p;

		/* Asleep until a phase begins: no wakeups to disturb the others. */
		if (ph == STALL_IDLE) {
			syscall(SYS_futex, &s->phase, FUTEX_WAIT, STALL_IDLE, NULL, NULL, 0);
			continue;
		}
		t0 = bench_now_ns();
		p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			munmap(p, page);
		if (s->n[ph] < STALL_MAX)
			s->ns[ph][s->n[ph]++] = bench_now_ns() - t0;
	}
	return NULL;
}

static int cmp_ns(const void *a, const void *b)
{
	__u64 x = *(const __u64 *)a, y = *(const __u64 *)b;

	return x < y ? -1 : x > y;
}

/* The 99th percentile of a phase's samples (sorted in place); 0 if none. */
static __u64 p99(struct bench_stall *s, int ph)
{
	unsigned int n = s->n[ph];

	if (!n)
		return 0;
	qsort(s->ns[ph], n, sizeof(s->ns[ph][0]), cmp_ns);
	return s->ns[ph][n * 99 / 100];
}

static void stall_phase(struct bench_stall *s, int ph)
{
	__atomic_store_n(&s->phase, ph, __ATOMIC_RELEASE);
	/* Shared between two processes: not a FUTEX_PRIVATE_FLAG futex. */
	syscall(SYS_futex, &s->phase, FUTEX_WAKE, 1, NULL, NULL, 0);
}

/* Keep this CPU busy for @ns, touching nothing the target shares. */
static void spin(__u64 ns)
{
	__u64 t0 = bench_now_ns();

	while (bench_now_ns() - t0 < ns)
		;
}

/*
 * One round: walked, then alone as long, then beside a busy loop as long
 * (under QEMU TCG all vCPUs share one host thread, so a walker also slows the
 * target by the CPU it takes: the busy loop is that part alone). The p99 of
 * each phase in @p99 (STALL_*), or -1 on failure.
 */
static int stall_round(const struct bench_target *t, __u64 *p99s, __u64 *walk_ns,
		       unsigned int *samples)
{
	struct bench_stall *s = t->stall;
	__u64 t0, dt;
	int ph, ret;

	memset(s->n, 0, sizeof(s->n));
	*walk_ns = 0;
	t0 = bench_now_ns();
	stall_phase(s, STALL_WALKED);
	do {
		__u64 w0 = bench_now_ns();

		ret = bench_walk_all(t->dev, t->pid, t->base, t->base + t->nvmas * t->stride);
		if (!*walk_ns)
			*walk_ns = bench_now_ns() - w0;
	} while (!ret && bench_now_ns() - t0 < STALL_WINDOW_NS);
	dt = bench_now_ns() - t0;
	stall_phase(s, STALL_ALONE);
	usleep(dt / 1000);
	stall_phase(s, STALL_BUSY);
	spin(dt);
	stall_phase(s, STALL_IDLE);
	/* Let a pair in flight land before reading. */
	usleep(20000);
	if (ret) {
		errno = -ret;
		return -1;
	}
	for (ph = STALL_ALONE; ph < STALL_PHASES; ph++) {
		samples[ph] += s->n[ph];
		p99s[ph] = p99(s, ph);
		if (!p99s[ph])
			return -1;
	}
	return 0;
}

/* Kill a walker at a random moment of its walk: ns from kill() to reaped. */
static __u64 kill_walker(const struct bench_target *t, __u64 walk_ns, unsigned int *seed)
{
	__u64 t0;
	pid_t pid;
	int st;

	pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (!pid) {
		while (!bench_walk_all(t->dev, t->pid, t->base, t->base + t->nvmas * t->stride))
			;
		_exit(1);
	}
	usleep(walk_ns / 1000 / 4 + rand_r(seed) % (walk_ns / 1000 + 1));
	t0 = bench_now_ns();
	kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) != pid || !WIFSIGNALED(st))
		return 0;
	return bench_now_ns() - t0;
}

int bench_stall(struct bench_target *t, int rounds)
{
	__u64 p99s[STALL_PHASES][BENCH_MAX_ROUNDS], kills[STALL_KILLS], walked[BENCH_MAX_ROUNDS];
	unsigned int samples[STALL_PHASES] = { 0 }, seed = t->pid;
	__u64 walk_ns = 0, p[STALL_PHASES];
	int i, ph;

	for (i = 0; i < rounds; i++) {
		if (stall_round(t, p, &walk_ns, samples)) {
			printf("%-34s FAILED: %s\n", "stall: mmap+munmap p99, walked",
			       strerror(errno));
			return -1;
		}
		for (ph = STALL_ALONE; ph < STALL_PHASES; ph++)
			p99s[ph][i] = p[ph];
	}
	printf("# stall: %u mmap+munmap pairs while walked, %u alone, %u beside a busy CPU; ",
	       samples[STALL_WALKED], samples[STALL_ALONE], samples[STALL_BUSY]);
	printf("one whole walk %.3f ms\n", walk_ns / 1e6);
	/* bench_report() sorts what it is given. */
	memcpy(walked, p99s[STALL_WALKED], sizeof(walked));
	bench_report("stall: mmap+munmap p99, walked", "p99, not walked", walked,
		     p99s[STALL_ALONE], rounds);
	bench_report("stall: mmap+munmap p99, walked", "p99, busy CPU beside", p99s[STALL_WALKED],
		     p99s[STALL_BUSY], rounds);

	for (i = 0; i < STALL_KILLS; i++) {
		kills[i] = kill_walker(t, walk_ns, &seed);
		if (!kills[i]) {
			printf("%-34s FAILED: the walker did not die of SIGKILL\n", "kill: walker");
			return -1;
		}
	}
	qsort(kills, STALL_KILLS, sizeof(kills[0]), cmp_ns);
	printf("%-34s %10.3f ms  median %.3f ms of %d kills mid-walk (goal: under 1 s)\n",
	       "kill: SIGKILL to reaped, max", kills[STALL_KILLS - 1] / 1e6,
	       kills[STALL_KILLS / 2] / 1e6, STALL_KILLS);
	return 0;
}
