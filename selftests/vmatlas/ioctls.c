// SPDX-License-Identifier: GPL-2.0
/*
 * The process commands and their debugfs views, called and checked for
 * internal consistency (ioctls.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"

#define PRESENT_OR_PROTNONE	(VMATLAS_ENT_PRESENT | VMATLAS_ENT_PROTNONE)

/*
 * A leaf the kernel counts as mapped: the hardware's present bit, PROT_NONE,
 * or (x86) a huge entry whose present bit pmdp_invalidate() cleared while
 * the THP splits (pmd_present() holds for it).
 */
static int kernel_present(unsigned long long bits)
{
	return (bits & PRESENT_OR_PROTNONE) ||
	       ((bits & VMATLAS_ENT_HUGE) && !(bits & VMATLAS_ENT_SWAP));
}

int vx_open(struct vx *x)
{
	struct vmatlas_info info = { .size = sizeof(info) };
	unsigned int i;

	memset(x, 0, sizeof(*x));
	x->fd = open(VMATLAS_TEST_DEVICE, O_RDONLY | O_CLOEXEC);
	if (x->fd < 0)
		return -errno;
	if (ioctl(x->fd, VMATLAS_IOC_INFO, &info)) {
		int err = -errno;

		close(x->fd);
		x->fd = -1;
		return err;
	}
	x->page = info.page_size;
	x->levels = info.levels;
	x->pmd = pmd_size(info.levels);
	x->pud = 1ULL << level_shift(2, info.levels);
	x->phys = !!(info.features & VMATLAS_FEAT_PHYS);
	for (i = 0; i < VMATLAS_LEVELS; i++)
		x->cont[i] = info.cont_size[i];
	return 0;
}

void vx_close(struct vx *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
}

int vx_documented(int err)
{
	switch (err) {
	case EINVAL: case ENOTTY: case EFAULT: case ESRCH: case EPERM: case ENOMEM:
	case EAGAIN: case EINTR: case E2BIG: case ERANGE:
		return 1;
	}
	return 0;
}

/*
 * A well-formed request by root, with a names buffer that holds any name and
 * no fatal signal pending, can only meet a target that exits (ESRCH), is
 * between the two halves of execve() or keeps changing (EAGAIN), or (WALK)
 * has no VMA at the address any more (ENOMEM). EINVAL there would be the
 * module taking a moving target for a caller's mistake.
 */
int vx_expected(int err, int walk)
{
	return err == ESRCH || err == EAGAIN || (walk && err == ENOMEM);
}

int vx_vmas(const struct vx *x, struct vmatlas_vmas *req, pid_t pid, unsigned long long start,
	    unsigned int flags, struct vmatlas_vma *vmas, unsigned int count, char *names,
	    unsigned int names_size)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->flags = flags;
	req->pid = pid;
	req->count = count;
	req->start = start;
	req->vmas_ptr = (uintptr_t)vmas;
	req->names_ptr = (uintptr_t)names;
	req->names_size = names_size;
	req->entry_size = sizeof(*vmas);
	return ioctl(x->fd, VMATLAS_IOC_VMAS, req) ? -errno : 0;
}

int vx_walk(const struct vx *x, struct vmatlas_walk *w, pid_t pid, unsigned long long addr)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->pid = pid;
	w->addr = addr;
	return ioctl(x->fd, VMATLAS_IOC_WALK, w) ? -errno : 0;
}

int vx_ptdump(const struct vx *x, struct vmatlas_ptdump *req, pid_t pid, unsigned int flags,
	      unsigned long long start, unsigned long long end, struct vmatlas_run *runs,
	      unsigned int count)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->flags = flags;
	req->pid = pid;
	req->count = count;
	req->start = start;
	req->end = end;
	req->runs_ptr = (uintptr_t)runs;
	req->entry_size = sizeof(*runs);
	return ioctl(x->fd, VMATLAS_IOC_PTDUMP, req) ? -errno : 0;
}

static int fail(char *why, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, len, fmt, ap);
	va_end(ap);
	return -1;
}

static int aligned(const struct vx *x, unsigned long long a)
{
	return !(a & (x->page - 1));
}

