// SPDX-License-Identifier: GPL-2.0
/*
 * BPF kfuncs: what a BPF program may ask the module from inside the kernel.
 * vmatlas_pte_get() reads the leaf entry behind a user address of the
 * current task, so that a page-fault probe sees the entry a fault found and
 * the one it left, with the struct page behind each: a COW break shows a new
 * frame and the old one's mapcount dropping.
 *
 * Kfuncs live in the module's BTF: a build without it (kernel headers
 * without vmlinux) registers none, and INFO does not announce them.
 */
#include <linux/bpf.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/sched.h>

#include "compat.h"
#include "vmatlas.h"

static bool vmatlas_kfuncs_registered;

/* What a lookup found, as struct vmatlas_pte says it; @page: the page too. */
static void pte_describe(const struct vmatlas_leaf *leaf, bool found,
			 bool page_facts, struct vmatlas_pte *out)
{
	struct page *page;
	bool zero;

	out->level = leaf->level;
	if (!found)
		return;
	out->entry = leaf->entry;
	out->bits = vmatlas_entry_bits(leaf->entry, leaf->level, true);
	out->page_size = leaf->size;
	if (!leaf->present) {
		out->out_flags = VMATLAS_PTE_SWAP;
		return;
	}
	out->out_flags = VMATLAS_PTE_PRESENT;
	out->pfn = leaf->pfn;
	/* Describing a page takes and puts a reference: not from NMI. */
	if (!page_facts || in_nmi())
		return;
	/* No VMA here: the caller holds no lock that would keep one alive. */
	page = vmatlas_leaf_page(NULL, leaf, &zero);
	if ((page || zero) &&
	    vmatlas_leaf_facts(current->mm, leaf, page, zero, &out->page))
		out->out_flags |= VMATLAS_PTE_PAGE;
}

/**
 * vmatlas_pte_get() - the leaf entry behind @addr in current's address space
 * @addr: a user address
 * @flags: VMATLAS_PTE_GET_PAGE to describe the struct page as well (it costs
 *	some twenty reads of struct page and folio fields)
 * @pte: a struct vmatlas_pte of @pte__sz bytes, filled in (zeroed on error)
 * @pte__sz: its size: at least VMATLAS_PTE_SIZE_VER0; bytes past what the
 *	module knows are zeroed
 *
 * Reads only, and without locks (vmatlas_lookup_lockless()); the struct
 * page is described while held by a speculative reference, as GUP-fast
 * holds it, and not at all in NMI context (putting that reference may free
 * the page). Lockdown is judged when a program that calls this is loaded
 * (vmatlas_kfunc_filter()), not here: a security hook may lock, allocate or
 * audit, and this runs in any context.
 *
 * Context: any, NMI included: takes no lock, does not sleep.
 * Return: 0; -EINVAL for unknown
 * @flags, a task without an address space, an address above TASK_SIZE or a
 * short @pte; -EAGAIN if a page table changed under the lookup.
 */
__bpf_kfunc int vmatlas_pte_get(u64 addr, u32 flags, void *pte, u32 pte__sz)
{
	struct mm_struct *mm = current->mm;
	struct vmatlas_pte out = {};
	struct vmatlas_leaf leaf;
	unsigned long irqflags;
	int ret = -EINVAL;

	if (mm && addr < TASK_SIZE && pte__sz >= VMATLAS_PTE_SIZE_VER0 &&
	    !(flags & ~VMATLAS_PTE_GET_PAGE)) {
		local_irq_save(irqflags);
		ret = vmatlas_lookup_lockless(mm, addr, &leaf);
		if (ret >= 0)
			pte_describe(&leaf, ret, flags & VMATLAS_PTE_GET_PAGE,
				     &out);
		local_irq_restore(irqflags);
		ret = min(ret, 0);
	}
	memcpy(pte, &out, min_t(size_t, pte__sz, sizeof(out)));
	if (pte__sz > sizeof(out))
		memset((u8 *)pte + sizeof(out), 0, pte__sz - sizeof(out));
	return ret;
}

BTF_KFUNCS_START(vmatlas_kfunc_ids)
BTF_ID_FLAGS(func, vmatlas_pte_get)
BTF_KFUNCS_END(vmatlas_kfunc_ids)

/*
 * Called by the verifier, in the loading process's context, for each call
 * of one of our kfuncs: under lockdown=confidentiality BPF may not read
 * kernel memory, and page-table entries and frame numbers are that.
 */
static int __maybe_unused vmatlas_kfunc_filter(const struct bpf_prog *prog,
					       u32 kfunc_id)
{
	return vmatlas_bpf_may_read_kernel() ? 0 : -EACCES;
}

static const struct btf_kfunc_id_set vmatlas_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &vmatlas_kfunc_ids,
	VMATLAS_KFUNC_SET_FILTER
};

/**
 * vmatlas_kfunc_init() - offer the kfuncs to tracing (and kprobe) programs
 *
 * Nothing to undo at exit: the sets go with the module's BTF when it
 * unloads, and a loaded program that calls a kfunc holds the module.
 * Failing to register is not fatal; the module works without kfuncs.
 */
void vmatlas_kfunc_init(void)
{
	int ret;

	if (!vmatlas_module_has_btf())
		return;
	if (!VMATLAS_KFUNC_HAS_FILTER && !vmatlas_bpf_may_read_kernel()) {
		pr_info("no BPF kfuncs: the kernel is locked down\n");
		return;
	}
	/*
	 * A set cannot be unregistered: what registered stays, and INFO
	 * announces the kfuncs as soon as tracing programs (fentry, tp_btf)
	 * can call them; kprobe programs are a bonus.
	 */
	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_TRACING,
					&vmatlas_kfunc_set);
	if (ret) {
		pr_info("no BPF kfuncs: registering them failed (%d)\n", ret);
		return;
	}
	vmatlas_kfuncs_registered = true;
	if (VMATLAS_KFUNC_KPROBE) {
		ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_KPROBE,
						&vmatlas_kfunc_set);
		if (ret)
			pr_info("BPF kfuncs for tracing programs only (kprobe: %d)\n",
				ret);
	}
}

/**
 * vmatlas_kfunc_available() - whether BPF programs can call the kfuncs now
 *
 * Context: process context (it asks the lockdown LSM).
 * Return: true if vmatlas_kfunc_init() registered them and a program that
 * calls them would be accepted.
 */
bool vmatlas_kfunc_available(void)
{
	return vmatlas_kfuncs_registered && vmatlas_bpf_may_read_kernel();
}
