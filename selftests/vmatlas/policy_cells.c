// SPDX-License-Identifier: GPL-2.0
/*
 * policy_test's subjects: each becomes who it is in a process of its own,
 * opens the device its way and reports what it sees of every facet; and the
 * check that no reply carries a byte the module did not write.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest.h"
#include "policy.h"

static int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static int walk(int fd, pid_t pid, void *addr, struct vmatlas_walk *w)
{
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->pid = pid;
	w->addr = (uintptr_t)addr;
	return xioctl(fd, VMATLAS_IOC_WALK, w);
}

static int ptdump(int fd, pid_t pid, void *addr, struct vmatlas_ptdump *q,
		  struct vmatlas_run *run)
{
	memset(q, 0, sizeof(*q));
	memset(run, 0, sizeof(*run));
	q->size = sizeof(*q);
	q->pid = pid;
	q->start = (uintptr_t)addr;
	q->end = q->start + getpagesize();
	q->count = 1;
	q->entry_size = sizeof(*run);
	q->runs_ptr = (uintptr_t)run;
	return xioctl(fd, VMATLAS_IOC_PTDUMP, q);
}

/* Y if every call succeeded, P if each was refused with EPERM. */
static char calls_outcome(const int *e, const char *const *names, int n, char *why)
{
	int i, ok = 0, perm = 0, len = 0;

	for (i = 0; i < n; i++) {
		ok += !e[i];
		perm += e[i] == EPERM;
		if (len < POLICY_WHY)
			len += snprintf(why + len, POLICY_WHY - len, "%s%s %s", i ? ", " : "",
					names[i], e[i] ? strerror(e[i]) : "ok");
	}
	return ok == n ? 'Y' : perm == n ? 'P' : '?';
}

static char process_facet(int fd, pid_t pid, char *page, char *why)
{
	static const char *const names[] = { "WALK", "VMAS", "PTDUMP" };
	struct vmatlas_vma vmas[4];
	struct vmatlas_vmas q = {
		.size = sizeof(q), .pid = pid, .count = 4, .entry_size = sizeof(vmas[0]),
		.vmas_ptr = (uintptr_t)vmas,
	};
	struct vmatlas_ptdump pq;
	struct vmatlas_run run;
	struct vmatlas_walk w;
	int e[3];

	e[0] = walk(fd, pid, page, &w);
	e[1] = xioctl(fd, VMATLAS_IOC_VMAS, &q);
	e[2] = ptdump(fd, pid, page, &pq, &run);
	return calls_outcome(e, names, 3, why);
}

static char kernel_facet(int fd, char *why)
{
	static const char *const names[] = { "LAYOUT", "KADDR", "LAB", "SEGMENTS" };
	static struct vmatlas_segments segs;
	static struct vmatlas_layout layout;
	struct vmatlas_kaddr k = { .size = sizeof(k), .addr = 0x1000 };
	struct vmatlas_lab_page pg;
	struct vmatlas_lab lab = {
		.size = sizeof(lab), .kind = VMATLAS_LAB_KMALLOC, .count = 1, .bytes = 64,
		.pages_ptr = (uintptr_t)&pg, .entry_size = sizeof(pg),
	};
	int e[4];

	memset(&layout, 0, sizeof(layout));
	layout.size = sizeof(layout);
	memset(&segs, 0, sizeof(segs));
	segs.size = sizeof(segs);
	e[0] = xioctl(fd, VMATLAS_IOC_LAYOUT, &layout);
	e[1] = xioctl(fd, VMATLAS_IOC_KADDR, &k);
	e[2] = xioctl(fd, VMATLAS_IOC_LAB, &lab);
	e[3] = xioctl(fd, VMATLAS_IOC_SEGMENTS, &segs);
	if (!e[0] && !layout.count)
		e[0] = ENODATA;
	/* Allowed where there is no segmentation: EOPNOTSUPP, after the policy said yes. */
	if (e[3] == EOPNOTSUPP)
		e[3] = 0;
	return calls_outcome(e, names, 4, why);
}

