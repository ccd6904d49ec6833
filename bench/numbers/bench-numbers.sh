#!/usr/bin/env bash
# bench-numbers.sh — build/bench.sh numbers: a saved model reading whole handwritten numbers with NumberReader.
#   The set (bench/numbers/make_numbers.py, numpy and PIL; made once and cached under ~/.cache/digitsml/numbers/v<N>
#   with a SHA-256 list, remade only when missing or damaged): 1,000 numbers of 2 to 8 MNIST test digits side by side,
#   about 70 % photos of paper (ruled lines, uneven light, JPEG) and 30 % light ink on black. docs/reading.md says more.
#   --set conditions reads instead 800 numbers in 8 conditions of 100 (clean, touching, ruled, graph, box, formline,
#   long, phone), one row each; --digits heldout composes either set from MNIST training digits 55,000-59,999, which
#   the trainer holds out: use heldout sets for choosing (recipes, thresholds) and the test sets only for reporting.
#   Prints, per kind and for all: whole numbers read right, per-digit accuracy (1 - edit distance / digits), numbers
#   whose digit count was found right, digits marked uncertain, and how often a reading without uncertain digits is right.
# Usage: build/bench.sh numbers [MODEL.zip] [--set numbers|conditions] [--digits test|heldout] [--count N]
#                        [--uncertain-below P]
#   MODEL.zip            the model to measure (default artifacts/digits-model.zip, what build/run.sh writes)
#   --set S              numbers: the mixed set of 1,000 (default); conditions: 100 numbers under each of 8 conditions
#   --digits D           test: MNIST's test digits, for reporting (default); heldout: training digits 55,000-59,999,
#                        for choosing
#   --count N            read only the first N numbers (default: all; the conditions set is stored condition by
#                        condition, so there the first N come from the first conditions only)
#   --uncertain-below P  the confidence under which a digit is marked uncertain (default 0.6, NumberReader's)
source "$(dirname "${BASH_SOURCE[0]}")/../../build/common.sh"

usage() { sed -n '2,/^#   --uncertain-below/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
model="$REPO_ROOT/artifacts/digits-model.zip" model_given=0 extra=() set_name=numbers digits=test
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --count) (($# >= 2)) && [[ "$2" =~ ^[0-9]+$ ]] && ((10#$2 >= 1)) || die "--count takes a whole number of at least 1 (see build/bench.sh numbers --help)"
                 extra+=(--count "$((10#$2))"); shift 2 ;;
        --set) (($# >= 2)) && [[ "$2" == numbers || "$2" == conditions ]] \
                   || die "--set takes numbers or conditions (see build/bench.sh numbers --help)"
               set_name="$2"; shift 2 ;;
        --digits) (($# >= 2)) && [[ "$2" == test || "$2" == heldout ]] \
                      || die "--digits takes test or heldout (see build/bench.sh numbers --help)"
                  digits="$2"; shift 2 ;;
        --uncertain-below) (($# >= 2)) || die "--uncertain-below needs a value (see build/bench.sh numbers --help)"
                           extra+=(--uncertain-below "$2"); shift 2 ;;
        -*) die "unknown option '$1' (see build/bench.sh numbers --help)" ;;
        *) ((!model_given)) || die "one model at a time: '$model' and '$1'"; model="$1" model_given=1; shift ;;
    esac
done
[ -f "$model" ] || die "no model at $model: build/run.sh writes artifacts/digits-model.zip, or give a model zip"

"$REPO_ROOT/build/setup.sh"
/usr/bin/python3 -c 'import numpy, PIL' 2>/dev/null \
    || die "/usr/bin/python3 cannot import numpy and PIL: install python3-numpy and python3-pil (build/setup.sh --test does)"
say "building DigitsML.Bench (Release)"
build_quietly "$REPO_ROOT/bench/DigitsML.Bench/DigitsML.Bench.csproj"
say "the $set_name set ($digits digits)"
set_line="$(/usr/bin/python3 "$REPO_ROOT/bench/numbers/make_numbers.py" --mnist "$MNIST_DIR" --cache "$DIGITSML_CACHE/numbers" \
    --set "$set_name" --digits "$digits" | tail -n 1)" \
    || die "make_numbers.py failed: see the errors above"
numbers_dir="${set_line#numbers_dir=}"
[ -f "$numbers_dir/labels.tsv" ] || die "make_numbers.py printed '$set_line', not a numbers folder"
say "reading with $model"
out="$(dotnet "$REPO_ROOT/bench/DigitsML.Bench/bin/Release/net10.0/DigitsML.Bench.dll" --numbers "$model" --numbers-data "$numbers_dir" "${extra[@]}")" \
    || die "DigitsML.Bench --numbers failed: see the errors above"

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f %%", (b > 0) ? 100 * a / b : 0 }'; }
printf '%-8s %8s %15s %15s %15s %10s %22s\n' set numbers "whole numbers" "per digit" "digit count" uncertain "right when all certain"
while read -r line; do
    [[ "$line" == numbers_set=* ]] || continue
    n="$(field numbers "$line")" certain="$(field certain_numbers "$line")"
    printf '%-8s %8s %15s %15s %15s %10s %22s\n' "$(field numbers_set "$line")" "$n" \
        "$(awk -v v="$(field number_accuracy "$line")" 'BEGIN { printf "%.2f %%", 100 * v }')" \
        "$(awk -v v="$(field digit_accuracy "$line")" 'BEGIN { printf "%.2f %%", 100 * v }')" \
        "$(pct "$(field count_right "$line")" "$n")" "$(field uncertain_digits "$line")" \
        "$(pct "$(field certain_right "$line")" "$certain") of $certain"
done <<<"$out"
time_line="$(grep '^numbers_time' <<<"$out")"
printf '(%s; set %s of %s digits from %s; %s ms per image on %s CPUs, one thread; per digit = 1 - edit distance / digits written)\n' \
    "$(sed -n 's/^model=//p' <<<"$out")" "$set_name" "$digits" "$numbers_dir" "$(field ms_per_image "$time_line")" "$(nproc)"
