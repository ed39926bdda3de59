/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between race_test.c (the walkers) and race/target.c (what they walk).
 */
#ifndef _VMATLAS_RACE_H
#define _VMATLAS_RACE_H

#include <sys/types.h>

/* What the target did, and where, in memory it shares with the test. */
enum { OP_MAP, OP_SPLIT, OP_THP, OP_COLLAPSED, OP_HUGETLB, OP_PAGEOUT, OP_FORK, OP_MAX };
extern const char *const op_names[OP_MAX];

struct race_shared {
	pid_t fork_child;		/* the target's latest short-lived child */
	int nregions;
	unsigned long long start[8], len[8];
	unsigned long long ops[OP_MAX];
	int hugetlb_pud;		/* the hugetlb mapping spans an aligned PUD */
};

/* Mapped shared before the fork: the test reads what the target wrote. */
extern struct race_shared *sh;

/* The target: tells @ready when its regions are published, then churns. */
void target_main(int ready);

#endif /* _VMATLAS_RACE_H */
