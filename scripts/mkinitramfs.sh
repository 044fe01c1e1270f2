#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Pack a busybox initramfs for mmscope's VM.
# Usage: scripts/mkinitramfs.sh OUT.cpio.gz JOBFILE [FILE...]
#   JOBFILE   shell script the guest runs as /mmscope/job
#   FILE      extra programs, copied to /mmscope/bin/
# Always packs mmscope.ko (if built) and build/user/{tests,bench,tools};
# with KIMAGE set, the .ko files in its directory's modules/.
# MMSCOPE_INITRAMFS_OVERLAY: a directory copied over the root last (Debian
# programs with their shared libraries, see devfuzz-test.sh).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out=$1 job=$2
shift 2
busybox=$(command -v busybox || echo /bin/busybox)
[ -x "$busybox" ] || die "busybox not found (apt-get install busybox-static)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,etc,proc,sys,dev,tmp,root,mmscope/bin}
chmod 0755 "$root"
chmod 1777 "$root/tmp"
cp "$busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
install -m 0755 "$MMSCOPE_TOP/scripts/guest/init" "$root/init"
install -m 0755 "$MMSCOPE_TOP/scripts/guest/run-suites.sh" "$root/mmscope/run-suites.sh"
for f in kunit.sh kunit-ktap.awk kmemleak.sh; do
	install -m 0755 "$MMSCOPE_TOP/scripts/guest/$f" "$root/mmscope/$f"
done
install -m 0644 "$job" "$root/mmscope/job"
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"

for m in mmscope mmscope_kunit; do
	[ -f "$MMSCOPE_TOP/$m.ko" ] && cp "$MMSCOPE_TOP/$m.ko" "$root/mmscope/"
done
# Modules of the booted kernel's own that the guest loads (brd.ko), kept
# by provisioning next to the image; a debug kernel has them built in.
kmods=${KIMAGE:+$(dirname "$KIMAGE")/modules}
if [ -n "$kmods" ] && [ -d "$kmods" ]; then
	mkdir -p "$root/mmscope/kmod"
	cp "$kmods"/*.ko "$root/mmscope/kmod/"
fi
for d in tests bench tools; do
	if [ -d "$MMSCOPE_BUILD/user/$d" ]; then
		cp -r "$MMSCOPE_BUILD/user/$d" "$root/mmscope/$d"
	fi
done
# Suite parameters travel with the suites.
for p in "$MMSCOPE_TOP"/user/tests/*.params; do
	[ -e "$p" ] && mkdir -p "$root/mmscope/tests" && cp "$p" "$root/mmscope/tests/"
done
for f in "$@"; do
	cp "$f" "$root/mmscope/bin/"
done

if [ -n "${MMSCOPE_INITRAMFS_OVERLAY:-}" ]; then
	cp -a "$MMSCOPE_INITRAMFS_OVERLAY/." "$root/"
fi

(cd "$root" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$out.tmp"
mv "$out.tmp" "$out"
