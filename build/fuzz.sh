#!/usr/bin/env bash
# fuzz.sh — the model-zip fuzzer as a benchmark run: N structurally mutated model zips (default 10,000) loaded by
# ml.Model.LoadDigitsModel and scored once, in the test project's rotating-seed fuzz test with the counts raised; prints
# the mutants, escapes (exceptions other than DataFormatException), seconds, mutants/s and the largest peak-resident-memory
# rise over one mutant, and the seed that replays the run. Exit status 1 when a mutant escaped or a bound was broken.
# Usage: build/fuzz.sh [--mutants N] [--seed S] [--seconds T]
#   --mutants N  how many mutants (default 10000)
#   --seed S     the seed (default: drawn from the clock; printed)
#   --seconds T  stop after T seconds even if fewer mutants ran (default 3600)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mutants=10000 seed="" seconds=3600
while (($#)); do
    case "$1" in
        --mutants) mutants="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -n "$seed" ]] || seed=$(( $(date +%s%N) % 2147483647 ))

project="$REPO_ROOT/tests/DigitsML.Tests/DigitsML.Tests.csproj"
say "building the tests"
build_quietly "$project"
say "fuzzing $mutants model zips with seed $seed (at most $seconds s)"
log="$(mktemp)"
status=0
DIGITSML_FUZZ_SEED="$seed" DIGITSML_FUZZ_MUTANTS="$mutants" DIGITSML_FUZZ_SECONDS="$seconds" \
    dotnet test "$project" -c Release --no-build --logger "console;verbosity=detailed" \
    --filter "FullyQualifiedName~ModelZipFuzzTests.Load_MutatedModelZipsRotatingSeed" >"$log" 2>&1 || status=$?
grep -E "model zips: seed|mutants/s|failures\)|^ *mutant [0-9]+ \(" "$log" || true
if ((status != 0)); then
    grep -E "Failed|Assert|Expected|But was" "$log" | head -20 >&2 || true
    say "FAILED: replay with build/fuzz.sh --seed $seed --mutants $mutants (full log: $log)"
    exit 1
fi
rm -f "$log"
say "passed: no escapes (seed $seed)"
