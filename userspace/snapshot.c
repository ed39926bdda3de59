// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshots: an address space read from the device (the VMAs with their
 * residency, then the leaves of their page tables as runs), written as JSON
 * in the maps vocabulary, and read back.
 *
 * A snapshot is a sequence of reads, as /proc's files are: a process that
 * maps or touches memory meanwhile may show a VMA without the pages the
 * second read found, never an inconsistent page.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "libvmatlas.h"
#include "names.h"
#include "output.h"
#include "snapshot.h"
#include "util.h"

static const char *const snap_states[] = {
	[SNAP_NONE] = "none",
	[SNAP_PRESENT] = "present",
	[SNAP_SWAP] = "swap",
	[SNAP_OTHER] = "other",
};

const char *snap_state_name(enum snap_state state)
{
	return state < ARRAY_SIZE(snap_states) ? snap_states[state] : "unknown";
}

size_t snap_run_after(const struct snapshot *s, unsigned long long addr)
{
	size_t lo = 0, hi = s->nruns;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s->runs[mid].end <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static struct snap_run *snap_run_add(struct snapshot *s)
{
	struct snap_run *r;

	if (s->nruns == s->runs_room) {
		size_t room = s->runs_room ? 2 * s->runs_room : 256;

		r = reallocarray(s->runs, room, sizeof(*r));
		if (!r)
			return NULL;
		s->runs = r;
		s->runs_room = room;
	}
	r = &s->runs[s->nruns++];
	memset(r, 0, sizeof(*r));
	r->pfn = SNAP_NO_NUMBER;
	r->swap_offset = SNAP_NO_NUMBER;
	return r;
}

/* Does @r go on with @page, the base page right after it, alike but for its frame? */
static bool snap_run_extends(const struct snap_run *r, const struct snapshot *s,
			     const struct snap_run *page)
{
	unsigned long long n = (r->end - r->start) / s->page_size;

	if (r->end != page->start || r->state != page->state ||
	    r->leaf_size != page->leaf_size || r->bits != page->bits ||
	    r->sharing != page->sharing)
		return false;
	if (r->pfn != SNAP_NO_NUMBER && r->pfn + n != page->pfn)
		return false;
	if (r->swap_offset != SNAP_NO_NUMBER &&
	    (r->swap_type != page->swap_type || r->swap_offset + n != page->swap_offset))
		return false;
	return true;
}

/*
 * The base pages of a ptdump run whose frames do not follow each other, or
 * whose entries are not present: TRANSLATE each, and cut runs where the
 * frame, the swap slot or the state do not go on. Their sharing is the ptdump
 * run's: it was cut where that changed.
 */
static int snap_translate_run(int fd, struct snapshot *s, const struct vmatlas_run *run)
{
	struct vmatlas_xlat x[512];
	unsigned long long addr = run->start;
	struct snap_run *r = NULL;
	unsigned int i, n, flags;
	int err;

	while (addr < run->end) {
		n = 0;
		for (; n < 512 && addr + n * s->page_size < run->end; n++)
			x[n].addr = addr + n * s->page_size;
		err = vmatlas_translate(fd, s->pid, x, n, &flags);
		if (err)
			return err;
		for (i = 0; i < n; i++, addr += s->page_size) {
			struct snap_run page = {
				.start = addr, .end = addr + s->page_size,
				.leaf_size = x[i].page_size, .pfn = SNAP_NO_NUMBER,
				.swap_offset = SNAP_NO_NUMBER, .state = SNAP_OTHER,
				.bits = x[i].bits,
			};

			/* Gone between the two reads: the next snapshot will say. */
			if (x[i].error || !x[i].page_size)
				continue;
			if (x[i].out_flags & VMATLAS_WALK_PRESENT) {
				page.state = SNAP_PRESENT;
				page.sharing = vmatlas_run_sharing(run);
				if (!(flags & VMATLAS_OUT_PHYS_HIDDEN))
					page.pfn = x[i].phys / s->page_size;
			} else if (x[i].swap_kind == VMATLAS_SWP_SWAP) {
				page.state = SNAP_SWAP;
				if (!(flags & VMATLAS_OUT_PHYS_HIDDEN)) {
					page.swap_offset = x[i].swap_offset;
					page.swap_type = x[i].swap_type;
				}
			}
			if (r && snap_run_extends(r, s, &page)) {
				r->end = page.end;
				continue;
			}
			r = snap_run_add(s);
			if (!r)
				return -ENOMEM;
			*r = page;
		}
	}
	return 0;
}

static int snap_take_runs(int fd, struct snapshot *s)
{
	struct vmatlas_run_list list = {};
	size_t i;
	int err;

	if (!s->nvmas)
		return 0;
	/* Who else maps each page; a module before VMATLAS_PTDUMP_SHARING refuses it. */
	list.flags = VMATLAS_PTDUMP_SHARING;
	err = vmatlas_read_runs(fd, s->pid, s->vmas[0].start, s->vmas[s->nvmas - 1].end, &list);
	if (err == -EINVAL) {
		vmatlas_run_list_free(&list);
		err = vmatlas_read_runs(fd, s->pid, s->vmas[0].start, s->vmas[s->nvmas - 1].end,
					&list);
	}
	if (err) {
		vmatlas_run_list_free(&list);
		return err;
	}
	s->sharing = list.flags & VMATLAS_PTDUMP_SHARING;
	s->phys_hidden = list.out_flags & VMATLAS_OUT_PHYS_HIDDEN;
	for (i = 0; i < list.count && !err; i++) {
		const struct vmatlas_run *run = &list.runs[i];
		struct snap_run *r;

		/* A present run whose frames follow each other (or cannot be known). */
		if ((run->bits & VMATLAS_ENT_PRESENT) &&
		    (run->phys != VMATLAS_NO_PHYS || s->phys_hidden)) {
			r = snap_run_add(s);
			if (!r) {
				err = -ENOMEM;
				break;
			}
			r->start = run->start;
			r->end = run->end;
			r->leaf_size = run->page_size;
			r->state = SNAP_PRESENT;
			r->bits = run->bits;
			r->sharing = vmatlas_run_sharing(run);
			if (!s->phys_hidden)
				r->pfn = run->phys / s->page_size;
			continue;
		}
		err = snap_translate_run(fd, s, run);
	}
	vmatlas_run_list_free(&list);
	return err;
}

static int snap_take_vmas(int fd, struct snapshot *s)
{
	struct vmatlas_vma_list list = {};
	size_t i;
	int err;

	err = vmatlas_read_vmas(fd, s->pid, true, &list);
	if (err)
		return err;
	s->vmas = calloc(list.count ? list.count : 1, sizeof(*s->vmas));
	if (!s->vmas) {
		vmatlas_vma_list_free(&list);
		return -ENOMEM;
	}
	for (i = 0; i < list.count; i++) {
		const struct vmatlas_vma *v = &list.vmas[i];
		const char *name = vmatlas_vma_name(&list, i);
		struct snap_vma *sv = &s->vmas[i];

		*sv = (struct snap_vma){
			.start = v->start, .end = v->end, .pgoff = v->pgoff, .inode = v->inode,
			.vm_flags = v->vm_flags, .kind = v->kind, .dev_major = v->dev_major,
			.dev_minor = v->dev_minor, .res = v->res,
		};
		sv->path = strdup(name ? name : "");
		if (!sv->path) {
			err = -ENOMEM;
			break;
		}
		s->nvmas++;
	}
	vmatlas_vma_list_free(&list);
	return err;
}

/* Snapshot reads of the VMAs before one that is sorted and apart. */
#define SNAP_TRIES	8

/* The first VMA of @s that starts below the end of the one before it, or 0. */
static size_t snap_vmas_overlap(const struct snapshot *s)
{
	size_t i;

	for (i = 1; i < s->nvmas; i++)
		if (s->vmas[i].start < s->vmas[i - 1].end)
			return i;
	return 0;
}

static void snap_free_vmas(struct snapshot *s)
{
	size_t i;

	for (i = 0; i < s->nvmas; i++)
		free(s->vmas[i].path);
	free(s->vmas);
	s->vmas = NULL;
	s->nvmas = 0;
}

/**
 * snapshot_take() - read @pid's address space into @s
 * @fd: from vmatlas_open()
 * @pid: the process
 * @s: a zeroed snapshot; snapshot_free() it whatever this returns
 *
 * Return: 0 or a negative errno, explained by snapshot_strerror().
 */
int snapshot_take(int fd, int pid, struct snapshot *s)
{
	struct vmatlas_info info;
	char path[64];
	time_t now = time(NULL);
	int err, tries;
	FILE *f;

	err = vmatlas_get_info(fd, &info);
	if (err)
		return err;
	s->pid = pid;
	s->page_size = info.page_size;
	snprintf(s->kernel, sizeof(s->kernel), "%s", (const char *)info.release);
	snprintf(s->arch, sizeof(s->arch), "%s", (const char *)info.arch);
	strftime(s->time, sizeof(s->time), "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (f) {
		if (fgets(s->comm, sizeof(s->comm), f))
			s->comm[strcspn(s->comm, "\n")] = '\0';
		fclose(f);
	}
	/*
	 * The VMAs come in batches; a VMA that grew or merged between two
	 * of them is seen twice, overlapping. Read again, as a seqcount
	 * reader would, and give up after a few.
	 */
	for (tries = 0; tries < SNAP_TRIES; tries++) {
		err = snap_take_vmas(fd, s);
		if (err || !snap_vmas_overlap(s))
			break;
		snap_free_vmas(s);
		err = -EAGAIN;
	}
	if (!err)
		err = snap_take_runs(fd, s);
	return err;
}

/**
 * snapshot_strerror() - what a failure of snapshot_take() means
 * @err: its return value
 * @pid: the process it was about
 */
const char *snapshot_strerror(int err, int pid)
{
	static const char changing[] = "its VMAs kept changing while read; try again";
	static char buf[96];

	if (err == -ENOMEM)
		return strerror(ENOMEM);
	if (err != -EAGAIN)
		return vmatlas_strerror();
	if (!pid)
		return changing;
	snprintf(buf, sizeof(buf), "pid %d: %s", pid, changing);
	return buf;
}

static void snap_write_vma(struct out_json *j, const struct snap_vma *sv)
{
	const struct vmatlas_vma v = {
		.start = sv->start, .end = sv->end, .pgoff = sv->pgoff, .inode = sv->inode,
		.vm_flags = sv->vm_flags, .dev_major = sv->dev_major, .dev_minor = sv->dev_minor,
		.kind = sv->kind, .res = sv->res,
	};

	names_json_vma(j, &v, sv->path);
}

static void snap_write_run(struct out_json *j, const struct snap_run *r)
{
	out_json_object(j, NULL);
	out_json_hex(j, "start", r->start);
	out_json_hex(j, "end", r->end);
	out_json_str(j, "state", snap_state_name(r->state));
	out_json_u64(j, "leaf_size", r->leaf_size);
	out_json_hex_or_null(j, "pfn", r->pfn != SNAP_NO_NUMBER, r->pfn);
	if (r->swap_offset != SNAP_NO_NUMBER) {
		out_json_u64(j, "swap_type", r->swap_type);
		out_json_hex(j, "swap_offset", r->swap_offset);
	} else {
		out_json_null(j, "swap_type");
		out_json_null(j, "swap_offset");
	}
	names_json_bits(j, "flags", &names_ent, r->bits);
	if (r->sharing)
		out_json_bool(j, "shared", r->sharing == VMATLAS_RUN_SHARED);
	else
		out_json_null(j, "shared");
	out_json_close(j);
}

/* @s as one JSON document: the maps vocabulary, plus "runs" of pages. */
void snapshot_write(FILE *out, const struct snapshot *s)
{
	struct out_json j;
	size_t i;

	out_json_begin(&j, out);
	out_json_u64(&j, "snapshot", SNAP_FORMAT);
	out_json_s64(&j, "pid", s->pid);
	out_json_str(&j, "comm", s->comm);
	out_json_str(&j, "time", s->time);
	out_json_str(&j, "kernel", s->kernel);
	out_json_str(&j, "arch", s->arch);
	out_json_u64(&j, "page_size", s->page_size);
	out_json_bool(&j, "phys_hidden", s->phys_hidden);
	out_json_bool(&j, "sharing", s->sharing);
	out_json_array(&j, "vmas");
	for (i = 0; i < s->nvmas; i++)
		snap_write_vma(&j, &s->vmas[i]);
	out_json_close(&j);
	out_json_array(&j, "runs");
	for (i = 0; i < s->nruns; i++)
		snap_write_run(&j, &s->runs[i]);
	out_json_close(&j);
	out_json_end(&j);
}

/* Reading back: a member that is missing or of the wrong type is an error. */
struct snap_reader {
	char *err;
	size_t len;
	bool bad;
};

__attribute__((format(printf, 2, 3)))
static void snap_bad(struct snap_reader *rd, const char *fmt, ...)
{
	va_list ap;

	if (rd->bad)
		return;
	rd->bad = true;
	va_start(ap, fmt);
	vsnprintf(rd->err, rd->len, fmt, ap);
	va_end(ap);
}

static struct json_object *snap_get(struct snap_reader *rd, struct json_object *obj,
				    const char *key, json_type type)
{
	struct json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) || !json_object_is_type(v, type)) {
		snap_bad(rd, "\"%s\" is missing or not a %s", key, json_type_to_name(type));
		return NULL;
	}
	return v;
}

