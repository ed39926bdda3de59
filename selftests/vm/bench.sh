#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the VM ("make bench"): the cost of tracing. A workload touches a
# million fresh pages (1,048,576 page faults), alternately alone and under
# "vmatlas faults", three times each, in this one boot; the medians and
# their ratio are printed. TCG emulates the CPU: compare the ratio, not the
# times, with a real machine.

pages=1048576
out=/tmp/bench.out
export VMATLAS_WORKLOAD=bench VMATLAS_WORKLOAD_N=$pages VMATLAS_WORKLOAD_OUT=$out

run_plain() { /tests/faults_test; awk '{ print $4 }' $out; }
run_traced() { vmatlas faults -- /tests/faults_test >/dev/null 2>&1; awk '{ print $4 }' $out; }
median() { sort -n | sed -n 2p; }

plain="" traced=""
for i in 1 2 3; do
	plain="$plain $(run_plain)"
	traced="$traced $(run_traced)"
done
p=$(echo $plain | tr ' ' '\n' | median)
t=$(echo $traced | tr ' ' '\n' | median)
echo "faults benchmark: $pages page faults"
echo "  untraced: median $((p / 1000000)) ms   (runs:$(for v in $plain; do printf ' %d' $((v / 1000000)); done))"
echo "  traced:   median $((t / 1000000)) ms   (runs:$(for v in $traced; do printf ' %d' $((v / 1000000)); done))"
echo "  slowdown: $(awk -v p="$p" -v t="$t" 'BEGIN { printf "%.1f%%", (t / p - 1) * 100 }')"
