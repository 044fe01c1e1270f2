# SPDX-License-Identifier: GPL-2.0
# KUnit's kernel-log KTAP (timestamps already stripped) -> one flat KTAP
# suite: each KUnit case becomes "ok N <kunit suite>.<case>", diagnostics
# become "# ..." lines in order, and the plan is the sum of the KUnit
# suites' own plans, so a case that never reported (an oops mid-suite)
# leaves the count short of the plan. Exit status 1 if a case failed.
# Runs in the guest (busybox awk) and in the harness self-test (host awk).
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
}
