// SPDX-License-Identifier: GPL-2.0
/*
 * TRANSLATE, many addresses in one call, against two sources that do not
 * share its code path: /proc/PID/pagemap for present and frame, and WALK,
 * one address per call, for every other field. Requests it must refuse
 * change nothing in the caller's buffer.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ioctls.h"
#include "kselftest_harness.h"
#include "procfs.h"

/* Pages of the test mapping: more than one of the module's 64-entry chunks. */
#define XLAT_PAGES	1000
/* Addresses asked for: every page twice (start and an odd offset) and outsiders. */
#define XLAT_ADDRS	(2 * XLAT_PAGES + 8)

static void xlat_req(struct vmatlas_translate *req, pid_t pid, struct vmatlas_xlat *e,
		     unsigned int n, unsigned int entry_size)
{
	memset(req, 0, sizeof(*req));
	req->size = sizeof(*req);
	req->pid = pid;
	req->count = n;
	req->xlat_ptr = (uintptr_t)e;
	req->entry_size = entry_size;
}

static int xlat(const struct vx *x, struct vmatlas_translate *req, pid_t pid,
		struct vmatlas_xlat *e, unsigned int n, unsigned int entry_size)
{
	xlat_req(req, pid, e, n, entry_size);
	return ioctl(x->fd, VMATLAS_IOC_TRANSLATE, req) ? -errno : 0;
}

/*
 * An address in the caller's code. (The address of a function is not
 * enough: an out-of-line copy of one its callers inline may sit on a page
 * this process never ran, and so never mapped.)
 */
static __attribute__((noinline)) unsigned long long code_here(void)
{
	return (uintptr_t)__builtin_return_address(0);
}

FIXTURE(translate) {
	struct vx x;
	char *map;
	long page;
	unsigned long long addrs[XLAT_ADDRS];
	struct vmatlas_xlat e[XLAT_ADDRS];
};

FIXTURE_SETUP(translate)
{
	long i;
	int n = 0;

	ASSERT_EQ(0, vx_open(&self->x));
	self->page = sysconf(_SC_PAGESIZE);
	/* The mapping, then a hole of 32 pages that nothing else may take. */
	self->map = mmap(NULL, (XLAT_PAGES + 32) * self->page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->map);
	ASSERT_EQ(0, munmap(self->map + XLAT_PAGES * self->page, 32 * self->page));
	/* Two pages in three written, the others read (the zero page), then locked. */
	for (i = 0; i < XLAT_PAGES; i++) {
		if (i % 3)
			self->map[i * self->page] = 1;
		else
			n += self->map[i * self->page];
	}
	ASSERT_EQ(0, n);
	ASSERT_EQ(0, mlock(self->map, XLAT_PAGES * self->page));
	for (i = 0; i < XLAT_PAGES; i++) {
		self->addrs[n++] = (uintptr_t)self->map + i * self->page;
		self->addrs[n++] = (uintptr_t)self->map + i * self->page + 123;
	}
	/* Unmapped, the null page, the stack, the edge and beyond of user space. */
	self->addrs[n++] = (uintptr_t)self->map + XLAT_PAGES * self->page + 16 * self->page;
	self->addrs[n++] = 0;
	self->addrs[n++] = (uintptr_t)&n;
	self->addrs[n++] = (uintptr_t)&self->x;
	self->addrs[n++] = ~0ULL;
	self->addrs[n++] = 1ULL << 63;
	self->addrs[n++] = (uintptr_t)self->map;
	self->addrs[n++] = code_here();
	for (i = 0; i < n; i++)
		self->e[i].addr = self->addrs[i];
}

FIXTURE_TEARDOWN(translate)
{
	munmap(self->map, XLAT_PAGES * self->page);
	vx_close(&self->x);
}

/* x86's A and D (bits 5, 6), arm64's AF and AP[2] (bits 10, 7). */
#define HW_MANAGED	(kernel_is_arm64() ? (1ULL << 10) | (1ULL << 7) : (1ULL << 5) | (1ULL << 6))
#define HW_MANAGED_BITS	(VMATLAS_ENT_ACCESSED | VMATLAS_ENT_DIRTY | VMATLAS_ENT_ARM64_RDONLY)

