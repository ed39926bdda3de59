// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas-bench-space: translation. One WALK per address, and one TRANSLATE
 * of a single address per call, against an 8-byte pread() of pagemap; one
 * TRANSLATE call for all of them against one call per address (TRANSLATE,
 * then WALK), over two sets of addresses: the first page of each
 * read-write VMA (each in a VMA of its own: the worst case for a batch,
 * which must find every VMA again), and thousands of consecutive pages of
 * one VMA (a buffer translated page by page). All sides must give the same
 * frames before anything is timed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "libvmatlas.h"
#include "space_bench.h"

#define DENSE_MAX	4096

struct xctx {
	const struct bench_target *t;
	const unsigned long long *addr;
	unsigned long n;
	unsigned long *frame[4];	/* WALK, pagemap, TRANSLATE, one each */
	struct vmatlas_xlat *x;
};

static __u64 walk_each(void *p)
{
	__u64 t0 = bench_now_ns();
	struct vmatlas_walk w;
	struct xctx *c = p;
	unsigned long i;
	int ret;

	for (i = 0; i < c->n; i++) {
		ret = vmatlas_walk(c->t->dev, c->t->pid, c->addr[i], &w);
		if (ret) {
			errno = -ret;
			return 0;
		}
		c->frame[0][i] = w.pfn;
	}
	return bench_now_ns() - t0;
}

static __u64 pagemap_each(void *p)
{
	__u64 t0 = bench_now_ns(), e;
	struct xctx *c = p;
	char path[64];
	unsigned long i;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/pagemap", c->t->pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	for (i = 0; i < c->n; i++) {
		if (pread(fd, &e, 8, c->addr[i] / c->t->page_size * 8) != 8) {
			close(fd);
			return 0;
		}
		c->frame[1][i] = e & ((1ULL << 55) - 1);
	}
	close(fd);
	return bench_now_ns() - t0;
}

static __u64 translate_batch(void *p)
{
	__u64 t0 = bench_now_ns();
	struct xctx *c = p;
	unsigned int out_flags;
	unsigned long i;
	int ret;

	for (i = 0; i < c->n; i++)
		c->x[i].addr = c->addr[i];
	ret = vmatlas_translate(c->t->dev, c->t->pid, c->x, c->n, &out_flags);
	if (ret) {
		errno = -ret;
		return 0;
	}
	for (i = 0; i < c->n; i++) {
		if (c->x[i].error) {
			errno = -c->x[i].error;
			return 0;
		}
		c->frame[2][i] = c->x[i].phys / c->t->page_size;
	}
	return bench_now_ns() - t0;
}

/* TRANSLATE, one address per call: the cheapest call for one address. */
static __u64 translate_each(void *p)
{
	__u64 t0 = bench_now_ns();
	struct vmatlas_xlat x;
	struct xctx *c = p;
	unsigned int out_flags;
	unsigned long i;
	int ret;

	for (i = 0; i < c->n; i++) {
		memset(&x, 0, sizeof(x));
		x.addr = c->addr[i];
		ret = vmatlas_translate(c->t->dev, c->t->pid, &x, 1, &out_flags);
		if (!ret)
			ret = x.error;
		if (ret) {
			errno = -ret;
			return 0;
		}
		c->frame[3][i] = x.phys / c->t->page_size;
	}
	return bench_now_ns() - t0;
}

static int translate_set(const struct bench_target *t, const char *what,
			 const unsigned long long *addr, unsigned long n, int rounds)
{
	const struct bench b[] = {
		{ "translate: WALK, one per call", "pread 8 B of pagemap", walk_each,
		  pagemap_each },
		{ "translate: TRANSLATE, one per call", "pread 8 B of pagemap", translate_each,
		  pagemap_each },
		{ "translate: TRANSLATE, one call", "TRANSLATE, one per call", translate_batch,
		  translate_each },
		{ "translate: TRANSLATE, one call", "WALK, one per call", translate_batch,
		  walk_each },
	};
	struct xctx c = { .t = t, .addr = addr, .n = n };
	unsigned long i;
	int k, ret = -1;

	for (k = 0; k < 4; k++) {
		c.frame[k] = calloc(n, sizeof(*c.frame[k]));
		if (!c.frame[k])
			bench_die("calloc");
	}
	c.x = calloc(n, sizeof(*c.x));
	if (!c.x)
		bench_die("calloc");
	if (!walk_each(&c) || !pagemap_each(&c) || !translate_batch(&c) || !translate_each(&c)) {
		printf("%-34s FAILED: %s\n", b[0].name, strerror(errno));
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (c.frame[0][i] != c.frame[1][i] || c.frame[0][i] != c.frame[2][i] ||
		    c.frame[0][i] != c.frame[3][i]) {
			printf("%-34s FAILED: at %#llx frames %#lx (WALK) %#lx (pagemap) ",
			       b[0].name, addr[i], c.frame[0][i], c.frame[1][i]);
			printf("%#lx (TRANSLATE) %#lx (one each)\n", c.frame[2][i], c.frame[3][i]);
			goto out;
		}
	}
	printf("# translate: %s: all four sides give the same answer for %lu frames\n", what, n);
	for (k = 0; k < (int)ARRAY_SIZE(b); k++)
		bench_pair(&b[k], &c, rounds);
	ret = 0;
out:
	for (k = 0; k < 4; k++)
		free(c.frame[k]);
	free(c.x);
	return ret;
}

int bench_translate(struct bench_target *t, int rounds)
{
	unsigned long i, n = t->stride / 2 / t->page_size;
	unsigned long long *addr;
	int ret;

	addr = calloc(t->nvmas > DENSE_MAX ? t->nvmas : DENSE_MAX, sizeof(*addr));
	if (!addr)
		bench_die("calloc");
	for (i = 0; i < t->nvmas; i++)
		addr[i] = t->base + i * t->stride;
	ret = translate_set(t, "one page per VMA", addr, t->nvmas, rounds);
	if (n > DENSE_MAX)
		n = DENSE_MAX;
	for (i = 0; i < n; i++)
		addr[i] = t->base + i * t->page_size;
	if (!ret)
		ret = translate_set(t, "consecutive pages of one VMA", addr, n, rounds);
	free(addr);
	return ret;
}
