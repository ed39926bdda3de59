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
target_load "$name" || { log "unknown target '$name'; one of: $(target_names | xargs)"; exit 2; }
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

# The demo or the benchmark: the VM's console, without the kernel's chatter;
# the whole of it is kept. It fails if the program in the VM failed, the VM
# did not finish, or the kernel warned.
set -o pipefail
VM_RUNNER="timeout -k 10 1200" boot_vm "$mode" -display none -serial stdio -monitor none \
	</dev/null 2>&1 | tee "$T_OUT/console.$mode.log" | tr -d '\r' |
	sed -u -n '/^=== vmatlas\|^faults benchmark\|^space benchmark/,/^vmatlas-vm: done/{/^vmatlas-vm:/d;p}'
[ $? = 124 ] && timed_out=1 || timed_out=0
awk -v run=1 -v timed_out=$timed_out -f "$VM_DIR/parse.awk" "$T_OUT/console.$mode.log" \
	>"$T_OUT/$mode.result"
if ! grep -qx 'FAIL 0' "$T_OUT/$mode.result"; then
	log "$mode on $KREL FAILED (console: $T_OUT/console.$mode.log):"
	sed -n 's/^FAILED /    /p' "$T_OUT/$mode.result" >&2
	exit 1
fi
log "$mode on $KREL: done, no kernel warning"
