#!/usr/bin/env bash
# bench.sh — DigitsML against the PyTorch 1.13 peer (bench/pytorch_peer.py on Debian's python3-torch), one after the
# other on this machine in this run, with the same networks, optimizer, batch size, data and thread count:
#   training, one epoch each (images/s of both sides and their ratio):
#     seednet         SeedNet, batch 64, Adadelta lr 1.0                          goal >= 1.5x the peer
#     pytorchexample  PyTorchExample, batch 64, Adadelta lr 1.0                   goal >= 1.5x the peer
#     m5              M5, batch 120, Adam 0.001 (no augmentation, no averaging)   goal >= 1.0x the peer
#     anetal          M5 with the whole An et al. recipe (rotation ±20°, shift ±20 %, weight EMA 0.999)
#                     goal: its epoch <= 1.15x the plain M5 epoch (shown for both sides)
#   latency           batch-1 inference of SeedNet and PyTorchExample (eval mode, no grad), median and p99 in µs
#   scoring           through the real ML.NET, for SeedNet, DigitNet and QuickNet (the default) saved and loaded as model zips: prediction-engine
#                     latency (median, p99), the engine pool's predictions/s on all threads, and the seconds to
#                     batch-score the 10,000 test images, beside the PyTorch 1.13 peer's batch-1 median of that network
#   normalize         NormalizeDigit's time per image, decoding included (DigitFeatures.FromImage, one thread): MNIST
#                     digits as 28 x 28 PNGs, each condition of the photo set (tests/DigitsML.Scoring.Tests/Photos),
#                     and its phone photos enlarged to 12 megapixels; median and p90 in ms (no peer)
#   pretrained        the models shipped in DigitsML.Scoring, as an app loads them: ml.Model.LoadPretrainedDigits through a
#                     prediction engine (median, p99 in µs; issue 23's goal: median <= 150 µs on one core), beside its
#                     ONNX graph alone with one ONNX Runtime thread, through ML.NET and bare; ml.Model.LoadPretrainedReader
#                     reading 100 six-digit numbers of MNIST test digits drawn on paper (ms per number, PNG decoding included)
#   records           issue 13's speed-record presets over 5 seeds (time, mean/min/max test accuracy) beside the PyTorch
#                     example recipe given the same time (build/bench.sh records --help; build/bench-records.sh)
#   robust            a saved model's accuracy on MNIST under 15 corruptions and on digits by other writers, beside a
#                     PyTorch peer, then on the low-resolution set's validation and test splits (issue 23)
#                     (build/bench.sh robust --help; build/bench-robust.sh; docs/robustness.md)
#   numbers           a saved model reading whole handwritten numbers: whole-number and per-digit accuracy
#                     (build/bench.sh numbers --help; bench/numbers/bench-numbers.sh; docs/reading.md)
# Usage: build/bench.sh [repeats] [--only LIST] [--images N] [--threads N] [--peer-only]
#        build/bench.sh records [--long] [--seeds N] [--only LIST] [--threads N] [--no-peer]
#        build/bench.sh robust [MODEL.zip] [--peer-epochs N] [--threads N] [--no-peer] [--lowres-only] [--detail]
#        build/bench.sh numbers [MODEL.zip] [--set numbers|conditions] [--digits test|heldout] [--count N] [--uncertain-below P]
#   repeats      runs of every measurement, alternating which side goes first (default 1); several give a median row
#   --only LIST  comma-separated subset of seednet, pytorchexample, m5, anetal, latency, scoring, normalize, pretrained
#                (default all)
#   --images N   train on the first N training images only: a quick smoke run (goals are judged on full epochs only)
#   --threads N  CPU threads for both sides (default: nproc)
#   --peer-only  run only the PyTorch side, without building DigitsML
# Run it on an otherwise idle machine; a full run on 2 cores takes about 20 minutes, mostly the four M5 epochs.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
if [ "${1:-}" = robust ]; then
    shift
    exec "$REPO_ROOT/build/bench-robust.sh" "$@"
fi
if [ "${1:-}" = numbers ]; then
    shift
    exec "$REPO_ROOT/bench/numbers/bench-numbers.sh" "$@"
fi
if [ "${1:-}" = records ]; then
    shift
    exec "$REPO_ROOT/build/bench-records.sh" "$@"
fi

