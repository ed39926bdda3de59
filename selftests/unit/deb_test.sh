#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The Debian packages: "make deb" builds vmatlas and vmatlas-dkms with
# dpkg-buildpackage, lintian finds no error or warning, each holds what it
# should, and vmatlas-dkms does on a Debian system what its users expect:
# installed, DKMS builds and installs the module for the kernel whose
# headers are there; purged, nothing of it stays. That system is a
# throwaway overlay on a suite's chroot (suite.sh), so neither the host
# nor the chroot changes. TAP on stdout.
#
# Usage: deb_test.sh ROOT KREL    (a chroot with the headers of kernel KREL)
set -u

world=$1 krel=$2
src=$(cd "$(dirname "$0")/../.." && pwd)
ver=$(cat "$src/VERSION")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..8"

make -s -C "$src" BUILD="$tmp/build" deb >"$tmp/deb.log" 2>&1
result $? "make deb builds vmatlas and vmatlas-dkms" || sed 's/^/# /' "$tmp/deb.log"
debs=$tmp/build/deb
tool=$(ls "$debs"/vmatlas_"$ver"_*.deb 2>/dev/null)
dkms=$debs/vmatlas-dkms_${ver}_all.deb

[ "$(dpkg-parsechangelog -l "$src/debian/changelog" -S Version)" = "$ver" ]
result $? "debian/changelog is at VERSION ($ver)"

# Pedantic and informational tags are shown; errors and warnings fail.
lintian --pedantic -I --fail-on error,warning "$debs"/vmatlas_"$ver"_*.changes \
	>"$tmp/lintian.log" 2>&1
result $? "lintian: no error or warning"
grep -v "running with root privileges" "$tmp/lintian.log" | sed "s/^/# /"

# The tool's package: the tool, its manual page, completion, the UAPI
# headers and the documentation (README, HTML).
files()
{
	dpkg-deb -c "$1" | awk '$6 !~ /\/$/ { sub(/^\./, "", $6); print $6 }' | sort
}
want=$(printf '%s\n' /usr/bin/vmatlas /usr/include/linux/vmatlas.h \
	/usr/include/linux/vmatlas_bpf.h /usr/include/linux/vmatlas_kernel.h \
	/usr/share/bash-completion/completions/vmatlas /usr/share/doc-base/vmatlas.vmatlas \
	/usr/share/doc/vmatlas/README.md.gz /usr/share/doc/vmatlas/changelog.gz \
	/usr/share/doc/vmatlas/copyright /usr/share/lintian/overrides/vmatlas \
	/usr/share/man/man1/vmatlas.1.gz | sort)
got=$(files "$tool" | grep -v '^/usr/share/doc/vmatlas/html/')
[ "$got" = "$want" ] && files "$tool" | grep -qx /usr/share/doc/vmatlas/html/index.html
result $? "vmatlas holds the tool, manual page, completion, headers and documentation" ||
	diff <(echo "$want") <(echo "$got") | sed 's/^/# /'

# The module's package: exactly "make dkms-source"'s tree, and the examples.
make -s -C "$src" dkms-source DKMS_SRC="$tmp/dkms-source/usr/src/vmatlas-$ver"
want=$( (cd "$tmp/dkms-source" && find . -type f | sed 's/^\.//'
	echo /usr/share/doc/vmatlas-dkms/changelog.gz
	echo /usr/share/doc/vmatlas-dkms/copyright
	echo /usr/share/doc/vmatlas-dkms/examples/modules-load.d/vmatlas.conf
	echo /usr/share/doc/vmatlas-dkms/examples/udev/70-vmatlas.rules) | sort)
got=$(files "$dkms")
[ "$got" = "$want" ]
result $? "vmatlas-dkms holds make dkms-source's tree and the examples" ||
	diff <(echo "$want") <(echo "$got") | sed 's/^/# /'

dpkg-deb -x "$tool" "$tmp/tool"
[ "$("$tmp/tool/usr/bin/vmatlas" --version)" = "vmatlas $ver" ]
result $? "the packaged tool runs"

# vmatlas-dkms installed and purged on a Debian system: an overlay on the
# chroot, in a private mount namespace (nothing stays mounted).
mkdir -p "$tmp/upper" "$tmp/work" "$tmp/merged"
cp "$dkms" "$tmp/upper/"
# shellcheck disable=SC2016
unshare -m --propagation private sh -c '
	mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/merged" &&
	mount -t proc proc "$2/merged/proc" &&
	exec chroot "$2/merged" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
		LC_ALL=C.UTF-8 DEBIAN_FRONTEND=noninteractive sh -c "$3"' \
	sh "$world" "$tmp" "
	dpkg -i /$(basename "$dkms") >/tmp/install.log 2>&1 || { cat /tmp/install.log; exit 1; }
	dkms status vmatlas >/tmp/status.log
	ls /lib/modules/$krel/updates/dkms/ >/tmp/installed.log
	modinfo -F vermagic /lib/modules/$krel/updates/dkms/vmatlas.ko* >/tmp/vermagic.log
	dpkg --purge vmatlas-dkms >/tmp/purge.log 2>&1 || { cat /tmp/purge.log; exit 1; }
	ls -d /var/lib/dkms/vmatlas /usr/src/vmatlas-$ver /lib/modules/*/updates/dkms/vmatlas.ko* \
		>/tmp/left.log 2>/dev/null
	true" >"$tmp/world.log" 2>&1
rc=$?
up=$tmp/upper/tmp
[ $rc = 0 ] && grep -q "^vmatlas/$ver, $krel, [^:]*: installed" "$up/status.log" &&
	grep -q "^$krel " "$up/vermagic.log"
result $? "installed, vmatlas-dkms builds and installs the module for $krel" ||
	cat "$tmp/world.log" "$up/status.log" "$up/installed.log" 2>/dev/null | sed 's/^/# /'
[ $rc = 0 ] && [ -f "$up/left.log" ] && [ ! -s "$up/left.log" ]
result $? "purged, vmatlas-dkms leaves no module, source or DKMS tree" ||
	cat "$up/left.log" 2>/dev/null | sed 's/^/# /'

[ $bad = 0 ]
