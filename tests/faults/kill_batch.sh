#!/bin/sh
# kill_batch.sh EVIDCHECK FIXTURES DBTOOL SOURCE_DIR WORK - see
# CMakeLists.txt. A batch of four claims (three of text-layer PDFs, one
# with a photographed receipt, OCR'd) is run once uninterrupted,
# then again into another store, killed with kill -9 (its whole process
# group, so worker processes too) at KILLS points and resumed each time:
# after every kill the store passes integrity_check, and each time a run
# completes its store holds what the uninterrupted run's does (every page
# once, one scan per claim) and its reports are the same.
#
# The kill points are a fixed list: delays drawn by a seeded generator
# over the uninterrupted run's length, moments waited for (K claims done,
# all done: the index), and crash points evidcheck takes itself when
# EVIDCHECK_TEST_KILL names them (store_test_kill: a report and page
# written but the scan not saved; a scan's rows written but not
# committed; summary.csv written, the rest of the index not), so kills
# land in every phase. Where each timed kill landed is read from what the
# run left; the counts by phase are printed at the end. KILLS
# (environment) sets how many points; the default is 60.
set -eu
ev=$1 fx=$2 dbtool=$3 src=$4 work=$5
kills=${KILLS:-60}
root=$work/root

fail() {
	echo "kill_batch: $*" >&2
	exit 1
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

rm -rf "$work"
mkdir -p "$root"
for c in dir_15_3_complete dir_16_complete dir_9_complete; do
	"$fx" claim "$src/tests/e2e/$c/recipe.ini" "$root/$c" >/dev/null
done
"$fx" claim "$src/tests/faults/scanned.ini" "$root/scanned" >/dev/null
# Older than any scan: claim.json written in a scan's second counts as
# changed (cmd_batch.c), which would scan a claim twice.
find "$root" -exec touch -d 2025-01-01 {} +
claims="GXFWQ-2026-000219 GXFWQ-2026-000221 GXFWQ-2026-000209
GXFWQ-2026-000888"
total=4

. "$src/tests/faults/norm.sh"

# run DB OUT: one batch to the end.
run() {
	"$ev" batch "$root" --db "$1" --out "$2" -j 1 </dev/null \
		>/dev/null 2>"$work/run.log" || [ $? -eq 1 ] ||
		fail "a batch failed: $(cat "$work/run.log")"
}

# 1. The reference, uninterrupted, timed.
t0=$(now_ms)
run "$work/ref.db" "$work/ref"
span=$(($(now_ms) - t0))
"$dbtool" dump "$work/ref.db" | sort >"$work/ref.dump"
[ "$(grep -c '^scans .* 1$' "$work/ref.dump")" -eq $total ] ||
	fail "the reference run did not save one scan per claim"
grep -q '^page-dup' "$work/ref.dump" && fail "a page cached twice"
echo "kill_batch: uninterrupted batch: $span ms"

# compare: the resumed store and reports against the reference.
compare() {
	"$dbtool" dump "$db" | sort >"$work/kill.dump"
	if ! cmp -s "$work/ref.dump" "$work/kill.dump"; then
		diff "$work/ref.dump" "$work/kill.dump" >&2 || true
		fail "cycle $cycle: the store differs from the uninterrupted run's"
	fi
	(cd "$work/ref" && ls -A) >"$work/ref.ls"
	(cd "$out" && ls -A) >"$work/kill.ls"
	cmp -s "$work/ref.ls" "$work/kill.ls" ||
		fail "cycle $cycle: other files in the report folder:" \
			"$(diff "$work/ref.ls" "$work/kill.ls")"
	for id in $claims; do
		same_report "$work/ref/$id.json" "$out/$id.json" ||
			fail "cycle $cycle: $id's report differs:" \
				"$(diff "$work/norm-a" "$work/norm-b")"
		same_report "$work/ref/$id.html" "$out/$id.html" ||
			fail "cycle $cycle: $id's page differs"
		grep -q "href=\"$id.html\"" "$out/index.html" ||
			fail "cycle $cycle: index.html does not link $id's page"
	done
	# The index's figures, all but the run's own (seconds, status, reason).
	cut -d, -f1-8 "$work/ref/summary.csv" >"$work/a"
	cut -d, -f1-8 "$out/summary.csv" >"$work/b"
	cmp -s "$work/a" "$work/b" || fail "cycle $cycle: summary.csv differs"
}

# The kill points: "t MS" after MS milliseconds; "line K" once K claims
# are done (K = total: every claim done, the index being written); "hook
# POINT:N" at the Nth pass of evidcheck through POINT; "end" closes a
# cycle. A fixed seed, so every run of the test kills at the same points.
# Runs are chained (a killed run's resume is killed in turn): a cycle of
# ten points goes from an empty store through the claims in order (the
# timed delays, up to a quarter of the run each, add up to about one run)
# to the index.
seed=20261126
# rand N: $r from 0 to N - 1 (not in a subshell: the seed moves on).
rand() {
	seed=$(((seed * 1103515245 + 12345) % 2147483648))
	r=$((seed / 65536 % $1))
}
i=0
: >"$work/points"
while [ $i -lt "$kills" ]; do
	case $((i % 10)) in
	0) rand 80 && echo "t $r" ;;
	2) rand 2 && echo "hook report:$((r + 1))" ;;
	4) rand 2 && echo "hook scan-rows:$((r + 1))" ;;
	6) rand $total && echo "line $((r + 1))" ;;
	8) echo "hook index" ;;
	9) echo "line $total" && echo end ;;
	*) rand $((span / 4)) && echo "t $r" ;;
	esac >>"$work/points"
	i=$((i + 1))
