// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas explain NAME: act out a claim of the lecture notes on this kernel,
 * tell what happened with this kernel's numbers, and check the claim. A
 * claim that does not hold here is said loudly, and the exit status is 1.
 */
#include <argp.h>
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "explain.h"
#include "libvmatlas.h"
#include "output.h"
#include "parse.h"

static const struct scenario *const scenarios[] = {
	&scenario_lazy,
	&scenario_cow,
	&scenario_threads,
	&scenario_stack,
	&scenario_brk,
	&scenario_shared,
	&scenario_swap,
	&scenario_thp,
	&scenario_kernel,
	&scenario_highmem,
	&scenario_elf,
	&scenario_segments,
};

static const char explain_doc[] =
"Make a claim of the lecture notes on virtual memory happen on this kernel,\n"
"tell it with this kernel's numbers, and check it: a claim that does not hold\n"
"here is said loudly, and the exit status is 1.\n"
"\n"
"USAGE: vmatlas explain NAME [ARG...]\n"
"       vmatlas explain          (the scenarios there are)\n"
"\n"
"EXAMPLES:\n"
"    vmatlas explain lazy       # mmap() gives addresses; touching gives memory\n"
"    vmatlas explain cow        # fork() shares frames until someone writes\n"
"    vmatlas explain stack      # the stack grows on demand, to its guard gap\n"
"    vmatlas explain brk-vs-mmap  # small blocks from [heap], large ones mmap()ed\n"
"    vmatlas explain shared     # two processes, two addresses, one frame\n"
"    vmatlas explain swap       # out to swap and back through a fault\n"
"    vmatlas explain thp        # one PMD leaf for a huge page, and its split\n"
"    vmatlas explain kernel     # kmalloc() logical, vmalloc() virtual\n"
"    vmatlas explain highmem    # 32-bit: RAM with no address until kmap\n"
"    vmatlas explain elf        # program headers beside the VMAs they became\n"
"    vmatlas explain elf /usr/bin/true   # ... of that program\n"
"    vmatlas explain segments   # x86: selector and offset, flat on Linux\n";

static struct {
	const struct scenario *sc;
	char **args;			/* the scenario's own arguments */
	int nargs;
} explain_args;

static error_t explain_parse(int key, char *arg, struct argp_state *state)
{
	size_t i;

	switch (key) {
	case ARGP_KEY_ARG:
		if (explain_args.sc) {
			if (!explain_args.sc->args_doc)
				parse_error(state, "one scenario at a time, not '%s' too", arg);
			explain_args.args = &state->argv[state->next - 1];
			explain_args.nargs = state->argc - state->next + 1;
			state->next = state->argc;
			return 0;
		}
		for (i = 0; i < ARRAY_SIZE(scenarios); i++)
			if (!strcmp(arg, scenarios[i]->name))
				explain_args.sc = scenarios[i];
		if (!explain_args.sc)
			parse_error(state, "no scenario '%s'", arg);
		return 0;
	default:
		return ARGP_ERR_UNKNOWN;
	}
}

static const struct argp explain_argp = {
	.parser = explain_parse,
	.args_doc = "[NAME]",
	.doc = explain_doc,
	.children = vmatlas_common_children,
};

/*
 * A line of the story (@holds: 1 or 0 for a check, -1 for what it says),
 * kept until the story ends: a story the kernel disturbed is told again
 * (explain_tell()), and only the last telling is shown.
 */
static void story_line(struct story *st, int holds, const char *fmt, va_list ap)
{
	struct json_object *line;
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		return;
	line = json_object_new_object();
	json_object_object_add(line, "text", json_object_new_string(text));
	json_object_object_add(line, "holds", holds < 0 ? NULL : json_object_new_boolean(holds));
	json_object_array_add(st->lines, line);
	free(text);
}

/* The story as text: each check marked, blank lines between paragraphs. */
static void story_print(const struct story *st)
{
	static const char *const mark[] = { "  [DOES NOT HOLD HERE] ", "  [holds] " };
	struct json_object *line, *holds;
	size_t i;

	for (i = 0; i < json_object_array_length(st->lines); i++) {
		line = json_object_array_get_idx(st->lines, i);
		holds = out_get(line, "holds");
		if (holds)
			fputs(mark[json_object_get_boolean(holds)], stdout);
		printf("%s\n", out_get_str(line, "text"));
	}
}

