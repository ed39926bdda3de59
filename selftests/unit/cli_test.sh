#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The tool's usage errors, which it reports before it opens the device:
# argp's and getopt's own (an unknown option, a missing option argument)
# in the same form as the tool's, "vmatlas: CMD: MESSAGE ('vmatlas CMD
# --help' says more)", or one JSON line with --json; exit status 2, nothing
# on stdout. --help still goes to stdout. TAP on stdout.
#
# Usage: cli_test.sh TOOL
set -u
export LC_ALL=C

tool=$1
. "$(dirname "$0")/tap.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# says WANT ARG...: the tool exits 2 with exactly WANT on stderr, nothing on stdout.
says()
{
	local want=$1 rc
	shift
	"$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = "$want" ]
	result $? "vmatlas $* says: $want" "exit $rc, stderr: $(cat "$tmp/err")"
}

echo "TAP version 13"
cmds=$("$tool" --help | awk '/^  [a-z]+ +[a-z(]/ { print $1 }')
echo "1..$((9 + $(echo $cmds | wc -w)))"
says "vmatlas: maps: unrecognized option '--bogus' ('vmatlas maps --help' says more)" \
	maps --bogus 1
says "vmatlas: maps: invalid option -- 'x' ('vmatlas maps --help' says more)" maps -x 1
says "vmatlas: ptdump: option requires an argument -- 's' ('vmatlas ptdump --help' says more)" \
	ptdump 1 -s
says "vmatlas: info: unrecognized option '--bogus' ('vmatlas info --help' says more)" \
	info --bogus
# The tool's own usage errors, for comparison: the same form.
says "vmatlas: maps: unexpected argument '2' ('vmatlas maps --help' says more)" maps 1 2

# With --json before it, the error is one JSON object.
"$tool" maps --json --bogus 1 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && [ "$(wc -l <"$tmp/err")" = 1 ] &&
	python3 -c '
import json, sys
e = json.load(open(sys.argv[1]))
assert set(e) == {"command", "error"}, e
assert e["command"] == "maps", e
assert e["error"] == "unrecognized option '"'"'--bogus'"'"' ('"'"'vmatlas maps --help'"'"' says more)", e
' "$tmp/err"
result $? "vmatlas maps --json --bogus 1 says it as one JSON object" "exit $rc: $(cat "$tmp/err")"

"$tool" maps --help >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 0 ] && [ ! -s "$tmp/err" ] && head -n 1 "$tmp/out" | grep -q '^Usage: vmatlas maps '
result $? "vmatlas maps --help: usage on stdout, nothing on stderr" "exit $rc: $(cat "$tmp/err")"

# explain's listing needs no device: --json gives the text's names and claims.
"$tool" explain >"$tmp/text" && "$tool" explain --json >"$tmp/out" && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"scenarios"}, d
text = [l.split(None, 1) for l in open(sys.argv[2]).read().splitlines()]
assert [[s["name"], s["claim"]] for s in d["scenarios"]] == text, (d, text)
' "$tmp/out" "$tmp/text"
result $? "vmatlas explain --json lists the scenarios the text lists" "$(cat "$tmp/out")"

# Every subcommand's -h, as --help (a build without BPF refuses faults instead).
[ "$(echo $cmds | wc -w)" -ge 13 ]
result $? "vmatlas --help lists the subcommands" "$cmds"
for c in $cmds; do
	"$tool" "$c" -h >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$c" = faults ] && "$tool" --help | grep -q '^  faults .*not in this build'; then
		[ $rc = 1 ] && [ ! -s "$tmp/out" ] && [ "$(cat "$tmp/err")" = \
			"vmatlas: faults: this vmatlas was built without BPF support" ]
		result $? "vmatlas faults -h, built without BPF: says so, exit 1" \
			"exit $rc: $(cat "$tmp/err")"
		continue
	fi
	[ $rc = 0 ] && [ ! -s "$tmp/err" ] && head -n 1 "$tmp/out" | grep -q "^Usage: vmatlas $c " &&
		"$tool" "$c" --help | cmp -s - "$tmp/out"
	result $? "vmatlas $c -h: its --help, on stdout" "exit $rc: $(cat "$tmp/err")"
done

[ $bad = 0 ]
