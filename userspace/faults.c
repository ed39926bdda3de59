// SPDX-License-Identifier: GPL-2.0
/*
 * The page-fault tracer: faults.bpf.c does the work in the kernel; this
 * loads it, points it at a process (or starts a command under it), waits,
 * and turns its maps into a JSON document.
 *
 * The page-table entries before and after each fault come from the vmatlas
 * module's kfunc where it has one (INFO: VMATLAS_FEAT_KFUNC), with the
 * struct page behind them. Otherwise the BPF walker reads the tables through
 * the direct map: the module tells where it is (LAYOUT) and how many levels
 * there are. Without the module the trace still runs. Whatever is missing,
 * the tool says which columns stay empty.
 *
 * The programs attach with fentry/fexit where the kernel has BPF trampolines
 * and with kprobe/kretprobe otherwise (or when asked). The x86 tracepoint
 * page_fault_user is the last way: it sees user-mode faults begin, not how
 * they end, and the document says which fields that leaves empty.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "bpf/faults.h"
#include "cli.h"
#include "faults.h"
/* bpftool 7.1's generated skeleton is not clean under gcc 12's -O2 -Wextra. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "faults.skel.h"
#pragma GCC diagnostic pop
#include "libvmatlas.h"
#include "output.h"

const char *const faults_class_names[] = {
	[FC_MINOR] = "minor", [FC_FIRST_TOUCH] = "first_touch",
	[FC_PAGE_CACHE] = "page_cache", [FC_COW] = "cow",
	[FC_WRITE_PROTECT] = "write_protect", [FC_SWAP_IN] = "swap_in",
	[FC_MAJOR] = "major", [FC_RETRY] = "retry", [FC_SIGSEGV] = "sigsegv",
	[FC_SIGBUS] = "sigbus", [FC_OOM] = "oom", [FC_ERROR] = "error",
};

/* The kfunc fills struct vmatlas_pte; the BPF side knows it as struct fault_pte. */
static_assert(sizeof(struct fault_pte) == sizeof(struct vmatlas_pte), "fault_pte size");
static_assert(sizeof(struct fault_pte) == VMATLAS_PTE_SIZE_VER0, "fault_pte version");
static_assert(offsetof(struct fault_pte, out_flags) == offsetof(struct vmatlas_pte, out_flags),
	      "fault_pte out_flags");
static_assert(offsetof(struct fault_pte, page_flags) == offsetof(struct vmatlas_pte, page.flags),
	      "fault_pte page");
static_assert(offsetof(struct fault_pte, mapcount) ==
	      offsetof(struct vmatlas_pte, page.mapcount), "fault_pte mapcount");
static_assert(FAULT_PTE_PRESENT == VMATLAS_PTE_PRESENT && FAULT_PTE_SWAP == VMATLAS_PTE_SWAP &&
	      FAULT_PTE_PAGE == VMATLAS_PTE_PAGE && FAULT_PTE_GET_PAGE == VMATLAS_PTE_GET_PAGE,
	      "fault_pte flags");

static const char faults_no_module[] =
	"vmatlas: without the vmatlas module, first_touch, page_cache, cow, write_protect,\n"
	"vmatlas: swap_in and pte_before/pte_after stay empty (no page-table layout)\n";
static const char faults_no_kfunc[] =
	"vmatlas: the vmatlas module offers no BPF kfuncs on this kernel (module without BTF):\n"
	"vmatlas: mapcount, refcount, anon and zero_page of pte_before/pte_after stay empty\n";

static const char faults_tracepoint[] =
	"vmatlas: attached to the page_fault_user tracepoint: user-mode faults only, classed by\n"
	"vmatlas: the entry before; minor/major, latency, outcome and pte_after stay empty\n";

/* What the vmatlas module offers the tracer. */
struct faults_module {
	bool layout;			/* the direct map and levels: the BPF walker works */
	bool kfunc;			/* vmatlas_pte_get() */
	unsigned long long page_offset;
	unsigned long long phys_offset;	/* __pa(PAGE_OFFSET): 0 on x86, RAM's start on arm64 */
	unsigned int levels;
};

