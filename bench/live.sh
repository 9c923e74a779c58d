#!/usr/bin/env bash
# bench/live.sh — database to database: understudy against a plain copy.
#
# Usage:   bench/live.sh                      # the bench database of bench/run.sh (scale 80, ≥ 1 GB)
#          BENCH_SCALE=small bench/live.sh    # quick smoke run
#          REPS=3 JOBS="1 2 4" bench/live.sh
#          SPLITS="64M 0" bench/live.sh          # with and without splitting large tables
#
# Cases, each into a target database that is dropped first (so every case starts from nothing):
#   plain copy        pg_dump SRC | psql TARGET   (no sanitizing: the floor to compare against)
#   understudy -jN    understudy run --source SRC --target TARGET --jobs N --split-threshold S
#                     --policy policies/bench/$POLICY.toml — by default `realistic` (emails and
#                     phones FF1-tokenized, fake names, per-customer date shifts, buckets,
#                     permuted ids, IPs, JSON scrub) with the risk analysis and gate on, as the
#                     nightly job runs it; GATE=0 adds --dangerously-skip-risk-gate (needed for
#                     POLICY=hash3, which keeps generated IPs that the gate refuses)
# Repetitions run in rounds (a plain copy and each understudy case, in an order that rotates
# from round to round), and a case's ratio is the median of its ratios to the plain copy of the
# same round. It prints a Markdown table: wall
# seconds (median of REPS), MB/s of source size, and the ratios. The source is prepared by
# bench/run.sh (BENCH_ONLY_PREPARE=1), which makes `understudy_bench` on the local server once
# and reuses it. Target: ratio ≤ 1.2.
#
# Environment: BENCH_SCALE (as bench/run.sh), REPS (default 1), JOBS (default "1 2"),
# SPLITS (--split-threshold values, default "64M", the flag's default), POLICY (default
# realistic), GATE (default 1),
# BENCH_TARGET_DB (default understudy_bench_live), BENCH_UNDERSTUDY_BIN.

set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
REPS=${REPS:-1}
JOBS=${JOBS:-1 2}
POLICY=${POLICY:-realistic}
GATE_ARGS=()
[[ ${GATE:-1} == 0 ]] && GATE_ARGS=(--dangerously-skip-risk-gate)
SPLITS=${SPLITS:-64M}
ADMIN=postgres://postgres@127.0.0.1:5432/postgres
SRC=postgres://postgres@127.0.0.1:5432/understudy_bench
TGT_DB=${BENCH_TARGET_DB:-understudy_bench_live}
TGT=postgres://postgres@127.0.0.1:5432/$TGT_DB
STEP=start
step() { STEP=$1; echo "==> $STEP" >&2; }
trap 'echo "bench/live: FAILED at step '"'"'$STEP'"'"' (line $LINENO)" >&2' ERR

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
[[ -n $PGBIN ]] && PATH=$PGBIN:$PATH

step "source database"
# An existing bench database is used as it is (whatever generate.sql stamp it carries): making
# one takes minutes, and bench/run.sh would drop and regenerate it on a stamp mismatch.
have=$(psql -X -At -d "$ADMIN" -c "select count(*) from pg_database where datname = 'understudy_bench'")
if [[ $have == 0 ]] || [[ $(psql -X -At -d "$SRC" -c "select count(*) from pg_tables where schemaname = 'public' and tablename in ('customers', 'orders', 'events')") != 3 ]]; then
    echo "making the bench database with bench/run.sh (BENCH_ONLY_PREPARE=1)" >&2
    BENCH_ONLY_PREPARE=1 "$HERE/run.sh" >&2
fi

if [[ -n ${BENCH_UNDERSTUDY_BIN:-} ]]; then
    BIN=$BENCH_UNDERSTUDY_BIN
else
    step "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet)
    BIN=$ROOT/target/release/understudy
fi
export UNDERSTUDY_KEY=${UNDERSTUDY_KEY:-000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f}
SRC_BYTES=$(psql -X -At -d "$SRC" -c "select pg_database_size('understudy_bench')")

