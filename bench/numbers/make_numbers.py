"""make_numbers.py — makes the multi-digit sets of build/bench.sh numbers from MNIST digits, with numpy and PIL only
(Debian's python3-numpy and python3-pil). Two sets, each from either of two pools of digits:
  --set numbers (default)  1,000 numbers, mixed: 2 to 8 digits side by side, with varied gaps (some touching or
                           overlapping), baselines, sizes and slants of size, on
                           - paper (about 70 %): tinted paper, ruled lines on half of them, uneven light (a linear or
                             radial gradient), dark blue or black ink of varied strength, a few specks, sensor noise,
                             saved as JPEG of quality 45 to 90 (a few as PNG);
                           - black (about 30 %): light ink on black, as MNIST, with a little noise, saved as PNG
  --set conditions         --per-condition numbers (default 100) under each of 8 conditions, each a photo or scan of
                           dark ink on paper (JPEG of quality 45 to 90, 15 % PNG, unless said), 2 to 8 digits unless said:
                           - clean: generous gaps (0.3 to 0.6 digit heights), plain paper;
                           - touching: gaps of -0.3 to 0.02 digit heights (touching and overlapping neighbours, never by
                             more than 0.45 of the narrower digit's width);
                           - ruled: ruled notebook paper, half of them with a vertical margin line (reddish or grey,
                             1 or 2 px) anywhere across the image, through or near the number too;
                           - graph: graph paper, a faint grid both ways 0.3 to 0.8 digit heights apart;
                           - box: inside a printed form box (dark, 1 to 3 px, 0.05 to 0.5 digit heights from the ink;
                             a quarter touch the digits on some sides);
                           - formline: a printed line under the number (a form field), a third through the digits' bottoms;
                           - long: 7 to 10 digits, normal gaps;
                           - phone: ballpoint blue or black on paper with a colour cast, uneven digit sizes, the photo
                             turned 3 to 8 degrees either way (corners filled with the paper's colour), slightly
                             blurred, JPEG of quality 40 to 75
  --digits test (default)  MNIST's TEST digits: for REPORTING only. Never choose anything (recipes, thresholds,
                           segmentation settings) by these sets' figures.
  --digits heldout         MNIST's TRAINING digits 55,000 to 59,999, the validation digits the line reader's trainer
                           holds out (it trains on 0 to 54,999): for CHOOSING. Drawn with seed 1001 by default (not
                           the test sets' seed 1), so no layout, paper or mark is shared with a test set.
Each set's folder holds:
  images/<nnnnn>.jpg|png (numbers) or images/<condition>-<nnnnn>.jpg|png (conditions)   one handwritten number each
  labels.tsv               file<TAB>number<TAB>kind (paper, black or the condition)<TAB>the MNIST indices of its digits
                           (test indices, or training indices with --digits heldout), one line per image
  SETTINGS                 version, set, digits, seed and count it was made with
  SHA256SUMS               sha256sum's list of every file above
Everything is seeded: the same version, seed and count give the same bytes with the same numpy and PIL. Each number
draws from its own generator ((seed, n) for numbers, (seed, condition's place, n) for conditions), so the first N
numbers of a bigger set are the numbers of a smaller one.

Usage: /usr/bin/python3 bench/numbers/make_numbers.py --mnist DIR [--cache ROOT] [--seed 1] [--set numbers|conditions]
           [--digits test|heldout] [--count 1000 | --per-condition 100]
           the set in ROOT (default $DIGITSML_CACHE/numbers, else ~/.cache/digitsml/numbers): ROOT/v<VERSION> (numbers,
           test digits), ROOT/numbers-heldout-v<VERSION>, ROOT/conditions-v<VERSION> or ROOT/conditions-heldout-v<VERSION>;
           made only when that folder is missing or fails its SHA256SUMS or SETTINGS, else left as it is
       /usr/bin/python3 bench/numbers/make_numbers.py --mnist DIR --out DIR [--count N | --per-condition N] [...]
           the first N numbers (per condition) in DIR (always made anew)
Prints numbers_dir=<the folder> last."""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image, ImageFilter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "robust"))
import idx  # noqa: E402
from make_robust import made_whole, write_sums  # noqa: E402  (the robustness set's cache handling)

