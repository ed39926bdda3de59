/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tracepoints for what the module itself does: one event per request, as it
 * returns, with what was asked and what came back. Numbers only, no strings,
 * so the events read the same on every kernel and cost nothing when off.
 * Whatever asked (ioctl or debugfs), the event is the same.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM vmatlas

#if !defined(_VMATLAS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _VMATLAS_TRACE_H

#include <linux/tracepoint.h>

/* TRACE_EVENT()'s arguments keep the kernel's own layout. */
/* clang-format off */
TRACE_EVENT(vmatlas_walk,
	TP_PROTO(int pid, unsigned long addr, unsigned int stop_level, u64 page_size, u64 pfn,
		 int ret),
	TP_ARGS(pid, addr, stop_level, page_size, pfn, ret),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned long, addr)
		__field(unsigned int, stop_level)
		__field(u64, page_size)
		__field(u64, pfn)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->addr = addr;
		__entry->stop_level = stop_level;
		__entry->page_size = page_size;
		__entry->pfn = pfn;
		__entry->ret = ret;
	),
	TP_printk("pid=%d addr=0x%lx stop_level=%u page_size=%llu pfn=0x%llx ret=%d",
		  __entry->pid, __entry->addr, __entry->stop_level, __entry->page_size,
		  __entry->pfn, __entry->ret)
);

/* One chunk of a TRANSLATE call: entries, how many present, how many refused. */
TRACE_EVENT(vmatlas_translate,
	TP_PROTO(int pid, unsigned int count, unsigned int present, unsigned int refused,
		 int ret),
	TP_ARGS(pid, count, present, refused, ret),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned int, count)
		__field(unsigned int, present)
		__field(unsigned int, refused)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->count = count;
		__entry->present = present;
		__entry->refused = refused;
		__entry->ret = ret;
	),
	TP_printk("pid=%d count=%u present=%u refused=%u ret=%d",
		  __entry->pid, __entry->count, __entry->present, __entry->refused,
		  __entry->ret)
);

TRACE_EVENT(vmatlas_vmas,
	TP_PROTO(int pid, unsigned long start, bool residency, unsigned int count,
		 unsigned long next, int ret),
	TP_ARGS(pid, start, residency, count, next, ret),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned long, start)
		__field(bool, residency)
		__field(unsigned int, count)
		__field(unsigned long, next)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->start = start;
		__entry->residency = residency;
		__entry->count = count;
		__entry->next = next;
		__entry->ret = ret;
	),
	TP_printk("pid=%d start=0x%lx residency=%d count=%u next=0x%lx ret=%d",
		  __entry->pid, __entry->start, __entry->residency, __entry->count,
		  __entry->next, __entry->ret)
);

TRACE_EVENT(vmatlas_ptdump,
	TP_PROTO(int pid, unsigned long start, unsigned long end, unsigned int runs,
		 unsigned long next, int ret),
	TP_ARGS(pid, start, end, runs, next, ret),
	TP_STRUCT__entry(
		__field(int, pid)
		__field(unsigned long, start)
		__field(unsigned long, end)
		__field(unsigned int, runs)
		__field(unsigned long, next)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->pid = pid;
		__entry->start = start;
		__entry->end = end;
		__entry->runs = runs;
		__entry->next = next;
		__entry->ret = ret;
	),
	TP_printk("pid=%d start=0x%lx end=0x%lx runs=%u next=0x%lx ret=%d",
		  __entry->pid, __entry->start, __entry->end, __entry->runs, __entry->next,
		  __entry->ret)
);

TRACE_EVENT(vmatlas_kaddr,
	TP_PROTO(u64 addr, unsigned int region, unsigned int level, u64 phys),
	TP_ARGS(addr, region, level, phys),
	TP_STRUCT__entry(
		__field(u64, addr)
		__field(unsigned int, region)
		__field(unsigned int, level)
		__field(u64, phys)
	),
	TP_fast_assign(
		__entry->addr = addr;
		__entry->region = region;
		__entry->level = level;
		__entry->phys = phys;
	),
	TP_printk("addr=0x%llx region=%u level=%u phys=0x%llx",
		  __entry->addr, __entry->region, __entry->level, __entry->phys)
);

TRACE_EVENT(vmatlas_lab,
	TP_PROTO(unsigned int kind, u64 bytes, unsigned int npages, unsigned int region,
		 int ret),
	TP_ARGS(kind, bytes, npages, region, ret),
	TP_STRUCT__entry(
		__field(unsigned int, kind)
		__field(u64, bytes)
		__field(unsigned int, npages)
		__field(unsigned int, region)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->kind = kind;
		__entry->bytes = bytes;
		__entry->npages = npages;
		__entry->region = region;
		__entry->ret = ret;
	),
	TP_printk("kind=%u bytes=%llu npages=%u region=%u ret=%d",
		  __entry->kind, __entry->bytes, __entry->npages, __entry->region, __entry->ret)
);
/* clang-format on */

#endif /* _VMATLAS_TRACE_H */

/* Out of the kernel tree: define_trace.h finds this file through -I. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
