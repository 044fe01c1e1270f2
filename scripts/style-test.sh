#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The "style" suite: the module is clean under checkpatch.pl --strict and
# sparse (W=1 warnings already fail the build in check.sh).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

: "${KDIR:?KDIR names the kernel build tree}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "KTAP version 1"
echo "# Subtest: style"
echo "1..2"

if "$MMSCOPE_TOP/scripts/checkpatch.sh" >"$tmp/cp" 2>&1; then
	echo "ok 1 checkpatch_strict_clean"
else
	sed 's/^/# /' "$tmp/cp" | head -n 60
	echo "not ok 1 checkpatch_strict_clean"
	failed=1
fi

# C=2 (make sparse) checks every source file, rebuilt or not.
if ! make -C "$MMSCOPE_TOP" sparse KDIR="$KDIR" >"$tmp/sp" 2>&1; then
	sed 's/^/# /' "$tmp/sp" | tail -n 30
	echo "not ok 2 sparse_clean # build failed"
	failed=1
elif grep -E '(warning|error):' "$tmp/sp" >"$tmp/spw"; then
	sed 's/^/# /' "$tmp/spw" | head -n 60
	echo "not ok 2 sparse_clean"
	failed=1
else
	echo "ok 2 sparse_clean"
fi
exit ${failed:-0}
