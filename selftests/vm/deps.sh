#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install the host packages vmatlas needs to build and to test in QEMU.
# Idempotent: installs only what is missing. Needs root (apt).
#
# Usage: deps.sh [host|i386|all]
#   host  compilers, QEMU, busybox, sparse, json-c, BPF toolchain,
#         mmdebstrap for the chroots other suites' kernels are built in,
#         dkms and Debian's packaging tools
#   i386  multiarch i386: static json-c and busybox for the 32-bit PAE target
set -eu

what=${1:-all}

HOST_PKGS="build-essential gcc-multilib bc bison flex cpio xz-utils kmod dwarves
	qemu-system-x86 qemu-system-arm busybox-static sparse pkg-config libjson-c-dev
	clang clang-format llvm libbpf-dev bpftool libelf-dev zlib1g-dev perl python3
	mmdebstrap zstd python3-sphinx cppcheck dkms
	dpkg-dev debhelper dh-dkms fakeroot lintian jq libxml2-utils chromium-headless-shell"
I386_PKGS="libjson-c-dev:i386 libc6:i386"

missing()
{
	local p out=""

	for p in "$@"; do
		dpkg-query -W -f='${db:Status-Status}\n' "$p" 2>/dev/null |
			grep -qx installed || out="$out $p"
	done
	echo "$out"
}

apt_updated=""
apt_install()
{
	[ -n "$*" ] || return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$*; run as root or install them" >&2
		exit 1
	fi
	if [ -z "$apt_updated" ]; then
		apt-get -o DPkg::Lock::Timeout=600 update -qq || true
		apt_updated=1
	fi
	echo "deps: installing$*" >&2
	# Wait for another apt (an unattended upgrade) rather than fail. A
	# mirror caught mid-sync ("File has unexpected size", a 404 for a
	# version its new index no longer names) is past in a minute: once
	# more then, with a fresh index.
	apt_get_install "$@" && return 0
	echo "deps: apt-get install failed; once more in 60 s, with a fresh index" >&2
	sleep 60
	apt-get -o DPkg::Lock::Timeout=600 update -qq || true
	apt_get_install "$@"
}

apt_get_install()
{
	DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq \
		--no-install-recommends "$@" >/dev/null
}

case "$what" in
host|all)
	# shellcheck disable=SC2086
	apt_install $(missing $HOST_PKGS)
	;;
esac

case "$what" in
i386|all)
	if ! dpkg --print-foreign-architectures | grep -qx i386; then
		dpkg --add-architecture i386
		apt_updated=""
	fi
	# shellcheck disable=SC2086
	apt_install $(missing $I386_PKGS)
	;;
esac
