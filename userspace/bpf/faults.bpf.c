// SPDX-License-Identifier: GPL-2.0
/*
 * Page faults of one process: fentry/fexit on handle_mm_fault(), which is
 * handed the VMA, the address, the fault flags and the pt_regs, and returns
 * the vm_fault_t. Each fault is counted the way mm_account_fault() counts
 * min_flt and maj_flt, classified from its result and the page-table entry
 * before and after, timed, and attributed to its VMA.
 *
 * The PTE comes from the vmatlas module's kfunc vmatlas_pte_get() where the
 * module offers it (the *_kf programs), with the struct page behind it.
 * Elsewhere it is read by walking the page tables through the direct map,
 * with PAGE_OFFSET and the number of levels that the module reports (user
 * space passes them in): probe reads only, no helper that is not everywhere.
 *
 * The same handlers are attached with fentry/fexit where the kernel has BPF
 * trampolines, or with kprobe/kretprobe; user space loads one pair of the
 * four and leaves the others out. A third way, tp_btf/page_fault_user, sees
 * only the start of user-mode faults: it counts and attributes them and
 * classifies them from the entry before, without their outcome or latency.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "faults.h"
#include "faults_vma.bpf.h"

/* A macro in mm_types.h, so not in vmlinux.h: the same union of reasons. */
#define FAULT_ERROR	(VM_FAULT_OOM | VM_FAULT_SIGBUS | VM_FAULT_SIGSEGV | VM_FAULT_HWPOISON | \
			 VM_FAULT_HWPOISON_LARGE | VM_FAULT_FALLBACK)

const volatile int targ_tgid;		/* trace this process, or */
const volatile int targ_parent;		/* the descendants of this one (a command) */
/* Where the direct map starts, in virtual and physical addresses. */
const volatile unsigned long long page_offset;
const volatile unsigned long long phys_offset;
const volatile unsigned int levels = 4;
/* x86-64's, unless user space says otherwise. */
const volatile struct entry_format fmt = {
	.present = 0x101, .write = 0x2, .leaf_mask = 0x80, .leaf_value = 0x80,
	.addr = 0x000ffffffffff000ULL, .page_shift = 12, .index_bits = 9,
};

const volatile bool want_events;
const volatile bool want_pages = true;	/* the per-page table: top_pages */

/* Lives in the module; weak, so that the object loads where it does not. */
extern int vmatlas_pte_get(u64 addr, u32 flags, void *pte, u32 pte__sz) __ksym __weak;

struct fault_start {
	unsigned long long ts;
	unsigned long long pte;
	unsigned int level;
	struct fault_page page;
	/* For kretprobe, which is not handed the arguments. */
	struct vm_area_struct *vma;
	unsigned long long address;
	unsigned int flags;
	struct pt_regs *regs;
	/* arm64: the syndrome do_mem_abort() was handed, for the next fault. */
	unsigned long long esr;
	bool has_esr;
};

/*
 * The fault path is hot: nothing here is shared between CPUs (per-CPU
 * counters, no atomics), the start of a fault lives in task storage, and
 * the per-VMA and per-page tables are LRU, so a map full of pages touched
 * once costs an eviction, not a failed insert, on every new page.
 */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fault_start);
} starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, FC_SLOTS);
	__type(key, u32);
	__type(value, u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, HIST_SLOTS);
	__type(key, u32);
	__type(value, u64);
} hist SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 16384);
	__type(key, struct fault_key);
	__type(value, u64);
} pages SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4 << 20);
} events SEC(".maps");

/*
 * The processes of a traced command: every process that the tool (targ_parent)
 * or one of them forks, at any depth, from the fork until the last thread of
 * it exits. Kept by fork_follow and exit_follow below; empty for -p PID.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, TRACED_MAX);
	__type(key, u32);
	__type(value, u8);
} traced_tgids SEC(".maps");

/*
 * Whether the current process is traced. This runs on every fault of every
 * process in the system: one compare for -p PID, one lookup for a command.
 */
