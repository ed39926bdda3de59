# SPDX-License-Identifier: GPL-2.0
# Has a documentation sample drifted? (sourced by samples.sh in the VM and
# by the unit gate's samples_test.sh, which checks that it can say yes.)

# sample_shape FILE: numbers (decimal, hex, sizes with a unit) become "#",
# runs of blanks one blank, a list of numbers one "#" (a benchmark's rounds):
# what stays the same from boot to boot.
sample_shape()
{
	awk '{
		gsub(/0x[0-9a-fA-F]+/, "#")
		gsub(/[0-9a-fA-F]*[0-9][0-9a-fA-F]*/, "#")
		gsub(/#(\.#)+/, "#")
		gsub(/#[KMGTPE](iB)?/, "#")
		gsub(/[ \t]+/, " ")
		gsub(/#( #)+/, "#")
		print
	}' "$1"
}

# sample_drifted OLD NEW: true (and why, as "# " lines) when NEW is not
# OLD's shape: another command; a table header of OLD (a line of capital
# words: "LEVEL  INDEX  ENTRY", "PHYS(__pa)") not in NEW; or fewer than half of OLD's lines
# still found in NEW. Summary lines may change their words with the facts
# ("physically contiguous" or not): they count only towards the half.
sample_drifted()
{
	sample_shape "$1" >"${TMPDIR:-/tmp}/shape.old"
	sample_shape "$2" >"${TMPDIR:-/tmp}/shape.new"
	set -- "$1" "$2" "${TMPDIR:-/tmp}/shape.old" "${TMPDIR:-/tmp}/shape.new"
	if [ "$(head -n 1 "$3")" != "$(head -n 1 "$4")" ]; then
		echo "# its command changed:"
		head -n 1 "$1" "$2" | sed 's/^/#   /'
		return 0
	fi
	lost=$(awk 'NR == FNR { seen[$0] = 1; next }
		$0 in seen { next }
		{
			for (i = 1; i <= NF; i++)
				if ($i !~ /^[A-Z][A-Z0-9_]*(\([a-z_]+\))?$/)
					next
			if (NF > 1)
				print
		}' "$4" "$3")
	if [ -n "$lost" ]; then
		echo "# a table header is gone:"
		echo "$lost" | sed 's/^/#   /'
		echo "# now:"
		sed 's/^/#   /' "$2"
		return 0
	fi
	total=$(wc -l <"$3")
	found=$(awk 'NR == FNR { seen[$0] = 1; next } $0 in seen { n++ } END { print n + 0 }' "$4" "$3")
	if [ $((found * 2)) -lt "$total" ]; then
		echo "# only $found of its $total lines are still there; now:"
		sed 's/^/#   /' "$2"
		return 0
	fi
	return 1
}

# bench_sample NAME CMD FILE: FILE, what the benchmark command CMD printed
# (the tests run small ones), as the sample NAME on the console (check.sh
# keeps it). The documentation's are make bench's (full size, in parts:
# NAME.txt, NAME-PART.txt): each this target has committed must still have
# the shape of this run, but for its command line. Prints why not ("# "
# lines). Returns 0 when none drifted, 1 when one did, 4 when this target
# has none to compare with.
bench_sample()
{
	{ echo "\$ $2"; cat "$3"; } >"${TMPDIR:-/tmp}/$1.txt"
	sed "s/^/vmatlas-sample: $1 | /" "${TMPDIR:-/tmp}/$1.txt"
	drifted=4
	for f in "/tests/samples/${vmatlas_target:-unknown}/$1".txt \
		"/tests/samples/${vmatlas_target:-unknown}/$1"-*.txt; do
		[ -f "$f" ] || continue
		[ $drifted = 4 ] && drifted=0
		{ head -n 1 "$f"; cat "$3"; } >"${TMPDIR:-/tmp}/$1.now"
		if sample_drifted "$f" "${TMPDIR:-/tmp}/$1.now"; then
			echo "# $(basename "$f") drifted"
			drifted=1
		fi
	done
	return $drifted
}

# bench_sample_result N NAME STATUS: bench_sample's STATUS as TAP case N.
bench_sample_result()
{
	case $3 in
	0) echo "ok $1 sample_$2" ;;
	4) echo "ok $1 sample_$2 # SKIP Documentation/samples/ has none for this target" ;;
	*) echo "not ok $1 sample_$2" ;;
	esac
}