/* For the document: the lines without the blank lines that part paragraphs. */
static void story_trim(struct story *st)
{
	struct json_object *line;
	const char *t;
	size_t i, len;

	for (i = 0; i < json_object_array_length(st->lines); i++) {
		line = json_object_array_get_idx(st->lines, i);
		for (t = out_get_str(line, "text"); *t == '\n'; t++)
			;
		for (len = strlen(t); len && t[len - 1] == '\n'; len--)
			;
		json_object_object_add(line, "text", json_object_new_string_len(t, len));
	}
}

void story_say(struct story *st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	story_line(st, -1, fmt, ap);
	va_end(ap);
}

bool story_check(struct story *st, bool holds, const char *fmt, ...)
{
	va_list ap;

	st->checks++;
	if (!holds)
		st->failed++;
	va_start(ap, fmt);
	story_line(st, holds, fmt, ap);
	va_end(ap);
	return holds;
}

int story_child_start(struct story_child *c, unsigned long long (*fn)(void *arg, char cmd),
		      void *arg, unsigned long long *first)
{
	int to[2], from[2];
	unsigned long long v;
	char cmd;

	int err;

	if (pipe(to))
		return -errno;
	if (pipe(from)) {
		err = -errno;
		goto close_to;
	}
	fflush(stdout);
	c->pid = fork();
	if (c->pid < 0) {
		err = -errno;
		close(from[0]);
		close(from[1]);
		goto close_to;
	}
	if (!c->pid) {
		/* A child's own children (cow's) must not outlive it either. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(to[1]);
		close(from[0]);
		v = fn(arg, 0);
		if (write(from[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		while (read(to[0], &cmd, 1) == 1) {
			v = fn(arg, cmd);
			if (write(from[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	close(to[0]);
	close(from[1]);
	c->cmd = to[1];
	c->ack = from[0];
	if (read(c->ack, first, sizeof(*first)) != sizeof(*first)) {
		story_child_stop(c);
		return -EIO;
	}
	return 0;
close_to:
	close(to[0]);
	close(to[1]);
	return err;
}

int story_child_do(struct story_child *c, char cmd, unsigned long long *answer)
{
	if (write(c->cmd, &cmd, 1) != 1 || read(c->ack, answer, sizeof(*answer)) != sizeof(*answer))
		return -EIO;
	return 0;
}

void story_child_stop(struct story_child *c)
{
	close(c->cmd);
	close(c->ack);
	kill(c->pid, SIGKILL);
	waitpid(c->pid, NULL, 0);
}

unsigned long long story_pages(const struct snapshot *s, unsigned long long start,
			       unsigned long long end, enum snap_state state,
			       unsigned long long leaf_size)
{
	unsigned long long n = 0;
	size_t i;

	for (i = 0; i < s->nruns; i++) {
		const struct snap_run *r = &s->runs[i];
		unsigned long long lo = r->start > start ? r->start : start;
		unsigned long long hi = r->end < end ? r->end : end;

		if (lo < hi && r->state == state && (!leaf_size || r->leaf_size == leaf_size))
			n += (hi - lo) / s->page_size;
	}
	return n;
}

const struct snap_vma *story_vma_at(const struct snapshot *s, unsigned long long addr)
{
	size_t i;

	for (i = 0; i < s->nvmas; i++)
		if (s->vmas[i].start <= addr && addr < s->vmas[i].end)
			return &s->vmas[i];
	return NULL;
}

const struct snap_vma *story_vma_kind(const struct snapshot *s, unsigned int kind)
{
	size_t i;

	for (i = 0; i < s->nvmas; i++)
		if (s->vmas[i].kind == kind)
			return &s->vmas[i];
	return NULL;
}

int story_lib(struct story *st, int err)
{
	if (err)
		snprintf(st->why, sizeof(st->why), "%s", vmatlas_strerror());
	return err;
}

int story_page(struct story *st, pid_t pid, unsigned long long addr, struct story_page *p)
{
	struct vmatlas_walk w;
	const struct vmatlas_level *leaf;
	int err = story_lib(st, vmatlas_walk(st->fd, pid, addr, &w));

	if (err)
		return err;
	if (w.out_flags & VMATLAS_OUT_PHYS_HIDDEN) {
		snprintf(st->why, sizeof(st->why), "%s",
			 "frames are what this scenario shows: run it as root (CAP_SYS_ADMIN)");
		return -EPERM;
	}
	leaf = &w.levels[w.stop_level < VMATLAS_LEVELS ? w.stop_level : VMATLAS_LEVEL_PTE];
	*p = (struct story_page){
		.present = w.out_flags & VMATLAS_WALK_PRESENT,
		.writable = leaf->bits & VMATLAS_ENT_WRITE,
		.swapped = w.swap_kind == VMATLAS_SWP_SWAP,
		.pfn = w.pfn,
		.leaf_size = w.page_size,
		.swap_offset = w.swap_offset,
		.swap_type = w.swap_type,
		.mapcount = (w.out_flags & VMATLAS_WALK_PAGE) ? w.page.mapcount : -1,
		.pg_flags = (w.out_flags & VMATLAS_WALK_PAGE) ? w.page.flags : 0,
	};
	return 0;
}

int story_do_traced(struct story *st, struct story_child *c, char cmd, pid_t pid,
		    unsigned long long *answer, struct json_object **doc)
{
	struct story_trace t;
	bool traced = !story_trace_start(&t, pid);
	int err = story_child_do(c, cmd, answer);

	*doc = traced ? story_trace_stop(&t) : NULL;
	st->untraced = traced ? "the tracer failed" : "no BPF in this vmatlas, or none allowed";
	return err;
}

void story_untraced(struct story *st)
{
	story_say(st, "  (No fault trace here: %s.)", st->untraced);
}

void story_check_traced(struct story *st, struct json_object *doc, bool holds, unsigned int want,
			unsigned int got, const char *fmt, ...)
{
	struct json_object *v;
	long long missed = 0;
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (json_object_object_get_ex(doc, "missed", &v))
		missed = json_object_get_int64(v);
	if (!holds && got < want && want - got <= missed) {
		story_say(st, "  (%s: the tracer saw %u of %u,", line, got, want);
		story_say(st, "   the kernel skipped it %lld times)", missed);
		return;
	}
	story_check(st, holds, "%s", line);
}

unsigned int story_trace_count(struct json_object *doc, unsigned long long start,
			       unsigned long long end, const char *class)
{
	struct json_object *events, *e, *v;
	unsigned long long addr;
	unsigned int n = 0;
	size_t i;

	if (!json_object_object_get_ex(doc, "events", &events))
		return 0;
	for (i = 0; i < json_object_array_length(events); i++) {
		e = json_object_array_get_idx(events, i);
		if (!json_object_object_get_ex(e, "addr", &v))
			continue;
		addr = strtoull(json_object_get_string(v), NULL, 16);
		if (addr < start || addr >= end)
			continue;
		if (class && (!json_object_object_get_ex(e, "class", &v) ||
			      strcmp(json_object_get_string(v), class)))
			continue;
		n++;
	}
	return n;
}

void story_thp_mode(char *buf, size_t len)
{
	FILE *f = fopen("/sys/kernel/mm/transparent_hugepage/enabled", "r");
	char line[128] = "", *a, *b;

	buf[0] = '\0';
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (b)
		snprintf(buf, len, "%.*s", (int)(b - a - 1), a + 1);
}

unsigned long long story_minflt(void)
{
	struct rusage ru;

	return getrusage(RUSAGE_SELF, &ru) ? 0 : (unsigned long long)ru.ru_minflt;
}

/* The scenarios there are: a line each, or with --json a document. */
static int explain_list(void)
{
	struct json_object *doc, *list, *one;
	size_t i;

	if (!out_opts.json) {
		for (i = 0; i < ARRAY_SIZE(scenarios); i++)
			printf("%-12s %s\n", scenarios[i]->name, scenarios[i]->claim);
		return 0;
	}
	doc = json_object_new_object();
	list = json_object_new_array();
	json_object_object_add(doc, "scenarios", list);
	for (i = 0; i < ARRAY_SIZE(scenarios); i++) {
		one = json_object_new_object();
		json_object_object_add(one, "name", json_object_new_string(scenarios[i]->name));
		json_object_object_add(one, "claim", json_object_new_string(scenarios[i]->claim));
		json_object_array_add(list, one);
	}
	return out_emit(doc, NULL);
}

/* A story told with --json ($defs/explain): its lines, its checks, whether they held. */
static int explain_emit(const struct scenario *sc, const struct vmatlas_info *info,
			struct story *st)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "scenario", json_object_new_string(sc->name));
	json_object_object_add(doc, "claim", json_object_new_string(sc->claim));
	json_object_object_add(doc, "kernel", json_object_new_string((const char *)info->release));
	json_object_object_add(doc, "arch", json_object_new_string((const char *)info->arch));
	json_object_object_add(doc, "page_size", json_object_new_uint64(st->page_size));
	story_trim(st);
	json_object_object_add(doc, "lines", st->lines);
	json_object_object_add(doc, "checks", json_object_new_uint64(st->checks));
	json_object_object_add(doc, "held", json_object_new_uint64(st->checks - st->failed));
	json_object_object_add(doc, "holds", json_object_new_boolean(!st->failed));
	st->lines = NULL;
	return out_emit(doc, NULL);
}

