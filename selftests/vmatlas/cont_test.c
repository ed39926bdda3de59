// SPDX-License-Identifier: GPL-2.0
/*
 * The contiguous hint (arm64 PTE_CONT): an aligned run of entries that map
 * one aligned, physically contiguous range with the same attributes, which
 * the MMU may cache as one TLB entry. vmatlas gives the run's size (INFO's
 * cont_size per level, WALK's tlb_size); here it is held against what the
 * kernel says elsewhere:
 *
 * - the hugetlb sizes in /sys/kernel/mm/hugepages: on arm64 the sizes of
 *   the levels and of the contiguous runs (arch/arm64/mm/hugetlbpage.c);
 * - a hugetlb page of a run's size: smaps gives its KernelPageSize, pagemap
 *   its frames, one after the other;
 * - a large anonymous folio (mTHP) of the PTE run's size, which arm64's
 *   contpte code (6.9 on) maps as one run: /proc/kpageflags tells a folio
 *   from small pages. Changing the protection of one of its pages must
 *   break the run up (contpte_try_unfold()).
 *
 * x86 has no such hint: the sizes are 0 and tlb_size is the leaf's size.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "procfs.h"
#include "kselftest_harness.h"

#define HUGEPAGES	"/sys/kernel/mm/hugepages"
#define MTHP		"/sys/kernel/mm/transparent_hugepage"

#ifndef MAP_HUGE_SHIFT
#define MAP_HUGE_SHIFT	26
#endif

static unsigned long long uptr(const void *p)
{
	return (uintptr_t)p;
}

/* The hugetlb page sizes this kernel offers, in bytes; how many. */
static int hugetlb_sizes(unsigned long long *sizes, int max)
{
	DIR *d = opendir(HUGEPAGES);
	unsigned long long kb;
	struct dirent *de;
	int n = 0;

	if (!d)
		return -errno;
	while ((de = readdir(d)) && n < max)
		if (sscanf(de->d_name, "hugepages-%llukB", &kb) == 1)
			sizes[n++] = kb << 10;
	closedir(d);
	return n;
}

static int has_size(const unsigned long long *sizes, int n, unsigned long long size)
{
	while (n--)
		if (sizes[n] == size)
			return 1;
	return 0;
}

/*
 * INFO's sizes are the MMU's: on arm64 a PTE and a PMD run (16 x 4K and
 * 16 x 2M with 4K pages; 128 x 16K and 32 x 32M with 16K), none above; on
 * x86 none. hugetlb offers exactly the leaves and the runs.
 */
TEST(info_cont_sizes_are_the_hugetlb_sizes_between_the_levels)
{
	unsigned long long sizes[16];
	struct vx x;
	int n, i;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, vx_open(&x));
	n = hugetlb_sizes(sizes, ARRAY_SIZE(sizes));
	ASSERT_LT(0, n) TH_LOG("no hugetlb sizes in " HUGEPAGES);
	for (i = VMATLAS_LEVEL_PGD; i <= VMATLAS_LEVEL_PUD; i++)
		EXPECT_EQ(0, x.cont[i]) TH_LOG("level %d", i);
	if (!kernel_is_arm64()) {
		EXPECT_EQ(0, x.cont[VMATLAS_LEVEL_PMD]);
		EXPECT_EQ(0, x.cont[VMATLAS_LEVEL_PTE]);
	} else {
		EXPECT_EQ(x.page == 4096 ? 16 * x.page : 128 * x.page, x.cont[VMATLAS_LEVEL_PTE]);
		EXPECT_EQ(x.page == 4096 ? 16 * x.pmd : 32 * x.pmd, x.cont[VMATLAS_LEVEL_PMD]);
		EXPECT_TRUE(has_size(sizes, n, x.cont[VMATLAS_LEVEL_PTE]));
		EXPECT_TRUE(has_size(sizes, n, x.cont[VMATLAS_LEVEL_PMD]));
	}
	for (i = 0; i < n; i++)
		EXPECT_TRUE(sizes[i] == x.pmd || sizes[i] == x.pud ||
			    sizes[i] == x.cont[VMATLAS_LEVEL_PTE] ||
			    sizes[i] == x.cont[VMATLAS_LEVEL_PMD])
			TH_LOG("hugetlb size %llu: not a leaf, not a contiguous run", sizes[i]);
	vx_close(&x);
}

