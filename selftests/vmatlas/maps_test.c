// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas maps against the kernel's own accounting: every VMA equals
 * /proc/PID/maps, every residency count equals smaps, every flag equals
 * smaps' VmFlags, and each region of a known layout has the kind and counts
 * it was built to have.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "helpers.h"
#include "kselftest_harness.h"
#include "layout.h"
#include "procfs.h"

/* vmatlas flag names and smaps' VmFlags mnemonics (fs/proc/task_mmu.c). */
static const struct {
	const char *flag;
	const char *mnemonic;
} vm_flag_mnemonics[] = {
	{ "read", "rd" }, { "write", "wr" }, { "exec", "ex" }, { "shared", "sh" },
	{ "mayread", "mr" }, { "maywrite", "mw" }, { "mayexec", "me" },
	{ "mayshare", "ms" }, { "growsdown", "gd" }, { "pfnmap", "pf" },
	{ "locked", "lo" }, { "io", "io" }, { "seq_read", "sr" },
	{ "rand_read", "rr" }, { "dontcopy", "dc" }, { "dontexpand", "de" },
	{ "account", "ac" }, { "noreserve", "nr" }, { "hugetlb", "ht" },
	{ "sync", "sf" }, { "wipeonfork", "wf" }, { "dontdump", "dd" },
	{ "softdirty", "sd" }, { "mixedmap", "mm" }, { "hugepage", "hg" },
	{ "nohugepage", "nh" }, { "mergeable", "mg" }, { "uffd_missing", "um" },
	{ "uffd_wp", "uw" }, { "uffd_minor", "ui" }, { "uffd_rwp", "ur" },
};

FIXTURE(layout) {
	struct layout l;
	struct json_object *doc;
	struct json_object *vmas;
	struct smaps_vma *smaps;
	int nsmaps;
};

FIXTURE_SETUP(layout)
{
	char pid[16];
	const char *const args[] = { "maps", "--json", pid, NULL };
	static struct run_result res;

	REQUIRE_DEVICE(return);
	ASSERT_EQ(0, layout_start(&self->l));
	snprintf(pid, sizeof(pid), "%d", self->l.pid);
	self->doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, self->doc) TH_LOG("maps failed: %s", res.err);
	EXPECT_TRUE(json_layout_ok(res.out)) TH_LOG("maps --json is not json-c's layout");
	run_result_free(&res);
	self->vmas = json_get(self->doc, "vmas");
	ASSERT_NE(NULL, self->vmas);
	self->nsmaps = smaps_read(self->l.pid, &self->smaps);
	ASSERT_LT(0, self->nsmaps);
}

FIXTURE_TEARDOWN(layout)
{
	if (!self->l.pid)
		return;
	layout_stop(&self->l);
	json_object_put(self->doc);
	free(self->smaps);
}

static struct json_object *vma_at(struct json_object *vmas, unsigned long long addr)
{
	size_t i;

	for (i = 0; i < json_object_array_length(vmas); i++) {
		struct json_object *v = json_object_array_get_idx(vmas, i);

		if (json_hex(v, "start") <= addr && addr < json_hex(v, "end"))
			return v;
	}
	return NULL;
}

static long long pages(struct json_object *vma, const char *key)
{
	return json_int(json_get(vma, "pages"), key);
}

/* The vsyscall page is the kernel's gate area, in maps but not a VMA of the mm. */
static int is_gate_area(const struct smaps_vma *s)
{
	return !strcmp(s->name, "[vsyscall]");
}

