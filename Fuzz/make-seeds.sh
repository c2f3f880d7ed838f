#!/usr/bin/env bash
# Writes the seed corpora under Fuzz/Corpus again (after a change to Fuzz/Harnesses/*Seeds.swift):
# FastCGI streams from the project's own FastCGI client, the recorded provider streams, and the
# hand-written inputs. Deterministic: on an unchanged tree, `git status` shows no change. The
# `regression-*` seeds (inputs that once found a defect) are kept as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
Fuzz/build.sh
scratch=$(mktemp -d /tmp/fuzz-seeds.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
mkdir -p Fuzz/Corpus
find Fuzz/Corpus -type f ! -name 'regression-*' -delete
TMPDIR="$scratch" FUZZ_WRITE_SEEDS=Fuzz/Corpus .build-fuzz/fuzz/fuzz-harnesses