/* Without the hint, one TLB entry holds one leaf; nothing, when nothing maps. */
TEST(tlb_size_is_the_leaf_without_a_hint)
{
	long page = getpagesize();
	struct vmatlas_walk w;
	char why[256];
	struct vx x;
	char *p;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, vx_open(&x));
	p = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = 1;
	ASSERT_EQ(0, vx_walk(&x, &w, getpid(), uptr(p)));
	EXPECT_EQ(0, vx_walk_check(&x, &w, uptr(p), why, sizeof(why))) TH_LOG("%s", why);
	EXPECT_EQ(0, w.levels[VMATLAS_LEVEL_PTE].bits & VMATLAS_ENT_ARM64_CONT);
	EXPECT_EQ(page, w.tlb_size);
	ASSERT_EQ(0, vx_walk(&x, &w, getpid(), uptr(p) + page));
	EXPECT_EQ(0, w.out_flags & VMATLAS_WALK_PRESENT);
	EXPECT_EQ(0, w.tlb_size);
	munmap(p, 2 * page);
	vx_close(&x);
}

/*
 * Every page of the run @p..@p+@size, leaves of @leaf bytes at @level:
 * present, the hint set, one TLB entry of @size, frames one after the other
 * from a @size-aligned first one, each as pagemap has it. Returns how many
 * leaves failed.
 */
static int check_run(struct __test_metadata *_metadata, const struct vx *x, char *p,
		     unsigned long long size, unsigned long long leaf, unsigned int level)
{
	unsigned long long a, first = 0;
	struct vmatlas_walk w;
	int pm, bad = 0;
	char why[256];
	__u64 e;

	pm = pagemap_open(getpid());
	if (pm < 0)
		return 1;
	for (a = uptr(p); a < uptr(p) + size && bad < 4; a += leaf) {
		e = pagemap_entry(pm, a, x->page);
		if (vx_walk(x, &w, getpid(), a) || vx_walk_check(x, &w, a, why, sizeof(why))) {
			TH_LOG("walk %#llx: %s", a, why);
			bad++;
			continue;
		}
		if (a == uptr(p))
			first = w.pfn;
		if (!(w.out_flags & VMATLAS_WALK_PRESENT) || w.stop_level != level ||
		    w.page_size != leaf || w.tlb_size != size ||
		    !(w.levels[level].bits & VMATLAS_ENT_ARM64_CONT) ||
		    w.pfn != (e & PM_PFN_MASK) || w.pfn != first + (a - uptr(p)) / x->page ||
		    (first * x->page) % size) {
			TH_LOG("%#llx: level %u page_size %llu tlb_size %llu bits %#llx",
			       a, w.stop_level, (unsigned long long)w.page_size,
			       (unsigned long long)w.tlb_size,
			       (unsigned long long)w.levels[level].bits);
			TH_LOG("pfn %#llx, pagemap %#llx, first %#llx", (unsigned long long)w.pfn,
			       (unsigned long long)e, first);
			bad++;
		}
	}
	close(pm);
	return bad;
}

/* A hugetlb page of a contiguous run's size: one PTE run, or one PMD run. */
FIXTURE(hugetlb_run) {
	struct vx x;
	char nr_path[128];
	char nr_old[32];
	unsigned long long size;
	char *p;
};

FIXTURE_VARIANT(hugetlb_run) {
	unsigned int level;
};

FIXTURE_VARIANT_ADD(hugetlb_run, pte) {
	.level = VMATLAS_LEVEL_PTE,
};

FIXTURE_VARIANT_ADD(hugetlb_run, pmd) {
	.level = VMATLAS_LEVEL_PMD,
};

FIXTURE_SETUP(hugetlb_run)
{
	char want[32], got[32] = "";

	self->p = MAP_FAILED;
	self->x.fd = -1;
	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, vx_open(&self->x));
	self->size = self->x.cont[variant->level];
	if (!self->size)
		SKIP(return, "no contiguous hint on this MMU");
	snprintf(self->nr_path, sizeof(self->nr_path), HUGEPAGES "/hugepages-%llukB/nr_hugepages",
		 self->size >> 10);
	ASSERT_LT(0, read_file(self->nr_path, self->nr_old, sizeof(self->nr_old)));
	snprintf(want, sizeof(want), "%d", atoi(self->nr_old) + 1);
	ASSERT_EQ(0, write_file(self->nr_path, want));
	read_file(self->nr_path, got, sizeof(got));
	if (atoi(got) <= atoi(self->nr_old))
		SKIP(return, "no free %llu KiB block for a hugetlb page", self->size >> 10);
	self->p = mmap(NULL, self->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB |
		       __builtin_ctzll(self->size) << MAP_HUGE_SHIFT, -1, 0);
	ASSERT_NE(MAP_FAILED, self->p) TH_LOG("hugetlb mmap: %s", strerror(errno));
	self->p[0] = 1;
}

FIXTURE_TEARDOWN(hugetlb_run)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, self->size);
	if (self->nr_old[0])
		write_file(self->nr_path, self->nr_old);
	vx_close(&self->x);
}

