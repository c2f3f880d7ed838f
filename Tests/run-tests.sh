#!/usr/bin/env bash
# The whole test suite (`make test`): builds once in release, runs every test with all temp
# files under one run directory, then searches everything the run logged or wrote for the
# test API keys (they all contain the marker below): finding one fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

marker="NEVER-LOGGED"
run=$(mktemp -d /tmp/gateway-test-run.XXXXXX)
# PostgreSQL's throwaway cluster runs as the `postgres` user when the tests run as root.
chmod 755 "$run"
mkdir -p "$run/tmp" && chmod 1777 "$run/tmp"
# What a run leaves for people to look at (the console's screenshots); kept when the run passes.
export GATEWAY_TEST_ARTIFACTS="$run/artifacts"
mkdir -p "$GATEWAY_TEST_ARTIFACTS"

status=0
# Formatting is part of the suite: the code must be as `make format` leaves it (.swift-format).
if ! swift format lint --strict --configuration .swift-format --recursive $(cat .swift-format-paths); then
    echo "FAIL: unformatted Swift code (run: make format)" >&2
    status=1
fi
# One build: `swift test` without --skip-build would compile every module again with other flags.
swift build -c release --build-tests
TMPDIR="$run/tmp" swift test -c release --skip-build 2>&1 | tee "$run/test-output.log" || status=$?
# The store tests run on both backends already; the integration tests (real function processes,
# nginx, fcgiwrap) run again with every function on PostgreSQL.
echo "--- integration tests again, on PostgreSQL"
TMPDIR="$run/tmp" GATEWAY_TEST_BACKEND=postgres swift test -c release --skip-build --filter '^IntegrationTests\.' 2>&1 \
    | tee "$run/test-output-postgres.log" || status=$?

# Fuzzing smoke run: each libFuzzer harness for 5 s from its seeds (replays every regression-* input).
echo "--- fuzzing, 5 s per harness"
TMPDIR="$run/tmp" Fuzz/run.sh 5 2>&1 | tee "$run/fuzz-output.log" || status=$?

if grep -rla "$marker" "$run" >/dev/null 2>&1; then
    echo "FAIL: a test API key appears in what the test run logged or wrote:" >&2
    grep -rla "$marker" "$run" >&2 || true
    status=1
else
    echo "secrets check: no test API key in $(find "$run" -type f | wc -l) files the test run logged or wrote"
fi
if [ "$status" = 0 ]; then
    find "$run" -mindepth 1 -maxdepth 1 ! -name artifacts -exec rm -rf {} +
    echo "screenshots and other artifacts of this run: $GATEWAY_TEST_ARTIFACTS"
fi
exit "$status"
