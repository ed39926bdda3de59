#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make install and make uninstall, staged in a DESTDIR: exactly these files,
# a module built for the kernel asked for, a tool that runs, a manual page
# that man(1) reads; then nothing left. TAP on stdout.
#
# Usage: install_test.sh KDIR    (a kernel build tree the host can build in)
set -u

kdir=$1
src=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/tap.sh"

echo "TAP version 13"
echo "1..7"
krel=$(sed -n 's/.*UTS_RELEASE "\(.*\)"/\1/p' "$kdir/include/generated/utsrelease.h")
# A copy of the tree: the module is built in place, as a user's install does.
mkdir "$tmp/src"
(cd "$src" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 cp --parents -t "$tmp/src")
root=$tmp/root
make -s -C "$tmp/src" KDIR="$kdir" DESTDIR="$root" PREFIX=/usr BPF=0 install \
	>"$tmp/install.log" 2>&1
result $? "make install DESTDIR=... PREFIX=/usr" || sed 's/^/# /' "$tmp/install.log"

want=$(printf '%s\n' "/lib/modules/$krel/updates/vmatlas.ko" /usr/bin/vmatlas \
	/usr/include/linux/vmatlas.h /usr/include/linux/vmatlas_bpf.h \
	/usr/include/linux/vmatlas_kernel.h \
	/usr/share/bash-completion/completions/vmatlas /usr/share/man/man1/vmatlas.1 | sort)
# A kernel that compresses its modules gets vmatlas.ko.xz (or .zst, .gz).
got=$(cd "$root" && find . -type f | sed 's/^\.//; s/\.ko\.\(xz\|zst\|gz\)$/.ko/' | sort)
[ "$got" = "$want" ]
result $? "installs exactly the module, tool, manual page, completion and headers"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/# /'

ko=$(ls "$root/lib/modules/$krel/updates/"vmatlas.ko* 2>/dev/null | head -n 1)
[ -n "$ko" ] && modinfo -F vermagic "$ko" | grep -q "^$krel "
result $? "the module is built for $krel"

[ "$("$root/usr/bin/vmatlas" --version)" = "vmatlas $(cat "$src/VERSION")" ]
result $? "the installed tool runs"

MANWIDTH=80 man --warnings -l "$root/usr/share/man/man1/vmatlas.1" 2>"$tmp/man.err" |
	grep -q '^NAME' && [ ! -s "$tmp/man.err" ]
result $? "man reads vmatlas(1) without a warning"

# Into the running system's tree (no DESTDIR), install and uninstall
# refresh the module index for the kernel built for; into a staged tree they
# do not (a package's maintainer scripts do, through dkms). Read from the
# recipes make would run: a test must not write to this machine's /lib/modules.
live=$(make -n -s -C "$tmp/src" KDIR="$kdir" PREFIX=/usr BPF=0 install-module uninstall \
	2>/dev/null | grep -c "^depmod -a $krel\$")
staged=$(make -n -s -C "$tmp/src" KDIR="$kdir" DESTDIR="$root" PREFIX=/usr BPF=0 \
	install-module uninstall 2>/dev/null | grep -c "^depmod")
[ "$live" = 2 ] && [ "$staged" = 0 ]
result $? "depmod -a $krel after install and uninstall, not into a DESTDIR" \
	"$live depmod without DESTDIR, $staged with"

# Files of others beside ours (another header, module, manual page) stay.
others="/usr/include/linux/other.h /lib/modules/$krel/updates/other.ko /usr/share/man/man1/other.1"
for f in $others; do
	mkdir -p "$(dirname "$root$f")" && echo other >"$root$f"
done
[ -d "$root" ] &&
	make -s -C "$tmp/src" KDIR="$kdir" DESTDIR="$root" PREFIX=/usr uninstall >/dev/null 2>&1 &&
	[ "$(cd "$root" && find . -type f | sed 's/^\.//' | sort)" = "$(printf '%s\n' $others | sort)" ]
result $? "make uninstall removes its files and no other" "$(cd "$root" && find . -type f)"

[ $bad = 0 ]
