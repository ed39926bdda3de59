#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Obtain a Debian kernel image and its headers without installing either:
# the meta packages are resolved to concrete ones now (the archive moves),
# downloaded with apt-get and unpacked under the cache. The headers' wrapper
# Makefile names its -common tree by absolute path; it is pointed at the
# unpacked copy, so kernels whose headers apt could not co-install (two 6.1
# ABIs, amd64 and i386) live side by side.
#
# Usage: kernel.sh ARCH IMAGE_META HEADERS_META
# Prints shell assignments KREL=, VMLINUZ=, KMODDIR=, KDIR= on success.
set -eu

arch=$1 image_meta=$2 headers_meta=$3
cache=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}

die() { echo "kernel.sh: $*" >&2; exit 1; }

# The concrete package a meta package depends on, e.g. linux-image-6.1.0-56-amd64.
resolve()
{
	apt-cache depends "$1:$arch" 2>/dev/null |
		sed -n "s/^ *|\{0,1\}Depends: <\{0,1\}\($2[^:>]*\).*/\1/p" | head -n 1
}

# Download PKG:ARCH (or PKG, for Architecture: all) into $debs and unpack it
# into $root. The unpacked tree is the cache; the .deb is not kept.
unpack()
{
	local pkg=$1 f

	rm -f "$debs"/*.deb
	(cd "$debs" && { apt-get download -q -o APT::Sandbox::User=root "$pkg:$arch" ||
			 apt-get download -q -o APT::Sandbox::User=root "$pkg"; } >/dev/null 2>&1) ||
		die "cannot download $pkg:$arch"
	f=$(ls "$debs"/*.deb)
	dpkg -x "$f" "$root"
}

image_pkg=$(resolve "$image_meta" linux-image-)
[ -n "$image_pkg" ] || die "$image_meta:$arch: not in the package index"
headers_pkg=$(resolve "$headers_meta" linux-headers-)
[ -n "$headers_pkg" ] || die "$headers_meta:$arch: not in the package index"
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
	unpack "$headers_pkg"
	for dep in $(apt-cache show "$headers_pkg:$arch" 2>/dev/null | sed -n 's/^Depends: //p' |
		     head -n 1 | tr ',' '\n' | sed -n 's/^ *\(linux-\(headers\|kbuild\)-[^ ]*\).*/\1/p'); do
		unpack "$dep"
	done
	sed -i "s|^include /usr/src/|include $root/usr/src/|" \
		"$root/usr/src/linux-headers-$krel/Makefile"
	# Package images carry no modules.dep.
	depmod -b "$root" "$krel"
	touch "$root/.complete"
fi

vmlinuz=$root/boot/vmlinuz-$krel
[ -r "$vmlinuz" ] || die "no $vmlinuz"
echo "KREL=$krel"
echo "VMLINUZ=$vmlinuz"
echo "KMODDIR=$root/lib/modules/$krel"
echo "KDIR=$root/usr/src/linux-headers-$krel"
