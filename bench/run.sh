#!/usr/bin/env bash
# bench/run.sh — understudy's throughput benchmark.
#
# Usage:   bench/run.sh                      # full size: plain dump of about 1.1 GB
#          BENCH_SCALE=small bench/run.sh    # about 55 MB, for smoke tests
#          BENCH_SCALE=120 REPS=5 bench/run.sh
#
# What it does, each step named in its output so a failure says where it happened:
#   1. checks tools (psql, pg_dump, GNU time; installs `time` with apt-get when root and missing);
#   2. makes the database, once: `understudy_bench` on the local server
#      postgres://postgres@127.0.0.1:5432 (or the database at $BENCH_DATABASE_URL, whose tables
#      customers/orders/events it DROPS and refills), filled by bench/generate.sql. The scale is
#      stamped in the database's comment; a different scale regenerates;
#   3. pg_dumps it once to bench/work/bench.sql (gitignored; reused while the stamp matches);
#   4. cargo build --release;
#   5. runs each case REPS times (default 3), page cache warm, and takes the median wall time
#      and the largest peak RSS (GNU time %M):
#        wc -l                     the baseline: reading the file and finding newlines
#        keep                      understudy run --policy policies/bench/keep.toml
#        hash3                     understudy run --policy policies/bench/hash3.toml
#        realistic                 policies/bench/realistic.toml, only if that file exists,
#        realistic+gate            the same with the risk analysis and gate; these two run
#                                  interleaved (without, with, without, ...) so that a drift
#                                  in the machine's speed does not land in their ratio
#      understudy writes to `--output /dev/null` (non-regular files are written directly) and
#      reports its output size in `--summary`, which the script checks is plausible (at least
#      half the input's size);
#   6. prints a Markdown table: case, MB/s (10^6 bytes of input per second), speed relative to
#      wc -l (wc's time ÷ the case's time), peak RSS in MB (2^20 bytes); then the risk
#      analysis's cost, 1 - (realistic time ÷ realistic+gate time) per interleaved pair,
#      the median of the pairs, against issue #4's 30%.
# A failing understudy case is reported in the table with its exit code and meaning
# (1 input/policy/IO error, 2 usage, 3 risk gate refused, 4 policy not approved), its stderr is
# kept in bench/work/<case>.stderr, the other cases still run, and the script exits 1.
#
# Environment: BENCH_SCALE (small | large | a positive integer; default large = 80, small = 4;
# one unit is about 14 MB of dump), REPS (default 3), BENCH_DATABASE_URL (use that database),
# BENCH_UNDERSTUDY_ARGS (extra words for `understudy run`, e.g. how the key is given),
# BENCH_UNDERSTUDY_BIN (measure this binary instead of building target/release/understudy),
# BENCH_ONLY_PREPARE=1 (stop after step 3: make the dump, measure nothing).

set -Eeuo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
WORK=$HERE/work
DUMP=$WORK/bench.sql
REPS=${REPS:-3}
STEP="start"

step() { STEP=$1; echo "==> $STEP" >&2; }
die() { echo "bench: FAILED at step '$STEP': $*" >&2; exit 1; }
trap 'echo "bench: FAILED at step '"'"'$STEP'"'"': command exited $? (line $LINENO)" >&2' ERR

case "${BENCH_SCALE:-large}" in
    small) SCALE=4 ;;
    large) SCALE=80 ;;
    *[!0-9]* | "" | 0) die "BENCH_SCALE must be small, large or a positive integer, not '${BENCH_SCALE}'" ;;
    *) SCALE=$BENCH_SCALE ;;
esac
[[ $REPS =~ ^[1-9][0-9]*$ ]] || die "REPS must be a positive integer, not '$REPS'"
STAMP="understudy bench: generate.sql $(sha256sum "$HERE/generate.sql" | cut -c1-12), scale $SCALE"

