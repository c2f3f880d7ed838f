#!/usr/bin/env bash
# Catalogue sync time: the real 220-model OpenRouter snapshot and a generated 5,000-model list, on SQLite
# and PostgreSQL (a throwaway cluster, fsync off), each beside the fetch-and-parse-only baseline of the same run.
# Usage: Benchmarks/sync.sh   (builds the release executables first)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=/opt/swift/usr/bin:$PATH
swift build -c release --static-swift-stdlib --product bench-fixture >/dev/null
"$(swift build -c release --static-swift-stdlib --show-bin-path)/bench-fixture" sync
