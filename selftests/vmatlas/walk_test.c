// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas walk against /proc/PID/pagemap and the architecture: for thousands
 * of addresses present, PFN, swap, soft-dirty and exclusivity agree with
 * pagemap; each level's index is the address bits the MMU uses; each entry
 * points at the next level's table; COW shares a frame until a write; and
 * looking changes nothing in the process looked at.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"

#define WALK_BATCH	256
#define SAMPLES_PER_VMA	400

/* Walk @n addresses of @pid with one tool run; NULL on failure. */
static struct json_object *walk_json(pid_t pid, const unsigned long long *addrs, int n,
				     struct run_result *res)
{
	static char bufs[WALK_BATCH][24];
	const char *args[WALK_BATCH + 4];
	char pidbuf[16];
	int i;

	args[0] = "walk";
	args[1] = "--json";
	snprintf(pidbuf, sizeof(pidbuf), "%d", pid);
	args[2] = pidbuf;
	for (i = 0; i < n; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "%#llx", addrs[i]);
		args[3 + i] = bufs[i];
	}
	args[3 + n] = NULL;
	return run_tool_json(res, args);
}

static struct json_object *walk_one(pid_t pid, unsigned long long addr)
{
	static struct run_result res;
	struct json_object *doc = walk_json(pid, &addr, 1, &res), *r;

	run_result_free(&res);
	if (!doc)
		return NULL;
	r = json_object_get(json_object_array_get_idx(json_get(doc, "results"), 0));
	json_object_put(doc);
	return r;
}

static int has_flag(struct json_object *obj, const char *flag)
{
	return json_array_has(json_get(obj, "flags"), flag);
}

static struct json_object *level(struct json_object *r, int i)
{
	return json_object_array_get_idx(json_get(r, "levels"), i);
}

static unsigned long long pfn_of(struct json_object *r)
{
	return json_hex(r, "pfn");
}

FIXTURE(layout) {
	struct layout l;
	struct vmatlas_info info;
};

FIXTURE_SETUP(layout)
{
	int fd;

	REQUIRE_DEVICE(return);
	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	memset(&self->info, 0, sizeof(self->info));
	self->info.size = sizeof(self->info);
	ASSERT_EQ(0, ioctl(fd, VMATLAS_IOC_INFO, &self->info));
	close(fd);
	ASSERT_EQ(0, layout_start(&self->l));
}

FIXTURE_TEARDOWN(layout)
{
	if (self->l.pid)
		layout_stop(&self->l);
}

/* Compare one walk result with the pagemap entry of the same address. */
static int agrees_with_pagemap(struct __test_metadata *_metadata, struct json_object *r,
			       __u64 pm, int soft_dirty)
{
	struct json_object *page = json_get(r, "page"), *swap = json_get(r, "swap");
	struct json_object *vma = json_get(r, "vma");
	unsigned long long addr = json_hex(r, "addr");
	int present = json_object_get_boolean(json_get(r, "present"));
	int stop = json_object_array_length(json_get(r, "levels")) - 1;
	int leaf_sd = has_flag(level(r, stop), "soft-dirty");
	int ok = 1;

	if (!!(pm & PM_PRESENT) != present) {
		TH_LOG("%#llx: present %d, pagemap %d", addr, present, !!(pm & PM_PRESENT));
		return 0;
	}
	if (present && (pm & PM_PFN_MASK) != pfn_of(r)) {
		TH_LOG("%#llx: pfn %#llx, pagemap %#llx", addr, pfn_of(r), pm & PM_PFN_MASK);
		ok = 0;
	}
	if (!!(pm & PM_SWAP) != !!swap) {
		TH_LOG("%#llx: swap %d, pagemap %d", addr, !!swap, !!(pm & PM_SWAP));
		ok = 0;
	}
	if (swap && (pm & PM_PFN_MASK) !=
	    ((unsigned long long)json_int(swap, "type") | json_hex(swap, "offset") << 5)) {
		TH_LOG("%#llx: swap entry differs from pagemap's %#llx", addr, pm & PM_PFN_MASK);
		ok = 0;
	}
	if (soft_dirty && !!(pm & PM_SOFT_DIRTY) !=
	    (leaf_sd || json_array_has(json_get(vma, "flags"), "softdirty"))) {
		TH_LOG("%#llx: soft-dirty differs from pagemap", addr);
		ok = 0;
	}
	if (present && !!(pm & PM_EXCLUSIVE) != (page && json_int(page, "mapcount") == 1)) {
		TH_LOG("%#llx: exclusive differs from pagemap (mapcount %lld)", addr,
		       page ? json_int(page, "mapcount") : -1);
		ok = 0;
	}
	if (present && !!(pm & PM_FILE) !=
	    (page && !json_array_has(json_get(page, "flags"), "anon") &&
	     !json_array_has(json_get(page, "flags"), "zero"))) {
		TH_LOG("%#llx: file differs from pagemap", addr);
		ok = 0;
	}
	return ok;
}

