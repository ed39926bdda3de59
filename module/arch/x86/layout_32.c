// SPDX-License-Identifier: GPL-2.0
/*
 * The i386 kernel memory map (arch/x86/include/asm/pgtable_32_areas.h): the
 * 3G/1G split puts PAGE_OFFSET at 0xc0000000; lowmem is direct-mapped up to
 * high_memory (at most 896 MiB); above it come vmalloc (where modules live
 * too), the pkmap area for kmap(), the CPU entry area and the fixmap, where
 * kmap_local_page() maps highmem pages for a moment.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <asm/cpu_entry_area.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>

#include "layout.h"
#include "x86.h"

unsigned long vmatlas_layout_arch(struct vmatlas_layout *l)
{
	l->task_size = TASK_SIZE_MAX;
	vmatlas_layout_add(l, VMATLAS_REGION_USER, 0, TASK_SIZE_MAX);
	vmatlas_layout_add(l, VMATLAS_REGION_DIRECT_MAP, PAGE_OFFSET,
			   (unsigned long)high_memory);
	vmatlas_layout_add(l, VMATLAS_REGION_VMALLOC, VMALLOC_START,
			   VMALLOC_END);
	vmatlas_layout_add(l, VMATLAS_REGION_PKMAP, PKMAP_BASE,
			   PKMAP_BASE + LAST_PKMAP * PAGE_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_CPU_ENTRY_AREA,
			   CPU_ENTRY_AREA_BASE,
			   CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_FIXMAP, FIXADDR_START,
			   (u32)(FIXADDR_TOP + PAGE_SIZE));

	/*
	 * The image lives inside the direct map, at PAGE_OFFSET + its load
	 * address; the writable direct map goes on after its data, so only
	 * text and rodata can be told apart.
	 */
	return vmatlas_x86_scan_image(l, false);
}

bool vmatlas_arch_canonical(u64 addr)
{
	return addr <= 0xffffffffULL;
}

bool vmatlas_arch_linear(u64 addr, u64 *phys)
{
	if (addr >= PAGE_OFFSET && addr < (unsigned long)high_memory) {
		*phys = __pa((unsigned long)addr);
		return true;
	}
	return false;
}
