#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest (debug kernel): run mmscope's KUnit suites by loading
# mmscope_kunit.ko and report them as the VM suite "kunit", between the
# markers run-suites.sh uses (kunit-ktap.awk flattens KUnit's nested KTAP).
echo "MMSCOPE-SUITE-BEGIN kunit"
echo "mmscope-kunit-start" >/dev/kmsg
insmod /mmscope/mmscope_kunit.ko
ins=$?
dmesg | sed -e 's/^\[[^]]*\] //' | sed -n '/^mmscope-kunit-start$/,$p' |
	awk -f /mmscope/kunit-ktap.awk
st=$?
rm=0
if grep -q '^mmscope_kunit ' /proc/modules; then
	rmmod mmscope_kunit
	rm=$?
fi
echo "MMSCOPE-SUITE-END kunit exit=$st insmod=$ins rmmod=$rm"
[ "$st" = 0 ] && [ $ins -eq 0 ] && [ $rm -eq 0 ]
