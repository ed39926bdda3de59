#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make demo / make shell / make bench: build everything for one target of the
# matrix, boot it in QEMU with the module loaded, then run the demo, leave a
# shell, or run the fault-tracing benchmark.
#
# Usage: boot.sh demo|shell|bench [TARGET]    (default target: 6.12-x86_64)
set -u
. "$(dirname "$0")/lib.sh"

mode=${1:-}
name=${2:-6.12-x86_64}
case $mode in
demo | shell | bench) ;;
*) echo "usage: boot.sh demo|shell|bench [TARGET]" >&2; exit 2 ;;
esac

run_begin $mode || exit 1
target_load "$name" || { log "unknown target '$name'; one of: $(target_names all | xargs)"; exit 2; }
log "fetching $T_IMAGE and $T_HEADERS ($T_ARCH)"
target_kernel >/dev/null || exit 1
# The BPF programs' vmlinux.h comes from the 6.12 BTF.
(target_load 6.12-x86_64 && target_kernel >/dev/null) || true
target_load "$name"
log "building the tool for $T_UARCH"
build_userspace "$T_UARCH" || exit 1
log "building the module"
prepare_target "$name" "$mode" || exit 1
log "booting $KREL under QEMU (TCG: no hardware acceleration, this takes a few seconds)"

if [ "$mode" = shell ]; then
	log "'exit' in the VM's shell, or Ctrl-A X, leaves"
	boot_vm shell -nographic
	exit
fi

# The demo or one boot of the benchmark: the VM's console, without the
# kernel's chatter; the whole of it is kept. It fails if the program in the
# VM failed, the VM did not finish, or the kernel warned.
# Usage: run_boot LOGNAME
run_boot()
{
	local log=$T_OUT/console.$1.log timed_out

	set -o pipefail
	VM_RUNNER="timeout -k 10 1200" boot_vm "$mode" -display none -serial stdio -monitor none \
		</dev/null 2>&1 | tee "$log" | tr -d '\r' |
		sed -u -n '/^=== vmatlas\|^faults benchmark\|^space benchmark/,/^vmatlas-vm: done/{/^vmatlas-vm:\|^vmatlas-sample:/d;p}'
	[ $? = 124 ] && timed_out=1 || timed_out=0
	set +o pipefail
	awk -v run=1 -v timed_out=$timed_out -f "$VM_DIR/parse.awk" "$log" >"$T_OUT/$1.result"
	if ! grep -qx 'FAIL 0' "$T_OUT/$1.result"; then
		log "$1 on $KREL FAILED (console: $log):"
		sed -n 's/^FAILED /    /p' "$T_OUT/$1.result" >&2
		return 1
	fi
}

if [ "$mode" = demo ]; then
	run_boot demo || exit 1
	log "demo on $KREL: done, no kernel warning"
	exit 0
fi

# The benchmark, in as many boots as its parts need. Whatever patches the
# kernel's text at run time (BPF programs, the kmem tracepoints of "memory")
# needs one TCG thread (boot_vm); the rest runs with a host thread per vCPU,
# as a real machine runs its CPUs, which the stall benchmark (a walker and
# the target's writer on two CPUs) means to measure.
SPACE_MTTCG=residency,listing,translate,stall,span
case ${VMATLAS_BENCH:-all} in
all) boots="faults:single space:$SPACE_MTTCG:multi space:memory:single" ;;
space) boots="space:$SPACE_MTTCG:multi space:memory:single" ;;
space:*memory*) boots="$VMATLAS_BENCH:single" ;;
space:*) boots="$VMATLAS_BENCH:multi" ;;
*) boots="$VMATLAS_BENCH:single" ;;
esac
# perf turns static keys on and off: text patching, one thread.
[ -n "${VMATLAS_BENCH_PERF:-}" ] && boots=${boots//:multi/:single}
n=0
for b in $boots; do
	n=$((n + 1))
	VMATLAS_BENCH=${b%:*} VM_TCG_THREAD=${b##*:} run_boot bench$n || exit 1
	# Its output as the documentation's samples, beside make check's.
	samples_extract "$T_OUT/console.bench$n.log" "$T_OUT/bench-samples"
	mkdir -p "$T_OUT/samples"
	for f in "$T_OUT"/bench-samples/*.txt; do
		[ -f "$f" ] && cp "$f" "$T_OUT/samples/" && log "sample $T_NAME/$(basename "$f" .txt)"
	done
done
log "bench on $KREL: done, no kernel warning; make samples SAMPLES=\"...\" commits its samples"