/* What a leaf at @level maps, or 0 for no such level. */
static unsigned long long level_size(const struct vx *x, unsigned int level)
{
	switch (level) {
	case VMATLAS_LEVEL_PTE:
		return x->page;
	case VMATLAS_LEVEL_PMD:
		return x->pmd;
	case VMATLAS_LEVEL_PUD:
		return x->pud;
	}
	return 0;
}

static int level_folded(const struct vx *x, unsigned int level)
{
	return (level == VMATLAS_LEVEL_P4D && x->levels < 5) ||
	       (level == VMATLAS_LEVEL_PUD && x->levels < 4) ||
	       (level == VMATLAS_LEVEL_PMD && x->levels < 3);
}

/* Counts of a VMA of @pages pages: each entry is counted once, as one thing. */
static int residency_check(const struct vmatlas_residency *r, unsigned long long pages,
			   char *why, size_t len)
{
	unsigned long long p = r->present;

	if (p + r->swap + r->zero + r->hugetlb > pages)
		return fail(why, len, "present %llu swap %llu zero %llu hugetlb %llu > %llu",
			    p, r->swap, r->zero,
			    r->hugetlb, pages);
	if (r->anon + r->file != p)
		return fail(why, len, "anon %llu + file %llu != present %llu",
			    r->anon, r->file, p);
	if (r->thp > p || r->dirty > p || r->young > p || r->shared > p || r->cow > p)
		return fail(why, len, "thp %llu dirty %llu young %llu shared %llu cow %llu > %llu",
			    r->thp, r->dirty,
			    r->young, r->shared,
			    r->cow, p);
	if (r->soft_dirty > pages)
		return fail(why, len, "soft_dirty %llu > %llu pages",
			    r->soft_dirty, pages);
	return 0;
}

int vx_vmas_check(const struct vx *x, const struct vmatlas_vmas *req,
		  unsigned long long start, unsigned int count_in, unsigned int names_in,
		  const struct vmatlas_vma *vmas, const char *names, char *why, size_t len)
{
	static const struct vmatlas_residency none;
	unsigned int i, max = count_in < 128 ? count_in : 128;

	if (req->count > max)
		return fail(why, len, "%u VMAs for room %u", req->count, count_in);
	if (!req->count && req->next)
		return fail(why, len, "no VMA but next %#llx", req->next);
	if (req->names_size > (names ? names_in : 0))
		return fail(why, len, "names_size %u > %u", req->names_size, names_in);
	for (i = 0; i < req->count; i++) {
		const struct vmatlas_vma *v = &vmas[i];
		int hugetlb = !!(v->vm_flags & VMATLAS_VM_HUGETLB);
		int kind_hugetlb = v->kind == VMATLAS_KIND_HUGETLB;

		if (v->start >= v->end || !aligned(x, v->start) || !aligned(x, v->end))
			return fail(why, len, "VMA %u: %#llx-%#llx", i,
				    v->start, v->end);
		if (v->end <= start)
			return fail(why, len, "VMA %u ends at %#llx, at or below start %#llx", i,
				    v->end, start);
		if (i && v->start < vmas[i - 1].end)
			return fail(why, len, "VMA %u at %#llx overlaps one ending at %#llx",
				    i, v->start,
				    vmas[i - 1].end);
		if (v->kind < VMATLAS_KIND_ANON || v->kind > VMATLAS_KIND_HUGETLB ||
		    hugetlb != kind_hugetlb)
			return fail(why, len, "VMA %#llx: kind %u, vm_flags %#llx",
				    v->start, v->kind,
				    v->vm_flags);
		if (v->name_off != VMATLAS_NO_NAME &&
		    (v->name_off >= req->names_size ||
		     !memchr(names + v->name_off, '\0', req->names_size - v->name_off)))
			return fail(why, len, "VMA %#llx: name_off %u outside %u bytes of names",
				    v->start, v->name_off, req->names_size);
		if (!(req->flags & VMATLAS_VMAS_RESIDENCY)) {
			if (memcmp(&v->res, &none, sizeof(none)))
				return fail(why, len, "VMA %#llx: residency not asked for",
					    v->start);
			continue;
		}
		if (residency_check(&v->res, (v->end - v->start) / x->page, why, len))
			return fail(why + strlen(why), len - strlen(why), " (VMA %#llx-%#llx)",
				    v->start, v->end);
		if (v->res.hugetlb && !hugetlb)
			return fail(why, len, "VMA %#llx: hugetlb pages outside hugetlb",
				    v->start);
		if (v->res.reserved[0] || v->res.reserved[1] || v->res.reserved[2] ||
		    v->res.reserved[3])
			return fail(why, len, "reserved residency fields set");
	}
	if (req->count && req->next && req->next < vmas[req->count - 1].end)
		return fail(why, len, "next %#llx below the last VMA's end %#llx",
			    req->next,
			    (unsigned long long)vmas[req->count - 1].end);
	return 0;
}

