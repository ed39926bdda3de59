# SPDX-License-Identifier: GPL-2.0
# TAP for the unit gate's shell tests: result STATUS NAME [WHY] prints
# "ok N NAME" or "not ok N NAME" (and "# WHY"); $bad counts the failures.
n=0 bad=0

result()
{
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
		return 0
	fi
	echo "not ok $n $2"
	[ -n "${3:-}" ] && echo "# $3"
	bad=$((bad + 1))
	return 1
}