TEST_F(layout, every_vma_equals_proc_maps)
{
	size_t i, n = json_object_array_length(self->vmas);
	int j = 0;

	for (i = 0; i < n; i++, j++) {
		struct json_object *v = json_object_array_get_idx(self->vmas, i);
		char dev[16];
		struct smaps_vma *s;

		while (j < self->nsmaps && is_gate_area(&self->smaps[j]))
			j++;
		ASSERT_LT(j, self->nsmaps) TH_LOG("vmatlas lists more VMAs than maps");
		s = &self->smaps[j];
		EXPECT_EQ(s->start, json_hex(v, "start"));
		EXPECT_EQ(s->end, json_hex(v, "end"));
		EXPECT_STREQ(s->perms, json_object_get_string(json_get(v, "perms")));
		EXPECT_EQ(s->offset, json_hex(v, "offset")) TH_LOG("%llx", s->start);
		snprintf(dev, sizeof(dev), "%s", json_object_get_string(json_get(v, "dev")));
		EXPECT_STREQ(s->dev, dev);
		EXPECT_EQ(s->inode, json_int(v, "inode"));
		EXPECT_STREQ(s->name, json_object_get_string(json_get(v, "path")))
			TH_LOG("VMA %llx", s->start);
	}
	while (j < self->nsmaps && is_gate_area(&self->smaps[j]))
		j++;
	EXPECT_EQ(self->nsmaps, j) TH_LOG("maps lists VMAs vmatlas does not");
}

/* The members of the document, of a VMA and of its "pages", in order. */
static const struct json_member maps_doc_members[] = {
	{ "pid", json_type_int }, { "vmas", json_type_array },
};

static const struct json_member maps_vma_members[] = {
	{ "start", json_type_string }, { "end", json_type_string },
	{ "perms", json_type_string }, { "offset", json_type_string },
	{ "dev", json_type_string }, { "inode", json_type_int },
	{ "path", json_type_string }, { "kind", json_type_string },
	{ "flags", json_type_array }, { "pages", json_type_object },
};

static const struct json_member maps_pages_members[] = {
	{ "present", json_type_int }, { "swap", json_type_int }, { "anon", json_type_int },
	{ "file", json_type_int }, { "thp", json_type_int }, { "hugetlb", json_type_int },
	{ "dirty", json_type_int }, { "young", json_type_int }, { "shared", json_type_int },
	{ "cow", json_type_int }, { "zero", json_type_int }, { "soft_dirty", json_type_int },
};

TEST_F(layout, document_members_have_their_order_and_types)
{
	size_t i, k, n = json_object_array_length(self->vmas);
	char why[128];

	ASSERT_TRUE(json_members_are(self->doc, maps_doc_members,
				     ARRAY_SIZE(maps_doc_members), why, sizeof(why)))
		TH_LOG("document: %s", why);
	for (i = 0; i < n; i++) {
		struct json_object *v = json_object_array_get_idx(self->vmas, i);
		struct json_object *flags = json_get(v, "flags");

		ASSERT_TRUE(json_members_are(v, maps_vma_members, ARRAY_SIZE(maps_vma_members),
					     why, sizeof(why)))
			TH_LOG("VMA %zu: %s", i, why);
		ASSERT_TRUE(json_members_are(json_get(v, "pages"), maps_pages_members,
					     ARRAY_SIZE(maps_pages_members), why, sizeof(why)))
			TH_LOG("pages of VMA %zu: %s", i, why);
		for (k = 0; k < json_object_array_length(flags); k++)
			ASSERT_TRUE(json_object_is_type(json_object_array_get_idx(flags, k),
							json_type_string));
	}
}

TEST_F(layout, residency_equals_smaps)
{
	unsigned long long kb = self->l.page / 1024;
	size_t i;

	for (i = 0; i < json_object_array_length(self->vmas); i++) {
		struct json_object *v = json_object_array_get_idx(self->vmas, i);
		struct smaps_vma *s = smaps_find(self->smaps, self->nsmaps, json_hex(v, "start"));

		ASSERT_NE(NULL, s);
		EXPECT_EQ(s->rss, pages(v, "present") * kb) TH_LOG("Rss of %s %llx",
								   s->name, s->start);
		EXPECT_EQ(s->swap, pages(v, "swap") * kb) TH_LOG("Swap of %llx", s->start);
		EXPECT_EQ(s->anonymous, pages(v, "anon") * kb)
			TH_LOG("Anonymous of %s %llx", s->name, s->start);
		EXPECT_EQ(s->rss - s->anonymous, pages(v, "file") * kb)
			TH_LOG("file pages of %s %llx", s->name, s->start);
		EXPECT_EQ(s->anon_huge + s->shmem_pmd + s->file_pmd, pages(v, "thp") * kb)
			TH_LOG("PMD-mapped of %llx", s->start);
		EXPECT_EQ(s->shared_clean + s->shared_dirty, pages(v, "shared") * kb)
			TH_LOG("Shared of %s %llx", s->name, s->start);
		EXPECT_EQ(s->private_hugetlb + s->shared_hugetlb, pages(v, "hugetlb") * kb)
			TH_LOG("Hugetlb of %llx", s->start);
	}
}