unsigned long long vx_tlb_size(const struct vx *x, unsigned long long size, __u64 bits,
			       unsigned int level)
{
	__u64 cont = VMATLAS_ENT_ARM64_CONT | VMATLAS_ENT_PRESENT;

	return (bits & cont) == cont && x->cont[level] ? x->cont[level] : size;
}

int vx_json_tlb_size_ok(const struct vx *x, struct json_object *r)
{
	static const char *const levels[VMATLAS_LEVELS] = { "pgd", "p4d", "pud", "pmd", "pte" };
	const char *name = json_object_get_string(json_get(r, "level"));
	struct json_object *flags = json_get(r, "flags");
	unsigned long long tlb = json_int(r, "tlb_size"), size = json_int(r, "page_size");
	__u64 bits = 0;
	unsigned int l;

	for (l = 0; l < VMATLAS_LEVELS && (!name || strcmp(levels[l], name)); l++)
		;
	if (l == VMATLAS_LEVELS)
		return 0;
	if (json_array_has(flags, "cont"))
		bits |= VMATLAS_ENT_ARM64_CONT;
	if (json_array_has(flags, "present"))
		bits |= VMATLAS_ENT_PRESENT;
	/* A valid entry with the hint needs a run size to go with it. */
	if (bits == (VMATLAS_ENT_ARM64_CONT | VMATLAS_ENT_PRESENT) && tlb <= size)
		return 0;
	return tlb == vx_tlb_size(x, size, bits, l);
}

