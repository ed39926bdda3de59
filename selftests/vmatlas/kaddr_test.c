// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel address space against the kernel's own answers: a helper module
 * publishes kmalloc, vmalloc, alloc_pages, kernel-text, module and struct
 * page addresses with their physical addresses (virt_to_phys(),
 * vmalloc_to_pfn(), page_to_phys(), __pa_symbol(), slow_virt_to_phys()), and
 * vmatlas kaddr must agree; the layout must contain what /proc/kallsyms,
 * /proc/iomem, /proc/modules, /proc/zoneinfo and /proc/meminfo say; the lab
 * must show kmalloc logical and contiguous, vmalloc virtual, and on i386
 * PAE a highmem page with no logical address, each frame checked against the
 * helper's virt_to_phys() offset, /proc/zoneinfo and /proc/iomem; thousands
 * of random values get clean answers; and the policy holds.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "helpers.h"
#include "ioctls.h"
#include "kselftest_harness.h"
#include "procfs.h"

#define HELPER_KO	"/lib/vmatlas/vmatlas_test_helper.ko"
#define HELPER_OBJECTS	"/sys/kernel/debug/vmatlas_test_helper/objects"
#define KADDR_BATCH	500

static struct json_object *tool_json(const char *const args[])
{
	static struct run_result res;
	struct json_object *doc = run_tool_json(&res, args);

	if (!doc)
		fprintf(stderr, "# %s failed: %s\n", args[0], res.err);
	run_result_free(&res);
	return doc;
}

static struct json_object *layout_json(void)
{
	static const char *const args[] = { "layout", "--json", NULL };

	return tool_json(args);
}

/* The region called @name in a layout document, or NULL. */
static struct json_object *region(struct json_object *layout, const char *name)
{
	struct json_object *regions = json_get(layout, "regions");
	size_t i;

	for (i = 0; i < json_object_array_length(regions); i++) {
		struct json_object *r = json_object_array_get_idx(regions, i);

		if (!strcmp(json_object_get_string(json_get(r, "name")), name))
			return r;
	}
	return NULL;
}

static int in_region(struct json_object *r, unsigned long long a)
{
	unsigned long long end = json_hex(r, "end");

	return r && a >= json_hex(r, "start") && (!end || a < end);
}

/* kaddr --json of @n addresses; the "results" array, or NULL. */
static struct json_object *kaddr_json(const unsigned long long *addrs, int n,
				      struct json_object **doc)
{
	static char bufs[KADDR_BATCH][24];
	const char *args[KADDR_BATCH + 3];
	int i;

	args[0] = "kaddr";
	args[1] = "--json";
	for (i = 0; i < n; i++) {
		snprintf(bufs[i], sizeof(bufs[i]), "%#llx", addrs[i]);
		args[2 + i] = bufs[i];
	}
	args[2 + n] = NULL;
	*doc = tool_json(args);
	return json_get(*doc, "results");
}

/* __pa() of a kernel address, as kaddr reports it; 0 if it has none. */
static unsigned long long phys_linear_of(unsigned long long addr)
{
	struct json_object *doc, *r = kaddr_json(&addr, 1, &doc);
	unsigned long long phys = json_hex(json_object_array_get_idx(r, 0), "phys_linear");

	json_object_put(doc);
	return phys;
}

/*
 * Where the kernel image was linked: __START_KERNEL on x86 (64- and 32-bit),
 * KIMAGE_VADDR on arm64, the end of the module area.
 */
static unsigned long long image_link_address(struct json_object *layout)
{
	if (kernel_is_arm64())
		return json_hex(region(layout, "modules"), "end");
	return kernel_is_64bit() ? 0xffffffff81000000ULL : 0xc1000000ULL;
}

/*
 * The region a module's address must be in, given the one kaddr found: the
 * module area on x86-64; vmalloc on i386, whose modules are vmalloc'ed; on
 * arm64 either, since modules go where a branch reaches the kernel image
 * (the module area, or vmalloc when it is full or the image moved).
 */