step "tools"
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1 || true)
for tool in psql pg_dump; do
    if ! command -v "$tool" >/dev/null && [[ -n $PGBIN ]]; then PATH=$PGBIN:$PATH; fi
    command -v "$tool" >/dev/null || die "$tool not found: apt-get install postgresql-client"
done
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
        echo "installing GNU time" >&2
        apt-get install -y -qq time >/dev/null || die "apt-get install time failed"
    else
        die "GNU time (/usr/bin/time) is missing: sudo apt-get install time"
    fi
fi
command -v cargo >/dev/null || die "cargo not found"
export PGCONNECT_TIMEOUT=5
mkdir -p "$WORK"

step "database"
if [[ -n ${BENCH_DATABASE_URL:-} ]]; then
    DB_URL=$BENCH_DATABASE_URL
else
    ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
    DB_URL=postgres://postgres@127.0.0.1:5432/understudy_bench
    psql -X -q -d "$ADMIN_URL" -c 'select 1' >/dev/null ||
        die "the local server at $ADMIN_URL does not answer; start it
    (pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start) or set BENCH_DATABASE_URL"
    if [[ $(psql -X -At -d "$ADMIN_URL" -c "select count(*) from pg_database where datname = 'understudy_bench'") == 0 ]]; then
        psql -X -q -d "$ADMIN_URL" -c "CREATE DATABASE understudy_bench TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'"
    fi
fi
psql -X -q -d "$DB_URL" -c 'select 1' >/dev/null || die "cannot connect to $DB_URL"
have_stamp=$(psql -X -At -d "$DB_URL" -c "select coalesce(shobj_description(oid, 'pg_database'), '') from pg_database where datname = current_database()")
if [[ $have_stamp != "$STAMP" ]]; then
    step "generate (scale $SCALE)"
    start=$(date +%s)
    psql -X -q -v ON_ERROR_STOP=1 -v scale="$SCALE" -d "$DB_URL" -f "$HERE/generate.sql" ||
        die "bench/generate.sql failed"
    psql -X -q -v ON_ERROR_STOP=1 -d "$DB_URL" -c \
        "DO \$\$ BEGIN EXECUTE format('COMMENT ON DATABASE %I IS %L', current_database(), '$STAMP'); END \$\$"
    echo "generated in $(($(date +%s) - start)) s" >&2
    rm -f "$DUMP" "$DUMP.stamp"
fi

step "pg_dump"
if [[ ! -f $DUMP || ! -f $DUMP.stamp || $(cat "$DUMP.stamp") != "$STAMP $DB_URL" ]]; then
    start=$(date +%s)
    pg_dump -d "$DB_URL" -f "$DUMP.tmp" || die "pg_dump failed"
    mv "$DUMP.tmp" "$DUMP"
    echo "$STAMP $DB_URL" >"$DUMP.stamp"
    echo "dumped in $(($(date +%s) - start)) s" >&2
fi
BYTES=$(stat -c %s "$DUMP")
echo "dump: $DUMP, $((BYTES / 1000000)) MB, scale $SCALE" >&2
[[ ${BENCH_ONLY_PREPARE:-} == 1 ]] && exit 0

if [[ -n ${BENCH_UNDERSTUDY_BIN:-} ]]; then
    BIN=$BENCH_UNDERSTUDY_BIN
else
    step "cargo build --release"
    (cd "$ROOT" && cargo build --release --quiet) || die "cargo build --release failed"
    BIN=$ROOT/target/release/understudy
fi
[[ -x $BIN ]] || die "no binary at $BIN"

# median of numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

explain_exit() {
    case $1 in
        1) echo "input/policy/IO error" ;; 2) echo "usage error" ;;
        3) echo "risk gate refused" ;; 4) echo "policy not approved" ;;
        *) echo "unexpected exit" ;;
    esac
}