/* Do TRANSLATE's @e, WALK's @w (if any) and pagemap's @pm see the same page? */
static bool agree(const struct vmatlas_xlat *e, const struct vmatlas_walk *w, __u64 pm,
		  long page)
{
	if (w && w->phys != e->phys)
		return false;
	if (!(pm & PM_PRESENT))
		return !(e->out_flags & VMATLAS_WALK_PRESENT);
	return (e->out_flags & VMATLAS_WALK_PRESENT) && (pm & PM_PFN_MASK) == e->phys / page;
}

/*
 * Compaction moves pages, locked ones too (compact_unevictable_allowed),
 * between two looks at an address. Until TRANSLATE (@e, first the batch's
 * entry), WALK (@w, if any) and pagemap agree on @e->addr's page, look at
 * all three again, at most four times; pagemap's entry is returned.
 */
static __u64 settle(const struct vx *x, long page, pid_t pid, int fd, struct vmatlas_xlat *e,
		    struct vmatlas_walk *w)
{
	struct vmatlas_translate req;
	__u64 pm = pagemap_entry(fd, e->addr, page);
	int tries;

	for (tries = 0; tries < 4 && !agree(e, w, pm, page); tries++) {
		if (xlat(x, &req, pid, e, 1, sizeof(*e)) || e->error ||
		    (w && vx_walk(x, w, pid, e->addr)))
			break;
		pm = pagemap_entry(fd, e->addr, page);
	}
	return pm;
}

/* Each entry as WALK says for that address alone, and pagemap for its frame. */
TEST_F(translate, each_entry_is_what_walk_and_pagemap_say)
{
	struct vmatlas_translate req;
	struct vmatlas_walk w;
	int fd, i, errs = 0, present = 0;

	ASSERT_EQ(0, xlat(&self->x, &req, getpid(), self->e, XLAT_ADDRS, sizeof(self->e[0])));
	ASSERT_EQ(XLAT_ADDRS, req.count);
	ASSERT_EQ(0, req.out_flags & VMATLAS_OUT_PHYS_HIDDEN);
	fd = pagemap_open(getpid());
	ASSERT_LE(0, fd);
	for (i = 0; i < XLAT_ADDRS; i++) {
		struct vmatlas_xlat *e = &self->e[i];
		int err = vx_walk(&self->x, &w, getpid(), self->addrs[i]);
		__u64 pm;

		ASSERT_EQ(self->addrs[i], e->addr);
		ASSERT_EQ(err, e->error) TH_LOG("%#llx", self->addrs[i]);
		ASSERT_EQ(0, e->reserved);
		if (err) {
			errs++;
			ASSERT_EQ(0, e->phys | e->page_size | e->entry | e->out_flags);
			continue;
		}
		pm = settle(&self->x, self->page, getpid(), fd, e, &w);
		EXPECT_EQ(w.phys, e->phys) TH_LOG("%#llx", e->addr);
		EXPECT_EQ(w.page_size, e->page_size) TH_LOG("%#llx", e->addr);
		EXPECT_EQ(w.stop_level, e->level) TH_LOG("%#llx", e->addr);
		/*
		 * The MMU sets the accessed bit (and, with hardware dirty
		 * state, clears arm64's read-only bit) between the two looks,
		 * and reclaim may clear it: those bits are the page's, live.
		 */
		EXPECT_EQ(w.levels[w.stop_level].entry & ~HW_MANAGED, e->entry & ~HW_MANAGED)
			TH_LOG("%#llx", e->addr);
		EXPECT_EQ(w.levels[w.stop_level].bits & ~HW_MANAGED_BITS,
			  e->bits & ~HW_MANAGED_BITS) TH_LOG("%#llx", e->addr);
		EXPECT_EQ(w.swap_kind, e->swap_kind);
		EXPECT_EQ(w.swap_offset, e->swap_offset);
		EXPECT_EQ(w.out_flags & ~VMATLAS_WALK_PAGE, e->out_flags) TH_LOG("%#llx", e->addr);

		ASSERT_EQ(!!(pm & PM_PRESENT), !!(e->out_flags & VMATLAS_WALK_PRESENT))
			TH_LOG("%#llx: pagemap %#llx", e->addr, pm);
		if (pm & PM_PRESENT) {
			present++;
			ASSERT_EQ(e->addr % self->page, e->phys % self->page);
			ASSERT_EQ(pm & PM_PFN_MASK, e->phys / self->page)
				TH_LOG("%#llx: pagemap's frame, TRANSLATE's %#llx", e->addr,
				       e->phys / self->page);
		}
	}
	close(fd);
	/* Every page of the mapping (locked) is there; the outsiders are refused. */
	EXPECT_LE(2 * XLAT_PAGES, present);
	EXPECT_LE(4, errs);
}