/* The programs of one way to attach; the others are not loaded. */
enum faults_attach { FA_FENTRY, FA_KPROBE, FA_TRACEPOINT };

static const char *const faults_attach_names[] = {
	[FA_FENTRY] = "fentry", [FA_KPROBE] = "kprobe", [FA_TRACEPOINT] = "tracepoint",
};

/* How this run attached: the tracepoint sees no outcome and no latency. */
static enum faults_attach faults_how;
/* arm64, fentry: each fault's syndrome (ESR_EL1) is seen. */
static bool faults_syndrome;

static int faults_stop;		/* set by SIGINT/SIGTERM: atomic access only */
static bool faults_verbose;

static void faults_on_signal(int sig)
{
	__atomic_store_n(&faults_stop, 1, __ATOMIC_RELAXED);
}

static bool faults_stopped(void)
{
	return __atomic_load_n(&faults_stop, __ATOMIC_RELAXED);
}

static int faults_libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && !faults_verbose)
		return 0;
	if (!faults_verbose)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

/* Ask the module what it offers; all false without it. */
static void faults_probe_module(struct faults_module *m)
{
	struct vmatlas_layout layout;
	struct vmatlas_kaddr ka;
	struct vmatlas_info info;
	int fd = vmatlas_open();
	bool known;

	memset(m, 0, sizeof(*m));
	m->levels = 4;
	known = !faults_entry_format(&faults_fmt);
	if (fd < 0)
		return;
	/*
	 * The walk reads tables through the direct map: its start, and on
	 * arm64 the physical address there (x86 maps physical 0 at its start).
	 */
	if (known && !vmatlas_layout(fd, &layout)) {
		m->page_offset = layout.page_offset;
		m->levels = layout.levels;
		if (!vmatlas_kaddr(fd, layout.page_offset, &ka) &&
		    (ka.out_flags & VMATLAS_KADDR_LINEAR)) {
			m->phys_offset = ka.phys_linear;
			m->layout = true;
		} else {
			m->layout = faults_direct_map_at_zero();
		}
	}
	if (!vmatlas_get_info(fd, &info))
		m->kfunc = info.features & VMATLAS_FEAT_KFUNC;
	vmatlas_close(fd);
}

/* What the ring buffer's callback needs: the VMA table, and where events go. */
struct faults_stream {
	struct faults_bpf *skel;
	const struct faults_opts *opts;
	unsigned int burst;		/* events since ring_buffer__poll() last returned */
};

/*
 * Events handled before ring_buffer__poll() is made to return: libbpf's
 * consumes for as long as there are records, and under a flood of faults it
 * would never come back to see the duration reached, the process gone or a
 * signal.
 */
#define FAULTS_BURST	1024

/*
 * One event, as JSON, handed to opts->on_event and released: nothing is
 * kept, however long the trace runs. Its VMA's kind and path come from the
 * per-VMA table, which the BPF side filled before it sent the event.
 */
static int faults_on_event(void *ctx, void *data, size_t len)
{
	struct faults_stream *fs = ctx;
	const struct fault_event *e = data;
	struct fault_key key = { .mm = e->mm, .addr = e->vma_start, .tgid = e->pid };
	struct json_object *o;
	struct vma_stat st;
	bool known;

	known = !bpf_map_lookup_elem(bpf_map__fd(fs->skel->maps.vmas), &key, &st);
	o = faults_event_json(e, known ? &st : NULL, faults_how != FA_TRACEPOINT,
			      faults_syndrome);
	fs->opts->on_event(o, fs->opts->event_priv);
	json_object_put(o);
	if (++fs->burst < FAULTS_BURST)
		return 0;
	fs->burst = 0;
	return -EAGAIN;	/* this one is consumed; the poll returns */
}

