#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Make this Debian 12 machine able to build and boot mmscope's target kernel:
#  - installs the packages the build and the VM need (apt-get, as root);
#  - resolves the current Debian 6.1 ABI (linux-image-6.1.0-N-amd64, N moves
#    with security updates) from apt, installs the matching headers;
#  - downloads the kernel image .deb with `apt-get download` and unpacks
#    only its vmlinuz into the cache (nothing is installed into /boot).
#
# Prints shell assignments on stdout: KVER=..., KIMAGE=..., KDIR=...
# Usage: scripts/provision.sh [--extra]   (--extra: also checkpatch/fuzz tools)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

BASE_PKGS="qemu-system-x86 busybox-static cpio gzip make gcc libc6-dev
	linux-libc-dev kmod bc flex bison libelf-dev libssl-dev dwarves
	clang libclang-rt-14-dev"
EXTRA_PKGS="sparse linux-source-6.1 perl xz-utils trinity stress-ng"

pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

apt_updated=0
apt_update_once() {
	[ "$apt_updated" = 1 ] && return 0
	msg "apt-get update"
	apt-get update -qq >>"$MMSCOPE_CACHE/apt.log" 2>&1 ||
		{ tail -n 20 "$MMSCOPE_CACHE/apt.log" >&2; die "apt-get update failed"; }
	apt_updated=1
}

install_pkgs() {
	local missing=() p
	for p in "$@"; do
		pkg_installed "$p" || missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	[ "$(id -u)" = 0 ] || die "missing packages (${missing[*]}); run as root or install them"
	apt_update_once
	msg "installing ${missing[*]} (log: $MMSCOPE_CACHE/apt.log)"
	if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >>"$MMSCOPE_CACHE/apt.log" 2>&1; then
		tail -n 40 "$MMSCOPE_CACHE/apt.log" >&2
		die "apt-get install failed"
	fi
}

# The Debian kernel ABI that linux-image-amd64 points at, e.g. 6.1.0-56-amd64.
resolve_kver() {
	local v
	v=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1)
	if [ -z "$v" ]; then
		apt_update_once
		v=$(apt-cache depends linux-image-amd64 2>/dev/null |
			sed -n 's/.*Depends: linux-image-\(6\.1\.0-[0-9]*-amd64\)$/\1/p' | head -n1)
	fi
	[ -n "$v" ] || die "cannot resolve the Debian 6.1 kernel version from apt"
	echo "$v"
}

# The image's vmlinuz and config, and brd.ko (RAM disk: the block device the
# fault suite does O_DIRECT through), packed into the guest by mkinitramfs.
fetch_image() {
	local kver=$1 dir=$MMSCOPE_CACHE/kernel/$1 tmp
	local brd=./lib/modules/$kver/kernel/drivers/block/brd.ko
	[ -s "$dir/vmlinuz" ] && [ -s "$dir/modules/brd.ko" ] && return 0
	tmp=$(mktemp -d "$MMSCOPE_CACHE/dl.XXXXXX")
	msg "downloading linux-image-$kver"
	(cd "$tmp" && apt-get download -qq -o APT::Sandbox::User=root "linux-image-$kver" >&2) ||
		{ rm -rf "$tmp"; die "apt-get download linux-image-$kver failed"; }
	dpkg-deb --fsys-tarfile "$tmp"/linux-image-"$kver"_*.deb |
		tar -x -C "$tmp" ./boot "$brd" ||
		{ rm -rf "$tmp"; die "linux-image-$kver: no vmlinuz or $brd"; }
	mkdir -p "$dir/modules"
	cp "$tmp/$brd" "$dir/modules/brd.ko"
	cp "$tmp/boot/vmlinuz-$kver" "$dir/vmlinuz.tmp"
	cp "$tmp/boot/config-$kver" "$dir/config"
	mv "$dir/vmlinuz.tmp" "$dir/vmlinuz"
	rm -rf "$tmp"
}

provision() {
	local kver
	# shellcheck disable=SC2086
	install_pkgs $BASE_PKGS
	[ "${1:-}" = --extra ] && install_pkgs $EXTRA_PKGS
	kver=${MMSCOPE_KVER:-$(resolve_kver)}
	install_pkgs "linux-headers-$kver"
	fetch_image "$kver"
	echo "KVER=$kver"
	echo "KIMAGE=$MMSCOPE_CACHE/kernel/$kver/vmlinuz"
	echo "KDIR=/usr/src/linux-headers-$kver"
}

with_cache_lock provision "${1:-}"
