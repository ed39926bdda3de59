// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection, as syzkaller does it: every ioctl of the UAPI, with valid
 * input on this process, under /proc/thread-self/fail-nth
 * (Documentation/fault-injection/fault-injection.rst). For n = 1, 2, ... the
 * n-th fault site the call reaches fails (a slab or page allocation, or a
 * copy from or to user memory), until a call runs through all its sites
 * without one. Each call must either succeed with the output it gives
 * without injection, or fail with ENOMEM or EFAULT; the kernel log must stay
 * clean. Then kmemleak must find no unreferenced object that vmatlas
 * allocated.
 *
 * Needs CONFIG_FAULT_INJECTION (the debug target): SKIP elsewhere; without
 * kmemleak only the leak check is skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"

#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define FI_DEBUGFS	"/sys/kernel/debug/"
#define KMEMLEAK	FI_DEBUGFS "kmemleak"
#define PAGE		4096
#define AREA_PAGES	16
#define MAX_NTH		4000	/* far more sites than any call has */
#define VMAS_N		16
#define NAMES_LEN	(2 * PAGE)
#define RUNS_N		64
#define LAB_PAGES_N	16
#define XLAT_N		80	/* more than one chunk of 64 */

/*
 * The walk's settings. fail-nth overrides probability, interval, times,
 * space and task-filter, but not what each capability itself ignores: by
 * default sleeping (GFP_KERNEL) and highmem allocations, which is what the
 * module asks for. An injected failure is expected: no message, no stack.
 */
static const struct {
	const char *file, *value;
} fi_settings[] = {
	{ "failslab/ignore-gfp-wait", "N" },
	{ "failslab/cache-filter", "N" },
	{ "failslab/verbose", "0" },
	{ "fail_page_alloc/ignore-gfp-wait", "N" },
	{ "fail_page_alloc/ignore-gfp-highmem", "N" },
	{ "fail_page_alloc/min-order", "0" },
	{ "fail_page_alloc/verbose", "0" },
	{ "fail_usercopy/verbose", "0" },
};

#define N_SETTINGS	ARRAY_SIZE(fi_settings)

enum op { OP_INFO, OP_VMAS, OP_WALK, OP_PTDUMP, OP_LAYOUT, OP_KADDR, OP_LAB, OP_TRANSLATE };

static const unsigned long op_cmd[] = {
	[OP_INFO] = VMATLAS_IOC_INFO,		[OP_VMAS] = VMATLAS_IOC_VMAS,
	[OP_WALK] = VMATLAS_IOC_WALK,		[OP_PTDUMP] = VMATLAS_IOC_PTDUMP,
	[OP_LAYOUT] = VMATLAS_IOC_LAYOUT,	[OP_KADDR] = VMATLAS_IOC_KADDR,
	[OP_LAB] = VMATLAS_IOC_LAB,		[OP_TRANSLATE] = VMATLAS_IOC_TRANSLATE,
};

union request {
	struct vmatlas_info info;
	struct vmatlas_vmas vmas;
	struct vmatlas_walk walk;
	struct vmatlas_ptdump ptdump;
	struct vmatlas_layout layout;
	struct vmatlas_kaddr kaddr;
	struct vmatlas_lab lab;
	struct vmatlas_translate translate;
};

/* One call: the request and the user buffers it points to. */
struct call {
	union request req;
	struct vmatlas_vma vmas[VMAS_N];
	char names[NAMES_LEN];
	struct vmatlas_run runs[RUNS_N];
	struct vmatlas_lab_page pages[LAB_PAGES_N];
	struct vmatlas_xlat xlat[XLAT_N];
	int ret, err;
};

/* Static, so mlockall() has them resident: no page fault inside a copy. */
static struct call ref, cur;
static char area[AREA_PAGES * PAGE] __attribute__((aligned(PAGE)));
static __u64 kaddr_addr;

/* The settings as they were before the walk. */
struct fi_saved {
	char value[N_SETTINGS][32];
	bool changed[N_SETTINGS];
};

FIXTURE(failnth) {
	int fd, nth, kmsg;
	struct fi_saved fi;
};

/* What a variant calls: the command, and the allocation LAB makes. */
struct op_desc {
	enum op op;
	__u32 lab_kind;
	__u32 lab_bytes;
};

FIXTURE_VARIANT(failnth) {
	struct op_desc d;
};