static const char *module_region(const char *found)
{
	if (kernel_is_arm64() && found && !strcmp(found, "vmalloc"))
		return "vmalloc";
	return kernel_is_64bit() ? "modules" : "vmalloc";
}

/* Whether @phys is in a top-level "System RAM" range of /proc/iomem. */
static int in_system_ram(unsigned long long phys)
{
	unsigned long long start, end;
	char line[256];
	int found = 0;
	FILE *f = fopen("/proc/iomem", "r");

	while (f && !found && fgets(line, sizeof(line), f))
		found = line[0] != ' ' && strstr(line, ": System RAM") &&
			sscanf(line, "%llx-%llx", &start, &end) == 2 &&
			start <= phys && phys <= end;
	if (f)
		fclose(f);
	return found;
}

/*
 * Whether the kernel uses NX, as the CPU and the command line say: only
 * then can the MMU tell kernel text from data, and vmatlas find the text.
 */
static int kernel_uses_nx(void)
{
	char line[4096], cmdline[4096];

	/* arm64 has execute-never bits in every descriptor format. */
	if (kernel_is_arm64())
		return 1;
	if (!find_line("/proc/cpuinfo", "flags", line, sizeof(line)) ||
	    !strstr(line, " nx"))
		return 0;
	return read_file("/proc/cmdline", cmdline, sizeof(cmdline)) >= 0 &&
	       !strstr(cmdline, "noexec=off");
}

struct helper_object {
	char name[32], kind[16];
	unsigned long long va, phys;
};

FIXTURE(helper) {
	struct helper_object obj[16];
	int n;
	int loaded;
	/* The direct map's offset, from the helper's virt_to_phys(). */
	unsigned long long linear;
	/* The end of lowmem, from /proc/zoneinfo. */
	unsigned long long lowmem_end;
};

FIXTURE_SETUP(helper)
{
	char text[4096], *line;
	int i;

	REQUIRE_DEVICE(return);
	if (access(HELPER_KO, F_OK))
		REQUIRE_HARNESS(return, "%s missing", HELPER_KO);
	ASSERT_EQ(0, system("insmod " HELPER_KO));
	self->loaded = 1;
	ASSERT_LT(0, read_file(HELPER_OBJECTS, text, sizeof(text)));
	for (line = strtok(text, "\n"); line && self->n < 16; line = strtok(NULL, "\n")) {
		struct helper_object *o = &self->obj[self->n];

		if (sscanf(line, "%31s %15s %llx %llx", o->name, o->kind, &o->va, &o->phys) == 4)
			self->n++;
	}
	ASSERT_LE(8, self->n);
	/* Every logical address the helper has is the same offset from its frame. */
	for (i = 0; i < self->n; i++) {
		struct helper_object *o = &self->obj[i];

		if (strcmp(o->kind, "kmalloc") && strcmp(o->kind, "pages"))
			continue;
		if (!self->linear)
			self->linear = o->va - o->phys;
		ASSERT_EQ(self->linear, o->va - o->phys) TH_LOG("%s", o->name);
	}
	ASSERT_NE(0, self->linear);
	self->lowmem_end = zones_end_pfn(1) * getpagesize();
	ASSERT_NE(0, self->lowmem_end);
}

FIXTURE_TEARDOWN(helper)
{
	if (self->loaded)
		system("rmmod vmatlas_test_helper");
}