/* Outsiders fail in their own entry, each with WALK's errno. */
TEST_F(translate, refused_addresses_fail_alone)
{
	struct vmatlas_translate req;
	struct vmatlas_xlat *e = &self->e[2 * XLAT_PAGES];

	/* Code this function is running: its page is mapped, present. */
	e[7].addr = code_here();
	ASSERT_EQ(0, xlat(&self->x, &req, getpid(), e, 8, sizeof(*e)));
	EXPECT_EQ(-ENOMEM, e[0].error);		/* no VMA */
	EXPECT_EQ(-ENOMEM, e[1].error);		/* address 0: no VMA either */
	EXPECT_EQ(0, e[2].error);		/* the stack */
	EXPECT_EQ(0, e[3].error);
	EXPECT_EQ(-EINVAL, e[4].error);		/* not a user address */
	EXPECT_EQ(-EINVAL, e[5].error);
	EXPECT_EQ(0, e[6].error);
	EXPECT_EQ(0, e[7].error);		/* text: a file page */
	EXPECT_TRUE(e[7].out_flags & VMATLAS_WALK_PRESENT);
}

/*
 * Many small VMAs and holes, looked up in every order: ascending (the batch
 * steps from VMA to VMA), descending, by strides that jump more VMAs than
 * it steps over, and in holes. Each entry is what WALK says for it alone.
 */
TEST(vmas_and_holes_in_any_order)
{
	enum { N = 40, ADDRS = 3 * N };
	static const unsigned int strides[] = { 1, ADDRS - 1, 7, 29 };
	struct vmatlas_xlat e[ADDRS];
	struct vmatlas_translate req;
	unsigned long long a[ADDRS];
	long page = sysconf(_SC_PAGESIZE);
	struct vmatlas_walk w;
	unsigned int s, i, j;
	struct vx x;
	char *map;

	ASSERT_EQ(0, vx_open(&x));
	map = mmap(NULL, 3 * N * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, map);
	/* Page 3i written, 3i+1 a PROT_NONE VMA of its own, 3i+2 a hole. */
	for (i = 0; i < N; i++) {
		map[3 * i * page] = 1;
		ASSERT_EQ(0, mprotect(map + (3 * i + 1) * page, page, PROT_NONE));
		ASSERT_EQ(0, munmap(map + (3 * i + 2) * page, page));
	}
	for (i = 0; i < ADDRS; i++)
		a[i] = (uintptr_t)map + i * page + i;
	for (s = 0; s < ARRAY_SIZE(strides); s++) {
		for (i = 0, j = 0; i < ADDRS; i++, j = (j + strides[s]) % ADDRS) {
			memset(&e[i], 0xa5, sizeof(e[i]));
			e[i].addr = a[j];
		}
		ASSERT_EQ(0, xlat(&x, &req, getpid(), e, ADDRS, sizeof(e[0])));
		ASSERT_EQ(ADDRS, req.count);
		for (i = 0; i < ADDRS; i++) {
			int err = vx_walk(&x, &w, getpid(), e[i].addr);
			unsigned int k = (e[i].addr - (uintptr_t)map) / page;

			ASSERT_EQ(err, e[i].error) TH_LOG("stride %u: page %u", strides[s], k);
			ASSERT_EQ(k % 3 == 2 ? -ENOMEM : 0, err) TH_LOG("page %u", k);
			ASSERT_EQ(err ? 0 : w.phys, e[i].phys) TH_LOG("page %u", k);
			ASSERT_EQ(k % 3 == 0, !!(e[i].out_flags & VMATLAS_WALK_PRESENT));
		}
	}
	for (i = 0; i < N; i++)
		munmap(map + 3 * i * page, 2 * page);
	vx_close(&x);
}

