"""make_numbers.py — makes the multi-digit test set of build/bench.sh numbers from MNIST's TEST digits, with numpy and
PIL only (Debian's python3-numpy and python3-pil):
  images/<nnnnn>.jpg|png   one handwritten number each: 2 to 8 MNIST test digits side by side, with varied gaps (some
                           touching or overlapping), baselines, sizes and slants of size, on
                           - paper (about 70 %): tinted paper, ruled lines on half of them, uneven light (a linear or
                             radial gradient), dark blue or black ink of varied strength, a few specks, sensor noise,
                             saved as JPEG of quality 45 to 90 (a few as PNG);
                           - black (about 30 %): light ink on black, as MNIST, with a little noise, saved as PNG
  labels.tsv               file<TAB>number<TAB>kind<TAB>the MNIST test indices of its digits, one line per image
  SETTINGS                 version, seed and count it was made with
  SHA256SUMS               sha256sum's list of every file above
Everything is seeded: the same version, seed and count give the same bytes with the same numpy and PIL. Each number
draws from its own generator (seed, index), so the first N numbers of a bigger set are the numbers of a smaller one.

Usage: /usr/bin/python3 bench/numbers/make_numbers.py --mnist DIR [--cache ROOT] [--seed 1] [--count 1000]
           the set in ROOT/v<VERSION> (ROOT default $DIGITSML_CACHE/numbers, else ~/.cache/digitsml/numbers); made only
           when that folder is missing or fails its SHA256SUMS or SETTINGS, else left as it is
       /usr/bin/python3 bench/numbers/make_numbers.py --mnist DIR --out DIR [--count N] [--seed 1]
           the first N numbers in DIR (always made anew)
Prints numbers_dir=<the folder> last."""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "robust"))
import idx  # noqa: E402
from make_robust import made_whole, write_sums  # noqa: E402  (the robustness set's cache handling)

VERSION = 1  # raise when anything that changes the files changes: the cache folder is named after it
MIN_DIGITS, MAX_DIGITS = 2, 8