TEST_F(helper, kaddr_agrees_with_the_kernels_own_translation)
{
	unsigned long long addrs[16];
	struct json_object *doc, *results;
	int i;

	for (i = 0; i < self->n; i++)
		addrs[i] = self->obj[i].va;
	results = kaddr_json(addrs, self->n, &doc);
	ASSERT_NE(NULL, results);
	for (i = 0; i < self->n; i++) {
		struct helper_object *o = &self->obj[i];
		struct json_object *r = json_object_array_get_idx(results, i);
		const char *reg = json_object_get_string(json_get(r, "region"));
		int logical = json_object_get_boolean(json_get(r, "logical"));

		EXPECT_EQ(o->phys, json_hex(r, "phys")) TH_LOG("%s at %#llx", o->name, o->va);
		if (!strcmp(o->kind, "kmalloc") || !strcmp(o->kind, "pages")) {
			EXPECT_TRUE(logical) TH_LOG("%s", o->name);
			EXPECT_STREQ("direct_map", reg);
			EXPECT_EQ(o->phys, json_hex(r, "phys_linear")) TH_LOG("%s", o->name);
			EXPECT_TRUE(json_object_get_boolean(json_get(r, "agree")));
		} else if (!strcmp(o->kind, "vmalloc")) {
			EXPECT_FALSE(logical) TH_LOG("%s", o->name);
			EXPECT_STREQ("vmalloc", reg);
			EXPECT_EQ(NULL, json_get(r, "phys_linear")) TH_LOG("%s", o->name);
		} else if (!strcmp(o->kind, "text")) {
			EXPECT_STREQ("kernel_text", reg);
			/* i386 keeps the image in the direct map; x86-64 maps it apart. */
			EXPECT_EQ(!kernel_is_64bit(), logical);
			EXPECT_EQ(o->phys, json_hex(r, "phys_linear"));
		} else if (!strcmp(o->kind, "module")) {
			EXPECT_STREQ(module_region(reg), reg);
			EXPECT_FALSE(logical);
		} else if (!strcmp(o->kind, "vmemmap")) {
			EXPECT_STREQ("vmemmap", reg);
		}
	}
	json_object_put(doc);
}

/* Consecutive vmalloc pages: consecutive addresses, frames from anywhere. */
TEST_F(helper, vmalloc_pages_are_virtually_contiguous_only)
{
	unsigned long long page = getpagesize();
	int i, v = 0;

	for (i = 0; i < self->n; i++) {
		if (strcmp(self->obj[i].kind, "vmalloc"))
			continue;
		if (v++ == 0)
			continue;
		EXPECT_EQ(self->obj[i - 1].va + page + 8, self->obj[i].va);
	}
	EXPECT_LE(2, v);
}

static struct json_object *lab(const char *kind, const char *size)
{
	const char *const args[] = { "lab", "--json", kind, size, NULL };

	return tool_json(args);
}

/* The lab asked for @pages base pages, whatever their size. */
static struct json_object *lab_pages_of(const char *kind, unsigned int pages)
{
	char size[32];

	snprintf(size, sizeof(size), "%lu", (unsigned long)pages * getpagesize());
	return lab(kind, size);
}

static struct json_object *lab_page(struct json_object *l, size_t i)
{
	return json_object_array_get_idx(json_get(l, "pages"), i);
}

static size_t lab_npages(struct json_object *l)
{
	return json_object_array_length(json_get(l, "pages"));
}

/* Recompute "contiguous" from the pages themselves. */
static int pages_contiguous(struct json_object *l)
{
	size_t i;

	for (i = 1; i < lab_npages(l); i++)
		if (json_hex(lab_page(l, i), "phys") !=
		    json_hex(lab_page(l, 0), "phys") + i * getpagesize())
			return 0;
	return 1;
}

/*
 * The lab frees what it allocated before it answers, so the truth for its
 * pages is the kernel's own: the direct map's offset as virt_to_phys() gave
 * it to the helper, the end of lowmem from /proc/zoneinfo, the RAM of
 * /proc/iomem. A logical page's frame is its address less that offset.
 */
static void expect_logical_page(struct __test_metadata *_metadata, unsigned long long linear,
				unsigned long long lowmem_end, struct json_object *p)
{
	unsigned long long va = json_hex(p, "va"), phys = json_hex(p, "phys");

	EXPECT_EQ(va - linear, phys) TH_LOG("page at %#llx", va);
	EXPECT_EQ(va, json_hex(p, "logical"));
	EXPECT_GT(lowmem_end, phys);
	EXPECT_FALSE(json_object_get_boolean(json_get(p, "highmem")));
	EXPECT_TRUE(in_system_ram(phys)) TH_LOG("frame %#llx", phys);
}