TEST_F(layout, flags_equal_smaps_vmflags)
{
	size_t i, k;

	for (i = 0; i < json_object_array_length(self->vmas); i++) {
		struct json_object *v = json_object_array_get_idx(self->vmas, i);
		struct smaps_vma *s = smaps_find(self->smaps, self->nsmaps, json_hex(v, "start"));
		struct json_object *flags = json_get(v, "flags");

		ASSERT_NE(NULL, s);
		for (k = 0; k < ARRAY_SIZE(vm_flag_mnemonics); k++) {
			char word[8];
			int in_smaps;

			snprintf(word, sizeof(word), " %s", vm_flag_mnemonics[k].mnemonic);
			in_smaps = !!strstr(s->vmflags, word);
			EXPECT_EQ(in_smaps, json_array_has(flags, vm_flag_mnemonics[k].flag))
				TH_LOG("%s of %llx (VmFlags:%s)", vm_flag_mnemonics[k].flag,
				       s->start, s->vmflags);
		}
	}
}

TEST_F(layout, regions_have_the_kind_they_were_built_as)
{
	const struct {
		unsigned long long addr;
		const char *kind;
	} want[] = {
		{ self->l.anon, "anon" }, { self->l.file, "file" }, { self->l.shared, "shm" },
		{ self->l.guard, "guard" }, { self->l.heap, "heap" },
		{ self->l.hugetlb, "hugetlb" },
	};
	struct smaps_vma *s;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(want); i++) {
		struct json_object *v;

		if (!want[i].addr) {
			/* Only the hugetlb page may be missing, and not in the harness. */
			ASSERT_FALSE(in_harness()) TH_LOG("no %s region", want[i].kind);
			continue;
		}
		v = vma_at(self->vmas, want[i].addr);
		ASSERT_NE(NULL, v);
		EXPECT_STREQ(want[i].kind, json_object_get_string(json_get(v, "kind")));
	}
	for (s = self->smaps; s < self->smaps + self->nsmaps; s++) {
		struct json_object *v = vma_at(self->vmas, s->start);

		if (!strcmp(s->name, "[stack]"))
			EXPECT_STREQ("stack", json_object_get_string(json_get(v, "kind")));
		if (!strcmp(s->name, "[vdso]"))
			EXPECT_STREQ("vdso", json_object_get_string(json_get(v, "kind")));
	}
}

TEST_F(layout, touched_untouched_and_zero_pages_are_counted_apart)
{
	const long long n = LAYOUT_PAGES;
	struct json_object *v;

	v = vma_at(self->vmas, self->l.anon);
	EXPECT_EQ(n / 2, pages(v, "present"));
	EXPECT_EQ(n / 2, pages(v, "anon"));
	EXPECT_EQ(n / 2, pages(v, "dirty"));
	EXPECT_EQ(0, pages(v, "cow"));

	v = vma_at(self->vmas, self->l.untouched);
	EXPECT_EQ(0, pages(v, "present"));
	EXPECT_EQ(0, pages(v, "zero"));

	v = vma_at(self->vmas, self->l.zero);
	EXPECT_EQ(0, pages(v, "present"));
	EXPECT_EQ(n, pages(v, "zero"));

	/*
	 * Half the file was read, but a read fault on page cache maps the
	 * cached pages around it too (fault-around, 64 KiB by default).
	 */
	v = vma_at(self->vmas, self->l.file);
	EXPECT_LE(n / 2, pages(v, "present"));
	EXPECT_EQ(pages(v, "present"), pages(v, "file"));
}