int vx_walk_check(const struct vx *x, const struct vmatlas_walk *w, unsigned long long addr,
		  char *why, size_t len)
{
	const struct vmatlas_level *stop;
	int present = !!(w->out_flags & VMATLAS_WALK_PRESENT);
	int hidden = !!(w->out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	unsigned int i;

	if (w->addr != addr || w->vma_start > addr || addr >= w->vma_end)
		return fail(why, len, "addr %#llx (asked %#llx) outside its VMA %#llx-%#llx",
			    w->addr, addr, w->vma_start,
			    w->vma_end);
	if (w->stop_level >= VMATLAS_LEVELS)
		return fail(why, len, "stop_level %u", w->stop_level);
	if (hidden == x->phys)
		return fail(why, len, "PHYS_HIDDEN %d for an opener with phys %d", hidden, x->phys);
	for (i = 0; i < VMATLAS_LEVELS; i++) {
		const struct vmatlas_level *l = &w->levels[i];

		if (i > w->stop_level) {
			if (l->flags || l->entry || l->bits)
				return fail(why, len, "level %u below the stop %u filled", i,
					    w->stop_level);
			continue;
		}
		if (!(l->flags & VMATLAS_LVL_READ))
			return fail(why, len, "level %u above the stop not read", i);
		if (!!(l->flags & VMATLAS_LVL_FOLDED) != level_folded(x, i))
			return fail(why, len, "level %u folded %d with %u levels", i,
				    !!(l->flags & VMATLAS_LVL_FOLDED), x->levels);
		if (i < w->stop_level &&
		    (l->flags & (VMATLAS_LVL_LEAF | VMATLAS_LVL_NONE | VMATLAS_LVL_BAD)))
			return fail(why, len, "level %u ends the walk, yet it goes on to %u", i,
				    w->stop_level);
	}
	stop = &w->levels[w->stop_level];
	if (present) {
		if (!(stop->flags & VMATLAS_LVL_LEAF) || !kernel_present(stop->bits) ||
		    (stop->bits & VMATLAS_ENT_SWAP))
			return fail(why, len, "present, but stop level %u flags %#x bits %#llx",
				    w->stop_level, stop->flags, stop->bits);
		if (w->page_size != level_size(x, w->stop_level))
			return fail(why, len, "page_size %llu for a leaf at level %u",
				    w->page_size, w->stop_level);
		if (!hidden && (!w->pfn || w->phys / x->page != w->pfn ||
				(w->phys & (x->page - 1)) != (addr & (x->page - 1))))
			return fail(why, len, "pfn %#llx phys %#llx for addr %#llx",
				    w->pfn, w->phys, addr);
		if (w->swap_kind)
			return fail(why, len, "present and swap kind %u", w->swap_kind);
		if (w->tlb_size != vx_tlb_size(x, w->page_size, stop->bits, w->stop_level))
			return fail(why, len, "tlb_size %llu for a %llu leaf, bits %#llx",
				    w->tlb_size, w->page_size, stop->bits);
	} else {
		if (w->tlb_size)
			return fail(why, len, "not present, yet tlb_size %llu", w->tlb_size);
		if (w->pfn || w->phys || (w->out_flags & VMATLAS_WALK_PAGE))
			return fail(why, len, "not present, yet pfn %#llx phys %#llx out_flags %#x",
				    w->pfn, w->phys,
				    w->out_flags);
		if (w->swap_kind && (!(stop->flags & VMATLAS_LVL_LEAF) ||
				     !(stop->bits & VMATLAS_ENT_SWAP) ||
				     w->page_size != level_size(x, w->stop_level)))
			return fail(why, len, "swap %u, stop %u flags %#x bits %#llx size %llu",
				    w->swap_kind, w->stop_level, stop->flags, stop->bits,
				    w->page_size);
		if (!w->swap_kind && (w->page_size ||
				      !(stop->flags & (VMATLAS_LVL_NONE | VMATLAS_LVL_BAD))))
			return fail(why, len, "nothing mapped, yet page_size %llu, stop flags %#x",
				    w->page_size, stop->flags);
	}
	if (hidden && (w->swap_offset || w->swap_type))
		return fail(why, len, "swap slot shown to an opener without phys");
	return 0;
}

int vx_translate(const struct vx *x, struct vmatlas_translate *req, pid_t pid,
		 struct vmatlas_xlat *e, unsigned int n)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->pid = pid;
	req->count = n;
	req->xlat_ptr = (uintptr_t)e;
	req->entry_size = sizeof(*e);
	return ioctl(x->fd, VMATLAS_IOC_TRANSLATE, req) ? -errno : 0;
}

/* One entry of a TRANSLATE reply, as vx_walk_check() judges a WALK. */
static int xlat_check(const struct vx *x, const struct vmatlas_xlat *e, int hidden,
		      int einval_ok, char *why, size_t len)
{
	int present = !!(e->out_flags & VMATLAS_WALK_PRESENT);

	if (e->reserved)
		return fail(why, len, "reserved %u", e->reserved);
	if (e->error) {
		if (e->error != -ENOMEM && e->error != -EAGAIN &&
		    (!einval_ok || e->error != -EINVAL))
			return fail(why, len, "error %d for an address of the target", e->error);
		if (e->phys || e->page_size || e->entry || e->bits || e->out_flags || e->level)
			return fail(why, len, "refused (%d), yet filled", e->error);
		return 0;
	}
	if (e->level >= VMATLAS_LEVELS)
		return fail(why, len, "level %u", e->level);
	if (!!(e->out_flags & VMATLAS_OUT_PHYS_HIDDEN) != hidden)
		return fail(why, len, "entry PHYS_HIDDEN %#x, reply %d", e->out_flags, hidden);
	if (present) {
		if (!kernel_present(e->bits) || (e->bits & VMATLAS_ENT_SWAP))
			return fail(why, len, "present, but bits %#llx", e->bits);
		if (e->page_size != level_size(x, e->level))
			return fail(why, len, "page_size %llu for a leaf at level %u", e->page_size,
				    e->level);
		if (!hidden && (!e->phys || (e->phys & (x->page - 1)) != (e->addr & (x->page - 1))))
			return fail(why, len, "phys %#llx", e->phys);
		if (e->swap_kind)
			return fail(why, len, "present and swap kind %u", e->swap_kind);
	} else {
		if (e->phys)
			return fail(why, len, "not present, yet phys %#llx", e->phys);
		if (e->swap_kind && (!(e->bits & VMATLAS_ENT_SWAP) ||
				     e->page_size != level_size(x, e->level)))
			return fail(why, len, "swap %u, bits %#llx, size %llu", e->swap_kind,
				    e->bits, e->page_size);
		if (!e->swap_kind && e->page_size)
			return fail(why, len, "nothing mapped, yet page_size %llu", e->page_size);
	}
	if (hidden && (e->swap_offset || e->swap_type))
		return fail(why, len, "swap slot shown to an opener without phys");
	return 0;
}

