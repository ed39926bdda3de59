#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Extract from Debian's linux-source package the few files of the kernel tree
# that vmatlas's gates and tests use: checkpatch.pl with its data files, the
# kselftest harness headers and .clang-format. They are never committed here.
#
# Prints the directory they are in.
set -eu

cache=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}
dest=$cache/linux-source
meta=${VMATLAS_SOURCE_PKG:-linux-source-6.12}

files="scripts/checkpatch.pl scripts/spelling.txt scripts/const_structs.checkpatch
	tools/testing/selftests/kselftest.h tools/testing/selftests/kselftest_harness.h
	.clang-format"

if [ ! -e "$dest/.complete" ]; then
	tmp=$cache/tmp.source.$$
	rm -rf "$tmp" "$dest"
	mkdir -p "$tmp" "$dest"
	trap 'rm -rf "$tmp"' EXIT
	(cd "$tmp" && apt-get download -q -o APT::Sandbox::User=root "$meta" >/dev/null 2>&1) || {
		echo "source.sh: cannot download $meta" >&2
		exit 1
	}
	dpkg -x "$tmp"/*.deb "$tmp/root"
	tarball=$(ls "$tmp"/root/usr/src/linux-source-*.tar.xz | head -n 1)
	top=$(basename "$tarball" .tar.xz)
	# shellcheck disable=SC2086
	tar -xJf "$tarball" -C "$tmp" $(for f in $files; do echo "$top/$f"; done)
	for f in $files; do
		mkdir -p "$dest/$(dirname "$f")"
		cp "$tmp/$top/$f" "$dest/$f"
	done
	touch "$dest/.complete"
fi
echo "$dest"
