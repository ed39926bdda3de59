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
cd "$1/Documentation" || exit 1

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

# Each is a run: "$ COMMAND" first, then what it printed.
bad_head=$(for f in $included; do [ -f "$f" ] && ! head -n 1 "$f" | grep -q '^\$ ' && echo "$f"; done)
[ -z "$bad_head" ]
result $? "every sample starts with the command that made it" "$bad_head"

[ $bad = 0 ]
