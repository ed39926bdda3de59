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
