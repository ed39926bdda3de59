#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build the debug kernel of the test matrix (KASAN, lockdep, DEBUG_VM,
# kmemleak, KFENCE, fault injection, BTF: see debug.config) from the newest
# kernel source Debian offers in a trixie chroot (trixie-backports). Debian
# ships no kernel with these options; its linux-source package is the same
# tree its kernels are built from, so this is "Debian's newest kernel, with
# debugging".
#
# Everything happens inside the chroot: the source package and compiler are
# trixie's, and the tree stays there, at /usr/src/vmatlas-debug-KREL, as the
# KDIR modules are built against (it keeps vmlinux, for module BTF, and
# Module.symvers). The kernel image and its modules (stripped, with
# modules.dep) are copied out to $VMATLAS_CACHE/kernels/debug-KREL for QEMU
# and the initramfs.
#
# The result is cached: a .complete marker names the source package
# version and the hash of debug.config's options, so a second run only asks
# apt which source is newest and takes seconds. A changed debug.config
# rebuilds incrementally in the same tree; a new source package starts from
# a fresh tree.
#
# Usage: debug-kernel.sh CHROOT     (a Debian trixie chroot with
#                                    trixie-backports in its sources, as
#                                    "suite.sh root trixie-backports" makes)
# Environment: VMATLAS_CACHE (default ~/.cache/vmatlas); VMATLAS_DEBUG_SOURCE
# names a source package instead of the newest (e.g. linux-source-6.12);
# VMATLAS_JOBS (default: the number of CPUs).
#
# Prints shell assignments KREL=, VMLINUZ=, KMODDIR=, KDIR=, CHROOT= as
# kernel.sh does; KDIR is a path inside CHROOT.
set -eu

root=${1:-}
cache=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}
vm_dir=$(cd "$(dirname "$0")" && pwd)
fragment=$vm_dir/debug.config
jobs=${VMATLAS_JOBS:-$(nproc)}

die() { echo "debug-kernel.sh: $*" >&2; exit 1; }
say() { echo "debug-kernel.sh: $(date +%T) $*" >&2; }

[ -n "$root" ] || die "usage: debug-kernel.sh CHROOT"
root=$(cd "$root" && pwd) || die "no chroot at $1"
[ -x "$root/usr/bin/apt-get" ] || die "$root is not a Debian chroot"
[ -r "$fragment" ] || die "no $fragment"

# Run in the chroot with /proc mounted in a private mount namespace, as
# suite.sh does (objtool and apt read /proc; nothing stays mounted when the
# command ends).
run_in()
{
	# shellcheck disable=SC2016 # $0 and $@ are the inner shell's
	unshare -m --propagation private sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$root" \
		env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

# The newest linux-source-X.Y apt offers, or the one named. Versions of a
# package are listed newest first by apt-cache madison.
newest_source()
{
	run_in apt-cache pkgnames linux-source- | grep -E '^linux-source-[0-9]+\.[0-9]+$' |
		sort -V | tail -n 1
}

pkg=${VMATLAS_DEBUG_SOURCE:-$(newest_source)}
if [ -z "$pkg" ]; then
	# A chroot whose package lists were never fetched.
	(flock 9 && run_in apt-get update -qq) 9>"$root.lock" >&2 ||
		die "apt-get update in $root failed"
	pkg=$(newest_source)
fi
[ -n "$pkg" ] || die "no linux-source-* package in $root's apt sources"
ver=$(run_in apt-cache madison "$pkg" | awk -F' *[|] *' 'NR == 1 { print $2 }')
[ -n "$ver" ] || die "$pkg: not in $root's package index"
say "source: $pkg $ver"

# What the build depends on: the source, and the option lines of
# debug.config (a change of its comments rebuilds nothing).
key="$pkg $ver $(grep -E '^(CONFIG_|# CONFIG_.* is not set)' "$fragment" | sha256sum |
	cut -d' ' -f1)"

