// SPDX-License-Identifier: GPL-2.0
/*
 * Self-target: a process walks its own address space and hands the module
 * output memory that faults when written: freshly mapped and never touched,
 * registered with userfaultfd (a handler thread resolves each missing page
 * after a delay, with UFFDIO_COPY or UFFDIO_ZEROPAGE), and lying inside the
 * very range being walked. A module that copied out with the mmap lock held
 * would deadlock on the fault (or the handler's UFFDIO_COPY); one that
 * walked after copying would describe its own writes. Every ioctl that
 * writes user memory (VMAS, WALK, PTDUMP) must return, and its answer must
 * be what /proc/self/pagemap says about the pages at the time of the walk.
 * A watchdog (alarm()) fails a test that hangs instead of waiting forever.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"
#include "procfs.h"

#define NP		32	/* pages of the probed region */
#define AUX_PAGES	16	/* pages of the separate output area */
#define UFFD_DELAY_US	20000
#define WATCHDOG_S	60

FIXTURE(selftarget) {
	struct vx x;
	long page;
	char *region;		/* NP pages; even pages of the first half written */
	char *aux;		/* an output area of its own, untouched */
	char *out;		/* where output arrays go: aux, or region's second half */
	int uffd, pagemap;
	pthread_t handler;
	int stop;
	unsigned long faults;
	unsigned long long zero_pfn;
};

FIXTURE_VARIANT(selftarget) {
	int uffd;
	int inside;
};

FIXTURE_VARIANT_ADD(selftarget, fresh) { .uffd = 0, .inside = 0 };
FIXTURE_VARIANT_ADD(selftarget, userfaultfd) { .uffd = 1, .inside = 0 };
FIXTURE_VARIANT_ADD(selftarget, fresh_inside_walked_range) { .uffd = 0, .inside = 1 };
FIXTURE_VARIANT_ADD(selftarget, userfaultfd_inside_walked_range) { .uffd = 1, .inside = 1 };

static const char *stuck_in = "setup";

static void on_alarm(int sig)
{
	char msg[128];
	int n = snprintf(msg, sizeof(msg), "# no progress for %d s in %s: deadlock?\n",
			 WATCHDOG_S, stuck_in);

	if (write(STDERR_FILENO, msg, n) < 0)
		_exit(2);
	_exit(1);
}

/* @pages pages as a VMA of their own (unmapped pages on each side), untouched. */
static char *map_alone(long page, size_t pages)
{
	char *room = mmap(NULL, (pages + 2) * page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);
	char *p;

	if (room == MAP_FAILED)
		return NULL;
	p = mmap(room + page, pages * page, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	munmap(room, page);
	munmap(p + pages * page, page);
	/* No THP: a 2 MiB fault would make pages present that nobody wrote. */
	madvise(p, pages * page, MADV_NOHUGEPAGE);
	return p;
}

/* Resolve each missing-page fault after a delay, by COPY and ZEROPAGE in turn. */
static void *uffd_handler(void *arg)
{
	struct _test_data_selftarget *self = arg;
	static char zeros[65536] __attribute__((aligned(65536)));

	while (!__atomic_load_n(&self->stop, __ATOMIC_RELAXED)) {
		struct pollfd pfd = { .fd = self->uffd, .events = POLLIN };
		struct uffd_msg msg;
		unsigned long long at;

		if (poll(&pfd, 1, 50) <= 0 || read(self->uffd, &msg, sizeof(msg)) != sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		at = msg.arg.pagefault.address & ~(unsigned long long)(self->page - 1);
		usleep(UFFD_DELAY_US);
		if (__atomic_add_fetch(&self->faults, 1, __ATOMIC_RELAXED) % 2) {
			struct uffdio_copy copy = {
				.dst = at, .src = (uintptr_t)zeros, .len = self->page,
			};

			ioctl(self->uffd, UFFDIO_COPY, &copy);
		} else {
			struct uffdio_zeropage zp = { .range = { .start = at, .len = self->page } };

			ioctl(self->uffd, UFFDIO_ZEROPAGE, &zp);
		}
	}
	return NULL;
}

static int uffd_register(struct _test_data_selftarget *self, char *at, size_t len)
{
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)at, .len = len },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};
	__u64 need = 1ULL << _UFFDIO_COPY | 1ULL << _UFFDIO_ZEROPAGE;

	if (ioctl(self->uffd, UFFDIO_REGISTER, &reg))
		return -errno;
	return (reg.ioctls & need) == need ? 0 : -EOPNOTSUPP;
}

