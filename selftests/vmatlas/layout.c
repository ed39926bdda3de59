// SPDX-License-Identifier: GPL-2.0
/*
 * The layout process of the process-address-space tests.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/types.h>

#include "helpers.h"
#include "layout.h"
#include "procfs.h"

/*
 * Each region is a VMA of its own: an unmapped page on each side keeps the
 * kernel from merging it with its neighbours (7.x merges anonymous VMAs
 * that earlier kernels kept apart), whatever their flags.
 */
static void *map_anon(size_t len, int prot, int flags)
{
	long page = sysconf(_SC_PAGESIZE);
	char *p = mmap(NULL, len + 2 * page, prot, MAP_PRIVATE | MAP_ANONYMOUS | flags, -1, 0);

	if (p == MAP_FAILED || munmap(p, page) || munmap(p + page + len, page))
		_exit(20);
	return p + page;
}

/* Touch memory for real: the compiler may neither drop nor merge these. */
static void touch_write(uintptr_t addr, char val)
{
	__atomic_store_n((char *)addr, val, __ATOMIC_RELAXED);
}

static char touch_read(uintptr_t addr)
{
	return __atomic_load_n((char *)addr, __ATOMIC_RELAXED);
}

static void write_pages(uintptr_t start, int pages, int step, long page)
{
	int i;

	for (i = 0; i < pages; i += step)
		touch_write(start + i * page, (char)(i + 1));
}

static void read_pages(uintptr_t start, int pages, long page)
{
	int i;

	for (i = 0; i < pages; i++)
		touch_read(start + i * page);
}

/* The child: read half of the shared region, then obey "w" and "q". */
static void child_main(struct layout *l, int cmd, int ack)
{
	char c;

	read_pages(l->shared, LAYOUT_PAGES / 2, l->page);
	if (write(ack, "r", 1) != 1)
		_exit(30);
	while (read(cmd, &c, 1) == 1) {
		if (c == 'w')
			write_pages(l->cow, LAYOUT_PAGES, 1, l->page);
		if (write(ack, "k", 1) != 1 || c == 'q')
			break;
	}
	_exit(0);
}