static unsigned long long snap_get_u64(struct snap_reader *rd, struct json_object *obj,
				       const char *key)
{
	struct json_object *v = snap_get(rd, obj, key, json_type_int);

	return v ? (unsigned long long)json_object_get_uint64(v) : 0;
}

/* "0x1f" as a number; null as SNAP_NO_NUMBER where @nullable. */
static unsigned long long snap_get_hex(struct snap_reader *rd, struct json_object *obj,
				       const char *key, bool nullable)
{
	struct json_object *v;
	const char *str;
	char *end;
	unsigned long long n;

	if (nullable && json_object_object_get_ex(obj, key, &v) && !v)
		return SNAP_NO_NUMBER;
	v = snap_get(rd, obj, key, json_type_string);
	if (!v)
		return 0;
	str = json_object_get_string(v);
	errno = 0;
	n = strtoull(str, &end, 16);
	if (strncmp(str, "0x", 2) || *end || errno)
		snap_bad(rd, "\"%s\": '%s' is not a hexadecimal number", key, str);
	return n;
}

static const char *snap_get_str(struct snap_reader *rd, struct json_object *obj, const char *key)
{
	struct json_object *v = snap_get(rd, obj, key, json_type_string);

	return v ? json_object_get_string(v) : "";
}

static unsigned int snap_kind_value(const char *name)
{
	unsigned int k;

	for (k = 0; k < 64; k++)
		if (!strcmp(names_kind(k), name))
			return k;
	return 0;
}