VERSION = 1  # raise when anything that changes the files changes: the cache folder is named after it
MIN_DIGITS, MAX_DIGITS = 2, 8
CONDITIONS = ["clean", "touching", "ruled", "graph", "box", "formline", "long", "phone"]  # --set conditions, in order
HELDOUT = (55000, 60000)  # --digits heldout: the training digits the line reader's trainer holds out for validation


def digit_ink(image, height, rng):
    """One MNIST digit cropped to its ink and scaled to `height` pixels tall (the width keeps the aspect ratio, times a
    little horizontal stretch), as ink strength in [0, 1]."""
    rows, cols = np.nonzero(image > 0)
    crop = image[rows.min():rows.max() + 1, cols.min():cols.max() + 1]
    scale = height / crop.shape[0]
    width = max(1, int(round(crop.shape[1] * scale * rng.uniform(0.85, 1.15))))
    return np.asarray(Image.fromarray(crop).resize((width, height), Image.BICUBIC), dtype=np.float64).clip(0, 255) / 255.0


def compose(images, indices, rng, sizes=(0.8, 1.15), gap=None, margins=(0.3, 1.0)):
    """The ink of the number (strength in [0, 1]) on a canvas with margins, and the digit height it was drawn at.
    Each digit is drawn at `sizes` (a range) times that height; `gap(rng, left, right)` draws the gap between two digits
    in digit heights, given their widths in digit heights (default: mostly apart, a quarter touching or overlapping a
    little); the margins are `margins` (a range) digit heights."""
    size = int(rng.integers(24, 72))
    inks = [digit_ink(images[i], max(8, int(round(size * rng.uniform(*sizes)))), rng) for i in indices]
    if gap is None:  # gaps in digit heights: mostly apart, a quarter touching or overlapping a little
        gaps = [int(round(size * (rng.uniform(-0.12, 0.0) if rng.random() < 0.25 else rng.uniform(0.05, 0.5))))
                for _ in inks[1:]] + [0]
    else:
        gaps = [int(round(size * gap(rng, left.shape[1] / size, right.shape[1] / size)))
                for left, right in zip(inks, inks[1:])] + [0]
    drops = [int(round(size * rng.uniform(-0.1, 0.1))) for _ in inks]  # baseline wander
    margin = int(round(size * rng.uniform(*margins)))
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


def on_paper(ink, size, rng, ruled=None, marks=None, colour=None, paper=None):
    """A photo of the ink on paper: RGB uint8. Ruled lines on half of them, or always (`ruled` True) or never (False);
    `marks(rgb, rng)` draws printed things (grids, boxes, lines) on the paper, under the ink; `colour` and `paper` (RGB
    in [0, 1]) replace the drawn ink and paper colours."""
    h, w = ink.shape
    if paper is None:
        paper = np.array([rng.uniform(0.82, 1.0), rng.uniform(0.8, 1.0), rng.uniform(0.75, 0.98)])
    rgb = np.ones((h, w, 3)) * paper
    if (rng.random() < 0.5) if ruled is None else ruled:  # ruled lines, pale blue or grey, under the ink
        line = np.array([0.55, 0.65, 0.85]) if rng.random() < 0.5 else np.array([0.6, 0.6, 0.6])
        spacing = max(6, int(size * rng.uniform(0.7, 1.3)))
        thick = 1 + int(rng.random() < 0.4)
        for y in range(int(rng.integers(0, spacing)), h, spacing):
            rgb[y:y + thick] = rgb[y:y + thick] * 0.4 + line * 0.6
    if marks is not None:
        marks(rgb, rng)
    specks = int(rng.integers(0, 4))
    for _ in range(specks):
        r = max(1, int(size * rng.uniform(0.02, 0.06)))
        cy, cx = int(rng.integers(0, h)), int(rng.integers(0, w))
        yy, xx = np.ogrid[:h, :w]
        ink = np.where((yy - cy) ** 2 + (xx - cx) ** 2 <= r * r, np.maximum(ink, rng.uniform(0.6, 1.0)), ink)
    if colour is None:
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


