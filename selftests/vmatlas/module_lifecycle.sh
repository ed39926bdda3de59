#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading removes the device and debugfs, the tool says what is missing,
# and the module loads again. While a tracer calls the module's kfunc, the
# module cannot be unloaded. Runs last in the VM: it reloads the module.

ko=/lib/vmatlas/vmatlas.ko
n=0 failed=0

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}

echo "TAP version 13"
echo "1..7"

# A loaded BPF program that calls the kfunc holds the module.
if [ -e /sys/kernel/btf/vmatlas ] && vmatlas info | grep -q kfunc; then
	vmatlas faults -d 8 -p 1 >/dev/null 2>&1 &
	tracer=$!
	sleep 4
	! rmmod vmatlas 2>/dev/null
	rc=$?
	wait $tracer
	result $rc kfunc_user_holds_the_module
else
	n=$((n + 1))
	echo "ok $n kfunc_user_holds_the_module # SKIP no kfunc on this kernel"
fi

# A BPF program is freed after its last user exits, a moment later (RCU):
# until then it still holds the module.
unload()
{
	for i in 1 2 3 4 5 6 7 8 9 10; do
		rmmod vmatlas 2>/dev/null && return 0
		sleep 1
	done
	rmmod vmatlas
}

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

exit $failed
