#!/bin/sh
# batch_test.sh EVIDCHECK FIXTURES SOURCE_DIR WORK - see CMakeLists.txt.
# Plain POSIX sh and grep, so it runs wherever ctest does.
set -eu
ev=$1 fx=$2 src=$3 work=$4
root=$work/root out=$work/out db=$work/store.db

fail() { echo "batch_test: $*" >&2; exit 1; }
# batch ARGS...: run the batch, keep its exit status in $rc.
batch() {
	rc=0
	"$ev" batch "$root" --db "$db" --out "$out" -j 2 "$@" \
		2>"$work/log" || rc=$?
	cat "$work/log" >&2
}
# count WORD: rows of summary.csv whose status is WORD.
count() { grep -c ",$1,[^,]*,[^,]*\$" "$out/summary.csv" || true; }
expect() { [ "$2" = "$3" ] || fail "$1: expected $3, got $2"; }

rm -rf "$work"
mkdir -p "$root"
for c in dir_2_complete dir_10_complete d4_missing_acceptance; do
	"$fx" claim "$src/tests/e2e/$c/recipe.ini" "$root/$c" >/dev/null
done
# A sub-folder without claim.json is a claim named by its folder; its
# only file is broken, which is a finding, not a failure.
mkdir -p "$root/loose"
printf '%%PDF-1.4 not really' >"$root/loose/broken.pdf"
# A second folder with the claim id of dir_2_complete: failed, not scanned.
mkdir -p "$root/zz_dup"
cp "$root/dir_2_complete/claim.json" "$root/zz_dup/"

# 1. Everything new.
batch
expect "exit status (flagged and failed claims)" $rc 1
expect "rows" "$(($(wc -l <"$out/summary.csv") - 1))" 5
expect "done" "$(count done)" 4
expect "failed" "$(count failed)" 1
grep -q '^GXFWQ-2026-000202,zz_dup,.*also that of folder dir_2_complete' \
	"$out/summary.csv" || fail "duplicate claim id not reported"
grep -q '^GXFWQ-2026-000202,dir_2_complete,2,pass,0,0,,' "$out/summary.csv" ||
	fail "dir_2_complete not a pass row"
grep -q '^GXFWQ-2026-000123,.*,flagged,.*MISSING_EVIDENCE' \
	"$out/summary.csv" || fail "d4_missing_acceptance not flagged"
grep -q '"UNREADABLE_FILE"' "$out/loose.json" ||
	fail "the broken file's claim has no UNREADABLE_FILE report"
for id in GXFWQ-2026-000202 GXFWQ-2026-000210 GXFWQ-2026-000123 loose; do
	[ -s "$out/$id.json" ] || fail "no report for $id"
	grep -q 'Content-Security-Policy' "$out/$id.html" ||
		fail "no HTML page for $id"
	grep -q "href=\"$id.html\"" "$out/index.html" ||
		fail "index.html does not link $id's page"
	grep -q "\"claim_id\" : \"$id\"" "$out/summary.json" ||
		fail "summary.json lacks $id"
done
grep -q '<script>' "$out/index.html" || fail "index.html cannot sort"
grep -q 'failed: zz_dup' "$work/log" || fail "no failure summary"
cp "$out/GXFWQ-2026-000123.json" "$work/first.json"

# 2. Nothing changed: every claim skipped, its report the stored one.
batch
expect "rerun exit status" $rc 1
expect "skipped" "$(count skipped)" 4
expect "done on rerun" "$(count done)" 0
cmp -s "$work/first.json" "$out/GXFWQ-2026-000123.json" ||
	fail "a skipped claim's report differs"
grep -q 'href="GXFWQ-2026-000123.html"' "$out/index.html" ||
	fail "a skipped claim's page, written by the first run, is not linked"

# 3. Rules changed (a comment): re-checked, from the OCR cache.
cp -r "$src/rules" "$work/rules"
echo "# a reviewer's note" >>"$work/rules/2026/checks.ini"
batch --rules "$work/rules"
expect "re-checked" "$(grep -c ',done,rules changed,' "$out/summary.csv")" 4
for id in GXFWQ-2026-000202 GXFWQ-2026-000210 GXFWQ-2026-000123 loose; do
	grep -q '"pages_ocr" : 0' "$out/$id.json" || fail "$id OCR'd again"
done
batch --rules "$work/rules"
expect "skipped under the new rules" "$(count skipped)" 4

