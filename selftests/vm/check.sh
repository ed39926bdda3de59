#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: the style gates, then every test on every kernel of the matrix
# (selftests/vm/targets), each in its own QEMU VM under TCG.
#
# Usage: check.sh [TARGET...]     (default: every target)
# Environment: JOBS (parallel VMs, default: number of cores),
#              VMATLAS_TIMEOUT (seconds per VM, default 1800; twice
#              that for the debug target),
#              VMATLAS_TESTS (only these tests, comma-separated names).
#
# Prints a line per target and a last line "N passed, N failed, N skipped";
# exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

JOBS=${JOBS:-$(nproc)}
TIMEOUT=${VMATLAS_TIMEOUT:-1800}
targets=${*:-$(target_names)}
# A run that tests no kernel must not pass.
[ -n "$targets" ] || { echo "vmatlas: no target to run (selftests/vm/targets)" >&2; exit 1; }

run_begin check || exit 1

# A fresh machine's longest step is the debug kernel's first build
# (Documentation/testing.rst): it starts now, in the background, beside the
# gates, the downloads and the other targets' VMs; the debug target waits
# for it (debug-kernel.sh's lock), then finds it built. One compiler more
# than there are cores: the build is the longest path through the run, and
# beside one VM it then gets three quarters of the machine, not two thirds.
kernel_job=""
for t in $targets; do
	if target_load "$t" 2>/dev/null && [ "$T_IMAGE" = debug ]; then
		mkdir -p "$BUILD_DIR/$t"
		(VMATLAS_JOBS=${VMATLAS_JOBS:-$((JOBS + 1))} target_kernel >/dev/null \
			2>"$BUILD_DIR/$t/kernel.log") &
		kernel_job=$!
	fi
done

# run_target NAME: build, boot and parse one target; leaves $BUILD_DIR/NAME/result.
run_target()
{
	local name=$1 start rc out paging limit timed_out=0

	start=$(date +%s)
	target_load "$name"
	out=$BUILD_DIR/$name
	mkdir -p "$out"
	case $T_LEVELS in
	3) paging="PAE" ;;
	*) paging="$T_LEVELS-level" ;;
	esac

	prepare_target "$name" test 2>"$out/prepare.log"
	rc=$?
	# A kernel that cannot be fetched is a failure: a run that tested
	# nothing must not pass.
	if [ $rc = 2 ]; then
		printf 'FAIL 1\nFAILED kernel: %s\n' "$(tail -n 1 "$out/prepare.log")" >"$out/result"
	elif [ $rc != 0 ]; then
		printf 'FAIL 1\nFAILED build: see %s\n' "$out/prepare.log" >"$out/result"
	else
		# The debug kernel runs its tests several times slower.
		limit=$TIMEOUT
		[ "$T_IMAGE" = debug ] && limit=$((TIMEOUT * 2))
		# No lower priority beside the debug kernel's build: at nice 10
		# the tests ran out of their own time limits.
		VM_RUNNER="timeout -k 10 $limit" boot_vm test -display none -serial stdio \
			-monitor none </dev/null >"$out/console.log" 2>&1
		[ $? = 124 ] && timed_out=1
		# extra_pass: the module built warning-free under W=1.
		awk -v extra_pass=1 -v timed_out=$timed_out -f "$VM_DIR/parse.awk" \
			"$out/console.log" >"$out/result"
		samples_extract "$out/console.log" "$out/samples"
	fi
	printf 'KERNEL %s\nPAGING %s\nSECONDS %s\n' "${KREL:--}" "$paging" \
		$(($(date +%s) - start)) >>"$out/result"
}

