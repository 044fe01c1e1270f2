#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# In the guest (debug kernel): run mmscope's KUnit suites by loading
# mmscope_kunit.ko, and report them as the VM suite "kunit" between the
# markers run-suites.sh uses. KUnit prints nested KTAP to the kernel log;
# here every KUnit case becomes one case "<kunit suite>.<case>" with its
# diagnostics, and the plan is the sum of the KUnit suites' plans, so a
# case that never reported (an oops mid-suite) fails the run.
echo "MMSCOPE-SUITE-BEGIN kunit"
echo "mmscope-kunit-start" >/dev/kmsg
insmod /mmscope/mmscope_kunit.ko
ins=$?
dmesg | sed -e 's/^\[[^]]*\] //' | sed -n '/^mmscope-kunit-start$/,$p' | awk '
	/^    KTAP version/ { next }
	/^    # Subtest: / { suite = $3; next }
	/^    1\.\.[0-9]+$/ { plan += substr($1, 4); next }
	/^    (not )?ok [0-9]+ / {
		line = substr($0, 5)
		bad = line ~ /^not ok/
		sub(/^(not )?ok [0-9]+ /, "", line)
		out[++nl] = sprintf("%s %d %s.%s", bad ? "not ok" : "ok", ++n, suite, line)
		failed += bad
		next
	}
	/^    / || /^# / {
		line = $0
		sub(/^ *#? */, "", line)
		out[++nl] = "# " line
	}
	END {
		printf "KTAP version 1\n1..%d\n", plan
		for (i = 1; i <= nl; i++)
			print out[i]
		exit failed != 0
	}'
st=$?
rm=0
if grep -q '^mmscope_kunit ' /proc/modules; then
	rmmod mmscope_kunit
	rm=$?
fi
echo "MMSCOPE-SUITE-END kunit exit=$st insmod=$ins rmmod=$rm"
[ "$st" = 0 ] && [ $ins -eq 0 ] && [ $rm -eq 0 ]
