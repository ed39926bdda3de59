#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# What check.sh and boot.sh share: reading the target table, building the
# module, tool and tests for a target, packing its initramfs and booting it.
# Sourced, not run.

VM_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SRC_DIR=$(cd "$VM_DIR/../.." && pwd)
export VMATLAS_CACHE=${VMATLAS_CACHE:-$HOME/.cache/vmatlas}
BUILD_DIR=${VMATLAS_BUILD:-$SRC_DIR/build/vm}
# Where a run builds inside the suites' chroots, which every run shares: one
# directory per build directory, so that two runs (two clones, or two
# VMATLAS_BUILDs) never build in each other's tree.
CHROOT_BUILD=/build/$(printf '%s' "$BUILD_DIR" | md5sum | cut -c1-8)
# Kernel modules a scenario needs inside the VM: zram (swap, and a disk), ext4.
VM_KMODS=${VM_KMODS:-zram ext4}

log() { echo "vmatlas: $*" >&2; }

# What the debug target runs: every suite, and every test whose code walks
# page tables, reads struct pages or runs in a tracepoint, where KASAN,
# lockdep and DEBUG_VM look. The fault tracer's tests (BPF verifier time,
# several minutes each there) and the benchmarks run on the other targets.
DEBUG_TESTS=fuzz_test,race_test,kill_test,selftarget_test,failnth_test,policy_test
DEBUG_TESTS=$DEBUG_TESTS,module_lifecycle.sh,dkms_module.sh,walk_test,maps_test,ptdump_test,proc_input_test
DEBUG_TESTS=$DEBUG_TESTS,kaddr_test,mmu_test,kfunc_test,trace_test,info_test,table_test,ptdump_table_test,m32/walk_test

# What a five-level target leaves to its four-level sibling (the same
# kernel, the same tests): the tests whose every answer is the same however
# many levels the page tables have. The fault tracer attributes faults to
# VMAs (kfunc_test, which walks, stays), its benchmark times the ways to
# attach, and the module's load cycle never looks at a page table.
# Everything that walks, translates, checks addresses or races a walker
# runs on both.
LA57_SKIP=faults_attach_test,faults_test,bench_test.sh,module_lifecycle.sh
LA57_SKIP=$LA57_SKIP,m32/faults_attach_test,m32/faults_test,faults_stream_test,m32/faults_stream_test

# target_load NAME: sets T_NAME T_ARCH T_SUITE T_IMAGE T_HEADERS T_QEMU T_CPU
# T_MEM T_LEVELS T_UARCH (the matrix column is target_names'), and T_WORLD: the suite its modules and tools are
# built in (suite.sh): SUITE:ARCH for an architecture the host is not.
target_load()
{
	local line

	line=$(grep -v '^#' "$VM_DIR/targets" | awk -v n="$1" '$1 == n')
	[ -n "$line" ] || return 1
	# shellcheck disable=SC2086
	set -- $line
	T_NAME=$1 T_ARCH=$2 T_SUITE=$3 T_IMAGE=$4 T_HEADERS=$5 T_QEMU=$6 T_CPU=$7 T_MEM=$8
	T_LEVELS=$9
	T_WORLD=$T_SUITE
	case $T_ARCH in
	amd64) T_UARCH=x86_64 ;;
	i386) T_UARCH=i386 ;;
	arm64) T_UARCH=aarch64 T_WORLD=$T_SUITE:arm64 ;;
	esac
}

# run_begin MODE: what a run of check.sh or boot.sh starts with: the host's
# dependencies, the build directory, and a run name (the suites' chroots
# refresh their package lists once per run).
run_begin()
{
	"$VM_DIR/deps.sh" all || return 1
	mkdir -p "$BUILD_DIR"
	VMATLAS_RUN="$1.$$.$(date +%s)"
	export VMATLAS_RUN
}

# target_names [all]: the targets "make check" runs (the matrix column says
# yes), or all of them.
target_names()
{
	grep -v '^#' "$VM_DIR/targets" | awk -v all="${1:-}" 'NF && (all || $10 == "yes") { print $1 }'
}