def digit_ink(image, height, rng):
    """One MNIST digit cropped to its ink and scaled to `height` pixels tall (the width keeps the aspect ratio, times a
    little horizontal stretch), as ink strength in [0, 1]."""
    rows, cols = np.nonzero(image > 0)
    crop = image[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scale = height / crop.shape[0]
    width = max(1, int(round(crop.shape[1] * scale * rng.uniform(0.85, 1.15))))
    return np.asarray(Image.fromarray(crop).resize((width, height), Image.BICUBIC), dtype=np.float64).clip(0, 255) / 255.0


def compose(images, indices, rng):
    """The ink of the number (strength in [0, 1]) on a canvas with margins, and the digit height it was drawn at."""
    size = int(rng.integers(24, 72))
    inks = [digit_ink(images[i], max(8, int(round(size * rng.uniform(0.8, 1.15)))), rng) for i in indices]
    # Gaps in digit heights: mostly apart, a quarter touching or overlapping a little.
    gaps = [int(round(size * (rng.uniform(-0.12, 0.0) if rng.random() < 0.25 else rng.uniform(0.05, 0.5))))
            for _ in inks[1:]] + [0]
    drops = [int(round(size * rng.uniform(-0.1, 0.1))) for _ in inks]  # baseline wander
    margin = int(round(size * rng.uniform(0.3, 1.0)))
    width = sum(d.shape[1] for d in inks) + sum(gaps) + 2 * margin
    height = max(d.shape[0] for d in inks) + 2 * margin + 2 * int(0.1 * size) + 2
    canvas = np.zeros((height, width))
    x = margin
    base = margin + max(d.shape[0] for d in inks) + int(0.1 * size)
    for ink, gap, drop in zip(inks, gaps, drops):
        top = base - ink.shape[0] + drop
        region = canvas[top:top + ink.shape[0], x:x + ink.shape[1]]
        np.maximum(region, ink, out=region)
        x += ink.shape[1] + gap
    return canvas, size


def on_paper(ink, size, rng):
    """A photo of the ink on paper: RGB uint8."""
    h, w = ink.shape
    paper = np.array([rng.uniform(0.82, 1.0), rng.uniform(0.8, 1.0), rng.uniform(0.75, 0.98)])
    rgb = np.ones((h, w, 3)) * paper
    if rng.random() < 0.5:  # ruled lines, pale blue or grey, under the ink
        line = np.array([0.55, 0.65, 0.85]) if rng.random() < 0.5 else np.array([0.6, 0.6, 0.6])
        spacing = max(6, int(size * rng.uniform(0.7, 1.3)))
        thick = 1 + int(rng.random() < 0.4)
        for y in range(int(rng.integers(0, spacing)), h, spacing):
            rgb[y:y + thick] = rgb[y:y + thick] * 0.4 + line * 0.6
    specks = int(rng.integers(0, 4))
    for _ in range(specks):
        r = max(1, int(size * rng.uniform(0.02, 0.06)))
        cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
        yy, xx = np.ogrid[:h, :w]
        ink = np.where((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r, np.maximum(ink, rng.uniform(0.6, 1.0)), ink)
    colour = np.array([0.05, 0.1, 0.45]) if rng.random() < 0.4 else np.array([0.08, 0.08, 0.08])
    strength = rng.uniform(0.6, 1.0)
    a = (ink * strength)[..., None]
    rgb = rgb * (1 - a) + colour * a
    yy, xx = np.mgrid[:h, :w] / max(h, w)
    if rng.random() < 0.5:  # a linear gradient of light across the page
        angle = rng.uniform(0, 2 * np.pi)
        g = (np.cos(angle) * xx + np.sin(angle) * yy)
        g = (g - g.min()) / max(g.max() - g.min(), 1e-9)
        light = 1 - rng.uniform(0.15, 0.45) * g
    else:  # a lamp: bright in one place, darker away from it
        cy, cx = rng.uniform(0, h / max(h, w)), rng.uniform(0, w / max(h, w))
        light = 1 - rng.uniform(0.15, 0.4) * np.clip(np.hypot(yy - cy, xx - cx), 0, 1)
    rgb = rgb * light[..., None] + rng.normal(0, rng.uniform(0.005, 0.03), rgb.shape)
    return (rgb.clip(0, 1) * 255 + 0.5).astype(np.uint8)


def on_black(ink, rng):
    """Light ink on black, as MNIST, with a little noise: grey uint8."""
    grey = ink * rng.uniform(0.7, 1.0) + rng.normal(0, rng.uniform(0.0, 0.03), ink.shape)
    return (grey.clip(0, 1) * 255 + 0.5).astype(np.uint8)


def make_number(images, labels, seed, n):
    """Number n: (encoded bytes, extension, the number's text, its kind, the test indices of its digits)."""
    rng = np.random.default_rng([seed, n])
    count = int(rng.integers(MIN_DIGITS, MAX_DIGITS + 1))
    indices = [int(i) for i in rng.integers(0, len(images), count)]
    ink, size = compose(images, indices, rng)
    out = io.BytesIO()
    if rng.random() < 0.3:
        kind, ext = "black", "png"
        Image.fromarray(on_black(ink, rng)).save(out, "PNG")
    else:
        rgb = on_paper(ink, size, rng)
        if rng.random() < 0.15:
            kind, ext = "paper", "png"
            Image.fromarray(rgb).save(out, "PNG")
        else:
            kind, ext = "paper", "jpg"
            Image.fromarray(rgb).save(out, "JPEG", quality=int(rng.integers(45, 91)))
    return out.getvalue(), ext, "".join(str(int(labels[i])) for i in indices), kind, indices


def make(folder, args, settings):
    """Writes the set into `folder` (which must not exist yet)."""
    try:
        images = idx.read(os.path.join(args.mnist, "t10k-images-idx3-ubyte"), 3)
        labels = idx.read(os.path.join(args.mnist, "t10k-labels-idx1-ubyte"), 1)
    except OSError as e:
        raise SystemExit(f"make_numbers.py: cannot read {e.filename}: {e.strerror} (build/setup.sh fetches MNIST)")
    except ValueError as e:
        raise SystemExit(f"make_numbers.py: {e}")
    if len(images) != len(labels) or images.shape[1:] != (28, 28):
        raise SystemExit(f"make_numbers.py: {args.mnist} does not hold MNIST's 28 x 28 test images and their labels")
    os.makedirs(os.path.join(folder, "images"))
    with open(os.path.join(folder, "labels.tsv"), "w", encoding="utf-8") as table:
        for n in range(args.count):
            data, ext, text, kind, indices = make_number(images, labels, args.seed, n)
            name = f"images/{n:05d}.{ext}"
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
            table.write(f"{name}\t{text}\t{kind}\t{','.join(map(str, indices))}\n")
    with open(os.path.join(folder, "SETTINGS"), "w", encoding="utf-8") as f:
        f.write(settings)
    write_sums(folder)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--mnist", required=True, help="folder with MNIST's t10k IDX files")
    parser.add_argument("--cache", help="root of the cached sets (default $DIGITSML_CACHE/numbers)")
    parser.add_argument("--out", help="make the set in this folder instead (made anew)")
    parser.add_argument("--count", type=int, default=1000, help="numbers to make (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random draw (default 1)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    settings = f"version={VERSION} seed={args.seed} count={args.count} numpy={np.__version__}\n"
    folder = made_whole("numbers", VERSION, settings, args.out, args.cache,
                        lambda work: make(work, args, settings), "numbers set")
    print(f"numbers_dir={folder}")


if __name__ == "__main__":
    main()