/* Physical addresses: all shown, or all zero with the flags saying so. */
static char phys_facet(int fd, const struct vmatlas_walk *w, char *page, char *why)
{
	struct vmatlas_info info = { .size = sizeof(info) };
	struct vmatlas_ptdump q;
	struct vmatlas_run run;
	bool shown, hidden, pfn_bits = false;
	int i, e;

	for (i = 0; i < VMATLAS_LEVELS; i++)
		pfn_bits |= !!(w->levels[i].entry & PFN_BITS);
	if (xioctl(fd, VMATLAS_IOC_INFO, &info))
		return 'E';
	e = ptdump(fd, getpid(), page, &q, &run);
	snprintf(why, POLICY_WHY,
		 "phys %#llx pfn %#llx flags %#x, PFN bits %d, FEAT_PHYS %d, PTDUMP %d %#llx %#x",
		 (unsigned long long)w->phys, (unsigned long long)w->pfn, w->out_flags, pfn_bits,
		 !!(info.features & VMATLAS_FEAT_PHYS), e, (unsigned long long)run.phys,
		 q.out_flags);
	if (e)
		return '?';
	shown = !(w->out_flags & VMATLAS_OUT_PHYS_HIDDEN) && w->phys && w->pfn &&
		(w->levels[w->stop_level].entry & PFN_BITS) &&
		(info.features & VMATLAS_FEAT_PHYS) &&
		!(q.out_flags & VMATLAS_OUT_PHYS_HIDDEN) && run.phys != VMATLAS_NO_PHYS;
	hidden = (w->out_flags & VMATLAS_OUT_PHYS_HIDDEN) && !w->phys && !w->pfn && !pfn_bits &&
		 !(info.features & VMATLAS_FEAT_PHYS) &&
		 (q.out_flags & VMATLAS_OUT_PHYS_HIDDEN) && run.phys == VMATLAS_NO_PHYS;
	return shown ? 'Y' : hidden ? 'H' : '?';
}

/*
 * Page-table addresses: levels[].table, and the frame number in each entry
 * above the leaf, which is the address of the table below it.
 */
static char tables_facet(const struct vmatlas_walk *w, char *why)
{
	int i, nonzero = 0, upper = 0, upper_pfn = 0;

	for (i = 0; i < VMATLAS_LEVELS; i++) {
		nonzero += !!w->levels[i].table;
		if (i < (int)w->stop_level && !(w->levels[i].flags & VMATLAS_LVL_LEAF)) {
			upper++;
			upper_pfn += !!(w->levels[i].entry & PFN_BITS);
		}
	}
	snprintf(why, POLICY_WHY,
		 "%d tables non-zero, leaf's %#llx, %d of %d upper entries with a PFN, flags %#x",
		 nonzero, (unsigned long long)w->levels[w->stop_level].table, upper_pfn, upper,
		 w->out_flags);
	if (!(w->out_flags & VMATLAS_OUT_TABLES_HIDDEN) && w->levels[w->stop_level].table &&
	    w->levels[0].table && upper && upper_pfn == upper)
		return 'Y';
	return (w->out_flags & VMATLAS_OUT_TABLES_HIDDEN) && !nonzero && !upper_pfn ? 'H' : '?';
}

static char facts_facet(const struct vmatlas_walk *w, char *why)
{
	static const struct vmatlas_page none;

	snprintf(why, POLICY_WHY, "flags %#x, page flags %#llx mapcount %d refcount %d",
		 w->out_flags, (unsigned long long)w->page.flags, w->page.mapcount,
		 w->page.refcount);
	if ((w->out_flags & VMATLAS_WALK_PAGE) && w->page.mapcount >= 1 &&
	    w->page.refcount >= 1 && (w->page.flags & VMATLAS_PG_ANON))
		return 'Y';
	return !(w->out_flags & VMATLAS_WALK_PAGE) && !memcmp(&w->page, &none, sizeof(none)) &&
	       (w->out_flags & VMATLAS_OUT_PHYS_HIDDEN) ? 'H' : '?';
}

int policy_send_fd(int sock, int fd)
{
	char c = 0, cbuf[CMSG_SPACE(sizeof(int))] = {};
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&m);

	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	return sendmsg(sock, &m, 0) == 1 ? 0 : -1;
}