TEST_F(layout, fork_shares_cow_and_shared_pages)
{
	char child[16];
	const char *const args[] = { "maps", "--json", child, NULL };
	static struct run_result res;
	struct json_object *v, *doc, *cv;

	v = vma_at(self->vmas, self->l.cow);
	EXPECT_EQ(LAYOUT_PAGES, pages(v, "cow"));
	EXPECT_EQ(LAYOUT_PAGES, pages(v, "shared"));

	/*
	 * fork() copies no PTE of a MAP_SHARED mapping: the child maps what it
	 * touched (and what fault-around brought in), and exactly those pages
	 * are mapped twice.
	 */
	snprintf(child, sizeof(child), "%d", self->l.child);
	doc = run_tool_json(&res, args);
	ASSERT_NE(NULL, doc) TH_LOG("%s", res.err);
	cv = vma_at(json_get(doc, "vmas"), self->l.shared);
	v = vma_at(self->vmas, self->l.shared);
	EXPECT_EQ(LAYOUT_PAGES, pages(v, "present"));
	EXPECT_LE(LAYOUT_PAGES / 2, pages(cv, "present"));
	EXPECT_EQ(pages(cv, "present"), pages(v, "shared"));
	EXPECT_EQ(pages(cv, "present"), pages(cv, "shared"));
	EXPECT_EQ(0, pages(v, "cow"));
	json_object_put(doc);
	run_result_free(&res);
}

TEST_F(layout, mprotect_split_gives_three_vmas)
{
	struct json_object *a = vma_at(self->vmas, self->l.split);
	struct json_object *b = vma_at(self->vmas, self->l.split + 3 * self->l.page);
	struct json_object *c = vma_at(self->vmas, self->l.split + 5 * self->l.page);

	ASSERT_NE(NULL, a);
	ASSERT_NE(NULL, b);
	ASSERT_NE(NULL, c);
	EXPECT_EQ(self->l.split + 3 * self->l.page, json_hex(a, "end"));
	EXPECT_EQ(json_hex(a, "end"), json_hex(b, "start"));
	EXPECT_EQ(json_hex(b, "end"), json_hex(c, "start"));
	EXPECT_STREQ("r--p", json_object_get_string(json_get(b, "perms")));
	EXPECT_EQ(2, pages(b, "present"));
}

TEST_F(layout, swapped_out_pages_are_counted_as_swap)
{
	struct json_object *v = vma_at(self->vmas, self->l.swapped);

	if (!self->l.swap_out)
		REQUIRE_HARNESS(return, "no page reached swap (no swap device?)");
	EXPECT_EQ(self->l.swap_out, pages(v, "swap"));
	EXPECT_EQ(LAYOUT_PAGES - self->l.swap_out, pages(v, "present"));
}

TEST_F(layout, hugetlb_pages_are_not_rss)
{
	struct json_object *v;

	if (!self->l.hugetlb)
		REQUIRE_HARNESS(return, "no hugetlb page could be mapped (vm.nr_hugepages?)");
	v = vma_at(self->vmas, self->l.hugetlb);
	EXPECT_EQ(self->l.hugetlb_size / self->l.page, pages(v, "hugetlb"));
	EXPECT_EQ(0, pages(v, "present"));
}

TEST_F(layout, thp_region_is_counted_as_thp_when_backed_by_huge_pages)
{
	struct json_object *v = vma_at(self->vmas, self->l.thp);
	struct smaps_vma *s = smaps_find(self->smaps, self->nsmaps, json_hex(v, "start"));

	ASSERT_NE(NULL, s);
	if (!s->anon_huge)
		SKIP(return, "the kernel gave no huge page (THP disabled?)");
	EXPECT_LE(self->l.huge / self->l.page, pages(v, "thp"));
}

