#!/usr/bin/env bash
# run.sh — set up, build, then train the default digit model on the 60,000 MNIST training images,
# evaluate it on the 10,000 test images (metrics and confusion table) and save it.
# Usage: build/run.sh [extra `digits train` options, e.g. --epochs 5 --arch SeedNet]
# The model is written to artifacts/digits-model.zip unless --out is given.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$REPO_ROOT/build/setup.sh"
say "building (Release)"
build_quietly "$REPO_ROOT/src/DigitsML.Cli/DigitsML.Cli.csproj"
mkdir -p "$REPO_ROOT/artifacts"
say "training"
defaults=()
[[ " $* " == *" --data "* ]] || defaults+=(--data "$MNIST_DIR")
[[ " $* " == *" --out "* ]] || defaults+=(--out "$REPO_ROOT/artifacts/digits-model.zip")
exec dotnet "$REPO_ROOT/src/DigitsML.Cli/bin/Release/net10.0/digits.dll" train "${defaults[@]}" "$@"
