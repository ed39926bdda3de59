#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The sample outputs Documentation/ shows, made here, on this target's live
# kernel: every sample is the run of a command, never typed by hand. Each
# one is printed on the console as "vmatlas-sample: NAME | LINE", from which
# check.sh writes build/TARGET/samples/NAME.txt and "make samples" refreshes
# Documentation/samples/TARGET/ (docs/samples.rst says how).
#
# The committed copy of each sample this target has in the tree
# (/tests/samples/TARGET/NAME.txt) is then compared with the fresh one, by
# shape: numbers and addresses differ from boot to boot, the words do not.
# A sample drifts, and the test fails, when its command is no longer the
# same, its first line of output (a table's header) differs, or fewer than
# half of its lines are still found in the fresh run. A committed sample
# that this run no longer makes fails too.

. /tests/sh/lib.sh
. /tests/sh/mthp.sh
. /tests/sh/drift.sh

out=/tmp/samples
committed=/tests/samples/${vmatlas_target:-unknown}
rm -rf "$out"
mkdir -p "$out"
arch=$(uname -m)

# sample NAME CMD...: run each CMD (a shell command line) in turn, as a
# reader would type it, into $out/NAME.txt: "$ CMD", then what it printed
# (stdout and stderr, as on a terminal). A CMD written "!CMD" must fail (an
# error sample), any other must succeed; otherwise the sample is refused.
sample()
{
	name=$1 bad=0
	shift
	: >"$out/$name.txt"
	for c in "$@"; do
		want=0
		case $c in !*) want=1 c=${c#!} ;; esac
		echo "\$ $c" >>"$out/$name.txt"
		sh -c "$c" >>"$out/$name.txt" 2>&1
		rc=$?
		if { [ $want = 0 ] && [ $rc != 0 ]; } || { [ $want = 1 ] && [ $rc = 0 ]; }; then
			echo "# sample $name: '$c' exited $rc"
			bad=1
		fi
	done
	if [ $bad = 1 ]; then
		mv "$out/$name.txt" "$out/$name.failed"
		return 1
	fi
	sed "s/^/vmatlas-sample: $name | /" "$out/$name.txt"
}

# file_sample NAME FILE: a picture the run made, for Documentation/samples/
# as it is: gzip'ed and in base64 on the console, "vmatlas-file: NAME | LINE".
file_sample()
{
	[ -s "$2" ] || { echo "# sample $1: no $2"; return 1; }
	gzip -c "$2" | base64 | sed "s/^/vmatlas-file: $1 | /"
}