TEST_F(hugetlb_run, every_leaf_of_the_page_is_one_translation_of_its_size)
{
	unsigned long long leaf = variant->level == VMATLAS_LEVEL_PTE ? self->x.page :
									self->x.pmd;
	struct smaps_vma *v, *s;
	int n;

	n = smaps_read(getpid(), &v);
	ASSERT_LT(0, n);
	s = smaps_find(v, n, uptr(self->p));
	ASSERT_NE(NULL, s);
	EXPECT_EQ(self->size >> 10, s->kernel_page) TH_LOG("smaps KernelPageSize");
	/* 6.12 counts a 64 KiB page shared (hugetlb_pmd_shared() of a PTE table). */
	EXPECT_EQ(self->size >> 10, s->private_hugetlb + s->shared_hugetlb);
	free(v);
	EXPECT_EQ(0, check_run(_metadata, &self->x, self->p, self->size, leaf, variant->level));
}

TEST_F(hugetlb_run, ptdump_shows_one_run_and_the_tool_its_tlb_size)
{
	unsigned long long leaf = variant->level == VMATLAS_LEVEL_PTE ? self->x.page :
									self->x.pmd;
	char pid[16], start[32], end[32];
	const char *const args[] = { "ptdump", "--json", "-s", start, "-e", end, pid, NULL };
	static struct run_result res;
	struct vmatlas_ptdump req;
	struct vmatlas_run runs[4];
	struct json_object *doc, *r;

	ASSERT_EQ(0, vx_ptdump(&self->x, &req, getpid(), 0, uptr(self->p),
			       uptr(self->p) + self->size, runs, ARRAY_SIZE(runs)));
	ASSERT_EQ(1, req.count);
	EXPECT_EQ(uptr(self->p) + self->size, runs[0].end);
	EXPECT_EQ(leaf, runs[0].page_size);
	EXPECT_EQ(variant->level, runs[0].level);
	EXPECT_NE(0, runs[0].bits & VMATLAS_ENT_ARM64_CONT);

	snprintf(pid, sizeof(pid), "%d", getpid());
	snprintf(start, sizeof(start), "%#llx", uptr(self->p));
	snprintf(end, sizeof(end), "%#llx", uptr(self->p) + self->size);
	doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, doc) TH_LOG("ptdump: %s", res.err);
	r = json_object_array_get_idx(json_get(doc, "runs"), 0);
	ASSERT_NE(NULL, r);
	EXPECT_EQ(self->size, json_int(r, "tlb_size"));
	EXPECT_TRUE(json_array_has(json_get(r, "flags"), "cont"));
	json_object_put(doc);
	run_result_free(&res);
}

/*
 * Large anonymous folios of the PTE run's size (mTHP, 6.8 on), in a mapping
 * smaller than a PMD so no PMD THP can take it.
 */
FIXTURE(mthp) {
	struct vx x;
	char path[128];
	char old[32];
	unsigned long long size, len;
	char *p;
};

FIXTURE_SETUP(mthp)
{
	char buf[256] = "", *sel, *end;

	self->p = MAP_FAILED;
	self->x.fd = -1;
	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, vx_open(&self->x));
	self->size = self->x.cont[VMATLAS_LEVEL_PTE];
	if (!self->size)
		SKIP(return, "no contiguous hint on this MMU");
	snprintf(self->path, sizeof(self->path), MTHP "/hugepages-%llukB/enabled",
		 self->size >> 10);
	if (read_file(self->path, buf, sizeof(buf)) <= 0)
		SKIP(return, "no %llu KiB mTHP (before 6.8)", self->size >> 10);
	sel = strchr(buf, '[');
	end = sel ? strchr(sel, ']') : NULL;
	ASSERT_NE(NULL, end) TH_LOG("'%s'", buf);
	snprintf(self->old, sizeof(self->old), "%.*s", (int)(end - sel - 1), sel + 1);
	ASSERT_EQ(0, write_file(self->path, "always"));
	self->len = 8 * self->size;
	ASSERT_LT(self->len, self->x.pmd);
	self->p = mmap(NULL, self->len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	ASSERT_NE(MAP_FAILED, self->p);
}

FIXTURE_TEARDOWN(mthp)
{
	if (self->p != MAP_FAILED)
		munmap(self->p, self->len);
	if (self->old[0])
		write_file(self->path, self->old);
	vx_close(&self->x);
}

/* The aligned runs of @size inside @p..@p+@len: the first, and how many. */
static char *first_run(char *p, unsigned long long len, unsigned long long size, int *n)
{
	unsigned long long a = (uptr(p) + size - 1) & ~(size - 1);

	*n = (uptr(p) + len - a) / size;
	return (char *)(uintptr_t)a;
}

