/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The process commands (VMAS, WALK, PTDUMP, TRANSLATE) and their debugfs views, called
 * and checked for what any result must satisfy however the target changed
 * meanwhile: ranges inside the request, sorted and non-overlapping, counts
 * within the span, a frame only with a present leaf. Shared by the race,
 * kill and self-target tests.
 */
#ifndef _VMATLAS_TEST_IOCTLS_H
#define _VMATLAS_TEST_IOCTLS_H

#include <stddef.h>
#include <sys/types.h>

#include <linux/vmatlas.h>

struct json_object;

/* The device, and the geometry INFO reports. */
struct vx {
	int fd;
	unsigned long long page;	/* base page size */
	unsigned long long pmd;		/* what a PMD leaf maps */
	unsigned long long pud;		/* what a PUD leaf maps */
	unsigned int levels;
	int phys;			/* VMATLAS_FEAT_PHYS: frames are shown */
	unsigned long long cont[VMATLAS_LEVELS];	/* INFO's contiguous-run sizes */
};

/* Open /dev/vmatlas and ask INFO; 0 or -errno. */
int vx_open(struct vx *x);
void vx_close(struct vx *x);

/* An errno the ABI documents for some request (fuzz_test's list). */
int vx_documented(int err);

/* Errors a valid request of the process commands may get from a moving target. */
int vx_expected(int err, int walk);

/* One call each, requests on the stack; 0 or -errno. */
int vx_vmas(const struct vx *x, struct vmatlas_vmas *req, pid_t pid, unsigned long long start,
	    unsigned int flags, struct vmatlas_vma *vmas, unsigned int count, char *names,
	    unsigned int names_size);
int vx_walk(const struct vx *x, struct vmatlas_walk *w, pid_t pid, unsigned long long addr);
/* PTDUMP of [@start, @end), asked with VMATLAS_PTDUMP_* @flags. */
int vx_ptdump(const struct vx *x, struct vmatlas_ptdump *req, pid_t pid, unsigned int flags,
	      unsigned long long start, unsigned long long end, struct vmatlas_run *runs,
	      unsigned int count);
int vx_translate(const struct vx *x, struct vmatlas_translate *req, pid_t pid,
		 struct vmatlas_xlat *e, unsigned int n);

/*
 * What one TLB entry may hold of a present leaf of @size: the leaf, or its
 * contiguous run (INFO's cont_size) if the MMU may use the entry, which it
 * never does with PROT_NONE.
 */
unsigned long long vx_tlb_size(const struct vx *x, unsigned long long size, __u64 bits,
			       unsigned int level);

/* A --json result with "level", "flags", "page_size" and "tlb_size" agrees with it. */
int vx_json_tlb_size_ok(const struct vx *x, struct json_object *r);

/*
 * Consistency of one successful reply, given what was asked. 0, or -1 with
 * the reason in @why.
 */
int vx_vmas_check(const struct vx *x, const struct vmatlas_vmas *req,
		  unsigned long long start, unsigned int count_in, unsigned int names_in,
		  const struct vmatlas_vma *vmas, const char *names, char *why, size_t len);
int vx_walk_check(const struct vx *x, const struct vmatlas_walk *w, unsigned long long addr,
		  char *why, size_t len);
int vx_translate_check(const struct vx *x, const struct vmatlas_translate *req,
		       const unsigned long long *addr, const struct vmatlas_xlat *e,
		       unsigned int n, int einval_ok, char *why, size_t len);
int vx_ptdump_check(const struct vx *x, const struct vmatlas_ptdump *req,
		    unsigned long long start, unsigned long long end, unsigned int count_in,
		    const struct vmatlas_run *runs, char *why, size_t len);

/*
 * The debugfs views (maps, walk, ptdump) of @pid (and @addr for walk) into
 * @buf: the pid and addr files are global, so callers serialize. Returns
 * the length read or -errno (-ENOENT: no debugfs views).
 */
ssize_t vx_dbg_read(const char *view, pid_t pid, unsigned long long addr, char *buf,
		    size_t len);

/*
 * Consistency of a view's text. 0 or -1 (@why says); *@err is the positive
 * errno the view reported ("error -11"), or 0.
 */
int vx_dbg_check(const struct vx *x, const char *view, const char *text,
		 unsigned long long addr, int *err, char *why, size_t len);

/* Also for these suites: xorshift64* per thread, and a seed for it. */
__u64 vx_rnd(__u64 *s);
__u64 vx_seed(void);

/* @len bytes of a fresh mapping (mmap() @prot, @flags, @fd) @align-aligned; NULL. */
char *vx_map_aligned(size_t len, size_t align, int prot, int flags, int fd);

#endif /* _VMATLAS_TEST_IOCTLS_H */