def make_number(images, labels, seed, n, first=0):
    """Number n: (encoded bytes, extension, the number's text, its kind, the indices of its digits). `images` are the
    digits from MNIST index `first` on."""
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
    return out.getvalue(), ext, "".join(str(int(labels[i])) for i in indices), kind, [first + i for i in indices]


def ink_box(ink):
    """Top, bottom, left, right (inclusive) of the clearly inked pixels."""
    rows, cols = np.nonzero(ink > 0.2)
    return rows.min(), rows.max(), cols.min(), cols.max()


def blend(rgb, rows, cols, colour, alpha):
    """Prints `colour` over rgb[rows, cols] with opacity `alpha` (slices clipped to the image by numpy)."""
    rgb[rows, cols] = rgb[rows, cols] * (1 - alpha) + colour * alpha


def print_colour(rng):
    """A dark printed colour: black, dark grey or dark blue."""
    return [np.array([0.1, 0.1, 0.1]), np.array([0.25, 0.25, 0.25]), np.array([0.1, 0.15, 0.4])][int(rng.integers(0, 3))]


def margin_line(rgb, rng, size):
    """A notebook's vertical margin line, reddish or grey, 1 or 2 px, somewhere across the image."""
    colour = np.array([0.85, 0.35, 0.35]) if rng.random() < 0.6 else np.array([0.55, 0.55, 0.55])
    x, thick = int(rng.integers(0, rgb.shape[1])), 1 + int(rng.random() < 0.5)
    blend(rgb, slice(None), slice(x, x + thick), colour, rng.uniform(0.5, 0.8))


def graph_paper(rgb, rng, size):
    """A faint grid both ways, 0.3 to 0.8 digit heights apart, pale blue, green or grey."""
    colour = [np.array([0.5, 0.65, 0.85]), np.array([0.5, 0.75, 0.55]), np.array([0.6, 0.6, 0.6])][int(rng.integers(0, 3))]
    spacing, alpha = max(4, int(round(size * rng.uniform(0.3, 0.8)))), rng.uniform(0.25, 0.5)
    for y in range(int(rng.integers(0, spacing)), rgb.shape[0], spacing):
        blend(rgb, slice(y, y + 1), slice(None), colour, alpha)
    for x in range(int(rng.integers(0, spacing)), rgb.shape[1], spacing):
        blend(rgb, slice(None), slice(x, x + 1), colour, alpha)


def form_box(ink, rng, size):
    """marks: a printed rectangle around the number, 1 to 3 px, 0.05 to 0.5 digit heights from its ink; a quarter of
    the boxes touch it (-0.03 to 0.01) on each side with even odds."""
    def draw(rgb, rng):
        top, bottom, left, right = ink_box(ink)
        colour, thick, alpha = print_colour(rng), int(rng.integers(1, 4)), rng.uniform(0.75, 1.0)
        touching = rng.random() < 0.25
        pads = [int(round(size * (rng.uniform(-0.03, 0.01) if touching and rng.random() < 0.5 else rng.uniform(0.05, 0.5))))
                for _ in range(4)]  # top, bottom, left, right
        y0, y1 = max(0, top - pads[0] - thick), min(rgb.shape[0] - thick, bottom + pads[1] + 1)
        x0, x1 = max(0, left - pads[2] - thick), min(rgb.shape[1] - thick, right + pads[3] + 1)
        for rows, cols in ((slice(y0, y0 + thick), slice(x0, x1 + thick)), (slice(y1, y1 + thick), slice(x0, x1 + thick)),
                           (slice(y0, y1 + thick), slice(x0, x0 + thick)), (slice(y0, y1 + thick), slice(x1, x1 + thick))):
            blend(rgb, rows, cols, colour, alpha)
    return draw


def form_line(ink, rng, size):
    """marks: a printed line under the number, 1 or 2 px, a little below its lowest ink or (a third) through the
    bottoms of its digits, running from before the number to after it or to the image's edges."""
    def draw(rgb, rng):
        top, bottom, left, right = ink_box(ink)
        below = rng.uniform(-0.15, 0.0) if rng.random() < 1 / 3 else rng.uniform(0.03, 0.2)
        y = min(rgb.shape[0] - 2, bottom + int(round(size * below)))
        x0 = 0 if rng.random() < 0.5 else max(0, left - int(size * rng.uniform(0.1, 0.6)))
        x1 = rgb.shape[1] if rng.random() < 0.5 else right + int(size * rng.uniform(0.1, 0.6))
        blend(rgb, slice(y, y + 1 + int(rng.random() < 0.5)), slice(x0, x1), print_colour(rng), rng.uniform(0.7, 1.0))
    return draw