TEST_F(helper, lab_kmalloc_is_logical_and_physically_contiguous)
{
	struct json_object *l = lab_pages_of("kmalloc", 3);
	unsigned long long page = getpagesize();
	size_t i;

	ASSERT_NE(NULL, l);
	EXPECT_STREQ("direct_map", json_object_get_string(json_get(l, "region")));
	/* Three pages' worth from anywhere in a page: three or four pages. */
	EXPECT_LE(3, lab_npages(l));
	EXPECT_GE(4, lab_npages(l));
	EXPECT_EQ(lab_npages(l), json_int(l, "npages"));
	EXPECT_EQ(json_hex(l, "va") & ~(page - 1), json_hex(lab_page(l, 0), "va"));
	for (i = 0; i < lab_npages(l); i++) {
		EXPECT_EQ(json_hex(lab_page(l, 0), "va") + i * page,
			  json_hex(lab_page(l, i), "va"));
		expect_logical_page(_metadata, self->linear, self->lowmem_end, lab_page(l, i));
	}
	/* Consecutive logical addresses are consecutive frames. */
	EXPECT_TRUE(json_object_get_boolean(json_get(l, "contiguous")));
	json_object_put(l);
}

TEST_F(helper, lab_vmalloc_is_virtual_and_its_pages_have_logical_aliases)
{
	struct json_object *l = lab_pages_of("vmalloc", 16);
	unsigned long long page = getpagesize();
	size_t i;

	ASSERT_NE(NULL, l);
	EXPECT_STREQ("vmalloc", json_object_get_string(json_get(l, "region")));
	EXPECT_EQ(pages_contiguous(l), json_object_get_boolean(json_get(l, "contiguous")));
	ASSERT_EQ(16, lab_npages(l));
	for (i = 0; i < 16; i++) {
		struct json_object *p = lab_page(l, i);
		unsigned long long va = json_hex(p, "va"), phys = json_hex(p, "phys");
		int high = phys >= self->lowmem_end;

		EXPECT_EQ(json_hex(l, "va") + i * page, va);
		/* Not a logical address: outside the direct map. */
		EXPECT_FALSE(va >= self->linear && va < self->linear + self->lowmem_end)
			TH_LOG("%#llx", va);
		EXPECT_EQ(0, phys & (page - 1));
		EXPECT_TRUE(in_system_ram(phys)) TH_LOG("frame %#llx", phys);
		EXPECT_EQ(high, json_object_get_boolean(json_get(p, "highmem")));
		/* A highmem page has no logical address. */
		EXPECT_EQ(high ? 0 : phys + self->linear, json_hex(p, "logical"));
		EXPECT_EQ(high, !json_get(p, "logical"));
	}
	json_object_put(l);
}

TEST_F(helper, lab_pages_are_an_order_of_contiguous_frames)
{
	struct json_object *l = lab_pages_of("pages", 4);
	size_t i;

	ASSERT_NE(NULL, l);
	EXPECT_EQ(4, json_int(l, "npages"));
	ASSERT_EQ(4, lab_npages(l));
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(json_hex(l, "va") + i * getpagesize(), json_hex(lab_page(l, i), "va"));
		expect_logical_page(_metadata, self->linear, self->lowmem_end, lab_page(l, i));
	}
	/* An order-2 block is aligned to its size, physically. */
	EXPECT_EQ(0, json_hex(lab_page(l, 0), "phys") & (4 * getpagesize() - 1));
	EXPECT_TRUE(json_object_get_boolean(json_get(l, "contiguous")));
	json_object_put(l);
}

