#!/bin/sh
# Load on `evidcheck serve` (bench/serve_bench.c, compiled here): N claims
# (default 50) uploaded at once by C clients (default 10) on loopback,
# each client polling its jobs; after R jobs are done (default 10) the
# server is restarted (SIGTERM, then started again on the same data and
# store). Every accepted claim must end done, each once by the servers'
# logs. Then C clients hammer GET /v1/claims/ID of a done job for S
# seconds (default 10). Prints the latency from upload to done (median,
# p90, max), the polls answered per second, and the peak resident memory
# of the server and every process under it (scan children and their
# reading processes), sampled every 0.2 s.
#
# The claims are five e2e recipes (three of text-layer PDFs only, two
# with a phone photo), uploaded in turn, each upload with its own
# claim_id (the `claim` part). The files of the five stay the same, so
# after the first scan of each its pages come from the store's OCR cache,
# as when a provider checks a corrected claim again: a realistic cache,
# not a cold one. COLD=1 generates N claims instead, each with its own
# files (nothing cached: every photo OCR'd).
# KILL=1 restarts with SIGKILL instead: a crash, the running scans dying
# with the server and run again after the restart.
# Usage: [COLD=1] [KILL=1] bench/serve.sh [N] [CLIENTS] [RESTART_AFTER] [SECONDS]
#                                [-j J]
set -eu
cd "$(dirname "$0")/.."
n=${1:-50}
clients=${2:-10}
restart=${3:-10}
seconds=${4:-10}
jobs=2
[ "${5:-}" = "-j" ] && jobs=${6:-2}
bin=${EVIDCHECK:-build/cli/evidcheck}
fx=${EVIDCHECK_FIXTURES:-build/tests/fixtures/evidcheck-fixtures}
[ -x "$bin" ] && [ -x "$fx" ] || scripts/build.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cores=$(getconf _NPROCESSORS_ONLN)
export OMP_THREAD_LIMIT=1

# pkg-config's flags are meant to be split into words.
# shellcheck disable=SC2046
${CC:-cc} -O2 -Wall -Wextra -o "$work/serve_bench" bench/serve_bench.c \
	$(pkg-config --cflags --libs libsoup-3.0 json-glib-1.0 gio-2.0)

# Upload i sends claim i % 5 (serve_bench.c): these, in this order.
recipe() {
	case $(($1 % 5)) in
	0) echo dir_10_complete ;;
	1) echo dir_12_complete ;;
	2) echo dir_16_complete ;;
	3) echo dir_2_complete ;;
	*) echo dir_19_complete ;;
	esac
}
claims=
if [ "${COLD:-0}" = 1 ]; then
	# As bench/batch.sh: the claim id seeds every document, so each
	# claim's files are its own and nothing is in the OCR cache.
	i=0
	while [ $i -lt "$n" ]; do
		r=$(recipe $i)
		id=$(printf 'GXFWQ-2026-C%05d' $i)
		sed -e "s/^claim_id *=.*/claim_id = $id/" -e '/^seed *=/d' \
			"tests/e2e/$r/recipe.ini" >"$work/r.ini"
		"$fx" claim "$work/r.ini" "$work/claims/$id" >/dev/null
		claims="$claims $work/claims/$id"
		i=$((i + 1))
	done
else
	for i in 0 1 2 3 4; do
		r=$(recipe $i)
		"$fx" claim "tests/e2e/$r/recipe.ini" "$work/claims/$r" \
			>/dev/null
		claims="$claims $work/claims/$r"
	done
fi
mkdir -p "$work/run"
echo "claims: $n (5 recipes in turn, COLD=${COLD:-0})  clients: $clients  restart after:" \
	"$restart done  serve -j $jobs  cores: $cores"
# shellcheck disable=SC2086
"$work/serve_bench" "$bin" "$work/run" "$n" "$clients" "$restart" \
	"$seconds" "$jobs" $claims