static void build_after_fork(struct layout *l)
{
	long page = l->page;
	char path[64], *buf;
	uintptr_t raw;
	int fd, i;

	l->anon = (uintptr_t)map_anon(LAYOUT_PAGES * page, PROT_READ | PROT_WRITE, 0);
	madvise((void *)l->anon, LAYOUT_PAGES * page, MADV_NOHUGEPAGE);
	write_pages(l->anon, LAYOUT_PAGES, 2, page);

	l->untouched = (uintptr_t)map_anon(LAYOUT_PAGES * page, PROT_READ | PROT_WRITE, 0);

	l->zero = (uintptr_t)map_anon(LAYOUT_PAGES * page, PROT_READ | PROT_WRITE, 0);
	madvise((void *)l->zero, LAYOUT_PAGES * page, MADV_NOHUGEPAGE);
	read_pages(l->zero, LAYOUT_PAGES, page);

	raw = (uintptr_t)map_anon(3 * l->huge, PROT_READ | PROT_WRITE, 0);
	l->thp = (raw + l->huge - 1) & ~(uintptr_t)(l->huge - 1);
	madvise((void *)l->thp, 2 * l->huge, MADV_HUGEPAGE);
	write_pages(l->thp, 2 * l->huge / page, 1, page);

	snprintf(path, sizeof(path), "/tmp/vmatlas-layout-%d", getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	buf = calloc(LAYOUT_PAGES, page);
	if (fd < 0 || !buf)
		_exit(21);
	for (i = 0; i < LAYOUT_PAGES; i++)
		buf[i * page] = (char)i;
	if (write(fd, buf, LAYOUT_PAGES * page) != LAYOUT_PAGES * page)
		_exit(22);
	free(buf);
	l->file = (uintptr_t)mmap(NULL, LAYOUT_PAGES * page, PROT_READ, MAP_PRIVATE, fd, 0);
	if (l->file == (uintptr_t)MAP_FAILED)
		_exit(23);
	close(fd);
	read_pages(l->file, LAYOUT_PAGES / 2, page);

	l->split = (uintptr_t)map_anon(8 * page, PROT_READ | PROT_WRITE, 0);
	madvise((void *)l->split, 8 * page, MADV_NOHUGEPAGE);
	write_pages(l->split, 8, 1, page);
	mprotect((void *)(l->split + 3 * page), 2 * page, PROT_READ);

	l->guard = (uintptr_t)map_anon(4 * page, PROT_NONE, 0);

	l->swapped = (uintptr_t)map_anon(LAYOUT_PAGES * page, PROT_READ | PROT_WRITE, 0);
	madvise((void *)l->swapped, LAYOUT_PAGES * page, MADV_NOHUGEPAGE);
	write_pages(l->swapped, LAYOUT_PAGES, 1, page);
#ifdef MADV_PAGEOUT
	madvise((void *)l->swapped, LAYOUT_PAGES * page, MADV_PAGEOUT);
#endif

	l->hugetlb = (uintptr_t)mmap(NULL, l->hugetlb_size, PROT_READ | PROT_WRITE,
				     MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (l->hugetlb == (uintptr_t)MAP_FAILED)
		l->hugetlb = 0;
	else
		touch_write(l->hugetlb, 1);

#if UINTPTR_MAX > 0xffffffffUL
	l->high = (uintptr_t)mmap((void *)(1UL << 50), page, PROT_READ | PROT_WRITE,
				  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (l->high == (uintptr_t)MAP_FAILED || l->high < (1UL << 48)) {
		if (l->high != (uintptr_t)MAP_FAILED)
			munmap((void *)l->high, page);
		l->high = 0;
	} else {
		touch_write(l->high, 1);
	}
#endif

	l->heap = (uintptr_t)sbrk(LAYOUT_PAGES * page);
	if (l->heap == (uintptr_t)-1)
		_exit(24);
	write_pages(l->heap, LAYOUT_PAGES, 1, page);
	unlink(path);
}

/* Count pages of the swapped region that pagemap says are in swap. */
static int count_swapped(struct layout *l)
{
	__u64 e;
	int fd, i, n = 0;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0)
		return 0;
	for (i = 0; i < LAYOUT_PAGES; i++)
		if (pread(fd, &e, 8, (l->swapped / l->page + i) * 8) == 8 && (e >> 62 & 1))
			n++;
	close(fd);
	return n;
}

static void layout_main(struct layout *l, int cmd, int ack)
{
	int to_child[2], from_child[2];
	char c;

	l->cow = (uintptr_t)map_anon(LAYOUT_PAGES * l->page, PROT_READ | PROT_WRITE, 0);
	madvise((void *)l->cow, LAYOUT_PAGES * l->page, MADV_NOHUGEPAGE);
	write_pages(l->cow, LAYOUT_PAGES, 1, l->page);
	l->shared = (uintptr_t)mmap(NULL, LAYOUT_PAGES * l->page, PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (l->shared == (uintptr_t)MAP_FAILED)
		_exit(25);
	write_pages(l->shared, LAYOUT_PAGES, 1, l->page);

	if (pipe(to_child) || pipe(from_child))
		_exit(26);
	l->child = fork();
	if (l->child < 0)
		_exit(27);
	if (l->child == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		child_main(l, to_child[0], from_child[1]);
	}
	if (read(from_child[0], &c, 1) != 1)
		_exit(28);

	build_after_fork(l);
	l->swap_out = count_swapped(l);
	l->pid = getpid();
	if (write(ack, l, sizeof(*l)) != sizeof(*l))
		_exit(29);

	while (read(cmd, &c, 1) == 1) {
		if (write(to_child[1], &c, 1) != 1 || read(from_child[0], &c, 1) != 1)
			_exit(31);
		if (write(ack, "k", 1) != 1 || c == 'q')
			break;
	}
	kill(l->child, SIGKILL);
	waitpid(l->child, NULL, 0);
	_exit(0);
}

/* Both processes asleep in read(): from now on nothing changes. */
static int layout_wait_quiescent(struct layout *l)
{
	int ret = proc_wait_sleeping(l->pid);

	return ret ? ret : proc_wait_sleeping(l->child);
}

int layout_start(struct layout *l)
{
	int cmd[2], ack[2];
	pid_t pid;

	memset(l, 0, sizeof(*l));
	l->page = sysconf(_SC_PAGESIZE);
	l->huge = thp_size();
	l->hugetlb_size = meminfo_kb("Hugepagesize:") * 1024 ?: l->huge;
	if (pipe(cmd) || pipe(ack))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(cmd[1]);
		close(ack[0]);
		layout_main(l, cmd[0], ack[1]);
	}
	close(cmd[0]);
	close(ack[1]);
	if (read(ack[0], l, sizeof(*l)) != sizeof(*l)) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -EIO;
	}
	l->cmd_fd = cmd[1];
	l->ack_fd = ack[0];
	return layout_wait_quiescent(l);
}

int layout_child_write_cow(struct layout *l)
{
	char c = 'w';

	if (write(l->cmd_fd, &c, 1) != 1 || read(l->ack_fd, &c, 1) != 1)
		return -EIO;
	return layout_wait_quiescent(l);
}

void layout_stop(struct layout *l)
{
	kill(l->pid, SIGKILL);
	waitpid(l->pid, NULL, 0);
	close(l->cmd_fd);
	close(l->ack_fd);
}
