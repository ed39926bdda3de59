#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmatlas atlas held to its sources on the build machine, in three steps,
# each against the one before: the data (--json) against the snapshot it
# was drawn from (a hand-written one, and one of thousands of VMAs with a
# fault trace, made by atlas_check.py), recomputed in Python; the page
# Headless Chromium builds from --html (its DOM) against the data; and
# Chromium's screenshot against the page, pixel colours where the DOM puts
# bins and bars. Then the pages the VM runs drew of live processes
# (Documentation/samples/*/atlas.html), with the walk #addr= opens.
# TAP on stdout.
#
# Usage: atlas_test.sh TOOL
set -u
export LC_ALL=C

tool=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
. "$here/tap.sh"
check="python3 $here/atlas_check.py"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
chromium=$(command -v chromium-headless-shell || command -v chromium || true)

# chrome OUT ARG...: Chromium, headless, on a page; --dump-dom's DOM or a screenshot.
chrome()
{
	local out=$1
	shift
	timeout 120 "$chromium" --no-sandbox --headless --disable-gpu --hide-scrollbars \
		--user-data-dir="$tmp/profile" "$@" >"$out" 2>"$tmp/chrome.err"
}

echo "TAP version 13"

$check gen "$tmp" 3000
"$tool" atlas --json -s "$here/snapshots/a.json" >"$tmp/a.atlas" 2>"$tmp/err" &&
	$check model "$here/snapshots/a.json" "$tmp/a.atlas" 2>>"$tmp/err"
result $? "a snapshot's atlas: rows, gaps, strips and counts as the snapshot says" "$(cat "$tmp/err")"

"$tool" atlas --json -s "$tmp/big.json" -f "$tmp/trace.json" >"$tmp/big.atlas" 2>"$tmp/err" &&
	$check model "$tmp/big.json" "$tmp/big.atlas" "$tmp/trace.json" 2>>"$tmp/err" &&
	[ "$(jq '[.rows[] | select(.type == "vma" or .type == "group")] | length' \
		"$tmp/big.atlas")" = 200 ]
result $? "3000 VMAs: 200 rows, every VMA in one, faults binned" "$(head -c 2000 "$tmp/err")"

"$tool" atlas --json -r 40 -s "$tmp/big.json" >"$tmp/r40.atlas" 2>"$tmp/err" &&
	$check model "$tmp/big.json" "$tmp/r40.atlas" 2>>"$tmp/err" &&
	[ "$(jq '[.rows[] | select(.type == "vma" or .type == "group")] | length' \
		"$tmp/r40.atlas")" = 40 ]
result $? "--rows 40: 40 rows" "$(head -c 2000 "$tmp/err")"

"$tool" atlas -s "$here/snapshots/a.json" 12 >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "a PID or -s SNAPSHOT, not both" "$tmp/err"
result $? "a PID and a snapshot: usage error, nothing drawn" "exit $rc: $(cat "$tmp/err")"

"$tool" atlas -s "$here/snapshots/a.json" -f "$here/snapshots/a.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q 'no "events" array' "$tmp/err"
result $? "a trace that is not one: error, nothing drawn" "exit $rc: $(cat "$tmp/err")"

echo '{"pid": 99, "events": [{"addr": "0x400000"}]}' >"$tmp/other.json"
"$tool" atlas -s "$here/snapshots/a.json" -f "$tmp/other.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "a trace of pid 99, not of pid 42" "$tmp/err"
result $? "another process's trace: error, nothing drawn" "exit $rc: $(cat "$tmp/err")"

"$tool" atlas -s "$tmp/big.json" -o "$tmp/big.svg" 2>"$tmp/err" &&
	xmllint --noout "$tmp/big.svg" 2>>"$tmp/err"
result $? "the SVG is well-formed XML" "$(cat "$tmp/err")"

# Names are bytes anyone chooses: markup, "<!--<script>", bytes that are not
# UTF-8, a long UTF-8 name cut for its label.
python3 - "$here/snapshots/a.json" "$tmp/evil.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
d.update(time='<img src=x onerror=id=7>', arch='<b onload=x>', comm='<!--<script>')
d['vmas'][0]['path'] = '/tmp/<!--<script>' + '\u00e9' * 40
d['vmas'][1]['path'] = '/tmp/BAD'
open(sys.argv[2], 'wb').write(json.dumps(d).encode().replace(b'BAD', b'\xff\xfe'))
PY
"$tool" atlas -s "$tmp/evil.json" -o "$tmp/evil.svg" 2>"$tmp/err" &&
	xmllint --noout "$tmp/evil.svg" 2>>"$tmp/err"