int vx_translate_check(const struct vx *x, const struct vmatlas_translate *req,
		       const unsigned long long *addr, const struct vmatlas_xlat *e,
		       unsigned int n, int einval_ok, char *why, size_t len)
{
	int hidden = !!(req->out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	unsigned int i;

	if (req->count != n)
		return fail(why, len, "%u entries done of %u", req->count, n);
	if (hidden == x->phys)
		return fail(why, len, "PHYS_HIDDEN %d for an opener with phys %d", hidden, x->phys);
	for (i = 0; i < n; i++) {
		if (e[i].addr != addr[i])
			return fail(why, len, "entry %u: addr %#llx, asked %#llx", i, e[i].addr,
				    addr[i]);
		if (xlat_check(x, &e[i], hidden, einval_ok, why, len)) {
			size_t used = strlen(why);

			snprintf(why + used, len - used, " (entry %u, %#llx)", i, addr[i]);
			return -1;
		}
	}
	return 0;
}

int vx_ptdump_check(const struct vx *x, const struct vmatlas_ptdump *req,
		    unsigned long long start, unsigned long long end, unsigned int count_in,
		    const struct vmatlas_run *runs, char *why, size_t len)
{
	unsigned int i, max = count_in < 256 ? count_in : 256;
	int hidden = !!(req->out_flags & VMATLAS_OUT_PHYS_HIDDEN);

	if (req->count > max)
		return fail(why, len, "%u runs for room %u", req->count, count_in);
	if (hidden == x->phys)
		return fail(why, len, "PHYS_HIDDEN %d for an opener with phys %d", hidden, x->phys);
	for (i = 0; i < req->count; i++) {
		const struct vmatlas_run *r = &runs[i];
		int above_pte = r->level != VMATLAS_LEVEL_PTE;

		if (r->start >= r->end || r->start < start || r->end > end ||
		    !aligned(x, r->start) || !aligned(x, r->end))
			return fail(why, len, "run %u %#llx-%#llx outside %#llx-%#llx", i,
				    r->start, r->end,
				    start, end);
		if (i && r->start < runs[i - 1].end)
			return fail(why, len, "run %u at %#llx overlaps one ending at %#llx",
				    i, r->start,
				    runs[i - 1].end);
		if (r->level < VMATLAS_LEVEL_PUD || r->level > VMATLAS_LEVEL_PTE ||
		    r->page_size != level_size(x, r->level))
			return fail(why, len, "run %#llx: level %u page_size %llu",
				    r->start, r->level,
				    r->page_size);
		if (!!(r->bits & VMATLAS_ENT_SWAP) == kernel_present(r->bits))
			return fail(why, len, "run %#llx: bits %#llx neither present nor swap",
				    r->start, r->bits);
		if (!(r->bits & VMATLAS_ENT_SWAP) &&
		    !!(r->bits & VMATLAS_ENT_HUGE) != above_pte)
			return fail(why, len, "run %#llx: level %u, bits %#llx",
				    r->start, r->level,
				    r->bits);
		if (r->phys != VMATLAS_NO_PHYS &&
		    (hidden || (r->bits & VMATLAS_ENT_SWAP) || !aligned(x, r->phys)))
			return fail(why, len, "run %#llx: phys %#llx with bits %#llx hidden %d",
				    r->start, r->phys,
				    r->bits, hidden);
		/* Sharing only when asked, of present pages, one answer or none. */
		if (r->page_flags &&
		    (!(req->flags & VMATLAS_PTDUMP_SHARING) || (r->bits & VMATLAS_ENT_SWAP) ||
		     (r->page_flags != VMATLAS_RUN_PRIVATE && r->page_flags != VMATLAS_RUN_SHARED)))
			return fail(why, len, "run %#llx: page_flags %#x, bits %#llx, asked %#x",
				    r->start, r->page_flags, r->bits, req->flags);
	}
	if (req->next && (req->next <= start || req->next >= end || !aligned(x, req->next) ||
			  (req->count && req->next < runs[req->count - 1].end)))
		return fail(why, len, "next %#llx for %#llx-%#llx after %u runs",
			    req->next, start, end, req->count);
	/* A short batch ends between two VMAs, when a writer waits: never empty. */
	if (req->next && !req->count)
		return fail(why, len, "next %#llx with no run (room %u)", req->next, max);
	return 0;
}

ssize_t vx_dbg_read(const char *view, pid_t pid, unsigned long long addr, char *buf,
		    size_t len)
{
	char path[128], num[32];
	int ret;

	snprintf(num, sizeof(num), "%d", pid);
	ret = write_file(VMATLAS_TEST_DEBUGFS "/pid", num);
	if (ret)
		return ret;
	snprintf(num, sizeof(num), "%#llx", addr);
	ret = write_file(VMATLAS_TEST_DEBUGFS "/addr", num);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), VMATLAS_TEST_DEBUGFS "/%s", view);
	return read_file(path, buf, len);
}