# A process to look at, as in the docs: a busybox sleep.
sleep 600 &
pid=$!
sleep 1
stack=$(awk '/\[stack\]/ { print $1 }' "/proc/$pid/maps")
top=$(printf '0x%x' $((0x${stack#*-} - 16)))

sample info "vmatlas info"
sample info-json "vmatlas info --json"
sample maps "vmatlas maps $pid"
sample walk-stack "vmatlas walk $pid $top"
sample walk-text "vmatlas walk $pid 0x400000"
sample walk-json "vmatlas walk --json $pid $top"
d=/sys/kernel/debug/vmatlas
sample debugfs-walk "echo $pid >$d/pid" "echo 0x400000 >$d/addr" "cat $d/walk"
sample ptdump-stack "vmatlas ptdump $pid --start 0x${stack%-*} --end 0x${stack#*-}"
sample errors "!vmatlas maps 2" "!vmatlas walk 1 0x10" "!vmatlas walk 1 0xffffffffffffffff" \
	"!vmatlas kaddr -o addr,bogus 0xffffffff81000000"
kill $pid

# An address space over time: a shell that, told to, reads a megabyte into a
# variable (malloc(): a new anonymous mapping, its pages touched).
mkfifo /tmp/samples.go
sh -c 'read a </tmp/samples.go; x=$(head -c 1000000 /dev/zero | tr "\0" a); read b </tmp/samples.go' &
shell=$!
sleep 1
sample diff "vmatlas snapshot -o /tmp/a.json $shell" "echo >/tmp/samples.go; sleep 2" \
	"vmatlas snapshot -o /tmp/b.json $shell" "!vmatlas diff /tmp/a.json /tmp/b.json"
kill $shell
rm -f /tmp/samples.go /tmp/a.json /tmp/b.json

# The atlas of the tests' layout process (every kind of mapping, huge pages,
# swapped pages, a shared and a COW region), the workload of any test binary.
rm -f /tmp/layout.pid
VMATLAS_WORKLOAD=layout VMATLAS_WORKLOAD_OUT=/tmp/layout.pid /tests/atlas_test >/dev/null 2>&1 &
wl=$!
i=0
while [ ! -s /tmp/layout.pid ] && [ $i -lt 60 ]; do
	sleep 1
	i=$((i + 1))
done
read -r lp cow cow_end anon anon_end </tmp/layout.pid 2>/dev/null
if [ -n "$lp" ]; then
	sample atlas "vmatlas atlas -o /tmp/atlas.svg $lp" "vmatlas atlas --html -o /tmp/atlas.html $lp"
	file_sample atlas.svg /tmp/atlas.svg
	file_sample atlas.html /tmp/atlas.html
	# A region written before fork(), then one written after: COW-shared, private.
	sample ptdump-sharing "vmatlas ptdump -S $lp --start $cow --end $cow_end" \
		"vmatlas ptdump -S $lp --start $anon --end $anon_end"
else
	echo "# sample atlas: the layout process did not start"
fi
kill $wl
rm -f /tmp/layout.pid /tmp/atlas.svg /tmp/atlas.html

# The faults of a shell growing its heap (a megabyte read into a variable),
# drawn over its address space; the tracer gets ten seconds to attach.
if ! vmatlas --help 2>&1 | grep -q 'faults .*not in this build'; then
	mkfifo /tmp/atlas.go
	sh -c 'read a </tmp/atlas.go; x=$(head -c 1000000 /dev/zero | tr "\0" a); read b </tmp/atlas.go' &
	shell=$!
	vmatlas faults --events --json -d 16 -p $shell >/tmp/atlas-trace.json 2>/dev/null &
	tracer=$!
	sleep 10
	echo >/tmp/atlas.go
	wait $tracer
	sample atlas-faults "vmatlas atlas -f /tmp/atlas-trace.json --no-kernel -o /tmp/atlas-faults.svg $shell"
	file_sample atlas-faults.svg /tmp/atlas-faults.svg
	echo >/tmp/atlas.go
	wait $shell
	rm -f /tmp/atlas.go /tmp/atlas-trace.json /tmp/atlas-faults.svg
fi

sample explain-lazy "vmatlas explain lazy"
sample explain-cow "vmatlas explain cow"
sample explain-threads "vmatlas explain threads"
sample explain-stack "vmatlas explain stack"
sample explain-brk "vmatlas explain brk-vs-mmap"
sample explain-shared "vmatlas explain shared"
sample explain-swap "vmatlas explain swap"
sample explain-thp "vmatlas explain thp"
sample explain-kernel "vmatlas explain kernel"
# Highmem is 32-bit's: elsewhere the scenario refuses in a line.
if grep -q '^HighTotal: *[1-9]' /proc/meminfo; then
	sample explain-highmem "vmatlas explain highmem"
fi
sample explain-elf "vmatlas explain elf"
[ "$arch" = aarch64 ] || sample explain-segments "vmatlas explain segments"

sample layout "vmatlas layout"
if [ "$arch" = aarch64 ]; then
	sample layout-mmu "vmatlas layout | grep -A 4 '^mmu'"
	# The image's header page and the first page of its text (cont).
	image=$(vmatlas layout | awk '$1 == "kernel_image" { print $2 }')
	text=$(vmatlas layout | awk '$1 == "kernel_text" { print $2 }')
	sample kaddr "vmatlas kaddr $image $text"
	sample kaddr-flags "vmatlas kaddr -o addr,region,tlb,flags $image $text"
else
	# A kernel function, this module, a user address, a non-address.
	text=$(awk '$3 == "_printk" { print "0x" $1 }' /proc/kallsyms)
	module=$(awk '$1 == "vmatlas" { print $6 }' /proc/modules)
	sample kaddr "vmatlas kaddr $text $module 0x400000 0x8000000000000000"
	sample kaddr-flags "vmatlas kaddr -o addr,region,size,flags $text $module 0x400000"
fi
sample lab-kmalloc "vmatlas lab kmalloc 12K"
sample lab-pages "vmatlas lab pages 12K"
sample lab-vmalloc "vmatlas lab vmalloc 16K"
sample lab-kmap "vmatlas lab kmap 8K"
sample lab-json "vmatlas lab --json kmalloc 8K"

if ! vmatlas --help 2>&1 | grep -q 'faults .*not in this build'; then
	sample faults-ls "vmatlas faults -- ls -d /"
	# ": " after the subshell: ash runs a last command in place, without fork().
	sample faults-cow "vmatlas faults --events -o time_s,tid,addr,class,pfn_before,pfn_after,maps_before,maps_after -- sh -c 'x=1; (x=2; echo child); :' | grep -E 'TID|cow'"
fi

# arm64 with 4 KiB pages: 64 KiB folios with the contiguous hint.
if mthp_possible; then
	mthp_start
	sample mthp-walk "vmatlas walk $mthp_dd $(printf '0x%x' $(((0x$mthp_start + 0x1ffff) & ~0xffff)))"
	sample mthp-ptdump "vmatlas ptdump $mthp_dd --start 0x$mthp_start --end 0x$mthp_end"
	mthp_stop
fi

# Last: the module unloaded, then loaded again for a user who may not
# open the device.
if unload; then
	sample info-errors "!vmatlas info" "insmod /lib/vmatlas/vmatlas.ko" \
		"!su nobody -s /bin/sh -c 'vmatlas info'"
	[ -e /dev/vmatlas ] || insmod /lib/vmatlas/vmatlas.ko ||
		echo "# samples: the module did not load again"
fi

echo "TAP version 13"
if [ ! -d "$committed" ]; then
	echo "1..1"
	echo "ok 1 samples # SKIP Documentation/samples/ has none of ${vmatlas_target:-this target}"
	exit 4
fi
echo "1..$(ls "$committed" | wc -l)"
for f in "$committed"/*.txt; do
	name=$(basename "$f" .txt)
	new=$out/$name.txt
	# make bench's: the benchmark tests check those, against their small runs.
	case $name in
	bench-*)
		echo "ok $((n + 1)) sample_$name # SKIP make bench's, bench_test.sh and bench_space_test.sh check it"
		n=$((n + 1))
		continue
		;;
	esac
	if [ ! -f "$new" ]; then
		echo "# $name: this run made no such sample"
		result 1 "sample_$name"
		continue
	fi
	ok=0
	if sample_drifted "$f" "$new"; then
		echo "# $name drifted"
		ok=1
	fi
	result $ok "sample_$name"
done
exit $failed
