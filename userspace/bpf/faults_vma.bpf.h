/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The fault tracer's record of each VMA it saw a fault in, in each process
 * (faults.bpf.c includes it): its name, inode and end, made at the first
 * fault, and the faults counted in it, which user space reads for its
 * per-VMA table and to name each event's VMA.
 */
#ifndef _VMATLAS_FAULTS_VMA_BPF_H
#define _VMATLAS_FAULTS_VMA_BPF_H

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct fault_key);
	__type(value, struct vma_stat);
} vmas SEC(".maps");

/*
 * The key of @vma's record: its start, in its address space, of the
 * current process. Made once a fault: its page's key, and the event's
 * pid, mm and VMA start, are read off it.
 */
static __always_inline struct fault_key vma_key(struct vm_area_struct *vma)
{
	struct fault_key key = {
		.mm = (u64)BPF_CORE_READ(vma, vm_mm),
		.addr = BPF_CORE_READ(vma, vm_start),
		.tgid = bpf_get_current_pid_tgid() >> 32,
	};

	return key;
}

static __always_inline void vma_name(struct vm_area_struct *vma, struct vma_stat *st)
{
	struct file *file = BPF_CORE_READ(vma, vm_file);
	struct mm_struct *mm = BPF_CORE_READ(vma, vm_mm);
	u64 start = BPF_CORE_READ(vma, vm_start), end = BPF_CORE_READ(vma, vm_end);

	if (file) {
		const unsigned char *name = BPF_CORE_READ(file, f_path.dentry, d_name.name);

		bpf_probe_read_kernel_str(st->name, sizeof(st->name), name);
		st->ino = BPF_CORE_READ(file, f_inode, i_ino);
	} else if (start <= BPF_CORE_READ(mm, brk) && end >= BPF_CORE_READ(mm, start_brk)) {
		__builtin_memcpy(st->name, "[heap]", 7);
	} else if (start <= BPF_CORE_READ(mm, start_stack) &&
		   end >= BPF_CORE_READ(mm, start_stack)) {
		__builtin_memcpy(st->name, "[stack]", 8);
	}
}

/*
 * The record of @vma (@key: vma_key()), made at the first fault in it that
 * the tracer sees, counted or not: a retried fault's event, which user
 * space may read before the retry ends, names its VMA too.
 */
static __always_inline struct vma_stat *vma_record(struct vm_area_struct *vma,
						   const struct fault_key *key)
{
	struct vma_stat *st = bpf_map_lookup_elem(&vmas, key), zero = {};

	if (st)
		return st;
	zero.end = BPF_CORE_READ(vma, vm_end);
	vma_name(vma, &zero);
	bpf_map_update_elem(&vmas, key, &zero, BPF_NOEXIST);
	return bpf_map_lookup_elem(&vmas, key);
}

static __always_inline void account_vma(struct vma_stat *st, bool major, u64 latency)
{
	if (!st)
		return;
	__sync_fetch_and_add(&st->faults, 1);
	if (major)
		__sync_fetch_and_add(&st->major, 1);
	__sync_fetch_and_add(&st->latency_ns, latency);
}

#endif /* _VMATLAS_FAULTS_VMA_BPF_H */
