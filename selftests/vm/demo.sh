#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows inside the VM: each step prints the command, then
# what vmatlas says, next to what the kernel says through another door.

step()
{
	echo
	echo "\$ $*"
	"$@"
}

echo "=== vmatlas on $(uname -r) ($(uname -m)) ==="
step vmatlas info
step cat /sys/kernel/debug/vmatlas/info

# A process to look at: a shell that sleeps.
sleep 600 &
pid=$!
sleep 1
echo
echo "--- the address space of pid $pid ($(cat /proc/$pid/comm)) ---"
step vmatlas maps "$pid"
step cat "/proc/$pid/maps"

# The top page of its stack has been written: a present, dirty PTE.
stack_end=$(awk '/\[stack\]/ { split($1, a, "-"); print a[2] }' "/proc/$pid/maps")
top=$(printf '0x%x' $((0x$stack_end - 16)))
echo
echo "--- one address, level by level ---"
step vmatlas walk "$pid" "$top"
echo
echo "\$ vmatlas walk --json $pid $top | head -12"
vmatlas walk --json "$pid" "$top" | head -12

stack_start=$(awk '/\[stack\]/ { split($1, a, "-"); print a[1] }' "/proc/$pid/maps")
echo
echo "--- the page tables of its stack, as runs ---"
step vmatlas ptdump "$pid" --start "0x$stack_start" --end "0x$stack_end"
kill "$pid"

echo
echo "--- the kernel's own address space ---"
step vmatlas layout
# A kernel text address and a module address, from /proc/kallsyms and
# /proc/modules (root sees them), next to a user address and a non-address.
text=$(awk '$3 == "_printk" { print "0x" $1 }' /proc/kallsyms)
module=$(awk '$1 == "vmatlas" { print $6 }' /proc/modules)
step vmatlas kaddr "$text" "$module" 0x400000 0x8000000000000000
step vmatlas lab kmalloc 12K
step vmatlas lab vmalloc 16K
step vmatlas lab kmap 8K

echo
echo "--- page faults, traced with eBPF ---"
step vmatlas faults -- ls /

# A fork, then writes: copy-on-write breaks in the child. With the module's
# kfunc (6.12) the page's mapcount shows the sharing end (2 before, 1 after).
echo
echo "\$ vmatlas faults --events -- sh -c 'x=1; (x=2; echo child)' | grep -E 'TID|cow'"
vmatlas faults --events -- sh -c 'x=1; (x=2; echo child)' 2>/dev/null | grep -E 'TID|cow' |
	head -8

# The module's own requests, as tracepoints.
if [ -d /sys/kernel/tracing/events/vmatlas ]; then
	# No task-name recording: it would patch the scheduler's hot paths.
	echo 0 >/sys/kernel/tracing/options/record-cmd
	echo 1 >/sys/kernel/tracing/events/vmatlas/enable
	vmatlas maps $$ >/dev/null
	echo 0 >/sys/kernel/tracing/events/vmatlas/enable
	echo
	echo "\$ vmatlas maps $$; grep -o 'vmatlas_vmas:.*' /sys/kernel/tracing/trace"
	grep -o 'vmatlas_vmas:.*' /sys/kernel/tracing/trace
fi