TEST_F(layout, thousands_of_addresses_agree_with_pagemap)
{
	unsigned long long *addrs = NULL;
	struct smaps_vma *vmas;
	int nvmas, n = 0, cap = 0, i, k, fd, checked = 0, bad = 0;
	int soft_dirty = soft_dirty_supported();

	nvmas = smaps_read(self->l.pid, &vmas);
	ASSERT_LT(0, nvmas);
	for (i = 0; i < nvmas; i++) {
		unsigned long long npages = (vmas[i].end - vmas[i].start) / self->l.page;

		if (!strcmp(vmas[i].name, "[vsyscall]"))
			continue;
		for (k = 0; k < SAMPLES_PER_VMA && k < (int)npages; k++) {
			if (n == cap) {
				cap = cap ? cap * 2 : 1024;
				addrs = realloc(addrs, cap * sizeof(*addrs));
				ASSERT_NE(NULL, addrs);
			}
			/* Spread over the VMA, at an odd offset inside the page. */
			addrs[n++] = vmas[i].start + (npages * k / SAMPLES_PER_VMA) * self->l.page +
				     (k * 8 + 1) % self->l.page;
		}
	}
	fd = pagemap_open(self->l.pid);
	ASSERT_LE(0, fd);
	for (i = 0; i < n; i += WALK_BATCH) {
		int batch = n - i < WALK_BATCH ? n - i : WALK_BATCH;
		static struct run_result res;
		struct json_object *doc = walk_json(self->l.pid, addrs + i, batch, &res);
		struct json_object *results = json_get(doc, "results");

		ASSERT_NE(NULL, doc) TH_LOG("walk failed: %s", res.err);
		ASSERT_EQ(batch, json_object_array_length(results));
		for (k = 0; k < batch; k++) {
			struct json_object *r = json_object_array_get_idx(results, k);

			EXPECT_EQ(addrs[i + k], json_hex(r, "addr"));
			if (!agrees_with_pagemap(_metadata, r,
						 pagemap_entry(fd, addrs[i + k], self->l.page),
						 soft_dirty))
				bad++;
			checked++;
		}
		json_object_put(doc);
		run_result_free(&res);
	}
	close(fd);
	EXPECT_EQ(0, bad);
	EXPECT_LE(1000, checked) TH_LOG("only %d addresses sampled", checked);
	free(addrs);
	free(vmas);
}

/* The index at each level is the slice of address bits the MMU uses. */
TEST_F(layout, level_indices_are_the_address_bits)
{
	/* An even page of the anon region: written, so mapped by a PTE. */
	unsigned long long a = self->l.anon + 4 * self->l.page + 123;
	struct json_object *r = walk_one(self->l.pid, a);
	unsigned int levels = self->info.levels, i;

	ASSERT_NE(NULL, r);
	ASSERT_EQ(5, json_object_array_length(json_get(r, "levels")));
	for (i = 0; i < 5; i++) {
		/* Four levels fold the P4D, three the PUD too, two the PMD too. */
		bool folded = i && i <= 5 - levels;

		EXPECT_EQ(folded, json_object_get_boolean(json_get(level(r, i), "folded")))
			TH_LOG("level %u", i);
		if (!folded)
			EXPECT_EQ(level_index(a, i, levels), json_int(level(r, i), "index"))
				TH_LOG("level %u", i);
	}
	EXPECT_TRUE(json_object_get_boolean(json_get(level(r, 4), "leaf")));
	EXPECT_EQ(self->l.page, json_int(r, "page_size"));
	json_object_put(r);
}

