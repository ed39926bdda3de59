// SPDX-License-Identifier: GPL-2.0
/*
 * vmatlas_test_helper: allocates kernel objects the ways the notes describe
 * and publishes each address with its physical address as the kernel itself
 * computes it (virt_to_phys(), vmalloc_to_pfn(), page_to_phys(),
 * __pa_symbol(), slow_virt_to_phys()), for vmatlas's kaddr to be checked
 * against. Read /sys/kernel/debug/vmatlas_test_helper/objects:
 *
 *   NAME KIND VIRTUAL PHYSICAL
 */
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <asm/pgtable.h>

#define HELPER_VMALLOC_PAGES	4

static void *helper_kmalloc;
static void *helper_kmalloc_big;
static void *helper_vmalloc;
static struct page *helper_pages;
static struct dentry *helper_dir;

/* A function of this module: its address is in the module area. */
static noinline int helper_module_function(int x)
{
	return x + 1;
}

static void show(struct seq_file *m, const char *name, const char *kind, const void *va,
		 phys_addr_t phys)
{
	seq_printf(m, "%s %s %#lx %#llx\n", name, kind, (unsigned long)va, (u64)phys);
}

static phys_addr_t vmalloc_phys(const void *va)
{
	return PFN_PHYS(vmalloc_to_pfn(va)) + offset_in_page(va);
}

static int objects_show(struct seq_file *m, void *unused)
{
	const void *fn = helper_module_function;
	const void *text = (const void *)(unsigned long)_printk;
	char name[32];
	int i;

	show(m, "kmalloc", "kmalloc", helper_kmalloc, virt_to_phys(helper_kmalloc));
	show(m, "kmalloc_big", "kmalloc", helper_kmalloc_big, virt_to_phys(helper_kmalloc_big));
	for (i = 0; i < HELPER_VMALLOC_PAGES; i++) {
		const void *va = helper_vmalloc + i * PAGE_SIZE + 8 * i;

		snprintf(name, sizeof(name), "vmalloc%d", i);
		show(m, name, "vmalloc", va, vmalloc_phys(va));
	}
	show(m, "pages", "pages", page_address(helper_pages), page_to_phys(helper_pages));
	show(m, "text", "text", text, __pa_symbol(text));
	show(m, "module", "module", fn, vmalloc_phys(fn));
#ifdef CONFIG_X86_64
	show(m, "struct_page", "vmemmap", helper_pages, slow_virt_to_phys(helper_pages));
#endif
	return helper_module_function(-1);
}
DEFINE_SHOW_ATTRIBUTE(objects);

static void helper_free(void)
{
	kfree(helper_kmalloc);
	kfree(helper_kmalloc_big);
	vfree(helper_vmalloc);
	if (helper_pages)
		__free_pages(helper_pages, 1);
}

static int __init helper_init(void)
{
	helper_kmalloc = kmalloc(200, GFP_KERNEL);
	helper_kmalloc_big = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);
	helper_vmalloc = vmalloc(HELPER_VMALLOC_PAGES * PAGE_SIZE);
	helper_pages = alloc_pages(GFP_KERNEL, 1);
	if (!helper_kmalloc || !helper_kmalloc_big || !helper_vmalloc || !helper_pages) {
		helper_free();
		return -ENOMEM;
	}
	helper_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("objects", 0400, helper_dir, NULL, &objects_fops);
	return 0;
}

static void __exit helper_exit(void)
{
	debugfs_remove(helper_dir);
	helper_free();
}

module_init(helper_init);
module_exit(helper_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("vmatlas test helper: kernel objects and their physical addresses");
