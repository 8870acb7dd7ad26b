#!/bin/sh
# out_mounts.sh EVIDCHECK FIXTURES DBTOOL SOURCE_DIR WORK - see
# CMakeLists.txt. The report folder on a full file system and on a
# read-only one, made in a user and mount namespace of our own (unshare
# -rm; root is not stopped by chmod). Exit 77 (skipped) where unshare or
# the mounts are not permitted.
#  - full before the batch: said before any claim is scanned;
#  - full in the middle: the batch stops (exit 2) naming the file and
#    "No space left on device"; every scan saved has its report and page
#    whole in the folder, no temporary file is left, the store is intact;
#    with space again the rerun completes, each claim recorded once, the
#    reports those of a run that never failed;
#  - read-only: batch --out and scan --out say "Read-only file system".
set -eu
ev=$1 fx=$2 dbtool=$3 src=$4 work=$5

fail() {
	echo "out_mounts: $*" >&2
	exit 1
}
skip() {
	echo "out_mounts: skipped: $*"
	exit 77
}

if [ "${OUT_MOUNTS_INSIDE:-}" != 1 ]; then
	rm -rf "$work"
	mkdir -p "$work"
	unshare -rm true 2>/dev/null ||
		skip "unshare -rm (a user and mount namespace) is not permitted"
	OUT_MOUNTS_INSIDE=1 exec unshare -rm sh "$0" "$@"
fi

. "$src/tests/faults/norm.sh"
db=$work/store.db
intact() {
	"$dbtool" check "$db" >"$work/check" ||
		fail "$1: store not intact: $(cat "$work/check")"
}
scans() { "$ev" history "$1" --db "$db" --format json | grep -c '"scan_id"' || true; }
# expect_fail WHAT STATUS REASON PATH: as out_unwritable.sh's.
expect_fail() {
	cat "$work/log" >&2
	[ "$2" -eq 2 ] || fail "$1: exit $2, not 2"
	grep -q "$4" "$work/log" || fail "$1: the message does not name $4"
	grep -q "$3" "$work/log" || fail "$1: the message does not say '$3'"
	echo "out_mounts: $1: exit 2, said"
}

mkdir -p "$work/root" "$work/mnt" "$work/ro/out"
for c in dir_15_3_complete dir_16_complete dir_9_complete; do
	"$fx" claim "$src/tests/e2e/$c/recipe.ini" "$work/root/$c" >/dev/null
done
find "$work/root" -exec touch -d 2025-01-01 {} +
ids="GXFWQ-2026-000219 GXFWQ-2026-000221 GXFWQ-2026-000209"
mount -t tmpfs -o size=4k tmpfs "$work/mnt" 2>/dev/null ||
	skip "mounting a tmpfs is not permitted"

# The reports of a run that never failed.
"$ev" batch "$work/root" --db "$work/ref.db" --out "$work/ref" -j 1 \
	2>"$work/log" || fail "reference: $(cat "$work/log")"

# 1. Full before the batch: nothing scanned.
dd if=/dev/zero of="$work/mnt/fill" bs=4096 2>/dev/null || true
rc=0
"$ev" batch "$work/root" --db "$db" --out "$work/mnt/out" -j 1 \
	2>"$work/log" || rc=$?
expect_fail "batch into a full folder" $rc "No space left on device" \
	"$work/mnt/out"
for id in $ids; do
	[ ! -f "$db" ] || [ "$(scans $id)" -eq 0 ] ||
		fail "a claim was scanned into a full folder"
done
umount "$work/mnt"

# 2. Full in the middle: 64 KB hold one claim's report and page (about
# 20 and 16 KB), not two.
mount -t tmpfs -o size=64k tmpfs "$work/mnt"
out=$work/mnt/out
rc=0
"$ev" batch "$work/root" --db "$db" --out "$out" -j 1 2>"$work/log" || rc=$?
expect_fail "batch filling its folder" $rc "No space left on device" "$out/"
grep -q 'stopped at claim 2 of 3' "$work/log" ||
	fail "the batch did not say where it stopped"
intact "full in the middle"
saved=0
for id in $ids; do
	n=$(scans $id)
	[ "$n" -le 1 ] || fail "$id recorded $n times"
	[ "$n" -eq 1 ] || continue
	saved=$((saved + 1))
	cmp -s "$work/ref/$id.json" "$out/$id.json" ||
		fail "$id saved, its report not whole in the folder"
	cmp -s "$work/ref/$id.html" "$out/$id.html" ||
		fail "$id saved, its page not whole in the folder"
done
[ $saved -eq 1 ] || fail "$saved claims saved before the disk was full, not 1"
ls -A "$out" | grep -q 'tmp' && fail "temporary files left: $(ls -A "$out")"
# Space again: the rerun goes on and completes.
mount -o remount,size=4m "$work/mnt"
rc=0
"$ev" batch "$work/root" --db "$db" --out "$out" -j 1 2>"$work/log" || rc=$?
[ $rc -eq 0 ] || fail "the rerun with space: exit $rc: $(cat "$work/log")"
grep -q '1 skipped as unchanged' "$work/log" ||
	fail "the rerun did not skip the claim saved before"
for id in $ids; do
	[ "$(scans $id)" -eq 1 ] || fail "$id not recorded once after the rerun"
	# Read again from the OCR cache: the same report but for its counts.
	same_report "$work/ref/$id.json" "$out/$id.json" ||
		fail "$id's report differs"
	same_report "$work/ref/$id.html" "$out/$id.html" ||
		fail "$id's page differs"
done
intact "the rerun"
echo "out_mounts: full in the middle: exit 2, 1 claim saved whole; the" \
	"rerun with space completed"

# 3. Read-only.
mount --bind "$work/ro" "$work/ro" &&
	mount -o remount,ro,bind "$work/ro" 2>/dev/null ||
	skip "a read-only bind mount is not permitted (the rest passed)"
rc=0
"$ev" batch "$work/root" --db "$db" --out "$work/ro/out" -j 1 \
	2>"$work/log" || rc=$?
expect_fail "batch into a read-only folder" $rc "Read-only file system" \
	"$work/ro/out"
rc=0
"$ev" scan "$work/root/dir_9_complete" --db "$db" --out "$work/ro/r.json" \
	>/dev/null 2>"$work/log" || rc=$?
expect_fail "scan --out into a read-only folder" $rc \
	"Read-only file system" "$work/ro/r.json"
intact "read-only"
echo "out_mounts: ok"