FIXTURE_VARIANT_ADD(failnth, info) {
	.d = { OP_INFO },
};

FIXTURE_VARIANT_ADD(failnth, vmas) {
	.d = { OP_VMAS },
};

FIXTURE_VARIANT_ADD(failnth, walk) {
	.d = { OP_WALK },
};

FIXTURE_VARIANT_ADD(failnth, ptdump) {
	.d = { OP_PTDUMP },
};

FIXTURE_VARIANT_ADD(failnth, translate) {
	.d = { OP_TRANSLATE },
};

FIXTURE_VARIANT_ADD(failnth, layout) {
	.d = { OP_LAYOUT },
};

FIXTURE_VARIANT_ADD(failnth, kaddr) {
	.d = { OP_KADDR },
};

FIXTURE_VARIANT_ADD(failnth, lab_kmalloc) {
	.d = { OP_LAB, VMATLAS_LAB_KMALLOC, 3 * PAGE },
};

FIXTURE_VARIANT_ADD(failnth, lab_vmalloc) {
	.d = { OP_LAB, VMATLAS_LAB_VMALLOC, 4 * PAGE },
};

FIXTURE_VARIANT_ADD(failnth, lab_pages) {
	.d = { OP_LAB, VMATLAS_LAB_PAGES, 4 * PAGE },
};

FIXTURE_VARIANT_ADD(failnth, lab_kmap) {
	.d = { OP_LAB, VMATLAS_LAB_KMAP, 2 * PAGE },
};

static __u64 uptr(const void *p)
{
	return (uintptr_t)p;
}

/* A fresh valid request for @v, its output buffers poisoned. */
static void prepare(const struct op_desc *v, struct call *c)
{
	union request *r = &c->req;
	unsigned int i;

	memset(c, 0xa5, sizeof(*c));
	memset(r, 0, sizeof(*r));
	r->info.size = _IOC_SIZE(op_cmd[v->op]);
	switch (v->op) {
	case OP_INFO:
	case OP_LAYOUT:
		break;
	case OP_VMAS:
		r->vmas.flags = VMATLAS_VMAS_RESIDENCY;
		r->vmas.pid = getpid();
		r->vmas.count = VMAS_N;
		r->vmas.vmas_ptr = uptr(c->vmas);
		r->vmas.entry_size = sizeof(c->vmas[0]);
		r->vmas.names_ptr = uptr(c->names);
		r->vmas.names_size = sizeof(c->names);
		break;
	case OP_WALK:
		r->walk.pid = getpid();
		r->walk.addr = uptr(area) + 3 * PAGE + 0x123;
		break;
	case OP_PTDUMP:
		r->ptdump.pid = getpid();
		r->ptdump.start = uptr(area);
		r->ptdump.end = uptr(area) + sizeof(area);
		r->ptdump.count = RUNS_N;
		r->ptdump.runs_ptr = uptr(c->runs);
		r->ptdump.entry_size = sizeof(c->runs[0]);
		break;
	case OP_KADDR:
		r->kaddr.addr = kaddr_addr;
		break;
	case OP_TRANSLATE:
		r->translate.pid = getpid();
		r->translate.count = XLAT_N;
		r->translate.xlat_ptr = uptr(c->xlat);
		r->translate.entry_size = sizeof(c->xlat[0]);
		for (i = 0; i < XLAT_N; i++)
			c->xlat[i].addr = uptr(area) + i % AREA_PAGES * PAGE + i;
		break;
	case OP_LAB:
		r->lab.kind = v->lab_kind;
		r->lab.bytes = v->lab_bytes;
		r->lab.count = LAB_PAGES_N;
		r->lab.pages_ptr = uptr(c->pages);
		r->lab.entry_size = sizeof(c->pages[0]);
		break;
	}
}

static void call_plain(int fd, const struct op_desc *v, struct call *c)
{
	prepare(v, c);
	c->ret = ioctl(fd, op_cmd[v->op], &c->req);
	c->err = c->ret ? errno : 0;
}