/* Each entry holds the physical address of the next level's table. */
TEST_F(layout, each_level_points_at_the_next_table)
{
	struct json_object *r = walk_one(self->l.pid, self->l.anon);
	int fd = pagemap_open(self->l.pid);
	__u64 pm = pagemap_entry(fd, self->l.anon, self->l.page);
	int i;

	ASSERT_NE(NULL, r);
	for (i = 0; i < 4; i++) {
		struct json_object *next = level(r, i + 1);

		if (json_object_get_boolean(json_get(next, "folded")))
			continue;
		EXPECT_EQ(json_hex(level(r, i), "entry") & entry_addr_mask(),
			  json_hex(next, "table")) TH_LOG("level %d", i);
	}
	EXPECT_EQ((pm & PM_PFN_MASK) * self->l.page,
		  json_hex(level(r, 4), "entry") & entry_addr_mask());
	EXPECT_EQ((pm & PM_PFN_MASK) * self->l.page, json_hex(r, "phys"));
	close(fd);
	json_object_put(r);
}

TEST_F(layout, five_level_paging_walks_a_real_p4d)
{
	struct json_object *r;
	unsigned long long a = self->l.high;

	if (self->info.levels != 5)
		SKIP(return, "%u-level paging", self->info.levels);
	if (sizeof(void *) < 8)
		SKIP(return, "a 32-bit process cannot map above 4 GiB");
	ASSERT_NE(0, a) TH_LOG("no mapping above 128 TiB under 5-level paging");
	r = walk_one(self->l.pid, a);
	ASSERT_NE(NULL, r);
	EXPECT_GE(a, 1ULL << 48);
	EXPECT_FALSE(json_object_get_boolean(json_get(level(r, 1), "folded")));
	EXPECT_EQ(level_index(a, 0, 5), json_int(level(r, 0), "index"));
	EXPECT_EQ(level_index(a, 1, 5), json_int(level(r, 1), "index"));
	EXPECT_NE(0, level_index(a, 0, 5));
	EXPECT_TRUE(json_object_get_boolean(json_get(r, "present")));
	json_object_put(r);
}

TEST_F(layout, cow_after_fork_shares_frame_until_write)
{
	unsigned long long a = self->l.cow + 3 * self->l.page;
	struct json_object *p, *c;
	unsigned long long shared_pfn;

	p = walk_one(self->l.pid, a);
	c = walk_one(self->l.child, a);
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, c);
	shared_pfn = pfn_of(p);
	EXPECT_EQ(shared_pfn, pfn_of(c));
	EXPECT_FALSE(has_flag(level(p, 4), "write"));
	EXPECT_FALSE(has_flag(level(c, 4), "write"));
	EXPECT_EQ(2, json_int(json_get(p, "page"), "mapcount"));
	json_object_put(p);
	json_object_put(c);

	ASSERT_EQ(0, layout_child_write_cow(&self->l));
	p = walk_one(self->l.pid, a);
	c = walk_one(self->l.child, a);
	ASSERT_NE(NULL, p);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(shared_pfn, pfn_of(p));
	EXPECT_NE(shared_pfn, pfn_of(c));
	EXPECT_TRUE(has_flag(level(c, 4), "write"));
	EXPECT_EQ(1, json_int(json_get(p, "page"), "mapcount"));
	json_object_put(p);
	json_object_put(c);
}

TEST_F(layout, zero_page_reads_share_one_frame)
{
	struct json_object *a = walk_one(self->l.pid, self->l.zero);
	struct json_object *b = walk_one(self->l.pid, self->l.zero + 7 * self->l.page);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	EXPECT_TRUE(json_array_has(json_get(json_get(a, "page"), "flags"), "zero"));
	EXPECT_EQ(pfn_of(a), pfn_of(b));
	EXPECT_FALSE(has_flag(level(a, 4), "write"));
	json_object_put(a);
	json_object_put(b);
}

/*
 * Whether THP can be had: the kernel has it and it is not "never". Whether
 * it was had is smaps' AnonHugePages, not what the tool under test says.
 */
static int thp_enabled(void)
{
	char mode[256];

	return read_file("/sys/kernel/mm/transparent_hugepage/enabled", mode, sizeof(mode)) > 0 &&
	       !strstr(mode, "[never]");
}

/*
 * A PMD leaf (2 MiB; 32 MiB with 16 KiB pages) translates by its base plus
 * the address bits below the PMD index, as pagemap agrees.
 */