TEST_F(helper, lab_kmap_of_a_highmem_page_has_no_logical_address)
{
	struct json_object *l = lab_pages_of("kmap", 1), *p;
	unsigned long long va, phys;

	ASSERT_NE(NULL, l);
	p = lab_page(l, 0);
	va = json_hex(p, "va");
	phys = json_hex(p, "phys");
	EXPECT_TRUE(in_system_ram(phys)) TH_LOG("frame %#llx", phys);
	if (!meminfo_kb("HighTotal:")) {
		const char *const args[] = { "lab", "kmap", "1", NULL };
		struct run_result res;

		/* No highmem: kmap_local_page() returns the logical address. */
		expect_logical_page(_metadata, self->linear, self->lowmem_end, p);
		EXPECT_EQ(json_hex(p, "logical"), va);
		/* ... and the lab says so. */
		ASSERT_EQ(0, run_tool(&res, -1, args));
		EXPECT_EQ(0, run_exit_code(&res)) TH_LOG("%s", res.err);
		EXPECT_NE(NULL, strstr(res.out, "No highmem here")) TH_LOG("%s", res.out);
		run_result_free(&res);
	} else {
		/* GFP_HIGHUSER takes highmem first, mapped for a moment, apart. */
		EXPECT_TRUE(json_object_get_boolean(json_get(p, "highmem")));
		EXPECT_EQ(NULL, json_get(p, "logical"));
		EXPECT_LE(self->lowmem_end, phys);
		EXPECT_FALSE(va >= self->linear && va < self->linear + self->lowmem_end)
			TH_LOG("%#llx", va);
		EXPECT_STREQ("fixmap", json_object_get_string(json_get(p, "region")));
	}
	json_object_put(l);

	/* Two pages held at once are two frames, whatever the mapping shows. */
	l = lab_pages_of("kmap", 2);
	ASSERT_NE(NULL, l);
	EXPECT_NE(json_hex(lab_page(l, 0), "phys"), json_hex(lab_page(l, 1), "phys"));
	json_object_put(l);
}

FIXTURE(dev) {
	struct json_object *layout;
};

FIXTURE_SETUP(dev)
{
	REQUIRE_DEVICE(return);
	self->layout = layout_json();
	ASSERT_NE(NULL, self->layout);
}

FIXTURE_TEARDOWN(dev)
{
	json_object_put(self->layout);
}

TEST_F(dev, text_region_holds_the_kernel_text_kallsyms_names)
{
	struct json_object *text = region(self->layout, "kernel_text");
	unsigned long long stext = kallsyms_addr("_stext"), etext = kallsyms_addr("_etext");

	if (!kernel_uses_nx()) {
		ASSERT_EQ(NULL, text) TH_LOG("a kernel_text region without NX");
		SKIP(return, "no NX: the MMU cannot tell text from data");
	}
	ASSERT_NE(NULL, text) TH_LOG("the kernel uses NX, yet no kernel_text region");
	if (!stext || !etext)
		SKIP(return, "/proc/kallsyms hides addresses");
	EXPECT_LE(json_hex(text, "start"), stext);
	EXPECT_GE(json_hex(text, "end"), etext);
	/* KASLR: where _text is, minus where it was linked. */
	EXPECT_EQ(kallsyms_addr("_text") - image_link_address(self->layout),
		  json_hex(self->layout, "image_offset"));
}

TEST_F(dev, phys_load_is_where_iomem_puts_kernel_code)
{
	unsigned long long code = iomem_start("Kernel code");

	if (!code)
		SKIP(return, "no Kernel code in /proc/iomem");
	EXPECT_EQ(code, json_hex(self->layout, "phys_load"));
}

TEST_F(dev, direct_map_ends_where_the_lowmem_zones_end)
{
	unsigned long long span = json_hex(self->layout, "high_memory") -
				  json_hex(self->layout, "page_offset");

	/* From the physical address at PAGE_OFFSET: RAM starts at 1 GiB on arm64 virt. */
	EXPECT_EQ(zones_end_pfn(1) * getpagesize() -
		  phys_linear_of(json_hex(self->layout, "page_offset")), span);
	EXPECT_TRUE(in_region(region(self->layout, "direct_map"),
			      json_hex(self->layout, "page_offset")));
}

TEST_F(dev, memory_totals_equal_meminfo)
{
	EXPECT_EQ(meminfo_kb("MemTotal:") * 1024, json_int(self->layout, "lowmem_bytes") +
						      json_int(self->layout, "highmem_bytes"));
	EXPECT_EQ(meminfo_kb("HighTotal:") * 1024, json_int(self->layout, "highmem_bytes"));
}