static __always_inline bool traced(void)
{
	u32 tgid = bpf_get_current_pid_tgid() >> 32;

	if (targ_tgid)
		return tgid == targ_tgid;
	return bpf_map_lookup_elem(&traced_tgids, &tgid);
}

static __always_inline u64 read_entry(u64 table, u64 addr, unsigned int shift)
{
	u64 index = (addr >> shift) & ((1ULL << fmt.index_bits) - 1), entry = 0;

	bpf_probe_read_kernel(&entry, sizeof(entry), (void *)(table + index * 8));
	return entry;
}

/*
 * One level of the walk: read the entry for @addr in @table, at the level
 * whose index starts at bit @shift. Returns true when the walk ends here
 * (@*kind says how) and false to go on, with @table pointing at the next
 * level's table. @huge_ok: a leaf may sit at this level.
 */
static __always_inline bool pte_step(u64 *table, u64 addr, unsigned int shift, bool last,
				     bool huge_ok, unsigned int leaf, u64 *entry,
				     unsigned int *kind)
{
	u64 e = read_entry(*table, addr, shift);

	if (!(e & fmt.present)) {
		*entry = e;
		*kind = e && (last || huge_ok) ? PTE_SWAP : PTE_NONE;
		return true;
	}
	if (last || (huge_ok && (e & fmt.leaf_mask) == fmt.leaf_value)) {
		*entry = e;
		*kind = leaf;
		return true;
	}
	*table = page_offset + (e & fmt.addr) - phys_offset;
	return false;
}

/*
 * Walk @mm's tables for @addr: the leaf entry and what kind of leaf it is.
 * Straight-line code, not a loop: older verifiers refuse back-edges. The
 * levels that are in use: five, four (no P4D), three (no PUD either).
 */
static __always_inline unsigned int pte_lookup(struct mm_struct *mm, u64 addr, u64 *entry)
{
	u64 table = (u64)BPF_CORE_READ(mm, pgd);
	unsigned int kind = PTE_UNKNOWN, ps = fmt.page_shift, bits = fmt.index_bits;

	*entry = 0;
	if (!page_offset || !table)
		return PTE_UNKNOWN;
	if (levels >= 5 && pte_step(&table, addr, ps + 4 * bits, false, false, 0, entry, &kind))
		return kind;
	if (levels >= 4 && pte_step(&table, addr, ps + 3 * bits, false, false, 0, entry, &kind))
		return kind;
	if (levels >= 3 &&
	    pte_step(&table, addr, ps + 2 * bits, false, true, PTE_LEAF_PUD, entry, &kind))
		return kind;
	if (pte_step(&table, addr, ps + bits, false, true, PTE_LEAF_PMD, entry, &kind))
		return kind;
	pte_step(&table, addr, ps, true, false, PTE_LEAF_PTE, entry, &kind);
	return kind;
}

/*
 * The same, from the module's kfunc, which also describes the page. It looks
 * in the current task's address space: a fault in another one (a remote
 * GUP) is left unknown.
 */
static __always_inline unsigned int pte_lookup_kf(struct vm_area_struct *vma, u64 addr,
						  u64 *entry, struct fault_page *pg)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct fault_pte p = {};

	*entry = 0;
	if (BPF_CORE_READ(vma, vm_mm) != BPF_CORE_READ(task, mm))
		return PTE_UNKNOWN;
	/* The page is shown only with --events: do not pay for it otherwise. */
	if (vmatlas_pte_get(addr, want_events ? FAULT_PTE_GET_PAGE : 0, &p, sizeof(p)))
		return PTE_UNKNOWN;
	*entry = p.entry;
	if (p.out_flags & FAULT_PTE_PAGE) {
		pg->flags = p.page_flags;
		pg->mapcount = p.mapcount;
		pg->refcount = p.refcount;
	}
	if (p.out_flags & FAULT_PTE_SWAP)
		return PTE_SWAP;
	if (!(p.out_flags & FAULT_PTE_PRESENT))
		return PTE_NONE;
	/* VMATLAS_LEVEL_PUD, _PMD: the leaf's level, whatever its size. */
	if (p.level == 2)
		return PTE_LEAF_PUD;
	if (p.level == 3)
		return PTE_LEAF_PMD;
	return PTE_LEAF_PTE;
}

