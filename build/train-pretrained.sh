#!/usr/bin/env bash
# train-pretrained.sh — trains the models shipped inside DigitsML.Scoring (src/DigitsML.Scoring/Pretrained) from scratch,
# on MNIST's training images only, and measures them:
#   reader   the line reader: `digits train-reader` with its default recipe (CTC, 6,000 steps of 32 numbers made on the
#            fly from training digits 0-54,999, chosen on numbers made from the held-out digits 55,000-59,999)
#   digits   the digit classifier: the soft vote of four QuickNets of two recipes that err differently — the robust
#            default (30 epochs, photometric and geometric augmentation, seed 1) and record-5min (15 epochs, rotations
#            and shifts, seeds 2, 3 and 4) — combined by `digits ensemble` into one ONNX graph in one ML.NET zip
# Every step keeps a checkpoint in the work folder and a finished step is not redone, so an interrupted run resumes where
# it stopped (run the same command again). With --install the models are copied into src/DigitsML.Scoring/Pretrained and
# manifest.json is rewritten there: SHA-256, the command, the recipe, the data and the figures measured here (MNIST test
# accuracy of the classifier; whole numbers of the reader on the project's numbers benchmark). Nothing is chosen on
# MNIST's test set: the recipes are fixed above, the reader keeps its best state on held-out training digits.
# Usage: build/train-pretrained.sh [--work DIR] [--only reader|digits] [--install]
#   --work DIR   where models, checkpoints and logs go (default: artifacts/pretrained)
#   --only X     train only the reader or only the classifier
#   --install    copy the models into src/DigitsML.Scoring/Pretrained and write its manifest.json
# Takes about 45 minutes for the reader and 15 for the classifier on an idle 2-core machine.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '2,/^# Takes/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
work="$REPO_ROOT/artifacts/pretrained" only="" install=0
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --work) (($# >= 2)) || die "--work needs a folder"; work="$2"; shift 2 ;;
        --only) (($# >= 2)) && [[ "$2" =~ ^(reader|digits)$ ]] || die "--only takes reader or digits"; only="$2"; shift 2 ;;
        --install) install=1; shift ;;
        *) die "unknown argument '$1' (see build/train-pretrained.sh --help)" ;;
    esac
done
mkdir -p "$work"
work="$(cd "$work" && pwd)"
"$REPO_ROOT/build/setup.sh"
say "building the digits tool (Release)"
build_quietly "$REPO_ROOT/src/DigitsML.Cli/DigitsML.Cli.csproj"
digits() { dotnet "$REPO_ROOT/src/DigitsML.Cli/bin/Release/net10.0/digits.dll" "$@"; }

# Runs "$@" unless $1 (the step's output) exists; its stdout and stderr go to $1.log as well.
step() {
    local out="$1"; shift
    if [ -f "$out" ]; then say "$(basename "$out") is there: not trained again"; return; fi
    say "making $(basename "$out"): $*"
    local start=$SECONDS
    "$@" 2>&1 | tee "$out.log"
    ((PIPESTATUS[0] == 0)) || die "making $(basename "$out") failed: see $out.log"
    echo "$((SECONDS - start))" > "$out.seconds"
}

if [ "$only" != digits ]; then
    step "$work/reader.zip" digits train-reader --data "$MNIST_DIR" --out "$work/reader.zip" --checkpoint "$work/reader.checkpoint.json"
fi
if [ "$only" != reader ]; then
    # --resume only when a checkpoint is there: `digits train --resume` refuses a missing one.
    resume() { [ -f "$1" ] && echo --resume; true; }
    step "$work/member-robust.zip" digits train --data "$MNIST_DIR" --preset default --seed 1 --out "$work/member-robust.zip" \
        --checkpoint "$work/member-robust.checkpoint" $(resume "$work/member-robust.checkpoint")
    for seed in 2 3 4; do
        step "$work/member-record-$seed.zip" digits train --data "$MNIST_DIR" --preset record-5min --seed "$seed" \
            --out "$work/member-record-$seed.zip" --checkpoint "$work/member-record-$seed.checkpoint" \
            $(resume "$work/member-record-$seed.checkpoint")
    done
    step "$work/digits.zip" digits ensemble "$work/member-robust.zip" "$work/member-record-2.zip" "$work/member-record-3.zip" \
        "$work/member-record-4.zip" --vote soft --data "$MNIST_DIR" --out "$work/digits.zip"
fi
((install)) || { say "models in $work (add --install to ship them)"; exit 0; }

target="$REPO_ROOT/src/DigitsML.Scoring/Pretrained"
[ -f "$work/reader.zip" ] && [ -f "$work/digits.zip" ] || die "--install needs both $work/reader.zip and $work/digits.zip"
say "measuring the classifier on MNIST's test set"
digits evaluate "$work/digits.zip" --data "$MNIST_DIR" --json > "$work/digits.evaluate.json" || die "digits evaluate failed"
say "measuring the reader on the numbers benchmark (MNIST test digits) and its conditions set"
"$REPO_ROOT/bench/numbers/bench-numbers.sh" "$work/reader.zip" | tee "$work/reader.numbers.txt"
"$REPO_ROOT/bench/numbers/bench-numbers.sh" "$work/reader.zip" --set conditions | tee "$work/reader.conditions.txt"
mkdir -p "$target"
cp "$work/digits.zip" "$target/digits.zip"
cp "$work/reader.zip" "$target/reader.zip"
/usr/bin/python3 "$REPO_ROOT/build/package/write_manifest.py" --work "$work" --target "$target" \
    || die "writing the manifest failed"
say "installed in $target: commit digits.zip, reader.zip and manifest.json"
