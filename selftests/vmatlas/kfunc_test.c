// SPDX-License-Identifier: GPL-2.0
/*
 * The module's BPF kfunc vmatlas_pte_get() against its ABI
 * (Documentation/abi.rst): a small BPF program of the test's own calls it
 * in this process, and what it wrote is checked against /proc/self/pagemap
 * and the rules: unknown flags, a short struct and a kernel address give
 * -EINVAL and zeros; the page facts come only when asked; bytes past the
 * struct the module knows are zeroed; an unmapped address is no error and
 * no entry. Runs where the module registered the kfunc; SKIP elsewhere.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "procfs.h"
#include "workload.h"

#if VMATLAS_TEST_BPF
#include <bpf/libbpf.h>
#include "kfunc_probe.skel.h"

#define PAGE	((unsigned long)getpagesize())
#define OUT	80

/* The probe's cases, as its .bss holds them. */
struct kcase {
	unsigned long long addr;
	unsigned int flags, size;
};

FIXTURE(kfunc) {
	struct kfunc_probe_bpf *skel;
	char *page;
};

FIXTURE_SETUP(kfunc)
{
	self->skel = NULL;
	self->page = MAP_FAILED;
	if (!module_has_kfunc())
		SKIP(return, "the module has no kfunc on this kernel");
	self->page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, self->page);
	madvise(self->page, PAGE, MADV_NOHUGEPAGE);
	self->page[0] = 1;
	self->skel = kfunc_probe_bpf__open();
	ASSERT_NE(NULL, self->skel);
	self->skel->rodata->targ_tgid = getpid();
	self->skel->rodata->targ_nr = SYS_getppid;
	ASSERT_EQ(0, kfunc_probe_bpf__load(self->skel));
	ASSERT_EQ(0, kfunc_probe_bpf__attach(self->skel));
}

FIXTURE_TEARDOWN(kfunc)
{
	kfunc_probe_bpf__destroy(self->skel);
	if (self->page != MAP_FAILED)
		munmap(self->page, PAGE);
}

/* Run @n cases through the kfunc, in this process's next getppid(). */
static int run_cases(struct kfunc_probe_bpf *skel, const struct kcase *c, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		skel->bss->case_addr[i] = c[i].addr;
		skel->bss->case_flags[i] = c[i].flags;
		skel->bss->case_size[i] = c[i].size;
	}
	skel->bss->ncases = n;
	skel->bss->done = 0;
	getppid();
	return skel->bss->done ? 0 : -1;
}

static struct vmatlas_pte *out(struct kfunc_probe_bpf *skel, int i)
{
	return (struct vmatlas_pte *)skel->bss->case_out[i];
}

static int all_zero(const unsigned char *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

TEST_F(kfunc, present_page_matches_pagemap_and_page_facts_come_when_asked)
{
	unsigned long long a = (uintptr_t)self->page + 0x123;
	const struct kcase c[] = {
		{ a, VMATLAS_PTE_GET_PAGE, sizeof(struct vmatlas_pte) },
		{ a, 0, sizeof(struct vmatlas_pte) },
	};
	struct vmatlas_pte *with = out(self->skel, 0), *without = out(self->skel, 1);
	int pm = pagemap_open(getpid());
	__u64 e;

	ASSERT_LE(0, pm);
	e = pagemap_entry(pm, a, PAGE);
	close(pm);
	ASSERT_TRUE(e & PM_PRESENT);
	ASSERT_EQ(0, run_cases(self->skel, c, 2));

	EXPECT_EQ(0, self->skel->bss->case_ret[0]);
	EXPECT_EQ(e & PM_PFN_MASK, with->pfn);
	EXPECT_EQ(PAGE, with->page_size);
	EXPECT_EQ(VMATLAS_LEVEL_PTE, with->level);
	EXPECT_EQ(VMATLAS_PTE_PRESENT | VMATLAS_PTE_PAGE, with->out_flags);
	EXPECT_TRUE(with->bits & VMATLAS_ENT_PRESENT);
	EXPECT_TRUE(with->bits & VMATLAS_ENT_WRITE);
	EXPECT_EQ(with->pfn, (with->entry & entry_addr_mask()) >> page_shift());
	EXPECT_EQ(1, with->page.mapcount);
	EXPECT_TRUE(with->page.flags & VMATLAS_PG_ANON);
	EXPECT_LE(1, with->page.refcount);

	EXPECT_EQ(0, self->skel->bss->case_ret[1]);
	EXPECT_EQ(VMATLAS_PTE_PRESENT, without->out_flags);
	EXPECT_EQ(with->pfn, without->pfn);
	EXPECT_EQ(with->entry, without->entry);
	EXPECT_TRUE(all_zero((unsigned char *)&without->page, sizeof(without->page)));
}

TEST_F(kfunc, bad_input_gets_einval_and_zeros)
{
	unsigned long long a = (uintptr_t)self->page;
	const struct kcase c[] = {
		{ a, 0x80, sizeof(struct vmatlas_pte) },		/* unknown flag */
		{ a, 0, 8 },						/* short struct */
		{ 0xffff888000000000ULL, 0, sizeof(struct vmatlas_pte) },	/* kernel */
		{ ~0ULL, 0, sizeof(struct vmatlas_pte) },		/* not canonical */
	};
	int i;

	ASSERT_EQ(0, run_cases(self->skel, c, 4));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(-EINVAL, self->skel->bss->case_ret[i]) TH_LOG("case %d", i);
		EXPECT_TRUE(all_zero(self->skel->bss->case_out[i], c[i].size))
			TH_LOG("case %d", i);
	}
	/* Nothing past the size the caller gave is touched. */
	EXPECT_EQ(0xff, self->skel->bss->case_out[1][8]);
}

TEST_F(kfunc, unmapped_address_is_no_error_and_no_entry)
{
	/* Below mmap_min_addr nothing is ever mapped. */
	const struct kcase c[] = { { 0x1000, VMATLAS_PTE_GET_PAGE, sizeof(struct vmatlas_pte) } };
	struct vmatlas_pte *p = out(self->skel, 0);

	ASSERT_EQ(0, run_cases(self->skel, c, 1));
	EXPECT_EQ(0, self->skel->bss->case_ret[0]);
	EXPECT_EQ(0, p->out_flags);
	EXPECT_EQ(0, p->entry);
	EXPECT_EQ(0, p->pfn);
	EXPECT_EQ(0, p->page_size);
}

TEST_F(kfunc, bytes_past_the_known_struct_are_zeroed)
{
	const struct kcase c[] = { { (uintptr_t)self->page, 0, OUT } };

	ASSERT_EQ(0, run_cases(self->skel, c, 1));
	EXPECT_EQ(0, self->skel->bss->case_ret[0]);
	EXPECT_TRUE(all_zero(self->skel->bss->case_out[0] + sizeof(struct vmatlas_pte),
			     OUT - sizeof(struct vmatlas_pte)));
	EXPECT_EQ(VMATLAS_PTE_PRESENT, out(self->skel, 0)->out_flags);
}

#else /* !VMATLAS_TEST_BPF */

TEST(kfunc_needs_bpf)
{
	SKIP(return, "this build has no BPF (32-bit)");
}

#endif

TEST_HARNESS_MAIN