/* A lab allocation lands elsewhere each time: its shape must not change. */
static const char *differ_lab(const struct call *a, const struct call *b)
{
	const struct vmatlas_lab *x = &a->req.lab, *y = &b->req.lab;
	__u32 i;

	if (x->size != y->size || x->count != y->count || x->npages != y->npages ||
	    y->count > LAB_PAGES_N)
		return "size, count or npages";
	if (x->region != y->region || !y->va)
		return "va";
	/* Separate pages may happen to be contiguous; one allocation is. */
	if ((x->kind == VMATLAS_LAB_KMALLOC || x->kind == VMATLAS_LAB_PAGES) &&
	    x->out_flags != y->out_flags)
		return "out_flags";
	for (i = 0; i < y->count; i++)
		if (a->pages[i].region != b->pages[i].region ||
		    a->pages[i].flags != b->pages[i].flags || !b->pages[i].va)
			return "pages";
	return NULL;
}

/* What a successful call @b answered otherwise than the reference @a, or NULL. */
static const char *differ(const struct op_desc *v, const struct call *a,
			  const struct call *b)
{
	const union request *x = &a->req, *y = &b->req;

	switch (v->op) {
	case OP_VMAS:
		if (x->vmas.size != y->vmas.size || x->vmas.count != y->vmas.count ||
		    x->vmas.next != y->vmas.next || x->vmas.out_flags != y->vmas.out_flags ||
		    x->vmas.names_size != y->vmas.names_size || y->vmas.count > VMAS_N ||
		    y->vmas.names_size > NAMES_LEN)
			return "size, count, next, names_size or out_flags";
		if (memcmp(a->vmas, b->vmas, y->vmas.count * sizeof(a->vmas[0])))
			return "vmas";
		if (memcmp(a->names, b->names, y->vmas.names_size))
			return "names";
		return NULL;
	case OP_PTDUMP:
		if (x->ptdump.size != y->ptdump.size || x->ptdump.count != y->ptdump.count ||
		    x->ptdump.next != y->ptdump.next ||
		    x->ptdump.out_flags != y->ptdump.out_flags || y->ptdump.count > RUNS_N)
			return "size, count, next or out_flags";
		if (memcmp(a->runs, b->runs, y->ptdump.count * sizeof(a->runs[0])))
			return "runs";
		return NULL;
	case OP_LAB:
		return differ_lab(a, b);
	case OP_TRANSLATE:
		/* xlat_ptr points into each call's own entries. */
		if (x->translate.size != y->translate.size ||
		    x->translate.count != y->translate.count ||
		    x->translate.out_flags != y->translate.out_flags)
			return "size, count or out_flags";
		return memcmp(a->xlat, b->xlat, sizeof(a->xlat)) ? "the entries" : NULL;
	default:
		return memcmp(x, y, _IOC_SIZE(op_cmd[v->op])) ? "the reply" : NULL;
	}
}

static int nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return pwrite(fd, buf, len, 0) == len ? 0 : -errno;
}

/*
 * 1 if the fault set up by nth_set() was injected, 0 if not, or -errno.
 * The read's own copy to user memory is a fault site too: if the call left
 * exactly one site to go, that copy fails (EFAULT), so no fault was injected
 * during the call.
 */
static int nth_injected(int fd)
{
	char buf[16];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n < 0)
		return errno == EFAULT ? 0 : -errno;
	buf[n] = '\0';
	return strtoul(buf, NULL, 10) == 0;
}

/* Stop injecting. The write's copy may be the last pending site: retry. */
static int nth_clear(int fd)
{
	int i;

	for (i = 0; i < 3; i++)
		if (pwrite(fd, "0", 1, 0) == 1)
			return 0;
	return -errno;
}

/*
 * Count kernel log records since the last call that the harness would call a
 * kernel report, or allocation warnings; the first goes to an empty @first.
 */
static int kmsg_scan(int fd, char *first, size_t len)
{
	static const char *const bad[] = {
		"BUG:", "WARNING:", "Oops", "Call Trace", "general protection",
		"KASAN:", "KFENCE:", "UBSAN:", "kernel BUG", "blocked for more than",
		"Poison overwritten", "Redzone", "Object padding", "Freepointer corrupt",
		"allocation failure", "vmalloc error",
	};
	char rec[1024], *msg;
	int found = 0;
	ssize_t n;
	size_t i;

	if (fd < 0)
		return 0;
	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;	/* records were overwritten: go on */
		if (n <= 0)
			break;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		msg = msg ? msg + 1 : rec;
		msg[strcspn(msg, "\n")] = '\0';
		for (i = 0; i < ARRAY_SIZE(bad); i++) {
			if (!strstr(msg, bad[i]))
				continue;
			if (!found++ && !first[0])
				snprintf(first, len, "%.*s", (int)len - 1, msg);
			break;
		}
	}
	return found;
}

