// SPDX-License-Identifier: GPL-2.0
/*
 * race_test's targets: the process that maps, unmaps, splits, collapses,
 * swaps and forks as fast as it can while the walkers inspect it, and the
 * one that re-executes itself from a thread, forever (race_test.c says why).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "race.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE	25
#endif
#ifndef MFD_HUGETLB
#define MFD_HUGETLB	0x0004U
#endif

#define HUGE_2M		(2UL << 20)
#define PUD_1G		(1024UL * 1024 * 1024)

const char *const op_names[OP_MAX] = {
	"map/mremap/munmap", "mprotect split+merge", "THP fault+split", "MADV_COLLAPSE ok",
	"hugetlb share/unshare", "MADV_PAGEOUT", "fork+exit",
};

struct race_shared *sh;
static long page;

static void op_done(int op)
{
	__atomic_add_fetch(&sh->ops[op], 1, __ATOMIC_RELAXED);
}

static char *region(size_t len, size_t align, int advice)
{
	char *p = vx_map_aligned(len, align, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			      -1);

	if (!p)
		_exit(80);
	madvise(p, len, advice);
	sh->start[sh->nregions] = (uintptr_t)p;
	sh->len[sh->nregions++] = len;
	return p;
}

static void touch(char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i += page)
		__atomic_add_fetch(p + i, 1, __ATOMIC_RELAXED);
}

static char *split_area, *thp_area, *pageout_area, *huge_area;

/* Mappings that come and go, grow and move. */
static void *t_mapper(void *arg)
{
	char *slot[8] = {};
	size_t len[8];
	__u64 s = vx_seed();

	for (;; op_done(OP_MAP)) {
		int i = vx_rnd(&s) % 8, what = vx_rnd(&s) % 3;
		char *q;

		if (!slot[i]) {
			len[i] = (1 + vx_rnd(&s) % 32) * page;
			q = mmap(NULL, len[i], PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
				 -1, 0);
			slot[i] = q == MAP_FAILED ? NULL : q;
			if (slot[i])
				touch(q, len[i]);
		} else if (!what && len[i] < 128 * page) {
			q = mremap(slot[i], len[i], 2 * len[i], MREMAP_MAYMOVE);
			if (q == MAP_FAILED)
				continue;
			/* Writable again (and merged) where a mprotect() made it read-only. */
			mprotect(q, 2 * len[i], PROT_READ | PROT_WRITE);
			touch(q + len[i], len[i]);
			slot[i] = q;
			len[i] *= 2;
		} else if (what < 2) {
			munmap(slot[i], len[i]);
			slot[i] = NULL;
		} else {
			mprotect(slot[i], page, PROT_READ);
		}
	}
	return NULL;
}

/* Split a VMA in three with mprotect(), then merge it back. */
static void *t_split(void *arg)
{
	__u64 s = vx_seed();

	for (;; op_done(OP_SPLIT)) {
		size_t k = vx_rnd(&s) % 60, n = 1 + vx_rnd(&s) % 4;

		mprotect(split_area + k * page, n * page, vx_rnd(&s) % 2 ? PROT_READ : PROT_NONE);
		mprotect(split_area + k * page, n * page, PROT_READ | PROT_WRITE);
		touch(split_area + k * page, n * page);
	}
	return NULL;
}

/* Fault THPs in, collapse them, split them again by zapping or mprotect. */
static void *t_thp(void *arg)
{
	size_t len = 2 * HUGE_2M;
	__u64 s = vx_seed();

	for (;; op_done(OP_THP)) {
		char *mid = thp_area + HUGE_2M;

		touch(thp_area, len);
		/* Older kernels (EINVAL) or no huge page now (EAGAIN): go on. */
		if (!madvise(thp_area, len, MADV_COLLAPSE))
			op_done(OP_COLLAPSED);
		madvise(mid - 16 * page, 32 * page, MADV_DONTNEED);
		if (vx_rnd(&s) % 2) {
			mprotect(mid + 4 * page, 4 * page, PROT_READ);
			mprotect(mid + 4 * page, 4 * page, PROT_READ | PROT_WRITE);
		} else {
			madvise(thp_area + 64 * page, 64 * page, MADV_PAGEOUT);
		}
	}
	return NULL;
}

static void *t_pageout(void *arg)
{
	for (;; op_done(OP_PAGEOUT)) {
		touch(pageout_area, 64 * page);
		madvise(pageout_area, 64 * page, MADV_PAGEOUT);
		usleep(5000);
	}
	return NULL;
}

