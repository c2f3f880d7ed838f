#!/usr/bin/env bash
# Fuzz/run.sh [seconds-per-harness] [harness...]: builds the harnesses (Fuzz/build.sh) and runs each
# with libFuzzer for the given time (default 60 s), starting from its committed seeds in
# Fuzz/Corpus/<harness>. What libFuzzer finds goes to a temporary directory: the committed seeds
# never grow. A crash, a timeout (one input running over 10 s), a leak or a memory blow-up (over
# 2 GiB) fails the run; the input that caused it is kept in the artifacts directory printed below.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
binary=.build-fuzz/fuzz
mkdir -p .build-fuzz
started=$(date +%s)
if ! Fuzz/build.sh >.build-fuzz/build.log 2>&1; then
    tail -40 .build-fuzz/build.log >&2
    echo "FAIL: the fuzz harnesses did not build (.build-fuzz/build.log)" >&2
    exit 1
fi
echo "built the harnesses in $(($(date +%s) - started)) s"
if [ "$#" -gt 0 ]; then harnesses=("$@"); else mapfile -t harnesses < <(FUZZ_LIST_HARNESSES=1 "$binary/fuzz-harnesses"); fi

work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-run.XXXXXX")
artifacts="$work/artifacts"
mkdir -p "$artifacts" "$work/tmp"
echo "fuzzing ${#harnesses[@]} harnesses for ${seconds} s each; crash artifacts go to $artifacts"
# The Swift runtime's own backtracer would race libFuzzer's crash handler (and may hang): off.
export SWIFT_BACKTRACE=enable=no
export TMPDIR="$work/tmp"

failed=()
printf '%-22s %10s %8s %10s %7s  %s\n' harness "execs/s" corpus "bytes" cov result
for harness in "${harnesses[@]}"; do
    corpus="$work/corpus/$harness"
    log="$work/$harness.log"
    mkdir -p "$corpus"
    dictionary=()
    [ -f "Fuzz/Dictionaries/$harness.dict" ] && dictionary=("-dict=Fuzz/Dictionaries/$harness.dict")
    status=0
    "$binary/$harness" "$corpus" "Fuzz/Corpus/$harness" "${dictionary[@]}" -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -artifact_prefix="$artifacts/$harness-" -print_final_stats=1 >"$log" 2>&1 || status=$?
    # The last status line: "#N DONE cov: C ft: F corp: U/Bb ..." (or the last pulse before a crash).
    line=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    corp=$(sed -nE 's/.* corp: ([0-9]+)\/([0-9]+[a-zA-Z]*).*/\1 \2/p' <<<"$line")
    cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$line")
    rate=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+)/\1/p' "$log")
    if [ "$status" = 0 ]; then result=ok; else result="FAILED (exit $status)"; failed+=("$harness"); fi
    printf '%-22s %10s %8s %10s %7s  %s\n' "$harness" "${rate:-?}" "${corp% *}" "${corp#* }" "${cov:-?}" "$result"
    if [ "$status" != 0 ]; then
        grep -E 'Fatal error|ERROR: |SUMMARY|Test unit written' "$log" | head -5 | sed 's/^/    /'
        echo "    full log: $log"
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "FAIL: ${failed[*]}; inputs in $artifacts (reproduce: SWIFT_BACKTRACE=enable=no $binary/<harness> <input>)" >&2
    exit 1
fi
rm -rf "$work"
echo "no crash, timeout or leak"
