#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The bash completion, driven as bash drives it: COMP_WORDS and COMP_CWORD
# set, _vmatlas called, COMPREPLY read. TAP on stdout.
#
# Usage: completion_test.sh TOOL    (the built vmatlas, whose --help it reads)
set -u

tool=$1
. "$(dirname "$0")/tap.sh"
# shellcheck source=../../userspace/completion.bash
. "$(dirname "$0")/../../userspace/completion.bash"

# expect WANT WORD...: completing the last WORD offers WANT (among others).
# expect_only WANT WORD...: offers exactly WANT (words sorted, space-joined).
complete_words()
{
	COMP_WORDS=("$tool" "$@")
	COMP_CWORD=$#
	COMPREPLY=()
	_vmatlas
	printf '%s\n' "${COMPREPLY[@]}" | sort -u | xargs
}

expect()
{
	local want=$1 got
	shift
	got=$(complete_words "$@")
	[[ " $got " == *" $want "* ]]
	result $? "vmatlas $* -> $want" "offered: $got"
}

expect_only()
{
	local want=$1 got
	shift
	got=$(complete_words "$@")
	[ "$got" = "$want" ]
	result $? "vmatlas $* -> only '$want'" "offered: $got"
}

echo "TAP version 13"
echo "1..33"
expect_only "atlas diff explain faults info kaddr lab layout maps ptdump snapshot walk watch" ""
expect_only "--help --version" --
expect_only "ptdump" pt
expect_only "--no-kernel" atlas --no
expect_only "--start" ptdump --st
expect "--json" walk --j
expect "--end" ptdump --e
expect "$$" maps ""
expect "$$" faults -p ""
expect_only "kprobe" faults -a k
expect_only "vmalloc" lab v
expect "ls" faults l
expect "ls" faults -e -- l
expect_only "" walk 1 ""
expect_only "start,path start,perms start,present" maps -o start,p
expect "$$" maps -o start,end ""
expect_only "level,all level,entry level,flags level,index level,level level,note" walk -o level,
expect_only "region" layout -o re
# Every column offered is one the command takes: its -o refuses no name.
for cmd in maps ptdump kaddr walk layout lab faults; do
	cols=$(complete_words "$cmd" -o "")
	refused=
	for c in $cols; do
		"$tool" "$cmd" -o "$c" 2>&1 | grep -q "unknown column" && refused="$refused $c"
	done
	[ -n "$cols" ] && [ -z "$refused" ]
	result $? "$cmd -o: the columns offered are $cmd's" "refused:$refused (of: $cols)"
done
expect "--color" maps --co
expect_only "always" maps --color = al
expect_only "always auto never" maps --color =
expect "$$" snapshot ""
expect "--output" snapshot --ou
snaps=$(dirname "$0")/snapshots
expect_only "$snaps/a-b.txt $snaps/a.json" snapshot -o "$snaps/a"
expect_only "$snaps/a.json" diff "$snaps/a"
expect_only "lazy" explain l
[ $bad = 0 ]