# Style gates and the user-space builds first: they are quick. A run of
# chosen tests (VMATLAS_TESTS) is a developer's: it leaves the gates out.
gates="harness style unit"
[ -n "${VMATLAS_TESTS:-}" ] && gates=""
rm -f "$BUILD_DIR/harness.result" "$BUILD_DIR/style.result" "$BUILD_DIR/unit.result"
if [ -n "$gates" ]; then
	"$VM_DIR/parse_test.sh" >"$BUILD_DIR/harness.result"
	printf 'KERNEL -\nPAGING -\nSECONDS 0\n' >>"$BUILD_DIR/harness.result"
	start=$(date +%s)
	# Each target's module build runs sparse: the gate need not.
	VMATLAS_SPARSE=0 "$VM_DIR/style.sh" >"$BUILD_DIR/style.result" 2>"$BUILD_DIR/style.log"
	printf 'KERNEL -\nPAGING -\nSECONDS %s\n' $(($(date +%s) - start)) \
		>>"$BUILD_DIR/style.result"
	start=$(date +%s)
	"$VM_DIR/unit.sh" >"$BUILD_DIR/unit.result" 2>"$BUILD_DIR/unit.log"
	printf 'KERNEL -\nPAGING -\nSECONDS %s\n' $(($(date +%s) - start)) \
		>>"$BUILD_DIR/unit.result"
fi

# Fetch kernels one at a time (targets share them), before building
# (vmlinux.h comes from one); the debug kernel is on its way already.
for t in $targets; do
	target_load "$t" || { echo "vmatlas: unknown target $t" >&2; exit 1; }
	[ "$T_IMAGE" = debug ] || target_kernel >/dev/null 2>&1 || true
done
uarches=$(for t in $targets; do target_load "$t" && echo "$T_UARCH"; done | sort -u)
# i386 always: its tests also run on x86_64 kernels, through compat_ioctl.
for a in $(printf '%s\n' $uarches i386 | sort -u); do
	build_userspace "$a" || { echo "vmatlas: building the tool for $a failed" >&2; exit 1; }
done

# The debug target is the longest: it starts first, the others share the
# remaining VM slots meanwhile.
order=$(for t in $targets; do
	target_load "$t" && [ "$T_IMAGE" = debug ] && echo "$t"
done
for t in $targets; do
	target_load "$t" && [ "$T_IMAGE" != debug ] && echo "$t"
done)
# VMs running now: the background jobs but the debug kernel's build.
running_vms() { jobs -rp | grep -cvx "${kernel_job:-none}"; }
for t in $order; do
	run_target "$t" &
	while [ "$(running_vms)" -ge "$JOBS" ]; do
		wait -n
	done
done
wait

total_pass=0 total_fail=0 total_skip=0
printf '%-18s %-24s %-8s %7s %7s %8s %6s\n' target kernel paging passed failed skipped time
for r in $(for g in $gates; do echo "$BUILD_DIR/$g.result"; done) \
	 $(for t in $targets; do echo "$BUILD_DIR/$t/result"; done); do
	case $r in
	*/harness.result) name=harness ;;
	*/style.result) name=style ;;
	*/unit.result) name=unit ;;
	*) name=$(basename "$(dirname "$r")") ;;
	esac
	p=$(awk '$1 == "PASS" { print $2 }' "$r"); p=${p:-0}
	f=$(awk '$1 == "FAIL" { print $2 }' "$r"); f=${f:-0}
	s=$(awk '$1 == "SKIP" { print $2 }' "$r"); s=${s:-0}
	printf '%-18s %-24s %-8s %7s %7s %8s %5ss\n' "$name" \
		"$(awk '$1 == "KERNEL" { print $2 }' "$r")" "$(awk '$1 == "PAGING" { print $2 }' "$r")" \
		"$p" "$f" "$s" "$(awk '$1 == "SECONDS" { print $2 }' "$r")"
	sed -n 's/^FAILED /    FAILED: /p; s/^WHY /        /p; s/^SKIPPED /    SKIPPED: /p' "$r"
	total_pass=$((total_pass + p)) total_fail=$((total_fail + f)) total_skip=$((total_skip + s))
done
echo "logs: $BUILD_DIR/TARGET/console.log"
echo "$total_pass passed, $total_fail failed, $total_skip skipped"
[ "$total_fail" = 0 ]