# A finished build of this key: print it and stop (the fast path).
report()
{
	local krel=$1 out=$cache/kernels/debug-$1

	echo "KREL=$krel"
	echo "VMLINUZ=$out/boot/vmlinuz-$krel"
	echo "KMODDIR=$out/lib/modules/$krel"
	echo "KDIR=/usr/src/vmatlas-debug-$krel"
	echo "CHROOT=$root"
}
report_if_built()
{
	local done_marker krel

	for done_marker in "$cache"/kernels/debug-*/.complete; do
		[ -e "$done_marker" ] || continue
		[ "$(cat "$done_marker")" = "$key" ] || continue
		krel=${done_marker%/.complete}
		krel=${krel##*/debug-}
		if [ -e "$root/usr/src/vmatlas-debug-$krel/.vmatlas-complete" ]; then
			report "$krel"
			exit 0
		fi
	done
}
report_if_built

mkdir -p "$cache/kernels"
# One build at a time (two would each take twice as long, in the same tree);
# who waited for another's build finds it done.
exec 8>"$cache/kernels/debug.lock"
flock 8
report_if_built
start=$(date +%s)

# The source and the build dependencies, named one by one: "-t
# trixie-backports" would upgrade unrelated packages too. gcc is trixie's
# gcc-14, the compiler Debian builds these kernels with; pahole makes BTF;
# openssl makes the key modules are signed with (MODULE_SIG, as Debian's).
deps="gcc-14 gcc make bc bison flex libelf-dev libssl-dev openssl pahole cpio kmod python3
	xz-utils"
# shellcheck disable=SC2016,SC2086 # dpkg's ${Version}; $deps is a list
if [ "$(run_in dpkg-query -W -f '${Version}' "$pkg" 2>/dev/null)" != "$ver" ] ||
   ! run_in dpkg-query -W $deps >/dev/null 2>&1; then
	say "installing $pkg=$ver and the build dependencies in $root (if missing)"
	# Serialised with suite.sh and kernel.sh, which share the chroot.
	# shellcheck disable=SC2086
	(flock 9 && run_in apt-get install -y -qq --no-install-recommends "$pkg=$ver" $deps) \
		9>"$root.lock" >"$cache/kernels/debug.apt.log" 2>&1 ||
		{ cat "$cache/kernels/debug.apt.log" >&2; die "cannot install $pkg in $root"; }
fi
tarball=$(run_in dpkg -L "$pkg" | grep -E '^/usr/src/linux-source-.*\.tar\.(xz|bz2|gz)$' |
	head -n 1)
[ -n "$tarball" ] || die "$pkg carries no source tarball"

# Configure in a tree named after the kernel release, which is known only
# once configured: a tree of another source version is never reused (the
# marker in it names the package version). The fragment is copied into the
# tree, so the chroot sees it and the tree says what it was built from.
#
# merge_config.sh -m writes the fragments over defconfig; olddefconfig then
# resolves dependencies (and drops what cannot be set: checked below).
# syncconfig writes include/config/auto.conf, without which "make
# kernelrelease" leaves out CONFIG_LOCALVERSION.
configure()
{
	local tree=$1

	mkdir -p "$root$tree/vmatlas"
	cp "$fragment" "$root$tree/vmatlas/debug.config"
	run_in sh -c "cd '$tree' && make -s defconfig &&
		scripts/kconfig/merge_config.sh -m .config vmatlas/debug.config &&
		make -s olddefconfig && make -s syncconfig" \
		>"$cache/kernels/debug.config.log" 2>&1 ||
		{ cat "$cache/kernels/debug.config.log" >&2; die "configuring $tree failed"; }
}

stage_tree=/usr/src/vmatlas-debug.new
krel=""
for t in "$root"/usr/src/vmatlas-debug-*/; do
	[ "$(cat "$t/.vmatlas-source" 2>/dev/null)" = "$pkg $ver" ] || continue
	t=${t%/}
	krel=${t##*/vmatlas-debug-}
done
if [ -n "$krel" ]; then
	tree=/usr/src/vmatlas-debug-$krel
	say "reusing $tree (debug.config changed or the last build did not finish)"
	rm -f "$root$tree/.vmatlas-complete"
	configure "$tree"
	# A changed fragment may change LOCALVERSION: the release follows.
	new=$(run_in make -s -C "$tree" kernelrelease)
	if [ "$new" != "$krel" ]; then
		rm -rf "$root/usr/src/vmatlas-debug-$new"
		mv "$root$tree" "$root/usr/src/vmatlas-debug-$new"
		krel=$new
		tree=/usr/src/vmatlas-debug-$krel
	fi
else
	say "extracting $tarball"
	rm -rf "${root:?}$stage_tree"
	mkdir -p "$root$stage_tree"
	run_in tar -xf "$tarball" -C "$stage_tree" --strip-components=1 ||
		die "cannot extract $tarball"
	configure "$stage_tree"
	krel=$(run_in make -s -C "$stage_tree" kernelrelease)
	[ -n "$krel" ] || die "no kernel release from $stage_tree"
	tree=/usr/src/vmatlas-debug-$krel
	rm -rf "${root:?}$tree"
	mv "$root$stage_tree" "$root$tree"
	echo "$pkg $ver" >"$root$tree/.vmatlas-source"
fi
say "kernel release $krel, tree $tree (in the chroot)"

# Every option debug.config asks for must be in .config as asked: Kconfig
# silently drops a symbol whose dependencies are not met, or that this
# kernel does not have, and a debug kernel that quietly lost KASAN would
# pass every test. "is not set" lines must not be =y or =m. A line under
# "# (vmatlas: may be absent)" may name a symbol no Kconfig defines.
verify_config()
{
	local cfg=$root$tree/.config line sym want got optional=0 bad=""

	while IFS= read -r line; do
		case $line in
		"# (vmatlas: may be absent)")
			optional=1
			continue
			;;
		CONFIG_*=*)
			sym=${line%%=*}
			want=$line
			;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			want=""
			;;
		*)
			optional=0
			continue
			;;
		esac
		if [ $optional = 1 ] && ! grep -rqsE --include='Kconfig*' \
			"^[[:space:]]*(menu)?config ${sym#CONFIG_}[[:space:]]*$" "$root$tree"; then
			say "note: $sym does not exist in $krel (allowed by debug.config)"
			optional=0
			continue
		fi
		optional=0
		got=$(grep -E "^$sym=" "$cfg" || true)
		if [ -n "$want" ] && [ "$got" != "$want" ]; then
			bad="$bad
    $want (.config: ${got:-not set})"
		elif [ -z "$want" ] && [ -n "$got" ]; then
			bad="$bad
    # $sym is not set (.config: $got)"
		fi
	done <"$fragment"
	[ -z "$bad" ] || die "options of debug.config not in $tree/.config:$bad"
}
verify_config

