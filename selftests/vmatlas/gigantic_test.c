// SPDX-License-Identifier: GPL-2.0
/*
 * 1 GiB hugetlb pages: leaves at the PUD level. pud_present() ignores
 * PROT_NONE, so a PROT_NONE 1 GiB page once came out as a swap entry (6.12:
 * residency swap 262144, hugetlb 0, while smaps said "Swap: 0 kB"), as BAD
 * on 6.1, and its PFN leaked through swap_offset to an opener without
 * CAP_SYS_ADMIN. Each check here is against smaps and pagemap, before and
 * after mprotect(PROT_NONE).
 *
 * Needs a reserved 1 GiB page: the x86 targets whose CPU has pdpe1gb and
 * the arm64 ones with 4 KiB pages boot with hugepagesz=1G hugepages=1
 * (selftests/vm/lib.sh); elsewhere these SKIP.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "procfs.h"
#include "kselftest_harness.h"

#define GIG		BIT_ULL(30)
#define GIG_PAGES	(GIG / getpagesize())
#define NR_GIG		"/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages"

#ifndef MAP_HUGE_1GB
#define MAP_HUGE_1GB	(30 << 26)
#endif

FIXTURE(gigantic) {
	int fd;
	char *p;
};

FIXTURE_SETUP(gigantic)
{
	char buf[32] = "";

	self->p = MAP_FAILED;
	self->fd = -1;
	if (read_file(NR_GIG, buf, sizeof(buf)) <= 0 || atoi(buf) < 1)
		SKIP(return, "no 1 GiB huge page reserved (hugepagesz=1G; x86 needs pdpe1gb)");
	self->fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
	if (self->fd < 0)
		REQUIRE_HARNESS(return, VMATLAS_TEST_DEVICE " missing");
	self->p = mmap(NULL, GIG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB | MAP_HUGE_1GB, -1, 0);
	ASSERT_NE(MAP_FAILED, self->p) TH_LOG("1 GiB hugetlb mmap: %s", strerror(errno));
	ASSERT_EQ(0, (uintptr_t)self->p & (GIG - 1));
	self->p[0] = 1;
	self->p[GIG - 1] = 2;
}

FIXTURE_TEARDOWN(gigantic)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, GIG);
	if (self->fd >= 0)
		close(self->fd);
}

static int walk(int fd, pid_t pid, unsigned long long addr, struct vmatlas_walk *w)
{
	struct vx x = { .fd = fd };

	return vx_walk(&x, w, pid, addr);
}

static int residency(int fd, unsigned long long start, struct vmatlas_residency *res)
{
	struct vx x = { .fd = fd };
	struct vmatlas_vmas req;
	struct vmatlas_vma vma;
	int ret;

	ret = vx_vmas(&x, &req, getpid(), start, VMATLAS_VMAS_RESIDENCY, &vma, 1, NULL, 0);
	if (ret)
		return ret;
	if (req.count != 1 || vma.start != start)
		return -ENOENT;
	*res = vma.res;
	return 0;
}

/* What vmatlas says of the 1 GiB page, checked against smaps and pagemap. */
static void check_page(struct __test_metadata *_metadata, int fd, char *p)
{
	unsigned long long addr = (uintptr_t)p;
	struct vmatlas_residency res = {};
	struct smaps_vma *v, *s;
	struct vmatlas_walk w;
	int pm, n, i;
	__u64 e;

	ASSERT_EQ(0, residency(fd, addr, &res));
	n = smaps_read(getpid(), &v);
	ASSERT_LT(0, n);
	s = smaps_find(v, n, addr);
	ASSERT_NE(NULL, s);
	EXPECT_EQ(s->swap, res.swap * 4);
	EXPECT_EQ(0, res.swap);
	EXPECT_EQ(s->private_hugetlb + s->shared_hugetlb, res.hugetlb * 4);
	EXPECT_EQ(GIG_PAGES, res.hugetlb);
	free(v);

	pm = pagemap_open(getpid());
	ASSERT_LE(0, pm);
	for (i = 0; i < 3; i++) {
		unsigned long long at = addr + (GIG / 2) * i - (i == 2);

		e = pagemap_entry(pm, at, getpagesize());
		ASSERT_NE(0, e & PM_PRESENT) TH_LOG("pagemap: %#llx not present", at);
		ASSERT_EQ(0, walk(fd, getpid(), at, &w));
		EXPECT_EQ(VMATLAS_LEVEL_PUD, w.stop_level);
		EXPECT_EQ(GIG, w.page_size);
		EXPECT_NE(0, w.out_flags & VMATLAS_WALK_PRESENT);
		EXPECT_EQ(VMATLAS_SWP_NONE, w.swap_kind);
		EXPECT_EQ(0, w.swap_offset);
		EXPECT_EQ(e & PM_PFN_MASK, w.pfn) TH_LOG("at %#llx", at);
	}
	close(pm);
}

TEST_F(gigantic, a_mapped_1g_page_is_one_pud_leaf)
{
	check_page(_metadata, self->fd, self->p);
}

TEST_F(gigantic, a_prot_none_1g_page_is_still_mapped_not_swap)
{
	ASSERT_EQ(0, mprotect(self->p, GIG, PROT_NONE));
	check_page(_metadata, self->fd, self->p);
}

/*
 * Without CAP_SYS_ADMIN: no frame, and nothing that could carry one. Each
 * test runs in a process of its own, so this one drops the capability
 * itself (no fork: a child would get the huge page copy-on-write).
 */
TEST_F(gigantic, prot_none_1g_page_leaks_no_frame_to_an_unprivileged_opener)
{
	struct vmatlas_walk w;
	int fd;

	ASSERT_EQ(0, mprotect(self->p, GIG, PROT_NONE));
	/* Root without CAP_SYS_ADMIN opens the device: the view is the opener's. */
	fd = open_device_without_cap_sys_admin();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, walk(fd, getpid(), (uintptr_t)self->p, &w));
	close(fd);
	EXPECT_NE(0, w.out_flags & VMATLAS_WALK_PRESENT);
	EXPECT_EQ(VMATLAS_SWP_NONE, w.swap_kind);
	EXPECT_EQ(VMATLAS_LEVEL_PUD, w.stop_level);
	EXPECT_EQ(0, w.pfn);
	EXPECT_EQ(0, w.phys);
	EXPECT_EQ(0, w.swap_offset);
	EXPECT_EQ(0, w.swap_type);
}

TEST_HARNESS_MAIN
