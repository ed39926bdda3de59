# SPDX-License-Identifier: GPL-2.0
# The demo's and the samples' arm64 mTHP scene (sourced from
# /tests/sh/mthp.sh): with 64 KiB anonymous folios on, dd's 1 MiB buffer,
# filled from /dev/zero, is made of them while dd waits for a reader that
# never reads. On arm64 with 4 KiB pages each carries the contiguous hint.

mthp_ctl=/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled

# mthp_possible: arm64, 4 KiB pages, and 64 KiB mTHP to turn on.
mthp_possible()
{
	[ "$(uname -m)" = aarch64 ] && [ -w "$mthp_ctl" ] &&
		[ "$(awk '/^KernelPageSize/ { print $2; exit }' /proc/self/smaps)" = 4 ]
}

# mthp_start: the scene; sets $mthp_dd (dd's pid) and its buffer,
# [0x$mthp_start, 0x$mthp_end).
mthp_start()
{
	mthp_old=$(sed 's/.*\[\(.*\)\].*/\1/' "$mthp_ctl")
	echo always >"$mthp_ctl"
	dd if=/dev/zero bs=1M count=1 2>/dev/null | sleep 600 &
	mthp_reader=$!
	sleep 1
	mthp_dd=$(pidof dd)
	# Its buffer: the first anonymous mapping of 1 MiB or more.
	while read -r range _ _ _ _ name; do
		mthp_start=${range%-*} mthp_end=${range#*-}
		[ -z "$name" ] && [ $((0x$mthp_end - 0x$mthp_start)) -ge 1048576 ] && break
	done <"/proc/$mthp_dd/maps"
}

# mthp_stop: the scene's processes gone, mTHP as it was.
mthp_stop()
{
	kill "$mthp_dd" "$mthp_reader"
	echo "$mthp_old" >"$mthp_ctl"
}