/* The frame pagemap gives @addr, or 0 if it is not present. */
static unsigned long long pfn_of(struct _test_data_selftarget *self, const void *addr)
{
	__u64 e = pagemap_entry(self->pagemap, (uintptr_t)addr, self->page);

	return e & PM_PRESENT ? e & PM_PFN_MASK : 0;
}

FIXTURE_SETUP(selftarget)
{
	struct uffdio_api api = { .api = UFFD_API };
	char *zero;
	int i;

	self->uffd = -1;
	if (vx_open(&self->x))
		SKIP(return, "/dev/vmatlas missing");
	ASSERT_TRUE(self->x.phys) TH_LOG("the test must run with CAP_SYS_ADMIN");
	self->page = getpagesize();
	self->pagemap = pagemap_open(getpid());
	ASSERT_LE(0, self->pagemap);
	self->region = map_alone(self->page, NP);
	self->aux = map_alone(self->page, AUX_PAGES);
	zero = map_alone(self->page, 1);
	ASSERT_NE(NULL, self->region);
	ASSERT_NE(NULL, self->aux);
	ASSERT_NE(NULL, zero);
	for (i = 0; i < NP / 2; i += 2)
		self->region[i * self->page] = 1;
	/* A read of untouched memory maps the zero page: its frame. */
	__atomic_load_n(zero, __ATOMIC_RELAXED);
	self->zero_pfn = pfn_of(self, zero);
	self->out = variant->inside ? self->region + NP / 2 * self->page : self->aux;
	if (variant->uffd) {
		/* The sysctl exists exactly when the kernel has userfaultfd. */
		if (access("/proc/sys/vm/unprivileged_userfaultfd", F_OK))
			SKIP(return, "no userfaultfd in this kernel");
		self->uffd = syscall(__NR_userfaultfd, O_CLOEXEC | O_NONBLOCK);
		ASSERT_LE(0, self->uffd) TH_LOG("userfaultfd: %s", strerror(errno));
		ASSERT_EQ(0, ioctl(self->uffd, UFFDIO_API, &api)) TH_LOG("%s", strerror(errno));
		ASSERT_EQ(0, uffd_register(self, self->aux, AUX_PAGES * self->page));
		ASSERT_EQ(0, uffd_register(self, self->region, NP * self->page));
		ASSERT_EQ(0, pthread_create(&self->handler, NULL, uffd_handler, self));
	}
	signal(SIGALRM, on_alarm);
	alarm(WATCHDOG_S);
}

FIXTURE_TEARDOWN(selftarget)
{
	alarm(0);
	if (self->uffd >= 0) {
		__atomic_store_n(&self->stop, 1, __ATOMIC_RELAXED);
		pthread_join(self->handler, NULL);
		close(self->uffd);
	}
	vx_close(&self->x);
}

/* Untouched page @i of the output area (aux or inside the region). */
static char *out_page(struct _test_data_selftarget *self, int i)
{
	return self->out + i * self->page;
}

/* Pages of the region present now, as a bit mask. */
static unsigned int present_now(struct _test_data_selftarget *self)
{
	unsigned int mask = 0;
	int i;

	for (i = 0; i < NP; i++)
		if (pfn_of(self, self->region + i * self->page))
			mask |= 1U << i;
	return mask;
}

/*
 * WALK's request is its reply: it lies across a page boundary, the fields
 * the caller writes on one page and the rest on an untouched one, which the
 * module reads (faulting it in) and then writes. The address walked is a
 * probe page, or a page of the request itself.
 */