TEST_F(layout, thp_is_a_pmd_leaf)
{
	const unsigned long long huge = self->l.huge;
	unsigned long long anon_huge, huge_seen = 0;
	struct smaps_vma *vmas, *s;
	int fd, i, nvmas;

	if (!thp_enabled())
		SKIP(return, "no transparent huge pages in this kernel, or they are off");
	fd = pagemap_open(self->l.pid);
	ASSERT_LE(0, fd);
	for (i = 0; i < 2; i++) {
		unsigned long long a = self->l.thp + i * huge + 12345, base;
		struct json_object *r = walk_one(self->l.pid, a);
		__u64 pm = pagemap_entry(fd, a, self->l.page);

		ASSERT_NE(NULL, r);
		if (json_int(r, "page_size") != (long long)huge) {
			EXPECT_EQ(self->l.page, json_int(r, "page_size"));
			json_object_put(r);
			continue;
		}
		huge_seen++;
		EXPECT_STREQ("pmd", json_object_get_string(json_get(r, "stop")));
		EXPECT_TRUE(has_flag(level(r, 3), "huge"));
		EXPECT_TRUE(json_object_get_boolean(json_get(level(r, 3), "leaf")));
		base = json_hex(level(r, 3), "entry") & entry_addr_mask() & ~(huge - 1);
		EXPECT_EQ(base + (a & (huge - 1)), json_hex(r, "phys"));
		EXPECT_EQ((pm & PM_PFN_MASK) * self->l.page + (a & (self->l.page - 1)),
			  json_hex(r, "phys"));
		json_object_put(r);
	}
	close(fd);
	nvmas = smaps_read(self->l.pid, &vmas);
	ASSERT_LT(0, nvmas);
	s = smaps_find(vmas, nvmas, self->l.thp);
	anon_huge = s ? s->anon_huge : 0;
	free(vmas);
	ASSERT_NE(NULL, s) TH_LOG("no VMA starts at the THP region %#lx",
				  (unsigned long)self->l.thp);
	/* Every PMD-mapped huge page smaps counts is a PMD leaf of the walk. */
	ASSERT_EQ(anon_huge, huge_seen * (huge >> 10)) TH_LOG("AnonHugePages %llu kB",
							      anon_huge);
	if (!anon_huge)
		SKIP(return, "the kernel gave the THP region no huge page (smaps)");
}

/*
 * One private hugetlb page, written by its only owner: every base page of it
 * reports the facts of the one page (hugetlb keeps them on the head page),
 * anon-exclusive included, and pagemap agrees on the frames.
 */
TEST_F(layout, hugetlb_page_facts_are_the_same_at_every_offset)
{
	const unsigned long long huge = self->l.hugetlb_size;
	unsigned long long offs[] = { 0, self->l.page, huge / 2 + 3 * self->l.page,
				      huge - self->l.page };
	const char *first = NULL;
	unsigned int i;
	int fd;

	if (!self->l.hugetlb)
		REQUIRE_HARNESS(return, "no hugetlb page (vm.nr_hugepages?)");
	fd = pagemap_open(self->l.pid);
	for (i = 0; i < ARRAY_SIZE(offs); i++) {
		unsigned long long a = self->l.hugetlb + offs[i];
		struct json_object *r = walk_one(self->l.pid, a), *page;
		__u64 pm = pagemap_entry(fd, a, self->l.page);
		const char *flags;

		ASSERT_NE(NULL, r);
		page = json_get(r, "page");
		ASSERT_NE(NULL, page) TH_LOG("%#llx: no page facts", a);
		EXPECT_EQ((long long)huge, json_int(r, "page_size"));
		EXPECT_EQ(pm & PM_PFN_MASK, pfn_of(r));
		flags = json_object_to_json_string(json_get(page, "flags"));
		EXPECT_TRUE(json_array_has(json_get(page, "flags"), "anon-exclusive"))
			TH_LOG("offset %#llx: %s", offs[i], flags);
		if (!first)
			first = strdup(flags);
		EXPECT_STREQ(first, flags) TH_LOG("offset %#llx", offs[i]);
		json_object_put(r);
	}
	free((void *)first);
	close(fd);
}

/*
 * A shared hugetlb mapping (whose PMD table the kernel may share between
 * processes) is walked under i_mmap_rwsem, to the frame pagemap names.
 */
