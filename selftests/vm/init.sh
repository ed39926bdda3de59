#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the vmatlas test VMs (busybox). The kernel command line says what
# to do: vmatlas_mode=test runs every test and powers off, demo runs the demo,
# shell leaves a shell. Lines starting "vmatlas-vm:" are read by the host.

/bin/busybox --install -s /bin
export PATH=/bin:/sbin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
# Pseudo-terminals: terminal_test runs the tool on one (and "make shell" has job control).
mkdir -p /dev/pts
mount -t devpts -o ptmxmode=0666 devpts /dev/pts
[ -e /dev/ptmx ] || ln -s pts/ptmx /dev/ptmx
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
say() { echo "vmatlas-vm: $*"; }

say "booted $(uname -r) $(uname -m)"
for m in $(cat /lib/vmatlas/kmods.list 2>/dev/null); do
	args=""
	[ "$m" = zram.ko ] && args="num_devices=2"
	# shellcheck disable=SC2086
	insmod "/lib/vmatlas/kmods/$m" $args || say "insmod $m failed"
done
# Swap on zram, so tests can watch pages go out and come back; a few huge
# pages for hugetlb; the helper module. The harness provides them, so a test
# that finds one missing here fails (VMATLAS_HARNESS); elsewhere it skips.
export VMATLAS_HARNESS=1
# A slow kernel (the debug target) stretches every test's timeout.
export VMATLAS_TIMEOUT_SCALE=${vmatlas_timeout_scale:-1}
if [ -e /sys/block/zram0/disksize ]; then
	echo 64M >/sys/block/zram0/disksize &&
		mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 && say "swap on zram0"
fi
# A small disk, so that file pages can be dropped and read back (major faults).
if [ -e /sys/block/zram1/disksize ]; then
	mkdir -p /mnt/disk
	# zram's logical blocks are 4 KiB: so must the filesystem's be.
	echo 32M >/sys/block/zram1/disksize && mke2fs -q -b 4096 /dev/zram1 >/dev/null &&
		mount -t ext4 /dev/zram1 /mnt/disk && say "disk on zram1"
fi
echo 8 >/proc/sys/vm/nr_hugepages
if insmod /lib/vmatlas/vmatlas.ko; then
	say "module loaded"
else
	say "module load failed"
fi

run_test()
{
	t=$1 name=$2

	# vmatlas_tests= on the command line: only the tests named there;
	# vmatlas_skip=: not these.
	case ",${vmatlas_tests:-$name}," in
	*",$name,"*) ;;
	*) return ;;
	esac
	case ",${vmatlas_skip:-}," in
	*",$name,"*) return ;;
	esac
	say "test-begin $name"
	began=$(cut -d. -f1 /proc/uptime)
	# kselftest binaries list their tests and exit 4 with -l: if not, the
	# kernel cannot run them (a 32-bit test without ia32 emulation).
	if [ "${t%.sh}" = "$t" ] && { "$t" -l >/dev/null 2>&1; [ $? != 4 ]; }; then
		echo "ok 1 $name # SKIP cannot execute this binary on this kernel"
		say "test-end $name 4"
		return
	fi
	timeout $((300 * VMATLAS_TIMEOUT_SCALE)) "$t"
	rc=$?
	# The seconds it took: where a target's time goes.
	say "test-end $name $rc $(($(cut -d. -f1 /proc/uptime) - began))s"
}

case "$vmatlas_mode" in
test)
	cd /tmp || exit 1
	for t in /tests/*_test; do
		[ -x "$t" ] && run_test "$t" "$(basename "$t")"
	done
	# The 32-bit tests run the 32-bit tool, through compat_ioctl; the fault
	# tests keep the 64-bit tracer (the 32-bit tool has no BPF) on 32-bit
	# processes.
	# The 64-bit builds ran the full suites on this kernel already: the
	# 32-bit ones fuzz and race long enough to cover compat_ioctl's
	# translation (a quarter of the calls, a sixth of the time).
	export VMATLAS_FUZZ_CALLS=250000 VMATLAS_RACE_SECONDS=10
	for t in /tests/m32/*_test; do
		case $t in
		*/faults*) export VMATLAS_TOOL=vmatlas ;;
		*) export VMATLAS_TOOL=/bin/vmatlas32 ;;
		esac
		[ -x "$t" ] && run_test "$t" "m32/$(basename "$t")"
	done
	unset VMATLAS_TOOL VMATLAS_FUZZ_CALLS VMATLAS_RACE_SECONDS
	for t in /tests/*.sh; do
		[ -f "$t" ] && run_test "$t" "$(basename "$t")"
	done
	for t in /tests/last/*_test; do
		[ -x "$t" ] && run_test "$t" "$(basename "$t")"
	done
	say "dmesg-begin"
	dmesg
	say "dmesg-end"
	say "done"
	;;
demo)
	vmatlas-demo
	say "run-exit $?"
	say "done"
	;;
bench)
	# vmatlas_bench= on the command line: faults (with others), others
	# (the cost of tracing one process to the others only), space or
	# space:NAME,... (vmatlas-bench-space -o), or all.
	# With perf in the image (make bench VMATLAS_BENCH_PERF=1), the whole
	# VM is sampled while the address-space benchmark runs.
	perf=
	if [ -x /usr/bin/perf ]; then
		freq=$(cat /etc/vmatlas-perf)
		[ "$freq" -gt 1 ] 2>/dev/null || freq=499
		perf="/usr/bin/perf record -q -N -a -F $freq -o /tmp/perf.data --"
	fi
	# bench_run NAME CMD [PREFIX]: run the benchmark CMD (a command line,
	# under PREFIX: perf), its output shown as it goes, then its standard
	# output written again as the documentation's sample NAME ("$ CMD" first; "make samples
	# SAMPLES=TARGET/NAME" commits it; bench_test.sh and
	# bench_space_test.sh check its shape).
	bench_run()
	{
		{ sh -c "${3:-} $2" 2>&3; echo $? >/tmp/sample.rc; } 3>&2 | tee /tmp/sample.out
		{ echo "\$ $2"; cat /tmp/sample.out; } | sed "s/^/vmatlas-sample: $1 | /"
		return "$(cat /tmp/sample.rc)"
	}
	parts=${vmatlas_bench#space:}
	case $parts in *residency*) space=bench-space ;; *) space=bench-space-${parts%%,*} ;; esac
	case ${vmatlas_bench:-all} in
	faults) bench_run bench-faults vmatlas-bench &&
		bench_run bench-others "vmatlas-bench others" ;;
	others) bench_run bench-others "vmatlas-bench others" ;;
	space) bench_run bench-space vmatlas-bench-space "$perf" ;;
	space:*) bench_run "$space" "vmatlas-bench-space -o $parts" "$perf" ;;
	*) vmatlas-bench && vmatlas-bench others && vmatlas-bench-space ;;
	esac
	rc=$?
	if [ -s /tmp/perf.data ]; then
		echo "=== perf: where the VM's CPUs were, by symbol"
		/usr/bin/perf report -i /tmp/perf.data --stdio --no-children -g none --sort dso,sym \
			--percent-limit 0.05 2>/dev/null | sed '/^#/d;/^$/d' | head -150
	fi
	say "run-exit $rc"
	say "done"
	;;
*)
	echo
	echo "vmatlas: module loaded; try 'vmatlas info'. 'exit' leaves."
	setsid cttyhack sh -l
	;;
esac
# Without ACPI (the debug kernel) there is nothing "poweroff" can switch
# off: a reboot ends QEMU too, as it runs with -no-reboot.
[ -d /sys/firmware/acpi ] || reboot -f
poweroff -f
