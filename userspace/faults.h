/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page-fault tracer behind "vmatlas faults": load the BPF programs,
 * follow one process or a command, and sum up what was seen as JSON.
 */
#ifndef _VMATLAS_FAULTS_TRACE_H
#define _VMATLAS_FAULTS_TRACE_H

#include <stdbool.h>
#include <sys/types.h>

#include <json-c/json.h>

/* How to attach: the first that works (fentry, kprobe, tracepoint), or one. */
enum faults_attach_opt {
	FAULTS_ATTACH_AUTO,
	FAULTS_ATTACH_FENTRY,
	FAULTS_ATTACH_KPROBE,
	FAULTS_ATTACH_TRACEPOINT,
};

struct faults_opts {
	int pid;		/* trace this process, or */
	char **argv;		/* run and trace this command */
	double duration;	/* seconds, 0 for no limit */
	bool events;		/* report every fault, as it comes: on_event */
	unsigned long ring_size; /* the events' ring buffer, bytes; 0: the default */
	bool progress;		/* a line a second on stderr */
	bool verbose;		/* libbpf's own messages */
	int top;		/* how many addresses and VMAs to list */
	enum faults_attach_opt attach;
	/*
	 * With @events: called with each fault's JSON object (which the
	 * tracer puts afterwards) as it is read from the ring buffer, and
	 * with NULL after each batch read, for the caller to flush.
	 */
	void (*on_event)(struct json_object *event, void *priv);
	void *event_priv;
	/* If set: called once the programs are attached, before the wait. */
	void (*on_ready)(void *priv);
};

/*
 * Trace until the process ends, the duration passes or SIGINT/SIGTERM; fill
 * @doc with the summary (events go to opts->on_event, none are kept).
 * Returns 0, or 1 after printing one line of error (nothing in @doc).
 */
int faults_trace(const struct faults_opts *opts, struct json_object *doc);

/* faults_proc.c: start @argv, traced from its first instruction; pid or -errno. */
pid_t faults_spawn(char **argv);

/* faults_proc.c: gone, or a zombie not yet reaped: it faults no more. */
bool faults_gone(int pid);

struct entry_format;

/*
 * faults_entry.c: the entry format of the running kernel's architecture;
 * 0, or -1 for one the tracer does not know.
 */
int faults_entry_format(struct entry_format *f);

/* faults_entry.c: the format faults_entry_format() filled, for the walk. */
extern struct entry_format faults_fmt;

struct fault_page;

/* faults_entry.c: an event's entry (PTE_* @level), decoded; NULL if unknown. */
struct json_object *faults_pte_json(unsigned int level, unsigned long long pte,
				    const struct fault_page *pg);

/* faults_entry.c: the direct map maps physical 0 at its start (x86-64). */
bool faults_direct_map_at_zero(void);

/*
 * faults_entry.c: arm64, whose do_mem_abort() is handed each abort's
 * syndrome (ESR_EL1); and what the syndrome says, as JSON.
 */
bool faults_has_syndrome(void);
struct json_object *faults_syndrome_json(unsigned long long esr);

struct fault_event;
struct vma_stat;

/* faults_json.c: what kind of VMA (anon, file, heap, stack) @st describes. */
const char *faults_vma_kind(const struct vma_stat *st);

/*
 * faults_json.c: the JSON of one event; @st the per-VMA record of its VMA,
 * or NULL; @timed unless attached with the tracepoint (no outcome, no
 * latency); @syndrome where each carries arm64's ESR. Caller puts it.
 */
struct json_object *faults_event_json(const struct fault_event *e, const struct vma_stat *st,
				      bool timed, bool syndrome);

/* The names of the FC_MMU_* counters, in order. */
extern const char *const faults_mmu_names[];

/* The class names of struct fault_event.class, in order. */
extern const char *const faults_class_names[];

#endif /* _VMATLAS_FAULTS_TRACE_H */
