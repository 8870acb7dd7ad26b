#!/bin/sh
# The README's first command: install what is missing, build, and scan the
# bundled sample claim (examples/sample-claim), writing its JSON report to
# build/sample-report.json. A second run reinstalls and rebuilds nothing.
set -eu
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh
status=0
build/cli/evidcheck scan examples/sample-claim --db build/sample.db \
	--out build/sample-report.json || status=$?
echo "JSON report: build/sample-report.json (exit status $status)"
[ "$status" -le 1 ]
