#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading removes the device and debugfs, the tool says what is missing,
# and the module loads again. While a tracer calls the module's kfunc, or
# the device is held open, the module cannot be unloaded. Then insmod and
# rmmod in a loop against openers, debugfs readers and tracers: each rmmod
# succeeds or is refused, never hangs, and the module is loaded and working
# at the end. Runs last in the VM: it reloads the module.

ko=/lib/vmatlas/vmatlas.ko
dbg=/sys/kernel/debug/vmatlas
# The reload loop: at most this many rounds, and after the first
# $min_rounds no more than this many seconds.
rounds=${VMATLAS_RELOAD_ROUNDS:-30}
min_rounds=3
budget=${VMATLAS_RELOAD_SECONDS:-30}
. /tests/sh/lib.sh

echo "TAP version 13"
echo "1..10"

# Whether process $1 holds a BPF program.
has_bpf_prog()
{
	for f in /proc/"$1"/fd/*; do
		case $(readlink "$f") in
		*bpf-prog*) return 0 ;;
		esac
	done
	return 1
}

has_kfunc=0
[ -e /sys/kernel/btf/vmatlas ] && vmatlas info | grep -q kfunc && has_kfunc=1

# A loaded BPF program that calls the kfunc holds the module.
if [ $has_kfunc = 1 ]; then
	vmatlas faults -d 10 -p 1 >/dev/null 2>&1 &
	tracer=$!
	# Loading takes a while under TCG. The tracer opens the device only
	# before it loads its programs: once it has one, a reference on the
	# module is the kfunc's.
	t=0
	until has_bpf_prog $tracer && [ "$(cat /sys/module/vmatlas/refcnt)" -gt 0 ] ||
		[ $t = 200 ]; do
		t=$((t + 1))
		sleep 0.1
	done
	! rmmod vmatlas 2>/dev/null
	rc=$?
	wait $tracer
	result $rc kfunc_user_holds_the_module
else
	n=$((n + 1))
	echo "ok $n kfunc_user_holds_the_module # SKIP no kfunc on this kernel"
fi


unload
result $? module_unloads

[ ! -e /dev/vmatlas ] && [ ! -e /sys/kernel/debug/vmatlas ]
result $? unload_removes_device_and_debugfs

out=$(vmatlas info 2>&1 >/dev/null)
rc=$?
[ "$rc" = 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] &&
	echo "$out" | grep -q "is the vmatlas module loaded"
result $? cli_without_module_says_load_it

# The tracer runs without the module (its kfunc unresolved, no layout) and
# says what stays empty.
out=$(vmatlas faults --json -- /bin/true 2>/tmp/lifecycle.err)
rc=$?
if grep -q "without BPF" /tmp/lifecycle.err; then
	n=$((n + 1))
	echo "ok $n faults_without_module_names_empty_columns # SKIP no BPF in this build"
else
	[ "$rc" = 0 ] && grep -q "without the vmatlas module" /tmp/lifecycle.err &&
		echo "$out" | grep -q '"pte_source": "none"' &&
		echo "$out" | grep -q '"exit_status": 0'
	result $? faults_without_module_names_empty_columns
fi

insmod $ko && [ -c /dev/vmatlas ] && [ -f /sys/kernel/debug/vmatlas/info ]
result $? module_reloads

vmatlas info >/dev/null
result $? cli_works_after_reload

loaded()
{
	[ "$(cat /sys/module/vmatlas/initstate 2>/dev/null)" = live ]
}

# Run a command for at most 30 s; its output goes to /tmp/lifecycle.out.
# Returns its status, or 124 if it is still running then (an rmmod stuck
# in the kernel cannot be killed: it is left behind and reported).
bounded()
{
	rm -f /tmp/lifecycle.rc
	("$@" >/tmp/lifecycle.out 2>&1; echo $? >/tmp/lifecycle.rc) &
	bounded_pid=$! bounded_tenths=0
	while [ ! -s /tmp/lifecycle.rc ]; do
		bounded_tenths=$((bounded_tenths + 1))
		if [ $bounded_tenths -gt 300 ]; then
			kill -KILL $bounded_pid 2>/dev/null
			return 124
		fi
		sleep 0.1
	done
	wait $bounded_pid
	return "$(cat /tmp/lifecycle.rc)"
}

# rmmod while the device is held open: refused, and nothing changes.
exec 3</dev/vmatlas
bounded rmmod vmatlas
rc=$?
echo "# rmmod with /dev/vmatlas open: exit $rc: $(cat /tmp/lifecycle.out)"
[ $rc != 0 ] && [ $rc != 124 ] && loaded && [ -c /dev/vmatlas ] &&
	[ -f $dbg/info ] && vmatlas info >/dev/null
rc=$?
exec 3<&-
result $rc rmmod_with_device_open_is_refused_and_changes_nothing

# The reload loop, against loads that run until $stop exists; each
# leaves a file in $done when it has stopped.
stop=/tmp/lifecycle.stop done=/tmp/lifecycle.done
rm -rf $stop $done
mkdir -p $done
nload=0
load()
{
	nload=$((nload + 1))
	(
		while [ ! -e $stop ]; do
			"$@"
		done >/dev/null 2>&1
		touch $done/$nload
	) &
}
# The loads below run through load(), which shellcheck cannot see.
# shellcheck disable=SC2317
{
# Openers: the tool opens the device and asks, loaded or not; a holder
# keeps it open for a moment at a time.
opener()
{
	vmatlas info
	vmatlas maps $$
	vmatlas ptdump $$
	sleep 0.5
}
holder()
{
	{ sleep 0.2; } </dev/vmatlas
	sleep 0.5
}
# debugfs readers: every file, the inputs set to this shell.
reader()
{
	echo $$ >"$dbg/pid"
	for f in "$dbg"/*; do
		cat "$f"
	done
	sleep 0.5
}
# Tracers: a BPF program calling the kfunc, loaded for a second at a
# time (when the module is there as it starts; else it runs without it).
tracer()
{
	vmatlas faults -d 1 -p 1
	sleep 1
}
}
stopped()
{
	find $done -type f | wc -l
}
load opener
load holder
load reader
[ $has_kfunc = 1 ] && load tracer

# Each round tries rmmod until it goes (at most 20 times): refused while
# someone holds the module, then insmod.
round=0 unloads=0 refused=0 loads=0 bad="" in_insmod=0
start=$(date +%s)
while [ -z "$bad" ] && [ $round -lt "$rounds" ] &&
	{ [ $round -lt $min_rounds ] || [ $(($(date +%s) - start)) -lt "$budget" ]; }; do
	round=$((round + 1))
	try=0
	while :; do
		try=$((try + 1))
		bounded rmmod vmatlas
		rc=$?
		[ $rc = 0 ] || [ $rc = 124 ] && break
		refused=$((refused + 1))
		if ! loaded; then
			bad="round $round: rmmod failed ($(cat /tmp/lifecycle.out)), module not live"
			break
		fi
		[ $try = 20 ] && break
		sleep 0.1
	done
	if [ $rc = 124 ]; then
		bad="round $round: rmmod hangs"
	elif [ $rc = 0 ]; then
		unloads=$((unloads + 1))
		if loaded || [ -e /dev/vmatlas ] || [ -e $dbg ]; then
			bad="round $round: rmmod succeeded, the module is still there"
		else
			t0=$(date +%s)
			bounded insmod $ko
			rc=$?
			in_insmod=$((in_insmod + $(date +%s) - t0))
			if [ $rc != 0 ]; then
				bad="round $round: insmod failed: $(cat /tmp/lifecycle.out)"
			else
				loads=$((loads + 1))
			fi
		fi
	fi
done
touch $stop
t=0
while [ "$(stopped)" -lt $nload ] && [ $t -lt 300 ]; do
	t=$((t + 1))
	sleep 0.1
done
if [ "$(stopped)" = $nload ]; then
	wait
else
	bad="${bad:+$bad; }$((nload - $(stopped))) of $nload loads still running after 30 s"
fi
echo "# $round rounds in $(($(date +%s) - start)) s: $unloads unloads," \
	"$refused refused (in use), $loads loads ($in_insmod s in insmod)"
[ -n "$bad" ] && echo "# $bad"
[ -z "$bad" ] && [ $unloads -gt 0 ]
result $? reload_loop_against_openers_debugfs_readers_and_tracers

# Later tests need the module: loaded and answering.
loaded || bounded insmod $ko
loaded && [ -c /dev/vmatlas ] && [ -f $dbg/info ] && vmatlas info >/dev/null
result $? module_loaded_and_working_after_the_loop

exit $failed
