#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# vmatlas diff on two snapshots written by hand (snapshots/a.json and
# b.json: a process whose lazy pages appeared in a VMA then given
# MADV_HUGEPAGE, whose VMA was split by mprotect(), one removed, one moved
# by mremap(), one added, a THP collapsed, a stack grown, a page swapped
# out, a frame replaced by COW, a page that became shared and one that
# became private; older runs say nothing of sharing):
# the text it prints (snapshots/a-b.txt, read line by line against the
# fixtures), its JSON, its exit status as diff(1)'s, and what it says of
# files that are not two snapshots of one kernel. TAP on stdout.
#
# Usage: diff_test.sh TOOL
set -u
export LC_ALL=C

tool=$(realpath "$1")
. "$(dirname "$0")/tap.sh"
cd "$(dirname "$0")" || exit 1
dir=snapshots
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run ARG...: the tool's exit status in $rc, its streams in $tmp/out, $tmp/err.
run()
{
	"$tool" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
}

echo "TAP version 13"

run diff "$dir/a.json" "$dir/a.json"
[ $rc = 0 ] && [ ! -s "$tmp/out" ] && [ ! -s "$tmp/err" ]
result $? "a snapshot against itself: exit 0, nothing said" "exit $rc: $(cat "$tmp/err")"

run diff "$dir/a.json" "$dir/b.json"
[ $rc = 1 ] && [ ! -s "$tmp/err" ] && cmp -s "$tmp/out" "$dir/a-b.txt"
result $? "a against b: exit 1, every change named" "exit $rc: $(diff "$dir/a-b.txt" "$tmp/out")"

run diff "$dir/b.json" "$dir/a.json"
[ $rc = 1 ] && grep -q '^  added    0x40000000-0x40001000 ' "$tmp/out" &&
	grep -q '^  removed  0x30000000-0x30003000 ' "$tmp/out" &&
	grep -q '^  shrunk   0x7ffcf000-0x7ffd2000 ' "$tmp/out" &&
	grep -q '^  merged   0x20000000-0x20001000 ' "$tmp/out" &&
	grep -q '^  unmapped    0x10000000-0x10001000 1 page$' "$tmp/out" &&
	grep -q '^  swapped_in  0x401000-0x402000 1 page$' "$tmp/out" &&
	grep -q '^  split       0x70000000-0x70200000 512 pages, leaves 2M -> 4K$' "$tmp/out" &&
	grep -q '^  private     0x400000-0x401000 1 page, pfn 0x100$' "$tmp/out" &&
	grep -q '^  shared      0x20001000-0x20002000 1 page, pfn 0x700$' "$tmp/out" &&
	grep -q '^           flags -hugepage$' "$tmp/out"
result $? "b against a: each change the other way round" "$(cat "$tmp/out")"

run diff --json "$dir/a.json" "$dir/b.json"
[ $rc = 1 ] && python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
assert d["changed"] is True
assert [s[k] for k in ("added", "removed", "grown", "split", "moved", "merged", "changed")] == \
	[1, 1, 1, 1, 1, 0, 1]
assert s["pages"] == {"present": 5, "unmapped": 0, "swapped_out": 1, "swapped_in": 0,
		      "huge": 512, "split": 0, "frame": 1, "shared": 1, "private": 1, "other": 0}
c = [v for v in d["vmas"] if v["change"] == "changed"][0]
assert set(c["after"][0]["flags"]) - set(c["before"][0]["flags"]) == {"hugepage"}
f = [p for p in d["pages"] if p["change"] == "frame"][0]
assert (f["pfn_before"], f["pfn_after"]) == ("0x500", "0x600")
p = {x["change"]: (x["start"], x["end"], x["pfn_before"], x["pfn_after"]) for x in d["pages"]
     if x["change"] in ("shared", "private")}
assert p == {"shared": ("0x400000", "0x401000", "0x100", "0x100"),
	     "private": ("0x20001000", "0x20002000", "0x700", "0x700")}
assert d["shared"] == [{"start": "0x400000", "end": "0x402000", "path": "/bin/workload",
			"before": 0, "after": 2}]
' "$tmp/out"
result $? "--json: the same changes, counted, the VM flags gained named" "exit $rc"

run diff "$dir/a.json" "$tmp/none.json"
[ $rc = 2 ] && [ ! -s "$tmp/out" ] &&
	[ "$(cat "$tmp/err")" = "vmatlas: diff: $tmp/none.json: No such file or directory" ]
result $? "a missing file: exit 2, named" "exit $rc: $(cat "$tmp/err")"

echo '{"pid": 1, "vmas": []}' >"$tmp/maps.json"
run diff "$dir/a.json" "$tmp/maps.json"
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "maps.json: \"snapshot\" is missing" "$tmp/err"
result $? "a JSON document that is no snapshot: exit 2" "exit $rc: $(cat "$tmp/err")"

# b's first VMA alone, with 16 KiB pages, as such a kernel would have it.
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["page_size"] = 16384
d["vmas"] = d["vmas"][:1]
d["vmas"][0].update(start="0x400000", end="0x404000")
d["runs"] = []
json.dump(d, open(sys.argv[2], "w"))
' "$dir/b.json" "$tmp/16k.json"
run diff "$dir/a.json" "$tmp/16k.json"
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "not the same kernel" "$tmp/err"
result $? "snapshots of two page sizes: exit 2" "exit $rc: $(cat "$tmp/err")"

python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
d["vmas"][1], d["vmas"][2] = d["vmas"][2], d["vmas"][1]
json.dump(d, open(sys.argv[2], "w"))
' "$dir/b.json" "$tmp/unsorted.json"
run diff "$dir/a.json" "$tmp/unsorted.json"
[ $rc = 2 ] && grep -q "not after the one before it" "$tmp/err"
result $? "VMAs out of order: exit 2" "exit $rc: $(cat "$tmp/err")"

run diff "$dir/a.json"
[ $rc = 2 ] && grep -q "two snapshots to compare" "$tmp/err"
result $? "one snapshot: a usage error, exit 2" "exit $rc: $(cat "$tmp/err")"

[ $bad = 0 ]
