/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmatlas explain: scenarios that make a claim of the lecture notes happen
 * on this kernel, tell it with this kernel's numbers, and check it.
 */
#ifndef _VMATLAS_EXPLAIN_H
#define _VMATLAS_EXPLAIN_H

#include <stdbool.h>
#include <sys/types.h>

#include "snapshot.h"

struct story {
	int fd;				/* /dev/vmatlas */
	unsigned long long page_size;
	unsigned int checks, failed;
};

struct scenario {
	const char *name;
	const char *claim;		/* what the notes say, in a line */
	int (*run)(struct story *st);	/* 0, or a negative errno (setup failed) */
};

extern const struct scenario scenario_lazy;

/* A line of the story; a check of the claim, said as it went. */
__attribute__((format(printf, 2, 3)))
void story_say(struct story *st, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
bool story_check(struct story *st, bool holds, const char *fmt, ...);

/*
 * A child to act out a scenario: it runs @fn(@arg, cmd) for each command
 * byte story_child_do() sends, and answers with the 64-bit value @fn
 * returns. @fn(arg, 0) runs once at the start.
 */
struct story_child {
	pid_t pid;
	int cmd, ack;
};

int story_child_start(struct story_child *c,
		      unsigned long long (*fn)(void *arg, char cmd), void *arg,
		      unsigned long long *first);
int story_child_do(struct story_child *c, char cmd, unsigned long long *answer);
void story_child_stop(struct story_child *c);

/* Pages of @s in [@start, @end) in @state, and runs of @leaf_size there. */
unsigned long long story_pages(const struct snapshot *s, unsigned long long start,
			       unsigned long long end, enum snap_state state,
			       unsigned long long leaf_size);

/* The minor faults of this process so far (getrusage()), for children. */
unsigned long long story_minflt(void);

#endif /* _VMATLAS_EXPLAIN_H */