TEST(shared_hugetlb_page_walks_to_its_frame)
{
	const unsigned long long huge = meminfo_kb("Hugepagesize:") * 1024;
	long page = getpagesize();
	struct json_object *r;
	char *p;
	int fd;

	REQUIRE_DEVICE(return);
	p = mmap(NULL, huge, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_HUGETLB,
		 -1, 0);
	if (p == MAP_FAILED)
		REQUIRE_HARNESS(return, "no hugetlb page (vm.nr_hugepages?)");
	p[page] = 1;
	r = walk_one(getpid(), (uintptr_t)p + page);
	ASSERT_NE(NULL, r);
	fd = pagemap_open(getpid());
	EXPECT_EQ(pagemap_entry(fd, (uintptr_t)p + page, page) & PM_PFN_MASK, pfn_of(r));
	EXPECT_EQ((long long)huge, json_int(r, "page_size"));
	close(fd);
	json_object_put(r);
	munmap(p, huge);
}

TEST_F(layout, swapped_page_walks_to_a_swap_entry)
{
	struct json_object *r, *swap;
	int fd, i;

	if (!self->l.swap_out)
		REQUIRE_HARNESS(return, "no page reached swap (no swap device?)");
	fd = pagemap_open(self->l.pid);
	for (i = 0; i < LAYOUT_PAGES; i++)
		if (pagemap_entry(fd, self->l.swapped + i * self->l.page, self->l.page) & PM_SWAP)
			break;
	close(fd);
	ASSERT_LT(i, LAYOUT_PAGES);
	r = walk_one(self->l.pid, self->l.swapped + i * self->l.page);
	ASSERT_NE(NULL, r);
	swap = json_get(r, "swap");
	EXPECT_FALSE(json_object_get_boolean(json_get(r, "present")));
	ASSERT_NE(NULL, swap);
	EXPECT_STREQ("swap", json_object_get_string(json_get(swap, "kind")));
	EXPECT_TRUE(has_flag(level(r, 4), "swap"));
	json_object_put(r);
}

/* Looking takes no fault, sets no bit, maps nothing in the process looked at. */
TEST_F(layout, inspecting_never_changes_the_target)
{
	char pid[16], start[24], end[24], addr[24];
	const char *const maps[] = { "maps", "--json", pid, NULL };
	const char *const ptdump[] = { "ptdump", "--json", pid, NULL };
	const char *const range[] = { "ptdump", pid, "--start", start, "--end", end, NULL };
	const char *const walk[] = { "walk", pid, addr, NULL };
	static struct run_result res;
	long long faults;
	int fd, i;

	snprintf(pid, sizeof(pid), "%d", self->l.pid);
	snprintf(start, sizeof(start), "%#llx", (unsigned long long)self->l.untouched);
	snprintf(end, sizeof(end), "%#llx",
		 (unsigned long long)self->l.untouched + LAYOUT_PAGES * self->l.page);
	faults = proc_faults(self->l.pid);
	ASSERT_LE(0, faults);
	if (soft_dirty_supported()) {
		int cr;

		snprintf(addr, sizeof(addr), "/proc/%d/clear_refs", self->l.pid);
		cr = open(addr, O_WRONLY);
		ASSERT_LE(0, cr);
		ASSERT_EQ(1, write(cr, "4", 1));
		close(cr);
	}
	for (i = 0; i < LAYOUT_PAGES; i++) {
		snprintf(addr, sizeof(addr), "%#llx",
			 (unsigned long long)self->l.untouched + i * self->l.page);
		ASSERT_EQ(0, run_tool(&res, -1, walk));
		EXPECT_EQ(0, run_exit_code(&res));
		run_result_free(&res);
	}
	ASSERT_EQ(0, run_tool(&res, -1, maps));
	EXPECT_EQ(0, run_exit_code(&res));
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, ptdump));
	EXPECT_EQ(0, run_exit_code(&res));
	run_result_free(&res);
	ASSERT_EQ(0, run_tool(&res, -1, range));
	EXPECT_EQ(0, run_exit_code(&res));
	run_result_free(&res);

	EXPECT_EQ(faults, proc_faults(self->l.pid));
	fd = pagemap_open(self->l.pid);
	for (i = 0; i < LAYOUT_PAGES; i++) {
		EXPECT_EQ(0, pagemap_entry(fd, self->l.untouched + i * self->l.page,
					   self->l.page) & (PM_PRESENT | PM_SWAP));
		if (soft_dirty_supported())
			EXPECT_EQ(0, pagemap_entry(fd, self->l.anon + i * self->l.page,
						   self->l.page) & PM_SOFT_DIRTY);
	}
	close(fd);
}

TEST_HARNESS_MAIN