TEST_F(dev, vmatlas_itself_loaded_into_the_module_area)
{
	unsigned long long base = 0;
	struct json_object *doc;
	const char *reg;
	char line[256];

	/* "vmatlas 65536 0 - Live 0xffffffffc0a00000 (OE)" */
	if (find_line("/proc/modules", "vmatlas ", line, sizeof(line)) &&
	    !strncmp(line, "vmatlas ", 8) && strstr(line, " 0x"))
		sscanf(strstr(line, " 0x"), " %llx", &base);
	if (!base)
		SKIP(return, "/proc/modules hides addresses");
	kaddr_json(&base, 1, &doc);
	reg = json_object_get_string(json_get(json_object_array_get_idx(json_get(doc, "results"),
									0), "region"));
	EXPECT_STREQ(module_region(reg), reg ? reg : "-") TH_LOG("vmatlas at %#llx", base);
	EXPECT_TRUE(in_region(region(self->layout, reg ? reg : "-"), base));
	json_object_put(doc);
	/* arm64 keeps modules within a branch's reach (2 GiB) below the image's end. */
	if (kernel_is_arm64())
		EXPECT_GT(2ULL << 30, json_hex(region(self->layout, "kernel_image"), "end") - base)
			TH_LOG("vmatlas at %#llx", base);
}

TEST_F(dev, i386_has_the_3g_split_and_896m_of_lowmem)
{
	unsigned long long po = json_hex(self->layout, "page_offset");

	if (kernel_is_64bit())
		SKIP(return, "64-bit kernel");
	EXPECT_EQ(0xc0000000ULL, po);
	EXPECT_LE(json_hex(self->layout, "high_memory"), po + (896ULL << 20));
	EXPECT_NE(NULL, region(self->layout, "pkmap"));
	EXPECT_LT(0, json_int(self->layout, "highmem_bytes"));
	EXPECT_EQ(po, json_hex(region(self->layout, "user"), "end"));
}

TEST_F(dev, levels_and_page_size_match_info)
{
	static const char *const args[] = { "info", "--json", NULL };
	struct json_object *info = tool_json(args);

	ASSERT_NE(NULL, info);
	EXPECT_EQ(json_int(info, "levels"), json_int(self->layout, "levels"));
	EXPECT_EQ(getpagesize(), json_int(self->layout, "page_size"));
	json_object_put(info);
}

/* Any 64-bit value is an answer, never an error and never an oops. */
TEST_F(dev, random_values_get_clean_answers)
{
	static unsigned long long addrs[KADDR_BATCH];
	struct json_object *regions = json_get(self->layout, "regions");
	int round, i, clean = 0;
	struct vx x;

	ASSERT_EQ(0, vx_open(&x));
	srandom(getpid());
	for (round = 0; round < 10; round++) {
		struct json_object *doc, *results;

		for (i = 0; i < KADDR_BATCH; i++) {
			unsigned long long v = (unsigned long long)random() << 33 ^
					       (unsigned long long)random() << 11 ^ random();

			/* Two in three land inside a region of this layout. */
			if (i % 3) {
				struct json_object *r = json_object_array_get_idx(regions,
					v % json_object_array_length(regions));
				unsigned long long s = json_hex(r, "start"), e = json_hex(r, "end");

				v = s + v % ((e ? e : ~0ULL) - s);
			}
			addrs[i] = v;
		}
		results = kaddr_json(addrs, KADDR_BATCH, &doc);
		ASSERT_NE(NULL, results);
		ASSERT_EQ(KADDR_BATCH, json_object_array_length(results));
		for (i = 0; i < KADDR_BATCH; i++) {
			struct json_object *r = json_object_array_get_idx(results, i);
			const char *reg = json_object_get_string(json_get(r, "region"));
			int mapped = !!json_get(r, "phys");
			int ok = reg && strcmp(reg, "unknown") && json_hex(r, "addr") == addrs[i];

			/* No frame for what is not a kernel address. */
			if (ok && (!strcmp(reg, "user") || !strcmp(reg, "non_canonical")))
				ok = !mapped;
			/*
			 * A frame comes with the page size and level of the leaf, and
			 * one TLB entry holds the leaf or its contiguous run.
			 */
			if (ok && mapped)
				ok = json_int(r, "page_size") >= getpagesize() &&
				     json_get(r, "level") && vx_json_tlb_size_ok(&x, r);
			/* A 32-bit kernel has no address above 4 GiB. */
			if (ok && !kernel_is_64bit() && addrs[i] > 0xffffffffULL)
				ok = !strcmp(reg, "non_canonical");
			if (!ok)
				TH_LOG("%#llx: %s", addrs[i], json_object_to_json_string(r));
			clean += ok;
		}
		json_object_put(doc);
	}
	EXPECT_EQ(10 * KADDR_BATCH, clean);
	vx_close(&x);
}