/* Times a story is told when the kernel moved pages under a check that failed. */
#define STORY_TELLINGS	3

/*
 * The pages the kernel has migrated since boot, or tried to: compaction,
 * NUMA balancing, memory hot-remove. A page on the move is not present for
 * that moment (a migration entry), and touching it faults.
 */
static unsigned long long story_migrations(void)
{
	unsigned long long n = 0, v;
	char name[64];
	FILE *f = fopen("/proc/vmstat", "r");

	if (!f)
		return 0;
	while (fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strcmp(name, "pgmigrate_success") || !strcmp(name, "pgmigrate_fail"))
			n += v;
	fclose(f);
	return n;
}

/*
 * Tell the story of @sc: once, or again (up to STORY_TELLINGS times) while
 * a check failed and the kernel migrated pages meanwhile, which the story's
 * own counts cannot tell from what the claim is about. The last telling is
 * the one shown, and says why it was told again.
 */
static int explain_tell(const struct scenario *sc, struct story *st)
{
	unsigned long long moved = 0, before;
	int telling, err;

	for (telling = 1;; telling++) {
		st->lines = json_object_new_array();
		st->checks = 0;
		st->failed = 0;
		st->untraced = NULL;
		st->why[0] = 0;
		if (moved)
			story_say(st,
				  "(Told again: %llu pages were migrated as a check failed.)\n",
				  moved);
		before = story_migrations();
		err = sc->run(st);
		moved = story_migrations() - before;
		if (err || !st->failed || !moved || telling == STORY_TELLINGS)
			return err;
		json_object_put(st->lines);
	}
}