/* The leaf entry for @addr, from the kfunc (@kf) or the BPF walk. */
static __always_inline unsigned int leaf_lookup(struct vm_area_struct *vma, u64 addr, bool kf,
						u64 *entry, struct fault_page *pg)
{
	pg->flags = 0;
	pg->mapcount = -1;
	pg->refcount = -1;
	if (kf)
		return pte_lookup_kf(vma, addr, entry, pg);
	return pte_lookup(BPF_CORE_READ(vma, vm_mm), addr, entry);
}

static __always_inline void add(u32 slot, u64 n)
{
	u64 *c = bpf_map_lookup_elem(&counters, &slot);

	if (c)
		*c += n;
}

/* floor(log2(v)) by halving the search, capped to the histogram: no loop. */
static __always_inline u32 log2_slot(u64 v)
{
	u32 r = 0, s;

	s = (v >= 1ULL << 32) << 5;
	v >>= s;
	r |= s;
	s = (v >= 1ULL << 16) << 4;
	v >>= s;
	r |= s;
	s = (v >= 1ULL << 8) << 3;
	v >>= s;
	r |= s;
	s = (v >= 1ULL << 4) << 2;
	v >>= s;
	r |= s;
	s = (v >= 1ULL << 2) << 1;
	v >>= s;
	r |= s;
	r |= v >> 1;
	return r < HIST_SLOTS ? r : HIST_SLOTS - 1;
}

/* One more fault on the page of @address, in the VMA @key names (vma_key()), for top_pages. */
static __always_inline void count_page(const struct fault_key *key, u64 address)
{
	struct fault_key page = *key;
	u64 one = 1, *n;

	page.addr = address & ~((1ULL << fmt.page_shift) - 1);
	n = bpf_map_lookup_elem(&pages, &page);
	if (n)
		*n += 1;
	else
		bpf_map_update_elem(&pages, &page, &one, BPF_NOEXIST);
}

static __always_inline void add_hist(u64 latency)
{
	u32 slot = log2_slot(latency);
	u64 *h = bpf_map_lookup_elem(&hist, &slot);

	if (h)
		*h += 1;
}

static __always_inline unsigned int classify(struct vm_area_struct *vma, unsigned int flags,
					     unsigned int ret, unsigned int level_before,
					     u64 pte_before, u64 pte_after)
{
	unsigned int write = bpf_core_enum_value(enum fault_flag, FAULT_FLAG_WRITE);
	unsigned int tried = bpf_core_enum_value(enum fault_flag, FAULT_FLAG_TRIED);

	if (ret & VM_FAULT_SIGSEGV)
		return FC_SIGSEGV;
	if (ret & (VM_FAULT_SIGBUS | VM_FAULT_HWPOISON | VM_FAULT_HWPOISON_LARGE))
		return FC_SIGBUS;
	if (ret & VM_FAULT_OOM)
		return FC_OOM;
	if (ret & FAULT_ERROR)
		return FC_ERROR;
	if (ret & VM_FAULT_RETRY)
		return FC_RETRY;
	if (level_before == PTE_SWAP)
		return FC_SWAP_IN;
	if ((ret & VM_FAULT_MAJOR) || (flags & tried))
		return FC_MAJOR;
	if (level_before == PTE_NONE)
		return BPF_CORE_READ(vma, vm_file) ? FC_PAGE_CACHE : FC_FIRST_TOUCH;
	if ((flags & write) && level_before != PTE_UNKNOWN && !(pte_before & fmt.write))
		return (pte_before & fmt.addr) != (pte_after & fmt.addr) ?
		       FC_COW : FC_WRITE_PROTECT;
	return FC_MINOR;
}

