#!/bin/sh
# Make the benchmark corpus in OUTDIR with the fixture generator; the same
# files, byte for byte, on every run. Three parts, each for one question:
#
#   OUTDIR/text200/  a claim of about 200 text-layer PDF pages (189
#                    documents, every paper type in turn, and a long
#                    operation record),
#                    nothing to OCR: how fast are ingest, classify and the
#                    checklist when Tesseract is not involved?
#                      bench/scan.sh OUTDIR/text200
#   OUTDIR/scan12/   a claim of 12 scanned pages (image-only PDFs and phone
#                    photos, some sideways or upside down, sealed): what
#                    does OCR cost per page, cold and warm?
#                      bench/scan.sh OUTDIR/scan12
#   OUTDIR/cert.jpg  one scanned certificate (A4, 300 dpi) with its truth
#                    OUTDIR/cert.txt: evidcheck's OCR of one page against
#                    the tesseract CLI on the same file.
#                      time OMP_THREAD_LIMIT=1 tesseract OUTDIR/cert.jpg - \
#                          -l chi_sim+eng
#
# The recipes used are left in OUTDIR/recipes/. Only those four names are
# replaced in OUTDIR. Usage: bench/corpus/make.sh OUTDIR
# (EVIDCHECK_FIXTURES overrides build/tests/fixtures/evidcheck-fixtures.)
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
gen=${EVIDCHECK_FIXTURES:-$top/build/tests/fixtures/evidcheck-fixtures}
if [ $# -ne 1 ]; then
	echo "usage: $0 OUTDIR" >&2
	exit 2
fi
out=$1
if [ ! -x "$gen" ]; then
	echo "make.sh: no generator at $gen; build first (scripts/build.sh)" >&2
	exit 2
fi
mkdir -p "$out"
rm -rf "$out/text200" "$out/scan12" "$out/cert.jpg" "$out/cert.txt" \
	"$out/recipes"
mkdir -p "$out/recipes"

# ---- text200: 189 documents of the paper types, + 11 pages of records ------
# Photos and screenshots are never text PDFs, so they are not in it. Each
# set has its own seed, so invoice numbers, times and seal angles differ.
recipe=$out/recipes/text200.ini
{
	printf '[claim]\nwrite_claim_json = true\n\n'
	# Every paper type in turn, set after set, up to 189 documents.
	for set in 1 2 3 4 5 6 7; do
		"$gen" types | while read -r id _; do
			case $id in
			photo | run_screenshot) continue ;;
			esac
			echo "$set $id"
		done
	done | head -n 189 | while read -r set id; do
		printf '[doc set%s/%s.pdf]\ntype = %s\nseed = %s\n\n' \
			"$set" "$id" "$id" "$set"
	done
	printf '[doc records_long.pdf]\ntype = operation_records\n'
	printf 'records_days = 400\n'
} >"$recipe"
"$gen" claim "$recipe" "$out/text200" >/dev/null

# ---- scan12: what reaches evidcheck as scans and phone photos --------------
recipe=$out/recipes/scan12.ini
cat >"$recipe" <<'EOF'
[claim]
write_claim_json = true

# 3 pages: a sealed contract, scanned
[doc 合同/技术服务合同.pdf]
type = contract
format = scan_pdf

# 1: the acceptance form, scanned, a seal over the signature block
[doc 验收/成果验收单.pdf]
type = acceptance_form
format = scan_pdf

# 2: the mid-term report, scanned slightly askew
[doc 过程/实施中期检查报告.pdf]
type = midterm_report
format = scan_pdf
skew = 1.5

# 2: the test report, scanned at 150 dpi
[doc 测试/软件测试报告.pdf]
type = software_test_report
format = scan_pdf
dpi = 150

# 1: the certificate photographed sideways
[doc 证书/软件著作权登记证书.jpg]
type = software_copyright_cert
look = phone
rotate = 90
skew = -2

# 1: the invoice photographed upside down, with its 发票专用章
[doc 发票/电子发票.jpg]
type = invoice
look = phone
rotate = 180
seal = true

# 1: the bank receipt, photographed a quarter anticlockwise
[doc 发票/工行电子回单.jpg]
type = payment_proof
look = phone
rotate = 270

# 1: the CMA certificate, a phone photo with a shadow across it
[doc 证书/CMA资质认定证书.jpg]
type = cma_cert
look = phone
shadow = 0.4
skew = 2.5
EOF
"$gen" claim "$recipe" "$out/scan12" >/dev/null

# ---- cert.jpg: one page for evidcheck's OCR against the tesseract CLI ------
"$gen" doc software_copyright_cert jpg "$out/cert.jpg" dpi=300 seed=1 \
	truth="$out/cert.txt"

# Page counts, when poppler's pdfinfo is there to count them.
if command -v pdfinfo >/dev/null 2>&1; then
	for claim in text200 scan12; do
		n=0
		for f in $(cd "$out/$claim" && find . -name '*.pdf' | sort); do
			p=$(pdfinfo "$out/$claim/$f" | sed -n 's/^Pages: *//p')
			n=$((n + p))
		done
		j=$(cd "$out/$claim" && find . -name '*.jpg' | wc -l)
		echo "$out/$claim: $((n + j)) pages ($n in PDFs, $j photos)"
	done
fi
echo "$out/cert.jpg: 1 page, truth in $out/cert.txt"