/* "error -11", "pid 5: error -3", "0x10: error -12": the errno, else 0. */
static int line_error(const char *line)
{
	unsigned long long a, b;
	const char *e;
	int err;

	if (sscanf(line, "%llx-%llx", &a, &b) == 2 || !strncmp(line, "    ", 4))
		return 0;
	e = strstr(line, "error ");
	if (!e || sscanf(e, "error %d", &err) != 1)
		return 0;
	return err < 0 ? -err : 1000 + err;
}

static const char kind_fmt[] =
	"    kind %u vm_flags %*x present %llu swap %llu anon %llu file %llu thp %llu hugetlb %llu";
static const char dirty_fmt[] =
	"    dirty %llu young %llu shared %llu cow %llu zero %llu soft_dirty %llu";

static int dbg_maps_line(const struct vx *x, const char *line, unsigned long long *last_end,
			 struct vmatlas_residency *r, unsigned long long *pages, char *why,
			 size_t len)
{
	unsigned long long s, e;
	unsigned int kind;

	if (!strncmp(line, "    kind ", 9)) {
		if (sscanf(line, kind_fmt, &kind, &r->present,
			   &r->swap, &r->anon,
			   &r->file, &r->thp,
			   &r->hugetlb) != 7)
			return fail(why, len, "bad line '%s'", line);
		return 0;
	}
	if (!strncmp(line, "    dirty ", 10)) {
		if (sscanf(line, dirty_fmt,
			   &r->dirty, &r->young,
			   &r->shared, &r->cow,
			   &r->zero,
			   &r->soft_dirty) != 6)
			return fail(why, len, "bad line '%s'", line);
		return residency_check(r, *pages, why, len);
	}
	if (sscanf(line, "%llx-%llx ", &s, &e) != 2)
		return fail(why, len, "bad line '%s'", line);
	/*
	 * Batches are not one snapshot, but each starts where the last one
	 * stopped, so the ends still rise.
	 */
	if (s >= e || !aligned(x, s) || !aligned(x, e) || e <= *last_end)
		return fail(why, len, "VMA %llx-%llx after one ending at %llx", s, e, *last_end);
	*last_end = e;
	*pages = (e - s) / x->page;
	memset(r, 0, sizeof(*r));
	return 0;
}

