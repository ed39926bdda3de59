// SPDX-License-Identifier: GPL-2.0
/*
 * LAB: allocate memory the four classic ways, describe every page, free it.
 * kmalloc() returns a logical address: physically contiguous, a fixed offset
 * from physical. vmalloc() returns a virtual one: contiguous addresses over
 * pages from anywhere, found only through the page tables. alloc_pages()
 * returns pages; page_address() is their logical address, if they have one.
 * A highmem page has none: kmap_local_page() maps it for a moment.
 */
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/io.h>

#include "compat.h"
#include "layout.h"
#include "trace.h"
#include "vmatlas.h"

static void lab_describe(struct page *page, unsigned long va,
			 struct vmatlas_lab_page *out)
{
	out->va = va;
	out->phys = page_to_phys(page);
	out->logical = (unsigned long)page_address(page);
	out->flags = PageHighMem(page) ? VMATLAS_LABPG_HIGHMEM : 0;
	out->region = vmatlas_region_of(va);
}

/*
 * The sizes are the caller's: an allocation that fails is an answer
 * (-ENOMEM), not a kernel warning, hence __GFP_NOWARN throughout.
 */
static int lab_kmalloc(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	void *p = kmalloc(lab->bytes, GFP_KERNEL | __GFP_NOWARN);
	unsigned int i;

	if (!p)
		return -ENOMEM;
	lab->va = (unsigned long)p;
	lab->npages = DIV_ROUND_UP(offset_in_page(p) + lab->bytes, PAGE_SIZE);
	for (i = 0; i < lab->npages; i++) {
		void *va =
			(void *)((unsigned long)p & PAGE_MASK) + i * PAGE_SIZE;

		lab_describe(virt_to_page(va), (unsigned long)va, &pages[i]);
	}
	kfree(p);
	return 0;
}

static int lab_vmalloc(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	void *p = __vmalloc(lab->bytes, GFP_KERNEL | __GFP_NOWARN);
	unsigned int i;

	if (!p)
		return -ENOMEM;
	lab->va = (unsigned long)p;
	lab->npages = DIV_ROUND_UP(lab->bytes, PAGE_SIZE);
	for (i = 0; i < lab->npages; i++) {
		void *va = p + i * PAGE_SIZE;

		lab_describe(vmalloc_to_page(va), (unsigned long)va, &pages[i]);
	}
	vfree(p);
	return 0;
}

static int lab_pages(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	unsigned int order = get_order(lab->bytes), i;
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, order);

	if (!page)
		return -ENOMEM;
	lab->va = (unsigned long)page_address(page);
	lab->npages = 1U << order;
	for (i = 0; i < lab->npages; i++)
		lab_describe(vmatlas_nth_page(page, i), lab->va + i * PAGE_SIZE,
			     &pages[i]);
	__free_pages(page, order);
	return 0;
}

/*
 * Hold every page until all are described: a page freed at once would come
 * straight back from the allocator as the "next" one.
 */
static int lab_kmap(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	struct page **held;
	unsigned int i;
	int ret = 0;

	lab->npages = DIV_ROUND_UP(lab->bytes, PAGE_SIZE);
	held = kcalloc(lab->npages, sizeof(*held), GFP_KERNEL);
	if (!held)
		return -ENOMEM;
	for (i = 0; i < lab->npages; i++) {
		void *va;

		held[i] = alloc_page(GFP_HIGHUSER | __GFP_NOWARN);
		if (!held[i]) {
			ret = -ENOMEM;
			break;
		}
		va = kmap_local_page(held[i]);
		lab_describe(held[i], (unsigned long)va, &pages[i]);
		kunmap_local(va);
	}
	lab->va = pages[0].va;
	for (i = 0; i < lab->npages && held[i]; i++)
		__free_page(held[i]);
	kfree(held);
	return ret;
}

static int lab_alloc(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	if (!lab->bytes || lab->bytes > VMATLAS_LAB_MAX_BYTES)
		return -EINVAL;
	switch (lab->kind) {
	case VMATLAS_LAB_KMALLOC:
		return lab_kmalloc(lab, pages);
	case VMATLAS_LAB_VMALLOC:
		return lab_vmalloc(lab, pages);
	case VMATLAS_LAB_PAGES:
		return lab_pages(lab, pages);
	case VMATLAS_LAB_KMAP:
		return lab_kmap(lab, pages);
	default:
		return -EINVAL;
	}
}

/**
 * vmatlas_lab() - allocate, describe every page, free
 * @lab: @kind and @bytes in; @va, @region, @npages and @out_flags out
 * @pages: room for VMATLAS_LAB_MAX_BYTES / PAGE_SIZE pages
 *
 * Return: 0, -EINVAL for an unknown kind or size, -ENOMEM.
 */
int vmatlas_lab(struct vmatlas_lab *lab, struct vmatlas_lab_page *pages)
{
	unsigned int i;
	int ret;

	ret = lab_alloc(lab, pages);
	if (!ret) {
		lab->region = vmatlas_region_of(lab->va);
		lab->out_flags = VMATLAS_LAB_CONTIGUOUS;
		for (i = 1; i < lab->npages; i++)
			if (pages[i].phys != pages[0].phys + (u64)i * PAGE_SIZE)
				lab->out_flags = 0;
	}
	trace_vmatlas_lab(lab->kind, lab->bytes, ret ? 0 : lab->npages,
			  ret ? 0 : lab->region, ret);
	return ret;
}