/* debugfs is a second transport over the same core: the same VMAs and frames. */
TEST_F(layout, debugfs_views_agree_with_proc)
{
	static char text[1 << 18];
	char buf[64], want[128];
	unsigned long long a = self->l.anon + 2 * self->l.page;
	int i, fd;

	if (write_file("/sys/kernel/debug/vmatlas/pid", "0") == -ENOENT)
		REQUIRE_HARNESS(return, "no debugfs views");
	snprintf(buf, sizeof(buf), "%d", self->l.pid);
	ASSERT_EQ(0, write_file("/sys/kernel/debug/vmatlas/pid", buf));
	ASSERT_LT(0, read_file("/sys/kernel/debug/vmatlas/maps", text, sizeof(text)));
	for (i = 0; i < self->nsmaps; i++) {
		if (is_gate_area(&self->smaps[i]))
			continue;
		snprintf(want, sizeof(want), "%08llx-%08llx %s %08llx %s ", self->smaps[i].start,
			 self->smaps[i].end, self->smaps[i].perms, self->smaps[i].offset,
			 self->smaps[i].dev);
		EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no '%s' in debugfs maps", want);
	}

	snprintf(buf, sizeof(buf), "%#llx", a);
	ASSERT_EQ(0, write_file("/sys/kernel/debug/vmatlas/addr", buf));
	ASSERT_LT(0, read_file("/sys/kernel/debug/vmatlas/walk", text, sizeof(text)));
	fd = pagemap_open(self->l.pid);
	snprintf(want, sizeof(want), "pfn %#llx\n",
		 (unsigned long long)(pagemap_entry(fd, a, self->l.page) & PM_PFN_MASK));
	close(fd);
	EXPECT_NE(NULL, strstr(text, want)) TH_LOG("no '%s' in debugfs walk:\n%s", want, text);
	ASSERT_LT(0, read_file("/sys/kernel/debug/vmatlas/ptdump", text, sizeof(text)));
	EXPECT_NE(NULL, strstr(text, " pte ")) TH_LOG("%s", text);
}

static int mutating;

/* Map, touch and unmap a page in a loop: a writer on the mmap lock. */
static void *mutator(void *arg)
{
	long page = getpagesize();

	while (__atomic_load_n(&mutating, __ATOMIC_RELAXED)) {
		char *p = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			       -1, 0);

		if (p == MAP_FAILED)
			break;
		p[0] = 1;
		munmap(p, page);
	}
	return NULL;
}

/* The residency of the VMA that starts at @start, from one VMAS call. */
static int residency_of(int fd, unsigned long long start, struct vmatlas_residency *res)
{
	static struct vmatlas_vma vmas[1];
	struct vmatlas_vmas req = {
		.size = sizeof(req), .flags = VMATLAS_VMAS_RESIDENCY, .pid = getpid(),
		.count = 1, .start = start, .vmas_ptr = (uintptr_t)vmas,
		.entry_size = sizeof(vmas[0]),
	};

	if (ioctl(fd, VMATLAS_IOC_VMAS, &req))
		return -errno;
	if (req.count != 1 || vmas[0].start != start)
		return -ENOENT;
	*res = vmas[0].res;
	return 0;
}

/*
 * The walk holds the mmap lock for a chunk of page tables at a time and lets
 * writers in between (as pagemap_read() does): across many chunks, with a
 * thread mapping and unmapping beside it, a big sparse VMA still counts
 * exactly the pages it has.
 */
