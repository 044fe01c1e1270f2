#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict over mmscope's kernel sources, taken from Debian's
# linux-source-6.1 (the same version as the target kernel).
# Usage: scripts/checkpatch.sh [FILE...]   (default: module/ and include/uapi/)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cp_dir=$MMSCOPE_CACHE/checkpatch
fetch() {
	local tarball
	[ -x "$cp_dir/scripts/checkpatch.pl" ] && return 0
	tarball=$(ls /usr/src/linux-source-6.1.tar.* | head -n1)
	mkdir -p "$cp_dir.tmp"
	tar -xf "$tarball" -C "$cp_dir.tmp" --strip-components=1 \
		--wildcards '*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
		'*/scripts/const_structs.checkpatch'
	rm -rf "$cp_dir"
	mv "$cp_dir.tmp" "$cp_dir"
}
# provision.sh takes the cache lock itself: call it outside ours.
[ -x "$cp_dir/scripts/checkpatch.pl" ] ||
	"$MMSCOPE_TOP/scripts/provision.sh" --extra >/dev/null
with_cache_lock fetch

cd "$MMSCOPE_TOP"
if [ $# -eq 0 ]; then
	set -- $(ls module/*.[ch] include/uapi/*.h module/tests/*.[ch] 2>/dev/null | grep -v '^module/compat.h$')
	compat=module/compat.h
fi
run() {
	"$cp_dir/scripts/checkpatch.pl" --strict --no-tree --quiet --show-types \
		--ignore FILE_PATH_CHANGES,SPDX_LICENSE_TAG "$@"
}
rc=0
run -f "$@" || rc=1
# compat.h is the one place that tests kernel versions, by design.
if [ -n "${compat:-}" ]; then
	run --ignore LINUX_VERSION_CODE,CONSTANT_COMPARISON -f "$compat" || rc=1
fi
exit $rc
