#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run, in the guest: load mmscope, show what it exposes, unload.
set -e
step() { printf '\n== %s\n' "$*"; }

step "insmod mmscope.ko"
insmod /mmscope/mmscope.ko
grep -o '^mmscope [0-9]* [0-9]*' /proc/modules
step "the device"
ls -l /dev/mmscope
step "the debugfs tree: /sys/kernel/debug/mmscope"
find /sys/kernel/debug/mmscope | sort
for f in $(find /sys/kernel/debug/mmscope -type f | sort); do
	case $(stat -c %a "$f") in
	*4*) printf -- '-- %s\n' "$f"; cat "$f" ;;
	esac
done
for d in /mmscope/demo.d/*; do
	[ -x "$d" ] || continue
	step "$(basename "$d")"
	"$d"
done
step "rmmod mmscope"
rmmod mmscope
! grep -q '^mmscope ' /proc/modules
test ! -e /dev/mmscope
echo "unloaded: /dev/mmscope and the debugfs tree are gone"
