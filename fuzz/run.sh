#!/bin/sh
# Runs every fuzz target for SECONDS (default 60) each, one after another, on the stable
# toolchain (no sanitizer; `cargo +nightly fuzz run TARGET` adds AddressSanitizer where a
# nightly toolchain exists).
#
#   fuzz/run.sh [SECONDS] [TARGET...]
#
# libFuzzer reads the committed seeds in fuzz/corpus/TARGET and writes what it discovers to
# fuzz/corpus-work/TARGET (ignored by git), so the committed corpus stays small. A crash or
# timeout leaves its input in fuzz/artifacts/TARGET/; fix it, copy the input to
# fuzz/regressions/TARGET/ (replayed by `cargo test --test fuzz_corpus`) and add a regression
# test named after the bug. To refresh the committed seeds from a long run:
#   cargo fuzz cmin --sanitizer none TARGET fuzz/corpus-work/TARGET
# and copy the result over fuzz/corpus/TARGET if it stays a few hundred KB.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-$(ls fuzz/fuzz_targets | sed 's/\.rs$//')}
status=0
for t in $targets; do
    mkdir -p "fuzz/corpus-work/$t"
    echo "== $t: ${seconds}s"
    # -timeout: a single input taking over 10 s is reported as a hang.
    cargo fuzz run --sanitizer none "$t" "fuzz/corpus-work/$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 || status=1
done
exit $status
