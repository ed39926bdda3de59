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
# "vmatlas-bench others" measures what tracing one process costs the others:
# a bystander makes FAULTS write faults (4 MiB touched, MADV_DONTNEED, again)
# with no tracer, with "vmatlas faults -p" on a target, and with
# "vmatlas faults -- TARGET" (the filter for a command and its descendants),
# ROUNDS rounds interleaved; the target makes 4096 faults while traced and
# then sleeps. Printed: the bystander's median time and throughput, and its
# time traced-elsewhere / untraced: median (min-max) of the rounds' ratios.
# Where the VM was given an earlier build of the tool as vmatlas-baseline
# (make bench VMATLAS_BENCH_BASELINE=FILE), it is timed too, in the same
# rounds ("pid-baseline", "command-baseline").
#
# Usage: vmatlas-bench [PAGES [ROUNDS]]   (the tests run a small one)
#        vmatlas-bench others [FAULTS [ROUNDS]]

median() {
	tr ' ' '\n' | sed '/^$/d' | sort -n >/tmp/bench.sorted
	sed -n "$((($(wc -l </tmp/bench.sorted) + 1) / 2))p" /tmp/bench.sorted
}
var() { echo "t_$1" | sed "s/-/_/g"; }

# The bystander, alone: prints its nanoseconds, or FAILED.
bystander() {
	rm -f /tmp/bench.bys
	VMATLAS_WORKLOAD=churn VMATLAS_WORKLOAD_N=$1 VMATLAS_WORKLOAD_OUT=/tmp/bench.bys \
		/tests/faults_test
	if [ -s /tmp/bench.bys ]; then awk '{ print $4 }' /tmp/bench.bys; else echo FAILED; fi
}

# Wait (at most 10 minutes) until the file $1 is not empty.
wait_for() {
	n=0
	while [ ! -s "$1" ] && [ $n -lt 6000 ]; do sleep 0.1; n=$((n + 1)); done
	[ -s "$1" ]
}

# Wait until the tracer $1 holds BPF links: it has attached.
wait_attached() {
	n=0
	while ! ls -l /proc/"$1"/fd 2>/dev/null | grep -q bpf_link; do
		[ $n -lt 6000 ] && [ -d /proc/"$1" ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# One round of one side: "untraced", "pid" or "command", with "-baseline":
# the tool the VM was given as vmatlas-baseline; the bystander's ns.
others_run() {
	tgt=/tmp/bench.target
	rm -f $tgt /tmp/bench.go
	target=
	tool=vmatlas
	case $1 in *-baseline) tool=vmatlas-baseline ;; esac
	case ${1%-baseline} in
	untraced)
		bystander "$2"
		return
		;;
	pid)
		VMATLAS_WORKLOAD=target VMATLAS_WORKLOAD_N=4096 VMATLAS_WORKLOAD_OUT=$tgt \
			VMATLAS_WORKLOAD_GO=/tmp/bench.go /tests/faults_test &
		target=$!
		$tool faults -p $target >/dev/null 2>&1 &
		tracer=$!
		wait_attached $tracer && touch /tmp/bench.go
		;;
	command)
		VMATLAS_WORKLOAD=target VMATLAS_WORKLOAD_N=4096 VMATLAS_WORKLOAD_OUT=$tgt \
			$tool faults -- /tests/faults_test >/dev/null 2>&1 &
		tracer=$!
		;;
	esac
	if [ -n "$target" ] && [ ! -e /tmp/bench.go ]; then
		echo FAILED
	elif wait_for $tgt && kill -0 $tracer 2>/dev/null; then
		bystander "$2"
	else
		echo FAILED
	fi
	[ -s $tgt ] && kill "$(cat $tgt)"
	[ -n "$target" ] && { kill $target 2>/dev/null; wait $target; }
	kill -INT $tracer 2>/dev/null
	wait $tracer
}

# "$2 / $1", round by round: "median (min-max)" of the ratios.
paired() {
	echo "$1" "$2" | awk '{ n = NF / 2; for (i = 1; i <= n; i++) r[i] = $(n + i) / $i
		for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
			if (r[j] < r[i]) { t = r[i]; r[i] = r[j]; r[j] = t }
		printf "%.2fx (%.2f-%.2f)", r[int((n + 1) / 2)], r[1], r[n] }'
}

if [ "$1" = others ]; then
	faults=${2:-65536}
	rounds=${3:-11}
	sides="untraced pid command"
	command -v vmatlas-baseline >/dev/null && sides="$sides pid-baseline command-baseline"
	for w in $sides; do eval "$(var $w)=''"; done
	i=0
	while [ $i -lt "$rounds" ]; do
		i=$((i + 1))
		for w in $sides; do
			v=$(var $w)
			eval "$v=\"\$$v $(others_run $w "$faults")\""
		done
	done
	echo "faults benchmark, tracing one process among others: a bystander's $faults faults,"
	echo "  medians of $rounds interleaved rounds; ratio: bystander time / untraced, same round"
	status=0
	for w in $sides; do
		eval "runs=\$$(var $w)"
		case $runs in *FAILED*) echo "  $w FAILED: $runs"; status=1; continue ;; esac
		m=$(echo $runs | median)
		printf '  %-16s median %6d ms  %7d faults/s  ratio %s\n' "$w" $((m / 1000000)) \
			"$(awk -v f="$faults" -v t="$m" 'BEGIN { printf "%d", f / t * 1e9 }')" \
			"$(paired "$t_untraced" "$runs")"
		echo "    runs (ms):$(for v in $runs; do printf ' %d' $((v / 1000000)); done)"
	done
	# The same rounds, this build against the baseline: the fix, paired.
	for w in pid command; do
		case $sides in *$w-baseline*) ;; *) continue ;; esac
		eval "base=\$t_${w}_baseline runs=\$t_$w"
		case "$base $runs" in *FAILED*) continue ;; esac
		printf '  %s / %s-baseline, same round: %s\n' $w $w "$(paired "$base" "$runs")"
	done
	exit $status
fi

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
ways="untraced fentry fentry-top0 kprobe"
# The page_fault_user tracepoint is x86's.
tp=/sys/kernel/tracing/events/exceptions/page_fault_user
[ -d $tp ] && ways="$ways tracepoint"
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
[ -d $tp ] || echo "  (no tracepoint way: this kernel has no page_fault_user tracepoint)"
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
