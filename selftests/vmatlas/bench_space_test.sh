#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The address-space benchmark behind "make bench", small: each benchmark
# must find both sides agreeing (resident pages, VMAs, frames) and print a
# ratio. The times are not judged (no timing thresholds in tests).

. /tests/sh/drift.sh

echo "TAP version 13"
echo "1..7"

# As it goes, so that a benchmark that hangs shows where.
{ vmatlas-bench-space -n 500 -t 16 -g 1 -r 1 2>&1; echo "exit $?"; } |
	tee /tmp/bench_space.out | sed 's/^/# /'
out=$(sed '$d' /tmp/bench_space.out)
rc=$(sed -n '$s/^exit //p' /tmp/bench_space.out)
# The benchmark is built for the target's own architecture (i386 on PAE).
case $(uname -m) in
x86_64 | aarch64) bits=64 ;;
*) bits=32 ;;
esac
levels=$(vmatlas info --json 2>/dev/null | sed -n 's/.*"levels": *\([0-9]*\).*/\1/p')

# check N NAME PATTERN WANT: WANT lines match PATTERN, and none FAILED.
n=0
check()
{
	n=$((n + 1))
	got=$(echo "$out" | grep -cE "$2")
	if [ "$rc" = 0 ] && [ "$got" = "$3" ] && ! echo "$out" | grep -q FAILED; then
		echo "ok $n $1"
	else
		echo "not ok $n $1 # $got lines match, want $3; exit $rc"
		fail=1
	fi
}
ratio=' +[0-9]+\.[0-9]+ ms +[0-9]+\.[0-9]+x \([0-9.]+-[0-9.]+\)$'

scan=1
echo "$out" | grep -q "PAGEMAP_SCAN *not in this kernel" && scan=0
check residency_sides_agree_and_are_timed \
	"^residency: (VMAS ioctl|vmatlas maps --json) .*$ratio|^# residency: .* same answer: [1-9]" \
	$((4 + scan))
query=1
echo "$out" | grep -q "PROCMAP_QUERY *not in this kernel" && query=0
check listing_sides_agree_and_are_timed \
	"^listing: VMAS ioctl .*$ratio|^# listing: .* same answer: [1-9]" $((1 + query + 1))
check translation_sides_agree_and_are_timed \
	"^translate: (WALK, one per call|TRANSLATE, one (per )?call) .*$ratio|^# translate: .*same answer for [1-9][0-9]* frames" 10
check target_keeps_running_and_walker_dies_of_sigkill \
	"^stall: mmap\+munmap p(99|50), [a-z ]+ .*$ratio|^# stall: [1-9][0-9]* mmap\+munmap pairs while walked, [1-9]|^kill: SIGKILL to reaped, max +[0-9]+\.[0-9]+ ms" 8
mems=1
[ "$bits" = 64 ] && mems=2
# What the memory figure was replayed from: a few of its events.
grep -m 6 -E " (kmalloc|kfree|mm_page_alloc):" /tmp/vmatlas-bench-memory.trace 2>/dev/null |
	sed 's/^/# trace: /'
check walk_memory_is_measured \
	"^memory: whole walk, [0-9]+ [GT]iB +[0-9]+\.[0-9] KiB slab +[0-9]+\.[0-9] KiB pages" $mems
spans=0
[ "$bits" = 64 ] && spans=1
[ "$bits" = 64 ] && [ "$levels" = 5 ] && spans=2
# 64 MiB touched: 16384 pages of 4 KiB, 4096 of 16 KiB.
page=$(vmatlas info --json 2>/dev/null | sed -n 's/.*"page_size": *\([0-9]*\).*/\1/p')
check span_sides_agree_and_are_timed \
	"^span: (64 TiB|[0-9]+ PiB) reservation .*$ratio|^# span: .* same answer: $((67108864 / ${page:-4096})) resident" \
	$((2 * spans))

# The documentation shows make bench's output: the same lines, bigger numbers.
echo "$out" >/tmp/bench-space.out
bench_sample bench-space "vmatlas-bench-space -n 500 -t 16 -g 1 -r 1" /tmp/bench-space.out
rc=$?
bench_sample_result $((n + 1)) bench-space $rc
[ $rc = 1 ] && fail=1
exit ${fail:-0}
