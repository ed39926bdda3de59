// SPDX-License-Identifier: GPL-2.0
/*
 * For kfunc_test: call the module's kfunc vmatlas_pte_get() with the cases
 * user space wrote into .bss, once, in the test process's own getppid(),
 * and keep each return value and the bytes it wrote. Deliberately not the
 * tracer's code: the test holds the kfunc to its ABI, not to how the
 * tracer happens to call it.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#define CASES		8
#define OUT_SIZE	80	/* struct vmatlas_pte is 64 bytes: room to see the rest zeroed */

extern int vmatlas_pte_get(u64 addr, u32 flags, void *pte, u32 pte__sz) __ksym;

const volatile int targ_tgid;
/* getppid()'s number on this architecture (110 on x86-64, 173 on arm64). */
const volatile long targ_nr;

__u64 case_addr[CASES];
__u32 case_flags[CASES];
__u32 case_size[CASES];
int case_ret[CASES];
unsigned char case_out[CASES][OUT_SIZE];
int ncases;
int done;

SEC("tp_btf/sys_enter")
int BPF_PROG(kfunc_probe, struct pt_regs *regs, long id)
{
	int i;

	if (id != targ_nr || (bpf_get_current_pid_tgid() >> 32) != targ_tgid || done)
		return 0;
	for (i = 0; i < CASES; i++) {
		u32 size = case_size[i];

		if (i >= ncases)
			break;
		if (size < 1 || size > OUT_SIZE)
			continue;
		__builtin_memset(case_out[i], 0xff, OUT_SIZE);
		case_ret[i] = vmatlas_pte_get(case_addr[i], case_flags[i], case_out[i], size);
	}
	done = 1;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
