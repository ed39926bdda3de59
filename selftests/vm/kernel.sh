#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain a Debian kernel image and its headers without installing either on
# the host. The meta packages are resolved to concrete ones now (the archive
# moves: the newest kernel of a suite is whatever it serves today).
#
# A kernel of the host's own suite is downloaded and unpacked under the
# cache; the headers' wrapper Makefile, which names its -common tree by
# absolute path, is pointed at the unpacked copy, so kernels whose headers
# apt could not co-install (two 6.1 ABIs, amd64 and i386) live side by side.
#
# A kernel of another suite is resolved in that suite's chroot (suite.sh),
# where its headers are installed with apt and its modules are built: its
# kbuild needs that suite's compiler and libc. Only the image and modules
# are unpacked under the cache, for QEMU and the initramfs.
#
# A kernel of an architecture the host is not (arm64) lives in that suite's
# cross world (suite.sh's SUITE:ARCH): its headers are unpacked into the
# chroot, not installed (apt would pull the suite's native compiler of ARCH
# in; the cross compiler is there already), its kbuild tools, which run on
# the host, are installed for the host's architecture.
#
# Usage: kernel.sh ARCH SUITE IMAGE_META HEADERS_META
# Prints shell assignments KREL=, VMLINUZ=, KMODDIR=, KDIR=, CHROOT= on
# success; KDIR is a path inside CHROOT when CHROOT is not empty.
set -eu

arch=$1 suite=$2 image_meta=$3 headers_meta=$4
cache=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}
vm_dir=$(cd "$(dirname "$0")" && pwd)

die() { echo "kernel.sh: $*" >&2; exit 1; }

chroot_dir="" cross=""
case $arch in
amd64 | i386) ;;
*) cross=$arch suite=$suite:$arch ;;
esac
if [ "$("$vm_dir/suite.sh" base "$suite")" != host ]; then
	chroot_dir=$("$vm_dir/suite.sh" root "$suite")
fi

# Run an apt command on the host, or in the suite's chroot.
in_suite()
{
	if [ -n "$chroot_dir" ]; then
		"$vm_dir/suite.sh" run "$suite" "$@"
	else
		"$@"
	fi
}

# The concrete package of prefix $2 that meta package $1 depends on, in the
# version $suite serves: e.g. linux-image-6.1.0-56-amd64 or, from
# trixie-backports, linux-headers-7.3.4+deb13-amd64.
resolve()
{
	local pkg=$1 prefix=$2 ver

	if [ -n "$chroot_dir" ]; then
		ver=$(in_suite apt-cache madison "$pkg" |
			awk -F' *[|] *' -v s=" ${suite%:*}/" 'index($3, s) { print $2; exit }')
		[ -n "$ver" ] || return 0
		pkg="$pkg=$ver"
	else
		pkg="$pkg:$arch"
	fi
	in_suite apt-cache show "$pkg" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',' '\n' | sed -n "s/^ *\($prefix[^ :]*\).*/\1/p" | head -n 1
}

# Download PKG (of $arch, or Architecture: all) into $debs and unpack it
# into $root. The unpacked tree is the cache; the .deb is not kept.
unpack()
{
	local pkg=$1 f dl=$debs

	rm -f "$debs"/*.deb
	if [ -n "$chroot_dir" ]; then
		dl=$chroot_dir/tmp/vmatlas-debs
		rm -rf "$dl"
		mkdir -p "$dl"
		in_suite sh -c "cd /tmp/vmatlas-debs && { apt-get download -q -o APT::Sandbox::User=root '$pkg${cross:+:$cross}' ||
				apt-get download -q -o APT::Sandbox::User=root '$pkg'; }" \
			>/dev/null 2>&1 || die "cannot download $pkg in the $suite chroot"
	else
		(cd "$debs" && { apt-get download -q -o APT::Sandbox::User=root "$pkg:$arch" ||
				 apt-get download -q -o APT::Sandbox::User=root "$pkg"; } \
			>/dev/null 2>&1) || die "cannot download $pkg:$arch"
	fi
	f=$(ls "$dl"/*.deb)
	dpkg -x "$f" "$root"
	rm -f "$dl"/*.deb
}

# The packages an image package needs unpacked: 7.x splits the kernel
# (linux-binary-KREL), its modules (linux-modules-KREL) and modules.builtin
# (linux-base-KREL) out of it.
image_parts()
{
	in_suite apt-cache show "$1" 2>/dev/null | sed -n 's/^Depends: //p' | head -n 1 |
		tr ',|' '\n\n' | sed -n "s/^ *\(linux-\(binary\|modules\|base\)-$krel[^ :]*\).*/\1/p"
}

