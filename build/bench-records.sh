#!/usr/bin/env bash
# bench-records.sh — build/bench.sh records: issue 13's speed records. Each preset of DigitsML's TrainingPresets is
#   trained through ML.NET's Fit once per seed (bench/DigitsML.Bench --records; the time runs from the training rows in
#   memory to the fitted model: reading the rows, training, exporting the ONNX graph) and scored on MNIST's 10,000 test
#   images; then the PyTorch 1.13 peer trains PyTorch's MNIST example recipe (PyTorchExample, batch 64, Adadelta 1.0,
#   StepLR 0.7; bench/pytorch_peer.py --budget) for the same mean time per seed and is scored on the same images.
#     record-15s   goal: mean test accuracy >= 99.0 %  in <= 15 s
#     record-5min  goal: mean test accuracy >= 99.5 %  in <= 300 s
#     record-1h    goal: mean test accuracy >= 99.65 % in <= 3600 s  (only with --long: a soft-voting ensemble of 5
#                  record-5min networks, about 10 minutes a seed, so 5 seeds take about 52 minutes and as long again
#                  for the peer; --peer-seeds 1 shortens that)
#   Prints per preset the mean and longest fit time and the mean, minimum and maximum test accuracy of both sides.
# Usage: build/bench.sh records [--long] [--seeds N] [--peer-seeds N] [--only LIST] [--threads N] [--images N] [--no-peer]
#   --long        also the one-hour preset
#   --seeds N     seeds per preset, 1 to N (default 5)
#   --peer-seeds N seeds of the peer per preset (default: as --seeds); the peer's runs take as long as ours
#   --only LIST   comma-separated subset of record-15s, record-5min, record-1h
#   --threads N   CPU threads for both sides (default: nproc)
#   --images N    DigitsML trains on the first N training images only: a smoke run of the script, goals not judged
#   --no-peer     DigitsML only
# Run it on an otherwise idle machine: the goals are about wall time. Without --long: about 30 minutes with the peer.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '2,/^# Run it/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
ALL=(record-15s record-5min record-1h)
declare -A GOAL_ACC=([record-15s]=0.99 [record-5min]=0.995 [record-1h]=0.9965)
declare -A GOAL_S=([record-15s]=15 [record-5min]=300 [record-1h]=3600)
long=0 seeds=5 peer_seeds="" only="" threads="$(nproc)" peer=1 images=
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --seeds|--peer-seeds|--threads|--only|--images) (($# >= 2)) || die "$1 needs a value (see build/bench.sh records --help)" ;;&
        --seeds|--peer-seeds|--threads|--images)
            least=1
            [ "$1" = --images ] && least=2
            [[ "$2" =~ ^[0-9]+$ ]] && ((10#$2 >= least)) || die "$1 takes a whole number of at least $least, not '$2' (see build/bench.sh records --help)"
            case "$1" in --seeds) seeds="$((10#$2))" ;; --peer-seeds) peer_seeds="$((10#$2))" ;; --threads) threads="$((10#$2))" ;; *) images="$((10#$2))" ;; esac
            shift 2 ;;
        --only) only="$2"; shift 2 ;;
        --long) long=1; shift ;;
        --no-peer) peer=0; shift ;;
        *) die "unknown option '$1' (see build/bench.sh records --help)" ;;
    esac
done
selected=()
if [ -z "$only" ]; then
    selected=(record-15s record-5min)
    ((long)) && selected+=(record-1h)