/* Sum of a per-CPU value: element @key of @map (array index or hash key). */
static unsigned long long percpu_sum(int fd, const void *key)
{
	static unsigned long long *vals;
	static int ncpus;
	unsigned long long sum = 0;
	int i;

	if (!vals) {
		ncpus = libbpf_num_possible_cpus();
		vals = calloc(ncpus > 0 ? ncpus : 1, sizeof(*vals));
		if (!vals)
			return 0;
	}
	if (bpf_map_lookup_elem(fd, key, vals))
		return 0;
	for (i = 0; i < ncpus; i++)
		sum += vals[i];
	return sum;
}

static unsigned long long map_u64(struct bpf_map *map, unsigned int key)
{
	return percpu_sum(bpf_map__fd(map), &key);
}

/* A latency percentile from the log2 histogram: the bucket's upper bound. */
static unsigned long long hist_percentile(const unsigned long long *hist, unsigned long long n,
					  double p)
{
	unsigned long long seen = 0;
	int i;

	for (i = 0; i < HIST_SLOTS && n; i++) {
		seen += hist[i];
		if (seen >= p * n)
			return 2ULL << i;
	}
	return 0;
}

static int by_faults_desc(const void *a, const void *b)
{
	long long x = json_object_get_int64(json_object_object_get(*(struct json_object **)a,
								     "faults"));
	long long y = json_object_get_int64(json_object_object_get(*(struct json_object **)b,
								     "faults"));

	return x < y ? 1 : x > y ? -1 : 0;
}

static void faults_collect(struct faults_bpf *skel, const struct faults_opts *opts,
			   struct json_object *doc)
{
	unsigned long long hist[HIST_SLOTS], minor, major, count, avg;
	struct fault_key key, next, *prev;
	struct json_object *classes = json_object_new_object();
	struct json_object *vmas = json_object_new_array();
	struct json_object *pages = json_object_new_array();
	struct json_object *lat = json_object_new_object(), *h = json_object_new_array();
	struct vma_stat st;
	int i, fd;

	minor = map_u64(skel->maps.counters, FC_COUNTED_MINOR);
	major = map_u64(skel->maps.counters, FC_COUNTED_MAJOR);
	if (faults_how == FA_TRACEPOINT) {
		/* User-mode exceptions: neither minor nor major is known. */
		json_object_object_add(doc, "total",
				       json_object_new_int64(map_u64(skel->maps.counters,
								     FC_EXCEPTIONS)));
		json_object_object_add(doc, "minor", NULL);
		json_object_object_add(doc, "major", NULL);
	} else {
		json_object_object_add(doc, "total", json_object_new_int64(minor + major));
		json_object_object_add(doc, "minor", json_object_new_int64(minor));
		json_object_object_add(doc, "major", json_object_new_int64(major));
	}
	for (i = 0; i < FC_MAX; i++)
		json_object_object_add(classes, faults_class_names[i],
				       json_object_new_int64(map_u64(skel->maps.counters, i)));
	json_object_object_add(doc, "classes", classes);
	if (faults_syndrome) {
		struct json_object *mmu = json_object_new_object();

		for (i = FC_MMU_OTHER; i <= FC_MMU_PERMISSION; i++)
			json_object_object_add(mmu, faults_mmu_names[i - FC_MMU_OTHER],
					       json_object_new_int64(map_u64(skel->maps.counters,
									     i)));
		json_object_object_add(doc, "mmu", mmu);
	}

	fd = bpf_map__fd(skel->maps.vmas);
	for (prev = NULL; !bpf_map_get_next_key(fd, prev, &next); key = next, prev = &key) {
		struct json_object *v;

		if (bpf_map_lookup_elem(fd, &next, &st))
			continue;
		v = json_object_new_object();
		json_object_object_add(v, "pid", json_object_new_int64(next.tgid));
		json_object_object_add(v, "start", out_hex(next.addr));
		json_object_object_add(v, "end", out_hex(st.end));
		json_object_object_add(v, "path", json_object_new_string(st.name));
		json_object_object_add(v, "kind", json_object_new_string(faults_vma_kind(&st)));
		json_object_object_add(v, "faults", json_object_new_int64(st.faults));
		json_object_object_add(v, "major", json_object_new_int64(st.major));
		avg = st.faults ? st.latency_ns / st.faults : 0;
		json_object_object_add(v, "latency_ns_avg", faults_how == FA_TRACEPOINT ? NULL :
				       json_object_new_int64(avg));
		json_object_array_add(vmas, v);
	}
	json_object_array_sort(vmas, by_faults_desc);
	json_object_object_add(doc, "by_vma", vmas);

