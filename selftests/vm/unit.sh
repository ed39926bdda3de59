#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The unit gate, on the build machine: the tool's parsers and printers
# (selftests/unit/*_unit.c), its bash completion and usage errors
# (cli_test.sh), the atlas in Chromium (atlas_test.sh), cppcheck over
# it, the documentation (Sphinx, warnings fail), make install/uninstall staged in a DESTDIR against a kernel of the
# matrix the host can build for, the Debian packages (deb_test.sh), and
# the documentation's samples (samples_test.sh).
#
# Prints "ok"/"not ok" lines as it goes on stderr and the summary (PASS,
# FAIL, SKIP, FAILED lines) on stdout; exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

npass=0 nfail=0 nskip=0 failed=""
out=$BUILD_DIR/unit
mkdir -p "$out"

# tap NAME: count a TAP stream on stdin.
tap()
{
	local line

	while IFS= read -r line; do
		case $line in
		"ok "*"# SKIP"*) nskip=$((nskip + 1)) ;;
		"ok "*) npass=$((npass + 1)) ;;
		"not ok "*)
			nfail=$((nfail + 1))
			failed="$failed
FAILED $1: ${line#not ok }"
			;;
		*) continue ;;
		esac
		echo "$line" >&2
	done
}

# run NAME CMD...: a TAP program; one that fails without a "not ok" still fails.
run()
{
	local name=$1 before=$nfail
	shift
	"$@" >"$out/$name.tap" 2>"$out/$name.log"
	local rc=$?
	tap "$name" <"$out/$name.tap"
	if [ $rc != 0 ] && [ $nfail = "$before" ]; then
		nfail=$((nfail + 1))
		failed="$failed
FAILED $name: exit $rc, see $out/$name.log"
	fi
}

ksft=$("$VM_DIR/source.sh")/tools/testing/selftests || exit 1
if make -s -C "$SRC_DIR" TOOLS_OUT="$out" KSFT_DIR="$ksft" BPF=0 tools \
	$(cd "$SRC_DIR" && ls selftests/unit/*_unit.c | sed "s|selftests/unit/\(.*\)\.c|$out/unit/\1|") \
	>"$out/build.log" 2>&1; then
	for t in "$out"/unit/*_unit; do
		run "$(basename "$t")" "$t"
	done
	run completion_test "$SRC_DIR/selftests/unit/completion_test.sh" "$out/vmatlas"
	run cli_test "$SRC_DIR/selftests/unit/cli_test.sh" "$out/vmatlas"
	run diff_test "$SRC_DIR/selftests/unit/diff_test.sh" "$out/vmatlas"
	run atlas_test "$SRC_DIR/selftests/unit/atlas_test.sh" "$out/vmatlas"
else
	nfail=$((nfail + 1))
	failed="$failed
FAILED unit build: see $out/build.log"
fi

# cppcheck over the tool: no warning, portability or performance finding.
if (cd "$SRC_DIR" && cppcheck -q --enable=warning,performance,portability --error-exitcode=1 \
	--inline-suppr -D_GNU_SOURCE -Iuserspace -Iinclude/uapi \
	--library=selftests/unit/json-c.cfg --suppress=missingIncludeSystem userspace/*.c) \
	>"$out/cppcheck.log" 2>&1; then
	npass=$((npass + 1))
	echo "ok cppcheck" >&2
else
	nfail=$((nfail + 1))
	failed="$failed
FAILED cppcheck: see $out/cppcheck.log"
fi

# The documentation, HTML and vmatlas(1), without a Sphinx warning.
for what in docs man; do
	if make -s -C "$SRC_DIR" BUILD="$out/doc" "$what" >"$out/$what.log" 2>&1; then
		npass=$((npass + 1))
		echo "ok make $what" >&2
	else
		nfail=$((nfail + 1))
		failed="$failed
FAILED make $what: see $out/$what.log"
	fi
done

# Documentation/'s samples come from VM runs, not from a keyboard.
run samples_test "$SRC_DIR/selftests/unit/samples_test.sh" "$SRC_DIR"

# make install needs a kernel build tree the host can build in: a bookworm one.
kdir=""
for t in $(target_names all); do
	target_load "$t"
	[ "$T_ARCH" = amd64 ] && [ "$T_SUITE" = bookworm ] && [ "$T_IMAGE" != debug ] || continue
	target_kernel >/dev/null 2>&1 && [ -z "$CHROOT" ] && kdir=$KDIR && break
done
if [ -n "$kdir" ]; then
	run install_test "$SRC_DIR/selftests/unit/install_test.sh" "$kdir"
else
	nfail=$((nfail + 1))
	failed="$failed
FAILED install_test: no kernel the host can build for"
fi

# The Debian packages, and vmatlas-dkms installed on a suite's system: the
# world of a matrix kernel the host builds in a chroot, with its headers.
world=""
for t in $(target_names all); do
	target_load "$t"
	[ "$T_ARCH" = amd64 ] && [ "$T_IMAGE" != debug ] || continue
	target_kernel >/dev/null 2>&1 && [ -n "$CHROOT" ] && world=$CHROOT && break
done
if [ -n "$world" ]; then
	run deb_test "$SRC_DIR/selftests/unit/deb_test.sh" "$world" "$KREL"
else
	nfail=$((nfail + 1))
	failed="$failed
FAILED deb_test: no kernel of the matrix built in a chroot"
fi

printf 'PASS %d\nFAIL %d\nSKIP %d\n%s\n' "$npass" "$nfail" "$nskip" "${failed#?}"
[ "$nfail" = 0 ]
