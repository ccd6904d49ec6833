#!/usr/bin/env bash
# train-pretrained.sh — trains the models shipped inside DigitsML.Scoring (src/DigitsML.Scoring/Pretrained) from scratch,
# on MNIST's training images only, and measures them:
#   reader   the line reader: `digits train-reader` with its default recipe (CTC, 6,000 steps of 32 numbers made on the
#            fly from training digits 0-54,999, chosen on numbers made from the held-out digits 55,000-59,999)
#   digits   the digit classifier: the soft vote of two QuickNets of the robust default recipe (seeds 3 and 4; 30 epochs,
#            photometric and geometric augmentation), each trained on training images 0-54,999 with one libtorch thread
#            (the same command then gives the same weights on this machine), combined by `digits ensemble` into one ONNX
#            graph in one ML.NET zip; then measured on what it was chosen on (training images 55,000-59,999 under the
#            15 corruptions, the low-resolution set's validation fonts: docs/robustness.md says what else was tried)
# Every step keeps a checkpoint in the work folder and a finished step is not redone, so an interrupted run resumes where
# it stopped (run the same command again). With --install the models are copied into src/DigitsML.Scoring/Pretrained and
# manifest.json is rewritten there: SHA-256, the command, the recipe, the data and the figures measured here (MNIST test
# accuracy of the classifier; whole numbers of the reader on the project's numbers benchmark). Nothing is chosen on
# MNIST's test set: the recipes are fixed above, the reader keeps its best state on held-out training digits.
# Usage: build/train-pretrained.sh [--work DIR] [--only reader|digits] [--install]
#   --work DIR   where models, checkpoints and logs go (default: artifacts/pretrained)
#   --only X     train only the reader or only the classifier
#   --install    copy the models into src/DigitsML.Scoring/Pretrained and write its manifest.json
# Takes about 45 minutes for the reader and 15 for the classifier on an idle 2-core machine (the classifier's members
# took 766 and 705 s side by side on a busy one).
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
# The classifier's members, NAME|`digits train` ARGUMENTS, each trained on the first TRAIN_COUNT training images.
MEMBERS=("robust-3|--preset default --seed 3" "robust-4|--preset default --seed 4")
TRAIN_COUNT=55000
printf '%s\n' "${MEMBERS[@]}" > "$work/members.txt"
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
    zips=()
    for member in "${MEMBERS[@]}"; do
        name="${member%%|*}" args="${member#*|}"
        # shellcheck disable=SC2086 # the member's arguments are words
        step "$work/member-$name.zip" digits train --data "$MNIST_DIR" $args --train-count "$TRAIN_COUNT" --threads 1 \
            --out "$work/member-$name.zip" --checkpoint "$work/member-$name.checkpoint" $(resume "$work/member-$name.checkpoint")
        zips+=("$work/member-$name.zip")
    done
    if ((${#zips[@]} == 1)); then
        [ -f "$work/digits.zip" ] || cp "${zips[0]}" "$work/digits.zip"
    else
        step "$work/digits.zip" digits ensemble "${zips[@]}" --vote soft --data "$MNIST_DIR" --out "$work/digits.zip"
    fi
    # The figures the members were chosen on: training images 55,000-59,999 (never trained on) under the 15
    # corruptions, and the validation fonts of the low-resolution set.
    say "measuring the classifier on the held-out sets it was chosen on"
    heldout="$DIGITSML_CACHE/robust/heldout-55000-60000"
    [ -f "$heldout/corruptions/index.tsv" ] || /usr/bin/python3 "$REPO_ROOT/bench/robust/make_robust.py" --mnist "$MNIST_DIR" \
        --out "$heldout" --train-slice 55000:60000 --no-writers >/dev/null || die "making the held-out robustness set failed"
    "$REPO_ROOT/build/bench-robust.sh" "$work/digits.zip" --set "$heldout" | tee "$work/digits.heldout.txt"
    "$REPO_ROOT/build/bench-robust.sh" "$work/digits.zip" --lowres-only | tee "$work/digits.lowres.txt"
fi
((install)) || { say "models in $work (add --install to ship them)"; exit 0; }

target="$REPO_ROOT/src/DigitsML.Scoring/Pretrained"
[ -f "$work/reader.zip" ] && [ -f "$work/digits.zip" ] || die "--install needs both $work/reader.zip and $work/digits.zip"
say "measuring the classifier on MNIST's test set and the robustness benchmark (test-derived corruptions, other writers)"
digits evaluate "$work/digits.zip" --data "$MNIST_DIR" --json > "$work/digits.evaluate.json" || die "digits evaluate failed"
"$REPO_ROOT/build/bench-robust.sh" "$work/digits.zip" --no-peer | tee "$work/digits.robust.txt"
say "measuring the reader on the numbers benchmark (MNIST test digits) and its conditions set"
"$REPO_ROOT/bench/numbers/bench-numbers.sh" "$work/reader.zip" | tee "$work/reader.numbers.txt"
"$REPO_ROOT/bench/numbers/bench-numbers.sh" "$work/reader.zip" --set conditions | tee "$work/reader.conditions.txt"
mkdir -p "$target"
cp "$work/digits.zip" "$target/digits.zip"
cp "$work/reader.zip" "$target/reader.zip"
/usr/bin/python3 "$REPO_ROOT/build/package/write_manifest.py" --work "$work" --target "$target" \
    || die "writing the manifest failed"
say "installed in $target: commit digits.zip, reader.zip and manifest.json"