# 4. One file changed: only its claim is scanned again.
printf 'x' >>"$root/loose/broken.pdf"
batch --rules "$work/rules"
expect "changed claim" "$(grep -c '^loose,loose,.*,done,broken.pdf changed' \
	"$out/summary.csv")" 1
expect "others skipped" "$(count skipped)" 3

# 5. --since: claims with no file modified after it are left out.
find "$root/dir_2_complete" "$root/zz_dup" -exec touch -d 2020-01-01 {} +
batch --rules "$work/rules" --since 2024-01-01
expect "rows since 2024" "$(($(wc -l <"$out/summary.csv") - 1))" 3
grep -q '2 claims have no file modified since' "$work/log" ||
	fail "--since did not say what it left out"

# 6. Across claims: two claims sharing one invoice number. The first is
# scanned before the second exists in the store, so it is re-checked
# after the pass, and both are flagged.
root=$work/dup db=$work/dup.db out=$work/dup-out
mkdir -p "$root"
"$fx" claim "$src/tests/e2e/dup_invoice/before.ini" "$root/a" >/dev/null
"$fx" claim "$src/tests/e2e/dup_invoice/recipe.ini" "$root/b" >/dev/null
# Written before the scans' second, as claims are, so claim.json (the
# same second counts as changed) does not defeat the skip on the rerun.
find "$root" -exec touch -d 2025-01-01 {} +
batch
expect "duplicate exit status" $rc 1
for id in GXFWQ-2026-000045 GXFWQ-2026-000046; do
	grep -q '"DUPLICATE_EVIDENCE"' "$out/$id.json" ||
		fail "$id's report has no DUPLICATE_EVIDENCE"
	grep -q "^$id,.*,flagged,.*DUPLICATE_EVIDENCE" "$out/summary.csv" ||
		fail "$id not flagged DUPLICATE_EVIDENCE in summary.csv"
done
grep -q '^GXFWQ-2026-000045,a,.*,done,rechecked: GXFWQ-2026-000046 scanned' \
	"$out/summary.csv" || fail "the first claim was not re-checked"
grep -q '1 rechecked' "$work/log" || fail "the summary does not count it"
# Nothing changed: both skipped, both still flagged, neither re-checked.
batch
expect "duplicate rerun skipped" "$(count skipped)" 2
for id in GXFWQ-2026-000045 GXFWQ-2026-000046; do
	grep -q "^$id,.*,flagged,.*DUPLICATE_EVIDENCE" "$out/summary.csv" ||
		fail "$id not flagged on the rerun"
done

# 7. Across runs: the first claim alone, then the second in another
# batch; the next run over the first does not skip it.
db=$work/dup2.db
mv "$root/b" "$work/dup-b"
batch
expect "first claim alone" "$(grep -c ',done,new,' "$out/summary.csv")" 1
root=$work/dup-b-root
mkdir -p "$root" && mv "$work/dup-b" "$root/b"
batch
grep -q '^GXFWQ-2026-000046,.*,flagged,.*DUPLICATE_EVIDENCE' \
	"$out/summary.csv" || fail "the second claim is not flagged"
root=$work/dup
batch
grep -q '^GXFWQ-2026-000045,a,.*,flagged,.*DUPLICATE_EVIDENCE.*,done,rechecked: GXFWQ-2026-000046' \
	"$out/summary.csv" || fail "the next run skipped the first claim"
batch
expect "caught up" "$(count skipped)" 1
# 8. Killed mid-run: the rerun scans only what was not saved, and no
# claim is recorded twice.
root=$work/root db=$work/kill.db out=$work/kill-out
rm -rf "$root/zz_dup"
"$ev" batch "$root" --db "$db" --out "$out" -j 1 2>"$work/log" &
pid=$!
i=0
while [ ! -s "$out/GXFWQ-2026-000123.json" ] &&
	[ ! -s "$out/GXFWQ-2026-000202.json" ] &&
	[ ! -s "$out/GXFWQ-2026-000210.json" ] && [ $i -lt 600 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
batch
expect "rows after the kill" "$(($(wc -l <"$out/summary.csv") - 1))" 4
expect "nothing failed after the kill" "$(count failed)" 0
for id in GXFWQ-2026-000202 GXFWQ-2026-000210 GXFWQ-2026-000123 loose; do
	n=$("$ev" history "$id" --db "$db" --format json | grep -c '"scan_id"')
	expect "scans of $id after a kill and a rerun" "$n" 1
done
echo "batch_test: ok"