# Kernel image and headers for the loaded target: sets KREL VMLINUZ KMODDIR
# KDIR CHROOT (KDIR is inside CHROOT when the kernel is of another suite).
target_kernel()
{
	local out root

	if [ "$T_IMAGE" = debug ]; then
		# Built from the suite's newest kernel source, once, into the cache.
		root=$("$VM_DIR/suite.sh" root "$T_SUITE") || return 1
		out=$("$VM_DIR/debug-kernel.sh" "$root") || return 1
	else
		out=$("$VM_DIR/kernel.sh" "$T_ARCH" "$T_SUITE" "$T_IMAGE" "$T_HEADERS") || return 1
	fi
	eval "$out"
}

# kbuild_in DIR [MAKE ARGS]: build the external module in DIR for the
# loaded kernel, warnings enabled (W=1), in the kernel's suite: on the host,
# or in the suite's chroot through a copy of DIR that is copied back.
kbuild_in()
{
	local dir=$1 inner
	shift

	if [ -z "$CHROOT" ]; then
		make -C "$KDIR" M="$dir" ARCH=x86 W=1 "$@" modules
		return
	fi
	inner=$CHROOT_BUILD/$T_NAME/$(basename "$dir")
	rm -rf "$CHROOT$inner"
	mkdir -p "$(dirname "$CHROOT$inner")"
	cp -r "$dir" "$CHROOT$inner"
	"$VM_DIR/suite.sh" run "$T_WORLD" make -C "$KDIR" M="$inner" W=1 "$@" modules || return 1
	rm -rf "$dir"
	cp -r "$CHROOT$inner" "$dir"
}

# The tool and tests for one user-space architecture, static, once per run.
# One the host cannot build for (aarch64) is built in the world of a target
# of that architecture (cross_userspace).
build_userspace()
{
	local uarch=$1 out=$BUILD_DIR/$1 m32=0 ksft

	case $uarch in
	x86_64 | i386) ;;
	*) cross_userspace "$uarch"; return ;;
	esac
	mkdir -p "$out"
	[ "$uarch" = i386 ] && m32=1
	ksft=$("$VM_DIR/source.sh")/tools/testing/selftests || return 1
	# vmlinux.h for the BPF programs: from a fetched kernel's BTF (6.12 ships it).
	btf=$(ls "$VMATLAS_CACHE"/kernels/*/usr/src/linux-headers-*/vmlinux 2>/dev/null | head -n 1)
	make -s -C "$SRC_DIR" TOOLS_OUT="$out" TOOLS_STATIC=1 TOOLS_M32=$m32 KSFT_DIR="$ksft" \
		${btf:+VMLINUX_BTF="$btf"} BPF=$([ -n "$btf" ] && [ $m32 = 0 ] && echo 1 || echo 0) \
		tools selftests >"$out.log" 2>&1 || { cat "$out.log" >&2; return 1; }
}