static int explain_run(int argc, char **argv)
{
	const struct scenario *sc;
	struct story st = {};
	struct vmatlas_info info;
	int err;

	if (parse_args(&explain_argp, argc, argv, 0))
		return VMATLAS_EXIT_USAGE;
	if (!explain_args.sc)
		return explain_list();
	sc = explain_args.sc;
	st.args = explain_args.args;
	st.nargs = explain_args.nargs;
	st.fd = vmatlas_open();
	if (st.fd < 0)
		return vmatlas_error("%s", vmatlas_strerror());
	err = vmatlas_get_info(st.fd, &info);
	if (err) {
		vmatlas_close(st.fd);
		return vmatlas_error("%s", vmatlas_strerror());
	}
	st.page_size = info.page_size;
	err = sc->ready ? sc->ready(&st) : 0;
	if (err) {
		vmatlas_close(st.fd);
		return vmatlas_error("%s: %s", sc->name, st.why);
	}
	err = explain_tell(sc, &st);
	vmatlas_close(st.fd);
	if (err) {
		json_object_put(st.lines);
		if (st.why[0])
			return vmatlas_error("%s: %s", sc->name, st.why);
		return vmatlas_error("%s: %s", sc->name,
				     err == -EIO ? strerror(EIO) : snapshot_strerror(err, 0));
	}
	if (out_opts.json) {
		err = explain_emit(sc, &info, &st);
	} else {
		printf("== %s: %s\n", sc->name, sc->claim);
		printf("   (%s, %s, %llu-byte pages)\n\n", (const char *)info.release,
		       (const char *)info.arch, st.page_size);
		story_print(&st);
		json_object_put(st.lines);
		printf("\n%u of %u checks hold%s\n", st.checks - st.failed, st.checks,
		       st.failed ? ": THE CLAIM DOES NOT HOLD AS STATED ON THIS KERNEL" : "");
	}
	return err ? err : st.failed ? VMATLAS_EXIT_ERROR : 0;
}

const struct vmatlas_cmd vmatlas_cmd_explain = {
	.name = "explain",
	.summary = "act out a claim of the lecture notes here, and check it",
	.run = explain_run,
};
