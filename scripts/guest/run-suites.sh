#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest: for each suite named, load mmscope.ko (with the suite's
# optional module parameters from tests/<suite>.params), run the suite
# binary, unload. The host turns the markers into test cases.
rc=0
for s in "$@"; do
	params=$(cat "/mmscope/tests/$s.params" 2>/dev/null)
	echo "MMSCOPE-SUITE-BEGIN $s"
	# shellcheck disable=SC2086
	insmod /mmscope/mmscope.ko $params
	ins=$?
	st=-1
	if [ $ins -eq 0 ]; then
		"/mmscope/tests/$s"
		st=$?
	fi
	rm=0
	if grep -q '^mmscope ' /proc/modules; then
		rmmod mmscope
		rm=$?
	fi
	echo "MMSCOPE-SUITE-END $s exit=$st insmod=$ins rmmod=$rm"
	[ "$st" = 0 ] && [ $ins -eq 0 ] && [ $rm -eq 0 ] || rc=1
done
exit $rc
