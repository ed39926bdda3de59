# SPDX-License-Identifier: GPL-2.0
# Has a documentation sample drifted? (sourced by samples.sh in the VM and
# by the unit gate's samples_test.sh, which checks that it can say yes.)

# sample_shape FILE: numbers (decimal, hex, sizes with a unit) become "#",
# runs of blanks one blank: what stays the same from boot to boot.
sample_shape()
{
	awk '{
		gsub(/0x[0-9a-fA-F]+/, "#")
		gsub(/[0-9a-fA-F]*[0-9][0-9a-fA-F]*/, "#")
		gsub(/#(\.#)+/, "#")
		gsub(/#[KMGTPE](iB)?/, "#")
		gsub(/[ \t]+/, " ")
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
