#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make run, in the guest: load mmscope, show what it exposes, walk through
# its mechanisms (mmscope-demo all), run the benchmarks, unload.
# Every step runs even if an earlier one failed, so that the module is
# still unloaded; the exit status is 1 if any step failed.

# Benchmark sizes, reduced from the programs' defaults so that make run
# stays within a few minutes under TCG on 2 vCPUs (the defaults are in
# each program's usage line; docs/<mech>.md has figures at full size).
BOOTMEM_BENCH_ARGS=""			# the default: 100000 ops, 5 runs
BUDDY_BENCH_ARGS="-n 200000 -r 3"	# default: 400000 ops, 3 runs
FAULT_BENCH_ARGS="4096 5"		# default: 4096 pages, 7 rounds

failed=""
step() { printf '\n== %s\n' "$*"; }
# run CMD...: run a step, report its time, remember it if it failed.
run() {
	t0=$(date +%s)
	"$@"
	rc=$?
	t1=$(date +%s)
	if [ $rc = 0 ]; then
		printf -- '-- %s: done in %d s\n' "$1" $((t1 - t0))
	else
		printf -- '-- %s: FAILED, exit status %d\n' "$*" $rc
		failed="$failed
   $* (exit status $rc)"
	fi
	return $rc
}

step "insmod mmscope.ko"
if ! insmod /mmscope/mmscope.ko; then
	echo "mmscope: insmod failed"
	exit 1
fi
grep -o '^mmscope [0-9]* [0-9]*' /proc/modules
step "the device"
ls -l /dev/mmscope
step "the debugfs tree: each directory of /sys/kernel/debug/mmscope and its files"
for d in $(find /sys/kernel/debug/mmscope -type d | sort); do
	printf '%s/:' "$d"
	for f in "$d"/*; do
		[ -f "$f" ] && printf ' %s' "${f##*/}"
	done
	echo
done | fold -s -w 100
cat /sys/kernel/debug/mmscope/version

step "walkthroughs: mmscope-demo all"
run /mmscope/tools/mmscope-demo all

step "benchmark: bootmem_bench${BOOTMEM_BENCH_ARGS:+ $BOOTMEM_BENCH_ARGS} (bitmap allocator vs lib/genalloc, in the kernel)"
# shellcheck disable=SC2086 # word splitting of the arguments is wanted
run /mmscope/bench/bootmem_bench $BOOTMEM_BENCH_ARGS
step "benchmark: buddy_bench $BUDDY_BENCH_ARGS (buddy allocator vs alloc_pages, in the kernel)"
# shellcheck disable=SC2086
run /mmscope/bench/buddy_bench $BUDDY_BENCH_ARGS
step "benchmark: fault_bench $FAULT_BENCH_ARGS (faults on the device vs anonymous memory and memfd)"
# shellcheck disable=SC2086
run /mmscope/bench/fault_bench $FAULT_BENCH_ARGS

for d in /mmscope/demo.d/*; do
	[ -x "$d" ] || continue
	step "$(basename "$d")"
	run "$d"
done

step "rmmod mmscope"
run rmmod mmscope
if grep -q '^mmscope ' /proc/modules || test -e /dev/mmscope; then
	failed="$failed
   mmscope is still loaded"
else
	echo "unloaded: /dev/mmscope and the debugfs tree are gone"
fi

if [ -n "$failed" ]; then
	printf '\nmmscope: these steps FAILED:%s\n' "$failed"
	exit 1
fi
printf '\nmmscope: every step passed\n'
