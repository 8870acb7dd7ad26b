#!/bin/sh
# Time `evidcheck scan` on a claim folder (default: the bundled sample):
# a cold run with an empty store (every scan-only page OCR'd) and a warm run
# on the same store (OCR text reused). Prints wall seconds for each and the
# pages read each way. Usage: bench/scan.sh [CLAIM_DIR] [-j N]
set -eu
cd "$(dirname "$0")/.."
claim=${1:-examples/sample-claim}
[ $# -gt 0 ] && shift
bin=${EVIDCHECK:-build/cli/evidcheck}
[ -x "$bin" ] || scripts/build.sh
db=$(mktemp -d)/bench.db
run() {
	label=$1
	shift
	start=$(date +%s%N)
	"$bin" scan "$claim" --db "$db" --format json "$@" >"$db.json" || true
	ms=$((($(date +%s%N) - start) / 1000000))
	summary=$(grep -A8 '"summary"' "$db.json" | tr -d ' \n')
	echo "$label ${ms} ms  $summary"
}
echo "claim: $claim  cores: $(nproc)"
run cold "$@"
run warm "$@"
rm -rf "$(dirname "$db")"
