#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The "debug-harness" suite (debug kernel): what make check-debug adds to the
# harness can fail. A failing or missing KUnit case fails the kunit suite;
# in one boot, the kernel's own kmemleak-test.ko leaks and the final scan
# reports it, and kasan_test_module.ko's bad accesses reach the splat check.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"

: "${KIMAGE:?KIMAGE names the kernel to boot}"
: "${KDIR:?KDIR names its build tree}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
awkf=$MMSCOPE_TOP/scripts/guest/kunit-ktap.awk

ktap_begin debug-harness 4

# KUnit's log for a suite whose second case fails, then one that stopped
# after one of its two cases (as after an oops).
kunit_log() {
	printf '    KTAP version 1\n    # Subtest: s1\n    1..2\n    ok 1 a\n'
	printf '    # b: EXPECTATION FAILED at x.c:1\n    not ok 2 b\n'
	printf 'not ok 1 s1\n'
	[ "$1" = short ] && printf '    KTAP version 1\n    # Subtest: s2\n    1..2\n    ok 1 c\n'
}
kunit_log full | awk -f "$awkf" >"$tmp/k1"
st=$?
: >"$tmp/k1.extra"
ktap_suite kunit "$tmp/k1" "$tmp/k1.extra" >/dev/null
[ $st = 1 ] && [ "$KTAP_FAIL" = 1 ] && grep -q '^not ok 2 s1\.b$' "$tmp/k1"
ktap_result $? kunit_failed_case_fails_the_suite "exit $st, $KTAP_FAIL failures"

kunit_log short | awk -f "$awkf" >"$tmp/k2"
st=$?
ktap_completed_case "$tmp/k2" "$st" | grep -q '^not ok suite_reported_every_case'
ktap_result $? kunit_unreported_case_fails_the_suite "$(ktap_count "$tmp/k2")"

# One boot: leak, scan, then the KASAN test module (it fails to load on
# purpose, after its bad accesses).
leak=$(find "$KDIR/samples/kmemleak" -name 'kmemleak-test.ko' | head -n1)
kasan=$(find "$KDIR/mm/kasan" -name 'kasan_test_module.ko' | head -n1)
cat >"$tmp/job" <<'EOF'
insmod /mmscope/bin/kmemleak-test.ko && rmmod kmemleak_test
sh /mmscope/kmemleak.sh
insmod /mmscope/bin/kasan_test_module.ko
exit 0
EOF
if [ -z "$leak" ] || [ -z "$kasan" ]; then
	ktap_result 1 kmemleak_leak_fails_the_run "test modules missing from $KDIR"
	ktap_result 1 kasan_report_fails_the_run "test modules missing from $KDIR"
	exit 1
fi
"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$tmp/i.cpio.gz" "$tmp/job" "$leak" "$kasan"
"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$tmp/i.cpio.gz" "$tmp/log" 300 2>"$tmp/err"
rc=$?
[ $rc = 0 ] || sed 's/^/# /' "$tmp/err" | tail -n 20

verdict=$(ktap_kmemleak_case "$tmp/log" "$tmp/leaks" 1)
[[ "$verdict" == "not ok kmemleak_clean # "*" unreferenced objects" ]]
ktap_result $? kmemleak_leak_fails_the_run "verdict: ${verdict:-none}"

sed -n '/^MMSCOPE-DMESG-BEGIN$/,/^MMSCOPE-DMESG-END$/p' "$tmp/log" >"$tmp/dmesg"
grep -E "${SPLAT_RE:-KASAN:}" "$tmp/dmesg" | grep -q 'BUG: KASAN:'
ktap_result $? kasan_report_fails_the_run "no KASAN report matched the splat patterns"

exit $KTAP_SCRIPT_FAILED