/* What the call refuses leaves the caller's entries as they were. */
TEST_F(translate, bad_requests_change_nothing)
{
	struct vmatlas_xlat before[4], e[4];
	struct vmatlas_translate req;
	int i;

	memset(e, 0xa5, sizeof(e));
	for (i = 0; i < 4; i++)
		e[i].addr = (uintptr_t)self->map + i * self->page;
	memcpy(before, e, sizeof(e));

	EXPECT_EQ(-EINVAL, xlat(&self->x, &req, getpid(), e, 0, sizeof(e[0])));
	EXPECT_EQ(-EINVAL, xlat(&self->x, &req, getpid(), e, 4, sizeof(e[0]) - 8));
	EXPECT_EQ(-EINVAL, xlat(&self->x, &req, getpid(), e, 4, self->page + 8));
	EXPECT_EQ(-EINVAL, xlat(&self->x, &req, 0, e, 4, sizeof(e[0])));
	EXPECT_EQ(-EINVAL, xlat(&self->x, &req, -1, e, 4, sizeof(e[0])));

	xlat_req(&req, getpid(), e, 4, sizeof(e[0]));
	req.flags = 1;
	EXPECT_EQ(-1, ioctl(self->x.fd, VMATLAS_IOC_TRANSLATE, &req));
	EXPECT_EQ(EINVAL, errno);
	req.flags = 0;
	req.size = VMATLAS_TRANSLATE_SIZE_VER0 - 8;
	EXPECT_EQ(-1, ioctl(self->x.fd, VMATLAS_IOC_TRANSLATE, &req));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, memcmp(before, e, sizeof(e)));

	/* A pointer the caller does not own: EFAULT, not an oops. */
	EXPECT_EQ(-EFAULT, xlat(&self->x, &req, getpid(), (void *)8, 4, sizeof(e[0])));
}

/* A dead process: ESRCH, and its entries untouched. */
TEST_F(translate, dead_process_is_esrch)
{
	struct vmatlas_xlat before[4], e[4];
	struct vmatlas_translate req;
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(0);
	ASSERT_EQ(pid, waitpid(pid, NULL, 0));
	memset(e, 0x5a, sizeof(e));
	memcpy(before, e, sizeof(e));
	EXPECT_EQ(-ESRCH, xlat(&self->x, &req, pid, e, 4, sizeof(e[0])));
	EXPECT_EQ(0, memcmp(before, e, sizeof(e)));
}

/* A newer caller's longer entries: its address kept, the rest zeroed. */
TEST_F(translate, longer_entries_are_zero_filled)
{
	struct {
		struct vmatlas_xlat e;
		__u64 future[3];
	} big[3];
	struct vmatlas_translate req;
	int i;

	memset(big, 0xff, sizeof(big));
	for (i = 0; i < 3; i++)
		big[i].e.addr = (uintptr_t)self->map + (i + 1) * self->page;
	ASSERT_EQ(0, xlat(&self->x, &req, getpid(), &big[0].e, 3, sizeof(big[0])));
	for (i = 0; i < 3; i++) {
		EXPECT_EQ((uintptr_t)self->map + (i + 1) * self->page, big[i].e.addr);
		EXPECT_EQ(0, big[i].e.error);
		EXPECT_EQ(0, big[i].future[0] | big[i].future[1] | big[i].future[2]);
		EXPECT_TRUE(big[i].e.out_flags & VMATLAS_WALK_PRESENT);
	}
}

/* Another process's frames, as its pagemap says, after it wrote them. */
TEST_F(translate, another_process)
{
	struct vmatlas_translate req;
	int go[2], ready[2], fd, i;
	char c = 0;
	pid_t pid;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(ready));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* COW: the child's writes give it frames of its own. */
		for (i = 0; i < XLAT_PAGES; i++)
			self->map[i * self->page] = 2;
		close(go[1]);
		/* Said only once every page is written: then nothing moves. */
		if (write(ready[1], &c, 1) != 1)
			_exit(1);
		read(go[0], &c, 1);
		_exit(0);
	}
	close(go[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(0, xlat(&self->x, &req, pid, self->e, 2 * XLAT_PAGES, sizeof(self->e[0])));
	fd = pagemap_open(pid);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2 * XLAT_PAGES; i++) {
		struct vmatlas_xlat *e = &self->e[i];
		__u64 pm;

		ASSERT_EQ(0, e->error);
		pm = settle(&self->x, self->page, pid, fd, e, NULL);
		ASSERT_TRUE(pm & PM_PRESENT);
		ASSERT_EQ(pm & PM_PFN_MASK, e->phys / self->page)
			TH_LOG("%#llx: pagemap's frame, TRANSLATE's %#llx", e->addr,
			       e->phys / self->page);
	}
	close(fd);
	close(go[1]);
	close(ready[0]);
	waitpid(pid, NULL, 0);
}

TEST_HARNESS_MAIN