int policy_recv_fd(int sock)
{
	char c, cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { .iov_base = &c, .iov_len = 1 };
	struct msghdr m = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm;
	int fd;

	if (recvmsg(sock, &m, 0) != 1)
		return -1;
	cm = CMSG_FIRSTHDR(&m);
	if (!cm || cm->cmsg_type != SCM_RIGHTS) {
		errno = EBADMSG;
		return -1;
	}
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

int policy_drop_admin_for_good(void)
{
	if (prctl(PR_CAPBSET_DROP, CAP_SYS_ADMIN, 0, 0, 0))
		return -errno;
	return drop_cap_sys_admin();
}

/* Become @s and open the device as @s does; -1 with errno if that fails. */
static int subject_open(enum policy_subject s, int sock, const char *node)
{
	switch (s) {
	case SUBJ_ROOT:
		return open(VMATLAS_TEST_DEVICE, O_RDONLY);
	case SUBJ_NOADMIN:
		if (policy_drop_admin_for_good())
			return -1;
		return open(VMATLAS_TEST_DEVICE, O_RDONLY);
	case SUBJ_NOBODY:
		return become_nobody() ? -1 : open(VMATLAS_TEST_DEVICE, O_RDONLY);
	case SUBJ_NOBODY_0666:
		return become_nobody() ? -1 : open(node, O_RDONLY);
	default:
		return become_nobody() ? -1 : policy_recv_fd(sock);
	}
}

/* In the subject's process: try every facet, write what was seen into @v. */
static void subject_main(enum policy_subject s, int sock, const struct policy_world *self)
{
	struct policy_verdict *v = self->v;
	struct vmatlas_walk w;
	int fd, f, e;

	fd = subject_open(s, sock, self->node);
	if (fd < 0) {
		e = errno;
		for (f = 0; f < NR_FACET; f++) {
			v->got[f] = e == EACCES ? 'A' : '?';
			snprintf(v->why[f], POLICY_WHY, "open: %s", strerror(e));
		}
		return;
	}
	/* Its own copy of the pages: private, exclusive, present. */
	memset(self->page, 2, POLICY_NPAGES * getpagesize());
	v->got[FACET_OWN] = process_facet(fd, getpid(), self->page, v->why[FACET_OWN]);
	v->got[FACET_OTHER] = process_facet(fd, self->other, self->page, v->why[FACET_OTHER]);
	v->got[FACET_KERNEL] = kernel_facet(fd, v->why[FACET_KERNEL]);
	e = walk(fd, getpid(), self->page, &w);
	if (e) {
		for (f = FACET_PHYS; f <= FACET_FACTS; f++) {
			v->got[f] = e == EPERM ? 'P' : '?';
			snprintf(v->why[f], POLICY_WHY, "WALK of its own page: %s", strerror(e));
		}
		return;
	}
	v->got[FACET_PHYS] = phys_facet(fd, &w, self->page, v->why[FACET_PHYS]);
	v->got[FACET_TABLES] = tables_facet(&w, v->why[FACET_TABLES]);
	v->got[FACET_FACTS] = facts_facet(&w, v->why[FACET_FACTS]);
}

void policy_run_subject(enum policy_subject s, const struct policy_world *self)
{
	int sv[2] = { -1, -1 }, f, fd;
	pid_t pid;

	for (f = 0; f < NR_FACET; f++) {
		self->v->got[f] = '?';
		snprintf(self->v->why[f], POLICY_WHY, "the subject did not report");
	}
	if (s == SUBJ_PASSED && socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
		return;
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		subject_main(s, sv[1], self);
		_exit(0);
	}
	if (pid > 0 && s == SUBJ_PASSED) {
		fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
		policy_send_fd(sv[0], fd);
		close(fd);
	}
	if (sv[0] >= 0) {
		close(sv[0]);
		close(sv[1]);
	}
	if (pid > 0)
		waitpid(pid, NULL, 0);
}

/*
 * Every byte of a reply written: each ioctl is called twice with the same
 * input, its reply buffers filled with 0x00 and then with 0xff. Bytes that
 * differ are bytes the module left alone, unless they lie in a field whose
 * value may change between two calls (a fresh allocation, a reference
 * count); there, a word that reads 0x00000000 after the first call and
 * 0xffffffff after the second is still one the module did not write.
 */
struct span {
	unsigned short off, len;	/* a field... */
	unsigned short stride, n;	/* ... repeated @n times every @stride bytes */
};

#define U32_AT(type, field)	{ offsetof(type, field), sizeof(__u32) }
#define U64_AT(type, field)	{ offsetof(type, field), sizeof(__u64) }
#define PAGE_AT(name)		{ offsetof(struct name, page), sizeof(struct vmatlas_page) }
#define ENTRY_TAIL	8	/* entries are asked one __u64 larger: zeroed by the module */

/* The arrays a request points to: the same for both calls, as all input is. */
static struct {
	unsigned char arr[8 * (sizeof(struct vmatlas_vma) + ENTRY_TAIL)];
	unsigned char names[4096];
} out;

struct reply {
	unsigned char req[sizeof(struct vmatlas_layout)];
	unsigned char arr[sizeof(out.arr)];	/* copies of @out after the call */
	unsigned char names[sizeof(out.names)];
	size_t req_len, entry_len, entry_ksize, entries, names_len;
};

struct bytes_ctx {
	pid_t pid;
	char *page;
	__u64 kaddr;		/* a kernel address for KADDR */
	__u32 lab_kind;
};

struct bytes_case {
	const char *name;
	int (*call)(int fd, struct reply *r, const struct bytes_ctx *c);
	bool kernel;
	struct span vol[3], zero[3];		/* in the request */
	struct span evol[3], ezero[3];		/* in each array entry */
};

static void set_entries(struct reply *r, size_t ksize, size_t n)
{
	r->entry_ksize = ksize;
	r->entry_len = ksize + ENTRY_TAIL;
	r->entries = n;
}

static int call_info(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_info *q = (void *)r->req;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->reserved = 0;
	return xioctl(fd, VMATLAS_IOC_INFO, q);
}

static int call_vmas(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_vmas *q = (void *)r->req;
	int ret;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = VMATLAS_VMAS_RESIDENCY;
	q->pid = c->pid;
	q->count = 8;
	q->start = 0;
	q->vmas_ptr = (uintptr_t)out.arr;
	q->names_ptr = (uintptr_t)out.names;
	q->names_size = sizeof(out.names);
	q->entry_size = sizeof(struct vmatlas_vma) + ENTRY_TAIL;
	q->reserved = 0;
	ret = xioctl(fd, VMATLAS_IOC_VMAS, q);
	set_entries(r, sizeof(struct vmatlas_vma), ret ? 0 : q->count);
	r->names_len = ret ? 0 : q->names_size;
	return ret;
}

static int call_walk(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_walk *q = (void *)r->req;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->pid = c->pid;
	q->addr = (uintptr_t)c->page;
	q->reserved = 0;
	return xioctl(fd, VMATLAS_IOC_WALK, q);
}

static int call_ptdump(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_ptdump *q = (void *)r->req;
	int ret;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->pid = c->pid;
	q->count = 4;
	q->start = (uintptr_t)c->page;
	q->end = q->start + POLICY_NPAGES * getpagesize();
	q->runs_ptr = (uintptr_t)out.arr;
	q->entry_size = sizeof(struct vmatlas_run) + ENTRY_TAIL;
	ret = xioctl(fd, VMATLAS_IOC_PTDUMP, q);
	set_entries(r, sizeof(struct vmatlas_run), ret ? 0 : q->count);
	return ret;
}

/* Each entry's address is input; the module writes the rest of it. */
static int call_translate(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_translate *q = (void *)r->req;
	size_t len = sizeof(struct vmatlas_xlat) + ENTRY_TAIL;
	unsigned int i;
	int ret;

	for (i = 0; i < POLICY_NPAGES; i++) {
		__u64 addr = (uintptr_t)c->page + i * getpagesize();

		memcpy(out.arr + i * len, &addr, sizeof(addr));
	}
	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->pid = c->pid;
	q->count = POLICY_NPAGES;
	q->xlat_ptr = (uintptr_t)out.arr;
	q->entry_size = len;
	ret = xioctl(fd, VMATLAS_IOC_TRANSLATE, q);
	set_entries(r, sizeof(struct vmatlas_xlat), ret ? 0 : q->count);
	return ret;
}

static int call_layout(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_layout *q = (void *)r->req;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	return xioctl(fd, VMATLAS_IOC_LAYOUT, q);
}

static int call_kaddr(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_kaddr *q = (void *)r->req;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->addr = c->kaddr;
	q->reserved = 0;
	return xioctl(fd, VMATLAS_IOC_KADDR, q);
}

static int call_lab(int fd, struct reply *r, const struct bytes_ctx *c)
{
	struct vmatlas_lab *q = (void *)r->req;
	int ret;

	r->req_len = sizeof(*q);
	q->size = sizeof(*q);
	q->flags = 0;
	q->kind = c->lab_kind;
	q->count = 4;
	q->bytes = 3 * getpagesize();
	q->pages_ptr = (uintptr_t)out.arr;
	q->entry_size = sizeof(struct vmatlas_lab_page) + ENTRY_TAIL;
	ret = xioctl(fd, VMATLAS_IOC_LAB, q);
	set_entries(r, sizeof(struct vmatlas_lab_page), ret ? 0 : q->count);
	return ret;
}

/* The residency counts may move; its reserved words may not. */
#define RES_COUNTS	{ offsetof(struct vmatlas_vma, res), \
			  offsetof(struct vmatlas_residency, reserved) }
