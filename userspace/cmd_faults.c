// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas faults: the page faults of a process or a command, counted as the
 * kernel counts them, classified, timed and attributed to their VMAs.
 */
#include <argp.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "faults.h"
#include "faults_events.h"
#include "output.h"
#include "parse.h"

static const char faults_doc[] =
"Trace the page faults of a process, or of a command and every process it\n"
"starts, from its first instruction.\n"
"\n"
"USAGE: vmatlas faults [-d SECONDS] [--events [-o COLUMNS] [-b SIZE]] [--json] -p PID\n"
"       vmatlas faults [-d SECONDS] [--events [-o COLUMNS] [-b SIZE]] [--json]\n"
"                      [--] COMMAND [ARG...]\n"
"\n"
"Each fault is counted as the kernel counts minflt and majflt, classified\n"
"(first_touch, page_cache, cow, write_protect, swap_in, major, retry, sigsegv,\n"
"sigbus, ...) from its result and the page-table entry before and after, timed,\n"
"and attributed to its VMA, of its process (a PID column shows which, when\n"
"the command started others). Needs root. The vmatlas module supplies the\n"
"page-table entries: its BPF kfunc, with the mapcount of each page, where the\n"
"kernel supports module kfuncs, else the layout for a BPF page-table walk.\n"
"Attaches with fentry/fexit, or kprobes where trampolines are missing; the\n"
"page_fault_user tracepoint, last, sees user-mode faults start but not end.\n"
"--events writes each fault as it comes (with --json, one a line in the\n"
"document's \"events\" array); faults the ring buffer had no room for are\n"
"counted as \"dropped\". Its columns, by default TIME_S TID ADDR ACCESS CLASS\n"
"LAT_NS PFN_BEFORE PFN_AFTER: also PID, the thread's process; IP, the faulting\n"
"instruction; MAPS_BEFORE and MAPS_AFTER, the page's mapcount before and after.\n"
"\n"
"EXAMPLES:\n"
"    vmatlas faults -p 1234              # until Ctrl-C\n"
"    vmatlas faults -d 5 -p 1234         # for five seconds\n"
"    vmatlas faults ls -l /              # a command, start to end\n"
"    vmatlas faults --events --json -- ./a.out   # every fault, as JSON\n"
"    vmatlas faults -e -o addr,class,maps_before,maps_after -- ./a.out\n";

static const struct argp_option faults_options[] = {
	{ "pid", 'p', "PID", 0, "Trace this process", 0 },
	{ "duration", 'd', "SECONDS", 0, "Stop after this long", 0 },
	{ "events", 'e', NULL, 0, "Report every fault as it comes, then the summary", 0 },
	{ "output", 'o', "COLUMNS", 0, "The events' columns, comma-separated, or all", 0 },
	{ "buffer", 'b', "SIZE", 0,
	  "The events' ring buffer: a power of two of pages (default 4M)", 0 },
	{ "top", 't', "N", 0,
	  "List the N busiest VMAs and pages (default 10; 0: no per-page counts, cheaper)", 0 },
	{ "attach", 'a', "HOW", 0,
	  "auto (default: the first of fentry, kprobe, tracepoint that works), or one of them",
	  0 },
	{},
};

static struct faults_opts faults_args;
/* --events' printer; its columns are chosen as the options are read (-o). */
static struct faults_events faults_ev;

static int faults_choose(void *table, const char *list, char *bad, size_t len)
{
	return faults_events_columns(&faults_ev, list, bad, len);
}

