// SPDX-License-Identifier: GPL-2.0
/*
 * The arm64 kernel memory map (Documentation/arch/arm64/memory.rst) with
 * this boot's values. The upper half starts with the linear map of RAM
 * (PAGE_OFFSET up to PAGE_END, or KASAN's shadow when it is built in), then
 * modules, vmalloc (the kernel image lives inside it, where KASLR put it),
 * vmemmap, PCI I/O and the fixmap. A kernel built for 52-bit addresses on
 * a CPU without them uses the top 48 bits' worth only: the linear map then
 * starts at _PAGE_OFFSET(vabits_actual), not at PAGE_OFFSET.
 */
#include <linux/kasan.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <asm/fixmap.h>
#include <asm/memory.h>
#include <asm/pgtable.h>

#include "layout.h"

/* The init sections, freed after boot, lie between rodata and data. */
#define INIT_GAP SZ_64M

/* The kernel image as mapped: text to the end of data (found at load). */
static unsigned long image_start, image_end;

unsigned long vmatlas_layout_arch(struct vmatlas_layout *l)
{
	u64 va_bits = vabits_actual;
	u64 linear = _PAGE_OFFSET(va_bits);
	unsigned long text, size;
	struct vmatlas_kleaf leaf;

	l->task_size = TASK_SIZE_64;
	l->page_offset = linear;
	vmatlas_layout_add(l, VMATLAS_REGION_USER, 0, TASK_SIZE_64);
	vmatlas_layout_add(l, VMATLAS_REGION_NONCANONICAL, 1ULL << va_bits,
			   -(1ULL << va_bits));
	vmatlas_layout_add(l, VMATLAS_REGION_DIRECT_MAP, linear,
			   (unsigned long)high_memory);
#ifdef CONFIG_KASAN
	vmatlas_layout_add(l, VMATLAS_REGION_KASAN_SHADOW, KASAN_SHADOW_START,
			   KASAN_SHADOW_END);
#endif
	vmatlas_layout_add(l, VMATLAS_REGION_MODULES, MODULES_VADDR,
			   MODULES_END);
	vmatlas_layout_add(l, VMATLAS_REGION_VMALLOC, VMALLOC_START,
			   VMALLOC_END);
	/*
	 * The used part of vmemmap: the struct pages of the RAM the linear
	 * map covers. Where 52 bits were built for and 48 are used, it does
	 * not start at VMEMMAP_START.
	 */
	vmatlas_layout_add(l, VMATLAS_REGION_VMEMMAP,
			   (unsigned long)virt_to_page(linear),
			   (unsigned long)virt_to_page(high_memory - 1) +
				   sizeof(struct page));
	vmatlas_layout_add(l, VMATLAS_REGION_PCI_IO, PCI_IO_START, PCI_IO_END);
	vmatlas_layout_add(l, VMATLAS_REGION_FIXMAP, FIXADDR_START,
			   FIXADDR_TOP);

	text = vmatlas_layout_scan_image(l, vmatlas_text_anchor(), true,
					 INIT_GAP);
	if (!text)
		return 0;
	/*
	 * The image's own mapping, at KIMAGE_VADDR plus the KASLR offset,
	 * starts with its header, mapped read-only before the text: back
	 * from the text to the unmapped space before it.
	 */
	for (image_start = text;
	     (size = vmatlas_kernel_leaf(image_start - 1, &leaf));
	     image_start = (image_start - 1) & ~(size - 1))
		cond_resched();
	l->image_offset = image_start - KIMAGE_VADDR;
	image_end = l->regions[l->count - 1].end;
	vmatlas_layout_add(l, VMATLAS_REGION_KERNEL_IMAGE, image_start,
			   image_end);
	return image_start;
}

bool vmatlas_arch_canonical(u64 addr)
{
	u64 half = 1ULL << vabits_actual;

	return addr < half || addr >= -half;
}

/*
 * __pa() is arithmetic for two ranges: the linear map (minus PAGE_OFFSET,
 * plus PHYS_OFFSET) and the kernel image (minus kimage_voffset).
 */
bool vmatlas_arch_linear(u64 addr, u64 *phys)
{
	if (addr >= _PAGE_OFFSET(vabits_actual) &&
	    addr < (unsigned long)high_memory) {
		*phys = __pa(addr);
		return true;
	}
	if (addr >= image_start && addr < image_end) {
		*phys = addr - kimage_voffset;
		return true;
	}
	return false;
}