def make_condition(images, labels, seed, condition, n, first=0):
    """Number n of a condition of --set conditions: (encoded bytes, extension, the number's text, the condition, the
    indices of its digits). Each condition draws from its own generator (seed, condition's place in CONDITIONS, n)."""
    rng = np.random.default_rng([seed, CONDITIONS.index(condition), n])
    count = int(rng.integers(7, 11)) if condition == "long" else int(rng.integers(MIN_DIGITS, MAX_DIGITS + 1))
    indices = [int(i) for i in rng.integers(0, len(images), count)]
    gap, sizes, margins = None, (0.8, 1.15), (0.3, 1.0)
    if condition == "clean":
        gap = lambda rng, left, right: rng.uniform(0.3, 0.6)  # noqa: E731
    elif condition == "touching":  # -0.3 to 0.02 heights, but never more than 0.45 of the narrower digit's width
        gap = lambda rng, left, right: max(rng.uniform(-0.3, 0.02), -0.45 * min(left, right))  # noqa: E731
    elif condition == "long":
        gap = lambda rng, left, right: rng.uniform(0.05, 0.4)  # noqa: E731
    elif condition == "box":
        margins = (0.6, 1.0)  # room for the box's padding
    elif condition == "phone":
        sizes = (0.7, 1.3)
    ink, size = compose(images, indices, rng, sizes=sizes, gap=gap, margins=margins)
    ruled, marks, colour, paper = False, None, None, None
    if condition == "ruled":
        ruled = True
        if rng.random() < 0.5:
            marks = lambda rgb, rng: margin_line(rgb, rng, size)  # noqa: E731
    elif condition == "graph":
        marks = lambda rgb, rng: graph_paper(rgb, rng, size)  # noqa: E731
    elif condition == "box":
        marks = form_box(ink, rng, size)
    elif condition == "formline":
        marks = form_line(ink, rng, size)
    elif condition == "long":
        ruled = None
    elif condition == "phone":  # ballpoint blue or black on tinted paper (a cast of colour, as a phone's white balance)
        colour = np.array([0.1, 0.2, 0.6]) if rng.random() < 0.5 else np.array([0.1, 0.1, 0.12])
        paper = np.array([0.9, 0.86, 0.75]) * rng.uniform(0.8, 1.0) + rng.uniform(-0.06, 0.06, 3)
    rgb = on_paper(ink, size, rng, ruled=ruled, marks=marks, colour=colour, paper=paper)
    out = io.BytesIO()
    if condition == "phone":  # turned 3 to 8 degrees either way, the corners filled with the paper's colour, blurred
        border = np.concatenate([rgb[0], rgb[-1], rgb[:, 0], rgb[:, -1]])
        fill = tuple(int(v) for v in np.median(border, axis=0))
        angle = rng.uniform(3, 8) * (1 if rng.random() < 0.5 else -1)
        photo = Image.fromarray(rgb).rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=fill)
        photo = photo.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
        ext = "jpg"
        photo.save(out, "JPEG", quality=int(rng.integers(40, 76)))
    elif rng.random() < 0.15:
        ext = "png"
        Image.fromarray(rgb).save(out, "PNG")
    else:
        ext = "jpg"
        Image.fromarray(rgb).save(out, "JPEG", quality=int(rng.integers(45, 91)))
    return out.getvalue(), ext, "".join(str(int(labels[i])) for i in indices), condition, [first + i for i in indices]