	fd = bpf_map__fd(skel->maps.pages);
	for (prev = NULL; !bpf_map_get_next_key(fd, prev, &next); key = next, prev = &key) {
		struct json_object *p = json_object_new_object();

		count = percpu_sum(fd, &next);
		json_object_object_add(p, "pid", json_object_new_int64(next.tgid));
		json_object_object_add(p, "addr", out_hex(next.addr));
		json_object_object_add(p, "faults", json_object_new_int64(count));
		json_object_array_add(pages, p);
	}
	json_object_array_sort(pages, by_faults_desc);
	while ((int)json_object_array_length(pages) > opts->top)
		json_object_array_del_idx(pages, opts->top, 1);
	json_object_object_add(doc, "top_pages", pages);

	for (i = 0; i < HIST_SLOTS; i++) {
		hist[i] = map_u64(skel->maps.hist, i);
		json_object_array_add(h, json_object_new_int64(hist[i]));
	}
	if (faults_how == FA_TRACEPOINT) {
		json_object_object_add(lat, "p50", NULL);
		json_object_object_add(lat, "p99", NULL);
	} else {
		json_object_object_add(lat, "p50",
				       json_object_new_int64(hist_percentile(hist, minor + major,
									     0.50)));
		json_object_object_add(lat, "p99",
				       json_object_new_int64(hist_percentile(hist, minor + major,
									     0.99)));
	}
	json_object_object_add(lat, "hist", h);
	json_object_object_add(doc, "latency_ns", lat);
}

/*
 * Faults the kernel did not hand to our programs. A tracing program runs
 * with migration, not preemption, disabled: on a preemptible kernel (7.x's
 * PREEMPT_LAZY) a task preempted inside it leaves the program marked active
 * on that CPU, and the kernel's recursion guard then skips it for the next
 * fault there, counting a recursion miss. Misses are of any process: an
 * upper bound on what the traced one lost.
 */
static unsigned long long faults_missed(struct faults_bpf *skel)
{
	unsigned long long missed = 0;
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_prog_info info = {};
		__u32 len = sizeof(info);
		int fd = bpf_program__fd(prog);

		if (fd >= 0 && !bpf_obj_get_info_by_fd(fd, &info, &len))
			missed += info.recursion_misses;
	}
	return missed;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wait for the end; return the command's exit status, or -1 for a traced PID. */
static int faults_wait(struct faults_bpf *skel, struct ring_buffer *rb,
		       const struct faults_opts *opts, pid_t child, const char **why,
		       struct rusage *ru)
{
	double start = now_s(), last = start;
	bool progress_shown = false;
	int status = -1;

	*why = "interrupted";
	while (!faults_stopped()) {
		if (rb) {
			ring_buffer__poll(rb, 100);
			opts->on_event(NULL, opts->event_priv);
		} else {
			usleep(100000);
		}
		if (child > 0 && wait4(child, &status, WNOHANG, ru) == child) {
			*why = "command exited";
			break;
		}
		if (child <= 0 && faults_gone(opts->pid)) {
			*why = "process exited";
			break;
		}
		if (opts->duration && now_s() - start >= opts->duration) {
			*why = "duration reached";
			break;
		}
		if (opts->progress && now_s() - last >= 1) {
			last = now_s();
			progress_shown = true;
			fprintf(stderr, "\r%llu faults (%llu major) in %.0fs  ",
				map_u64(skel->maps.counters, FC_COUNTED_MINOR) +
				map_u64(skel->maps.counters, FC_COUNTED_MAJOR) +
				map_u64(skel->maps.counters, FC_EXCEPTIONS),
				map_u64(skel->maps.counters, FC_COUNTED_MAJOR), last - start);
		}
	}
	if (rb) {
		/* No new events, then every one left: a flood cannot outlast it. */
		faults_bpf__detach(skel);
		while (ring_buffer__consume(rb) == -EAGAIN)
			;
		opts->on_event(NULL, opts->event_priv);
	}
	if (progress_shown)
		fputs("\r\033[K", stderr);
	if (child > 0 && faults_stopped()) {
		kill(child, SIGTERM);
		wait4(child, &status, 0, ru);
	}
	return status;
}