# The kernel, its modules and what an external module build needs
# (modules_prepare; Module.symvers and vmlinux stay in the tree, the latter
# as the base of module BTF). The log is kept next to the result.
log=$cache/kernels/debug-$krel.build.log
say "building $krel with $jobs jobs (log: $log); on 2 cores this takes a while"
run_in make -C "$tree" -j"$jobs" bzImage modules modules_prepare >"$log" 2>&1 ||
	{ tail -n 40 "$log" >&2; die "building $krel failed (log: $log)"; }
for f in Module.symvers vmlinux arch/x86/boot/bzImage; do
	[ -s "$root$tree/$f" ] || die "$tree has no $f after the build"
done

# Modules installed stripped (debug info stays in the tree), then indexed
# with the chroot's depmod. Kbuild puts them under /lib/modules or, where
# kmod says so, /usr/lib/modules.
stage=/usr/src/vmatlas-debug-$krel.install
rm -rf "${root:?}$stage"
run_in make -C "$tree" INSTALL_MOD_PATH="$stage" INSTALL_MOD_STRIP=1 modules_install \
	>>"$log" 2>&1 || { tail -n 20 "$log" >&2; die "modules_install failed"; }
moddir=""
for d in "$stage/lib/modules/$krel" "$stage/usr/lib/modules/$krel"; do
	[ -d "$root$d" ] && moddir=$d
done
[ -n "$moddir" ] || die "modules_install left no modules for $krel"
run_in depmod -b "${moddir%/lib/modules/*}" "$krel" || die "depmod failed"

out=$cache/kernels/debug-$krel
rm -rf "$out"
mkdir -p "$out/boot" "$out/lib/modules"
cp "$root$tree/arch/x86/boot/bzImage" "$out/boot/vmlinuz-$krel"
cp "$root$tree/.config" "$out/boot/config-$krel"
cp "$root$tree/System.map" "$out/boot/System.map-$krel"
mv "$root$moddir" "$out/lib/modules/$krel"
rm -rf "${root:?}$stage"
# The build and source links point into the chroot: KDIR says where.
rm -f "$out/lib/modules/$krel/build" "$out/lib/modules/$krel/source"

echo "$key" >"$root$tree/.vmatlas-complete"
echo "$key" >"$out/.complete"
say "built $krel in $(( ($(date +%s) - start) / 60 )) min"
report "$krel"