static void settings_restore(struct fi_saved *fi)
{
	char path[128];
	size_t i;

	for (i = 0; i < N_SETTINGS; i++) {
		if (!fi->changed[i])
			continue;
		snprintf(path, sizeof(path), FI_DEBUGFS "%s", fi_settings[i].file);
		write_file(path, fi->value[i]);
		fi->changed[i] = false;
	}
}

FIXTURE_SETUP(failnth)
{
	char path[128], buf[32];
	int have = 0;
	size_t i;

	self->fd = -1;
	self->nth = -1;
	self->kmsg = -1;
	memset(&self->fi, 0, sizeof(self->fi));
	if (access(FAIL_NTH, F_OK))
		SKIP(return, "no %s: this kernel has no CONFIG_FAULT_INJECTION", FAIL_NTH);
	self->fd = open(VMATLAS_TEST_DEVICE, O_RDWR);
	ASSERT_LE(0, self->fd) TH_LOG("%s: %s", VMATLAS_TEST_DEVICE, strerror(errno));
	self->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth) TH_LOG("%s: %s", FAIL_NTH, strerror(errno));
	memset(area, 1, sizeof(area));
	ASSERT_EQ(0, mlockall(MCL_CURRENT | MCL_FUTURE)) TH_LOG("mlockall: %s", strerror(errno));
	self->kmsg = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (self->kmsg >= 0)
		lseek(self->kmsg, 0, SEEK_END);

	for (i = 0; i < N_SETTINGS; i++) {
		snprintf(path, sizeof(path), FI_DEBUGFS "%s", fi_settings[i].file);
		if (read_file(path, buf, sizeof(buf)) < 0)
			continue;	/* that capability is not built in */
		buf[strcspn(buf, "\n")] = '\0';
		snprintf(self->fi.value[i], sizeof(self->fi.value[i]), "%s", buf);
		if (write_file(path, fi_settings[i].value)) {
			settings_restore(&self->fi);
			ASSERT_TRUE(0) TH_LOG("cannot write %s to %s", fi_settings[i].value, path);
		}
		self->fi.changed[i] = true;
		have++;
	}
	if (!have) {
		settings_restore(&self->fi);
		SKIP(return, "no failslab, fail_page_alloc or fail_usercopy in %s", FI_DEBUGFS);
	}
}

FIXTURE_TEARDOWN(failnth)
{
	if (self->nth >= 0) {
		nth_clear(self->nth);
		close(self->nth);
	}
	settings_restore(&self->fi);
	munlockall();
	if (self->kmsg >= 0)
		close(self->kmsg);
	if (self->fd >= 0)
		close(self->fd);
}

/* KADDR looks up the first page of kernel text (or the direct map). */
static int kaddr_pick(int fd)
{
	static struct vmatlas_layout l;
	__u32 i;

	memset(&l, 0, sizeof(l));
	l.size = sizeof(l);
	if (ioctl(fd, VMATLAS_IOC_LAYOUT, &l))
		return -errno;
	kaddr_addr = l.page_offset;
	for (i = 0; i < l.count && i < VMATLAS_MAX_REGIONS; i++)
		if (l.regions[i].id == VMATLAS_REGION_KERNEL_TEXT)
			kaddr_addr = l.regions[i].start;
	return 0;
}

