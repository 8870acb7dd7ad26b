#!/bin/sh
# out_unwritable.sh EVIDCHECK FIXTURES DBTOOL SOURCE_DIR WORK - see
# CMakeLists.txt. Reports that cannot be written, by means that stop root
# too (the tests run as root, whom chmod does not stop):
#  - a path under a regular file (ENOTDIR): scan --out, scan --html,
#    batch --out;
#  - /dev/full (ENOSPC): scan --out and --html, which must write a device
#    in place (never rename over it) and say the disk is full, and scan's
#    standard output;
#  - ulimit -f (EFBIG, and SIGXFSZ, which evidcheck ignores so that it
#    says which file rather than dying of the signal): scan --out over an
#    older report, which stays whole, and a batch (whose store it stops);
# each with exit 2 and a message naming the path and the system's reason,
# the store intact, and a rerun into a usable folder completing the work.
# A full file system and a read-only one are out_mounts.sh.
set -eu
ev=$1 fx=$2 dbtool=$3 src=$4 work=$5
db=$work/store.db

fail() {
	echo "out_unwritable: $*" >&2
	exit 1
}
intact() {
	"$dbtool" check "$db" >"$work/check" ||
		fail "$1: store not intact: $(cat "$work/check")"
}
# expect_fail WHAT STATUS REASON PATH: the last command's exit status and
# stderr ($work/log) say what they must.
expect_fail() {
	cat "$work/log" >&2
	[ "$2" -eq 2 ] || fail "$1: exit $2, not 2"
	grep -q "$4" "$work/log" || fail "$1: the message does not name $4"
	grep -q "$3" "$work/log" || fail "$1: the message does not say '$3'"
	echo "out_unwritable: $1: exit 2, said"
}

rm -rf "$work"
mkdir -p "$work/root"
for c in dir_15_3_complete dir_16_complete; do
	"$fx" claim "$src/tests/e2e/$c/recipe.ini" "$work/root/$c" >/dev/null
done
find "$work/root" -exec touch -d 2025-01-01 {} +
claim=$work/root/dir_15_3_complete
: >"$work/file"

# 1. scan --out and --html under a regular file.
rc=0
"$ev" scan "$claim" --db "$db" --out "$work/file/r.json" >/dev/null \
	2>"$work/log" || rc=$?
expect_fail "scan --out under a file" $rc "Not a directory" "$work/file/r.json"
rc=0
"$ev" scan "$claim" --db "$db" --html "$work/file/r.html" >/dev/null \
	2>"$work/log" || rc=$?
expect_fail "scan --html under a file" $rc "Not a directory" "$work/file/r.html"
intact "scan under a file"

# 2. /dev/full: the disk is full, and the device is still a device.
if [ -c /dev/full ]; then
	rc=0
	"$ev" scan "$claim" --db "$db" --out /dev/full >/dev/null \
		2>"$work/log" || rc=$?
	expect_fail "scan --out /dev/full" $rc "No space left on device" /dev/full
	rc=0
	"$ev" scan "$claim" --db "$db" --html /dev/full >/dev/null \
		2>"$work/log" || rc=$?
	expect_fail "scan --html /dev/full" $rc "No space left on device" /dev/full
	rc=0
	"$ev" scan "$claim" --db "$db" --format json >/dev/full \
		2>"$work/log" || rc=$?
	expect_fail "scan --format json >/dev/full" $rc \
		"No space left on device" stdout
	[ -c /dev/full ] || fail "/dev/full was replaced"
	intact "scan to /dev/full"
else
	echo "out_unwritable: no /dev/full here: its cases skipped"
fi

# 3. ulimit -f: an older report stays whole; the signal does not kill.
echo '{"an": "older report"}' >"$work/r.json"
rc=0
(
	ulimit -f 16
	exec "$ev" scan "$claim" --no-store --out "$work/r.json" >/dev/null
) 2>"$work/log" || rc=$?
[ $rc -ne 153 ] || fail "scan died of SIGXFSZ"
expect_fail "scan --out over ulimit -f" $rc "File too large" "$work/r.json"
[ "$(cat "$work/r.json")" = '{"an": "older report"}' ] ||
	fail "the older report was not left whole"
[ ! -e "$work/.r.json.tmp" ] || fail "a half report was left beside it"
"$ev" scan "$claim" --no-store --out "$work/r.json" >/dev/null
grep -q '"verdict" : "pass"' "$work/r.json" || fail "the rerun wrote no report"

# 4. batch --out under a regular file: said before anything is scanned.
# A store of its own, where the claims are new (a claim scan recorded
# would be skipped, its HTML page not written into a new folder).
db=$work/batch.db
rc=0
"$ev" batch "$work/root" --db "$db" --out "$work/file/out" -j 1 \
	2>"$work/log" || rc=$?
expect_fail "batch --out under a file" $rc "Not a directory" "$work/file/out"
[ ! -e "$db" ] || fail "batch opened the store before the folder failed"

# 5. batch over ulimit -f: the store's shared-memory file alone is 32 KB,
# so the limit stops the store first (reports are 15-25 KB): said with
# the system's reason, exit 2, the store intact; without the limit the
# rerun does the work.
rc=0
(
	ulimit -f 16
	exec "$ev" batch "$work/root" --db "$db" --out "$work/out" -j 1
) 2>"$work/log" || rc=$?
[ $rc -ne 153 ] || fail "batch died of SIGXFSZ"
expect_fail "batch over ulimit -f" $rc "File too large" "store $db"
intact "batch over ulimit -f"
"$ev" batch "$work/root" --db "$db" --out "$work/out" -j 1 2>"$work/log" ||
	fail "the rerun: $(cat "$work/log")"
for f in GXFWQ-2026-000219 GXFWQ-2026-000221; do
	[ -s "$work/out/$f.json" ] && [ -s "$work/out/$f.html" ] ||
		fail "the rerun did not write $f's report and page"
done
ls -A "$work/out" | grep -q 'tmp' && fail "temporary files left: $(ls -A "$work/out")"
intact "rerun"
echo "out_unwritable: ok"