#define RES_RESERVED	{ offsetof(struct vmatlas_vma, res.reserved), 4 * sizeof(__u64) }
/* A lab page's va, phys and logical are a fresh allocation's each time. */
#define LAB_ADDRS	{ offsetof(struct vmatlas_lab_page, va), 3 * sizeof(__u64) }
#define REGION_RES	{ offsetof(struct vmatlas_layout, regions[0].reserved), sizeof(__u32), \
			  sizeof(struct vmatlas_region), VMATLAS_MAX_REGIONS }

static const struct bytes_case cases[] = {
	{ "INFO", call_info, .zero = { U32_AT(struct vmatlas_info, reserved) } },
	{ "VMAS", call_vmas, .zero = { U32_AT(struct vmatlas_vmas, reserved) },
	  .evol = { RES_COUNTS }, .ezero = { RES_RESERVED } },
	{ "WALK", call_walk, .vol = { PAGE_AT(vmatlas_walk) },
	  .zero = { U32_AT(struct vmatlas_walk, reserved),
		    U32_AT(struct vmatlas_walk, page.reserved) } },
	{ "PTDUMP", call_ptdump, .ezero = { U32_AT(struct vmatlas_run, page_flags) } },
	{ "TRANSLATE", call_translate, .ezero = { U32_AT(struct vmatlas_xlat, reserved) } },
	{ "LAYOUT", call_layout, true, .zero = { REGION_RES } },
	{ "KADDR", call_kaddr, true, .vol = { PAGE_AT(vmatlas_kaddr) },
	  .zero = { U32_AT(struct vmatlas_kaddr, reserved),
		    U32_AT(struct vmatlas_kaddr, page.reserved) } },
	{ "LAB", call_lab, true,
	  .vol = { U64_AT(struct vmatlas_lab, va), U32_AT(struct vmatlas_lab, out_flags) },
	  .evol = { LAB_ADDRS } },
};