TEST_F_TIMEOUT(failnth, every_fault_site_gives_enomem_or_efault_or_the_same_answer, 240)
{
	int enomem = 0, efault = 0, absorbed = 0, other = 0, corrupt = 0, warned = 0;
	int first_other = 0, other_errno = 0, first_corrupt = 0, first_warned = 0;
	const char *what, *first_what = "";
	char warning[256] = "";
	unsigned int n;
	int injected = 1, w;

	if (variant->d.op == OP_KADDR && kaddr_pick(self->fd) == -EPERM)
		SKIP(return, "kernel addresses are hidden from this opener (EPERM)");
	call_plain(self->fd, &variant->d, &ref);
	if (ref.ret && ref.err == EPERM)
		SKIP(return, "kernel addresses are hidden from this opener (EPERM)");
	ASSERT_EQ(0, ref.ret) TH_LOG("without injection: %s", strerror(ref.err));

	for (n = 1; n <= MAX_NTH && injected; n++) {
		prepare(&variant->d, &cur);
		ASSERT_EQ(0, nth_set(self->nth, n));
		cur.ret = ioctl(self->fd, op_cmd[variant->d.op], &cur.req);
		cur.err = cur.ret ? errno : 0;
		injected = nth_injected(self->nth);
		ASSERT_EQ(0, nth_clear(self->nth));
		ASSERT_LE(0, injected) TH_LOG("reading %s: %s", FAIL_NTH, strerror(-injected));

		w = kmsg_scan(self->kmsg, warning, sizeof(warning));
		if (w && !warned)
			first_warned = n;
		warned += w;
		if (!cur.ret) {
			absorbed += injected;
			if (!differ(&variant->d, &ref, &cur))
				continue;
			/* This process may have changed since: ask again. */
			call_plain(self->fd, &variant->d, &ref);
			what = ref.ret ? "the call without injection failed, so" :
			       differ(&variant->d, &ref, &cur);
			if (!what)
				continue;
			if (!corrupt++) {
				first_corrupt = n;
				first_what = what;
			}
		} else if (injected && cur.err == ENOMEM) {
			enomem++;
		} else if (injected && cur.err == EFAULT) {
			efault++;
		} else if (!other++) {
			first_other = n;
			other_errno = cur.err;
		}
	}

	TH_LOG("%u fault sites: %d ENOMEM, %d EFAULT, %d absorbed (success), %d other, %d wrong",
	       n - 2, enomem, efault, absorbed, other, corrupt);
	EXPECT_EQ(0, injected) TH_LOG("still injecting after %d sites", MAX_NTH);
	EXPECT_LT(0, n - 2) TH_LOG("fail-nth injected nothing");
	EXPECT_EQ(0, other) TH_LOG("first at site %d: %s (%d)%s", first_other,
				   strerror(other_errno), other_errno,
				   n - 1 == (unsigned int)first_other ? ", without injection" : "");
	EXPECT_EQ(0, corrupt) TH_LOG("first at site %d: success, but %s differ",
				     first_corrupt, first_what);
	EXPECT_EQ(0, warned) TH_LOG("%d kernel log reports, the first at site %d: %s",
				    warned, first_warned, warning);
}

/*
 * kmemleak: no unreferenced object allocated from vmatlas code. Objects
 * younger than 5 s are not reported, and the docs scan twice to settle.
 */
FIXTURE(leaks) {
};

FIXTURE_SETUP(leaks)
{
}

FIXTURE_TEARDOWN(leaks)
{
}

TEST_F_TIMEOUT(leaks, kmemleak_finds_nothing_from_vmatlas, 240)
{
	char *line = NULL, *rec = NULL;
	size_t cap = 0, len = 0;
	int objects = 0, ours = 0, is_ours = 0, ret;
	FILE *f;

	if (access(KMEMLEAK, F_OK))
		SKIP(return, "no %s (CONFIG_DEBUG_KMEMLEAK): leak check skipped", KMEMLEAK);
	sleep(6);
	ret = write_file(KMEMLEAK, "scan");
	if (ret == -EPERM || ret == -EBUSY)
		SKIP(return, "kmemleak is disabled (%s): leak check skipped", strerror(-ret));
	ASSERT_EQ(0, ret) TH_LOG("scan: %s", strerror(-ret));
	ASSERT_EQ(0, write_file(KMEMLEAK, "scan"));

	f = fopen(KMEMLEAK, "r");
	ASSERT_NE(NULL, f) TH_LOG("%s: %s", KMEMLEAK, strerror(errno));
	rec = calloc(1, 8192);
	ASSERT_NE(NULL, rec);
	/* One record per object: "unreferenced object ..." and its lines. */
	for (;;) {
		ssize_t n = getline(&line, &cap, f);

		if (n < 0 || !strncmp(line, "unreferenced object", 19)) {
			if (is_ours) {
				ours++;
				fprintf(stderr, "%s", rec);
			}
			if (n < 0)
				break;
			objects++;
			is_ours = 0;
			len = 0;
			rec[0] = '\0';
		}
		if (strstr(line, "[<") && strstr(line, "vmatlas"))
			is_ours = 1;
		if (len + n + 3 < 8192)
			len += snprintf(rec + len, 8192 - len, "# %s", line);
	}
	fclose(f);
	free(line);
	free(rec);
	TH_LOG("kmemleak: %d unreferenced objects, %d allocated from vmatlas code",
	       objects, ours);
	EXPECT_EQ(0, ours);
}

TEST_HARNESS_MAIN
