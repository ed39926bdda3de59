// SPDX-License-Identifier: GPL-2.0
/*
 * explain segments: what x86 calls a logical address, a selector and an
 * offset, and why on Linux it is the linear address. The module reads this
 * CPU's GDT (SGDT, a copy, nothing written) and this process's selectors
 * and FS/GS bases. Code and data segments are flat, base 0: the offset is
 * the linear address. The one exception is the thread's TLS segment (FS on
 * x86-64, GS on i386), whose base the C library points at its thread block:
 * an access through it adds the base, as the notes describe segmentation.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#if defined(__x86_64__)
#include <asm/prctl.h>
#elif defined(__i386__)
#include <asm/ldt.h>
#endif

#include "explain.h"
#include "libvmatlas.h"
#include "util.h"

static const char *const seg_roles[] = {
	[VMATLAS_SEGROLE_OTHER] = "other",
	[VMATLAS_SEGROLE_KERNEL_CS] = "kernel code",
	[VMATLAS_SEGROLE_KERNEL_DS] = "kernel data",
	[VMATLAS_SEGROLE_USER_CS] = "user code",
	[VMATLAS_SEGROLE_USER_DS] = "user data",
	[VMATLAS_SEGROLE_USER32_CS] = "user code, 32-bit",
	[VMATLAS_SEGROLE_KERNEL32_CS] = "kernel code, 32-bit",
	[VMATLAS_SEGROLE_TLS] = "TLS",
	[VMATLAS_SEGROLE_TSS] = "TSS",
	[VMATLAS_SEGROLE_LDT] = "LDT",
	[VMATLAS_SEGROLE_PERCPU] = "kernel per-CPU",
	[VMATLAS_SEGROLE_CPUNODE] = "CPU and node",
};

/* A marker to read through the TLS segment. */
static long seg_marker = 0x5e9;

#if defined(__x86_64__)
#define SEG_TLS_REG	"fs"
#define SEG_TLS		1

/* The base the kernel says it loaded, asked by a system call of its own. */
static unsigned long long seg_base_syscall(const struct vmatlas_segments *s)
{
	unsigned long base = 0;

	return syscall(SYS_arch_prctl, ARCH_GET_FS, &base) ? 0 : base;
}
#elif defined(__i386__)
#define SEG_TLS_REG	"gs"
#define SEG_TLS		1

static unsigned long long seg_base_syscall(const struct vmatlas_segments *s)
{
	struct user_desc d = { .entry_number = s->gs >> 3 };

	return syscall(SYS_get_thread_area, &d) ? 0 : d.base_addr;
}
#else
#define SEG_TLS_REG	"-"
#define SEG_TLS		0

static unsigned long long seg_base_syscall(const struct vmatlas_segments *s)
{
	return 0;
}
#endif

/* The word at @off through the TLS segment: at linear base + @off. */
static unsigned long seg_read(unsigned long off)
{
	unsigned long v = 0;

#if SEG_TLS
	asm volatile("mov %%" SEG_TLS_REG ":(%1), %0" : "=r"(v) : "r"(off));
#endif
	return v;
}

static int seg_ready(struct story *st)
{
	struct vmatlas_segments s;

	return story_lib(st, vmatlas_segments(st->fd, &s));
}

static const char *seg_kind(const struct vmatlas_segment *g)
{
	if (g->flags & VMATLAS_SEG_CODE_DATA)
		return g->type & 8 ? "code" : "data";
	if (g->type == 0x9 || g->type == 0xb)
		return "tss";
	return g->type == 0x2 ? "ldt" : "system";
}

static const struct vmatlas_segment *seg_at(const struct vmatlas_segments *s, unsigned int index)
{
	unsigned int i;

	for (i = 0; i < s->count; i++)
		if (s->segs[i].index == index)
			return &s->segs[i];
	return NULL;
}