/*
 * Shared hugetlb. PMD tables are shared between processes whose MAP_SHARED
 * hugetlb mappings of one file each span the same PUD-aligned 1 GiB range
 * (huge_pmd_share()); mprotect() or munmap() of part of it unshares them
 * (huge_pmd_unshare()), which frees the table under i_mmap_rwsem. The VMs
 * have 1-2 GiB and 8 huge pages, so the range cannot be populated: it is
 * mapped MAP_NORESERVE and only its first huge page is touched, here and by
 * every forked child (which shares the table on its fault and unshares it
 * when it exits). Where no aligned 1 GiB range fits (32-bit), the mapping
 * is 4 MiB: no sharing, only hugetlb split and merge.
 */
static char *hugetlb_map(void)
{
	int fd = memfd_create("vmatlas-race", MFD_HUGETLB);
	size_t len = PUD_1G;
	char *p = NULL;

	if (fd < 0)
		return NULL;
	if (!ftruncate(fd, len))
		p = vx_map_aligned(len, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_NORESERVE,
				   fd);
	sh->hugetlb_pud = !!p;
	if (!p) {
		len = 2 * HUGE_2M;
		if (!ftruncate(fd, len))
			p = vx_map_aligned(len, HUGE_2M, PROT_READ | PROT_WRITE, MAP_SHARED, fd);
	}
	close(fd);
	if (p) {
		sh->start[sh->nregions] = (uintptr_t)p;
		sh->len[sh->nregions++] = len;
	}
	return p;
}

static void *t_hugetlb(void *arg)
{
	char *second = huge_area + HUGE_2M;
	__u64 s = vx_seed();

	for (;; op_done(OP_HUGETLB)) {
		__atomic_add_fetch(huge_area, 1, __ATOMIC_RELAXED);
		if (vx_rnd(&s) % 2) {
			mprotect(second, HUGE_2M, PROT_READ);
			mprotect(second, HUGE_2M, PROT_READ | PROT_WRITE);
		} else {
			madvise(huge_area, HUGE_2M, MADV_DONTNEED);
		}
	}
	return NULL;
}

static void *t_fork(void *arg)
{
	for (;; op_done(OP_FORK)) {
		pid_t pid = fork();

		if (pid == 0) {
			if (huge_area)
				__atomic_load_n(huge_area, __ATOMIC_RELAXED);
			touch(pageout_area, 8 * page);
			_exit(0);
		}
		if (pid < 0) {
			usleep(10000);
			continue;
		}
		__atomic_store_n(&sh->fork_child, pid, __ATOMIC_RELAXED);
		waitpid(pid, NULL, 0);
	}
	return NULL;
}

void target_main(int ready)
{
	void *(*fns[])(void *) = { t_mapper, t_split, t_thp, t_pageout, t_fork, t_hugetlb };
	size_t i, n = ARRAY_SIZE(fns);
	pthread_t t;

	page = getpagesize();
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	split_area = region(64 * page, page, MADV_NOHUGEPAGE);
	thp_area = region(2 * HUGE_2M, HUGE_2M, MADV_HUGEPAGE);
	pageout_area = region(64 * page, page, MADV_NOHUGEPAGE);
	huge_area = hugetlb_map();
	if (!huge_area)
		n--;
	for (i = 0; i < n; i++)
		if (pthread_create(&t, NULL, fns[i], NULL))
			_exit(81);
	if (write(ready, "r", 1) != 1)
		_exit(82);
	for (;;)
		pause();
}

/* ---- the second target: execve() from a thread, over and over ---- */

static void *exec_again(void *arg)
{
	char *const argv[] = { "vmatlas-race-exec", NULL };
	__u64 s = vx_seed();

	usleep(1000 + vx_rnd(&s) % 10000);
	execv("/proc/self/exe", argv);
	_exit(83);
}

static void __attribute__((constructor)) exec_target(void)
{
	const char *fd = getenv("VMATLAS_RACE_EXEC");
	long pg = sysconf(_SC_PAGESIZE);
	pthread_t t;

	if (!fd)
		return;
	/* One byte per exec: the test counts them (until the pipe is full). */
	if (write(atoi(fd), "x", 1) < 0 && errno != EAGAIN)
		_exit(84);
	if (pthread_create(&t, NULL, exec_again, NULL))
		_exit(85);
	for (;;) {
		char *p = mmap(NULL, 16 * pg, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED) {
			memset(p, 1, 16 * pg);
			munmap(p, 16 * pg);
		}
		usleep(200);
	}
}

