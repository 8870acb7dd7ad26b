#!/bin/sh
# Each way a reading process can fail - a crash (SIGSEGV), an abort, an
# allocation over its memory limit, an exit, a hang past the deadline -
# on one file of a claim, in each kind of task (reading the file, OCR of
# a photo, the second reading of an invoice's fields): the report must
# name that file alone as UNREADABLE_FILE with the cause, and read every
# other page and document as the clean run did. Then a batch of two
# claims with a crashing file in one: both claims are reported.
# usage: isolation_test.sh EVIDCHECK FAULT_CHECK SAMPLE_CLAIM WORK_DIR
set -eu
evidcheck=$1 check=$2 sample=$3 work=$4

rm -rf "$work"
mkdir -p "$work/claim"
# A small claim from the sample: two text-layer PDFs (a contract, an
# invoice whose key fields are read again) and a photo that is OCR'd.
cp "$sample/claim.json" "$work/claim/"
for f in 合同/技术服务合同.pdf 发票/电子发票.pdf 验收/成果验收单.jpg; do
	mkdir -p "$work/claim/$(dirname "$f")"
	cp "$sample/$f" "$work/claim/$f"
done

scan() { # OUT [options]: exit 0 (pass) and 1 (flagged) are both reports
	out=$1
	shift
	rc=0
	"$evidcheck" scan "$work/claim" --no-store -f json "$@" >"$out" || rc=$?
	if [ "$rc" -gt 1 ]; then
		echo "FAIL: scan exited with $rc"
		exit 1
	fi
}

scan "$work/clean.json"
failed=0
run_fault() { # NAME FAULT FILE CAUSE [options]
	name=$1 fault=$2 file=$3 cause=$4
	shift 4
	EVIDCHECK_TEST_FAULT=$fault scan "$work/$name.json" "$@"
	echo "== $name ($fault)"
	"$check" "$work/clean.json" "$work/$name.json" "$file" "$cause" ||
		failed=1
}

# (Under AddressSanitizer a SIGSEGV ends in its abort: any signal.)
run_fault crash_load "segv:技术服务合同:load" 合同/技术服务合同.pdf \
	"the reader crashed on it (signal"
run_fault abort_ocr "abort:成果验收单:ocr" 验收/成果验收单.jpg \
	"crashed on it (signal 6"
run_fault memory_load "memory:技术服务合同:load" 合同/技术服务合同.pdf \
	"MB of memory"
run_fault exit_verify "exit:电子发票:verify" 发票/电子发票.pdf \
	"exit status 3"
run_fault hang_ocr "hang:成果验收单:ocr" 验收/成果验收单.jpg \
	"longer than 3 s" --deadline 3

# A batch goes on past a claim whose file crashes its reader.
mkdir -p "$work/root"
cp -r "$work/claim" "$work/root/a"
cp -r "$work/claim" "$work/root/b"
sed -i 's/"claim_id" *: *"[^"]*"/"claim_id" : "ISO-B"/' "$work/root/b/claim.json"
mv "$work/root/a/合同/技术服务合同.pdf" "$work/root/a/合同/坏合同.pdf"
rc=0
EVIDCHECK_TEST_FAULT="segv:坏合同" "$evidcheck" batch "$work/root" \
	--db "$work/batch.db" --out "$work/out" --no-html >/dev/null || rc=$?
echo "== batch (exit $rc)"
if [ "$rc" -gt 1 ]; then
	echo "FAIL: batch exited with $rc"
	failed=1
fi
done=$(grep -c ',done,' "$work/out/summary.csv" || true)
if [ "$done" -ne 2 ]; then
	echo "FAIL: $done claims done, expected 2:"
	cat "$work/out/summary.csv"
	failed=1
fi
if ! grep -q "坏合同.pdf': the reader crashed" "$work"/out/*.json; then
	echo "FAIL: no report names the crashed file"
	failed=1
fi
exit $failed
