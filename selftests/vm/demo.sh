#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows inside the VM: each step prints the command, then
# what vmatlas says, next to what the kernel says through another door. A
# step that fails is named on a "vmatlas-demo: FAILED" line and makes the
# demo exit non-zero: make demo (and CI, which runs it) then fails.

failed=0

# fail CMD STATUS: a step went wrong.
fail()
{
	echo "vmatlas-demo: FAILED (exit $2): $1"
	failed=$((failed + 1))
}

step()
{
	echo
	echo "\$ $*"
	"$@" || fail "$*" $?
}

# shown N CMD...: a step of which only the first N lines are shown.
shown()
{
	n=$1
	shift
	echo
	echo "\$ $* | head -$n"
	"$@" >/tmp/demo.out || fail "$*" $?
	head -n "$n" /tmp/demo.out
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
shown 12 vmatlas walk --json "$pid" "$top"

stack_start=$(awk '/\[stack\]/ { split($1, a, "-"); print a[1] }' "/proc/$pid/maps")
echo
echo "--- the page tables of its stack, as runs ---"
step vmatlas ptdump "$pid" --start "0x$stack_start" --end "0x$stack_end"

echo
echo "--- the whole of it drawn: an SVG (--html: a page to explore) and its data ---"
step vmatlas atlas -o /tmp/atlas.svg "$pid"
step ls -l /tmp/atlas.svg
# Each VMA's residency strip as text (p present, H huge, s swapped, . nothing).
echo
echo "\$ vmatlas atlas --json $pid    # each VMA's start and its strip's first 64 bins"
vmatlas atlas --json "$pid" >/tmp/demo.out || fail "vmatlas atlas --json $pid" $?
awk -F'"' '/"rows"/ { r = 1 } r && $2 == "type" { t = $4 } r && $2 == "start" { s = $4 }
	r && $2 == "strip" && t == "vma" { printf "%18s %s\n", s, substr($4, 1, 64) }' /tmp/demo.out
kill "$pid"

# arm64 with 4 KiB pages: a 64 KiB folio (mTHP) fills an aligned run of 16
# PTEs, which the kernel marks with the contiguous hint: one TLB entry for
# the run. dd's 1 MiB buffer, filled from /dev/zero, is made of such folios
# while dd waits for the pipe's reader, which never reads.
. /tests/sh/mthp.sh
if mthp_possible; then
	echo
	echo "--- arm64: 64 KiB folios, one TLB entry each (the contiguous hint) ---"
	mthp_start
	echo "\$ echo always >$mthp_ctl; dd if=/dev/zero bs=1M count=1 | sleep 600 &"
	step vmatlas walk "$mthp_dd" "$(printf '0x%x' $(((0x$mthp_start + 0x1ffff) & ~0xffff)))"
	step vmatlas ptdump "$mthp_dd" --start "0x$mthp_start" --end "0x$mthp_end"
	mthp_stop
fi

echo
echo "--- the lecture notes' claims, acted out and checked ---"
# Every scenario "vmatlas explain" lists; highmem only where there is some,
# segments only on x86.
for name in $(vmatlas explain | awk '{ print $1 }'); do
	if [ "$name" = highmem ] && ! grep -q '^HighTotal: *[1-9]' /proc/meminfo; then
		echo
		echo "(explain highmem: no highmem on this $(uname -m) kernel)"
		continue
	fi
	if [ "$name" = segments ] && [ "$(uname -m)" = aarch64 ]; then
		echo
		echo "(explain segments: segmentation is x86's, arm64 has none)"
		continue
	fi
	step vmatlas explain "$name"
done

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
if vmatlas --help 2>&1 | grep -q 'faults .*not in this build'; then
	# The 32-bit tool is built without BPF.
	echo "(fault tracing is not in this $(uname -m) build of vmatlas)"
else
	step vmatlas faults -- ls /

	# A fork, then writes: copy-on-write breaks in both. With the module's
	# kfunc (6.12) the page's mapcount shows the sharing end (2 before, 1 after).
	# ": " after the subshell: ash runs a last command in place, without fork().
	echo
	echo "\$ vmatlas faults --events -- sh -c 'x=1; (x=2; echo child); :' | grep -E 'TID|cow'"
	vmatlas faults --events -- sh -c 'x=1; (x=2; echo child); :' >/tmp/demo.out 2>/dev/null ||
		fail "vmatlas faults --events -- sh -c ..." $?
	grep -E 'TID|cow' /tmp/demo.out | head -8
fi

# The module's own requests, as tracepoints.
if [ -d /sys/kernel/tracing/events/vmatlas ]; then
	# No task-name recording: it would patch the scheduler's hot paths.
	echo 0 >/sys/kernel/tracing/options/record-cmd
	echo 1 >/sys/kernel/tracing/events/vmatlas/enable
	vmatlas maps $$ >/dev/null || fail "vmatlas maps $$" $?
	echo 0 >/sys/kernel/tracing/events/vmatlas/enable
	echo
	echo "\$ vmatlas maps $$; grep -o 'vmatlas_vmas:.*' /sys/kernel/tracing/trace"
	grep -o 'vmatlas_vmas:.*' /sys/kernel/tracing/trace || fail "no vmatlas_vmas event" 1
fi

echo
if [ "$failed" != 0 ]; then
	echo "vmatlas-demo: $failed step(s) failed"
	exit 1
fi
echo "vmatlas-demo: every step succeeded"