# cross_userspace UARCH: the tool and tests for UARCH, cross-compiled in the
# host's suite with UARCH added (suite.sh's HOST:ARCH world: the cross
# compiler and UARCH's static libraries; trixie's static libelf cannot be
# linked, it lacks libeu), BPF included: vmlinux.h comes from the BTF of
# the first kernel of that architecture in the matrix (its headers carry
# vmlinux).
cross_userspace()
{
	local uarch=$1 out=$BUILD_DIR/$1 world root btf="" ksft inner=$CHROOT_BUILD/userspace-$1

	world=$(. /etc/os-release && echo "$VERSION_CODENAME"):$(target_arch "$uarch")
	root=$("$VM_DIR/suite.sh" root "$world") || return 1
	rm -rf "$root$inner" "$out"
	mkdir -p "$root$inner/src/selftests" "$root$inner/ksft" "$out"
	# In a subshell: the caller's target stays loaded.
	if (for t in $(target_names all); do
		target_load "$t" && [ "$T_UARCH" = "$uarch" ] || continue
		target_kernel >/dev/null 2>&1 && [ -f "$CHROOT$KDIR/vmlinux" ] || continue
		cp "$CHROOT$KDIR/vmlinux" "$root$inner/vmlinux"
		exit 0
	done; exit 1); then
		btf=$inner/vmlinux
	fi
	ksft=$("$VM_DIR/source.sh")/tools/testing/selftests || return 1
	cp -r "$SRC_DIR/Makefile" "$SRC_DIR/VERSION" "$SRC_DIR/include" "$SRC_DIR/userspace" \
		"$root$inner/src/"
	cp -r "$SRC_DIR/selftests/vmatlas" "$root$inner/src/selftests/"
	mkdir -p "$root$inner/src/Documentation"
	cp "$SRC_DIR/Documentation/vmatlas.schema.json" "$root$inner/src/Documentation/"
	cp "$ksft"/*.h "$root$inner/ksft/"
	"$VM_DIR/suite.sh" run "$world" make -s -C "$inner/src" TOOLS_OUT="$inner/out" \
		CC="$uarch-linux-gnu-gcc" TOOLS_STATIC=1 KSFT_DIR="$inner/ksft" \
		BPF_ARCH="$(target_arch "$uarch")" ${btf:+VMLINUX_BTF="$btf"} \
		BPF=$([ -n "$btf" ] && echo 1 || echo 0) tools selftests >"$out.log" 2>&1 ||
		{ cat "$out.log" >&2; return 1; }
	cp -r "$root$inner/out"/. "$out/"
}

# The kernel's (and Debian's) name of a user-space architecture, as BPF's
# CO-RE macros (bpf_tracing.h's __TARGET_ARCH_*) spell it too.
target_arch()
{
	case $1 in
	aarch64) echo arm64 ;;
	*) echo x86 ;;
	esac
}

# Debian package PKG of architecture ARCH, unpacked into DIR under the cache
# (once): from the host's archive, or from that of the target's world for an
# architecture the host does not have.
deb_unpacked()
{
	local arch=$1 pkg=$2 dir=$3 root

	[ -e "$dir/.complete" ] && return 0
	rm -rf "$dir"
	mkdir -p "$dir"
	case $arch in
	amd64 | i386)
		(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root \
			"$pkg:$arch" >/dev/null 2>&1) || return 1
		;;
	*)
		root=$("$VM_DIR/suite.sh" root "$T_WORLD") || return 1
		rm -rf "$root/tmp/deb"
		mkdir -p "$root/tmp/deb"
		"$VM_DIR/suite.sh" run "$T_WORLD" sh -c "cd /tmp/deb &&
			apt-get download -q -o APT::Sandbox::User=root $pkg:$arch" \
			>/dev/null 2>&1 || return 1
		mv "$root"/tmp/deb/*.deb "$dir/"
		;;
	esac
	dpkg -x "$dir"/"${pkg}"_*.deb "$dir" && touch "$dir/.complete"
}

# busybox-static of the target's architecture: its path.
busybox_for()
{
	local dir=$VMATLAS_CACHE/busybox/$1

	deb_unpacked "$1" busybox-static "$dir" || return 1
	# Merged /usr (trixie) puts it in usr/bin.
	[ -x "$dir/usr/bin/busybox" ] && { echo "$dir/usr/bin/busybox"; return; }
	echo "$dir/bin/busybox"
}

# Build the module for the loaded target in a private copy of the sources.
# W=1 and sparse warnings are failures; the log is $out/module.log.
build_module()
{
	local out=$1

	rm -rf "$out/src"
	mkdir -p "$out/src"
	cp -r "$SRC_DIR/Kbuild" "$SRC_DIR/VERSION" "$SRC_DIR/module" "$SRC_DIR/include" "$out/src/"
	# sparse (C=2) too: its warnings fail the build as W=1's do.
	kbuild_in "$out/src" C=2 >"$out/module.log" 2>&1 || return 1
	# Headers with a vmlinux give the module BTF, which its kfuncs need: a
	# build that lost it (no pahole) would quietly test the fallback instead.
	if [ -f "$CHROOT$KDIR/vmlinux" ] && ! readelf -S "$out/src/vmatlas.ko" | grep -q '\.BTF '; then
		echo "vmatlas.ko has no BTF although $KDIR/vmlinux exists" >>"$out/module.log"
		return 1
	fi
	# The test-only helper module (kernel objects with their physical addresses).
	rm -rf "$out/helper"
	cp -r "$SRC_DIR/selftests/vmatlas/helper" "$out/helper"
	kbuild_in "$out/helper" >>"$out/module.log" 2>&1 || return 1
	! grep -q 'warning:' "$out/module.log"
}

# ko_plain FILE DEST: a module file as insmod takes it, uncompressed (Debian
# compresses its modules with xz, newer kernels may use zstd).
ko_plain()
{
	case $1 in
	*.xz) xz -dc "$1" >"$2" ;;
	*.zst) zstd -qdc "$1" >"$2" ;;
	*) cp "$1" "$2" ;;
	esac
}

# build_dkms OUT: the module built by DKMS itself, as vmatlas-dkms builds it
# on a user's machine: "make dkms-source", then "dkms add" and "dkms build"
# for the loaded kernel in its suite's world, with private trees (nothing
# is registered system-wide). The result is OUT/dkms/vmatlas.ko, which
# dkms_module.sh loads in the VM; the log is OUT/dkms.log.
build_dkms()
{
	local out=$1 ver tree=$CHROOT_BUILD/$T_NAME/dkms arch strip="" f
	local -a run=("$VM_DIR/suite.sh" run "$T_WORLD")

	ver=$(cat "$SRC_DIR/VERSION")
	[ -n "$CHROOT" ] || { tree=$out/dkms-tree; run=(); }
	case $T_ARCH in
	amd64) arch=x86_64 ;;
	i386) arch=i686 ;;
	# The host's strip cannot read an arm64 object.
	arm64) arch=aarch64 strip=--directive=STRIP[0]=no ;;
	esac
	rm -rf "$CHROOT$tree" "$out/dkms"
	mkdir -p "$CHROOT$tree/source" "$CHROOT$tree/tree" "$out/dkms"
	make -s -C "$SRC_DIR" dkms-source DKMS_SRC="$CHROOT$tree/source/vmatlas-$ver" || return 1
	"${run[@]}" dkms add --dkmstree "$tree/tree" --sourcetree "$tree/source" \
		-m vmatlas -v "$ver" || return 1
	"${run[@]}" dkms build --dkmstree "$tree/tree" --sourcetree "$tree/source" \
		-m vmatlas -v "$ver" -k "$KREL" -a "$arch" --kernelsourcedir "$KDIR" $strip ||
		{ cat "$CHROOT$tree/tree/vmatlas/$ver/build/make.log" 2>/dev/null; return 1; }
	f=$(find "$CHROOT$tree/tree/vmatlas/$ver/$KREL" -name 'vmatlas.ko*' | head -n 1)
	[ -n "$f" ] || { echo "dkms build left no vmatlas.ko for $KREL"; return 1; }
	ko_plain "$f" "$out/dkms/vmatlas.ko"
	# The kernel's own vermagic, as the Kbuild module has it.
	[ "$(modinfo -F vermagic "$out/dkms/vmatlas.ko")" = "$(modinfo -F vermagic "$out/src/vmatlas.ko")" ] ||
		{ echo "the DKMS module's vermagic is not the kernel's"; return 1; }
}

# A dynamically linked program and what it loads, for "vmatlas explain elf"
# (all else in the VM is static): coreutils' true of the target's
# architecture, its C library and dynamic linker, from Debian's packages, the
# interpreter's path made to resolve whether the package merged /usr or not.
pack_dynamic_true()
{
	local root=$1 d=$VMATLAS_CACHE/debs/$T_ARCH interp ld

	deb_unpacked "$T_ARCH" coreutils "$d/coreutils" &&
		deb_unpacked "$T_ARCH" libc6 "$d/libc6" || return 1
	mkdir -p "$root/usr/bin"
	# bin/true before the /usr merge (bookworm), usr/bin/true after it.
	cp "$(find "$d/coreutils" -path '*bin/true' -type f | head -1)" "$root/usr/bin/true" ||
		return 1
	(cd "$d/libc6" && find . \( -name 'ld-linux*.so*' -o -name 'libc.so.6' \) \
		-exec cp -a --parents {} "$root/" \;) || return 1
	interp=$(readelf -l "$root/usr/bin/true" | sed -n 's/.*interpreter: \(.*\)]/\1/p')
	if [ ! -e "$root$interp" ]; then
		ld=$(cd "$root" && find . -name "$(basename "$interp")" ! -type l | head -1)
		[ -n "$ld" ] || return 1
		mkdir -p "$root$(dirname "$interp")"
		ln -sf "/${ld#./}" "$root$interp"
	fi
}

# Pack the initramfs for the loaded target: busybox, /init, the module, the
# tool, tests, and the kernel modules in VM_KMODS with their dependencies.
pack_initramfs()
{
	local out=$1 mode=$2 root=$1/initramfs bb m f

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,etc,root,lib/vmatlas/kmods,tests}
	bb=$(busybox_for "$T_ARCH") || { log "cannot get busybox-static:$T_ARCH"; return 1; }
	cp "$bb" "$root/bin/busybox"
	ln -s busybox "$root/bin/sh"
	cp "$VM_DIR/init.sh" "$root/init"
	cp "$VM_DIR/demo.sh" "$root/bin/vmatlas-demo"
	cp "$VM_DIR/bench.sh" "$root/bin/vmatlas-bench"
	cp "$out/src/vmatlas.ko" "$out/helper/vmatlas_test_helper.ko" "$root/lib/vmatlas/"
	if [ "$mode" = test ]; then
		mkdir -p "$root/lib/vmatlas/dkms"
		cp "$out/dkms/vmatlas.ko" "$root/lib/vmatlas/dkms/"
	fi
	cp "$BUILD_DIR/$T_UARCH/vmatlas" "$BUILD_DIR/$T_UARCH/vmatlas-bench-space" "$root/bin/"
	pack_dynamic_true "$root" || { log "cannot pack a dynamic true for $T_ARCH"; return 1; }
	# make bench VMATLAS_BENCH_BASELINE=FILE: an earlier (static) build of the
	# tool, timed beside this one in the same boot by "vmatlas-bench others".
	if [ "$mode" = bench ] && [ -n "${VMATLAS_BENCH_BASELINE:-}" ]; then
		cp "$VMATLAS_BENCH_BASELINE" "$root/bin/vmatlas-baseline"
	fi
	# make bench VMATLAS_BENCH_PERF=1|FREQ: the host's perf and its libraries, to
	# profile the address-space benchmark (init.sh); a developer's tool, for
	# targets of the host's architecture.
	if [ "$mode" = bench ] && [ -n "${VMATLAS_BENCH_PERF:-}" ]; then
		{ echo /usr/bin/perf; ldd /usr/bin/perf | grep -o '/[^ ]*'; } |
			xargs cp -L --parents -t "$root" || return 1
		# Samples a second, per CPU: VMATLAS_BENCH_PERF=4999; 1 is 499.
		echo "$VMATLAS_BENCH_PERF" >"$root/etc/vmatlas-perf"
	fi
	# What the shell tests and the demo share: not a test, outside the glob
	# init.sh runs.
	cp -r "$SRC_DIR/selftests/vmatlas/sh" "$root/tests/"
	if [ "$mode" = test ] || [ "$mode" = bench ]; then
		cp "$BUILD_DIR/$T_UARCH"/tests/* "$SRC_DIR"/selftests/vmatlas/*.sh "$root/tests/"
		# What vmatlas-dkms ships as examples (examples_test.sh).
		cp -r "$SRC_DIR/debian/examples" "$root/tests/"
		# The documentation's samples, which samples.sh checks for drift.
		if [ -d "$SRC_DIR/Documentation/samples" ]; then
			cp -r "$SRC_DIR/Documentation/samples" "$root/tests/"
		fi
		# Lockdown cannot be lowered again: that test runs after all others.
		mkdir -p "$root/tests/last"
		mv "$root/tests/policy_test" "$root/tests/last/"
		# The 32-bit tests also run on x86_64: they exercise compat_ioctl.
		if [ "$T_UARCH" = x86_64 ] && [ -d "$BUILD_DIR/i386/tests" ]; then
			mkdir -p "$root/tests/m32" "$root/tests/last/m32"
			cp "$BUILD_DIR"/i386/tests/* "$root/tests/m32/"
			# policy_test runs it at each lockdown level it raises.
			mv "$root/tests/m32/policy_test" "$root/tests/last/m32/"
			# ... and so does the 32-bit tool they run.
			cp "$BUILD_DIR/i386/vmatlas" "$root/bin/vmatlas32"
		fi
	fi
	printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' \
		>"$root/etc/passwd"
	printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

	for m in $VM_KMODS; do
		modprobe -d "${KMODDIR%/lib/modules/*}" -S "$KREL" --show-depends "$m" 2>/dev/null |
			awk '$1 == "insmod" { print $2 }'
	done | awk '!seen[$0]++' | while read -r f; do
		m=$(basename "$f")
		m=${m%.xz}
		m=${m%.zst}
		ko_plain "$f" "$root/lib/vmatlas/kmods/$m"
		echo "$m" >>"$root/lib/vmatlas/kmods.list"
	done

	chmod +x "$root/init" "$root/bin/vmatlas-demo" "$root/bin/vmatlas-bench"
	(cd "$root" && find . | cpio -o -H newc --quiet | gzip -1) >"$out/initramfs.gz"
}

# Everything a boot of the named target needs; sets T_OUT.
prepare_target()
{
	local name=$1 mode=$2

	target_load "$name" || { log "unknown target '$name' (see selftests/vm/targets)"; return 1; }
	T_OUT=$BUILD_DIR/$name
	mkdir -p "$T_OUT"
	target_kernel || return 2
	build_module "$T_OUT" || { log "$name: module build failed or warned:"; cat "$T_OUT/module.log" >&2; return 1; }
	if [ "$mode" = test ]; then
		build_dkms "$T_OUT" >"$T_OUT/dkms.log" 2>&1 ||
			{ log "$name: dkms build failed:"; cat "$T_OUT/dkms.log" >&2; return 1; }
	fi
	pack_initramfs "$T_OUT" "$mode" || return 1
}

# samples_extract CONSOLE DIR: the documentation's samples a test boot made
# (samples.sh's "vmatlas-sample: NAME | LINE" lines), one DIR/NAME.txt each,
# and its pictures ("vmatlas-file: NAME | BASE64" of a gzip), DIR/NAME each.
samples_extract()
{
	local f

	rm -rf "$2"
	mkdir -p "$2"
	tr -d '\r' <"$1" | awk -v dir="$2" '
		sub(/^vmatlas-sample: /, "") {
			i = index($0, " | ")
			if (i)
				print substr($0, i + 3) >(dir "/" substr($0, 1, i - 1) ".txt")
		}
		sub(/^vmatlas-file: /, "") {
			i = index($0, " | ")
			if (i)
				print substr($0, i + 3) >(dir "/" substr($0, 1, i - 1) ".b64")
		}'
	for f in "$2"/*.b64; do
		[ -f "$f" ] || continue
		base64 -d "$f" | gunzip >"${f%.b64}" || rm -f "${f%.b64}"
		rm -f "$f"
	done
}

# The kernel command line for the loaded target and mode.
kernel_cmdline()
{
	local mode=$1 cmd

	case $T_ARCH in
	arm64) cmd="console=ttyAMA0" ;;
	*) cmd="console=ttyS0" ;;
	esac
	cmd="$cmd loglevel=4 panic=-1"
	if [ "$mode" = bench ]; then
		# Timed as users run it: no allocator debugging, which costs one
		# side more than the other (stack traces of every slab object,
		# poisoned and checked pages).
		:
	elif [ "$T_IMAGE" = debug ]; then
		# KASAN catches what slub_debug and page poisoning would, and
		# more; the tests' timeouts stretch to the kernel's pace.
		cmd="$cmd kfence.sample_interval=1 vmatlas_timeout_scale=${VMATLAS_DEBUG_SCALE:-10}"
	else
		cmd="$cmd slub_debug=FZPU page_poison=1 init_on_free=1"
		case $KREL in
		6.1.*) ;;
		*) cmd="$cmd kfence.sample_interval=1" ;;
		esac
	fi
	# One 1 GiB page, a PUD leaf: x86 with pdpe1gb; arm64 with 4 KiB pages
	# (with 16 KiB a PUD maps 64 GiB).
	case $T_CPU:$T_ARCH:$KREL in
	*+pdpe1gb*) cmd="$cmd hugepagesz=1G hugepages=1" ;;
	*:arm64:*-16k) ;;
	*:arm64:*) cmd="$cmd hugepagesz=1G hugepages=1" ;;
	esac
	# VMATLAS_TESTS: run only these tests (comma-separated names).
	if [ -n "${VMATLAS_TESTS:-}" ]; then
		cmd="$cmd vmatlas_tests=$VMATLAS_TESTS"
	elif [ "$T_IMAGE" = debug ]; then
		cmd="$cmd vmatlas_tests=$DEBUG_TESTS"
	elif [ "$T_LEVELS" = 5 ]; then
		cmd="$cmd vmatlas_skip=$LA57_SKIP"
	fi
	# VMATLAS_BENCH: which benchmark "make bench" runs (faults, others, space; all).
	[ "$mode" = bench ] && cmd="$cmd vmatlas_bench=${VMATLAS_BENCH:-all}"
	# VMATLAS_APPEND: more of it, e.g. VMATLAS_RACE_SECONDS=240 (the kernel
	# hands init the parameters it does not know as environment variables).
	[ -n "${VMATLAS_APPEND:-}" ] && cmd="$cmd $VMATLAS_APPEND"
	echo "$cmd vmatlas_mode=$mode vmatlas_levels=$T_LEVELS vmatlas_target=$T_NAME"
}

# boot_vm MODE [qemu args...]: boot the prepared target. $VM_RUNNER, if set,
# prefixes the command (a timeout).
boot_vm()
{
	local mode=$1 machine=""
	shift
	# The kernel patches its text live (ftrace, static keys) while the tests
	# attach and detach BPF programs: under multi-threaded TCG a vCPU may
	# still run a patched-out int3 ("Oops: int3" in handle_mm_fault, seen on
	# 6.12 and on the debug kernel, with or without vmatlas loaded). One TCG
	# thread keeps both vCPUs' view of the code coherent; with two VMs at a
	# time on two cores it costs little. VM_TCG_THREAD=multi: only for a boot
	# that patches nothing (boot.sh's benchmark parts).
	# arm64: QEMU's virt board, with a device tree and a PL011 console.
	[ "$T_ARCH" = arm64 ] && machine="-M virt"
	# shellcheck disable=SC2086
	${VM_RUNNER:-} "$T_QEMU" $machine -accel tcg,thread=${VM_TCG_THREAD:-single} -m "$T_MEM" -smp 2 -cpu "$T_CPU" -no-reboot \
		-kernel "$VMLINUZ" -initrd "$T_OUT/initramfs.gz" \
		-append "$(kernel_cmdline "$mode")" "$@"
}