TEST_F_TIMEOUT(selftarget, walk_reply_in_faulting_memory_matches_pagemap, 120)
{
	char why[512];
	int k;

	for (k = 0; k < AUX_PAGES / 2; k++) {
		char *p = self->aux + 2 * k * self->page, *q = p + self->page;
		struct vmatlas_walk *w = (struct vmatlas_walk *)(q - 24);
		char *targets[AUX_PAGES / 2];
		unsigned long long addr, pfn;
		int written;

		targets[0] = self->region;
		targets[1] = self->region + self->page;
		targets[2] = q;
		targets[3] = p;
		targets[4] = self->region + 4 * self->page;
		targets[5] = self->region + 7 * self->page;
		targets[6] = out_page(self, 2 * k);
		targets[7] = out_page(self, 2 * k + 1);
		addr = (uintptr_t)targets[k];
		/* Even pages of the region's first half were written. */
		written = targets[k] >= self->region &&
			  targets[k] < self->region + NP / 2 * self->page &&
			  !((targets[k] - self->region) / self->page % 2);
		w->size = sizeof(*w);
		w->pid = getpid();
		w->addr = addr;
		stuck_in = "WALK";
		ASSERT_EQ(0, ioctl(self->x.fd, VMATLAS_IOC_WALK, w))
			TH_LOG("walk %d of %#llx: %s", k, addr, strerror(errno));
		stuck_in = "checks";
		EXPECT_EQ(sizeof(*w), w->size);
		EXPECT_EQ(0, vx_walk_check(&self->x, w, addr, why, sizeof(why)))
			TH_LOG("walk %d of %#llx: %s", k, addr, why);
		pfn = pfn_of(self, (void *)(uintptr_t)addr);
		if (addr == (uintptr_t)q && (w->page.flags & VMATLAS_PG_ZERO)) {
			/* The module's read mapped the zero page; its reply then copied it. */
			EXPECT_EQ(self->zero_pfn, w->pfn) TH_LOG("zero page of the request");
		} else if (written || addr == (uintptr_t)p || addr == (uintptr_t)q) {
			EXPECT_TRUE(w->out_flags & VMATLAS_WALK_PRESENT) TH_LOG("walk %d", k);
			EXPECT_EQ(pfn, w->pfn) TH_LOG("walk %d of %#llx", k, addr);
		} else if (addr < (uintptr_t)self->region + NP * self->page &&
			   addr >= (uintptr_t)self->region) {
			/* Untouched then; an output page of the inside variants may be now. */
			EXPECT_FALSE(w->out_flags & VMATLAS_WALK_PRESENT)
				TH_LOG("walk %d of untouched %#llx", k, addr);
		}
	}
	if (self->uffd >= 0)
		EXPECT_LT(0, self->faults) TH_LOG("userfaultfd saw no fault");
}

/*
 * VMAS with residency of the region, the array and the names in faulting
 * memory (inside the region itself in the inside variants): the counts are
 * those of the walk, which comes before the copy; then a whole listing of
 * this process, each VMA as /proc/self/maps has it.
 */