static void snap_read_vma(struct snap_reader *rd, struct json_object *o, struct snap_vma *v)
{
	struct json_object *pages, *flags;
	unsigned int maj = 0, min = 0;
	size_t k;

	v->start = snap_get_hex(rd, o, "start", false);
	v->end = snap_get_hex(rd, o, "end", false);
	v->pgoff = snap_get_hex(rd, o, "offset", false);
	v->inode = snap_get_u64(rd, o, "inode");
	v->path = strdup(snap_get_str(rd, o, "path"));
	v->kind = snap_kind_value(snap_get_str(rd, o, "kind"));
	if (sscanf(snap_get_str(rd, o, "dev"), "%x:%x", &maj, &min) != 2)
		snap_bad(rd, "\"dev\" is not MAJOR:MINOR");
	v->dev_major = maj;
	v->dev_minor = min;
	flags = snap_get(rd, o, "flags", json_type_array);
	if (flags)
		v->vm_flags = names_json_to_bits(&names_vm, flags);
	pages = snap_get(rd, o, "pages", json_type_object);
	for (k = 0; pages && k < names_residency_count; k++)
		names_residency_set(&v->res, k, snap_get_u64(rd, pages, names_residency[k].key));
	if (!v->path)
		snap_bad(rd, "out of memory");
}

