#!/bin/sh
# The cost of reading files in worker processes (scan/worker.c) instead of
# in evidcheck's own: the same claim scanned with no store (every page
# read and OCR'd each time), alternately with reading processes (the
# default) and with --in-process, ROUNDS times each; prints every run's
# wall and CPU seconds (the CPU of the reading processes included), the
# medians and the overhead of isolation. Run it on an idle machine.
# Usage: bench/isolation.sh [CLAIM_DIR] [ROUNDS] [-j N]
set -eu
cd "$(dirname "$0")/.."
claim=${1:-examples/sample-claim}
rounds=${2:-5}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] && shift
bin=${EVIDCHECK:-build/cli/evidcheck}
[ -x "$bin" ] || scripts/build.sh
export OMP_THREAD_LIMIT=1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() { # LABEL [options]: appends "wall cpu" to $tmp/LABEL
	label=$1
	shift
	# GNU time is not on a bare machine: the shell's times, before and
	# after, give the CPU of finished children (the scan and its readers).
	t0=$(date +%s%N)
	c0=$(cpu)
	"$bin" scan "$claim" --no-store --format json "$@" >"$tmp/out.json" ||
		true
	c1=$(cpu)
	t1=$(date +%s%N)
	wall=$(echo "$t0 $t1" | awk '{printf "%.2f", ($2 - $1) / 1e9}')
	used=$(echo "$c0 $c1" | awk '{printf "%.2f", $2 - $1}')
	echo "$wall $used" >>"$tmp/$label"
	echo "$label: ${wall} s wall, ${used} s CPU"
}

cpu() { # CPU seconds of this shell's finished children
	awk '{print $14 + $15 + $16 + $17}' /proc/$$/stat |
		awk -v hz="$(getconf CLK_TCK)" '{printf "%.2f", $1 / hz}'
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR] = $c}
		END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'
}

echo "claim: $claim  rounds: $rounds  cores: $(nproc)  options: $*"
"$bin" scan "$claim" --no-store --format json "$@" >/dev/null || true # warm the page cache
i=0
while [ "$i" -lt "$rounds" ]; do
	run workers "$@"
	run in-process --in-process "$@"
	i=$((i + 1))
done
w=$(median "$tmp/workers" 1) p=$(median "$tmp/in-process" 1)
wc=$(median "$tmp/workers" 2) pc=$(median "$tmp/in-process" 2)
echo "median wall: workers $w s, in-process $p s, overhead" \
	"$(echo "$w $p" | awk '{printf "%+.1f %%", ($1 / $2 - 1) * 100}')"
echo "median CPU:  workers $wc s, in-process $pc s, overhead" \
	"$(echo "$wc $pc" | awk '{printf "%+.1f %%", ($1 / $2 - 1) * 100}')"