static int kernel_views_refused(void *unused)
{
	struct vmatlas_layout layout = { .size = sizeof(layout) };
	struct vmatlas_kaddr k = { .size = sizeof(k), .addr = 0x1000 };
	int fd;

	if (drop_cap_sys_admin())
		return 10;
	fd = open("/dev/vmatlas", O_RDONLY);
	if (fd < 0)
		return 11;
	if (ioctl(fd, VMATLAS_IOC_LAYOUT, &layout) != -1 || errno != EPERM)
		return 12;
	if (ioctl(fd, VMATLAS_IOC_KADDR, &k) != -1 || errno != EPERM)
		return 13;
	return 0;
}

TEST(kernel_views_need_cap_sys_admin)
{
	REQUIRE_DEVICE(return);
	EXPECT_EQ(0, in_child(kernel_views_refused, NULL));
}

TEST(kptr_restrict_2_hides_kernel_addresses)
{
	static const char *const args[] = { "layout", NULL };
	static struct run_result res;
	char old[8] = "1";

	REQUIRE_DEVICE(return);
	ASSERT_LT(0, read_file("/proc/sys/kernel/kptr_restrict", old, sizeof(old)));
	ASSERT_EQ(0, write_file("/proc/sys/kernel/kptr_restrict", "2"));
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(1, run_exit_code(&res));
	EXPECT_STREQ("", res.out);
	EXPECT_NE(NULL, strstr(res.err, "kptr_restrict")) TH_LOG("%s", res.err);
	run_result_free(&res);
	ASSERT_EQ(0, write_file("/proc/sys/kernel/kptr_restrict", old));
	ASSERT_EQ(0, run_tool(&res, -1, args));
	EXPECT_EQ(0, run_exit_code(&res));
	run_result_free(&res);
}

TEST(lab_bad_input_is_einval)
{
	struct vmatlas_lab_page pages[4];
	struct vmatlas_lab req;
	const struct {
		unsigned int kind;
		unsigned long long bytes;
	} bad[] = { { 0, 4096 }, { 9, 4096 }, { VMATLAS_LAB_KMALLOC, 0 },
		    { VMATLAS_LAB_VMALLOC, VMATLAS_LAB_MAX_BYTES + 1ULL }, };
	size_t i;
	int fd;

	REQUIRE_DEVICE(return);
	fd = open("/dev/vmatlas", O_RDONLY);
	ASSERT_LE(0, fd);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		memset(&req, 0, sizeof(req));
		req.size = sizeof(req);
		req.kind = bad[i].kind;
		req.bytes = bad[i].bytes;
		req.count = 4;
		req.entry_size = sizeof(pages[0]);
		req.pages_ptr = (uintptr_t)pages;
		errno = 0;
		EXPECT_EQ(-1, ioctl(fd, VMATLAS_IOC_LAB, &req)) TH_LOG("case %zu", i);
		EXPECT_EQ(EINVAL, errno) TH_LOG("case %zu", i);
	}
	close(fd);
}

TEST_HARNESS_MAIN
