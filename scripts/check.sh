#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check: provision, build, run every test suite, print one KTAP report
# that ends with "N passed, N failed, N skipped". Exit 0 only if nothing
# failed.
#
# Usage: scripts/check.sh [SUITE...]     (default: all suites)
# Suites:
#   host-<mech>   host unit suites, build/user/host/host-<mech>
#   style         checkpatch --strict and sparse are clean
#   fuzz          each libFuzzer target runs MMSCOPE_FUZZ_RUNS executions
#   harness       the VM harness checks itself (exit status, hang, splat)
#   devfuzz       trinity and stress-ng against /dev/mmscope, in a VM
#   <suite>       VM suites, build/user/tests/<suite>, run in one VM boot
#   vm            added whenever a VM suite runs: the guest finished and
#                 its kernel log is clean (and, where the kernel has
#                 kmemleak, a scan after the last rmmod found nothing)
#   kunit         VM, kernels with CONFIG_KUNIT: mmscope_kunit.ko's suites
#   debug-harness kernels with kmemleak and KASAN: the harness catches a
#                 leak, a KASAN report and a failing KUnit case
# Environment: MMSCOPE_KERNEL + MMSCOPE_KDIR run on another kernel (the
#   debug kernel) instead of Debian's; MMSCOPE_VM_TIMEOUT (s, default 1200);
#   MMSCOPE_KERNEL_SUITES_ONLY=1 leaves out, by default, the host suites
#   whose result does not depend on the kernel (make check-debug).
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"

start=$(now)
out=$MMSCOPE_BUILD/check
rm -rf "$out"
mkdir -p "$out"

# Kernel log lines that fail a run, whatever the tests said.
SPLAT_RE='BUG:|WARNING:|Oops|general protection fault|KASAN:|UBSAN:|KFENCE:|suspected memory leak|possible recursive locking|possible circular locking|inconsistent lock state|INFO: possible|lockdep is turned off|locking correctness validator|soft lockup|hard LOCKUP|rcu_sched self-detected stall|rcu: INFO:|detected stall|Kernel panic|list_add corruption|list_del corruption|Bad page|refcount_t:|Call Trace:'
export SPLAT_RE

# ---- kernel and build -------------------------------------------------------
msg "provisioning and building"
prepare_kernel_and_build
cp "$MMSCOPE_BUILD/build.log" "$out/build.log"
# W=1 is part of the build contract: a warning is a failure.
if grep -E '(warning|error):' "$out/build.log" >&2; then
	die "the build has warnings (log: $out/build.log)"
fi

# ---- which suites -----------------------------------------------------------
host_all=() vm_all=()
for f in "$MMSCOPE_BUILD"/user/host/host-*; do
	[ -x "$f" ] && host_all+=("$(basename "$f")")
done
host_all+=(style)
ls "$MMSCOPE_TOP"/user/host/fuzz_*.c >/dev/null 2>&1 && host_all+=(fuzz)
host_all+=(harness devfuzz)
[ -f "$KDIR/.config" ] && kconfig=$KDIR/.config || kconfig=/dev/null
has_kmemleak=$(grep -c '^CONFIG_DEBUG_KMEMLEAK=y' "$kconfig")
host_default=(harness devfuzz)
if grep -q '^CONFIG_DEBUG_KMEMLEAK_TEST=m' "$kconfig"; then
	host_all+=(debug-harness)
	host_default+=(debug-harness)
fi
if [ "${MMSCOPE_KERNEL_SUITES_ONLY:-0}" != 1 ]; then
	host_default=("${host_all[@]}")