/*
 * Whether the run at @p is one folio of exactly its size, by pagemap and
 * kpageflags alone: a head frame aligned to the run, tails after it, the
 * frames one after the other, and no tail right after the run.
 */
static int one_folio(const struct vx *x, int pm, char *p, unsigned long long size)
{
	unsigned long long i, n = size / x->page, pfn0 = 0;
	__u64 e, f;

	for (i = 0; i < n; i++) {
		e = pagemap_entry(pm, uptr(p) + i * x->page, x->page);
		if (!(e & PM_PRESENT))
			return 0;
		if (!i)
			pfn0 = e & PM_PFN_MASK;
		f = kpage_flags(e & PM_PFN_MASK);
		if ((e & PM_PFN_MASK) != pfn0 + i ||
		    !(f & BIT_ULL(i ? KPF_COMPOUND_TAIL : KPF_COMPOUND_HEAD)))
			return 0;
	}
	return !((pfn0 * x->page) % size) &&
	       !(kpage_flags(pfn0 + n) & BIT_ULL(KPF_COMPOUND_TAIL));
}

static void touch_runs(char *p, int n, unsigned long long size)
{
	int i;

	for (i = 0; i < n; i++)
		p[i * size] = 1;
}

/*
 * A folio that fills an aligned run is mapped as one (the hint on each of
 * its entries, one TLB entry of the run's size); small pages never are.
 */
TEST_F(mthp, a_folio_that_fills_a_run_is_mapped_as_one)
{
	int n, i, pm, folios = 0;
	char *run = first_run(self->p, self->len, self->size, &n);

	touch_runs(run, n, self->size);
	pm = pagemap_open(getpid());
	ASSERT_LE(0, pm);
	for (i = 0; i < n; i++) {
		char *r = run + i * self->size;
		struct vmatlas_walk w;

		if (one_folio(&self->x, pm, r, self->size)) {
			folios++;
			EXPECT_EQ(0, check_run(_metadata, &self->x, r, self->size, self->x.page,
					       VMATLAS_LEVEL_PTE)) TH_LOG("run %d", i);
			continue;
		}
		ASSERT_EQ(0, vx_walk(&self->x, &w, getpid(), uptr(r)));
		if (!(kpage_flags(w.pfn) & (BIT_ULL(KPF_COMPOUND_HEAD) |
					   BIT_ULL(KPF_COMPOUND_TAIL)))) {
			EXPECT_EQ(0, w.levels[VMATLAS_LEVEL_PTE].bits & VMATLAS_ENT_ARM64_CONT);
			EXPECT_EQ(self->x.page, w.tlb_size);
		}
	}
	close(pm);
	EXPECT_LT(0, folios) TH_LOG("no %llu KiB folio among %d runs", self->size >> 10, n);
}

/*
 * Once one page of a run is made read-only, its entries no longer agree:
 * the kernel takes the hint off the whole run, which is back to one TLB
 * entry per page, though the folio stays whole.
 */
TEST_F(mthp, one_page_made_read_only_breaks_its_run_up)
{
	unsigned long long a, mid;
	struct vmatlas_walk w;
	char why[256];
	int n, pm;
	char *run = first_run(self->p, self->len, self->size, &n);

	touch_runs(run, n, self->size);
	pm = pagemap_open(getpid());
	ASSERT_LE(0, pm);
	if (!one_folio(&self->x, pm, run, self->size)) {
		close(pm);
		SKIP(return, "the first run is not one %llu KiB folio", self->size >> 10);
	}
	ASSERT_EQ(0, check_run(_metadata, &self->x, run, self->size, self->x.page,
			       VMATLAS_LEVEL_PTE));
	mid = uptr(run) + self->size / 2;
	ASSERT_EQ(0, mprotect((void *)(uintptr_t)mid, self->x.page, PROT_READ));
	EXPECT_TRUE(one_folio(&self->x, pm, run, self->size));
	close(pm);
	for (a = uptr(run); a < uptr(run) + self->size; a += self->x.page) {
		ASSERT_EQ(0, vx_walk(&self->x, &w, getpid(), a));
		EXPECT_EQ(0, vx_walk_check(&self->x, &w, a, why, sizeof(why))) TH_LOG("%s", why);
		EXPECT_EQ(0, w.levels[VMATLAS_LEVEL_PTE].bits & VMATLAS_ENT_ARM64_CONT)
			TH_LOG("%#llx", a);
		EXPECT_EQ(self->x.page, w.tlb_size) TH_LOG("%#llx", a);
		EXPECT_EQ(a == mid ? 0 : VMATLAS_ENT_WRITE,
			  w.levels[VMATLAS_LEVEL_PTE].bits & VMATLAS_ENT_WRITE) TH_LOG("%#llx", a);
	}
}

TEST_HARNESS_MAIN
