#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Run your own program or shell script inside mmscope's VM, with mmscope.ko
# loaded, and get its output and exit status back.
#   scripts/vm-run.sh ./prog [ARGS...]      (or: make vm-run PROG=./prog ARGS="...")
# Programs must be statically linked (gcc -static): the guest is busybox
# only. Environment: MMSCOPE_PARAMS (module parameters), MMSCOPE_NO_MODULE=1
# (do not load the module), MMSCOPE_VM_TIMEOUT (s, default 600).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] || die "usage: scripts/vm-run.sh PROGRAM [ARGS...]"
prog=$1
shift
[ -f "$prog" ] || die "$prog: no such file"
if head -c 4 "$prog" | grep -q 'ELF' && readelf -l "$prog" 2>/dev/null | grep -q INTERP; then
	die "$prog is dynamically linked; rebuild it with -static"
fi

prepare_kernel_and_build
job=$MMSCOPE_BUILD/vm-run.job
{
	echo "set -u"
	if [ "${MMSCOPE_NO_MODULE:-0}" != 1 ]; then
		echo "insmod /mmscope/mmscope.ko ${MMSCOPE_PARAMS:-} || exit 126"
	fi
	printf '%q ' "/mmscope/bin/$(basename "$prog")" "$@"
	echo
	echo 'rc=$?'
	[ "${MMSCOPE_NO_MODULE:-0}" != 1 ] && echo 'rmmod mmscope 2>/dev/null'
	echo 'exit $rc'
} >"$job"
chmod +x "$prog" 2>/dev/null
run_job "$job" "$prog"
