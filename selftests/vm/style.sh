#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The style gates: checkpatch.pl --strict over every source file of the
# module, the UAPI, the tool and the tests; sparse (C=2) over the module
# against every kernel of the matrix, in the kernel's own suite. checkpatch
# comes from Debian's kernel source package (source.sh), never from this tree.
#
# Prints "ok"/"not ok" lines as it goes on stderr and the summary (PASS, FAIL,
# FAILED lines) on stdout; exits non-zero on any failure.
set -u
. "$(dirname "$0")/lib.sh"

npass=0 nfail=0 failed=""
result()
{
	if [ "$1" = 0 ]; then
		npass=$((npass + 1))
		echo "ok $2" >&2
	else
		nfail=$((nfail + 1))
		failed="$failed
FAILED $2"
		echo "not ok $2" >&2
	fi
}

ksrc=$("$VM_DIR/source.sh") || exit 1
cd "$SRC_DIR" || exit 1
files=$(git ls-files 'module/*.[ch]' 'include/uapi/*.h' 'userspace/*.[ch]' \
	'selftests/vmatlas/*.[ch]' 'selftests/unit/*.[ch]' 2>/dev/null ||
	ls module/*.[ch] include/uapi/linux/*.h userspace/*.[ch] selftests/vmatlas/*.[ch] \
	selftests/unit/*.[ch])
for f in $files; do
	ignore=FILE_PATH_CHANGES
	# User space has no compiler_attributes.h: it defines __printf itself.
	case $f in
	# libbpf's idiom for load-time constants is "const volatile" rodata.
	userspace/bpf/*.bpf.c | selftests/vmatlas/bpf/*.bpf.c)
		ignore=$ignore,PREFER_DEFINED_ATTRIBUTE_MACRO,VOLATILE ;;
	# <elf.h>'s own type names (Elf64_Phdr) are not ours to rename.
	userspace/phdrs.c) ignore=$ignore,PREFER_DEFINED_ATTRIBUTE_MACRO,CAMELCASE ;;
	userspace/* | selftests/*) ignore=$ignore,PREFER_DEFINED_ATTRIBUTE_MACRO ;;
	# The one file whose job is to compare kernel versions.
	module/compat.h) ignore=$ignore,LINUX_VERSION_CODE,CONSTANT_COMPARISON ;;
	# TRACE_EVENT() is laid out as include/trace/events/ and samples/trace_events
	# lay it out: one argument macro per line, which checkpatch reads as calls.
	module/trace.h) ignore=$ignore,PARENTHESIS_ALIGNMENT,OPEN_ENDED_LINE ;;
	esac
	out=$(perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --terse --file \
		--ignore "$ignore" "$f" 2>&1 | grep -v '^total:')
	[ -z "$out" ]
	rc=$?
	[ $rc != 0 ] && echo "$out" >&2
	result $rc "checkpatch $f"
done

# clang-format with the kernel's own .clang-format (from the same source
# package as checkpatch): the module must already be laid out as it says.
# trace.h fences its TRACE_EVENT()s off, as the kernel's own headers lay them
# out by hand.
clang_format_all()
{
	local f out rc

	for f in $(git ls-files 'module/*.[ch]' 'module/**/*.[ch]' 2>/dev/null ||
		find module -name '*.[ch]'); do
		out=$(clang-format --style="file:$ksrc/.clang-format" "$f" | diff -u "$f" - 2>&1)
		rc=$?
		[ $rc != 0 ] && echo "$out" | head -n 40 >&2
		result $rc "clang-format $f"
	done
}
clang_format_all

# sparse over the module, once per distinct kernel of the matrix.
sparse_all()
{
	local seen="" t dir rc

	for t in $(target_names); do
		target_load "$t"
		target_kernel >/dev/null 2>&1 || continue
		case " $seen " in *" $KREL "*) continue ;; esac
		seen="$seen $KREL"
		dir=$BUILD_DIR/sparse-$KREL
		rm -rf "$dir"
		mkdir -p "$dir"
		cp -r Kbuild VERSION module include "$dir/"
		kbuild_in "$dir" C=2 >"$dir.log" 2>&1
		rc=$?
		if [ $rc = 0 ] && grep -E '(warning|error):' "$dir.log" >&2; then
			rc=1
		fi
		result $rc "sparse $KREL"
	done
}
# make check leaves it out (VMATLAS_SPARSE=0): each target's build runs sparse.
[ "${VMATLAS_SPARSE:-1}" = 1 ] && sparse_all

printf 'PASS %d\nFAIL %d\nSKIP 0\n%s\n' "$npass" "$nfail" "${failed#?}"
[ "$nfail" = 0 ]