result $? "names with markup and bad UTF-8: the SVG is still well-formed XML" "$(cat "$tmp/err")"

for change in '"page_size": 4096/"page_size": 1' '"end": "0x402000"/"end": "0x401800"'; do
	sed "s/$change/" "$here/snapshots/a.json" >"$tmp/bad.json"
	"$tool" atlas -s "$tmp/bad.json" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ $rc = 1 ] && [ ! -s "$tmp/out" ] && grep -q "page" "$tmp/err"
	result $? "a snapshot with ${change%%/*} changed: refused, nothing drawn" \
		"exit $rc: $(cat "$tmp/err")"
done

if [ -z "$chromium" ]; then
	echo "ok $((n + 1)) # SKIP no Chromium (apt install chromium-headless-shell)"
	exit 0
fi

# page NAME SNAPSHOT [TRACE]: the data, the page and its DOM, a screenshot.
page()
{
	local name=$1 snap=$2 trace=${3:+-f $3}

	# shellcheck disable=SC2086
	"$tool" atlas --json -s "$snap" $trace >"$tmp/$name.atlas" &&
		"$tool" atlas --html -s "$snap" $trace -o "$tmp/$name.html" &&
		chrome "$tmp/$name.dom" --dump-dom "file://$tmp/$name.html" &&
		grep -q 'data-ready="1"' "$tmp/$name.dom" &&
		chrome /dev/null --window-size=1500,1200 --screenshot="$tmp/$name.png" \
			"file://$tmp/$name.html" && [ -s "$tmp/$name.png" ]
}

page evil "$tmp/evil.json" 2>"$tmp/err" && ! grep -q '<img\|id="7"' "$tmp/evil.dom"
result $? "names with markup: nothing of them runs or renders, the page's script does" \
	"$(head -c 2000 "$tmp/err"; grep -o '<img[^>]*>' "$tmp/evil.dom")"

for what in "a $here/snapshots/a.json" "big $tmp/big.json $tmp/trace.json"; do
	set -- $what
	page "$@" 2>"$tmp/err" && $check dom "$tmp/$1.dom" "$tmp/$1.atlas" 2>>"$tmp/err"
	result $? "$1: Chromium's DOM draws the data: rows, strips, faults, labels" \
		"$(head -c 2000 "$tmp/err"; tail -3 "$tmp/chrome.err")"
	$check png "$tmp/$1.png" "$tmp/$1.dom" 2>"$tmp/err"
	result $? "$1: the screenshot has the colours the DOM puts where it puts them" \
		"$(head -c 2000 "$tmp/err")"
done

# A group's list lives apart from the panel that the mouse rewrites: what
# #addr= opens in a group, its VMAs, is there beside the walk's panel.
addr=$($check group "$tmp/big.atlas")
chrome "$tmp/group.dom" --dump-dom "file://$tmp/big.html#addr=$addr" 2>"$tmp/err" &&
	$check dom "$tmp/group.dom" "$tmp/big.atlas" "$addr" 2>>"$tmp/err"
result $? "big: #addr=$addr, in a group, lists the group's VMAs below the panel" \
	"$(head -c 2000 "$tmp/err")"

# The pages of live processes the VM runs drew, each with its walks.
for html in "$here"/../../Documentation/samples/*/atlas.html; do
	[ -e "$html" ] || continue
	target=$(basename "$(dirname "$html")")
	sed -n 's|.*<script type="application/json" id="atlas-data">\(.*\)</script>.*|\1|p' \
		"$html" >"$tmp/live.atlas"
	addr=$($check addr "$tmp/live.atlas")
	chrome "$tmp/live.dom" --dump-dom "file://$(realpath "$html")#addr=$addr" 2>"$tmp/err" &&
		$check dom "$tmp/live.dom" "$tmp/live.atlas" "$addr" 2>>"$tmp/err"
	result $? "$target's atlas of a live process: DOM as data; #addr=$addr shows its cell's walk" \
		"$(head -c 2000 "$tmp/err")"
	# The sample's script is the one this tool writes: what was checked is what ships.
	"$tool" atlas --html -s "$here/snapshots/a.json" -o "$tmp/now.html" &&
		[ "$(sed -n '/^<script>$/,/^<\/script>$/p' "$html")" = \
		  "$(sed -n '/^<script>$/,/^<\/script>$/p' "$tmp/now.html")" ]
	result $? "$target's sample page runs the script this tool writes" \
		"make samples SAMPLES=$target/atlas.html after a make check of $target"
done
[ "$bad" = 0 ]