# measure CASE CMD...: runs CMD REPS times; its stdout is counted by `wc -c`.
# Sets M_SECS (median wall seconds), M_RSS_KB (max peak RSS), or M_ERROR on failure.
measure() {
    local name=$1; shift
    local times=() rss=0 rep t0 t1 status out_bytes
    local f=$WORK/${name// /_}
    M_ERROR=""
    for ((rep = 1; rep <= REPS; rep++)); do
        t0=$(date +%s%N)
        status=0
        if [[ $name == "wc -l" ]]; then
            /usr/bin/time -f '%M' -o "$f.time" "$@" 2>"$f.stderr" | wc -c >"$f.bytes" || status=${PIPESTATUS[0]}
        else
            # Output to /dev/null (written directly, not atomically); the byte count comes
            # from understudy's own --summary, so no second process competes for the 2 cores.
            /usr/bin/time -f '%M' -o "$f.time" "$@" --output /dev/null --summary "$f.summary.json" 2>"$f.stderr" || status=$?
            # The run's total comes first; the tables' own bytes_out follow it.
            sed -n 's/.*"bytes_out": *\([0-9]*\).*/\1/p' "$f.summary.json" 2>/dev/null | head -n 1 >"$f.bytes" || true
        fi
        t1=$(date +%s%N)
        if [[ $status != 0 ]]; then
            M_ERROR="exit $status ($(explain_exit "$status"))"
            echo "bench: case '$name' FAILED: $M_ERROR; stderr (bench/work/${name// /_}.stderr):" >&2
            { grep -v '^Command exited with non-zero status' "$f.stderr" || true; } | tail -n 5 | sed 's/^/    /' >&2
            return
        fi
        out_bytes=$(cat "$f.bytes")
        if [[ $name != "wc -l" && $out_bytes -lt $((BYTES / 2)) ]]; then
            M_ERROR="wrote only $out_bytes bytes for $BYTES of input"
            echo "bench: case '$name' FAILED: $M_ERROR (is the CLI implemented?)" >&2
            return
        fi
        times+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')")
        local kb; kb=$(tail -n1 "$f.time")
        ((kb > rss)) && rss=$kb
    done
    M_SECS=$(printf '%s\n' "${times[@]}" | median)
    M_RSS_KB=$rss
}

step "measure"
echo "warming the page cache" >&2
cat "$DUMP" >/dev/null
read -r -a EXTRA <<<"${BENCH_UNDERSTUDY_ARGS:-}"
# A fixed, public benchmark key: the data is generated, and a given key keeps runs comparable.
export UNDERSTUDY_KEY=${UNDERSTUDY_KEY:-000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f}
# A case is a policy name; `+gate` runs the risk analysis and gate, the others skip it with
# --dangerously-skip-risk-gate (no --report: the analysis is not computed at all), so the pair
# realistic / realistic+gate measures what the analysis costs.
CASES=("wc -l" keep hash3)
[[ -f $ROOT/policies/bench/realistic.toml ]] && CASES+=(realistic realistic+gate)
ROWS=()
FAILED=0
WC_SECS=""
PLAIN_SECS=""
GATE_SECS=""
PAIR_COSTS=()

# measure_case NAME: measures one case REPS times (sets M_SECS, M_RSS_KB, M_ERROR).
measure_case() {
    local name=$1
    if [[ $name == "wc -l" ]]; then
        measure "$name" wc -l "$DUMP"
    else
        local policy=${name%+gate} gate=(--dangerously-skip-risk-gate)
        [[ $name == *+gate ]] && gate=()
        measure "$name" "$BIN" run --quiet --policy "$ROOT/policies/bench/$policy.toml" --input "$DUMP" "${gate[@]}" "${EXTRA[@]}"
    fi
}

# The realistic pair runs interleaved (without, with, without, with, ...): the analysis cost
# is a ratio of the two, and on a shared machine whose speed drifts over minutes, measuring
# one case's repetitions and then the other's put the drift into the ratio. Each pair gives
# a cost; the median of the pairs is reported with the medians of the times.
measure_pair() {
    local reps=$REPS rep p g rss_p=0 rss_g=0 p_times=() g_times=()
    PAIR_ERROR=""
    for ((rep = 1; rep <= reps; rep++)); do
        REPS=1 measure_case realistic
        [[ -n $M_ERROR ]] && { PAIR_ERROR="realistic: $M_ERROR"; break; }
        p=$M_SECS; ((M_RSS_KB > rss_p)) && rss_p=$M_RSS_KB
        REPS=1 measure_case realistic+gate
        [[ -n $M_ERROR ]] && { PAIR_ERROR="realistic+gate: $M_ERROR"; break; }
        g=$M_SECS; ((M_RSS_KB > rss_g)) && rss_g=$M_RSS_KB
        p_times+=("$p"); g_times+=("$g")
        PAIR_COSTS+=("$(awk -v p="$p" -v g="$g" 'BEGIN { printf "%.1f", 100 * (1 - p / g) }')")
        echo "pair $rep: ${p} s without, ${g} s with, cost ${PAIR_COSTS[-1]}%" >&2
    done
    REPS=$reps
    [[ -n $PAIR_ERROR ]] && return
    PLAIN_SECS=$(printf '%s\n' "${p_times[@]}" | median)
    GATE_SECS=$(printf '%s\n' "${g_times[@]}" | median)
    PLAIN_RSS_KB=$rss_p
    GATE_RSS_KB=$rss_g
}

row() { # row NAME SECS RSS_KB
    awk -v n="$1" -v b="$BYTES" -v s="$2" -v w="$WC_SECS" -v k="$3" 'BEGIN {
        ratio = (w > 0 && s > 0) ? sprintf("%.2f×", w / s) : "n/a"
        printf "| %s | %.0f | %s | %.0f |", n, (s > 0 ? b / 1e6 / s : 0), ratio, k / 1024 }'
}

