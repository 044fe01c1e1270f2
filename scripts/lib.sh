# SPDX-License-Identifier: GPL-2.0
# Shared by the mmscope scripts: paths, messages, the cache lock.
# shellcheck shell=bash

MMSCOPE_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
MMSCOPE_CACHE=${MMSCOPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmscope}
MMSCOPE_BUILD=${MMSCOPE_BUILD:-$MMSCOPE_TOP/build}

msg() { printf 'mmscope: %s\n' "$*" >&2; }
die() { printf 'mmscope: error: %s\n' "$*" >&2; exit 2; }

# Serialise everything that writes the shared cache (parallel runs, CI).
with_cache_lock() {
	mkdir -p "$MMSCOPE_CACHE"
	(
		flock 9
		"$@"
	) 9>"$MMSCOPE_CACHE/.lock"
}

# Seconds since the epoch, for the timings the scripts print.
now() { date +%s; }

# Provision (unless MMSCOPE_KERNEL/MMSCOPE_KDIR name another kernel) and
# build mmscope.ko and the user programs. Sets KIMAGE and KDIR.
prepare_kernel_and_build() {
	local log=$MMSCOPE_BUILD/build.log prov
	mkdir -p "$MMSCOPE_BUILD"
	if [ -n "${MMSCOPE_KERNEL:-}" ]; then
		KIMAGE=$MMSCOPE_KERNEL
		KDIR=${MMSCOPE_KDIR:?MMSCOPE_KDIR must name the build tree of MMSCOPE_KERNEL}
	else
		prov=$("$MMSCOPE_TOP/scripts/provision.sh") || die "provisioning failed"
		eval "$prov"
	fi
	export KIMAGE KDIR
	if ! make -C "$MMSCOPE_TOP" module KDIR="$KDIR" >"$log" 2>&1 ||
	   ! make -C "$MMSCOPE_TOP/user" O="$MMSCOPE_BUILD/user" >>"$log" 2>&1; then
		tail -n 40 "$log" >&2
		die "build failed (log: $log)"
	fi
}

# run_job JOBFILE [FILE...]: boot the VM with JOBFILE as the guest's job
# (FILEs land in /mmscope/bin), print what the job printed, return its
# exit status (124: hung, 125: died).
run_job() {
	local job=$1 dir=$MMSCOPE_BUILD/vm rc
	shift
	mkdir -p "$dir"
	"$MMSCOPE_TOP/scripts/mkinitramfs.sh" "$dir/initrd.cpio.gz" "$job" "$@" ||
		die "initramfs failed"
	"$MMSCOPE_TOP/scripts/vm.sh" "$KIMAGE" "$dir/initrd.cpio.gz" "$dir/console.log" \
		"${MMSCOPE_VM_TIMEOUT:-600}"
	rc=$?
	sed -n '/^MMSCOPE-GUEST-START/,/^MMSCOPE-DMESG-BEGIN$/p' "$dir/console.log" |
		sed '1d;$d'
	return $rc
}