static int dbg_ptdump_line(const struct vx *x, const char *line, unsigned long long *last_end,
			   char *why, size_t len)
{
	static const char *const names[] = { "pgd", "p4d", "pud", "pmd", "pte" };
	unsigned long long s, e, kb, bits, phys;
	unsigned int level;
	char name[8];

	if (sscanf(line, "%llx-%llx %lluK %7s bits %llx phys %llx", &s, &e, &kb, name, &bits,
		   &phys) != 6)
		return fail(why, len, "bad line '%s'", line);
	for (level = 0; level < VMATLAS_LEVELS; level++)
		if (!strcmp(name, names[level]))
			break;
	/* Each batch covers from where the last stopped: runs never go back. */
	if (s >= e || s < *last_end || !aligned(x, s) || !aligned(x, e) ||
	    kb != (e - s) >> 10 || !level_size(x, level) ||
	    (phys != VMATLAS_NO_PHYS && !kernel_present(bits)))
		return fail(why, len, "run '%s' after one ending at %llx", line, *last_end);
	*last_end = e;
	return 0;
}

static int dbg_walk_text(const struct vx *x, const char *text, unsigned long long addr,
			 char *why, size_t len)
{
	unsigned long long a, s, e, size, phys, pfn;
	const char *last = text, *p;
	int levels = 0;

	if (sscanf(text, "addr %llx vma %llx-%llx", &a, &s, &e) != 3)
		return fail(why, len, "bad walk view '%.80s'", text);
	if (a != addr || s > a || a >= e)
		return fail(why, len, "addr %llx (asked %llx) outside its VMA %llx-%llx", a, addr,
			    s, e);
	for (p = strchr(text, '\n'); p && p[1]; p = strchr(p + 1, '\n')) {
		last = p + 1;
		if (strncmp(last, "present", 7) && strncmp(last, "swap", 4) &&
		    strncmp(last, "not present", 11))
			levels++;
	}
	if (levels < 1 || levels > VMATLAS_LEVELS)
		return fail(why, len, "%d levels in '%s'", levels, text);
	if (sscanf(last, "present page_size %llu phys %llx pfn %llx", &size, &phys, &pfn) == 3) {
		if ((x->phys && (phys / x->page != pfn || (phys ^ addr) & (x->page - 1))) ||
		    (!x->phys && (phys || pfn)) ||
		    (size != x->page && size != x->pmd && size != x->pud))
			return fail(why, len, "'%s' for addr %llx", last, addr);
	} else if (strncmp(last, "swap kind", 9) && strncmp(last, "not present", 11)) {
		return fail(why, len, "walk view ends '%s'", last);
	}
	return 0;
}

int vx_dbg_check(const struct vx *x, const char *view, const char *text,
		 unsigned long long addr, int *err, char *why, size_t len)
{
	unsigned long long last_end = 0, pages = 0;
	struct vmatlas_residency r = {};
	const char *line = text;
	char buf[512];

	*err = 0;
	while (*line) {
		size_t n = strcspn(line, "\n");

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) - 1 ? n : sizeof(buf) - 1),
			 line);
		*err = line_error(buf);
		if (*err) {
			if (line[n] && line[n + 1])
				return fail(why, len, "text after '%s'", buf);
			return 0;
		}
		if (!strcmp(view, "walk"))
			return dbg_walk_text(x, text, addr, why, len);
		if (!strcmp(view, "maps") ?
		    dbg_maps_line(x, buf, &last_end, &r, &pages, why, len) :
		    dbg_ptdump_line(x, buf, &last_end, why, len))
			return -1;
		line += n + !!line[n];
	}
	return 0;
}

__u64 vx_rnd(__u64 *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

__u64 vx_seed(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (ts.tv_nsec ^ (__u64)gettid() << 32) | 1;
}

char *vx_map_aligned(size_t len, size_t align, int prot, int flags, int fd)
{
	char *room, *p;

	room = mmap(NULL, len + align, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE,
		    -1, 0);
	if (room == MAP_FAILED)
		return NULL;
	p = (char *)(((uintptr_t)room + align - 1) & ~(uintptr_t)(align - 1));
	if (mmap(p, len, prot, flags | MAP_FIXED, fd, 0) == MAP_FAILED) {
		munmap(room, len + align);
		return NULL;
	}
	if (p > room)
		munmap(room, p - room);
	munmap(p + len, room + align - p);
	return p;
}