ALL=(seednet pytorchexample m5 anetal latency scoring normalize pretrained)
usage() { sed -n '2,/^# Run it/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
positive() { [[ "$2" =~ ^[0-9]+$ ]] && ((10#$2 >= ${3:-1})) || die "$1 takes a whole number of at least ${3:-1}, not '$2' (see build/bench.sh --help)"; }

repeats=1 threads="$(nproc)" images="" peer_only=0 only=""
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --only|--images|--threads) (($# >= 2)) || die "$1 needs a value (see build/bench.sh --help)" ;;&
        --only) only="$2"; shift 2 ;;
        --images) positive --images "$2" 2; images="$((10#$2))"; shift 2 ;;
        --threads) positive --threads "$2"; threads="$((10#$2))"; shift 2 ;;
        --peer-only) peer_only=1; shift ;;
        -*) die "unknown option '$1' (see build/bench.sh --help)" ;;
        *) positive repeats "$1"; repeats="$((10#$1))"; shift ;;
    esac
done
selected=()
if [ -z "$only" ]; then
    selected=("${ALL[@]}")
else
    choices="$(IFS=,; echo "${ALL[*]}")"
    IFS=, read -ra wanted <<<"${only,,}"
    for w in "${wanted[@]}"; do
        [ -n "$w" ] || continue
        [[ " ${ALL[*]} " == *" $w "* ]] || die "--only: unknown part '$w'; choose from ${choices//,/, }"
        [[ " ${selected[*]} " == *" $w "* ]] || selected+=("$w")
    done
    ((${#selected[@]})) || die "--only needs at least one of ${choices//,/, }"
fi
wants() { [[ " ${selected[*]} " == *" $1 "* ]]; }

"$REPO_ROOT/build/setup.sh" --bench
/usr/bin/python3 -c 'import torch' 2>/dev/null \
    || die "/usr/bin/python3 cannot import torch: install Debian's python3-torch (build/setup.sh --bench does)"
peer_py="$REPO_ROOT/bench/pytorch_peer.py"
bench_dll="$REPO_ROOT/bench/DigitsML.Bench/bin/Release/net10.0/DigitsML.Bench.dll"
if ((!peer_only)); then
    say "building (Release)"
    build_quietly "$REPO_ROOT/bench/DigitsML.Bench/DigitsML.Bench.csproj"
fi

# One measurement by one side ("ours" or "peer"): prints its result line.
measure() {
    local side="$1" out
    shift
    if [ "$side" = ours ]; then
        out="$(dotnet "$bench_dll" "$@" --mnist "$MNIST_DIR" --threads "$threads")" \
            || die "DigitsML.Bench $* failed: see the errors above"
    else
        out="$(/usr/bin/python3 "$peer_py" "$@" --mnist "$MNIST_DIR" --threads "$threads")" \
            || die "pytorch_peer.py $* failed: see the errors above"
    fi
    out="$(grep -E '^(recipe|latency|scoring)=' <<<"$out" | tail -n 1)" || die "$side $* printed no result line"
    [ "$(field threads "$out")" = "$threads" ] || say "warning: $side ran with $(field threads "$out") threads, not $threads"
    printf '%s\n' "$out"
}
# Both sides of one measurement, the side going first alternating with the run number: sets the globals ours and peer.
both() {
    local run="$1"
    shift
    ours="-"
    if ((peer_only)); then
        peer="$(measure peer "$@")"
    elif ((run % 2)); then
        ours="$(measure ours "$@")"
        peer="$(measure peer "$@")"
    else
        peer="$(measure peer "$@")"
        ours="$(measure ours "$@")"
    fi
}
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { printf "%.1f", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
div() { [ "$1" = "-" ] || [ "$2" = "-" ] && echo "-" || awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
# "met" or "MISSED" for a value against a goal ("ge" or "le"); not judged on smoke runs or without DigitsML figures.
verdict() {
    if [ "$1" = "-" ]; then echo "-"
    elif [ -n "$images" ]; then echo "not judged (smoke run)"
    else awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == "ge") ? v >= g : v <= g; print ok ? "met" : "MISSED" }'
    fi
}

declare -A LABEL=([seednet]="SeedNet, b64 Adadelta 1.0" [pytorchexample]="PyTorchExample, b64 Adadelta" \
                  [m5]="M5, b120 Adam 0.001" [anetal]="M5, An et al. (aug+EMA)")
declare -A GOAL=([seednet]=1.5 [pytorchexample]=1.5 [m5]=1.0)
declare -A OURS_IPS PEER_IPS
images_opt=()
[ -n "$images" ] && images_opt=(--images "$images")

recipes=()
for r in seednet pytorchexample m5 anetal; do wants "$r" && recipes+=("$r"); done
if ((${#recipes[@]})); then
    say "training: ${recipes[*]}, $repeats run(s) each"
    printf '%-30s %6s %15s %15s %7s  %s\n' "network, recipe" run "DigitsML img/s" "PyTorch img/s" ratio goal
    for r in "${recipes[@]}"; do
        ours_all=() peer_all=()
        for run in $(seq 1 "$repeats"); do
            both "$run" --recipe "$r" "${images_opt[@]}"
            o="-"
            [ "$ours" = "-" ] || o="$(field images_per_s "$ours")"
            p="$(field images_per_s "$peer")"
            ours_all+=("$o") peer_all+=("$p")
            goal=""
            if ((repeats == 1)) && [ -n "${GOAL[$r]:-}" ]; then
                goal=">= ${GOAL[$r]}x: $(verdict "$(div "$o" "$p")" ge "${GOAL[$r]}")"
            fi
            printf '%-30s %6s %15s %15s %7s  %s\n' "${LABEL[$r]}" "$run" "$o" "$p" "$(div "$o" "$p")" "$goal"
        done
        o="-"
        ((peer_only)) || o="$(median "${ours_all[@]}")"
        p="$(median "${peer_all[@]}")"
        OURS_IPS[$r]="$o" PEER_IPS[$r]="$p"
        if ((repeats > 1)); then
            goal=""
            [ -n "${GOAL[$r]:-}" ] && goal=">= ${GOAL[$r]}x: $(verdict "$(div "$o" "$p")" ge "${GOAL[$r]}")"
            printf '%-30s %6s %15s %15s %7s  %s\n' "${LABEL[$r]}" median "$o" "$p" "$(div "$o" "$p")" "$goal"
        fi
    done
    if wants m5 && wants anetal; then
        # Same number of images, so the epoch-time ratio is the inverse ratio of the images per second.
        ours_cost="$(div "${OURS_IPS[m5]}" "${OURS_IPS[anetal]}")"
        peer_cost="$(div "${PEER_IPS[m5]}" "${PEER_IPS[anetal]}")"
        printf 'An et al. epoch / plain M5 epoch: DigitsML %s, PyTorch %s  (goal DigitsML <= 1.15: %s)\n' \
            "$ours_cost" "$peer_cost" "$(verdict "$ours_cost" le 1.15)"
    fi
    printf '(%s threads; one epoch of %s training images; shuffled, seed 1, constant learning rate within the epoch;\n' \
        "$threads" "${images:-60000}"
    printf ' ratio = DigitsML images/s / PyTorch images/s)\n'
fi

if wants latency; then
    say "latency: SeedNet, PyTorchExample, $repeats run(s) each"
    printf '%-30s %6s %15s %9s %15s %9s %7s\n' "batch-1 latency, us" run "DigitsML median" p99 "PyTorch median" p99 ratio
    for arch in SeedNet PyTorchExample; do
        om=() op=() pm=() pp=()
        for run in $(seq 1 "$repeats"); do
            both "$run" --latency "$arch"
            a="-" b="-"
            [ "$ours" = "-" ] || { a="$(field median_us "$ours")"; b="$(field p99_us "$ours")"; }
            c="$(field median_us "$peer")" d="$(field p99_us "$peer")"
            om+=("$a") op+=("$b") pm+=("$c") pp+=("$d")
            printf '%-30s %6s %15s %9s %15s %9s %7s\n' "$arch" "$run" "$a" "$b" "$c" "$d" "$(div "$c" "$a")"
        done
        if ((repeats > 1)); then
            a="-" b="-"
            ((peer_only)) || { a="$(median "${om[@]}")"; b="$(median "${op[@]}")"; }
            c="$(median "${pm[@]}")" d="$(median "${pp[@]}")"
            printf '%-30s %6s %15s %9s %15s %9s %7s\n' "$arch" median "$a" "$b" "$c" "$d" "$(div "$c" "$a")"
        fi
    done
    printf '(%s threads; 2,000 timed single-image forwards of test images after 5,000 untimed, softmax included;\n' "$threads"
    printf ' ratio = PyTorch median / DigitsML median, above 1 when DigitsML is faster)\n'
fi
if wants scoring && ! ((peer_only)); then
    say "scoring through ML.NET: SeedNet, DigitNet, QuickNet, $repeats run(s) each, beside PyTorch's batch-1 latency"
    printf '%-12s %6s %15s %9s %16s %18s %15s\n' network run "engine median" p99 "pool predictions/s" "10,000 batch-scored, s" "PyTorch median"
    for arch in SeedNet DigitNet QuickNet; do
        for run in $(seq 1 "$repeats"); do
            ours="$(measure ours --scoring "$arch")"
            peer="$(measure peer --latency "$arch")"
            printf '%-12s %6s %15s %9s %16s %18s %15s\n' "$arch" "$run" "$(field engine_median_us "$ours")" "$(field engine_p99_us "$ours")" \
                "$(field pool_per_s "$ours")" "$(field batch_seconds "$ours")" "$(field median_us "$peer")"
        done
    done
    printf '(%s threads; a model trained 1 epoch on 2,000 images, saved with ml.Model.Save and loaded; latency of\n' "$threads"
    printf ' PredictionEngine<DigitInput, DigitPrediction>.Predict over 2,000 test images after 5,000 untimed, in µs;\n'
    printf ' the pool: every thread predicts the 10,000 test images; batch: Transform of the test set, every Score read;\n'
    printf ' PyTorch median: the same network on PyTorch 1.13, one test image per forward, eval mode, no grad, softmax, µs)\n'
    printf ' goals (issue 13, the default model QuickNet): engine median <= 100 µs, batch <= 1 s)\n'
fi
if wants normalize && ! ((peer_only)); then
    say "NormalizeDigit: time per image, decoding included, by kind of image"
    out="$(dotnet "$bench_dll" --normalize "$REPO_ROOT/tests/DigitsML.Scoring.Tests/Photos" --mnist "$MNIST_DIR" --threads 1)" \
        || die "DigitsML.Bench --normalize failed: see the errors above"
    printf '%-12s %7s %11s %10s %8s\n' images count "mean size" "median ms" "p90 ms"
    while read -r line; do
        printf '%-12s %7s %11s %10s %8s\n' "$(field normalize "$line")" "$(field images "$line")" "$(field size "$line")" \
            "$(field median_ms "$line")" "$(field p90_ms "$line")"
    done < <(grep '^normalize=' <<<"$out")
    printf '(DigitFeatures.FromImage on the encoded bytes, as an upload is prepared: decode, then every NormalizeDigit step;\n'
    printf ' untimed first: every image, and 300 calls or 2 s for the JIT; then 20 timed passes over the group; photos:\n'
    printf ' labels.tsv of the photo set; phone-12mp: 4 phone photos resized to 3024 x 4032, JPEG 85, by SkiaSharp)\n'
fi
if wants pretrained && ! ((peer_only)); then
    say "the shipped models (DigitsML.Scoring's Pretrained folder): prediction-engine latency and the reader's time per number"
    out="$(dotnet "$bench_dll" --pretrained --mnist "$MNIST_DIR" --threads "$threads")" \
        || die "DigitsML.Bench --pretrained failed: see the errors above"
    digits="$(grep '^pretrained=' <<<"$out")" || die "DigitsML.Bench --pretrained printed no result line"
    reader="$(grep '^reader_numbers=' <<<"$out")" || die "DigitsML.Bench --pretrained printed no reader line"
    printf '%-58s %9s %9s\n' "shipped classifier ($(field members "$digits") members), µs per digit" median p99
    printf '%-58s %9s %9s  %s\n' "LoadPretrainedDigits, prediction engine (ORT default threads)" "$(field engine_median_us "$digits")" \
        "$(field engine_p99_us "$digits")" "goal <= 150: $(verdict "$(field engine_median_us "$digits")" le 150)"
    printf '%-58s %9s %9s\n' "its graph alone, ApplyOnnxModel, 1 intra-op thread" "$(field onnx1_median_us "$digits")" "$(field onnx1_p99_us "$digits")"
    printf '%-58s %9s %9s\n' "its graph alone, ApplyOnnxModel, ORT default threads" "$(field onnxdefault_median_us "$digits")" "$(field onnxdefault_p99_us "$digits")"
    printf '%-58s %9s %9s\n' "its graph alone, bare InferenceSession.Run, 1 thread" "$(field ort1_median_us "$digits")" "$(field ort1_p99_us "$digits")"
    printf '%-58s %9s %9s\n' "its graph alone, bare InferenceSession.Run, default threads" "$(field ortdefault_median_us "$digits")" "$(field ortdefault_p99_us "$digits")"
    printf '%-58s %9s\n' "one member (bare, 1 thread, divided by the members)" "$(field member_us "$digits")"
    printf 'shipped reader: %s of %s numbers of %s digits read whole; median %s ms per number, p90 %s ms\n' \
        "$(field reader_right "$reader")" "$(field reader_numbers "$reader")" "$(field reader_digits "$reader")" \
        "$(field reader_median_ms "$reader")" "$(field reader_p90_ms "$reader")"
    printf '(2,000 timed predictions of test images after 5,000 untimed, each a separate measurement; ORT default threads: one\n'
    printf ' intra-op thread per physical core, the only setting ml.Model.LoadPretrainedDigits offers; 1 thread: OnnxOptions or\n'
    printf ' SessionOptions with IntraOpNumThreads = InterOpNumThreads = 1; goal judged on an otherwise idle machine only;\n'
    printf ' the load average when it ended: %s)\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
fi
printf '(%s, %s CPUs: %s; PyTorch %s, OpenBLAS pool of %s thread(s) (see bench/pytorch_peer.py); %s)\n' \
    "$(uname -n)" "$(nproc)" "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || echo unknown CPU)" \
    "$(/usr/bin/python3 -c 'import torch; print(torch.__version__)')" "${OPENBLAS_NUM_THREADS:-1}" "$(date -u +%Y-%m-%d)"