static bool in_spans(const struct span *s, size_t i)
{
	unsigned int k;

	for (; s->len; s++)
		for (k = 0; k < (s->n ? s->n : 1); k++)
			if (i >= s->off + k * s->stride && i < s->off + k * s->stride + s->len)
				return true;
	return false;
}

/* The aligned 32-bit word around byte @i kept both fill patterns. */
static bool word_unwritten(const unsigned char *a, const unsigned char *b, size_t i)
{
	__u32 wa, wb;

	memcpy(&wa, a + (i & ~3UL), 4);
	memcpy(&wb, b + (i & ~3UL), 4);
	return wa == 0 && wb == 0xffffffffU;
}

/*
 * @len bytes as the module left them after the 0x00 (@a) and 0xff (@b)
 * calls; from byte @ksize on they must be zero (an entry's tail).
 */
static int cmp_bytes(const char *what, const unsigned char *a, const unsigned char *b,
		     size_t len, size_t ksize, const struct span *vol, const struct span *zero)
{
	int bad = 0;
	size_t i;

	for (i = 0; i < len; i++) {
		const char *wrong = NULL;

		if ((i >= ksize || in_spans(zero, i)) && (a[i] || b[i]))
			wrong = "is reserved, not zero";
		else if (a[i] != b[i] && (!in_spans(vol, i) || word_unwritten(a, b, i)))
			wrong = "was not written";
		if (wrong && bad++ < 4)
			ksft_print_msg("  %s byte %zu %s: %#04x, then %#04x %s\n", what, i,
				       wrong, a[i], b[i], "after the 0x00 and the 0xff fill");
	}
	return bad;
}

