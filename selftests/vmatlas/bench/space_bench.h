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

/* The process under study, as bench_spawn_target() made it. */
struct bench_target {
	int dev;			/* /dev/vmatlas */
	pid_t pid;
	unsigned long base;		/* start of the reservation */
	unsigned long nvmas;		/* read-write VMAs, each followed by a gap */
	unsigned long long stride;	/* a VMA and its gap */
	unsigned long long touch;	/* bytes written, spread over the VMAs */
	long page_size;
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
pid_t bench_spawn_target(unsigned long nvmas, unsigned long long reserve,
			 unsigned long long touch, void *hint, unsigned long *base);
void bench_kill_target(pid_t pid);

/* The benchmarks; each returns 0, or -1 if the two sides disagree. */
int bench_residency(struct bench_target *t, int rounds);
int bench_listing(struct bench_target *t, int rounds);
int bench_translate(struct bench_target *t, int rounds);
int bench_span(struct bench_target *t, int rounds);

#endif /* _VMATLAS_SPACE_BENCH_H */
