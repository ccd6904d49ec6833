"""make_robust.py — makes the robustness set of build/bench.sh robust from MNIST's test set, with numpy and PIL only
(Debian's python3-numpy and python3-pil; the other writers need the font packages writers.FONTS names):
  corruptions/<name>-images-idx3-ubyte  the test images under each corruption of corruptions.CORRUPTIONS (same order)
  corruptions/labels-idx1-ubyte         their labels (MNIST's test labels)
  corruptions/index.tsv                 name<TAB>what it does, one line per corruption, in the benchmark's order
  writers/rendered/<d>/*.png, writers/rendered-{images-idx3,labels-idx1}-ubyte   other writers, MNIST-style
  writers/photos/<d>/*.jpg              other writers, photographed on paper (for NormalizeDigit)
  writers/sources.tsv                   every writer file, its label, its font and package and what was drawn for it
  SETTINGS                              version, seed and sizes it was made with
  SHA256SUMS                            sha256sum's list of every file above
Everything is seeded: the same version, seed and sizes give the same bytes with the same numpy, PIL and fonts.

Usage: /usr/bin/python3 bench/robust/make_robust.py --mnist DIR [--cache ROOT] [--seed 1]
           the whole set in ROOT/v<VERSION> (ROOT default $DIGITSML_CACHE/robust, else ~/.cache/digitsml/robust); made
           only when that folder is missing or fails its SHA256SUMS or SETTINGS, else left as it is
       /usr/bin/python3 bench/robust/make_robust.py --mnist DIR --out DIR [--only a,b] [--count N] [--no-writers]
           a part of it in DIR (always made anew): the first N test images under the named corruptions
       /usr/bin/python3 bench/robust/make_robust.py --mnist DIR --out DIR --train-slice 55000:60000 --no-writers
           a validation set, for choosing a training recipe without the test set: training images START..END-1 (hold
           them out of training, e.g. digits train --train-count START) under the corruptions, and those images
           unchanged as corruptions/clean-images-idx3-ubyte (the bench scores them as its "clean" row)
Prints robust_dir=<the folder> last."""
import argparse
import hashlib
import os
import shutil
import sys
import zlib

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import corruptions  # noqa: E402
import idx  # noqa: E402

VERSION = 1  # raise when anything that changes the files changes: the cache folder is named after it
RENDERED_PER_DIGIT, PHOTOS_PER_DIGIT = 300, 100


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_sums(folder):
    files = sorted(os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs
                   if f != "SHA256SUMS")
    with open(os.path.join(folder, "SHA256SUMS"), "w", encoding="utf-8") as out:
        for name in files:
            out.write(f"{sha256(os.path.join(folder, name))}  {name}\n")


def verified(folder, settings):
    """True when folder holds exactly the files its SHA256SUMS lists, with those hashes, made with these settings."""
    sums = os.path.join(folder, "SHA256SUMS")
    try:
        with open(os.path.join(folder, "SETTINGS"), encoding="utf-8") as f:
            if f.read() != settings:
                return False
        with open(sums, encoding="utf-8") as f:
            listed = dict(reversed(line.rstrip("\n").split("  ", 1)) for line in f if line.strip())
    except (OSError, ValueError):
        return False
    present = {os.path.relpath(os.path.join(d, f), folder) for d, _, fs in os.walk(folder) for f in fs} - {"SHA256SUMS"}
    return present == set(listed) and all(sha256(os.path.join(folder, n)) == h for n, h in listed.items())


def made_whole(kind, version, settings, out, cache, make_into, title, name=None):
    """The folder of a set: `out` made anew when given, else the cached `$DIGITSML_CACHE/digitsml/<kind>/v<version>`
    (`<kind>/<name>` when `name` is given, for a second set under the same root: name it after the version too), kept
    when `verified` against `settings` and otherwise remade. `make_into(work)` writes the set into a temporary folder
    that is renamed into place, so the set appears whole or not at all: an interrupted run leaves no half set behind
    under the name."""
    if out:
        folder = os.path.abspath(out)
        if os.path.exists(folder):
            shutil.rmtree(folder)
    else:
        cache = cache or os.path.join(os.environ.get("DIGITSML_CACHE") or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "digitsml"), kind)
        folder = os.path.join(os.path.abspath(cache), name or f"v{version}")
        if verified(folder, settings):
            return folder
        print(f"making the {title} v{version} in {folder}", file=sys.stderr)
    work = f"{folder}.tmp-{os.getpid()}"
    shutil.rmtree(work, ignore_errors=True)
    try:
        make_into(work)
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(work, folder)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return folder