image_pkg=$(resolve "$image_meta" linux-image-)
[ -n "$image_pkg" ] || die "$image_meta:$arch: not in $suite's package index"
headers_pkg=$(resolve "$headers_meta" linux-headers-)
[ -n "$headers_pkg" ] || die "$headers_meta:$arch: not in $suite's package index"
krel=${headers_pkg#linux-headers-}
[ "${image_pkg#linux-image-}" = "$krel" ] ||
	[ "${image_pkg#linux-image-}" = "$krel-unsigned" ] ||
	die "image $image_pkg does not match headers $headers_pkg"

root=$cache/kernels/$krel
if [ ! -e "$root/.complete" ]; then
	debs=$cache/tmp.kernel.$$
	rm -rf "$root" "$debs"
	mkdir -p "$root" "$debs"
	trap 'rm -rf "$debs"' EXIT
	unpack "$image_pkg"
	for part in $(image_parts "$image_pkg"); do
		unpack "$part"
	done
	if [ -z "$chroot_dir" ]; then
		unpack "$headers_pkg"
		for dep in $(apt-cache show "$headers_pkg:$arch" 2>/dev/null |
			     sed -n 's/^Depends: //p' | head -n 1 | tr ',' '\n' |
			     sed -n 's/^ *\(linux-\(headers\|kbuild\)-[^ ]*\).*/\1/p'); do
			unpack "$dep"
		done
		sed -i "s|^include /usr/src/|include $root/usr/src/|" \
			"$root/usr/src/linux-headers-$krel/Makefile"
	fi
	# Merged-/usr packages (7.x) put modules under /usr/lib; depmod and
	# modprobe -d look under /lib.
	[ -e "$root/lib" ] || [ ! -d "$root/usr/lib/modules" ] || ln -s usr/lib "$root/lib"
	# Package images carry no modules.dep.
	depmod -b "$root" "$krel"
	touch "$root/.complete"
fi

# The headers of a cross world: the package and its -common tree unpacked
# into the chroot, the host-architecture kbuild tools installed.
cross_headers()
{
	local deps dep kbuild

	deps=$(in_suite apt-cache show "$headers_pkg" 2>/dev/null | sed -n 's/^Depends: //p' |
	       head -n 1 | tr ',' '\n')
	kbuild=$(echo "$deps" | sed -n 's/^ *\(linux-kbuild-[^ :]*\).*/\1/p')
	in_suite apt-get install -y -qq "$kbuild" || return 1
	root=$chroot_dir
	for dep in "$headers_pkg" $(echo "$deps" | sed -n 's/^ *\(linux-headers-[^ :]*\).*/\1/p'); do
		unpack "$dep"
	done
}

if [ -n "$chroot_dir" ] && [ ! -e "$chroot_dir/usr/src/linux-headers-$krel/.vmatlas" ]; then
	# Name the packages: "-t SUITE" would upgrade unrelated ones too.
	(
		flock 9
		if [ -n "$cross" ]; then
			debs=$cache/tmp.kernel.$$
			cross_headers >"$root.apt.log" 2>&1
		else
			in_suite apt-get install -y -qq "$headers_pkg" >"$root.apt.log" 2>&1
		fi || { cat "$root.apt.log" >&2; exit 1; }
		touch "$chroot_dir/usr/src/linux-headers-$krel/.vmatlas"
	) 9>"$chroot_dir.lock" || die "cannot install $headers_pkg in the $suite chroot"
fi

for vmlinuz in "$root/boot/vmlinuz-$krel" "$root/usr/lib/modules/$krel/vmlinuz" ""; do
	[ -z "$vmlinuz" ] || [ ! -r "$vmlinuz" ] || break
done
[ -n "$vmlinuz" ] || die "no kernel image in $root"
echo "KREL=$krel"
echo "VMLINUZ=$vmlinuz"
echo "KMODDIR=$root/lib/modules/$krel"
if [ -n "$chroot_dir" ]; then
	echo "KDIR=/usr/src/linux-headers-$krel"
	echo "CHROOT=$chroot_dir"
else
	echo "KDIR=$root/usr/src/linux-headers-$krel"
	echo "CHROOT="
fi