static __always_inline int on_enter(struct vm_area_struct *vma, unsigned long address,
				    unsigned int flags, struct pt_regs *regs, bool kf)
{
	struct fault_start *s;

	if (!traced())
		return 0;
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), NULL,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s)
		return 0;
	s->level = leaf_lookup(vma, address, kf, &s->pte, &s->page);
	s->vma = vma;
	s->address = address;
	s->flags = flags;
	s->regs = regs;
	s->ts = bpf_ktime_get_ns();
	return 0;
}

static __always_inline int on_exit(struct vm_area_struct *vma, unsigned long address,
				   unsigned int flags, struct pt_regs *regs, vm_fault_t ret,
				   bool kf)
{
	unsigned int tried = bpf_core_enum_value(enum fault_flag, FAULT_FLAG_TRIED);
	unsigned int write = bpf_core_enum_value(enum fault_flag, FAULT_FLAG_WRITE);
	struct fault_start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), NULL, 0);
	u64 now = bpf_ktime_get_ns(), latency, pte_after = 0;
	unsigned int level_after, class, counted = 0;
	struct fault_page page_after = { .mapcount = -1, .refcount = -1 };
	struct fault_event *e;
	struct fault_key key;
	struct vma_stat *st;

	if (!s || !s->ts)
		return 0;
	latency = now - s->ts;
	/*
	 * The entry after the fault tells COW (new frame) from write-protect
	 * (same frame); otherwise only --events needs it: skip a lookup.
	 */
	level_after = PTE_UNKNOWN;
	if (want_events ||
	    ((flags & write) && s->level >= PTE_LEAF_PTE && s->level <= PTE_LEAF_PUD))
		level_after = leaf_lookup(vma, address, kf, &pte_after, &page_after);
	class = classify(vma, flags, ret, s->level, s->pte, pte_after);
	add(class, 1);
	key = vma_key(vma);
	st = vma_record(vma, &key);
	/* mm_account_fault(): retries and errors are not faults of the task. */
	if (!(ret & (VM_FAULT_RETRY | FAULT_ERROR))) {
		counted = ((ret & VM_FAULT_MAJOR) || (flags & tried)) ? 2 : 1;
		add(counted == 2 ? FC_COUNTED_MAJOR : FC_COUNTED_MINOR, 1);
		account_vma(st, counted == 2, latency);
		add_hist(latency);
		if (want_pages)
			count_page(&key, address);
	}

	if (want_events) {
		e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
		if (!e)
			add(FC_DROPPED, 1);
		if (e) {
			__builtin_memset(e, 0, sizeof(*e));
			e->ts_ns = now;
			e->latency_ns = latency;
			e->addr = address;
			e->ip = regs ? PT_REGS_IP_CORE(regs) : 0;
			e->vma_start = key.addr;
			e->vma_end = BPF_CORE_READ(vma, vm_end);
			e->pte_before = s->pte;
			e->pte_after = pte_after;
			e->level_before = s->level;
			e->level_after = level_after;
			e->page_before = s->page;
			e->page_after = page_after;
			e->tid = (u32)bpf_get_current_pid_tgid();
			e->pid = key.tgid;
			e->mm = key.mm;
			e->fault_flags = flags;
			e->ret = ret;
			e->class = class;
			e->counted = counted;
			e->has_esr = s->has_esr;
			e->esr = s->esr;
			bpf_ringbuf_submit(e, 0);
		}
	}
	s->ts = 0;
	/* A retry is the same exception: its syndrome stays. */
	if (!(ret & VM_FAULT_RETRY))
		s->has_esr = false;
	return 0;
}

