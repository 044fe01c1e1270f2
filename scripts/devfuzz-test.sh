#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The "devfuzz" suite: Debian's own fuzzers against mmscope, bounded in
# time, in one boot of the kernel in $KIMAGE with mmscope.ko loaded:
#  - trinity (fixed seed) throws random ioctl/mmap/read/write/... calls at
#    /dev/mmscope, its only victim file;
#  - stress-ng exercises /dev/mmscope with its dev stressor (--dev-file)
#    next to its mmap, fault, madvise, mremap and mmapfork stressors.
# Then the module must unload, the kernel log be clean and, on a kernel
# with kmemleak, nothing be leaked. MMSCOPE_DEVFUZZ_SECONDS sets each
# tool's duration (default 30), MMSCOPE_DEVFUZZ_MIN_CALLS the fewest
# syscalls trinity must have made (default 200); MMSCOPE_DEVFUZZ_TRINITY=0
# leaves trinity out (check-debug.sh: see there). The tools are installed by provision.sh
# --extra and run from the initramfs with their shared libraries.
set -uo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/ktap.sh"

: "${KIMAGE:?KIMAGE names the kernel to boot}"
: "${KDIR:?KDIR names its build tree}"
: "${SPLAT_RE:?run it through scripts/check.sh, which sets SPLAT_RE}"
secs=${MMSCOPE_DEVFUZZ_SECONDS:-30}
min_calls=${MMSCOPE_DEVFUZZ_MIN_CALLS:-200}
trinity=${MMSCOPE_DEVFUZZ_TRINITY:-1}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# A program and the shared libraries it loads, at their paths, in $1.
pack_with_libs() {
	local root=$1 bin=$2 lib
	mkdir -p "$root/usr/bin"
	cp -L "$bin" "$root/usr/bin/"
	for lib in $(ldd "$bin" | awk '$2 == "=>" && $3 ~ /^\// { print $3 }
				      $1 ~ /^\// { print $1 }'); do
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

ktap_begin devfuzz 5

for t in trinity stress-ng; do
	command -v "$t" >/dev/null ||
		"$MMSCOPE_TOP/scripts/provision.sh" --extra >/dev/null 2>&1
done
overlay=$tmp/overlay
for t in trinity stress-ng; do
	if ! command -v "$t" >/dev/null; then
		echo "# $t is not installed (apt-get install $t)"
		exit 1
	fi
	pack_with_libs "$overlay" "$(command -v "$t")"
done

# trinity refuses root without --dangerous; the VM is disposable. It then
# counts down 10 s before starting, outside its $secs. Only the "files" fd
# provider is left, and its only victim is the device. Two children, one
# per vCPU: on the debug kernel more of them spend the run starting up.
cat >"$tmp/job" <<EOF
insmod /mmscope/mmscope.ko || exit 126
cd /tmp
echo "MMSCOPE-DEVFUZZ-BEGIN trinity"
[ $trinity = 1 ] && timeout -s INT $((secs + 10)) trinity --dangerous -q -l off -C 2 -s 1 \\
	-V /dev/mmscope \\
	--disable-fds=sockets,pipes,perf,epoll,eventfd,pseudo,timerfd,testfile,memfd,drm \\
	-c ioctl -c mmap -c munmap -c mremap -c mprotect -c madvise -c msync \\
	-c mincore -c mlock -c munlock -c read -c write -c pread64 -c pwrite64 \\
	-c readv -c writev -c lseek -c fcntl -c dup
echo "MMSCOPE-DEVFUZZ-END trinity exit=\$?"
echo "MMSCOPE-DEVFUZZ-BEGIN stress-ng"
stress-ng --seed 1 --timeout ${secs}s --metrics-brief --oomable \\
	--dev 2 --dev-file /dev/mmscope --mmap 1 --fault 1 --madvise 1 \\
	--mremap 1 --mmapfork 1
echo "MMSCOPE-DEVFUZZ-END stress-ng exit=\$?"
rmmod mmscope
echo "MMSCOPE-DEVFUZZ-RMMOD exit=\$?"
sh /mmscope/kmemleak.sh
exit 0
EOF
MMSCOPE_INITRAMFS_OVERLAY=$overlay \
	"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$tmp/i.cpio.gz" "$tmp/job" ||
	die "initramfs failed"
"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$tmp/i.cpio.gz" "$tmp/log" \
	$((2 * secs + 600)) 2>"$tmp/err"
rc=$?
log=$tmp/log
[ $rc = 0 ] || sed 's/^/# /' "$tmp/err" | tail -n 20
mkdir -p "$MMSCOPE_BUILD/check"
cp "$log" "$MMSCOPE_BUILD/check/devfuzz-console.log"

tool_status() {	# the exit status a tool's END marker reports
	sed -n "s/^MMSCOPE-DEVFUZZ-END $1 exit=\\([0-9]*\\)\$/\\1/p" "$log"
}
tool_output() {
	sed -n "/^MMSCOPE-DEVFUZZ-BEGIN $1\$/,/^MMSCOPE-DEVFUZZ-END $1 /p" "$log"
}

# trinity stops on SIGINT from timeout with status 0; >0 means it gave up.
# A run that made almost no calls fuzzed nothing: it fails too.
st=$(tool_status trinity)
tool_output trinity | grep -E 'Ran [0-9]+ syscalls|tainted|WARNING|error' |
	head -n 10 | sed 's/^/# trinity: /'
calls=$(tool_output trinity | sed -n 's/.*Ran \([0-9]*\) syscalls.*/\1/p' | tail -n 1)
if [ "$trinity" = 1 ]; then
	[ "$st" = 0 ] && [ "${calls:-0}" -ge "$min_calls" ]
	ktap_result $? trinity_ran_its_bound \
		"exit status ${st:-none}, ${calls:-no} syscalls (at least $min_calls wanted)"
else
	ktap_skip trinity_ran_its_bound "MMSCOPE_DEVFUZZ_TRINITY=0"
fi

st=$(tool_status stress-ng)
tool_output stress-ng | grep -E 'stress-ng: (info|fail|error)' | grep -vE 'dispatching|setting to' |
	head -n 20 | sed 's/^/# stress-ng: /'
[ "$st" = 0 ]
ktap_result $? stress_ng_ran_its_bound "exit status ${st:-none}"

st=$(sed -n 's/^MMSCOPE-DEVFUZZ-RMMOD exit=\([0-9]*\)$/\1/p' "$log")
[ "$st" = 0 ]
ktap_result $? module_unloads_after_fuzzing "rmmod status ${st:-none}"

sed -n '/^MMSCOPE-DMESG-BEGIN$/,/^MMSCOPE-DMESG-END$/p' "$log" >"$tmp/dmesg"
if grep -E "$SPLAT_RE" "$tmp/dmesg" >"$tmp/splats"; then
	sed 's/^/# kernel: /' "$tmp/splats" | head -n 40
	ktap_result 1 kernel_log_clean "$(wc -l <"$tmp/splats") bad lines"
else
	ktap_result 0 kernel_log_clean
fi

[ -f "$KDIR/.config" ] && kconfig=$KDIR/.config || kconfig=/dev/null
verdict=$(ktap_kmemleak_case "$log" "$tmp/leaks" \
	"$(grep -c '^CONFIG_DEBUG_KMEMLEAK=y' "$kconfig")")
[ -s "$tmp/leaks" ] && cat "$tmp/leaks"
case $verdict in
"") ktap_skip kmemleak_clean "the kernel has no kmemleak" ;;
"ok kmemleak_clean") ktap_result 0 kmemleak_clean ;;
*) ktap_result 1 kmemleak_clean "${verdict#*# }" ;;
esac
exit $KTAP_SCRIPT_FAILED
