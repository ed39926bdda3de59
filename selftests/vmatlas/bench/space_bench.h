/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmatlas-bench-space: what its benchmarks share (space_bench.c) and the
 * benchmarks themselves (space_cases.c).
 */
#ifndef _VMATLAS_SPACE_BENCH_H
#define _VMATLAS_SPACE_BENCH_H

#include <linux/types.h>
#include <stdint.h>
#include <sys/types.h>

#define BENCH_MAX_ROUNDS	64
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * A thread of the target that maps and unmaps a page in a loop and times
 * each pair, by phase (space_stall.c); shared memory, set up before fork().
 */
#define STALL_IDLE	0
#define STALL_ALONE	1	/* record: nobody walks the target */
#define STALL_WALKED	2	/* record: vmatlas walks it meanwhile */
#define STALL_LISTED	3	/* record: VMAS without residency, again and again */
#define STALL_SMAPS	4	/* record: /proc/PID/smaps read again and again */
#define STALL_MAPS	5	/* record: /proc/PID/maps read again and again */
#define STALL_BUSY	6	/* record: a loop keeps another CPU busy */
#define STALL_PHASES	7
#define STALL_MAX	65536

struct bench_stall {
	int phase;			/* STALL_*, __atomic */
	unsigned int n[STALL_PHASES];	/* samples of each phase */
	__u64 ns[STALL_PHASES][STALL_MAX];
};

/* The process under study, as bench_spawn_target() made it. */
struct bench_target {
	int dev;			/* /dev/vmatlas */
	pid_t pid;
	unsigned long base;		/* start of the reservation */
	unsigned long nvmas;		/* read-write VMAs, each followed by a gap */
	unsigned long long stride;	/* a VMA and its gap */
	unsigned long long touch;	/* bytes written, spread over the VMAs */
	long page_size;
	struct bench_stall *stall;	/* the target's mapping thread, or NULL */
};

/* One comparison: two timed runs of the same question, in ns (0: failed). */
struct bench {
	const char *name;		/* what vmatlas does */
	const char *anchor_name;	/* what it is compared with */
	__u64 (*vmatlas)(void *ctx);
	__u64 (*anchor)(void *ctx);
};

__u64 bench_now_ns(void);
void bench_die(const char *what);
__u64 bench_run_quiet(char *const argv[]);
void bench_pair(const struct bench *b, void *ctx, int rounds);
void bench_report(const char *name, const char *anchor_name, __u64 *v, __u64 *a, int rounds);
pid_t bench_spawn_target(unsigned long nvmas, unsigned long long reserve,
			 unsigned long long touch, void *hint, unsigned long *base,
			 struct bench_stall *stall);
void bench_kill_target(pid_t pid);
int bench_walk_all(int dev, pid_t pid, unsigned long start, unsigned long end);

/* The benchmarks; each returns 0, or -1 if the two sides disagree. */
int bench_residency(struct bench_target *t, int rounds);
int bench_listing(struct bench_target *t, int rounds);
int bench_translate(struct bench_target *t, int rounds);
int bench_span(struct bench_target *t, int rounds);
int bench_stall(struct bench_target *t, int rounds);
int bench_memory(struct bench_target *t, int rounds);

/* space_stall.c: the loop the target's thread runs */
void *bench_stall_thread(void *arg);

#endif /* _VMATLAS_SPACE_BENCH_H */
