#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: scripts/check.sh on the debug kernel (built or taken
# from the cache by scripts/debug-kernel.sh), mmscope.ko built against its
# tree. By default it runs what depends on the kernel: every VM suite, the
# KUnit suites (kunit), the harness self-tests (harness, debug-harness); the
# vm suite adds a kmemleak scan after the last rmmod. Name suites to run
# others. Logs: build/check-debug/.
# Usage: scripts/check-debug.sh [SUITE...]
set -uo pipefail
. "$(dirname "$0")/lib.sh"

dk=$("$MMSCOPE_TOP/scripts/debug-kernel.sh") || die "debug kernel build failed"
eval "$dk"
export MMSCOPE_KERNEL=$KIMAGE MMSCOPE_KDIR=$KDIR
export MMSCOPE_KERNEL_SUITES_ONLY=1
# A debug kernel logs much more: keep the whole run in the log buffer (the
# splat scan reads it at the end), and every KASAN report, not the first.
export MMSCOPE_VM_APPEND="log_buf_len=8M kasan_multi_shot ${MMSCOPE_VM_APPEND:-}"
# trinity's children never get to their first syscall on this trimmed kernel
# (they spin in user space; same binary, seed and flags make thousands of
# calls on Debian's kernel in make check): its devfuzz case is skipped here,
# stress-ng still runs.
export MMSCOPE_DEVFUZZ_TRINITY=${MMSCOPE_DEVFUZZ_TRINITY:-0}
# Its own build directory, so make check's logs survive.
export MMSCOPE_BUILD=${MMSCOPE_DEBUG_BUILD:-$MMSCOPE_TOP/build/debug}
exec "$MMSCOPE_TOP/scripts/check.sh" "$@"