/* Load only the programs for @how, with the kfunc or the walk. */
static void faults_select(struct faults_bpf *skel, enum faults_attach how, bool kf)
{
	const struct {
		struct bpf_program *prog;
		enum faults_attach how;
		bool kf;
	} progs[] = {
		{ skel->progs.fault_enter, FA_FENTRY, false },
		{ skel->progs.fault_exit, FA_FENTRY, false },
		{ skel->progs.fault_enter_kf, FA_FENTRY, true },
		{ skel->progs.fault_exit_kf, FA_FENTRY, true },
		{ skel->progs.fault_kprobe, FA_KPROBE, false },
		{ skel->progs.fault_kretprobe, FA_KPROBE, false },
		{ skel->progs.fault_kprobe_kf, FA_KPROBE, true },
		{ skel->progs.fault_kretprobe_kf, FA_KPROBE, true },
		{ skel->progs.fault_user_tp, FA_TRACEPOINT, false },
		{ skel->progs.fault_user_tp_kf, FA_TRACEPOINT, true },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(progs); i++)
		bpf_program__set_autoload(progs[i].prog, progs[i].how == how && progs[i].kf == kf);
}

/* Open, load and attach one way; 0 or a negative errno (libbpf's). */
static int faults_load(struct faults_bpf **out, const struct faults_opts *opts,
		       const struct faults_module *m, enum faults_attach how)
{
	static bool no_syndrome;
	bool follow = opts->argv;
	struct faults_bpf *skel;
	int err;

	skel = faults_bpf__open();
	if (!skel)
		return -errno;
	skel->rodata->targ_tgid = opts->argv ? 0 : opts->pid;
	skel->rodata->targ_parent = getpid();
	skel->rodata->page_offset = m->page_offset;
	skel->rodata->phys_offset = m->phys_offset;
	skel->rodata->levels = m->levels;
	if (m->layout)
		memcpy((void *)&skel->rodata->fmt, &faults_fmt, sizeof(faults_fmt));
	skel->rodata->want_events = opts->events;
	skel->rodata->want_pages = opts->top > 0;
	faults_select(skel, how, m->kfunc);
	/* A command's processes are followed through fork and exit; a PID is not. */
	bpf_program__set_autoload(skel->progs.fork_follow, follow);
	bpf_program__set_autoload(skel->progs.exit_follow, follow);
	/* arm64's syndrome: attached on its own, below, as it may be refused. */
	bpf_program__set_autoload(skel->progs.fault_syndrome,
				  how == FA_FENTRY && !no_syndrome && faults_has_syndrome());
	bpf_program__set_autoattach(skel->progs.fault_syndrome, false);
	if (!follow)
		bpf_map__set_max_entries(skel->maps.traced_tgids, 1);
	if (opts->ring_size)
		bpf_map__set_max_entries(skel->maps.events, opts->ring_size);
	err = faults_bpf__load(skel);
	if (err && bpf_program__autoload(skel->progs.fault_syndrome)) {
		/* A kernel that refuses it still gets its faults traced. */
		faults_bpf__destroy(skel);
		no_syndrome = true;
		return faults_load(out, opts, m, how);
	}
	if (!err)
		err = faults_bpf__attach(skel);
	faults_syndrome = false;
	if (!err && bpf_program__autoload(skel->progs.fault_syndrome)) {
		skel->links.fault_syndrome = bpf_program__attach(skel->progs.fault_syndrome);
		faults_syndrome = !!skel->links.fault_syndrome;
	}
	if (err) {
		err = err < 0 ? err : -errno;
		faults_bpf__destroy(skel);
		return err;
	}
	*out = skel;
	return 0;
}