static void snap_read_run(struct snap_reader *rd, struct json_object *o, struct snap_run *r)
{
	struct json_object *flags, *type, *shared;
	const char *state = snap_get_str(rd, o, "state");
	unsigned int s;

	r->start = snap_get_hex(rd, o, "start", false);
	r->end = snap_get_hex(rd, o, "end", false);
	r->leaf_size = snap_get_u64(rd, o, "leaf_size");
	r->pfn = snap_get_hex(rd, o, "pfn", true);
	r->swap_offset = snap_get_hex(rd, o, "swap_offset", true);
	if (json_object_object_get_ex(o, "swap_type", &type) && type)
		r->swap_type = json_object_get_int(type);
	r->state = SNAP_OTHER + 1;
	for (s = SNAP_PRESENT; s <= SNAP_OTHER; s++)
		if (!strcmp(state, snap_states[s]))
			r->state = s;
	if (r->state > SNAP_OTHER)
		snap_bad(rd, "\"state\": '%s' is not a state of a run", state);
	flags = snap_get(rd, o, "flags", json_type_array);
	if (flags)
		r->bits = names_json_to_bits(&names_ent, flags);
	/* Snapshots before sharing have no "shared": not known. */
	if (json_object_object_get_ex(o, "shared", &shared) && shared)
		r->sharing = json_object_get_boolean(shared) ? VMATLAS_RUN_SHARED :
							       VMATLAS_RUN_PRIVATE;
	if (r->end <= r->start)
		snap_bad(rd, "run 0x%llx-0x%llx: empty", r->start, r->end);
}