static void seg_table(struct story *st, const struct vmatlas_segments *s)
{
	const struct vmatlas_segment *g;
	unsigned int i;

	story_say(st, "CPU %u's GDT is at 0x%llx, %u bytes; the descriptors in it:", s->cpu,
		  s->gdt_base, s->gdt_limit + 1);
	story_say(st, "  %5s %8s  %-19s %18s %18s %-6s %3s %s", "INDEX", "SELECTOR", "ROLE", "BASE",
		  "LIMIT", "TYPE", "DPL", "FLAGS");
	for (i = 0; i < s->count; i++) {
		g = &s->segs[i];
		story_say(st, "  %5u %#8x  %-19s %#18llx %#18llx %-6s %3u %s%s%s%s", g->index,
			  g->index << 3 | g->dpl,
			  g->role < ARRAY_SIZE(seg_roles) ? seg_roles[g->role] : "?", g->base,
			  g->limit, seg_kind(g), g->dpl, g->flags & VMATLAS_SEG_PRESENT ? "P" : "-",
			  g->flags & VMATLAS_SEG_LONG ? " L" : "",
			  g->flags & VMATLAS_SEG_BIG ? " D" : "",
			  g->flags & VMATLAS_SEG_GRAN_4K ? " G" : "");
	}
}

static int seg_run(struct story *st)
{
	unsigned int i, flat = 0, codedata = 0;
	struct vmatlas_segments s;
	const struct vmatlas_segment *cs;
	unsigned long long tls;
	unsigned long off;
	bool user;
	int err = story_lib(st, vmatlas_segments(st->fd, &s));

	if (err)
		return err;
	seg_table(st, &s);
	for (i = 0; i < s.count; i++) {
		if (s.segs[i].role < VMATLAS_SEGROLE_KERNEL_CS ||
		    s.segs[i].role > VMATLAS_SEGROLE_KERNEL32_CS)
			continue;
		codedata++;
		flat += !s.segs[i].base;
	}
	story_check(st, codedata && flat == codedata,
		    "the code and data segments are flat: base 0 in %u of %u", flat, codedata);
	cs = seg_at(&s, s.cs >> 3);
	user = cs && (s.cs & 3) == 3 && !cs->base &&
	       (cs->role == VMATLAS_SEGROLE_USER_CS || cs->role == VMATLAS_SEGROLE_USER32_CS);
	story_check(st, user,
		    "this process runs with CS %#x: entry %u, %s, privilege 3", s.cs, s.cs >> 3,
		    cs && cs->role < ARRAY_SIZE(seg_roles) ? seg_roles[cs->role] : "?");
	story_say(st, "So a logical address, CS or DS and an offset, is a linear address:");
	story_say(st, "the offset itself.");

	tls = strcmp(SEG_TLS_REG, "fs") ? s.gs_base : s.fs_base;
	story_say(st, "\nThe exception is the thread's TLS segment, %%%s (selector %#x):",
		  SEG_TLS_REG, strcmp(SEG_TLS_REG, "fs") ? s.gs : s.fs);
	story_say(st, "base 0x%llx.", tls);
	story_check(st, tls && tls == seg_base_syscall(&s),
		    "the kernel's own system call says the same base: 0x%llx",
		    seg_base_syscall(&s));
	story_check(st, tls && seg_read(0) == tls,
		    "%%%s:0 reads 0x%lx: the C library's thread block, which points to itself",
		    SEG_TLS_REG, tls ? seg_read(0) : 0UL);
	off = (unsigned long)&seg_marker - (unsigned long)tls;
	story_check(st, tls && (long)seg_read(off) == seg_marker,
		    "%%%s:%#lx reads the variable at 0x%lx: linear = base + offset", SEG_TLS_REG,
		    off, (unsigned long)&seg_marker);
	story_say(st, "\nLinux's own \"logical address\" is another thing: an address in the");
	story_say(st, "direct map, where __pa() is arithmetic (vmatlas explain kernel).");
	return 0;
}

const struct scenario scenario_segments = {
	.name = "segments",
	.claim = "x86's logical address, selector and offset, is the linear one on Linux",
	.ready = seg_ready,
	.run = seg_run,
};
