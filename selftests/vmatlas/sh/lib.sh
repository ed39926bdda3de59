# SPDX-License-Identifier: GPL-2.0
# What the VM's shell tests share (sourced from /tests/sh/lib.sh): TAP
# results, and unloading the module.

n=0 failed=0

# result STATUS NAME: "ok N NAME", or "not ok N NAME" and the test fails.
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

# rmmod vmatlas, waiting up to ten seconds for its users to let go: a BPF
# program is freed a moment after its last user exits (RCU), and holds the
# module until then.
unload()
{
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		rmmod vmatlas 2>/dev/null && return 0
		sleep 1
	done
	rmmod vmatlas
}
