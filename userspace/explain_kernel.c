// SPDX-License-Identifier: GPL-2.0
/*
 * explain kernel and explain highmem: the kernel's own addresses. A logical
 * address lies in the direct map, where __pa() is arithmetic; a virtual one
 * (vmalloc, kmap) is only what the page tables say. The module's lab
 * allocates with kmalloc(), vmalloc() and kmap_local_page(), describes
 * every page and frees it; KADDR then says how each address translates.
 * highmem: on a 32-bit kernel RAM outside the direct map has no logical
 * address at all, and kmap gives a page one for a moment.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain.h"
#include "libvmatlas.h"
#include "names.h"

#define KERNEL_PAGES	4

/* The lab's allocation of @pages pages with @kind; -errno said in st->why. */
static int kernel_lab(struct story *st, unsigned int kind, unsigned int pages,
		      struct vmatlas_lab *lab, struct vmatlas_lab_page *pg)
{
	int err = story_lib(st, vmatlas_lab(st->fd, kind, pages * st->page_size, lab, pg, pages));

	if (!err && lab->count != pages) {
		snprintf(st->why, sizeof(st->why), "the lab described %u of %u pages", lab->count,
			 pages);
		err = -EPROTO;
	}
	return err;
}

/* The region @id of @l, or NULL. */
static const struct vmatlas_region *kernel_region(const struct vmatlas_layout *l, unsigned int id)
{
	unsigned int i;

	for (i = 0; i < l->count; i++)
		if (l->regions[i].id == id)
			return &l->regions[i];
	return NULL;
}

/* How many of @n pages follow the one before them physically. */
static unsigned int kernel_adjacent(const struct vmatlas_lab_page *pg, unsigned int n,
				    unsigned long long page)
{
	unsigned int i, k = 0;

	for (i = 1; i < n; i++)
		k += pg[i].phys == pg[i - 1].phys + page;
	return k;
}

/* kmalloc(): in the direct map, each page's own logical address, __pa() right. */
static int kernel_kmalloc(struct story *st)
{
	struct vmatlas_lab_page pg[KERNEL_PAGES];
	unsigned int i, logical = 0, agree = 0;
	struct vmatlas_kaddr k;
	struct vmatlas_lab lab;
	int err = kernel_lab(st, VMATLAS_LAB_KMALLOC, KERNEL_PAGES, &lab, pg);

	for (i = 0; !err && i < KERNEL_PAGES; i++) {
		err = story_lib(st, vmatlas_kaddr(st->fd, pg[i].va, &k));
		logical += pg[i].va == pg[i].logical;
		agree += (k.out_flags & VMATLAS_KADDR_AGREE) && k.phys == pg[i].phys;
	}
	if (err)
		return err;
	story_say(st, "\nkmalloc(%u pages) = 0x%llx, in %s:", KERNEL_PAGES, lab.va,
		  names_region(lab.region));
	story_check(st, lab.region == VMATLAS_REGION_DIRECT_MAP && logical == KERNEL_PAGES,
		    "a logical address: each page's address is its direct-map one (%u of %u)",
		    logical, KERNEL_PAGES);
	story_check(st, agree == KERNEL_PAGES,
		    "__pa() arithmetic and the page tables give the same frame: %u of %u pages",
		    agree, KERNEL_PAGES);
	story_check(st, lab.out_flags & VMATLAS_LAB_CONTIGUOUS,
		    "physically contiguous: %u of %u pages follow the one before",
		    kernel_adjacent(pg, KERNEL_PAGES, st->page_size), KERNEL_PAGES - 1);
	return 0;
}

/* vmalloc(): a second, virtual address for pages that keep their logical one. */
static int kernel_vmalloc(struct story *st)
{
	struct vmatlas_lab_page pg[KERNEL_PAGES];
	unsigned int i, follow = 0, alias = 0, high = 0;
	struct vmatlas_kaddr k, v;
	struct vmatlas_lab lab;
	bool virt;
	int err = kernel_lab(st, VMATLAS_LAB_VMALLOC, KERNEL_PAGES, &lab, pg);

	if (!err)
		err = story_lib(st, vmatlas_kaddr(st->fd, lab.va, &v));
	for (i = 0; !err && i < KERNEL_PAGES; i++) {
		follow += pg[i].va == lab.va + i * st->page_size;
		high += !pg[i].logical;
		if (!pg[i].logical)
			continue;
		err = story_lib(st, vmatlas_kaddr(st->fd, pg[i].logical, &k));
		alias += pg[i].logical != pg[i].va && k.phys == pg[i].phys;
	}
	if (err)
		return err;
	story_say(st, "\nvmalloc(%u pages) = 0x%llx, in %s:", KERNEL_PAGES, lab.va,
		  names_region(lab.region));
	virt = lab.region == VMATLAS_REGION_VMALLOC && !(v.out_flags & VMATLAS_KADDR_LINEAR);
	story_check(st, virt,
		    "a virtual address: __pa() does not apply to it");
	story_check(st, follow == KERNEL_PAGES,
		    "its pages follow each other in virtual addresses: %u of %u", follow,
		    KERNEL_PAGES);
	story_check(st, alias + high == KERNEL_PAGES,
		    "each page keeps its logical address too, on the same frame: %u of %u", alias,
		    KERNEL_PAGES - high);
	if (high)
		story_say(st, "(%u of them came from highmem: its pages have no logical address.)",
			  high);
	story_say(st, "Physically, %u of %u follow the one before: the frames come from anywhere.",
		  kernel_adjacent(pg, KERNEL_PAGES, st->page_size), KERNEL_PAGES - 1);
	return 0;
}