else
    IFS=, read -ra wanted <<<"${only,,}"
    for w in "${wanted[@]}"; do
        [ -n "$w" ] || continue
        [[ " ${ALL[*]} " == *" $w "* ]] || die "--only: unknown preset '$w'; choose from ${ALL[*]}"
        [ "$w" != record-1h ] || ((long)) || die "record-1h runs only with --long (5 seeds take over an hour and a half with the peer)"
        [[ " ${selected[*]} " == *" $w "* ]] || selected+=("$w")
    done
    ((${#selected[@]})) || die "--only needs at least one of ${ALL[*]}"
fi

"$REPO_ROOT/build/setup.sh" --bench
if ((peer)); then
    /usr/bin/python3 -c 'import torch' 2>/dev/null \
        || die "/usr/bin/python3 cannot import torch: install Debian's python3-torch (build/setup.sh --bench does), or pass --no-peer"
fi
say "building (Release)"
build_quietly "$REPO_ROOT/bench/DigitsML.Bench/DigitsML.Bench.csproj"
bench_dll="$REPO_ROOT/bench/DigitsML.Bench/bin/Release/net10.0/DigitsML.Bench.dll"

pct() { awk -v a="$1" 'BEGIN { printf "%.2f", 100 * a }'; }

rows=()
for preset in "${selected[@]}"; do
    say "$preset: DigitsML, $seeds seed(s)"
    out="$(dotnet "$bench_dll" --records "$preset" --seeds "$seeds" --mnist "$MNIST_DIR" --threads "$threads" \
        ${images:+--images "$images"} | tee /dev/stderr)" \
        || die "DigitsML.Bench --records $preset failed: see the errors above"
    ours="$(grep -E '^records=' <<<"$out" | tail -n 1)" || die "DigitsML.Bench printed no records line"
    fit_mean="$(field fit_s_mean "$ours")" fit_max="$(field fit_s_max "$ours")"
    mean="$(field accuracy_mean "$ours")" min="$(field accuracy_min "$ours")" max="$(field accuracy_max "$ours")"
    verdict="not judged (smoke run)"
    [ -n "$images" ] || verdict="$(awk -v m="$mean" -v t="$fit_max" -v ga="${GOAL_ACC[$preset]}" -v gs="${GOAL_S[$preset]}" \
        'BEGIN { print (m >= ga && t <= gs) ? "met" : "MISSED" }')"
    peer_cols="-"
    if ((peer)); then
        say "$preset: PyTorch example recipe for $fit_mean s per seed, ${peer_seeds:-$seeds} seed(s)"
        pout="$(/usr/bin/python3 "$REPO_ROOT/bench/pytorch_peer.py" --budget "$fit_mean" --seeds "${peer_seeds:-$seeds}" --mnist "$MNIST_DIR" \
            --threads "$threads" | tee /dev/stderr)" || die "pytorch_peer.py --budget failed: see the errors above"
        theirs="$(grep -E '^budget_summary=' <<<"$pout" | tail -n 1)" || die "pytorch_peer.py printed no budget_summary line"
        peer_cols="$(pct "$(field accuracy_mean "$theirs")") / $(pct "$(field accuracy_min "$theirs")") / $(pct "$(field accuracy_max "$theirs")")"
    fi
    rows+=("$(printf '%-12s %-20s %8s %8s %24s %-22s %26s' "$preset" ">= $(pct "${GOAL_ACC[$preset]}") % in ${GOAL_S[$preset]} s" \
        "$fit_mean" "$fit_max" "$(pct "$mean") / $(pct "$min") / $(pct "$max")" "$verdict" "$peer_cols")")
done

printf '%-12s %-20s %8s %8s %24s %-22s %26s\n' preset goal "mean s" "max s" "DigitsML mean/min/max %" verdict "PyTorch example, same s"
printf '%s\n' "${rows[@]}"
printf '(%s seed(s) each (the peer %s), %s threads; time: ML.NET Fit from the rows in memory to the fitted model; accuracy on the 10,000\n' "$seeds" "${peer_seeds:-$seeds}" "$threads"
printf ' test images; the peer trains PyTorch'"'"'s MNIST example recipe for the DigitsML mean time per seed)\n'
printf '(%s, %s CPUs: %s; %s)\n' "$(uname -n)" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || echo unknown CPU)" "$(date -u +%Y-%m-%d)"