for name in "${CASES[@]}"; do
    [[ $name == realistic+gate ]] && continue
    if [[ $name == realistic ]]; then
        step "measure: realistic and realistic+gate, interleaved"
        measure_pair
        if [[ -n $PAIR_ERROR ]]; then
            FAILED=1
            ROWS+=("| realistic / realistic+gate | FAILED: $PAIR_ERROR | | |")
            continue
        fi
        ROWS+=("$(row realistic "$PLAIN_SECS" "$PLAIN_RSS_KB")")
        ROWS+=("$(row realistic+gate "$GATE_SECS" "$GATE_RSS_KB")")
        continue
    fi
    step "measure: $name"
    measure_case "$name"
    if [[ -n $M_ERROR ]]; then
        FAILED=1
        ROWS+=("| $name | FAILED: $M_ERROR | | |")
        continue
    fi
    [[ $name == "wc -l" ]] && WC_SECS=$M_SECS
    ROWS+=("$(row "$name" "$M_SECS" "$M_RSS_KB")")
done

echo
echo "understudy $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?'), input $((BYTES / 1000000)) MB (scale $SCALE), median of $REPS, $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo
echo "| case | MB/s | speed ÷ wc -l speed | peak RSS MB |"
echo "|---|---:|---:|---:|"
printf '%s\n' "${ROWS[@]}"
if [[ -n $PLAIN_SECS && -n $GATE_SECS ]]; then
    # Issue #4's measure: the throughput the risk analysis costs, 1 - (with ÷ without).
    echo
    cost=$(printf '%s\n' "${PAIR_COSTS[@]}" | median)
    awk -v c="$cost" -v p="$PLAIN_SECS" -v g="$GATE_SECS" -v all="${PAIR_COSTS[*]}" 'BEGIN {
        printf "risk analysis cost: %.0f%% of the realistic run'"'"'s throughput (median of interleaved pairs: %s%%; medians %.2f s without, %.2f s with; target ≤ 30%%)\n", c, all, p, g }'
fi
if [[ $FAILED == 1 ]]; then
    STEP="measure"
    echo "bench: some cases FAILED (see above and bench/work/*.stderr)" >&2
    exit 1
fi
