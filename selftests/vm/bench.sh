#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Inside the VM ("make bench"): the cost of tracing. A workload touches a
# million fresh pages (1,048,576 page faults), alone and under
# "vmatlas faults" attached each way it can be, three rounds interleaved in
# this one boot; the medians and their ratio to the untraced median are
# printed. TCG emulates the CPU: compare the ratios, not the times, with a
# real machine.
#
# Usage: vmatlas-bench [PAGES [ROUNDS]]   (the tests run a small one)

pages=${1:-1048576}
rounds=${2:-3}
out=/tmp/bench.out
export VMATLAS_WORKLOAD=bench VMATLAS_WORKLOAD_N=$pages VMATLAS_WORKLOAD_OUT=$out

# One run: "untraced", or how to attach ("-top0": without the per-page
# table); prints nanoseconds, or FAILED.
run() {
	rm -f $out
	case $1 in
	untraced) /tests/faults_test ;;
	*-top0) vmatlas faults --top 0 --attach "${1%-top0}" -- /tests/faults_test >/dev/null 2>&1 ;;
	*) vmatlas faults --attach "$1" -- /tests/faults_test >/dev/null 2>&1 ;;
	esac
	if [ -s $out ]; then awk '{ print $4 }' $out; else echo FAILED; fi
}
median() {
	tr ' ' '\n' | sed '/^$/d' | sort -n >/tmp/bench.sorted
	sed -n "$((($(wc -l </tmp/bench.sorted) + 1) / 2))p" /tmp/bench.sorted
}

ways="untraced fentry fentry-top0 kprobe tracepoint"
var() { echo "t_$1" | sed "s/-/_/g"; }
for w in $ways; do eval "$(var $w)=''"; done
i=0
while [ $i -lt "$rounds" ]; do
	i=$((i + 1))
	for w in $ways; do
		v=$(var $w)
		eval "$v=\"\$$v $(run $w)\""
	done
done

echo "faults benchmark: $pages page faults, medians of $rounds interleaved runs"
base=$(echo $t_untraced | median)
for w in $ways; do
	eval "runs=\$$(var $w)"
	case $runs in *FAILED*) echo "  $w FAILED: $runs"; continue ;; esac
	m=$(echo $runs | median)
	printf '  %-11s median %6d ms  (runs:%s)  %s\n' "$w" $((m / 1000000)) \
		"$(for v in $runs; do printf ' %d' $((v / 1000000)); done)" \
		"$(awk -v p="$base" -v t="$m" -v w="$w" \
			'BEGIN { if (w != "untraced") printf "slowdown %.1f%%", (t / p - 1) * 100 }')"
done
