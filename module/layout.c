// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's virtual memory map as this boot laid it out: the architecture
 * file (module/arch/<arch>/) adds the regions it knows from its
 * headers; the kernel image's text, read-only data and data are found in the
 * kernel page tables, by what the MMU is told (executable, read-only,
 * writable), since _text and _etext are not exported to modules.
 *
 * Computed once at module load: after boot only memory hotplug moves any of
 * it, and a lookup must not cost a scan of the image.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <asm/pgtable.h>

#include "compat.h"
#include "layout.h"
#include "vmatlas.h"

static struct vmatlas_layout vmatlas_layout;

/**
 * vmatlas_layout_add() - add a region to a layout being built
 * @l: the layout
 * @id: VMATLAS_REGION_*
 * @start: first address
 * @end: end (0 for the top of the address space)
 */
void vmatlas_layout_add(struct vmatlas_layout *l, u32 id, u64 start, u64 end)
{
	if (WARN_ON_ONCE(l->count >= VMATLAS_MAX_REGIONS) || start == end)
		return;
	l->regions[l->count].start = start;
	l->regions[l->count].end = end;
	l->regions[l->count].id = id;
	l->count++;
}

/* What the kernel's leaf at @addr maps and allows: its range and VMATLAS_ENT_* bits. */
static bool kernel_leaf_range(unsigned long addr, u64 *bits,
			      unsigned long *start, unsigned long *end)
{
	struct vmatlas_kleaf leaf;
	unsigned long size = vmatlas_kernel_leaf(addr, &leaf);

	if (!size)
		return false;
	*bits = vmatlas_arch_entry_bits(leaf.entry, leaf.level, true);
	*start = addr & ~(size - 1);
	*end = *start + size;
	return true;
}

/* Extend [@start, ...) forward while the leaves have exactly @want of @mask. */
static unsigned long scan_forward(unsigned long start, u64 mask, u64 want)
{
	unsigned long addr = start, s, e;
	u64 bits;

	while (addr >= start && kernel_leaf_range(addr, &bits, &s, &e) &&
	       (bits & mask) == want) {
		addr = e;
		cond_resched();
	}
	return addr;
}

/**
 * vmatlas_layout_scan_image() - find the kernel's text, rodata and data
 * @l: the layout
 * @anchor: an address inside the kernel text
 * @with_data: also add the writable run after rodata (only where a hole
 *	ends it: on i386 the direct map goes on after the image, writable too)
 * @gap: how far past rodata the data may start, across unmapped space (the
 *	freed init sections lie between them on arm64)
 *
 * The text is the executable run of mappings around @anchor; read-only data
 * is the read-only, non-executable run after it, data the writable one after
 * that. This is what the MMU enforces, which is what vmatlas shows.
 *
 * The architecture calls it only where the MMU enforces execute-never (an
 * i386 CPU may lack NX): otherwise nothing tells the parts apart.
 *
 * Return: the start of the text, or 0 if it cannot be told.
 */
unsigned long vmatlas_layout_scan_image(struct vmatlas_layout *l,
					unsigned long anchor, bool with_data,
					unsigned long gap)
{
	unsigned long text, rodata, data, end, s, e;
	struct vmatlas_kleaf leaf;
	u64 bits;

	if (!kernel_leaf_range(anchor, &bits, &text, &e) ||
	    (bits & VMATLAS_ENT_NX))
		return 0;
	while (kernel_leaf_range(text - 1, &bits, &s, &e) &&
	       !(bits & VMATLAS_ENT_NX) && s < text) {
		text = s;
		cond_resched();
	}
	rodata = scan_forward(text, VMATLAS_ENT_NX, 0);
	data = scan_forward(rodata, VMATLAS_ENT_NX | VMATLAS_ENT_WRITE,
			    VMATLAS_ENT_NX);
	vmatlas_layout_add(l, VMATLAS_REGION_KERNEL_TEXT, text, rodata);
	vmatlas_layout_add(l, VMATLAS_REGION_KERNEL_RODATA, rodata, data);
	if (!with_data)
		return text;
	/* Across unmapped space up to @gap: the data starts at the next leaf. */
	for (s = data; s - data < gap && !vmatlas_kernel_leaf(s, &leaf);
	     s += PAGE_SIZE)
		cond_resched();
	end = scan_forward(s, VMATLAS_ENT_NX | VMATLAS_ENT_WRITE,
			   VMATLAS_ENT_NX | VMATLAS_ENT_WRITE);
	vmatlas_layout_add(l, VMATLAS_REGION_KERNEL_DATA, s, end);
	return text;
}

static int region_cmp(const void *a, const void *b)
{
	const struct vmatlas_region *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	/* The larger region first: a region inside another follows it. */
	return x->end - x->start > y->end - y->start ? -1 : 1;
}

/**
 * vmatlas_layout_init() - compute this boot's layout
 */
void vmatlas_layout_init(void)
{
	struct vmatlas_layout *l = &vmatlas_layout;
	struct vmatlas_kleaf leaf;
	unsigned long image, size;

	memset(l, 0, sizeof(*l));
	l->levels = vmatlas_arch_levels();
	l->page_size = PAGE_SIZE;
	l->page_offset = PAGE_OFFSET;
	l->high_memory = (unsigned long)high_memory;
	l->highmem_bytes = (u64)totalhigh_pages() << PAGE_SHIFT;
	l->lowmem_bytes =
		((u64)totalram_pages() << PAGE_SHIFT) - l->highmem_bytes;

	image = vmatlas_layout_arch(l);
	size = image ? vmatlas_kernel_leaf(image, &leaf) : 0;
	if (size)
		l->phys_load = leaf.phys + (image & (size - 1));
	if (l->image_offset)
		l->out_flags |= VMATLAS_LAYOUT_KASLR_IMAGE;
	sort(l->regions, l->count, sizeof(l->regions[0]), region_cmp, NULL);
}

/**
 * vmatlas_layout_get() - this boot's layout
 * @out: filled in, but for @size and @flags
 */
void vmatlas_layout_get(struct vmatlas_layout *out)
{
	u32 size = out->size, flags = out->flags;

	*out = vmatlas_layout;
	out->size = size;
	out->flags = flags;
}

/**
 * vmatlas_region_of() - which region of the kernel map an address is in
 * @addr: any value
 *
 * Return: VMATLAS_REGION_* of the narrowest region containing @addr;
 * VMATLAS_REGION_NONCANONICAL or _HOLE if none does.
 */
u32 vmatlas_region_of(u64 addr)
{
	const struct vmatlas_layout *l = &vmatlas_layout;
	u64 best_size = 0;
	u32 best = 0, i;

	/* First: on i386 a region that ends at the top must not claim 2^32 and up. */
	if (!vmatlas_arch_canonical(addr))
		return VMATLAS_REGION_NONCANONICAL;
	for (i = 0; i < l->count; i++) {
		const struct vmatlas_region *r = &l->regions[i];
		u64 size = r->end - r->start;

		if (addr < r->start || (r->end && addr >= r->end))
			continue;
		if (!best || size < best_size) {
			best = r->id;
			best_size = size;
		}
	}
	return best ? best : VMATLAS_REGION_HOLE;
}

/**
 * vmatlas_layout_is_logical() - is @addr in the direct map of RAM?
 * @addr: any value
 *
 * On i386 that includes the kernel image, which lives in the direct map;
 * on x86-64 the image has a mapping of its own.
 *
 * Return: true for [PAGE_OFFSET, high_memory).
 */
bool vmatlas_layout_is_logical(u64 addr)
{
	return addr >= vmatlas_layout.page_offset &&
	       addr < vmatlas_layout.high_memory;
}