/*
 * The exceptions:page_fault_user tracepoint is x86's (arch/x86/mm/fault.c):
 * arm64, for one, has none.
 */
static bool faults_have_tracepoint(void)
{
	return libbpf_find_vmlinux_btf_id("page_fault_user", BPF_TRACE_RAW_TP) > 0;
}

/*
 * As asked, or the first way that works: fentry/fexit, then kprobes (both see
 * the whole fault), then the page_fault_user tracepoint (only its start).
 */
static int faults_attach(struct faults_bpf **out, const struct faults_opts *opts,
			 const struct faults_module *m, enum faults_attach *how)
{
	static const enum faults_attach order[] = { FA_FENTRY, FA_KPROBE, FA_TRACEPOINT };
	size_t i;
	int err = -ENOENT;

	for (i = 0; i < ARRAY_SIZE(order); i++) {
		*how = order[i];
		if ((opts->attach == FAULTS_ATTACH_FENTRY && *how != FA_FENTRY) ||
		    (opts->attach == FAULTS_ATTACH_KPROBE && *how != FA_KPROBE) ||
		    (opts->attach == FAULTS_ATTACH_TRACEPOINT && *how != FA_TRACEPOINT))
			continue;
		if (*how == FA_TRACEPOINT && !faults_have_tracepoint()) {
			if (opts->attach == FAULTS_ATTACH_TRACEPOINT)
				return vmatlas_error("%s: no such tracepoint here (x86 has it)",
						     "page_fault_user");
			continue;
		}
		err = faults_load(out, opts, m, *how);
		if (!err || err == -EPERM)
			break;
		if (faults_verbose)
			fprintf(stderr, "vmatlas: attaching with %s failed: %s\n",
				faults_attach_names[*how], strerror(-err));
	}
	if (!err)
		return 0;
	if (err == -EPERM && geteuid())
		return vmatlas_error("loading BPF needs root (CAP_BPF and CAP_PERFMON)");
	if (err == -EPERM)
		return vmatlas_error("the kernel refused BPF (lockdown, seccomp?)");
	return vmatlas_error("cannot load or attach the BPF programs (%s): %s (-v says more)",
			     faults_attach_names[*how], strerror(-err));
}

/*
 * Say which columns this kernel leaves empty, in the document and once on
 * stderr: the struct page needs the kfunc, the entries need at least the
 * layout for the walk.
 */
static void faults_columns(const struct faults_module *m, enum faults_attach how,
			   struct json_object *doc)
{
	struct json_object *missing = json_object_new_array();

	json_object_object_add(doc, "attach", json_object_new_string(faults_attach_names[how]));
	json_object_object_add(doc, "pte_source",
			       json_object_new_string(m->kfunc ? "kfunc" :
						      m->layout ? "bpf_walk" : "none"));
	json_object_object_add(doc, "pte_columns", json_object_new_boolean(m->kfunc || m->layout));
	if (!m->kfunc) {
		json_object_array_add(missing, json_object_new_string("mapcount"));
		json_object_array_add(missing, json_object_new_string("refcount"));
		json_object_array_add(missing, json_object_new_string("anon"));
		json_object_array_add(missing, json_object_new_string("zero_page"));
	}
	if (!m->kfunc && !m->layout) {
		json_object_array_add(missing, json_object_new_string("pte_before"));
		json_object_array_add(missing, json_object_new_string("pte_after"));
		fputs(faults_no_module, stderr);
	} else if (!m->kfunc) {
		fputs(faults_no_kfunc, stderr);
	}
	if (how == FA_TRACEPOINT) {
		json_object_array_add(missing, json_object_new_string("minor"));
		json_object_array_add(missing, json_object_new_string("major"));
		json_object_array_add(missing, json_object_new_string("latency_ns"));
		json_object_array_add(missing, json_object_new_string("outcome"));
		if (m->kfunc || m->layout)
			json_object_array_add(missing, json_object_new_string("pte_after"));
		fputs(faults_tracepoint, stderr);
	}
	json_object_object_add(doc, "unavailable", missing);
}

