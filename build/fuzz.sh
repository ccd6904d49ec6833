#!/usr/bin/env bash
# fuzz.sh — the model-zip fuzzer as a benchmark run: N structurally mutated model zips (default 10,000) loaded by
# ml.Model.LoadDigitsModel and scored once, in the test project's rotating-seed fuzz test with the counts raised; prints
# the mutants, escapes (exceptions other than DataFormatException), seconds, mutants/s and the largest peak-resident-memory
# rise over one mutant, and the seed that replays the run. Exit status 1 when a mutant escaped or a bound was broken.
# With --readers it runs the other readers' fuzzer instead (ReaderFuzzTests: IDX images, IDX labels, network files,
# safetensors, image files as CheckImageFiles and digits predict decode them), N mutants each, T seconds each at most.
# With --web it posts mutated request bodies (a multipart form, a raw image, JSON pixels: N mutants of each) to the web
# sample's /api/digits and /api/numbers (RequestFuzzTests) and fails on any answer but a documented one.
# Usage: build/fuzz.sh [--readers | --web] [--mutants N] [--seed S] [--seconds T]
#   --readers    the IDX, network, safetensors and image readers, N mutants each, instead of the model zips
#   --web        the web sample's request parsers, N mutants of each seed body per endpoint
#   --mutants N  how many mutants (default 10000)
#   --seed S     the seed (default: drawn from the clock; printed)
#   --seconds T  stop after T seconds even if fewer mutants ran (default 3600)
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

mutants=10000 seed="" seconds=3600 mode=""
while (($#)); do
    case "$1" in
        --mutants) mutants="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --readers|--web) mode="$1"; shift ;;
        -h|--help) sed -n '2,/^#   --seconds/p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
[[ -n "$seed" ]] || seed=$(( $(date +%s%N) % 2147483647 ))

project="$REPO_ROOT/tests/DigitsML.Tests/DigitsML.Tests.csproj"
say "building the tests"
build_quietly "$project"
# Runs the fuzz tests matching $2 in test project $1 with $3 (NAME=VALUE settings), prints their report lines (matched by
# $4) once each, and exits: 0 when they passed, 1 with the replay command when not.
run_and_exit() {
    local project="$1" filter="$2" settings="$3" lines="$4" log status=0
    log="$(mktemp)"
    # shellcheck disable=SC2086 # the settings are NAME=VALUE words
    env $settings dotnet test "$project" -c Release --no-build --logger "console;verbosity=detailed" \
        --filter "$filter" >"$log" 2>&1 || status=$?
    grep -E "$lines" "$log" | sed "s/^ *//" | awk '!seen[$0]++' || true
    if ((status != 0)); then
        grep -E "Failed|Assert|Expected|But was" "$log" | head -20 >&2 || true
        say "FAILED: replay with build/fuzz.sh $mode --seed $seed --mutants $mutants (full log: $log)"
        exit 1
    fi
    rm -f "$log"
    say "passed: no escapes (seed $seed)"
    exit 0
}
if [ "$mode" = --readers ]; then
    say "fuzzing each reader with $mutants mutants, seed $seed (at most $seconds s each)"
    run_and_exit "$project" "FullyQualifiedName~ReaderFuzzTests" \
        "DIGITSML_FUZZ_READER_SEED=$seed DIGITSML_FUZZ_READER_MUTANTS=$mutants DIGITSML_FUZZ_SECONDS=$seconds" \
        "^ *[A-Za-z -]+: seed [0-9]+, [0-9]+ mutants"
fi
if [ "$mode" = --web ]; then
    web="$REPO_ROOT/tests/DigitsML.WebApp.Tests/DigitsML.WebApp.Tests.csproj"
    say "building the web sample's tests"
    build_quietly "$web"
    say "posting $mutants mutants of each seed body (form, raw image, JSON pixels) to each endpoint, seed $seed"
    run_and_exit "$web" "FullyQualifiedName~RequestFuzzTests" \
        "DIGITSML_FUZZ_WEB_SEED=$seed DIGITSML_FUZZ_WEB_MUTANTS=$mutants" "^ */api/[a-z]+: seed [0-9]+"
fi
say "fuzzing $mutants model zips with seed $seed (at most $seconds s)"
run_and_exit "$project" "FullyQualifiedName~ModelZipFuzzTests.Load_MutatedModelZipsRotatingSeed" \
    "DIGITSML_FUZZ_SEED=$seed DIGITSML_FUZZ_MUTANTS=$mutants DIGITSML_FUZZ_SECONDS=$seconds" \
    "model zips: seed|mutants/s|failures\)|^ *mutant [0-9]+ \("
