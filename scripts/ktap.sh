# SPDX-License-Identifier: GPL-2.0
# KTAP report assembly for scripts/check.sh: each suite's raw output becomes
# an indented subtest, with cases the runner adds itself (the suite ran all
# its cases, the module loaded and unloaded); totals accumulate in
# KTAP_PASS/KTAP_FAIL/KTAP_SKIP.
# shellcheck shell=bash

KTAP_PASS=0 KTAP_FAIL=0 KTAP_SKIP=0 KTAP_INDEX=0 KTAP_FAILED_SUITES=""

# ktap_suite NAME RAWFILE EXTRAFILE
#   RAWFILE: what the suite printed (KTAP version 1 / 1..N / ok lines).
#   EXTRAFILE: runner cases, one per line: "ok NAME" or "not ok NAME # why".
ktap_suite() {
	local name=$1 raw=$2 extra=$3 counts=$2.counts
	KTAP_INDEX=$((KTAP_INDEX + 1))
	awk -v name="$name" -v idx="$KTAP_INDEX" -v extra="$extra" -v counts="$counts" '
		/^KTAP version/ || /^# Subtest:/ { next }
		/^1\.\.[0-9]+$/ && !planned { plan = substr($0, 4) + 0; planned = 1; next }
		/^(not )?ok [0-9]+ / {
			n++
			if ($0 ~ /^not ok/) f++
			else if ($0 ~ /# SKIP/) s++
			else p++
		}
		{ body[++nb] = $0 }
		END {
			ne = 0
			while ((getline l < extra) > 0)
				ex[++ne] = l
			printf "    KTAP version 1\n    # Subtest: %s\n    1..%d\n", name, n + ne
			for (i = 1; i <= nb; i++)
				print "    " body[i]
			for (i = 1; i <= ne; i++) {
				l = ex[i]
				if (l ~ /^not ok /) { f++; sub(/^not ok /, "", l); printf "    not ok %d %s\n", n + i, l }
				else { p++; sub(/^ok /, "", l); printf "    ok %d %s\n", n + i, l }
			}
			printf "%s %d %s\n", (f ? "not ok" : "ok"), idx, name
			printf "%d %d %d\n", p, f, s > counts
		}' "$raw"
	# shellcheck disable=SC2046
	set -- $(cat "$counts")
	KTAP_PASS=$((KTAP_PASS + $1))
	KTAP_FAIL=$((KTAP_FAIL + $2))
	KTAP_SKIP=$((KTAP_SKIP + $3))
	[ "$2" -gt 0 ] && KTAP_FAILED_SUITES="$KTAP_FAILED_SUITES $name"
	return 0
}

# ktap_results RAWFILE PLAN: "results plan" of a raw suite output.
ktap_count() {
	awk '/^1\.\.[0-9]+$/ && !p { plan = substr($0, 4); p = 1 }
	     /^(not )?ok [0-9]+ / { n++ }
	     END { printf "%d %d\n", n, plan }' "$1"
}

# ktap_completed_case RAWFILE EXIT: the runner's verdict on whether the
# suite reported every case it planned and exited as its results say.
ktap_completed_case() {
	local raw=$1 st=$2 n plan nf
	read -r n plan < <(ktap_count "$raw")
	nf=$(grep -c '^not ok [0-9]' "$raw")
	if [ "$plan" -gt 0 ] && [ "$n" = "$plan" ] &&
	   { { [ "$nf" = 0 ] && [ "$st" = 0 ]; } || { [ "$nf" -gt 0 ] && [ "$st" = 1 ]; }; }; then
		echo "ok suite_reported_every_case"
	else
		echo "not ok suite_reported_every_case # $n of $plan results, exit status $st"
	fi
}

# ktap_kmemleak_case CONSOLELOG RAWFILE EXPECTED: the verdict on the guest's
# final kmemleak scan (scripts/guest/kmemleak.sh), "ok kmemleak_clean" or
# "not ok ..." on stdout; the records it found are appended to RAWFILE as
# diagnostics. EXPECTED=1 (a kernel built with kmemleak) turns a missing or
# failed scan into a failure; otherwise it prints nothing when absent.
ktap_kmemleak_case() {
	local log=$1 raw=$2 expected=$3 block n
	block=$(sed -n '/^MMSCOPE-KMEMLEAK-BEGIN$/,/^MMSCOPE-KMEMLEAK-END$/p' "$log")
	if [ -z "$block" ] || grep -q '^MMSCOPE-KMEMLEAK-ABSENT$' <<<"$block"; then
		[ "$expected" = 1 ] &&
			echo "not ok kmemleak_clean # no kmemleak scan (kmemleak off in the guest?)"
		return 0
	fi
	if grep -q '^MMSCOPE-KMEMLEAK-FAILED$' <<<"$block" ||
	   ! grep -q '^MMSCOPE-KMEMLEAK-END$' <<<"$block"; then
		echo "not ok kmemleak_clean # the scan failed or did not finish"
		return 0
	fi
	n=$(grep -c '^unreferenced object' <<<"$block")
	if [ "$n" = 0 ]; then
		echo "ok kmemleak_clean"
	else
		grep -v '^MMSCOPE-KMEMLEAK-' <<<"$block" | head -n 60 |
			sed 's/^/# kmemleak: /' >>"$raw"
		echo "not ok kmemleak_clean # $n unreferenced objects"
	fi
}

# For the suites that are scripts (harness-test.sh and the like):
# ktap_begin NAME PLAN prints the suite's header; ktap_result OK NAME [WHY]
# prints its next case, "ok" when OK is 0, and a failure sets
# KTAP_SCRIPT_FAILED (the script's exit status); ktap_skip NAME WHY.
ktap_begin() {
	KTAP_SCRIPT_N=0 KTAP_SCRIPT_FAILED=0
	printf 'KTAP version 1\n# Subtest: %s\n1..%d\n' "$1" "$2"
}

ktap_result() {
	KTAP_SCRIPT_N=$((KTAP_SCRIPT_N + 1))
	if [ "$1" = 0 ]; then
		echo "ok $KTAP_SCRIPT_N $2"
	else
		echo "not ok $KTAP_SCRIPT_N $2${3:+ # $3}"
		# shellcheck disable=SC2034 # read by the scripts that source this
		KTAP_SCRIPT_FAILED=1
	fi
}

ktap_skip() {
	KTAP_SCRIPT_N=$((KTAP_SCRIPT_N + 1))
	echo "ok $KTAP_SCRIPT_N $1 # SKIP $2"
}
