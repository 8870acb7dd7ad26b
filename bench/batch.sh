#!/bin/sh
# Time `evidcheck batch` over N generated claims (default 200): twice on
# one store, the second time with nothing changed (every claim skipped).
# Claims are a few e2e recipes with their claim ids varied (which also
# varies every document's seed, so no two claims share a file and the OCR
# cache helps only within a claim): text-layer PDFs mostly, a photo in
# three claims of ten. Prints claims/min, pages/s, peak memory and the
# rerun's time. Usage: bench/batch.sh [N] [-j J]
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
[ $# -gt 0 ] && shift
bin=${EVIDCHECK:-build/cli/evidcheck}
fx=${EVIDCHECK_FIXTURES:-build/tests/fixtures/evidcheck-fixtures}
[ -x "$bin" ] && [ -x "$fx" ] || scripts/build.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export OMP_THREAD_LIMIT=1

# One in ten: 4 dir_10 and 3 dir_12 (text-layer PDFs only), 2 dir_2 and 1
# dir_19 (a photo each).
recipe() {
	case $(($1 % 10)) in
	0 | 1 | 2 | 3) echo dir_10_complete ;;
	4 | 5 | 6) echo dir_12_complete ;;
	7 | 8) echo dir_2_complete ;;
	*) echo dir_19_complete ;;
	esac
}
i=0
while [ $i -lt "$n" ]; do
	id=$(printf 'GXFWQ-2026-B%05d' $i)
	# Explicit seeds would make claims share files: dropped.
	sed -e "s/^claim_id *=.*/claim_id = $id/" -e '/^seed *=/d' \
		"tests/e2e/$(recipe $i)/recipe.ini" >"$work/r.ini"
	"$fx" claim "$work/r.ini" "$work/root/$id" >/dev/null
	i=$((i + 1))
done

# run LABEL: one batch; wall seconds into $secs, and into $rss the peak
# of evidcheck's resident memory and its reading processes' together
# (KiB), sampled every 0.2 s: each process's own peak would miss that
# they all hold memory at once.
run() {
	start=$(date +%s%N)
	"$bin" batch "$work/root" --db "$work/db" --out "$work/out" "$@" \
		2>"$work/log" >/dev/null &
	pid=$!
	rss=0
	while kill -0 "$pid" 2>/dev/null; do
		now=0
		for p in $pid $(pgrep -P "$pid" || true); do
			kb=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" \
				2>/dev/null || true)
			now=$((now + ${kb:-0}))
		done
		[ "$now" -gt "$rss" ] && rss=$now
		sleep 0.2
	done
	wait "$pid" || true
	secs=$(echo "$start $(date +%s%N)" |
		awk '{printf "%.1f", ($2 - $1) / 1e9}')
}
run "$@"
pages=$(awk -F, 'NR > 1 {p += $8} END {print p + 0}' "$work/out/summary.csv")
failed=$(grep -c ',failed,' "$work/out/summary.csv" || true)
echo "claims: $n  pages: $pages  failed: $failed  cores: $(nproc)"
echo "first run:  ${secs} s  $(echo "$n $pages $secs" |
	awk '{printf "%.1f claims/min  %.1f pages/s", $1 * 60 / $3, $2 / $3}')  peak RSS ${rss} KiB (with its readers)"
run "$@"
skipped=$(grep -c ',skipped,' "$work/out/summary.csv" || true)
echo "rerun (nothing changed): ${secs} s  $skipped skipped  peak RSS ${rss} KiB"
