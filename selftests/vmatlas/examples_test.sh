#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The examples vmatlas-dkms ships (debian/examples/, copied to
# /tests/examples/): the modules-load.d snippet names the module this kernel
# loaded; the udev rule matches the device the module made, as udev would
# match it (its kernel name and subsystem in sysfs); and the rule, applied,
# does what install.rst says: a member of its group opens the device and
# sees its own process, and is still refused another process's memory.

. /tests/sh/lib.sh

ex=/tests/examples
rule=$ex/udev/70-vmatlas.rules
load=$ex/modules-load.d/vmatlas.conf
dev=/sys/class/misc/vmatlas

echo "TAP version 13"
echo "1..4"

# modules-load.d: one module name a line, '#' comments.
names=$(sed '/^#/d; /^[[:space:]]*$/d' "$load")
[ "$names" = vmatlas ] && [ -d "/sys/module/$names" ]
result $? "modules-load.d names the module that is loaded ($names)"

# The rule: KEY=="value" matches, KEY="value" assignments.
key() { sed '/^#/d' "$rule" | tr ',' '\n' | sed -n "s/^ *$1$2\"\\(.*\\)\" *$/\\1/p"; }
keys=$(sed '/^#/d; /^$/d' "$rule" | tr ',' '\n' | sed 's/^ *\([A-Z]*\).*/\1/' | sort | tr '\n' ' ')
kernel=$(key KERNEL ==)
subsystem=$(key SUBSYSTEM ==)
devname=$(sed -n 's/^DEVNAME=//p' "$dev/uevent")
sysfs_subsystem=$(basename "$(readlink "$dev/subsystem")")
[ "$keys" = "GROUP KERNEL MODE SUBSYSTEM " ] && [ "$(sed '/^#/d; /^$/d' "$rule" | wc -l)" = 1 ] &&
	[ "$kernel" = "$devname" ] && [ "$subsystem" = "$sysfs_subsystem" ]
result $? "the udev rule matches /dev/$devname, subsystem $sysfs_subsystem"
[ "$kernel" = "$devname" ] || echo "# rule KERNEL '$kernel', sysfs DEVNAME '$devname'"
[ "$subsystem" = "$sysfs_subsystem" ] ||
	echo "# rule SUBSYSTEM '$subsystem', sysfs '$sysfs_subsystem'; keys: $keys"

# Without the rule the device is root's, 0600.
[ "$(stat -c '%a %u %g' /dev/vmatlas)" = "600 0 0" ]
result $? "without the rule /dev/vmatlas is root's, 0600 ($(stat -c '%a %u %g' /dev/vmatlas))"

# The rule applied, as udev would: a member of its group, not root.
group=$(key GROUP =)
mode=$(key MODE =)
for f in passwd group; do
	rm -f "/tmp/$f.saved"
	[ -f "/etc/$f" ] && cp "/etc/$f" "/tmp/$f.saved"
done
echo "$group:x:4242:" >>/etc/group
echo "vmuser:x:4243:4242::/tmp:/bin/sh" >>/etc/passwd
chgrp "$group" /dev/vmatlas && chmod "$mode" /dev/vmatlas
own=$(su -s /bin/sh vmuser -c 'vmatlas maps --json $$' 2>&1)
own_rc=$?
other=$(su -s /bin/sh vmuser -c 'vmatlas maps 1' 2>&1)
other_rc=$?
chgrp 0 /dev/vmatlas
chmod 0600 /dev/vmatlas
for f in passwd group; do
	if [ -f "/tmp/$f.saved" ]; then cp "/tmp/$f.saved" "/etc/$f"; else rm -f "/etc/$f"; fi
done
[ $own_rc = 0 ] && echo "$own" | grep -q '"vmas"' &&
	[ $other_rc = 1 ] && echo "$other" | grep -q 'needs CAP_SYS_ADMIN'
result $? "with the rule ($group, $mode) a member sees its own process, not pid 1"
[ $own_rc = 0 ] || echo "# own: $own" | head -n 3
[ $other_rc = 1 ] || echo "# pid 1: $other" | head -n 3
exit $failed