def make(folder, args, names, settings):
    """Writes the set into `folder` (which must not exist yet)."""
    prefix = "train" if args.train_slice else "t10k"
    try:
        images = idx.read(os.path.join(args.mnist, f"{prefix}-images-idx3-ubyte"), 3)
        labels = idx.read(os.path.join(args.mnist, f"{prefix}-labels-idx1-ubyte"), 1)
    except OSError as e:
        raise SystemExit(f"make_robust.py: cannot read {e.filename}: {e.strerror} (build/setup.sh fetches MNIST)")
    except ValueError as e:
        raise SystemExit(f"make_robust.py: {e}")
    if len(images) != len(labels) or images.shape[1:] != (28, 28):
        raise SystemExit(f"make_robust.py: {args.mnist} does not hold MNIST's 28 x 28 {prefix} images and their labels")
    if args.train_slice:
        start, end = args.train_slice
        if end > len(images):
            raise SystemExit(f"make_robust.py: --train-slice {start}:{end} reaches past the {len(images)} training images")
        images, labels = images[start:end], labels[start:end]
    count = min(args.count or len(images), len(images))
    table = {name: (doc, f) for name, doc, f in corruptions.CORRUPTIONS}
    os.makedirs(os.path.join(folder, "corruptions"))
    x = images.astype(np.float64) / 255.0
    with open(os.path.join(folder, "corruptions", "index.tsv"), "w", encoding="utf-8") as index:
        for name in names:
            doc, f = table[name]
            # One generator per corruption, from the seed and the name: a corruption's images do not depend on which
            # others are made; all draws are for the whole test set, so the first `count` match the full set's.
            rng = np.random.default_rng([args.seed, zlib.crc32(name.encode())])
            corrupted = f(x, rng)[:count]
            idx.write(os.path.join(folder, "corruptions", f"{name}-images-idx3-ubyte"), idx.to_bytes(corrupted))
            index.write(f"{name}\t{doc}\n")
            print(f"  {name}: {doc}", file=sys.stderr)
    idx.write(os.path.join(folder, "corruptions", "labels-idx1-ubyte"), labels[:count].copy())
    if args.train_slice:
        idx.write(os.path.join(folder, "corruptions", "clean-images-idx3-ubyte"), images[:count].copy())
    if not args.no_writers:
        import writers  # only here: it needs the fonts
        out = os.path.join(folder, "writers")
        rendered, rendered_labels = writers.make(out, np.random.default_rng([args.seed, 10]), RENDERED_PER_DIGIT,
                                                 PHOTOS_PER_DIGIT)
        idx.write(os.path.join(out, "rendered-images-idx3-ubyte"), rendered)
        idx.write(os.path.join(out, "rendered-labels-idx1-ubyte"), rendered_labels)
        print(f"  writers: {len(rendered)} rendered, {PHOTOS_PER_DIGIT * 10} photos", file=sys.stderr)
    with open(os.path.join(folder, "SETTINGS"), "w", encoding="utf-8") as f:
        f.write(settings)
    write_sums(folder)


def train_slice(text):
    """START:END with 0 <= START < END, for --train-slice."""
    try:
        start, end = (int(part) for part in text.split(":"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not START:END (two whole numbers, e.g. 55000:60000)") from None
    if not 0 <= start < end:
        raise argparse.ArgumentTypeError(f"'{text}': START must be at least 0 and below END")
    return start, end


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--mnist", required=True, help="folder with MNIST's t10k IDX files")
    parser.add_argument("--cache", help="root of the cached full sets (default $DIGITSML_CACHE/robust)")
    parser.add_argument("--out", help="make a part of the set in this folder instead (made anew)")
    parser.add_argument("--only", help="comma-separated corruptions (with --out); default all")
    parser.add_argument("--count", type=int, help="the first N test images only (with --out)")
    parser.add_argument("--no-writers", action="store_true", help="leave out the other writers (with --out)")
    parser.add_argument("--train-slice", type=train_slice, metavar="START:END",
                        help="corrupt training images START..END-1 instead of the test set (with --out): a validation set")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random draw (default 1)")
    args = parser.parse_args()
    known = [name for name, _, _ in corruptions.CORRUPTIONS]
    names = known
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in known]
        if unknown or not names:
            parser.error(f"--only: unknown corruption(s) {', '.join(unknown) or '(none given)'}; choose from {', '.join(known)}")
    if args.count is not None and args.count < 1:
        parser.error("--count must be at least 1")
    partial = args.only or args.count or args.no_writers or args.train_slice
    if partial and not args.out:
        parser.error("--only, --count, --no-writers and --train-slice make a partial set: give --out DIR for it (the cache keeps whole sets)")
    settings = (f"version={VERSION} seed={args.seed} corruptions={','.join(names)} count={args.count or 'all'} "
                f"writers={'none' if args.no_writers else f'{RENDERED_PER_DIGIT}+{PHOTOS_PER_DIGIT}'} "
                f"numpy={np.__version__}"
                + (f" train-slice={args.train_slice[0]}:{args.train_slice[1]}" if args.train_slice else "") + "\n")
    folder = made_whole("robust", VERSION, settings, args.out, args.cache,
                        lambda work: make(work, args, names, settings), "robustness set")
    print(f"robust_dir={folder}")


if __name__ == "__main__":
    main()
