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
 * shows here. The kernel's own interfaces read the same way are the
 * controls: /proc/PID/smaps (the same answer as the walk) and maps (as VMAS
 * without residency), each of them read again and again for as long.
 *
 * Then a walker is killed at a random moment of its walk, several times:
 * the time from SIGKILL until it is reaped says whether the walk honours
 * fatal signals.
 */
#include <errno.h>
#include <fcntl.h>
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
static int spin(const struct bench_target *t, __u64 ns)
{
	__u64 t0 = bench_now_ns();

	while (bench_now_ns() - t0 < ns)
		;
	return 0;
}

/* The whole of vmatlas's view: VMAS with residency, PTDUMP of the reservation. */
static int walk(const struct bench_target *t, __u64 ns)
{
	return bench_walk_all(t->dev, t->pid, t->base, t->base + t->nvmas * t->stride);
}

static int noop_vma(const struct vmatlas_vma *vma, const char *name, void *priv)
{
	return 0;
}

static int list(const struct bench_target *t, __u64 ns)
{
	return vmatlas_list_vmas(t->dev, t->pid, false, noop_vma, NULL);
}

/* Read /proc/PID/@file to its end, as cat does. */
static int read_proc(const struct bench_target *t, const char *file)
{
	static char buf[1 << 16];
	char path[64];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/%s", t->pid, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		;
	close(fd);
	return n ? -EIO : 0;
}

static int smaps(const struct bench_target *t, __u64 ns)
{
	return read_proc(t, "smaps");
}

static int maps(const struct bench_target *t, __u64 ns)
{
	return read_proc(t, "maps");
}

/*
 * What runs beside the target in each phase, again and again until the
 * phase has lasted as long as the walked one. Under QEMU TCG with one host
 * thread for all vCPUs, a busy CPU alone slows the target: the busy loop is
 * that part by itself.
 */
static int (*const beside[STALL_PHASES])(const struct bench_target *t, __u64 ns) = {
	[STALL_WALKED] = walk,
	[STALL_LISTED] = list,
	[STALL_SMAPS] = smaps,
	[STALL_MAPS] = maps,
	[STALL_BUSY] = spin,
};

/*
 * One round: walked for STALL_WINDOW_NS at least, and at least one whole
 * walk; then each other phase for as long, alone by sleeping. The p99 of
 * each phase in @p99s, @p50s, or -1 on failure.
 */
static int stall_round(const struct bench_target *t, __u64 *p99s, __u64 *p50s, __u64 *walk_ns,
		       unsigned int *samples)
{
	static const int order[] = { STALL_WALKED, STALL_ALONE, STALL_LISTED, STALL_SMAPS,
				      STALL_MAPS, STALL_BUSY };
	struct bench_stall *s = t->stall;
	__u64 window = STALL_WINDOW_NS;
	unsigned int i;
	int ph, ret = 0;

	memset(s->n, 0, sizeof(s->n));
	*walk_ns = 0;
	for (i = 0; i < ARRAY_SIZE(order) && !ret; i++) {
		__u64 t0 = bench_now_ns();

		ph = order[i];
		stall_phase(s, ph);
		if (ph == STALL_ALONE) {
			usleep(window / 1000);
			continue;
		}
		do {
			__u64 w0 = bench_now_ns();

			ret = beside[ph](t, window);
			if (ph == STALL_WALKED && !*walk_ns)
				*walk_ns = bench_now_ns() - w0;
		} while (!ret && bench_now_ns() - t0 < window);
		if (ph == STALL_WALKED)
			window = bench_now_ns() - t0;
	}
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
		p50s[ph] = s->ns[ph][s->n[ph] / 2];
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

/* bench_report() for two phases' figures, which it sorts: on copies. */
static void stall_report(const char *name, const char *anchor_name, __u64 (*v)[BENCH_MAX_ROUNDS],
			 int vph, int aph, int rounds)
{
	__u64 a[BENCH_MAX_ROUNDS], b[BENCH_MAX_ROUNDS];

	memcpy(a, v[vph], sizeof(a));
	memcpy(b, v[aph], sizeof(b));
	bench_report(name, anchor_name, a, b, rounds);
}

int bench_stall(struct bench_target *t, int rounds)
{
	__u64 p99s[STALL_PHASES][BENCH_MAX_ROUNDS], p50s[STALL_PHASES][BENCH_MAX_ROUNDS];
	unsigned int samples[STALL_PHASES] = { 0 }, seed = t->pid;
	__u64 walk_ns = 0, p[STALL_PHASES], m[STALL_PHASES], kills[STALL_KILLS];
	int i, ph;

	for (i = 0; i < rounds; i++) {
		if (stall_round(t, p, m, &walk_ns, samples)) {
			printf("%-34s FAILED: %s\n", "stall: mmap+munmap p99, walked",
			       strerror(errno));
			return -1;
		}
		for (ph = STALL_ALONE; ph < STALL_PHASES; ph++) {
			p99s[ph][i] = p[ph];
			p50s[ph][i] = m[ph];
		}
	}
	printf("# stall: %u mmap+munmap pairs while walked, %u alone, %u while listed, ",
	       samples[STALL_WALKED], samples[STALL_ALONE], samples[STALL_LISTED]);
	printf("%u beside smaps, %u beside maps, %u beside a busy CPU; one whole walk %.3f ms\n",
	       samples[STALL_SMAPS], samples[STALL_MAPS], samples[STALL_BUSY], walk_ns / 1e6);
	stall_report("stall: mmap+munmap p99, walked", "p99, not walked", p99s, STALL_WALKED,
		     STALL_ALONE, rounds);
	stall_report("stall: mmap+munmap p99, walked", "p99, smaps read", p99s, STALL_WALKED,
		     STALL_SMAPS, rounds);
	stall_report("stall: mmap+munmap p99, listed", "p99, maps read", p99s, STALL_LISTED,
		     STALL_MAPS, rounds);
	stall_report("stall: mmap+munmap p99, walked", "p99, busy CPU beside", p99s,
		     STALL_WALKED, STALL_BUSY, rounds);
	stall_report("stall: mmap+munmap p50, walked", "p50, not walked", p50s, STALL_WALKED,
		     STALL_ALONE, rounds);
	stall_report("stall: mmap+munmap p50, smaps read", "p50, not walked", p50s, STALL_SMAPS,
		     STALL_ALONE, rounds);

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
