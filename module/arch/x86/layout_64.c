// SPDX-License-Identifier: GPL-2.0
/*
 * The x86-64 kernel memory map (Documentation/arch/x86/x86_64/mm.rst) with
 * this boot's values: KASLR moves the direct map, vmalloc and vmemmap
 * (page_offset_base and friends) and the image; LA57 moves everything.
 */
#include <linux/mm.h>
#include <asm/cpu_entry_area.h>
#include <asm/fixmap.h>
#include <asm/pgtable.h>
#include <asm/vsyscall.h>

#include "layout.h"
#include "x86.h"

unsigned long vmatlas_layout_arch(struct vmatlas_layout *l)
{
	u64 half = 1ULL << __VIRTUAL_MASK_SHIFT;
	u64 max_pfn_end = PHYS_PFN(__pa(high_memory));

	l->task_size = TASK_SIZE_MAX;
	if (page_offset_base != (pgtable_l5_enabled() ? __PAGE_OFFSET_BASE_L5 :
							__PAGE_OFFSET_BASE_L4))
		l->out_flags |= VMATLAS_LAYOUT_KASLR_MEMORY;

	vmatlas_layout_add(l, VMATLAS_REGION_USER, 0, TASK_SIZE_MAX);
	vmatlas_layout_add(l, VMATLAS_REGION_NONCANONICAL, half, -half);
	vmatlas_layout_add(l, VMATLAS_REGION_LDT_REMAP, LDT_BASE_ADDR,
			   LDT_END_ADDR);
	vmatlas_layout_add(l, VMATLAS_REGION_DIRECT_MAP, PAGE_OFFSET,
			   (unsigned long)high_memory);
	vmatlas_layout_add(l, VMATLAS_REGION_VMALLOC, VMALLOC_START,
			   VMALLOC_END + 1);
	vmatlas_layout_add(l, VMATLAS_REGION_VMEMMAP, VMEMMAP_START,
			   (unsigned long)pfn_to_page(max_pfn_end));
	vmatlas_layout_add(l, VMATLAS_REGION_CPU_ENTRY_AREA,
			   CPU_ENTRY_AREA_BASE,
			   CPU_ENTRY_AREA_BASE + CPU_ENTRY_AREA_MAP_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_ESPFIX, ESPFIX_BASE_ADDR,
			   ESPFIX_BASE_ADDR + P4D_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_KERNEL_IMAGE, __START_KERNEL_map,
			   __START_KERNEL_map + KERNEL_IMAGE_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_MODULES, MODULES_VADDR,
			   MODULES_END);
	vmatlas_layout_add(l, VMATLAS_REGION_FIXMAP, FIXADDR_START,
			   FIXADDR_TOP + PAGE_SIZE);
	vmatlas_layout_add(l, VMATLAS_REGION_VSYSCALL, VSYSCALL_ADDR,
			   VSYSCALL_ADDR + PAGE_SIZE);

	/* The image mapping ends in a hole after bss: data can be bounded. */
	return vmatlas_x86_scan_image(l, true);
}

bool vmatlas_arch_canonical(u64 addr)
{
	u64 half = 1ULL << __VIRTUAL_MASK_SHIFT;

	return addr < half || addr >= -half;
}

/*
 * __pa() is arithmetic for two ranges: the direct map (minus PAGE_OFFSET)
 * and the kernel image (minus __START_KERNEL_map, plus phys_base).
 */
bool vmatlas_arch_linear(u64 addr, u64 *phys)
{
	if (addr >= PAGE_OFFSET && addr < (unsigned long)high_memory) {
		*phys = __pa(addr);
		return true;
	}
	if (addr >= __START_KERNEL_map &&
	    addr < __START_KERNEL_map + KERNEL_IMAGE_SIZE) {
		*phys = __pa_symbol(addr);
		return true;
	}
	return false;
}
