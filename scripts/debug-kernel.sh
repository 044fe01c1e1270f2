#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Build (or find in the cache) the mmscope debug kernel: Debian's 6.1 source
# (package linux-source-6.1, the same version as the image's kernel) with the
# small QEMU config plus KASAN/KFENCE/lockdep/kmemleak/KUnit from
# scripts/debug-kernel.config.
#
# Usage: scripts/debug-kernel.sh [--print-key]
#
# On success stdout carries only machine-readable lines, for the harness:
#   KIMAGE=<cache>/<key>/bzImage     the kernel for qemu -kernel
#   KDIR=<cache>/<key>/linux         tree for `make -C $KDIR M=<dir> modules`
#   KRELEASE=<uname -r of that kernel>
#   KEY=<key>
# Progress goes to stderr; the full build log to <cache>/<key>/build.log.
#
# Cache: $MMSCOPE_CACHE/debug-kernel/<key>/ (MMSCOPE_CACHE defaults to
# ${XDG_CACHE_HOME:-$HOME/.cache}/mmscope, see lib.sh), where key
# = source package version + hash of (config fragment, compiler, recipe). A key
# directory exists only when complete: the build runs in a temporary directory
# beside it and is renamed into place; flock serialises concurrent runs.
# Missing packages are installed by scripts/provision.sh --extra.
#
# Environment: MMSCOPE_JOBS (default 2), MMSCOPE_NICE (default 10).

set -euo pipefail
. "$(dirname "$0")/lib.sh"

FRAG=$MMSCOPE_TOP/scripts/debug-kernel.config
SRCPKG=linux-source-6.1
TARBALL=/usr/src/$SRCPKG.tar.xz
CACHE=$MMSCOPE_CACHE/debug-kernel
JOBS=${MMSCOPE_JOBS:-2}
NICE=${MMSCOPE_NICE:-10}
# Bump when the build steps below change in a way that alters the result.
RECIPE=1

log() { msg "debug-kernel: $*"; }

# provision.sh --extra installs all of these (and more) when one is missing.
ensure_packages() {
	local p
	for p in "$SRCPKG" bc flex bison libelf-dev libssl-dev dwarves gcc make \
		 libc6-dev xz-utils; do
		if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
		     grep -q 'install ok installed'; then
			log "$p is missing: running provision.sh --extra"
			"$MMSCOPE_TOP/scripts/provision.sh" --extra >/dev/null ||
				die "provisioning failed"
			return 0
		fi
	done
}

cache_key() {
	local ver cc
	ver=$(dpkg-query -W -f='${Version}' "$SRCPKG")
	cc=$(gcc --version | head -n1)
	printf '%s-%s\n' "$ver" "$( { cat "$FRAG"; echo "$cc"; echo "recipe=$RECIPE"; } |
		sha256sum | cut -c1-12)"
}

emit() {
	local dir=$1
	echo "KIMAGE=$dir/bzImage"
	echo "KDIR=$dir/linux"
	echo "KRELEASE=$(cat "$dir/linux/include/config/kernel.release")"
	echo "KEY=$(basename "$dir")"
}

# Every CONFIG_X=y / =n / =value the fragment asks for must survive Kconfig.
verify_config() {
	local config=$1 bad=0 line sym want got

	while IFS= read -r line; do
		case $line in
		CONFIG_*=*)
			sym=${line%%=*}
			want=$line ;;
		"# CONFIG_"*" is not set")
			sym=${line#\# }
			sym=${sym%% *}
			want="# $sym is not set" ;;
		*) continue ;;
		esac
		got=$(grep -E "^(# )?${sym}[= ]" "$config" || true)
		# An unset bool that Kconfig hides entirely is as good as "not set".
		if [ "$got" != "$want" ] &&
		   ! { [ -z "$got" ] && [ "${want#\# }" != "$want" ]; }; then
			log "config: want '$want', got '${got:-<absent>}'"
			bad=1
		fi
	done < "$FRAG"
	return $bad
}

build() {
	local key=$1 tmp=$2 tree start end

	log "extracting $TARBALL"
	tar -xf "$TARBALL" -C "$tmp"
	mv "$tmp/$SRCPKG" "$tmp/linux"
	tree=$tmp/linux

	# allnoconfig + fragment: like tinyconfig, minus its SLOB and XZ choices.
	log "configuring (allnoconfig + $(basename "$FRAG"))"
	make -C "$tree" -s ARCH=x86_64 KCONFIG_ALLCONFIG="$FRAG" allnoconfig \
		>>"$tmp/build.log" 2>&1 || die "configuration failed, see $tmp/build.log"
	verify_config "$tree/.config" ||
		die "config fragment not honoured (unmet dependencies?)"

	log "building with nice -n $NICE make -j$JOBS (log: $tmp/build.log)"
	start=$(date +%s)
	# `all` = bzImage + modules: modpost writes Module.symvers, which out-of-tree
	# builds need to resolve the kernel's exported symbols.
	KBUILD_BUILD_USER=mmscope KBUILD_BUILD_HOST=mmscope \
		nice -n "$NICE" make -C "$tree" ARCH=x86_64 -j"$JOBS" all \
		>>"$tmp/build.log" 2>&1 || {
			tail -n 30 "$tmp/build.log" >&2
			die "kernel build failed, see $tmp/build.log"
		}
	end=$(date +%s)
	[ -s "$tree/Module.symvers" ] || die "no Module.symvers after build"
	cp "$tree/arch/x86/boot/bzImage" "$tmp/bzImage"
	cp "$tree/.config" "$tmp/config"
	echo $((end - start)) > "$tmp/build-seconds"
	log "built in $((end - start)) s"
}

main() {
	local key dir tmp

	[ -r "$FRAG" ] || die "missing $FRAG"
	ensure_packages
	[ -r "$TARBALL" ] || die "missing $TARBALL (package $SRCPKG)"
	key=$(cache_key)
	if [ "${1:-}" = --print-key ]; then
		echo "KEY=$key"
		return 0
	fi
	dir=$CACHE/$key

	if [ ! -d "$dir" ]; then
		mkdir -p "$CACHE"
		exec 9>"$CACHE/.lock"
		flock -n 9 || { log "waiting for another build"; flock 9; }
		if [ ! -d "$dir" ]; then
			# Holding the lock, nobody else is building: leftovers are
			# from an interrupted run.
			rm -rf "$CACHE"/.tmp-*
			tmp=$(mktemp -d "$CACHE/.tmp-$key.XXXXXX")
			trap 'rm -rf "$tmp"' EXIT
			build "$key" "$tmp"
			chmod 0755 "$tmp"
			mv -T "$tmp" "$dir"
			trap - EXIT
		fi
		exec 9>&-
	fi
	log "debug kernel $key ($(cat "$dir/build-seconds") s to build)"
	emit "$dir"
}

main "$@"
