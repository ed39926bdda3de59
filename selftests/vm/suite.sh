#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# A Debian suite's own world: a chroot made with mmdebstrap under the cache,
# in which kernels of that suite are resolved, their headers installed and
# modules built with the suite's compiler and kbuild. Nothing of the suite
# reaches the host (trixie's modpost alone needs a newer glibc than
# bookworm's). The chroot is made once and reused; its package lists are
# refreshed once per run (VMATLAS_RUN), so the newest kernel is met the week
# Debian ships it.
#
# A suite of another architecture, SUITE:ARCH (trixie:arm64), is a world of
# its own: the same suite for the host's architecture, with ARCH added
# (multiarch), the cross compiler the suite's kernels are built with and the
# libraries the tool and tests link statically for ARCH.
#
# Usage: suite.sh base SUITE          the suite a chroot is made of (trixie for
#                                     trixie-backports, trixie-arm64 for
#                                     trixie-backports:arm64), or "host" if
#                                     the host is that suite
#        suite.sh root SUITE          make or refresh the chroot; print its path
#        suite.sh run SUITE CMD...    run CMD in it, with /proc mounted
set -eu

cache=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}
mirror=${VMATLAS_MIRROR:-http://deb.debian.org/debian}

die() { echo "suite.sh: $*" >&2; exit 1; }

base_of()
{
	local host arch=""

	host=$(. /etc/os-release && echo "${VERSION_CODENAME:-}")
	case $1 in
	*:*) arch=${1#*:}; set -- "${1%%:*}" ;;
	esac
	case $1 in
	*-backports | *-updates) set -- "${1%-*}" ;;
	unstable) set -- sid ;;
	esac
	if [ -n "$arch" ]; then
		echo "$1-$arch"
	elif [ "$1" = "$host" ]; then
		echo host
	else
		echo "$1"
	fi
}

# What a chroot of ARCH has beyond the native one: ARCH itself, its cross
# compiler and the static libraries of the tool (json-c, libbpf) and tests.
cross_opts()
{
	local arch=$1 triplet

	case $arch in
	arm64) triplet=aarch64-linux-gnu ;;
	*) die "no cross world for $arch" ;;
	esac
	echo "--architectures=amd64,$arch --include=gcc-$triplet,clang,llvm,bpftool"
	echo "--include=libjson-c-dev:$arch,libbpf-dev:$arch,libelf-dev:$arch,zlib1g-dev:$arch"
	echo "--include=libzstd-dev:$arch"
}

# Run in the chroot with /proc mounted in a private mount namespace (objtool
# reads /proc; nothing stays mounted when the command ends).
run_in()
{
	local root=$1
	shift
	unshare -m --propagation private sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# What every world has beyond buildd's compiler: pahole for module BTF,
# kmod for depmod, sparse for the style gate, dkms for the DKMS test.
# A chroot made before a package joined this list gets it at its next
# refresh.
PKGS="pahole kmod bc xz-utils zstd sparse dkms"

# Make the chroot of SUITE if missing, refresh its lists once per run.
# Serialised: parallel targets share one chroot.
ensure_root()
{
	local suite=${1%%:*} arch="" base dist root sources extra="" backports=""

	base=$(base_of "$1")
	dist=$base
	case $1 in
	*:*) arch=${1#*:}; extra=$(cross_opts "$arch"); dist=${base%-"$arch"} ;;
	esac
	[ "$base" != host ] || die "$suite is the host's suite: no chroot needed"
	root=$cache/chroots/$base
	mkdir -p "$cache/chroots"
	# A suite and its backports share a chroot (trixie:arm64 for 6.12-arm64,
	# trixie-backports:arm64 for the newest), made by whichever target
	# comes first: both are in its sources. Nothing comes from backports
	# unless asked for (NotAutomatic); kernel.sh picks versions by suite.
	[ "$dist" = sid ] || backports="deb $mirror $dist-backports main"
	exec 9>"$root.lock"
	flock 9
	if [ ! -e "$root/.complete" ]; then
		rm -rf "$root"
		sources="deb $mirror $dist main${backports:+
$backports}"
		echo "suite.sh: making a $base chroot (once; about a minute)" >&2
		# shellcheck disable=SC2086
		mmdebstrap --variant=buildd --include="$(echo $PKGS | tr ' ' ,)" $extra \
			--aptopt='Acquire::Check-Valid-Until "false"' \
			--aptopt='APT::Install-Recommends "false"' \
			"$dist" "$root" "$sources" >"$root.log" 2>&1 ||
			{ cat "$root.log" >&2; die "mmdebstrap $base failed"; }
		touch "$root/.complete"
	fi
	# A chroot made before then, for the suite alone, gets its backports.
	if [ -n "$backports" ] && ! grep -qxF "$backports" "$root/etc/apt/sources.list"; then
		echo "$backports" >>"$root/etc/apt/sources.list"
		rm -f "$root/.run"
	fi
	if [ "$(cat "$root/.run" 2>/dev/null)" != "${VMATLAS_RUN:-$$}" ]; then
		run_in "$root" apt-get update -qq >"$root.log" 2>&1 ||
			{ cat "$root.log" >&2; die "apt-get update in the $base chroot failed"; }
		# shellcheck disable=SC2086
		run_in "$root" sh -c 'dpkg-query -W $0 "$@" >/dev/null 2>&1 ||
			apt-get install -y -qq $0 "$@"' $PKGS >>"$root.log" 2>&1 ||
			{ cat "$root.log" >&2; die "apt-get install in the $base chroot failed"; }
		echo "${VMATLAS_RUN:-$$}" >"$root/.run"
	fi
	echo "$root"
}

cmd=${1:-}
[ $# -ge 2 ] || die "usage: suite.sh base|root|run SUITE [CMD...]"
suite=$2
shift 2
case $cmd in
base) base_of "$suite" ;;
root) ensure_root "$suite" ;;
run)
	root=$cache/chroots/$(base_of "$suite")
	[ -e "$root/.complete" ] || die "no chroot for $suite (suite.sh root $suite)"
	run_in "$root" "$@"
	;;
*) die "unknown command $cmd" ;;
esac
