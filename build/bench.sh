#!/usr/bin/env bash
# bench.sh — one training epoch of SeedNet and of the PyTorch example network, with DigitsML and
# with the PyTorch peer script (Debian's python3-torch: the same libtorch), same batch size,
# optimizer and thread count; prints images/s for both and their ratio (goal: >= 1.0).
# Usage: build/bench.sh [repeats, default 1]   Run it on an otherwise idle machine.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

repeats="${1:-1}"
threads="$(nproc)"
"$REPO_ROOT/build/setup.sh"
say "building (Release)"
build_quietly "$REPO_ROOT/bench/DigitsML.Bench/DigitsML.Bench.csproj"
bench_dll="$REPO_ROOT/bench/DigitsML.Bench/bin/Release/net10.0/DigitsML.Bench.dll"

printf '%-16s %5s %14s %14s %7s\n' network run "DigitsML img/s" "PyTorch img/s" ratio
for arch in SeedNet PyTorchExample; do
    for run in $(seq 1 "$repeats"); do
        ours="$(dotnet "$bench_dll" --arch "$arch" --mnist "$MNIST_DIR" --batch-size 64 --threads "$threads" | awk '{print $4}')"
        peer="$(/usr/bin/python3 "$REPO_ROOT/bench/pytorch_peer.py" --arch "$arch" --mnist "$MNIST_DIR" --batch-size 64 --threads "$threads" | awk '{print $4}')"
        printf '%-16s %5s %14s %14s %7.2f\n' "$arch" "$run" "$ours" "$peer" "$(awk -v a="$ours" -v b="$peer" 'BEGIN { print a / b }')"
    done
done
echo "($threads threads, batch 64, Adadelta lr 1.0, one epoch of 60,000 images, $(date -u +%Y-%m-%d))"