/* The kernel commands need CAP_SYS_ADMIN and no kptr_restrict: said before the story. */
static int kernel_layout_ready(struct story *st)
{
	struct vmatlas_layout l;

	return story_lib(st, vmatlas_layout(st->fd, &l));
}

static int kernel_run(struct story *st)
{
	const struct vmatlas_region *vm;
	struct vmatlas_layout l;
	int err = story_lib(st, vmatlas_layout(st->fd, &l));

	if (err)
		return err;
	vm = kernel_region(&l, VMATLAS_REGION_VMALLOC);
	story_say(st, "This boot's direct map starts at PAGE_OFFSET 0x%llx and maps %llu MiB of",
		  l.page_offset, l.lowmem_bytes >> 20);
	story_say(st, "RAM; vmalloc space is 0x%llx-0x%llx.", vm ? vm->start : 0, vm ? vm->end : 0);
	err = kernel_kmalloc(st);
	if (!err)
		err = kernel_vmalloc(st);
	if (!err && l.highmem_bytes)
		story_say(st, "\nThis kernel has highmem: vmatlas explain highmem shows it.");
	return err;
}

const struct scenario scenario_kernel = {
	.name = "kernel",
	.claim = "kmalloc() memory is logical (the direct map), vmalloc() memory virtual",
	.ready = kernel_layout_ready,
	.run = kernel_run,
};

/* /proc/meminfo's @key, in bytes; 0 if it has none. */
static unsigned long long kernel_meminfo(const char *key)
{
	unsigned long long kib = 0;
	FILE *f = fopen("/proc/meminfo", "r");
	size_t len = strlen(key);
	char line[128];

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':')
			sscanf(line + len + 1, "%llu", &kib);
	if (f)
		fclose(f);
	return kib << 10;
}

static int highmem_ready(struct story *st)
{
	struct vmatlas_layout l;
	int err = story_lib(st, vmatlas_layout(st->fd, &l));

	if (err || l.highmem_bytes)
		return err;
	snprintf(st->why, sizeof(st->why), "%s",
		 "no highmem here: all RAM is in the direct map (it takes a 32-bit kernel)");
	return -ENODEV;
}

static int highmem_run(struct story *st)
{
	struct vmatlas_lab_page pg[KERNEL_PAGES];
	unsigned long long direct;
	unsigned int i, high = 0, none = 0, fixmap = 0, above = 0;
	struct vmatlas_layout l;
	struct vmatlas_lab lab;
	int err = story_lib(st, vmatlas_layout(st->fd, &l));
	bool agree;

	if (err)
		return err;
	direct = l.high_memory - l.page_offset;
	story_say(st, "User space ends at 0x%llx; the kernel's direct map starts at 0x%llx.",
		  l.task_size, l.page_offset);
	story_check(st, l.task_size == l.page_offset && l.page_offset == 3ULL << 30,
		    "the 3G/1G split: 3 GiB for each process, the top 1 GiB the kernel's");
	story_say(st, "The direct map holds %llu MiB (to high_memory 0x%llx); the rest is beyond:",
		  direct >> 20, l.high_memory);
	agree = l.highmem_bytes == kernel_meminfo("HighTotal") &&
		l.lowmem_bytes == kernel_meminfo("LowTotal");
	story_check(st, agree,
		    "low %llu MiB, high %llu MiB, as /proc/meminfo's LowTotal and HighTotal",
		    l.lowmem_bytes >> 20, l.highmem_bytes >> 20);

	err = kernel_lab(st, VMATLAS_LAB_KMAP, KERNEL_PAGES, &lab, pg);
	if (err)
		return err;
	for (i = 0; i < KERNEL_PAGES; i++) {
		if (!(pg[i].flags & VMATLAS_LABPG_HIGHMEM))
			continue;
		high++;
		none += !pg[i].logical;
		above += pg[i].phys >= direct;
		fixmap += pg[i].region == VMATLAS_REGION_FIXMAP ||
			  pg[i].region == VMATLAS_REGION_PKMAP;
	}
	story_say(st, "\n%u pages of alloc_page(GFP_HIGHUSER), each mapped with kmap_local_page()",
		  KERNEL_PAGES);
	story_say(st, "while the module looked, then unmapped:");
	story_check(st, high == KERNEL_PAGES, "they are highmem: %u of %u", high, KERNEL_PAGES);
	story_check(st, high && above == high,
		    "their frames lie above what the direct map holds: %u of %u, page 0 at 0x%llx",
		    above, high, pg[0].phys);
	story_check(st, high && none == high, "none has a logical address: %u of %u", none, high);
	story_check(st, high && fixmap == high,
		    "kmap gave each one for a moment, in %s: page 0 at 0x%llx, page 1 at 0x%llx",
		    names_region(pg[0].region), pg[0].va, pg[1].va);
	return 0;
}

const struct scenario scenario_highmem = {
	.name = "highmem",
	.claim = "on 32-bit, RAM beyond the direct map has no address until kmap gives one",
	.ready = highmem_ready,
	.run = highmem_run,
};
