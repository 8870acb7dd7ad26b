#!/bin/sh
# The reading benchmark (issue 4), in one run on a generated corpus:
#   1. text-layer pages per second, end to end;
#   2. seconds per scanned page, evidcheck against the tesseract command
#      (same image, same languages, OMP_THREAD_LIMIT=1), and the ratio;
#   3. the speed-up from 1 to N workers on a claim of scanned pages;
#   4. the re-scan time of an unchanged claim (store cache);
#   5. OCRmyPDF (-j N -l chi_sim+eng) on the same scanned PDFs, which is what
#      a user would otherwise run (installed here if missing: bench only).
# Usage: bench/ocr.sh [-j N]      (N defaults to the number of cores)
set -eu
cd "$(dirname "$0")/.."
N=$(nproc)
[ "${1:-}" = "-j" ] && N=$2
bin=${EVIDCHECK:-build/cli/evidcheck}
corpus=${CORPUS:-build/bench-corpus}
[ -x "$bin" ] || scripts/build.sh
[ -d "$corpus" ] || bench/corpus/make.sh "$corpus"
cores=$(nproc)
# After nproc: GNU nproc reports OMP_THREAD_LIMIT when it is set.
export OMP_THREAD_LIMIT=1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }
# Wall milliseconds of a command; its output is discarded.
wall() {
	t0=$(now)
	"$@" >"$work/out" 2>"$work/err" || true
	echo $((($(now) - t0) / 1000000))
}
# Best of three, as the machine is shared.
best3() {
	a=$(wall "$@"); b=$(wall "$@"); c=$(wall "$@")
	printf '%s\n%s\n%s\n' "$a" "$b" "$c" | sort -n | head -1
}
summary() { grep -m1 "\"$1\" : [0-9]" "$work/out" | tr -dc '0-9'; }
ratio() { echo "$1 $2" | awk '{ printf "%.2f", $1 / $2 }'; }

echo "cores: $cores, workers: $N, corpus: $corpus"

ms=$(best3 "$bin" scan "$corpus/text200" --no-store --format json -j "$N")
pages=$(summary pages_pdf_text)
echo "text layer: $pages pages in $ms ms = $(ratio "$((pages * 1000))" "$ms") pages/s"

cert="$corpus/cert.jpg"
mkdir -p "$work/single"
cp "$cert" "$work/single/"
ev=$(best3 "$bin" scan "$work/single" --no-store --format json -j 1)
te=$(best3 tesseract "$cert" - -l chi_sim+eng)
echo "one scanned page: evidcheck $ev ms, tesseract $te ms, ratio $(ratio "$ev" "$te")"

one=$(best3 "$bin" scan "$corpus/scan12" --no-store --format json -j 1)
scanned=$(summary pages_ocr)
many=$(best3 "$bin" scan "$corpus/scan12" --no-store --format json -j "$N")
echo "scanned claim: $scanned pages, -j 1 $one ms, -j $N $many ms," \
	"speed-up $(ratio "$one" "$many") (linear $N)"

db="$work/store.db"
first=$(wall "$bin" scan "$corpus/scan12" --db "$db" --format json -j "$N")
again=$(wall "$bin" scan "$corpus/scan12" --db "$db" --format json -j "$N")
echo "re-scan unchanged: $again ms after $first ms" \
	"($(ratio "$((again * 100))" "$first") % of the first)"

if ! command -v ocrmypdf >/dev/null; then
	scripts/deps.sh >/dev/null
	sudo=""; [ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get install -y -qq --no-install-recommends ocrmypdf >/dev/null
fi
om=0
mkdir -p "$work/pdfs"
find "$corpus/scan12" -name '*.pdf' >"$work/pdf-list"
while read -r pdf; do
	cp "$pdf" "$work/pdfs/"
	om=$((om + $(wall ocrmypdf -j "$N" -l chi_sim+eng --output-type pdf \
		--optimize 0 --skip-text "$pdf" "$work/o.pdf")))
done <"$work/pdf-list"
evs=$(wall "$bin" scan "$work/pdfs" --no-store --format json -j "$N")
echo "scanned PDFs: evidcheck -j $N $evs ms, ocrmypdf -j $N $om ms," \
	"ratio $(ratio "$evs" "$om")"
