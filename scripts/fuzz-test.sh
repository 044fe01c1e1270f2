#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The "fuzz" suite: every libFuzzer target (user/host/fuzz_<mech>.c, built
# with ASan + UBSan against the unchanged allocator core) runs a fixed
# number of executions from a fixed seed; a crash, leak or sanitizer report
# fails its case. MMSCOPE_FUZZ_RUNS sets the count (default 200000).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

runs=${MMSCOPE_FUZZ_RUNS:-200000}
out=$MMSCOPE_BUILD/user/fuzz
make -C "$MMSCOPE_TOP/user" O="$MMSCOPE_BUILD/user" fuzzers >"$MMSCOPE_BUILD/fuzz-build.log" 2>&1
built=$?
targets=()
for f in "$MMSCOPE_TOP"/user/host/fuzz_*.c; do
	[ -e "$f" ] && targets+=("$(basename "$f" .c | sed 's/^fuzz_//')")
done

echo "KTAP version 1"
echo "# Subtest: fuzz"
echo "1..${#targets[@]}"
failed=0 n=0
for t in "${targets[@]}"; do
	n=$((n + 1))
	bin=$out/fuzz-$t
	if [ $built != 0 ] || [ ! -x "$bin" ]; then
		sed 's/^/# /' "$MMSCOPE_BUILD/fuzz-build.log" | tail -n 20
		echo "not ok $n fuzz_${t}_runs_clean # build failed"
		failed=1
		continue
	fi
	corpus=$(mktemp -d)
	if "$bin" -runs="$runs" -seed=1 -max_len=4096 "$corpus" >"$corpus.log" 2>&1; then
		echo "# $(grep -E '^Done [0-9]+ runs' "$corpus.log" | tail -n1)"
		echo "ok $n fuzz_${t}_runs_clean"
	else
		grep -vE '^#[0-9]+' "$corpus.log" | sed 's/^/# /' | tail -n 40
		echo "not ok $n fuzz_${t}_runs_clean"
		failed=1
	fi
	rm -rf "$corpus" "$corpus.log"
done
exit $failed
