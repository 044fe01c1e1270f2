#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The "harness" suite: the VM harness proves it can fail. Boots the kernel
# in $KIMAGE twice and feeds the report code a failing suite.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"

: "${KIMAGE:?KIMAGE names the kernel to boot}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ktap_begin harness 4

# One boot: a kernel warning in the log and a job exit status of 7.
printf 'echo "WARNING: CPU: 0 PID: 1 at harness-selftest" >/dev/kmsg\nexit 7\n' >"$tmp/job1"
"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$tmp/i1.cpio.gz" "$tmp/job1"
"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$tmp/i1.cpio.gz" "$tmp/log1" 120 2>"$tmp/err1"
rc=$?
[ $rc = 7 ]; ktap_result $? guest_exit_status_reaches_host "expected 7, got $rc"
sed -n '/^MMSCOPE-DMESG-BEGIN$/,/^MMSCOPE-DMESG-END$/p' "$tmp/log1" >"$tmp/dmesg1"
grep -qE "${SPLAT_RE:-WARNING:}" "$tmp/dmesg1"
ktap_result $? kernel_warning_is_detected "no splat line found in the guest's dmesg"

# A guest that never finishes is killed at its timeout and reported.
echo 'sleep 100000' >"$tmp/job2"
"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$tmp/i2.cpio.gz" "$tmp/job2"
t0=$(now)
"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$tmp/i2.cpio.gz" "$tmp/log2" 20 2>"$tmp/err2"
rc=$? dt=$(( $(now) - t0 ))
[ $rc = 124 ] && grep -q 'guest hung' "$tmp/err2" && [ $dt -lt 40 ]
ktap_result $? hung_guest_is_killed_and_reported "exit $rc after ${dt}s"

# A suite with a failing case makes the report count a failure.
printf 'KTAP version 1\n1..2\nok 1 a\nnot ok 2 b\n' >"$tmp/raw"
: >"$tmp/extra"
ktap_suite fake "$tmp/raw" "$tmp/extra" >"$tmp/report"
[ "$KTAP_FAIL" = 1 ] && [ "$KTAP_PASS" = 1 ] && grep -q '^not ok 1 fake$' "$tmp/report"
ktap_result $? failing_case_fails_the_report "pass $KTAP_PASS fail $KTAP_FAIL"

exit $KTAP_SCRIPT_FAILED