done

# kill_at SPEC: start a batch in its own process group and kill the group
# at SPEC; $st is its exit status (137 when killed).
kill_at() {
	touch "$work/marker"
	set -- $1
	hook=
	[ "$1" = hook ] && hook=$2
	EVIDCHECK_TEST_KILL=$hook setsid "$ev" batch "$root" --db "$db" \
		--out "$out" -j 1 </dev/null >/dev/null 2>"$work/run.log" &
	pid=$!
	case $1 in
	t) sleep "$(($2 / 1000)).$(printf %03d $(($2 % 1000)))" ;;
	line)
		n=0
		while [ "$(grep -c '^evidcheck: \[' "$work/run.log")" -lt "$2" ] &&
			[ $n -lt 3000 ] && kill -0 $pid 2>/dev/null; do
			sleep 0.01
			n=$((n + 1))
		done
		;;
	esac
	# The group may not exist yet in the first instant after the fork.
	[ -n "$hook" ] || kill -9 -- -$pid 2>/dev/null ||
		kill -9 $pid 2>/dev/null || true
	st=0
	wait $pid 2>/dev/null || st=$?
}

# phase: where the last kill landed, from what the run left ($before:
# the store's dump before it).
phase() {
	lines=$(grep -c '^evidcheck: \[' "$work/run.log" || true)
	if grep -q ' claims in ' "$work/run.log"; then
		echo "exit (index written)"
		return
	fi
	if [ "$lines" -ge $total ]; then
		echo "index and re-checks"
		return
	fi
	set -- $claims
	shift "$lines"
	id=$1
	if [ -n "$(find "$out" -maxdepth 1 -name "$id.json" \
		-newer "$work/marker" 2>/dev/null)" ]; then
		echo "report written, scan being saved"
	elif grep -q "^scans $id 1\$" "$before"; then
		echo "listing (unchanged claims)"
	elif [ "$lines" -eq 0 ] &&
		cmp -s "$before" "$work/after"; then
		echo "start (rules, store, listing, first file)"
	elif [ "$id" = GXFWQ-2026-000888 ]; then
		echo "reading (OCR)"
	else
		echo "reading (text layers, second readings)"
	fi
}

# 2. Killed and resumed, in cycles: each starts from an empty store and
# report folder and ends with a run to the end, or when a run ends
# before its kill point.
cycle=0 killed=0 done_runs=0 new_cycle=1
db=$work/kill.db out=$work/kill
t0=$(now_ms)
: >"$work/phases"
before=$work/before
while read -r spec; do
	if [ "$spec" = end ]; then
		[ $new_cycle = 1 ] && continue
		run "$db" "$out"
		"$dbtool" check "$db" >/dev/null || fail "integrity after a resume"
		compare
		done_runs=$((done_runs + 1))
		new_cycle=1
		continue
	fi
	if [ $new_cycle = 1 ]; then
		rm -rf "$db" "$db-wal" "$db-shm" "$out"
		: >"$before"
		cycle=$((cycle + 1)) new_cycle=0
	fi
	kill_at "$spec"
	if [ $st -ne 137 ]; then
		# Done before the kill: the cycle's last run.
		[ $st -le 1 ] || fail "a batch failed ($st): $(cat "$work/run.log")"
		done_runs=$((done_runs + 1))
		"$dbtool" check "$db" >/dev/null || fail "integrity after a run"
		compare
		new_cycle=1
		continue
	fi
	killed=$((killed + 1))
	if [ -f "$db" ]; then
		"$dbtool" check "$db" >"$work/check" ||
			fail "kill $killed ($spec): $(cat "$work/check")"
		"$dbtool" dump "$db" 2>/dev/null | sort >"$work/after"
	else
		: >"$work/after"
	fi
	case $spec in
	"hook report"*) echo "report and page written, scan not saved" ;;
	"hook scan-rows"*) echo "scan's rows written, not committed" ;;
	"hook index"*) echo "summary.csv written, index.html not" ;;
	*) phase ;;
	esac >>"$work/phases"
	cp "$work/after" "$before"
done <"$work/points"
if [ $new_cycle = 0 ]; then
	run "$db" "$out"
	"$dbtool" check "$db" >/dev/null || fail "integrity after a resume"
	compare
fi
took=$(($(now_ms) - t0))
echo "kill_batch: survived $killed kill -9 points in $cycle cycles" \
	"($((took / 1000)) s; $done_runs runs ended before their kill point" \
	"or resumed to the end, each equal to the uninterrupted run):"
sort "$work/phases" | uniq -c
[ "$killed" -ge $((kills / 2)) ] || fail "only $killed of $kills points killed a run"
echo "kill_batch: ok"