/* The VMAs and the runs must be sorted and apart, as snapshot_take() makes them. */
static void snap_check_order(struct snap_reader *rd, const struct snapshot *s)
{
	size_t i;

	unsigned long long mask = s->page_size - 1;

	for (i = 0; i < s->nvmas; i++) {
		if (s->vmas[i].end <= s->vmas[i].start)
			snap_bad(rd, "VMA 0x%llx-0x%llx: empty", s->vmas[i].start, s->vmas[i].end);
		if ((s->vmas[i].start | s->vmas[i].end) & mask)
			snap_bad(rd, "VMA 0x%llx-0x%llx: not on page boundaries", s->vmas[i].start,
				 s->vmas[i].end);
	}
	for (i = 0; i < s->nruns; i++)
		if ((s->runs[i].start | s->runs[i].end) & mask)
			snap_bad(rd, "run 0x%llx-0x%llx: not on page boundaries", s->runs[i].start,
				 s->runs[i].end);
	i = snap_vmas_overlap(s);
	if (i)
		snap_bad(rd, "VMA 0x%llx: not after the one before it", s->vmas[i].start);
	for (i = 1; i < s->nruns; i++)
		if (s->runs[i].start < s->runs[i - 1].end)
			snap_bad(rd, "run 0x%llx: not after the one before it", s->runs[i].start);
}

/**
 * snapshot_read() - read a file snapshot_write() wrote
 * @path: the file
 * @s: a zeroed snapshot; snapshot_free() it whatever this returns
 * @err: where to say what is wrong, @len bytes
 *
 * Return: 0, or -1 with the reason in @err.
 */
int snapshot_read(const char *path, struct snapshot *s, char *err, size_t len)
{
	struct snap_reader rd = { .err = err, .len = len };
	struct json_object *doc, *vmas, *runs, *sharing;
	size_t i, n;

	doc = json_object_from_file(path);
	if (!doc) {
		snprintf(err, len, "%s", errno == ENOENT || errno == EACCES ? strerror(errno) :
					 "not a JSON document");
		return -1;
	}
	if (snap_get_u64(&rd, doc, "snapshot") != SNAP_FORMAT && !rd.bad)
		snap_bad(&rd, "not a vmatlas snapshot of format %d", SNAP_FORMAT);
	s->pid = snap_get_u64(&rd, doc, "pid");
	snprintf(s->comm, sizeof(s->comm), "%s", snap_get_str(&rd, doc, "comm"));
	snprintf(s->time, sizeof(s->time), "%s", snap_get_str(&rd, doc, "time"));
	snprintf(s->kernel, sizeof(s->kernel), "%s", snap_get_str(&rd, doc, "kernel"));
	snprintf(s->arch, sizeof(s->arch), "%s", snap_get_str(&rd, doc, "arch"));
	s->page_size = snap_get_u64(&rd, doc, "page_size");
	/* The smallest base page of any architecture Linux runs on is 4 KiB. */
	if (!rd.bad && (s->page_size < 4096 || (s->page_size & (s->page_size - 1))))
		snap_bad(&rd, "\"page_size\": %llu is not a page size", s->page_size);
	/* Optional: snapshots before it did not say who else maps a page. */
	if (json_object_object_get_ex(doc, "sharing", &sharing))
		s->sharing = json_object_get_boolean(sharing);
	vmas = snap_get(&rd, doc, "vmas", json_type_array);
	runs = snap_get(&rd, doc, "runs", json_type_array);
	if (!rd.bad) {
		n = json_object_array_length(vmas);
		s->vmas = calloc(n ? n : 1, sizeof(*s->vmas));
		for (i = 0; s->vmas && i < n && !rd.bad; i++, s->nvmas++)
			snap_read_vma(&rd, json_object_array_get_idx(vmas, i), &s->vmas[i]);
		n = json_object_array_length(runs);
		s->runs = calloc(n ? n : 1, sizeof(*s->runs));
		s->runs_room = n;
		for (i = 0; s->runs && i < n && !rd.bad; i++, s->nruns++)
			snap_read_run(&rd, json_object_array_get_idx(runs, i), &s->runs[i]);
		if (!s->vmas || !s->runs)
			snap_bad(&rd, "out of memory");
		snap_check_order(&rd, s);
	}
	json_object_put(doc);
	return rd.bad ? -1 : 0;
}

void snapshot_free(struct snapshot *s)
{
	snap_free_vmas(s);
	free(s->runs);
	memset(s, 0, sizeof(*s));
}
