/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmatlas explain: scenarios that make a claim of the lecture notes happen
 * on this kernel, tell it with this kernel's numbers, and check it.
 */
#ifndef _VMATLAS_EXPLAIN_H
#define _VMATLAS_EXPLAIN_H

#include <stdbool.h>
#include <sys/types.h>

#include <json-c/json.h>

#include "snapshot.h"

struct story {
	int fd;				/* /dev/vmatlas */
	unsigned long long page_size;
	unsigned int checks, failed;
	char why[160];			/* why the scenario could not run, if it says */
	const char *untraced;		/* why story_do_traced() had no trace */
	char **args;			/* what followed NAME, if the scenario takes it */
	int nargs;
	struct json_object *lines;	/* what it said, until the story ends */
};

struct scenario {
	const char *name;
	const char *claim;		/* what the notes say, in a line */
	const char *args_doc;		/* what it takes after its name, or NULL */
	/* If set: whether it can run here, before it prints a thing; -errno and st->why. */
	int (*ready)(struct story *st);
	int (*run)(struct story *st);	/* 0, or a negative errno (setup failed) */
};

extern const struct scenario scenario_lazy;
extern const struct scenario scenario_cow;
extern const struct scenario scenario_threads;
extern const struct scenario scenario_stack;
extern const struct scenario scenario_brk;
extern const struct scenario scenario_shared;
extern const struct scenario scenario_swap;
extern const struct scenario scenario_thp;
extern const struct scenario scenario_kernel;
extern const struct scenario scenario_highmem;
extern const struct scenario scenario_elf;
extern const struct scenario scenario_segments;

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

/* The VMA of @s that holds @addr, or NULL. */
const struct snap_vma *story_vma_at(const struct snapshot *s, unsigned long long addr);

/* The first VMA of @s of @kind (VMATLAS_KIND_*), or NULL. */
const struct snap_vma *story_vma_kind(const struct snapshot *s, unsigned int kind);

/* @err, from a libvmatlas call: if not 0, its message goes to st->why. */
int story_lib(struct story *st, int err);

/* What the page tables say of one page of a process. */
struct story_page {
	bool present, writable, swapped;
	unsigned long long pfn, leaf_size;	/* present */
	unsigned long long swap_offset;		/* swapped */
	unsigned int swap_type;
	int mapcount;				/* present, with a struct page; else -1 */
	unsigned long long pg_flags;		/* VMATLAS_PG_* */
};

/*
 * Walk @addr of @pid. Frames are what the scenarios show: without them (not
 * CAP_SYS_ADMIN) this fails with -EPERM and says so in st->why.
 */
int story_page(struct story *st, pid_t pid, unsigned long long addr, struct story_page *p);

/*
 * The fault trace of one process of a scenario, where this vmatlas has BPF:
 * started before the scenario acts, stopped after. Start returns 0, or
 * -EOPNOTSUPP (no BPF in this build, or it could not attach here); stop
 * returns the tracer's document (as "vmatlas faults --json --events"), or
 * NULL. The caller puts the document.
 */
struct story_trace {
	pid_t pid;
	int out;
};

int story_trace_start(struct story_trace *t, pid_t pid);
struct json_object *story_trace_stop(struct story_trace *t);

/*
 * story_child_do(@c, @cmd) with the faults of @pid traced, where this
 * vmatlas can: *@doc is the trace, or NULL and story_untraced() says why.
 */
int story_do_traced(struct story *st, struct story_child *c, char cmd, pid_t pid,
		    unsigned long long *answer, struct json_object **doc);
void story_untraced(struct story *st);

/*
 * A check of what the trace saw: @holds, with @got of the @want faults
 * traced. Where the kernel skipped the tracer (BPF's recursion guard, on a
 * preemptible kernel: the document's "missed") and that explains the ones
 * not seen, it is said, and is no failure of the claim.
 */
__attribute__((format(printf, 6, 7)))
void story_check_traced(struct story *st, struct json_object *doc, bool holds, unsigned int want,
			unsigned int got, const char *fmt, ...);

/* Events of @doc at [@start, @end) of @class (NULL: any). */
unsigned int story_trace_count(struct json_object *doc, unsigned long long start,
			       unsigned long long end, const char *class);

/* The THP mode in force ("always", "madvise", "never"), "" if not built in. */
void story_thp_mode(char *buf, size_t len);

/* The minor faults of this process so far (getrusage()), for children. */
unsigned long long story_minflt(void);

#endif /* _VMATLAS_EXPLAIN_H */
