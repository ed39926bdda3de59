#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The harness checks itself: parse.awk must fail a run for each way a VM can
# go wrong, and pass only a clean one. Same result format as style.sh.
set -u
shopt -s lastpipe	# expect runs at the end of pipelines and counts
dir=$(dirname "$0")
npass=0 nfail=0 failed=""

# expect NAME PASS FAIL SKIP: parse stdin, compare the counts.
expect()
{
	local got want="PASS $2 FAIL $3 SKIP $4"

	got=$(awk -v extra_pass=0 -v timed_out="${TIMED_OUT:-0}" -v run="${RUN:-0}" \
		-f "$dir/parse.awk" |
		awk '/^(PASS|FAIL|SKIP) / { printf "%s%s %s", sep, $1, $2; sep = " " }')
	if [ "$got" = "$want" ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
		failed="$failed
FAILED parse_test $1: got '$got', want '$want'"
	fi
}

vm()	# the lines every finished run has around its body
{
	printf 'vmatlas-vm: module loaded\n'
	cat
	printf 'vmatlas-vm: done\n'
}

printf 'vmatlas-vm: test-begin a\nok 1 x\nok 2 y # SKIP why\nvmatlas-vm: test-end a 0\n' |
	vm | expect clean_run 2 0 1
printf 'vmatlas-vm: test-begin a\r\nok 1 x\r\nnot ok 2 y\r\nvmatlas-vm: test-end a 1\r\n' |
	vm | expect failed_test_with_crlf 2 1 0
printf 'vmatlas-vm: test-begin a\nok 1 x\nvmatlas-vm: test-end a 139\n' |
	vm | expect test_binary_crashed 2 1 0
printf 'vmatlas-vm: test-begin a\nvmatlas-vm: test-end a 0\n' |
	vm | expect test_printed_nothing 1 1 0
printf 'vmatlas-vm: test-begin a\nok 1 x\nvmatlas-vm: test-end a 0\n' |
	expect module_not_loaded_and_unfinished 1 2 0
for w in '[ 1.0] WARNING: CPU: 0 PID: 1 at mm/x.c:1 f+0x1/0x2' \
	 '[ 1.0] BUG: unable to handle page fault for address: 0' \
	 '[ 1.0] Oops: 0000 [#1] PREEMPT SMP' '[ 1.0] Call Trace:' \
	 '[ 1.0] watchdog: BUG: soft lockup - CPU#0 stuck for 22s!' \
	 '[ 1.0] INFO: task sh:1 blocked for more than 120 seconds.' \
	 '[ 1.0] BUG kmalloc-64 (Tainted: G): Poison overwritten' \
	 '[ 1.0] BUG: KFENCE: out-of-bounds read in f+0x1/0x2'; do
	printf 'vmatlas-vm: test-begin a\nok 1 x\nvmatlas-vm: test-end a 0\n%s\n' "$w" |
		vm | expect "kernel_warning:${w#* }" 1 1 0
done
# Seen: a sample picture's base64 line held "JGtOopsK6".
printf 'vmatlas-vm: test-begin a\nok 1 x\nvmatlas-vm: test-end a 0\n%s\n' \
	'vmatlas-file: atlas.svg | 8Si/cZHeBC+b8tO3u9d3N1EQBVWBoPl9kR/zcL/7JGtOopsK6vh5W77/4Redzone' |
	vm | expect base64_is_no_kernel_warning 2 0 0
printf 'vmatlas-vm: module loaded\nvmatlas-vm: test-begin a\nok 1 x\n' |
	TIMED_OUT=1 expect timeout 1 1 0

# make demo and make bench: one program, which must exit 0 and fail no step.
printf 'vmatlas-vm: run-exit 0\n' | vm | RUN=1 expect demo_clean 1 0 0
printf 'vmatlas-demo: FAILED (exit 1): vmatlas info\nvmatlas-vm: run-exit 1\n' |
	vm | RUN=1 expect demo_step_failed 1 2 0
printf 'x\n' | vm | RUN=1 expect demo_without_status 1 1 0
printf 'vmatlas-vm: run-exit 0\n[ 1.0] Call Trace:\n' | vm | RUN=1 expect demo_kernel_warning 0 1 0
printf 'vmatlas-vm: module load failed\nvmatlas-vm: run-exit 0\nvmatlas-vm: done\n' |
	RUN=1 expect demo_module_not_loaded 1 1 0

# A failed case's first diagnostics follow its FAILED line, another case's not.
check_why()
{
	local got want='FAILED a: t.b
WHY a_test.c:9:Expected 1 (1) == x (2)
WHY a_test.c:9:at 0x1000'

	got=$(printf '%s\n' 'vmatlas-vm: test-begin a' '#  RUN t.a ...' '# a_test.c:5:note' \
		'#            OK  t.a' 'ok 1 t.a' '#  RUN t.b ...' \
		'# a_test.c:9:Expected 1 (1) == x (2)' '# a_test.c:9:at 0x1000' \
		'# b: Test failed' '#          FAIL  t.b' 'not ok 2 t.b' \
		'vmatlas-vm: test-end a 1' | vm |
		awk -v extra_pass=0 -v timed_out=0 -v run=0 -f "$dir/parse.awk" | grep -v '^[A-Z]* [0-9]')
	if [ "$got" = "$want" ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
		failed="$failed
FAILED parse_test why: got '$got'"
	fi
}
check_why

# The matrix make check runs: every target whose last column says yes, read
# by the same function check.sh uses (a column misread once ran nothing).
check_matrix()
{
	local want got

	. "$dir/lib.sh"
	want=$(grep -v '^#' "$dir/targets" | awk 'NF && $NF == "yes" { print $1 }' | xargs)
	got=$(target_names | xargs)
	if [ -n "$want" ] && [ "$got" = "$want" ] &&
		[ "$(target_names all | wc -l)" = "$(grep -vc '^#' "$dir/targets")" ]; then
		npass=$((npass + 1))
	else
		nfail=$((nfail + 1))
		failed="$failed
FAILED parse_test matrix: target_names gives '$got', the table '$want'"
	fi
}
check_matrix

printf 'PASS %d\nFAIL %d\nSKIP 0\n%s\n' "$npass" "$nfail" "${failed#?}"
[ "$nfail" = 0 ]
