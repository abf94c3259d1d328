#!/bin/sh
# Runs the libFuzzer target on a fresh copy of the seed corpus and prints what it did.
#   run-fuzzer.sh BINARY SECONDS [RUNS]     RUNS=0 (default): as many as fit in SECONDS
# The working corpus and any crashing input go under Fuzzing/.build/ (ignored by git); a crash,
# leak, timeout or failed reply check stops the run and fails this script with the input's path.
set -eu
binary=$1 seconds=$2 runs=${3:-0}
here=$(cd "$(dirname "$0")" && pwd)
work=$here/.build/fuzz-run
rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
cp "$here"/corpus/* "$work/corpus/"
python3 "$here/seed-corpus.py" --golden "$here/../protocol/frames" "$work/corpus"
# -max_len: 4 KiB reaches every branch of the decoder and parser (deep nesting, the budget's 16 KiB
# line is crossed by headers, not payloads) and keeps each input cheap.
# -detect_leaks=0: libFuzzer's check after each input runs a full LeakSanitizer scan whenever the
# input's mallocs and frees differ, which with Swift concurrency (tasks are freed on the pool just
# after the input returns) is every input: 25 ms each. LeakSanitizer still checks the whole heap
# when the run ends (and fails it), and -rss_limit_mb stops a run whose memory keeps growing.
# -timeout: one input is one connection's worth of requests; the parser bounds each request's
# structure (JSONStructureLimit: 64 KiB, depth 16, 1,024 elements), so any input taking seconds is a bug.
# -rss_limit_mb: far above the target's steady ~0.7 GB under AddressSanitizer.
status=0
"$binary" "$work/corpus" -dict="$here/smoothtask.dict" -max_len=4096 -timeout=5 -rss_limit_mb=2048 -detect_leaks=0 \
    -max_total_time="$seconds" -runs="$( [ "$runs" -gt 0 ] && echo "$runs" || echo -1 )" \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 -print_pcs=0 >"$work/log" 2>&1 || status=$?
grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)' "$work/log" || true
stat() { sed -n "s/^stat::$1: *//p" "$work/log"; }
echo "fuzz: $(stat number_of_executed_units) inputs executed, $(stat average_exec_per_sec) exec/s," \
    "slowest input $(stat slowest_unit_time_sec) s, peak RSS $(stat peak_rss_mb) MB (log: $work/log)"
if [ "$status" -ne 0 ]; then
    grep -E 'ERROR|SUMMARY|Fatal error|failed:|Test unit written' "$work/log" | head -20
    echo "fuzz: FAILED (exit $status); replay the input with: $binary <artifact path above>"
    exit "$status"
fi
