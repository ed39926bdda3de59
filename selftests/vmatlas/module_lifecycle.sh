#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Unloading removes the device and debugfs, the tool says what is missing,
# and the module loads again. Runs last in the VM: it reloads the module.

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
echo "1..5"

rmmod vmatlas
result $? module_unloads

[ ! -e /dev/vmatlas ] && [ ! -e /sys/kernel/debug/vmatlas ]
result $? unload_removes_device_and_debugfs

out=$(vmatlas info 2>&1 >/dev/null)
rc=$?
[ "$rc" = 1 ] && [ "$(echo "$out" | wc -l)" = 1 ] &&
	echo "$out" | grep -q "is the vmatlas module loaded"
result $? cli_without_module_says_load_it

insmod $ko && [ -c /dev/vmatlas ] && [ -f /sys/kernel/debug/vmatlas/info ]
result $? module_reloads

vmatlas info >/dev/null
result $? cli_works_after_reload

exit $failed