/*
 * arm64: do_mem_abort() is handed the syndrome (ESR_EL1) of each data and
 * instruction abort, before do_page_fault() (which ftrace cannot attach to:
 * it lives in .kprobes.text) calls handle_mm_fault(): what the MMU said,
 * beside what the kernel then did. Counted here, once per exception; kept
 * for the fault's event. Kprobe-blacklisted too: fentry only.
 */
SEC("fentry/do_mem_abort")
int BPF_PROG(fault_syndrome, unsigned long far, unsigned long esr, struct pt_regs *regs)
{
	struct fault_start *s;

	if (!traced())
		return 0;
	add(esr_fsc_slot(ESR_FSC(esr)), 1);
	s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), NULL,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (s) {
		s->esr = esr;
		s->has_esr = true;
	}
	return 0;
}

/* BPF trampolines: the arguments at both ends. */
SEC("fentry/handle_mm_fault")
int BPF_PROG(fault_enter, struct vm_area_struct *vma, unsigned long address, unsigned int flags,
	     struct pt_regs *regs)
{
	return on_enter(vma, address, flags, regs, false);
}

SEC("fexit/handle_mm_fault")
int BPF_PROG(fault_exit, struct vm_area_struct *vma, unsigned long address, unsigned int flags,
	     struct pt_regs *regs, vm_fault_t ret)
{
	return on_exit(vma, address, flags, regs, ret, false);
}

SEC("fentry/handle_mm_fault")
int BPF_PROG(fault_enter_kf, struct vm_area_struct *vma, unsigned long address,
	     unsigned int flags, struct pt_regs *regs)
{
	return on_enter(vma, address, flags, regs, true);
}

SEC("fexit/handle_mm_fault")
int BPF_PROG(fault_exit_kf, struct vm_area_struct *vma, unsigned long address,
	     unsigned int flags, struct pt_regs *regs, vm_fault_t ret)
{
	return on_exit(vma, address, flags, regs, ret, true);
}

/* kprobes, where there are no trampolines: the return sees what entry kept. */
SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(fault_kprobe, struct vm_area_struct *vma, unsigned long address,
	       unsigned int flags, struct pt_regs *regs)
{
	return on_enter(vma, address, flags, regs, false);
}

/* The return: what the entry kept stands in for the arguments. */
static __always_inline int on_return(vm_fault_t ret, bool kf)
{
	struct fault_start *s = bpf_task_storage_get(&starts, bpf_get_current_task_btf(), NULL, 0);

	if (!s)
		return 0;
	return on_exit(s->vma, s->address, s->flags, s->regs, ret, kf);
}

SEC("kretprobe/handle_mm_fault")
int BPF_KRETPROBE(fault_kretprobe, vm_fault_t ret)
{
	return on_return(ret, false);
}

SEC("kprobe/handle_mm_fault")
int BPF_KPROBE(fault_kprobe_kf, struct vm_area_struct *vma, unsigned long address,
	       unsigned int flags, struct pt_regs *regs)
{
	return on_enter(vma, address, flags, regs, true);
}

SEC("kretprobe/handle_mm_fault")
int BPF_KRETPROBE(fault_kretprobe_kf, vm_fault_t ret)
{
	return on_return(ret, true);
}

/*
 * The x86 exception tracepoint, before the fault takes any lock: the address,
 * the registers and the hardware error code. The VMA comes from
 * bpf_find_vma() (which try-locks the mmap lock), the class from the entry
 * before the fault only; what the fault then did is not seen here.
 */
struct user_fault {
	u64 address;
	u64 ip;
	unsigned int flags;
};

