// SPDX-License-Identifier: GPL-2.0
/*
 * KADDR: the anatomy of a kernel address. Which region it lies in; whether
 * it is a logical address (direct map: a fixed offset from physical, what
 * __pa() computes); what the kernel page tables say, as the MMU would find
 * it; whether the two agree; and the struct page behind it. The address is
 * never dereferenced: only the page tables are read, so any 64-bit value
 * gets an answer.
 */
#include <linux/memory_hotplug.h>
#include <linux/mm.h>
#include <linux/string.h>
#include <asm/pgtable.h>

#include "arch.h"
#include "layout.h"
#include "trace.h"
#include "vmatlas.h"

/* What the kernel page tables say of @addr, as the MMU would find it. */
static void kaddr_walk(unsigned long addr, struct vmatlas_kaddr *out)
{
	struct vmatlas_kleaf leaf;
	unsigned long size = vmatlas_kernel_leaf(addr, &leaf);

	if (!size)
		return;
	out->level = leaf.level;
	out->entry = leaf.entry;
	out->bits = vmatlas_entry_bits(out->entry, out->level, true);
	out->page_size = size;
	out->tlb_size = vmatlas_arch_tlb_size(leaf.entry, leaf.level, size);
	out->phys = leaf.phys | (addr & (size - 1));
	out->out_flags |= VMATLAS_KADDR_MAPPED;
}

static void kaddr_describe(u64 addr, struct vmatlas_kaddr *out)
{
	struct page *page;
	u64 phys;

	if (vmatlas_layout_is_logical(addr))
		out->out_flags |= VMATLAS_KADDR_LOGICAL;
	if (vmatlas_arch_linear(addr, &phys)) {
		out->phys_linear = phys;
		out->out_flags |= VMATLAS_KADDR_LINEAR;
	}
	kaddr_walk(addr, out);
	if ((out->out_flags & VMATLAS_KADDR_LINEAR) &&
	    (out->out_flags & VMATLAS_KADDR_MAPPED) &&
	    out->phys == out->phys_linear)
		out->out_flags |= VMATLAS_KADDR_AGREE;
	/* As procfs: only frames with an initialised memmap have facts. */
	page = NULL;
	if (out->out_flags & VMATLAS_KADDR_MAPPED)
		page = pfn_to_online_page(PHYS_PFN(out->phys));
	if (page) {
		vmatlas_page_facts(page, false, &out->page);
		out->out_flags |= VMATLAS_KADDR_PAGE;
	}
}

/**
 * vmatlas_kaddr() - describe one kernel address
 * @addr: any value
 * @out: every output field is written
 */
void vmatlas_kaddr(u64 addr, struct vmatlas_kaddr *out)
{
	out->region = vmatlas_region_of(addr);
	if (out->region != VMATLAS_REGION_USER &&
	    out->region != VMATLAS_REGION_NONCANONICAL)
		kaddr_describe(addr, out);
	trace_vmatlas_kaddr(addr, out->region, out->level, out->phys);
}
