#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot a kernel with an mmscope initramfs under QEMU/TCG (KVM hangs on these
# machines), capture the serial console, and carry the guest job's exit
# status back.
# Usage: scripts/vm.sh KERNEL INITRD LOG [TIMEOUT_S]
# Exit: the job's status; 124 if the guest hung and was killed after
#       TIMEOUT_S; 125 if it stopped without reporting (panic, crash).
# Environment: MMSCOPE_VM_MEM (MiB, default 2048; THP needs >= 512),
#   MMSCOPE_VM_CPUS (default 2), MMSCOPE_VM_APPEND (extra kernel args),
#   MMSCOPE_VM_ECHO=1 to copy the console to stderr as it runs.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

kernel=$1 initrd=$2 log=$3 timeout_s=${4:-600}
command -v qemu-system-x86_64 >/dev/null || die "qemu-system-x86_64 missing (scripts/provision.sh)"

append="console=ttyS0 quiet loglevel=3 panic=-1 ${MMSCOPE_VM_APPEND:-}"
cmd=(qemu-system-x86_64 -accel tcg -cpu max -m "${MMSCOPE_VM_MEM:-2048}"
	-smp "${MMSCOPE_VM_CPUS:-2}" -display none -monitor none -serial stdio
	-no-reboot -kernel "$kernel" -initrd "$initrd" -append "$append")

if [ "${MMSCOPE_VM_ECHO:-0}" = 1 ]; then
	timeout -k 5 "$timeout_s" "${cmd[@]}" </dev/null 2>&1 | tr -d '\r' | tee "$log" >&2
	qrc=${PIPESTATUS[0]}
else
	timeout -k 5 "$timeout_s" "${cmd[@]}" </dev/null 2>&1 | tr -d '\r' >"$log"
	qrc=${PIPESTATUS[0]}
fi

if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
	msg "guest hung: killed after ${timeout_s}s (console log: $log)"
	exit 124
fi
status=$(sed -n 's/^MMSCOPE-EXIT=\([0-9]*\)$/\1/p' "$log" | tail -n1)
if [ -z "$status" ]; then
	msg "guest stopped without reporting an exit status (qemu exit $qrc); console log: $log"
	tail -n 40 "$log" >&2
	exit 125
fi
exit "$status"
