#!/bin/sh
# store_locked.sh EVIDCHECK FIXTURES DBTOOL SOURCE_DIR WORK - see
# CMakeLists.txt. Another process holds the store's write lock (dbtool
# lock: BEGIN EXCLUSIVE, as a second evidcheck saving or a reviewer's
# sqlite3 shell inside a transaction would) while evidcheck scan --db and
# batch --db run:
#  - released within STORE_BUSY_TIMEOUT_MS (10 s): evidcheck says it is
#    waiting, then succeeds, and the scan is recorded;
#  - held longer: scan still prints its report and exits by its verdict,
#    warning that the scan was not recorded because the store is locked
#    by another process; batch stops with exit 2 naming the store;
#  - a batch whose claims are all unchanged only reads: it does not wait;
#  - after each, integrity_check is ok, and a rerun once the lock is gone
#    records what was not.
set -eu
ev=$1 fx=$2 dbtool=$3 src=$4 work=$5
db=$work/store.db

fail() {
	echo "store_locked: $*" >&2
	exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }
scans() { "$ev" history "$1" --db "$db" --format json | grep -c '"scan_id"' || true; }

# hold SECONDS: the lock taken (dbtool waits for the store's own writers);
# $locker is its pid.
hold() {
	rm -f "$work/ready"
	"$dbtool" lock "$db" "$1" "$work/ready" &
	locker=$!
	n=0
	while [ ! -f "$work/ready" ] && [ $n -lt 500 ]; do
		sleep 0.02
		n=$((n + 1))
	done
	[ -f "$work/ready" ] || fail "the lock was not taken"
}
release() {
	kill $locker 2>/dev/null || true
	wait $locker 2>/dev/null || true
}
intact() {
	"$dbtool" check "$db" >"$work/check" ||
		fail "$1: store not intact: $(cat "$work/check")"
}

rm -rf "$work"
mkdir -p "$work/root"
"$fx" claim "$src/tests/e2e/dir_15_3_complete/recipe.ini" \
	"$work/root/a" >/dev/null
"$fx" claim "$src/tests/e2e/dir_16_complete/recipe.ini" \
	"$work/root2/b" >/dev/null
# Older than any scan, so an unchanged claim is skipped (cmd_batch.c).
find "$work/root" "$work/root2" -exec touch -d 2025-01-01 {} +
a=GXFWQ-2026-000219 b=GXFWQ-2026-000221

# The store exists, with one scan of claim a.
"$ev" scan "$work/root/a" --db "$db" >/dev/null
expect_a=1

# 1. scan, the lock released after 5 s (long enough to outlast a slow
# start under the sanitizers): a wait, said, then recorded.
hold 5
t0=$(now_ms)
rc=0
"$ev" scan "$work/root/a" --db "$db" >/dev/null 2>"$work/log" || rc=$?
waited=$(($(now_ms) - t0))
release
cat "$work/log" >&2
[ $rc -eq 0 ] || fail "scan under a lock released in time: exit $rc"
grep -q "store $db is locked by another process: waiting up to 10 s" \
	"$work/log" || fail "scan did not say it waits for the lock"
expect_a=$((expect_a + 1))
[ "$(scans $a)" -eq $expect_a ] || fail "the scan after the wait not recorded"
intact "scan, lock released"
echo "store_locked: scan waited $waited ms for a lock held 5 s, then recorded"

# 2. scan, the lock held past the timeout: report, warning, no record.
hold 60
t0=$(now_ms)
rc=0
"$ev" scan "$work/root/a" --db "$db" --format json >"$work/report.json" \
	2>"$work/log" || rc=$?
waited=$(($(now_ms) - t0))
cat "$work/log" >&2
[ $rc -eq 0 ] || fail "scan under a held lock: exit $rc, not its verdict's 0"
grep -q '"verdict" : "pass"' "$work/report.json" ||
	fail "scan under a held lock printed no report"
grep -q "warning: scan not recorded: store $db is locked by another process (waited 10 s for it)" \
	"$work/log" || fail "scan did not say the store is locked"
[ "$(grep -c 'is locked by another process (waited' "$work/log")" -le 2 ] ||
	fail "the lock was reported once per page"
intact "scan, lock held (while held)"
release
[ "$(scans $a)" -eq $expect_a ] || fail "a scan recorded under a held lock"
intact "scan, lock held"
echo "store_locked: scan under a held lock: exit 0 (its verdict) after" \
	"$waited ms, not recorded, said"

# 3. batch, the lock released after 5 s: waits, then saves.
hold 5
rc=0
"$ev" batch "$work/root2" --db "$db" --out "$work/out2" -j 1 \
	2>"$work/log" || rc=$?
release
cat "$work/log" >&2
[ $rc -eq 0 ] || fail "batch under a lock released in time: exit $rc"
grep -q "store $db is locked by another process: waiting up to 10 s" \
	"$work/log" || fail "batch did not say it waits for the lock"
[ "$(scans $b)" -eq 1 ] || fail "the batch's claim not recorded after the wait"
intact "batch, lock released"

# 4. batch, nothing changed, the lock held: only reads, no wait.
hold 60
t0=$(now_ms)
rc=0
"$ev" batch "$work/root2" --db "$db" --out "$work/out2" -j 1 \
	2>"$work/log" || rc=$?
took=$(($(now_ms) - t0))
release
cat "$work/log" >&2
[ $rc -eq 0 ] || fail "an unchanged batch under a lock: exit $rc"
grep -q '1 skipped as unchanged' "$work/log" || fail "the claim was not skipped"
grep -q 'is locked by another' "$work/log" &&
	fail "an unchanged batch waited for the lock"
echo "store_locked: an unchanged batch under a held lock: exit 0 in $took ms"

# 5. batch, a new claim, the lock held past the timeout: exit 2, named.
rm -rf "$work/root2/b" "$work/out2"
"$fx" claim "$src/tests/e2e/dir_9_complete/recipe.ini" \
	"$work/root2/c" >/dev/null
find "$work/root2" -exec touch -d 2025-01-01 {} +
c=GXFWQ-2026-000209
hold 60
t0=$(now_ms)
rc=0
"$ev" batch "$work/root2" --db "$db" --out "$work/out2" -j 1 \
	2>"$work/log" || rc=$?
waited=$(($(now_ms) - t0))
cat "$work/log" >&2
[ $rc -eq 2 ] || fail "batch under a held lock: exit $rc, not 2"
grep -q "store $db is locked by another process (waited 10 s for it): saving a scan failed" \
	"$work/log" || fail "batch did not name the locked store"
grep -q 'stopped at claim 1 of 1' "$work/log" || fail "batch did not say it stopped"
intact "batch, lock held (while held)"
release
[ "$(scans $c)" -eq 0 ] || fail "a scan recorded under a held lock"
intact "batch, lock held"
echo "store_locked: batch under a held lock: exit 2 after $waited ms, said"
# The lock gone, the rerun records it.
"$ev" batch "$work/root2" --db "$db" --out "$work/out2" -j 1 2>"$work/log" ||
	fail "the rerun failed: $(cat "$work/log")"
[ "$(scans $c)" -eq 1 ] || fail "the rerun did not record the claim"
intact "rerun"
echo "store_locked: ok"
