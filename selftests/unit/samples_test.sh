#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The documentation shows no output typed by hand: every sample is a file
# of Documentation/samples/TARGET/ that a VM run made (samples.sh in the
# VM, "make samples" here) and that the rst files include, and that the
# next run checks for drift. TAP on stdout.
#
# Usage: samples_test.sh SRC_DIR
set -u
export LC_ALL=C

. "$(dirname "$0")/tap.sh"
. "$1/selftests/vmatlas/sh/drift.sh"
cd "$1/Documentation" || exit 1
TMPDIR=$(mktemp -d)
export TMPDIR
trap 'rm -rf "$TMPDIR"' EXIT

echo "TAP version 13"

# A prompt followed by vmatlas, or one of its error lines, in an rst file:
# output pasted in, not included.
typed=$(grep -nE '^[[:space:]]+(\$ vmatlas|# vmatlas |vmatlas: )' ./*.rst)
[ -z "$typed" ]
result $? "no vmatlas output is typed into the rst files" "$typed"

included=$(sed -n 's/^[[:space:]]*\.\. literalinclude:: \(samples\/.*\)$/\1/p' ./*.rst | sort -u)
missing=$(for f in $included; do [ -f "$f" ] || echo "$f"; done)
[ -n "$included" ] && [ -z "$missing" ]
result $? "every sample the rst files include exists" "missing: $missing"

orphans=$(find samples -name '*.txt' 2>/dev/null | sort | comm -23 - <(echo "$included"))
[ -z "$orphans" ]
result $? "every committed sample is shown somewhere" "not included: $orphans"

# The pictures and pages too: an image, or a download.
shown=$(sed -n 's/^[[:space:]]*\.\. image:: \(samples\/.*\)$/\1/p; s/.*:download:`[^<`]*<\(samples\/[^>]*\)>`.*/\1/p' \
	./*.rst | sort -u)
pictures=$(find samples -name '*.svg' -o -name '*.html' 2>/dev/null | sort)
unshown=$(comm -23 <(echo "$pictures") <(echo "$shown"))
gone=$(for f in $shown; do [ -f "$f" ] || echo "$f"; done)
[ -n "$pictures" ] && [ -z "$unshown" ] && [ -z "$gone" ]
result $? "every committed picture is shown, and every one shown exists" \
	"not shown: $unshown; missing: $gone"

# The tutorial quotes the samples' numbers in its prose: a refreshed sample
# leaves them stale. Every hexadecimal number it quotes must be in a sample,
# but for the notes' own example and those it works out from a sample's.
derived="0xc0000001 0xf4dd000 0xbf617000 0x86dc000"
stale=$(grep -o '``0x[0-9a-f]*``' tutorial.rst | tr -d '`' | sort -u | while read -r h; do
	case " $derived " in *" $h "*) continue ;; esac
	grep -rqiF -- "$h" samples/ || echo "$h"
done)
[ -z "$stale" ]
result $? "every address the tutorial quotes is in a sample" "in no sample: $stale"

# Each is a run: "$ COMMAND" first, then what it printed.
bad_head=$(for f in $included; do [ -f "$f" ] && ! head -n 1 "$f" | grep -q '^\$ ' && echo "$f"; done)
[ -z "$bad_head" ]
result $? "every sample starts with the command that made it" "$bad_head"

# The tool's output fits 100 columns: a line may run past only by one word
# that is never cut, a path or a list of flags (with a '/' or a ','), and
# would fit without it. The command line that made the sample is not output;
# the benchmarks and debugfs are not the tool.
wide=$(for f in $included; do
	[ -f "$f" ] && head -n 1 "$f" | grep -q '^\$ vmatlas ' &&
		awk -v f="$f" 'NR > 1 && length($0) > 100 {
		long = 0
		for (i = 1; i <= NF; i++)
			if ($i ~ /[\/,]/ && length($i) > long)
				long = length($i)
		if (length($0) - long > 100)
			print f ":" NR ": " length($0) " columns"
	}' "$f"
done)
[ -z "$wide" ]
result $? "every sample of the tool fits 100 columns, but for a path or a list" "$wide"

# The VM's drift check (sh/drift.sh) on a committed sample changed as a new
# boot changes it, and as a change of the tool would.
s=samples/6.12-x86_64/faults-ls.txt
t=$TMPDIR/t.txt
# Every number another.
sed 's/[0-9]/7/g' "$s" >"$t"
! sample_drifted "$s" "$t" >/dev/null
result $? "drift: other numbers are the same sample"
# A table's rows in another order, a third of those with an address gone.
{ head -n 3 "$s"; tail -n +4 "$s" | awk '!/0x/ || NR % 3' | sort -r; } >"$t"
! sample_drifted "$s" "$t" >/dev/null
result $? "drift: rows reordered, a third gone, are the same sample"
sed '2s/START/BEGIN/' samples/6.12-x86_64/maps.txt >"$t"
sample_drifted samples/6.12-x86_64/maps.txt "$t" >/dev/null
result $? "drift: a renamed column is drift"
sed '1s/ls -d/ls -l/' "$s" >"$t"
sample_drifted "$s" "$t" >/dev/null
result $? "drift: another command is drift"
sed '3,$s/[a-z_]\+/X&/g' "$s" >"$t"
sample_drifted "$s" "$t" >/dev/null
result $? "drift: every word of the body renamed is drift"

[ $bad = 0 ]
