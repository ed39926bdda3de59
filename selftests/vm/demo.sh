#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# What "make demo" shows inside the VM: each step prints the command, then
# what vmatlas says, next to what the kernel says through another door.

step()
{
	echo
	echo "\$ $*"
	"$@"
}

echo "=== vmatlas on $(uname -r) ($(uname -m)) ==="
step vmatlas info
step vmatlas info --json
step cat /sys/kernel/debug/vmatlas/info
step uname -rm