TEST_F_TIMEOUT(selftarget, vmas_reply_in_faulting_memory_matches_pagemap, 120)
{
	static char maps[1 << 16], line[64];
	struct vmatlas_vmas *req = (struct vmatlas_vmas *)(self->aux + self->page - 56);
	struct vmatlas_vma *vmas = (struct vmatlas_vma *)out_page(self, 2);
	char *names = out_page(self, 4), why[512];
	unsigned int before = present_now(self), i;

	req->size = sizeof(*req);
	req->flags = VMATLAS_VMAS_RESIDENCY;
	req->pid = getpid();
	req->count = 1;
	req->start = (uintptr_t)self->region;
	req->vmas_ptr = (uintptr_t)vmas;
	req->names_ptr = (uintptr_t)names;
	req->names_size = 2 * self->page;
	req->entry_size = sizeof(*vmas);
	stuck_in = "VMAS with residency";
	ASSERT_EQ(0, ioctl(self->x.fd, VMATLAS_IOC_VMAS, req)) TH_LOG("%s", strerror(errno));
	stuck_in = "checks";
	EXPECT_EQ(0, vx_vmas_check(&self->x, req, (uintptr_t)self->region, 1, 2 * self->page,
				   vmas, names, why, sizeof(why))) TH_LOG("%s", why);
	ASSERT_EQ(1, req->count);
	EXPECT_EQ((uintptr_t)self->region, vmas[0].start);
	EXPECT_EQ((uintptr_t)self->region + NP * self->page, vmas[0].end);
	EXPECT_EQ(__builtin_popcount(before), vmas[0].res.present) TH_LOG("mask %#x", before);
	EXPECT_EQ(0, vmas[0].res.zero);
	EXPECT_EQ(0, vmas[0].res.swap);

	req = (struct vmatlas_vmas *)(self->aux + 7 * self->page - 56);
	vmas = (struct vmatlas_vma *)out_page(self, 8);
	names = out_page(self, 10);
	req->size = sizeof(*req);
	req->pid = getpid();
	req->count = 16;
	req->vmas_ptr = (uintptr_t)vmas;
	req->names_ptr = (uintptr_t)names;
	req->names_size = 2 * self->page;
	req->entry_size = sizeof(*vmas);
	stuck_in = "VMAS";
	ASSERT_EQ(0, ioctl(self->x.fd, VMATLAS_IOC_VMAS, req)) TH_LOG("%s", strerror(errno));
	stuck_in = "checks";
	EXPECT_EQ(0, vx_vmas_check(&self->x, req, 0, 16, 2 * self->page, vmas, names, why,
				   sizeof(why))) TH_LOG("%s", why);
	ASSERT_LT(0, read_file("/proc/self/maps", maps, sizeof(maps)));
	for (i = 0; i < req->count; i++) {
		snprintf(line, sizeof(line), "%08llx-%08llx ", (unsigned long long)vmas[i].start,
			 (unsigned long long)vmas[i].end);
		EXPECT_NE(NULL, strstr(maps, line)) TH_LOG("no %s in /proc/self/maps", line);
	}
}

/*
 * PTDUMP of the region, runs written to faulting memory: exactly the pages
 * present when the walk ran, each with the frame pagemap gives it.
 */
TEST_F_TIMEOUT(selftarget, ptdump_reply_in_faulting_memory_matches_pagemap, 120)
{
	struct vmatlas_ptdump *req = (struct vmatlas_ptdump *)(self->aux + self->page - 52);
	struct vmatlas_run *runs = (struct vmatlas_run *)out_page(self, 2);
	unsigned long long start = (uintptr_t)self->region, end = start + NP * self->page;
	unsigned int before = present_now(self), seen = 0, i;
	char why[512];

	req->size = sizeof(*req);
	req->pid = getpid();
	req->count = 64;
	req->start = start;
	req->end = end;
	req->runs_ptr = (uintptr_t)runs;
	req->entry_size = sizeof(*runs);
	stuck_in = "PTDUMP";
	ASSERT_EQ(0, ioctl(self->x.fd, VMATLAS_IOC_PTDUMP, req)) TH_LOG("%s", strerror(errno));
	stuck_in = "checks";
	EXPECT_EQ(0, vx_ptdump_check(&self->x, req, start, end, 64, runs, why, sizeof(why)))
		TH_LOG("%s", why);
	EXPECT_EQ(0, req->next);
	for (i = 0; i < req->count && i < 64; i++) {
		unsigned long long a;

		EXPECT_TRUE(runs[i].bits & VMATLAS_ENT_PRESENT);
		for (a = runs[i].start; a < runs[i].end; a += self->page) {
			seen |= 1U << ((a - start) / self->page);
			EXPECT_EQ(pfn_of(self, (void *)(uintptr_t)a),
				  runs[i].phys / self->page + (a - runs[i].start) / self->page)
				TH_LOG("frame of %#llx", a);
		}
	}
	EXPECT_EQ(before, seen) TH_LOG("present before %#x, runs %#x, present now %#x", before,
				       seen, present_now(self));
	if (variant->inside)
		EXPECT_NE(before, present_now(self)) TH_LOG("the runs were not written inside");
}

TEST_HARNESS_MAIN
