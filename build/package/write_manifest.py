"""write_manifest.py — writes src/DigitsML.Scoring/Pretrained/manifest.json for build/train-pretrained.sh --install:
each shipped model's file, SHA-256 and size, the command and recipe that trained it, its data, its training time and
the figures measured in that run (read from the work folder: members.txt, the classifier's members as NAME|ARGUMENTS
lines; digits.evaluate.json from `digits evaluate --json`; digits.heldout.txt, digits.lowres.txt and digits.robust.txt
from build/bench.sh robust (held-out sets it was chosen on, then the test-derived benchmark); reader.numbers.txt and
reader.conditions.txt from build/bench.sh numbers; <model>.seconds from each step).

Usage: /usr/bin/python3 build/package/write_manifest.py --work DIR --target DIR"""
import argparse
import datetime
import hashlib
import json
import os
import re
import sys


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest().upper()


def seconds(work, *names):
    total = 0
    for name in names:
        path = os.path.join(work, name + ".seconds")
        if not os.path.exists(path):
            return None  # trained in an earlier run of the script: its time is not known here
        total += int(open(path).read().strip())
    return total


def find(document, key):
    """The first value of `key` (any case) anywhere in a JSON document."""
    if isinstance(document, dict):
        for k, v in document.items():
            if k.lower() == key.lower():
                return v
        for v in document.values():
            found = find(v, key)
            if found is not None:
                return found
    if isinstance(document, list):
        for v in document:
            found = find(v, key)
            if found is not None:
                return found
    return None


def bench_rows(path):
    """{kind: {"numbers": n, "wholeNumbers": fraction, "digits": fraction}} from a build/bench.sh numbers table."""
    rows = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(\S+)\s+(\d+)\s+([\d.]+) %\s+([\d.]+) %", line)
        if m:
            rows[m.group(1)] = {"numbers": int(m.group(2)), "wholeNumbers": round(float(m.group(3)) / 100, 4),
                                "digits": round(float(m.group(4)) / 100, 4)}
        m = re.search(r"([\d.]+) ms per image", line)
        if m:
            rows["msPerImage"] = float(m.group(1))
    return rows


def robust_rows(path):
    """{row: fraction} from a build/bench.sh robust table: each set's accuracy, "mean of 15 corruptions",
    "other writers, all", and the low-resolution lines ("lowres-validation", "lowres-test")."""
    rows = {}
    if not os.path.exists(path):
        return rows
    for line in open(path, encoding="utf-8"):
        m = re.match(r"^(mean of \d+ corruptions|other writers, all|[a-z_-]+)\s+(?:\d+\s+)?([\d.]+) %", line)
        if m:
            rows[m.group(1)] = round(float(m.group(2)) / 100, 4)
    return rows


def classifier_figures(work, accuracy):
    heldout, lowres, robust = (robust_rows(os.path.join(work, name)) for name in
                               ("digits.heldout.txt", "digits.lowres.txt", "digits.robust.txt"))
    corruptions = {k: v for k, v in robust.items()
                   if k not in ("clean", "other writers, all", "lowres-validation", "lowres-test")
                   and not k.startswith("mean of") and not k.startswith("writers_")}
    figures = {"mnistTestAccuracy": round(accuracy, 4)}
    if heldout or lowres:
        figures["chosenOn"] = {
            "heldoutTrainingImagesClean": heldout.get("clean"),
            "heldoutCorruptionMean": next((v for k, v in heldout.items() if k.startswith("mean of")), None),
            "lowresValidation": lowres.get("lowres-validation"),
        }
    if robust:
        figures["robustnessBenchmark"] = {
            "corruptionMean": next((v for k, v in robust.items() if k.startswith("mean of")), None),
            "weakestCorruption": min(corruptions, key=corruptions.get) if corruptions else None,
            "weakestCorruptionAccuracy": min(corruptions.values()) if corruptions else None,
            "otherWriters": robust.get("other writers, all"),
            "lowresTest": robust.get("lowres-test"),
        }
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", required=True)
    parser.add_argument("--target", required=True)
    args = parser.parse_args()
    evaluation = json.load(open(os.path.join(args.work, "digits.evaluate.json"), encoding="utf-8"))
    accuracy = find(evaluation, "microAccuracy")
    if accuracy is None:
        sys.exit("write_manifest.py: digits.evaluate.json has no microAccuracy")
    numbers = bench_rows(os.path.join(args.work, "reader.numbers.txt"))
    conditions = bench_rows(os.path.join(args.work, "reader.conditions.txt"))
    if "all" not in numbers or "all" not in conditions:
        sys.exit("write_manifest.py: the reader's benchmark tables have no 'all' row")
    members = [line.strip().split("|", 1) for line in open(os.path.join(args.work, "members.txt"), encoding="utf-8") if line.strip()]
    recipe = ("soft vote of " if len(members) > 1 else "") + ", ".join(
        f"`digits train {arguments} --train-count 55000 --threads 1`" for _, arguments in members)
    models = [
        {
            "name": "digits",
            "file": "digits.zip",
            "kind": "digit classifier (ML.NET zip: Features 1 x 28 x 28 -> Score, PredictedLabel)",
            "command": "build/train-pretrained.sh --only digits",
            "recipe": recipe + (", combined by `digits ensemble --vote soft`" if len(members) > 1 else ""),
            "data": "MNIST's training images 0-54,999; chosen on training images 55,000-59,999 under the robustness "
                    "benchmark's corruptions and on the low-resolution set's validation fonts",
            "trainingSeconds": seconds(args.work, *(f"member-{name}.zip" for name, _ in members)),
            "figures": classifier_figures(args.work, accuracy),
        },
        {
            "name": "reader",
            "file": "reader.zip",
            "kind": "line reader (ML.NET zip: Line, a strip of 32 rows -> Frames, CTC probabilities of blank and 0-9)",
            "command": "build/train-pretrained.sh --only reader",
            "recipe": "`digits train-reader` defaults: 6,000 AdamW steps of 32 numbers, one-cycle rate peaking at 0.002, seed 1",
            "data": "numbers of 1-12 digits made on the fly from MNIST training digits 0-54,999; "
                    "chosen on 1,000 numbers made from training digits 55,000-59,999",
            "trainingSeconds": seconds(args.work, "reader.zip"),
            "figures": {"numbersBenchmark": numbers, "conditionsBenchmark": conditions},
        },
    ]
    for model in models:
        path = os.path.join(args.target, model["file"])
        model["sha256"] = sha256(path)
        model["bytes"] = os.path.getsize(path)
    manifest = {"version": 1, "made": datetime.date.today().isoformat(), "models": models}
    with open(os.path.join(args.target, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