static __always_inline long on_user_fault(struct vm_area_struct *vma, struct user_fault *f,
					  bool kf)
{
	struct fault_key key = vma_key(vma);
	struct fault_page pg;
	struct fault_event *e;
	unsigned int level, class;
	u64 entry;

	level = leaf_lookup(vma, f->address, kf, &entry, &pg);
	if (level == PTE_SWAP)
		class = FC_SWAP_IN;
	else if (level == PTE_NONE)
		class = BPF_CORE_READ(vma, vm_file) ? FC_PAGE_CACHE : FC_FIRST_TOUCH;
	else
		class = FC_MINOR;
	add(class, 1);
	account_vma(vma_record(vma, &key), false, 0);
	if (want_pages)
		count_page(&key, f->address);
	if (!want_events)
		return 0;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		add(FC_DROPPED, 1);
		return 0;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->addr = f->address;
	e->ip = f->ip;
	e->vma_start = key.addr;
	e->vma_end = BPF_CORE_READ(vma, vm_end);
	e->pte_before = entry;
	e->level_before = level;
	e->level_after = PTE_UNKNOWN;
	e->page_before = pg;
	e->page_after.mapcount = -1;
	e->page_after.refcount = -1;
	e->tid = (u32)bpf_get_current_pid_tgid();
	e->pid = key.tgid;
	e->mm = key.mm;
	e->fault_flags = f->flags;
	e->class = class;
	bpf_ringbuf_submit(e, 0);
	return 0;
}

static long user_fault_vma(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	return on_user_fault(vma, data, false);
}

static long user_fault_vma_kf(struct task_struct *task, struct vm_area_struct *vma, void *data)
{
	return on_user_fault(vma, data, true);
}

/* The error code as fault flags: X86_PF_WRITE (1 << 1), X86_PF_INSTR (1 << 4). */
static __always_inline unsigned int user_fault_flags(unsigned long error_code)
{
	unsigned int flags = bpf_core_enum_value(enum fault_flag, FAULT_FLAG_USER);

	if (error_code & 2)
		flags |= bpf_core_enum_value(enum fault_flag, FAULT_FLAG_WRITE);
	if (error_code & 16)
		flags |= bpf_core_enum_value(enum fault_flag, FAULT_FLAG_INSTRUCTION);
	return flags;
}

static __always_inline int on_user_exception(unsigned long address, struct pt_regs *regs,
					     unsigned long error_code, bool kf)
{
	struct user_fault f = {
		.address = address,
		.ip = PT_REGS_IP_CORE(regs),
		.flags = user_fault_flags(error_code),
	};
	struct task_struct *task = bpf_get_current_task_btf();

	if (!traced())
		return 0;
	add(FC_EXCEPTIONS, 1);
	if (kf)
		bpf_find_vma(task, address, user_fault_vma_kf, &f, 0);
	else
		bpf_find_vma(task, address, user_fault_vma, &f, 0);
	return 0;
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(fault_user_tp, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_user_exception(address, regs, error_code, false);
}

SEC("tp_btf/page_fault_user")
int BPF_PROG(fault_user_tp_kf, unsigned long address, struct pt_regs *regs,
	     unsigned long error_code)
{
	return on_user_exception(address, regs, error_code, true);
}

/*
 * A process forked by the tool (the command) or by a traced process is traced
 * too. The tracepoint fires in the parent before the child first runs: no
 * fault of the child comes before it. A new thread is of a process already
 * known, or not.
 */
SEC("tp_btf/sched_process_fork")
int BPF_PROG(fork_follow, struct task_struct *parent, struct task_struct *child)
{
	u32 ptgid = parent->tgid, ctgid = child->tgid;
	u8 one = 1;

	if (ctgid == ptgid)
		return 0;
	if (ptgid != targ_parent && !bpf_map_lookup_elem(&traced_tgids, &ptgid))
		return 0;
	if (bpf_map_update_elem(&traced_tgids, &ctgid, &one, BPF_ANY))
		add(FC_UNFOLLOWED, 1);
	return 0;
}

/*
 * The last thread of a traced process is leaving: it has dropped its memory
 * (exit_mm() comes first) and faults no more; its tgid may be reused.
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(exit_follow, struct task_struct *p)
{
	u32 tgid = p->tgid;

	if (!bpf_map_lookup_elem(&traced_tgids, &tgid) || p->signal->live.counter)
		return 0;
	bpf_map_delete_elem(&traced_tgids, &tgid);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