def make(folder, args, settings):
    """Writes the set into `folder` (which must not exist yet)."""
    prefix, which = ("train", "training") if args.digits == "heldout" else ("t10k", "test")
    try:
        images = idx.read(os.path.join(args.mnist, f"{prefix}-images-idx3-ubyte"), 3)
        labels = idx.read(os.path.join(args.mnist, f"{prefix}-labels-idx1-ubyte"), 1)
    except OSError as e:
        raise SystemExit(f"make_numbers.py: cannot read {e.filename}: {e.strerror} (build/setup.sh fetches MNIST)")
    except ValueError as e:
        raise SystemExit(f"make_numbers.py: {e}")
    if len(images) != len(labels) or images.shape[1:] != (28, 28):
        raise SystemExit(f"make_numbers.py: {args.mnist} does not hold MNIST's 28 x 28 {which} images and their labels")
    first = 0
    if args.digits == "heldout":
        first, end = HELDOUT
        if len(images) < end:
            raise SystemExit(f"make_numbers.py: {args.mnist} holds {len(images)} training images, not the {end} of MNIST")
        images, labels = images[first:end], labels[first:end]
    os.makedirs(os.path.join(folder, "images"))
    if args.set == "conditions":
        jobs = [(f"images/{c}-{n:05d}", lambda c=c, n=n: make_condition(images, labels, args.seed, c, n, first))
                for c in CONDITIONS for n in range(args.per_condition)]
    else:
        jobs = [(f"images/{n:05d}", lambda n=n: make_number(images, labels, args.seed, n, first)) for n in range(args.count)]
    with open(os.path.join(folder, "labels.tsv"), "w", encoding="utf-8") as table:
        for stem, job in jobs:
            data, ext, text, kind, indices = job()
            name = f"{stem}.{ext}"
            with open(os.path.join(folder, name), "wb") as f:
                f.write(data)
            table.write(f"{name}\t{text}\t{kind}\t{','.join(map(str, indices))}\n")
    with open(os.path.join(folder, "SETTINGS"), "w", encoding="utf-8") as f:
        f.write(settings)
    write_sums(folder)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--mnist", required=True, help="folder with MNIST's t10k (and, for --digits heldout, train) IDX files")
    parser.add_argument("--cache", help="root of the cached sets (default $DIGITSML_CACHE/numbers)")
    parser.add_argument("--out", help="make the set in this folder instead (made anew)")
    parser.add_argument("--set", choices=["numbers", "conditions"], default="numbers",
                        help="numbers: the mixed set (default); conditions: --per-condition numbers under each condition")
    parser.add_argument("--digits", choices=["test", "heldout"], default="test",
                        help="test: MNIST's test digits, for reporting (default); heldout: training digits 55,000 to "
                             "59,999, for choosing")
    parser.add_argument("--count", type=int, help="numbers to make (--set numbers; default 1000)")
    parser.add_argument("--per-condition", type=int, help="numbers per condition (--set conditions; default 100)")
    parser.add_argument("--seed", type=int, help="seed of every random draw (default 1; 1001 with --digits heldout)")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = 1001 if args.digits == "heldout" else 1
    if args.set == "conditions" and args.count is not None:
        parser.error("--count is for --set numbers: give --per-condition N with --set conditions")
    if args.set == "numbers" and args.per_condition is not None:
        parser.error("--per-condition is for --set conditions")
    args.count = 1000 if args.count is None else args.count
    args.per_condition = 100 if args.per_condition is None else args.per_condition
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.per_condition < 1:
        parser.error("--per-condition must be at least 1")
    if args.set == "conditions":
        settings = (f"version={VERSION} set=conditions digits={args.digits} seed={args.seed} "
                    f"per-condition={args.per_condition} conditions={','.join(CONDITIONS)} numpy={np.__version__}\n")
    else:  # the test numbers' SETTINGS as they always were, so that their cached set stays valid
        settings = (f"version={VERSION} seed={args.seed} count={args.count} numpy={np.__version__}"
                    + (" digits=heldout" if args.digits == "heldout" else "") + "\n")
    name = None if args.set == "numbers" and args.digits == "test" else \
        f"{args.set}{'-heldout' if args.digits == 'heldout' else ''}-v{VERSION}"
    title = ("numbers set" if args.set == "numbers" else "conditions set") + \
        (" (held-out training digits)" if args.digits == "heldout" else "")
    folder = made_whole("numbers", VERSION, settings, args.out, args.cache,
                        lambda work: make(work, args, settings), title, name)
    print(f"numbers_dir={folder}")


if __name__ == "__main__":
    main()
