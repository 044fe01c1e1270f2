#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make run: provision, build, boot Debian's 6.1 kernel under QEMU/TCG, load
# mmscope, show the device and the debugfs tree, run the walkthroughs
# (mmscope-demo all) and the benchmarks, unload.
# Exit status: the guest's.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

msg "provisioning and building"
prepare_kernel_and_build
msg "booting $KIMAGE"
echo "sh /mmscope/bin/demo.sh" >"$MMSCOPE_BUILD/run.job"
run_job "$MMSCOPE_BUILD/run.job" "$MMSCOPE_TOP/scripts/guest/demo.sh"
rc=$?
[ $rc = 0 ] && msg "demo finished" || msg "demo failed: exit status $rc"
exit $rc
