#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest, after the last rmmod: ask kmemleak for everything leaked so
# far and print it between markers; the host fails the run on any record
# (ktap_kmemleak_case in scripts/ktap.sh). Objects younger than 5 s are
# never reported, and one whose contents changed since the previous scan
# only by the next: hence the wait and the two scans.
f=/sys/kernel/debug/kmemleak
echo "MMSCOPE-KMEMLEAK-BEGIN"
if [ ! -e $f ]; then
	echo "MMSCOPE-KMEMLEAK-ABSENT"
elif sleep 6 && echo scan >$f && echo scan >$f; then
	cat $f
else
	echo "MMSCOPE-KMEMLEAK-FAILED"
fi
echo "MMSCOPE-KMEMLEAK-END"
