"""lowres_detail.py — where a model misses on a split of the low-resolution set (make_lowres.py): per-digit accuracy, the
confusions that dominate, and accuracy by font package, font file, scan height and encoding. Reads what
`digits predict MODEL.zip SPLIT/writers/rendered-images-idx3-ubyte --labels ... --count 0 --json` prints (build/bench.sh
robust --lowres-only --detail runs it) and the split's writers/sources.tsv.

Usage: /usr/bin/python3 bench/robust/lowres_detail.py SPLIT_DIR PREDICTIONS.json"""
import collections
import json
import sys


def table(title, groups):
    print(f"  {title}:")
    for key in sorted(groups):
        right, total = groups[key]
        print(f"    {key:<34} {total:5d} {100 * right / total:7.2f} %")


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__.splitlines()[-1])
    split, predictions = sys.argv[1], sys.argv[2]
    with open(predictions, encoding="utf-8") as f:
        rows = json.load(f)["predictions"]
    with open(f"{split}/writers/sources.tsv", encoding="utf-8") as f:
        next(f)
        sources = [line.rstrip("\n").split("\t") for line in f]
    if len(rows) != len(sources):
        raise SystemExit(f"lowres_detail.py: {len(rows)} predictions for the {len(sources)} digits of {split}")
    confusions = collections.Counter()
    groups = collections.defaultdict(lambda: collections.defaultdict(lambda: [0, 0]))
    for row, (_, _, label, drawn) in zip(rows, sources):
        if row["label"] != label:
            raise SystemExit(f"lowres_detail.py: label {row['label']} predicted against {label} in sources.tsv")
        params = dict(item.split("=", 1) for item in drawn.split(" "))
        right = row["digit"] == label
        if not right:
            confusions[(label, row["digit"])] += 1
        height = float(params["height"])
        encoding = params["encoding"] if not params["encoding"].startswith("jpeg") else "jpeg"
        for name, key in (("digit", label), ("package", params["package"]), ("font", params["font"]),
                          ("height", f"{int(height):2d} px"), ("encoding", encoding)):
            groups[name][key][0] += right
            groups[name][key][1] += 1
    total = sum(r for r, _ in groups["digit"].values()), len(rows)
    print(f"{split}: {total[0]} of {total[1]} right ({100 * total[0] / total[1]:.2f} %), {total[1] - total[0]} misses")
    print("  confusions, label -> read as (the 12 most frequent):")
    for (label, digit), n in confusions.most_common(12):
        print(f"    {label} -> {digit} {n:5d}  ({100 * n / (total[1] - total[0]):.1f} % of the misses)")
    for name in ("digit", "package", "font", "height", "encoding"):
        table(f"by {name}", groups[name])


if __name__ == "__main__":
    main()
