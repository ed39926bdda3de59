#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The benchmark behind "make bench", small: it must run every way to attach
# and print a median and a slowdown for each. The numbers are not judged
# (no timing thresholds in tests): "make bench" is where they are read.

. /tests/sh/drift.sh

echo "TAP version 13"
echo "1..4"

if ! vmatlas faults -p 1 -d 0.1 >/dev/null 2>/tmp/bench_test.err &&
	grep -q "without BPF" /tmp/bench_test.err; then
	echo "ok 1 bench_runs_every_way # SKIP this build has no BPF (32-bit)"
	echo "ok 2 bench_others_runs_every_side # SKIP this build has no BPF (32-bit)"
	echo "ok 3 sample_bench-faults # SKIP this build has no BPF (32-bit)"
	echo "ok 4 sample_bench-others # SKIP this build has no BPF (32-bit)"
	exit 0
fi

out=$(vmatlas-bench 16384 1)
echo "$out" | sed 's/^/# /'
echo "$out" >/tmp/bench-faults.out
ways=$(echo "$out" | grep -cE \
	'^  (fentry|fentry-top0|kprobe|tracepoint) +median +[0-9]+ ms .*slowdown -?[0-9]+\.[0-9]%$')
base=$(echo "$out" | grep -cE '^  untraced +median +[0-9]+ ms')
# Three ways where the kernel has no page_fault_user tracepoint (x86 has).
want=4
[ -d /sys/kernel/tracing/events/exceptions/page_fault_user ] || want=3
if [ "$ways" = "$want" ] && [ "$base" = 1 ] && ! echo "$out" | grep -q FAILED; then
	echo "ok 1 bench_runs_every_way"
else
	echo "not ok 1 bench_runs_every_way"
	fail=1
fi

# Tracing one process among others: a bystander's throughput on each side.
out=$(vmatlas-bench others 4096 1)
echo "$out" | sed 's/^/# /'
echo "$out" >/tmp/bench-others.out
sides=$(echo "$out" | grep -cE \
	'^  (untraced|pid|command) +median +[0-9]+ ms +[0-9]+ faults/s +ratio [0-9.]+x \([0-9.]+-[0-9.]+\)$')
if [ "$sides" = 3 ] && ! echo "$out" | grep -q FAILED; then
	echo "ok 2 bench_others_runs_every_side"
else
	echo "not ok 2 bench_others_runs_every_side"
	fail=1
fi

# The documentation shows make bench's output: the same lines, bigger numbers.
bench_sample bench-faults "vmatlas-bench 16384 1" /tmp/bench-faults.out
rc=$?
bench_sample_result 3 bench-faults $rc
[ $rc = 1 ] && fail=1
bench_sample bench-others "vmatlas-bench others 4096 1" /tmp/bench-others.out
rc=$?
bench_sample_result 4 bench-others $rc
[ $rc = 1 ] && fail=1
exit ${fail:-0}
