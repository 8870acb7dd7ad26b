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
	grep -q "href=\"$id.json\"" "$out/index.html" ||
		fail "index.html does not link $id"
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
echo "batch_test: ok"