fi
[ -x "$MMSCOPE_BUILD/user/tests/core" ] && vm_all+=(core)
for f in "$MMSCOPE_BUILD"/user/tests/*; do
	s=$(basename "$f")
	[ -x "$f" ] && [ "$s" != core ] && vm_all+=("$s")
done
# mmscope_kunit.ko exists only for kernels with KUnit (the debug kernel).
grep -q '^CONFIG_KUNIT=y' "$kconfig" && [ -f "$MMSCOPE_TOP/mmscope_kunit.ko" ] &&
	vm_all+=(kunit)

host_run=() vm_run=()
if [ $# -eq 0 ]; then
	host_run=("${host_default[@]}")
	vm_run=("${vm_all[@]}")
else
	for want in "$@"; do
		found=0
		for s in "${host_all[@]}"; do
			[ "$s" = "$want" ] && host_run+=("$s") && found=1
		done
		for s in "${vm_all[@]}"; do
			[ "$s" = "$want" ] && vm_run+=("$s") && found=1
		done
		[ $found = 1 ] || die "no suite '$want' (have: ${host_all[*]} ${vm_all[*]})"
	done
fi

nsuites=$((${#host_run[@]} + ${#vm_run[@]}))
[ ${#vm_run[@]} -gt 0 ] && nsuites=$((nsuites + 1))
printf 'KTAP version 1\n1..%d\n' "$nsuites"

# ---- host suites ------------------------------------------------------------
for s in "${host_run[@]}"; do
	raw=$out/$s.raw
	if [ -x "$MMSCOPE_TOP/scripts/$s-test.sh" ]; then
		"$MMSCOPE_TOP/scripts/$s-test.sh" >"$raw" 2>"$out/$s.err"
	else
		"$MMSCOPE_BUILD/user/host/$s" >"$raw" 2>"$out/$s.err"
	fi
	st=$?
	sed 's/^/# stderr: /' "$out/$s.err" | tail -n 30 >>"$raw"
	ktap_completed_case "$raw" "$st" >"$out/$s.extra"
	ktap_suite "$s" "$raw" "$out/$s.extra"
done

# ---- VM suites --------------------------------------------------------------
if [ ${#vm_run[@]} -gt 0 ]; then
	mod_suites=()
	for s in "${vm_run[@]}"; do
		[ "$s" != kunit ] && mod_suites+=("$s")
	done
	{
		echo "rc=0"
		[ ${#mod_suites[@]} -gt 0 ] &&
			echo "sh /mmscope/run-suites.sh ${mod_suites[*]} || rc=1"
		[ ${#mod_suites[@]} != ${#vm_run[@]} ] && echo "sh /mmscope/kunit.sh || rc=1"
		# After the last rmmod: anything mmscope leaked is unreferenced now.
		echo "sh /mmscope/kmemleak.sh"
		# shellcheck disable=SC2016
		echo 'exit $rc'
	} >"$out/job"
	"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$out/initrd.cpio.gz" "$out/job" ||
		die "initramfs failed"
	msg "booting $KIMAGE for: ${vm_run[*]}"
	"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$out/initrd.cpio.gz" "$out/console.log" \
		"${MMSCOPE_VM_TIMEOUT:-1200}"
	vmrc=$?
	log=$out/console.log
	sed -n '/^MMSCOPE-DMESG-BEGIN$/,/^MMSCOPE-DMESG-END$/p' "$log" >"$out/dmesg.log"

	for s in "${vm_run[@]}"; do
		raw=$out/$s.raw
		sed -n "/^MMSCOPE-SUITE-BEGIN $s\$/,/^MMSCOPE-SUITE-END $s /p" "$log" |
			grep -v '^MMSCOPE-SUITE-' >"$raw"
		end=$(grep "^MMSCOPE-SUITE-END $s " "$log" | tail -n1)
		st=$(sed -n 's/.* exit=\(-\?[0-9]*\).*/\1/p' <<<"$end")
		ins=$(sed -n 's/.* insmod=\([0-9]*\).*/\1/p' <<<"$end")
		rm=$(sed -n 's/.* rmmod=\([0-9]*\).*/\1/p' <<<"$end")
		{
			if [ "${ins:-x}" = 0 ]; then echo "ok module_loads"
			else echo "not ok module_loads # insmod status ${ins:-unknown}"; fi
			ktap_completed_case "$raw" "${st:--1}"
			if [ "${rm:-x}" = 0 ]; then echo "ok module_unloads_after_suite"
			else echo "not ok module_unloads_after_suite # rmmod status ${rm:-unknown}"; fi
		} >"$out/$s.extra"
		ktap_suite "$s" "$raw" "$out/$s.extra"
	done

	# The synthetic "vm" suite: the guest itself and its kernel log.
	raw=$out/vm.raw
	: >"$raw"
	{
		case $vmrc in
		124) echo "not ok guest_finished # hung: killed after ${MMSCOPE_VM_TIMEOUT:-1200}s" ;;
		125) echo "not ok guest_finished # stopped without an exit status (panic?)" ;;
		*) echo "ok guest_finished" ;;
		esac
		scan=$out/dmesg.log
		[ -s "$scan" ] || scan=$log
		if grep -E "$SPLAT_RE" "$scan" >"$out/splats.log"; then
			sed 's/^/# kernel: /' "$out/splats.log" | head -n 40 >>"$raw"
			echo "not ok kernel_log_clean # $(wc -l <"$out/splats.log") bad lines, see $out/dmesg.log"
		else
			echo "ok kernel_log_clean"
		fi
		ktap_kmemleak_case "$log" "$raw" "$has_kmemleak"
	} >"$out/vm.extra"
	ktap_suite vm "$raw" "$out/vm.extra"
fi

echo "# mmscope check: $(( $(now) - start ))s; logs in $out${KTAP_FAILED_SUITES:+; failed suites:$KTAP_FAILED_SUITES}"
echo "$KTAP_PASS passed, $KTAP_FAIL failed, $KTAP_SKIP skipped"
[ "$KTAP_FAIL" = 0 ]