static error_t faults_parse(int key, char *arg, struct argp_state *state)
{
	unsigned long long size;
	char *end, bad[32];

	switch (key) {
	case 'p':
		if (parse_pid(arg, &faults_args.pid))
			parse_error(state, "invalid PID '%s'", arg);
		return 0;
	case 'd':
		faults_args.duration = strtod(arg, &end);
		if (*end || faults_args.duration <= 0)
			parse_error(state, "invalid duration '%s'", arg);
		return 0;
	case 'e':
		faults_args.events = true;
		return 0;
	case 'o':
		parse_columns_arg(state, arg, faults_choose, NULL);
		return 0;
	case 'b':
		if (parse_size(arg, &size) || size < (unsigned long long)getpagesize() ||
		    size > 1ULL << 30 || (size & (size - 1)))
			parse_error(state, "invalid buffer size '%s': a power of two, %dK to 1G",
				    arg, getpagesize() >> 10);
		faults_args.ring_size = size;
		return 0;
	case 't':
		faults_args.top = strtol(arg, &end, 10);
		if (*end || faults_args.top < 0 || faults_args.top > 10000)
			parse_error(state, "invalid count '%s'", arg);
		return 0;
	case 'a':
		if (!strcmp(arg, "auto"))
			faults_args.attach = FAULTS_ATTACH_AUTO;
		else if (!strcmp(arg, "fentry"))
			faults_args.attach = FAULTS_ATTACH_FENTRY;
		else if (!strcmp(arg, "kprobe"))
			faults_args.attach = FAULTS_ATTACH_KPROBE;
		else if (!strcmp(arg, "tracepoint"))
			faults_args.attach = FAULTS_ATTACH_TRACEPOINT;
		else
			parse_error(state,
				    "invalid attach mode '%s' (auto, fentry, kprobe, tracepoint)",
				    arg);
		return 0;
	case ARGP_KEY_ARG:
		return ARGP_ERR_UNKNOWN;
	case ARGP_KEY_ARGS:
		faults_args.argv = state->argv + state->next;
		state->next = state->argc;
		return 0;
	case ARGP_KEY_END:
		if (!faults_args.pid == !faults_args.argv)
			parse_error(state, "give either -p PID or a COMMAND");
		if (faults_ev.ncols && !faults_args.events)
			parse_error(state, "-o chooses the columns of --events");
		if (!faults_ev.ncols)
			faults_choose(NULL, NULL, bad, sizeof(bad));
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp faults_argp = {
	.options = faults_options,
	.parser = faults_parse,
	.args_doc = "[-- COMMAND [ARG...]]",
	.doc = faults_doc,
	.children = vmatlas_common_children,
};

/* libbpf-tools' print_log2_hist(), for a JSON array of counts. */
static void print_hist(FILE *out, struct json_object *hist)
{
	unsigned long long max = 0, v;
	int i, first = -1, last = -1, stars;

	for (i = 0; i < (int)json_object_array_length(hist); i++) {
		v = json_object_get_int64(json_object_array_get_idx(hist, i));
		if (v && first < 0)
			first = i;
		if (v)
			last = i;
		if (v > max)
			max = v;
	}
	fprintf(out, "%24s : %-10s %s\n", "latency (ns)", "count", "distribution");
	for (i = first < 0 ? 0 : first; i <= last; i++) {
		v = json_object_get_int64(json_object_array_get_idx(hist, i));
		stars = max ? (int)(v * 40 / max) : 0;
		fprintf(out, "%10llu -> %-10llu : %-10llu |%-40.*s|\n", i ? 1ULL << i : 0,
			(2ULL << i) - 1, v, stars, "****************************************");
	}
}

/* Both tables open with a PID column, shown when a row is of another process. */
static const struct out_column faults_vma_cols[] = {
	{ "PID", "pid", OUT_RIGHT, NULL },
	{ "START", "start", OUT_RIGHT, NULL },
	{ "END", "end", OUT_RIGHT, NULL },
	{ "FAULTS", "faults", OUT_RIGHT, NULL },
	{ "MAJOR", "major", OUT_RIGHT, NULL },
	{ "AVG_NS", "latency_ns_avg", OUT_RIGHT, NULL },
	{ "KIND", "kind", OUT_LEFT, NULL },
	{ "PATH", "path", OUT_LEFT, NULL },
};

static const struct out_column faults_page_cols[] = {
	{ "PID", "pid", OUT_RIGHT, NULL },
	{ "PAGE", "addr", OUT_RIGHT, NULL },
	{ "FAULTS", "faults", OUT_RIGHT, NULL },
};

/* Whether a row of @rows is of another process than @pid. */
static bool faults_others(struct json_object *rows, unsigned long long pid)
{
	size_t i;

	for (i = 0; i < json_object_array_length(rows); i++)
		if (out_get_u64(json_object_array_get_idx(rows, i), "pid") != pid)
			return true;
	return false;
}

static int faults_print_text(FILE *out, struct json_object *doc)
{
	struct json_object *vmas = out_get(doc, "by_vma");
	struct json_object *trimmed = json_object_new_array();
	unsigned long long pid = out_get_u64(doc, "pid");
	size_t i, skip;

	if (out_get(doc, "minor"))
		fprintf(out, "pid %llu (%s): %llu faults, %llu minor, %llu major\n\n",
			out_get_u64(doc, "pid"), out_get_str(doc, "ended"),
			out_get_u64(doc, "total"), out_get_u64(doc, "minor"),
			out_get_u64(doc, "major"));
	else
		fprintf(out, "pid %llu (%s): %llu user-mode faults (attached with %s)\n\n",
			out_get_u64(doc, "pid"), out_get_str(doc, "ended"),
			out_get_u64(doc, "total"), out_get_str(doc, "attach"));
	json_object_object_foreach(out_get(doc, "classes"), name, count) {
		long long n = json_object_get_int64(count);

		if (n)
			fprintf(out, "%-14s %10lld\n", name, n);
	}
	/* arm64: the MMU's own word on the same faults (ESR_EL1). */
	if (out_get(doc, "mmu")) {
		fputs("\nMMU said (ESR):", out);
		json_object_object_foreach(out_get(doc, "mmu"), mname, mcount)
			fprintf(out, " %s %lld", mname, (long long)json_object_get_int64(mcount));
		fputc('\n', out);
	}
	fputc('\n', out);
	for (i = 0; i < json_object_array_length(vmas) && (int)i < faults_args.top; i++)
		json_object_array_add(trimmed,
				      json_object_get(json_object_array_get_idx(vmas, i)));
	skip = !faults_others(trimmed, pid) && !faults_others(out_get(doc, "top_pages"), pid);
	out_print_table(out, trimmed, faults_vma_cols + skip, ARRAY_SIZE(faults_vma_cols) - skip);
	json_object_put(trimmed);
	fputc('\n', out);
	if (out_get(doc, "latency_ns.p50")) {
		print_hist(out, out_get(doc, "latency_ns.hist"));
		fprintf(out, "p50 <= %llu ns, p99 <= %llu ns\n\n",
			out_get_u64(doc, "latency_ns.p50"), out_get_u64(doc, "latency_ns.p99"));
	}
	out_print_table(out, out_get(doc, "top_pages"), faults_page_cols + skip,
			ARRAY_SIZE(faults_page_cols) - skip);
	if (out_get_u64(doc, "dropped"))
		fprintf(out, "\n%llu events dropped: the ring buffer was full\n",
			out_get_u64(doc, "dropped"));
	return 0;
}

static int faults_run(int argc, char **argv)
{
	struct json_object *doc, *v;
	int ret, status;

	faults_args.top = 10;
	/* In order: the first word that is not an option starts the command. */
	if (parse_args(&faults_argp, argc, argv, ARGP_IN_ORDER))
		return VMATLAS_EXIT_USAGE;
	faults_args.verbose = vmatlas_opts.verbose;
	/* Events on the terminal are progress enough. */
	faults_args.progress = isatty(STDERR_FILENO) &&
			       !(faults_args.events && isatty(STDOUT_FILENO));
	faults_ev.out = stdout;
	faults_ev.json = out_opts.json;
	faults_args.on_event = faults_events_on;
	faults_args.event_priv = &faults_ev;
	doc = json_object_new_object();
	if (faults_trace(&faults_args, doc)) {
		json_object_put(doc);
		return VMATLAS_EXIT_ERROR;
	}
	/* A command exits as it did, or as a shell says it was killed. */
	status = json_object_object_get_ex(doc, "exit_status", &v) ? json_object_get_int(v) :
		 json_object_object_get_ex(doc, "signal", &v) ? 128 + json_object_get_int(v) : 0;
	if (faults_args.events) {
		ret = faults_events_end(&faults_ev, doc);
		if (out_opts.json) {
			json_object_put(doc);
			return ret ?: status;
		}
	}
	ret = out_emit(doc, faults_print_text);
	return ret ?: status;
}

const struct vmatlas_cmd vmatlas_cmd_faults = {
	.name = "faults",
	.summary = "page faults of a process or command: classified, timed, per VMA",
	.run = faults_run,
};