TEST(residency_is_exact_across_chunks_while_the_process_maps)
{
	const unsigned long long huge = thp_size(), tables = 300;
	struct vmatlas_residency res;
	pthread_t thread;
	char *big;
	int fd, i, bad = 0;

	REQUIRE_DEVICE(return);
	fd = open(VMATLAS_TEST_DEVICE, O_RDONLY);
	ASSERT_LE(0, fd);
	big = mmap(NULL, tables * huge, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	ASSERT_NE(MAP_FAILED, big);
	ASSERT_EQ(0, madvise(big, tables * huge, MADV_NOHUGEPAGE));
	/* One page in each PMD's range: one PTE table each. */
	for (i = 0; i < (int)tables; i++)
		big[i * huge] = 1;

	__atomic_store_n(&mutating, 1, __ATOMIC_RELAXED);
	ASSERT_EQ(0, pthread_create(&thread, NULL, mutator, NULL));
	for (i = 0; i < 50; i++) {
		memset(&res, 0, sizeof(res));
		if (residency_of(fd, (uintptr_t)big, &res) || res.present != tables ||
		    res.anon != tables || res.swap) {
			TH_LOG("round %d: present %llu anon %llu swap %llu", i,
			       (unsigned long long)res.present, (unsigned long long)res.anon,
			       (unsigned long long)res.swap);
			bad++;
		}
	}
	__atomic_store_n(&mutating, 0, __ATOMIC_RELAXED);
	pthread_join(thread, NULL);
	EXPECT_EQ(0, bad);
	munmap(big, tables * huge);
	close(fd);
}

/*
 * A path with the bytes JSON escapes (quote, backslash, newline, tab, a
 * control character), DEL, UTF-8 and slashes comes back from maps --json as
 * it is, in json-c's layout.
 */
TEST(file_path_round_trips_through_json)
{
	static const char dir[] = "/tmp/vmatlas \" \\\n\t\x01\x7f \xc3\xa9";
	static const char path[] = "/tmp/vmatlas \" \\\n\t\x01\x7f \xc3\xa9/f";
	char pid[16];
	const char *const args[] = { "maps", "--json", pid, NULL };
	static struct run_result res;
	struct json_object *doc, *v;
	void *p;
	int fd;

	REQUIRE_DEVICE(return);
	ASSERT_TRUE(!mkdir(dir, 0700) || errno == EEXIST);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, getpagesize()));
	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	snprintf(pid, sizeof(pid), "%d", getpid());
	doc = run_tool_json(&res, args);
	munmap(p, getpagesize());
	close(fd);
	unlink(path);
	rmdir(dir);
	ASSERT_NE(NULL, doc) TH_LOG("maps failed: %s", res.err);
	EXPECT_TRUE(json_layout_ok(res.out));
	v = vma_at(json_get(doc, "vmas"), (uintptr_t)p);
	ASSERT_NE(NULL, v);
	EXPECT_STREQ(path, json_object_get_string(json_get(v, "path")));
	json_object_put(doc);
	run_result_free(&res);
}

/*
 * A file name with a newline cannot forge a line of the debugfs maps view:
 * it is escaped exactly as /proc/PID/maps escapes it.
 */
TEST(debugfs_maps_escapes_file_names_as_proc_does)
{
	static const char path[] = "/tmp/vmatlas\n00000000-00001000 rw-p forged";
	static char text[1 << 16], maps[1 << 16];
	const char *escaped = "/tmp/vmatlas\\01200000000-00001000 rw-p forged\n";
	char buf[32];
	void *p;
	int fd;

	if (write_file(VMATLAS_TEST_DEBUGFS "/pid", "0") == -ENOENT)
		REQUIRE_HARNESS(return, "no debugfs views");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ftruncate(fd, getpagesize()));
	p = mmap(NULL, getpagesize(), PROT_READ, MAP_SHARED, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	snprintf(buf, sizeof(buf), "%d", getpid());
	ASSERT_EQ(0, write_file(VMATLAS_TEST_DEBUGFS "/pid", buf));
	ASSERT_LT(0, read_file(VMATLAS_TEST_DEBUGFS "/maps", text, sizeof(text)));
	ASSERT_LT(0, read_file("/proc/self/maps", maps, sizeof(maps)));
	munmap(p, getpagesize());
	close(fd);
	unlink(path);
	ASSERT_NE(NULL, strstr(maps, escaped)) TH_LOG("/proc/self/maps:\n%s", maps);
	EXPECT_NE(NULL, strstr(text, escaped)) TH_LOG("debugfs maps:\n%s", text);
	EXPECT_EQ(NULL, strstr(text, "\n00000000-00001000 rw-p forged"));
}

TEST_HARNESS_MAIN