reset_target() {
    for db in "$TGT_DB" "${TGT_DB}__understudy_new" "${TGT_DB}__understudy_old"; do
        psql -X -q -d "$ADMIN" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" 2>/dev/null
    done
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# time_once NAME CMD...: resets the target, runs CMD once; sets SECS.
time_once() {
    local name=$1; shift
    local t0 t1
    reset_target
    sync
    t0=$(date +%s%N)
    "$@"
    t1=$(date +%s%N)
    SECS=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
    echo "$name: $SECS s" >&2
}

plain_copy() {
    psql -X -q -d "$ADMIN" -c "CREATE DATABASE \"$TGT_DB\" TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
    pg_dump -d "$SRC" | psql -X -q -v ON_ERROR_STOP=1 -d "$TGT" >/dev/null
}

counts() {
    psql -X -At -d "$TGT" -c "select (select count(*) from customers) || ' ' || (select count(*) from orders) || ' ' || (select count(*) from events)"
}

# Repetitions are rounds: the plain copy and every understudy case, so each case is compared
# with a plain copy made minutes apart on the same machine state (this machine's speed drifts
# by tens of percent over a session). A case's ratio is the median of its per-round ratios.
# The order within a round rotates from round to round, so that no case always runs first or
# always follows the same one (a load leaves checkpoint writes behind for the next).
CASES=()
for j in $JOBS; do for split in $SPLITS; do CASES+=("$j $split"); done; done
ORDER=(plain "${CASES[@]}")
declare -A TIMES RATIOS ROUND_SECS ROUND_COUNTS
PLAIN_TIMES=()
for ((rep = 1; rep <= REPS; rep++)); do
    n=${#ORDER[@]}
    for ((k = 0; k < n; k++)); do
        c=${ORDER[$(((k + rep - 1) % n))]}
        if [[ $c == plain ]]; then
            step "round $rep: plain copy"
            time_once "plain copy" plain_copy
        else
            read -r j split <<<"$c"
            step "round $rep: understudy --jobs $j --split-threshold $split"
            time_once "understudy --jobs $j --split-threshold $split" "$BIN" run --quiet \
                --policy "$ROOT/policies/bench/$POLICY.toml" \
                --source "$SRC" --target "$TGT" --jobs "$j" --split-threshold "$split" \
                "${GATE_ARGS[@]}"
        fi
        ROUND_SECS[$c]=$SECS
        ROUND_COUNTS[$c]=$(counts)
    done
    plain=${ROUND_SECS[plain]}
    PLAIN_TIMES+=("$plain")
    for c in "${CASES[@]}"; do
        [[ ${ROUND_COUNTS[$c]} == "${ROUND_COUNTS[plain]}" ]] || { echo "row counts differ: ${ROUND_COUNTS[$c]} vs ${ROUND_COUNTS[plain]}" >&2; exit 1; }
        TIMES[$c]="${TIMES[$c]:-} ${ROUND_SECS[$c]}"
        RATIOS[$c]="${RATIOS[$c]:-} $(awk -v p="$plain" -v s="${ROUND_SECS[$c]}" 'BEGIN { printf "%.3f", s / p }')"
    done
done
reset_target

PLAIN=$(printf '%s\n' "${PLAIN_TIMES[@]}" | median)
ROWS=("| plain copy (pg_dump \\| psql) | $PLAIN | $(awk -v b="$SRC_BYTES" -v s="$PLAIN" 'BEGIN { printf "%.0f", b / 1e6 / s }') | 1.00× | |")
for c in "${CASES[@]}"; do
    read -r j split <<<"$c"
    secs=$(printf '%s\n' ${TIMES[$c]} | median)
    ratio=$(printf '%s\n' ${RATIOS[$c]} | median)
    ROWS+=("| understudy ($POLICY, gate ${GATE:-1}) --jobs $j --split-threshold $split | $secs | $(awk -v b="$SRC_BYTES" -v s="$secs" 'BEGIN { printf "%.0f", b / 1e6 / s }') | $(awk -v r="$ratio" 'BEGIN { printf "%.2f×", r }') | ${RATIOS[$c]# } |")
done

echo
echo "understudy $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), source $((SRC_BYTES / 1000000)) MB on disk, median of $REPS, $(nproc) CPUs"
echo
echo "| case | seconds (median) | MB/s | time ÷ plain copy (median of rounds) | per round |"
echo "|---|---:|---:|---:|---|"
printf '%s\n' "${ROWS[@]}"
