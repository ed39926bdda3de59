// SPDX-License-Identifier: GPL-2.0
/*
 * x86 segmentation as the calling thread runs (Intel SDM vol. 3, "Segment
 * Descriptors"): this CPU's GDT, read through SGDT and copied, never written;
 * the caller's user-mode selectors; its FS and GS bases. Linux keeps code
 * and data flat (base 0), so a logical address, selector and offset, is the
 * linear address offset; only FS and GS, the threads' TLS, have a base.
 */
#include <linux/preempt.h>
#include <linux/sched/task_stack.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <asm/desc.h>
#include <asm/msr.h>
#include <asm/ptrace.h>
#include <asm/segment.h>

#include "arch.h"
#include "compat.h"

/* What Linux keeps GDT entry @i for. */
static u32 seg_role(unsigned int i)
{
	if (i >= GDT_ENTRY_TLS_MIN && i <= GDT_ENTRY_TLS_MAX)
		return VMATLAS_SEGROLE_TLS;
	switch (i) {
	case GDT_ENTRY_KERNEL_CS:
		return VMATLAS_SEGROLE_KERNEL_CS;
	case GDT_ENTRY_KERNEL_DS:
		return VMATLAS_SEGROLE_KERNEL_DS;
	case GDT_ENTRY_DEFAULT_USER_CS:
		return VMATLAS_SEGROLE_USER_CS;
	case GDT_ENTRY_DEFAULT_USER_DS:
		return VMATLAS_SEGROLE_USER_DS;
	case GDT_ENTRY_TSS:
		return VMATLAS_SEGROLE_TSS;
	case GDT_ENTRY_LDT:
		return VMATLAS_SEGROLE_LDT;
	case VMATLAS_GDT_CPUNODE:
		return VMATLAS_SEGROLE_CPUNODE;
#ifdef CONFIG_X86_64
	case GDT_ENTRY_DEFAULT_USER32_CS:
		return VMATLAS_SEGROLE_USER32_CS;
	case GDT_ENTRY_KERNEL32_CS:
		return VMATLAS_SEGROLE_KERNEL32_CS;
#else
	case GDT_ENTRY_PERCPU:
		return VMATLAS_SEGROLE_PERCPU;
#endif
	}
	return VMATLAS_SEGROLE_OTHER;
}

/*
 * Decode the descriptor at @i of @gdt (@n entries) into @s; on x86-64 a
 * system descriptor takes two entries. Return how many it took.
 */
static unsigned int seg_decode(const u64 *gdt, unsigned int i, unsigned int n,
			       struct vmatlas_segment *s)
{
	u64 d = gdt[i];
	u64 limit = (d & 0xffff) | ((d >> 32) & 0xf0000);
	bool wide;

	memset(s, 0, sizeof(*s));
	s->raw = d;
	s->index = i;
	s->role = seg_role(i);
	s->type = (d >> 40) & 0xf;
	s->dpl = (d >> 45) & 3;
	s->base = ((d >> 16) & 0xffffff) | (((d >> 56) & 0xff) << 24);
	if (d & BIT_ULL(47))
		s->flags |= VMATLAS_SEG_PRESENT;
	if (d & BIT_ULL(44))
		s->flags |= VMATLAS_SEG_CODE_DATA;
	if (d & BIT_ULL(53))
		s->flags |= VMATLAS_SEG_LONG;
	if (d & BIT_ULL(54))
		s->flags |= VMATLAS_SEG_BIG;
	if (d & BIT_ULL(55)) {
		s->flags |= VMATLAS_SEG_GRAN_4K;
		limit = (limit << 12) | 0xfff;
	}
	s->limit = limit;
	/* An x86-64 system descriptor (TSS, LDT) takes two entries: a 64-bit base. */
	wide = IS_ENABLED(CONFIG_X86_64) && !(s->flags & VMATLAS_SEG_CODE_DATA);
	if (wide && i + 1 < n) {
		s->base |= (gdt[i + 1] & 0xffffffffULL) << 32;
		return 2;
	}
	return 1;
}

/* The base of the caller's segment @sel, from @gdt (an LDT's: 0). */
static u64 __maybe_unused seg_base_of(const struct vmatlas_segments *r, u16 sel)
{
	unsigned int i;

	if (sel & 4)
		return 0;
	for (i = 0; i < r->count; i++)
		if (r->segs[i].index == sel >> 3)
			return r->segs[i].base;
	return 0;
}

/* The caller's selectors, and its FS and GS bases. */
static void seg_caller(struct vmatlas_segments *r)
{
	struct pt_regs *regs = task_pt_regs(current);

	r->cs = regs->cs;
	r->ss = regs->ss;
#ifdef CONFIG_X86_64
	/* Entry leaves DS, ES, FS and GS alone; SWAPGS put the user's GS base aside. */
	savesegment(ds, r->ds);
	savesegment(es, r->es);
	savesegment(fs, r->fs);
	savesegment(gs, r->gs);
	vmatlas_rdmsr(MSR_FS_BASE, r->fs_base);
	vmatlas_rdmsr(MSR_KERNEL_GS_BASE, r->gs_base);
#else
	/* Entry loads the kernel's FS (per-CPU) and saves the user's; GS it leaves alone. */
	r->ds = regs->ds;
	r->es = regs->es;
	r->fs = regs->fs;
	savesegment(gs, r->gs);
	r->fs_base = seg_base_of(r, r->fs);
	r->gs_base = seg_base_of(r, r->gs);
#endif
}

int vmatlas_arch_segments(struct vmatlas_segments *r)
{
	u64 gdt[VMATLAS_MAX_SEGMENTS];
	struct desc_ptr dt;
	unsigned int i, n;

	/* One CPU's table, and the caller's state on it: no migration between. */
	preempt_disable();
	native_store_gdt(&dt);
	n = min_t(unsigned int, (dt.size + 1) / 8, VMATLAS_MAX_SEGMENTS);
	memcpy(gdt, (const void *)dt.address, n * 8);
	r->cpu = smp_processor_id();
	preempt_enable();

	r->gdt_base = dt.address;
	r->gdt_limit = dt.size;
	r->count = 0;
	for (i = 1; i < n;) {
		if (!gdt[i]) {
			i++;
			continue;
		}
		i += seg_decode(gdt, i, n, &r->segs[r->count++]);
	}
	seg_caller(r);
	return 0;
}