int faults_trace(const struct faults_opts *opts, struct json_object *doc)
{
	struct ring_buffer *rb = NULL;
	struct faults_stream stream;
	struct rusage ru = {};
	enum faults_attach how;
	struct faults_module m;
	struct faults_bpf *skel = NULL;
	const char *why;
	unsigned long long missed, unfollowed, dropped;
	pid_t child = 0;
	int status, ret = 1;
	char path[32];

	faults_verbose = opts->verbose;
	libbpf_set_print(faults_libbpf_print);
	if (!opts->argv) {
		snprintf(path, sizeof(path), "/proc/%d", opts->pid);
		if (access(path, F_OK))
			return vmatlas_error("pid %d: no such process", opts->pid);
	}
	faults_probe_module(&m);
	if (faults_attach(&skel, opts, &m, &how))
		return 1;
	faults_how = how;
	if (opts->events) {
		stream = (struct faults_stream){ skel, opts };
		rb = ring_buffer__new(bpf_map__fd(skel->maps.events), faults_on_event, &stream,
				      NULL);
		if (!rb) {
			vmatlas_error("cannot read the event ring buffer");
			goto out_destroy;
		}
	}
	signal(SIGINT, faults_on_signal);
	signal(SIGTERM, faults_on_signal);
	if (opts->on_ready)
		opts->on_ready(opts->event_priv);
	if (opts->argv) {
		child = faults_spawn(opts->argv);
		if (child < 0) {
			vmatlas_error("cannot run '%s': %s", opts->argv[0], strerror(-child));
			goto out_destroy;
		}
	}

	status = faults_wait(skel, rb, opts, child, &why, &ru);
	json_object_object_add(doc, "pid", json_object_new_int64(child > 0 ? child : opts->pid));
	json_object_object_add(doc, "ended", json_object_new_string(why));
	if (child > 0 && WIFEXITED(status))
		json_object_object_add(doc, "exit_status",
				       json_object_new_int64(WEXITSTATUS(status)));
	if (child > 0 && WIFSIGNALED(status))
		json_object_object_add(doc, "signal", json_object_new_int64(WTERMSIG(status)));
	/* The kernel's own final count for the command (and what it waited for). */
	if (child > 0) {
		struct json_object *r = json_object_new_object();

		json_object_object_add(r, "minflt", json_object_new_int64(ru.ru_minflt));
		json_object_object_add(r, "majflt", json_object_new_int64(ru.ru_majflt));
		json_object_object_add(doc, "rusage", r);
	}
	unfollowed = map_u64(skel->maps.counters, FC_UNFOLLOWED);
	json_object_object_add(doc, "unfollowed", json_object_new_int64(unfollowed));
	if (unfollowed)
		fprintf(stderr, "vmatlas: %llu processes of the command were not traced (%s %d)\n",
			unfollowed, "more at once than the tracer's table holds:", TRACED_MAX);
	missed = faults_missed(skel);
	json_object_object_add(doc, "missed", json_object_new_int64(missed));
	if (missed)
		fprintf(stderr, "vmatlas: the kernel skipped the tracer %llu times (BPF %s)\n",
			missed, "recursion guard on a preemptible kernel): counts may be that low");
	dropped = map_u64(skel->maps.counters, FC_DROPPED);
	json_object_object_add(doc, "dropped", json_object_new_int64(dropped));
	if (dropped)
		fprintf(stderr, "vmatlas: %llu events dropped: %s\n", dropped,
			"the ring buffer was full (--buffer makes it larger); the counts have them");
	faults_columns(&m, how, doc);
	faults_collect(skel, opts, doc);
	ret = 0;
out_destroy:
	ring_buffer__free(rb);
	faults_bpf__destroy(skel);
	return ret;
}
