#!/usr/bin/env bash
# usage-stats at scale: a 30-day daily query for a user with 1,000,000 usage rows (5,000,000 in the table),
# on SQLite and PostgreSQL, beside the same figures summed from the raw rows. Seeding takes a few minutes.
# Usage: Benchmarks/usage.sh   (builds the release executables first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --static-swift-stdlib >/dev/null
BIN=$(swift build -c release --static-swift-stdlib --show-bin-path)
"$BIN/bench-fixture" usage "$BIN"
