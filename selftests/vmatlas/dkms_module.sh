#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The module DKMS built for this kernel (lib.sh's build_dkms: "dkms add"
# and "dkms build" from "make dkms-source", as vmatlas-dkms does on a
# user's machine) loads here and works: it replaces the Kbuild module,
# reports the same sources, and the walk and info tests pass against it,
# comparing its answers with pagemap, maps and the kernel's own facts.
# The Kbuild module is loaded again at the end. Runs with the other shell
# tests, after the C tests: it reloads the module.

kbuild=/lib/vmatlas/vmatlas.ko
dkms=/lib/vmatlas/dkms/vmatlas.ko
. /tests/sh/lib.sh

# Run a kselftest binary against the loaded module; its output is
# indented, as kselftest nests a suite's. Its status 4 is a SKIP.
suite()
{
	"/tests/$1" >"/tmp/dkms.$1" 2>&1
	rc=$?
	sed 's/^/    /' "/tmp/dkms.$1"
	if [ $rc = 4 ]; then
		n=$((n + 1))
		echo "ok $n $2 # SKIP $1 skipped"
	else
		result $rc "$2"
	fi
}

echo "TAP version 13"
echo "1..6"

if [ ! -f $dkms ]; then
	for t in module_is_built_for_this_kernel loads_in_place_of_kbuilds built_from_the_same_sources \
		walk_test_passes info_test_passes kbuild_module_loads_again; do
		n=$((n + 1))
		echo "ok $n dkms_$t # SKIP no DKMS-built module in this image"
	done
	exit 4
fi

# A field of a module file's .modinfo, its NUL-separated "name=value"
# strings (busybox's modinfo wants a modules.dep this image has not);
# /sys/module says what the kernel loaded.
modfield()
{
	tr '\000' '\n' <"$1" | sed -n "s/^$2=//p" | head -n 1
}

want_src=$(modfield $kbuild srcversion)
[ "$(modfield $dkms vermagic | cut -d' ' -f1)" = "$(uname -r)" ]
result $? dkms_module_is_built_for_this_kernel

unload && insmod $dkms && [ -c /dev/vmatlas ] &&
	[ "$(cat /sys/module/vmatlas/initstate)" = live ]
result $? dkms_loads_in_place_of_kbuilds

[ -n "$want_src" ] && [ "$(cat /sys/module/vmatlas/srcversion)" = "$want_src" ]
result $? dkms_built_from_the_same_sources

suite walk_test dkms_walk_test_passes
suite info_test dkms_info_test_passes

unload && insmod $kbuild && [ "$(cat /sys/module/vmatlas/srcversion)" = "$want_src" ] &&
	vmatlas info >/dev/null
result $? dkms_kbuild_module_loads_again
exit $failed