static const char *const lab_kind_name[] = {
	[VMATLAS_LAB_KMALLOC] = " kmalloc", [VMATLAS_LAB_VMALLOC] = " vmalloc",
	[VMATLAS_LAB_PAGES] = " pages", [VMATLAS_LAB_KMAP] = " kmap",
};

static int check_case(int fd, const struct bytes_case *bc, const struct bytes_ctx *c,
		      const char *who)
{
	static struct reply r[2];
	int k, e[2], bad = 0, tries = 0;
	size_t i;

	/*
	 * A batch may end early (a writer waits for the lock, the CPU is
	 * wanted): the bytes of two calls compare only if they gave as much.
	 */
	do {
		for (k = 0; k < 2; k++) {
			memset(r[k].req, k ? 0xff : 0, sizeof(r[k].req));
			memset(&out, k ? 0xff : 0, sizeof(out));
			r[k].entries = 0;
			r[k].names_len = 0;
			e[k] = bc->call(fd, &r[k], c);
			memcpy(r[k].arr, out.arr, sizeof(out.arr));
			memcpy(r[k].names, out.names, sizeof(out.names));
		}
	} while (!e[0] && !e[1] && ++tries < 5 &&
		 (r[0].entries != r[1].entries || r[0].names_len != r[1].names_len));
	if (e[0] || e[1]) {
		ksft_print_msg("bytes %s as %s: failed: %s, %s\n", bc->name, who, strerror(e[0]),
			       strerror(e[1]));
		return 1;
	}
	if (r[0].entries != r[1].entries || r[0].names_len != r[1].names_len) {
		ksft_print_msg("bytes %s as %s: %zu then %zu entries\n", bc->name, who,
			       r[0].entries, r[1].entries);
		return 1;
	}
	bad += cmp_bytes(bc->name, r[0].req, r[1].req, r[0].req_len, r[0].req_len, bc->vol,
			 bc->zero);
	for (i = 0; i < r[0].entries; i++)
		bad += cmp_bytes(bc->name, r[0].arr + i * r[0].entry_len,
				 r[1].arr + i * r[0].entry_len, r[0].entry_len, r[0].entry_ksize,
				 bc->evol, bc->ezero);
	if (memcmp(r[0].names, r[1].names, r[0].names_len)) {
		ksft_print_msg("  %s: the names differ\n", bc->name);
		bad++;
	}
	ksft_print_msg("bytes %s%s as %s: %zu-byte reply, %zu entries: %s\n", bc->name,
		       bc->call == call_lab ? lab_kind_name[c->lab_kind] : "",
		       who, r[0].req_len, r[0].entries,
		       bad ? "NOT all written" : "every byte written, reserved zero");
	return !!bad;
}

int policy_bytes_check(int fd, const char *who, pid_t pid, void *page, bool kernel)
{
	static struct vmatlas_layout layout;
	struct bytes_ctx c = { .pid = pid, .page = page };
	int bad = 0;
	size_t i;

	if (kernel) {
		memset(&layout, 0, sizeof(layout));
		layout.size = sizeof(layout);
		if (xioctl(fd, VMATLAS_IOC_LAYOUT, &layout))
			return 1;
		c.kaddr = layout.page_offset;
	}
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		if (cases[i].kernel && !kernel)
			continue;
		if (cases[i].call != call_lab) {
			bad += check_case(fd, &cases[i], &c, who);
			continue;
		}
		for (c.lab_kind = VMATLAS_LAB_KMALLOC; c.lab_kind <= VMATLAS_LAB_KMAP; c.lab_kind++)
			bad += check_case(fd, &cases[i], &c, who);
	}
	return bad;
}
