#!/usr/bin/env bash
# test.sh — set up, build, run the whole NUnit suite (the Slow category included) and end with the
# line "N passed, N failed[, N skipped]". Exit status is non-zero when anything failed.
# Usage: build/test.sh [extra `dotnet test` arguments, e.g. --filter TestCategory!=Slow]
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$REPO_ROOT/build/setup.sh" --test
results="$REPO_ROOT/artifacts/test-results"
rm -rf "$results"
say "building and testing"
set +e
dotnet test "$REPO_ROOT/DigitsML.sln" -c Release --logger "trx;LogFilePrefix=results" \
    --results-directory "$results" -nologo "$@"
status=$?
set -e

passed=0 failed=0 skipped=0
for trx in "$results"/*.trx; do
    [ -f "$trx" ] || continue
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    value() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    passed=$((passed + $(value passed)))
    failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
    skipped=$((skipped + $(value total) - $(value executed)))  # NUnit's ignored tests are not executed
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
    failed=1  # the build or the test host failed before any result was written
fi
summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
