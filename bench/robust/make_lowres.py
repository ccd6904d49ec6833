"""make_lowres.py — the low-resolution part of the robustness set (issue 23): digits by other writers as a low-dpi scan
captures them, only 8-16 pixels tall, then brought to MNIST's 28 x 28 framing the way an app would. Two disjoint splits,
made from different font packages and different seeds: `validation` (choose recipes on it) and `test` (report it).
numpy, PIL and the handwriting fonts of writers.FONTS only. Each split is a folder that build/bench.sh robust --set and
DigitsML.Bench --robust read as they read the robustness set:
  corruptions/clean-images-idx3-ubyte        the same glyphs rendered MNIST-style at full resolution (the reference)
  corruptions/lowres_8to11-images-idx3-ubyte  the same glyphs scanned 8-11 pixels tall (uniform), then MNIST-style
  corruptions/lowres_12to16-images-idx3-ubyte the same glyphs scanned 12-16 pixels tall, then MNIST-style
  corruptions/labels-idx1-ubyte, corruptions/index.tsv   their labels; the two scanned rows and what they are
  writers/rendered-{images-idx3,labels-idx1}-ubyte, writers/rendered/<d>/*.png   THE FIGURE: the same glyphs scanned
                                              8-16 pixels tall (uniform, a draw of its own), then MNIST-style
  writers/photos/<d>/*.{png,jpg}             those very scans as image files (grey paper, dark ink, a few pixels of
                                              margin), for LoadImages -> NormalizeDigit: what an app gets
  writers/sources.tsv                        every file: label, font, package and everything drawn for it
Above the splits: SETTINGS (version, seed, sizes, the font split) and SHA256SUMS of every file.

Usage: /usr/bin/python3 bench/robust/make_lowres.py [--cache ROOT] [--seed 1]
           both splits in ROOT/lowres-v<VERSION>/{validation,test} (ROOT default $DIGITSML_CACHE/robust), made only when
           that folder is missing or fails its SHA256SUMS or SETTINGS, else left as it is
       /usr/bin/python3 bench/robust/make_lowres.py --out DIR [--count N]
           both splits in DIR (always made anew), N glyphs per digit and split (default 300)
Prints lowres_validation=<folder> and lowres_test=<folder> last."""
import argparse
import io
import os
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import idx  # noqa: E402
import make_robust  # noqa: E402  (the cache: made_whole, write_sums)
import writers  # noqa: E402  (FONTS, check_fonts, mnist_style)

VERSION = 1  # raise when anything that changes the files changes: the cache folder is named after it
PER_DIGIT = 300
# The font split, by Debian package, so that no family is in both: recipes are chosen on validation's families and
# reported on test's. Both hold print-like and joined/script hands; test has the most real-handwriting faces (bwht's six
# hands, Breip, the school hand Ecolier).
SPLITS = {
    "validation": ("fonts-dkg-handwriting", "fonts-humor-sans", "fonts-klee", "fonts-dancingscript", "fonts-kaushanscript"),
    "test": ("fonts-breip", "fonts-ecolier-court", "fonts-bwht", "fonts-comic-neue"),
}
SPLIT_SEEDS = {"validation": 231, "test": 232}  # with --seed: each split's own generator
BANDS = (("lowres_8to11", 8.0, 11.0), ("lowres_12to16", 12.0, 16.0))
FIGURE_BAND = (8.0, 16.0)
INK_FLOOR = 0.15  # the app's background cut, as a share of the darkest ink


def split_fonts(split):
    """The (package, file) pairs of a split, grouped by package."""
    fonts = {}
    for package, path in writers.FONTS:
        if package in SPLITS[split]:
            fonts.setdefault(package, []).append(path)
    return fonts


def smooth_field(rng, shape, cells, amplitude):
    """A smooth random displacement (pixels) over `shape`: a cells x cells grid of normal draws up-sampled bicubically."""
    grid = rng.normal(0.0, amplitude, (cells, cells)).astype(np.float32)
    return np.asarray(Image.fromarray(grid, "F").resize((shape[1], shape[0]), Image.Resampling.BICUBIC), dtype=np.float64)


def sample(a, sy, sx):
    """Bilinear sampling of a (2-D) at rows sy, columns sx, zero outside."""
    h, w = a.shape
    y0, x0 = np.floor(sy).astype(np.int64), np.floor(sx).astype(np.int64)
    fy, fx = sy - y0, sx - x0
    out = np.zeros(sy.shape)
    for dy in (0, 1):
        for dx in (0, 1):
            yi, xi = y0 + dy, x0 + dx
            inside = (yi >= 0) & (yi < h) & (xi >= 0) & (xi < w)
            v = np.where(inside, a[np.clip(yi, 0, h - 1), np.clip(xi, 0, w - 1)], 0.0)
            out += v * ((fy if dy else 1 - fy) * (fx if dx else 1 - fx))
    return out


def gaussian_blur(a, sigma):
    """Separable Gaussian blur of a 2-D array (kernel radius 3 sigma, edges repeated)."""
    r = max(1, int(np.ceil(3 * sigma)))
    kernel = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    kernel /= kernel.sum()
    padded = np.pad(a, r, mode="edge")
    rows = sum(kernel[i] * padded[:, i:i + a.shape[1]] for i in range(2 * r + 1))
    return sum(kernel[i] * rows[i:i + a.shape[0]] for i in range(2 * r + 1))


def glyph(rng, fonts, digit):
    """One handwritten-like digit at full resolution as a float mask in [0, 1] cropped to its ink, and what was drawn.
    Beyond writers.glyph's size, pen, slant and rotation: the outline is bent by a smooth random field (a hand's wobble,
    independent of MNIST) and the strokes made bolder in places (uneven pressure)."""
    packages = sorted(fonts)
    package = packages[int(rng.integers(len(packages)))]
    path = fonts[package][int(rng.integers(len(fonts[package])))]
    size = int(rng.integers(48, 97))
    pen = int(rng.integers(size // 48, size // 14 + 1))  # extra pen width: at least a pixel from size 48, no hairlines
    slant = float(rng.uniform(-0.35, 0.35))
    angle = float(rng.uniform(-12, 12))
    wobble = float(rng.uniform(0.0, 0.06))  # displacement amplitude, a share of the font size
    canvas = Image.new("L", (size * 3, size * 3), 0)
    ImageDraw.Draw(canvas).text((size * 1.5, size * 1.5), str(digit), font=ImageFont.truetype(path, size), fill=255,
                                anchor="mm", stroke_width=pen, stroke_fill=255)
    c = size * 1.5
    canvas = canvas.transform(canvas.size, Image.Transform.AFFINE, (1, slant, -slant * c, 0, 1, 0), Image.Resampling.BILINEAR)
    canvas = canvas.rotate(angle, resample=Image.Resampling.BILINEAR)
    a = np.asarray(canvas, dtype=np.float64) / 255.0
    rows, cols = np.mgrid[0:a.shape[0], 0:a.shape[1]].astype(np.float64)
    a = sample(a, rows + smooth_field(rng, a.shape, 5, wobble * size), cols + smooth_field(rng, a.shape, 5, wobble * size))
    # Uneven pressure: where a smooth random field is positive the strokes are bolder, blended towards the mask grown by
    # a few pixels (a grey dilation); never thinner, so that no font's thin stroke is lost.
    pressure = float(rng.uniform(0.0, 1.0))
    grown = np.asarray(Image.fromarray(np.rint(a * 255).astype(np.uint8), "L").filter(ImageFilter.MaxFilter(2 * max(1, size // 32) + 1)),
                       dtype=np.float64) / 255.0
    weight = pressure * np.clip(np.tanh(smooth_field(rng, a.shape, 4, 1.0)), 0.0, 1.0)
    a = a + weight * (grown - a)
    ys, xs = np.nonzero(a > 0.02)
    if len(ys) == 0:
        raise SystemExit(f"make_lowres.py: {path} drew nothing for the digit {digit}")
    a = a[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    params = {"font": os.path.basename(path), "package": package, "size": size, "pen": pen, "slant": round(slant, 3),
              "rotation": round(angle, 2), "wobble": round(wobble, 3), "pressure": round(pressure, 3)}
    return a, params


def scan(rng, mask, height_band):
    """The glyph as a low-dpi scan captures it: area-sampled so that its ink is `height` pixels tall at a random
    sub-pixel phase, on grey paper with a few pixels of margin, the scanner's optical blur, sensor noise, 8 bits, then
    as a JPEG (half of them) or thresholded to 1 bit (a tenth, as fax-like scans are). Returns the encoded bytes, its
    file extension and what was drawn."""
    height = float(rng.uniform(*height_band))
    k = height / mask.shape[0]
    margin = [int(rng.integers(2, 7)) for _ in range(4)]  # left, top, right, bottom, in scan pixels
    phase = rng.uniform(0.0, 1.0, 2)
    pad = int(np.ceil(8 / k))
    big = np.pad(mask, pad)
    out_w = int(np.floor(mask.shape[1] * k + phase[0])) + 1 + margin[0] + margin[2]
    out_h = int(np.floor(mask.shape[0] * k + phase[1])) + 1 + margin[1] + margin[3]
    left = pad - (margin[0] + phase[0]) / k
    top = pad - (margin[1] + phase[1]) / k
    big_image = Image.fromarray(big.astype(np.float32), "F")
    if left < 0 or top < 0 or left + out_w / k > big.shape[1] or top + out_h / k > big.shape[0]:
        raise AssertionError("scan box outside the padded glyph")
    alpha = np.asarray(big_image.resize((out_w, out_h), Image.Resampling.BOX,
                                        box=(left, top, left + out_w / k, top + out_h / k)), dtype=np.float64)
    blur = float(rng.uniform(0.3, 0.9))
    alpha = gaussian_blur(alpha, blur)
    paper = float(rng.uniform(195, 250))
    ink = float(rng.uniform(15, 110))  # black ink to a soft pencil
    noise = float(rng.uniform(1.0, 5.0))
    grey = paper - (paper - ink) * np.clip(alpha, 0, 1) + rng.normal(0.0, noise, alpha.shape)
    picture = Image.fromarray(np.clip(np.rint(grey), 0, 255).astype(np.uint8), "L")
    params = {"height": round(height, 2), "scan": f"{out_w}x{out_h}", "blur": round(blur, 2), "paper": round(paper),
              "ink": round(ink), "noise": round(noise, 1)}
    kind = rng.random()
    encoded = io.BytesIO()
    if kind < 0.1:
        threshold = (paper + picture.getextrema()[0]) / 2  # halfway to the darkest pixel, as scanners' auto threshold
        picture = picture.point(lambda v: 255 if v > threshold else 0)
        picture.save(encoded, format="PNG")
        params["encoding"], ext = "1-bit", ".png"
    elif kind < 0.6:
        quality = int(rng.integers(40, 91))
        picture.save(encoded, format="JPEG", quality=quality)
        params["encoding"], ext = f"jpeg{quality}", ".jpg"
    else:
        picture.save(encoded, format="PNG")
        params["encoding"], ext = "8-bit", ".png"
    return encoded.getvalue(), ext, params


def app_framing(encoded):
    """What an app does with the scan before the classifier: decode, ink = paper minus pixel (paper: the median of the
    border), stretched so that the darkest ink is 1, values under INK_FLOOR cut to 0 (the rest rescaled), cropped to the
    ink and framed as MNIST frames (writers.mnist_style: upscaled to fit 20 x 20, centre of mass on (14, 14))."""
    grey = np.asarray(Image.open(io.BytesIO(encoded)).convert("L"), dtype=np.float64)
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    ink = np.median(border) - grey
    ink = np.clip(ink / max(ink.max(), 1.0), 0.0, 1.0)
    ink = np.clip((ink - INK_FLOOR) / (1 - INK_FLOOR), 0.0, 1.0)
    ys, xs = np.nonzero(ink > 0)
    if len(ys) == 0:
        raise AssertionError("a scan with no ink above the floor")
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
    return writers.mnist_style(Image.fromarray((ink * 255).astype(np.float32), "F"))


def full_resolution(mask):
    """The glyph framed as MNIST frames it, from full resolution (writers.mnist_style)."""
    return writers.mnist_style(Image.fromarray((mask * 255).astype(np.float32), "F"))


def make_split(folder, split, rng, per_digit):
    """Writes one split (see the module's docstring) into `folder`, which must not exist yet."""
    fonts = split_fonts(split)
    rows = {name: [] for name in ["clean", *(b[0] for b in BANDS), "figure"]}
    labels, sources = [], []
    for sub in ("rendered", "photos"):
        for d in range(10):
            os.makedirs(os.path.join(folder, "writers", sub, str(d)))
    os.makedirs(os.path.join(folder, "corruptions"))
    for i in range(per_digit * 10):
        d = i % 10
        mask, params = glyph(rng, fonts, d)
        rows["clean"].append(full_resolution(mask))
        for name, low, high in BANDS:
            encoded, _, _ = scan(rng, mask, (low, high))
            rows[name].append(app_framing(encoded))
        encoded, ext, scan_params = scan(rng, mask, FIGURE_BAND)
        pixels = app_framing(encoded)
        rows["figure"].append(pixels)
        labels.append(d)
        photo = os.path.join("photos", str(d), f"s{i:05d}{ext}")
        with open(os.path.join(folder, "writers", photo), "wb") as f:
            f.write(encoded)
        rendered = os.path.join("rendered", str(d), f"s{i:05d}.png")
        Image.fromarray(pixels, "L").save(os.path.join(folder, "writers", rendered))
        sources.append((photo, rendered, d, {**params, **scan_params}))
    labels = np.array(labels, dtype=np.uint8)
    c = os.path.join(folder, "corruptions")
    idx.write(os.path.join(c, "clean-images-idx3-ubyte"), np.stack(rows["clean"]))
    idx.write(os.path.join(c, "labels-idx1-ubyte"), labels)
    with open(os.path.join(c, "index.tsv"), "w", encoding="utf-8") as index:
        for name, low, high in BANDS:
            idx.write(os.path.join(c, f"{name}-images-idx3-ubyte"), np.stack(rows[name]))
            index.write(f"{name}\tthe same glyphs scanned {low:.0f}-{high:.0f} pixels tall (uniform), framed MNIST-style\n")
    w = os.path.join(folder, "writers")
    idx.write(os.path.join(w, "rendered-images-idx3-ubyte"), np.stack(rows["figure"]))
    idx.write(os.path.join(w, "rendered-labels-idx1-ubyte"), labels)
    with open(os.path.join(w, "sources.tsv"), "w", encoding="utf-8") as f:
        f.write("photo\trendered\tlabel\tdrawn\n")
        for photo, rendered, d, params in sources:
            f.write(f"{photo}\t{rendered}\t{d}\t" + " ".join(f"{k}={v}" for k, v in params.items()) + "\n")
    print(f"  {split}: {len(labels)} digits from {', '.join(sorted(fonts))}", file=sys.stderr)


def make(folder, args, settings):
    writers.check_fonts()
    for split in SPLITS:
        make_split(os.path.join(folder, split), split, np.random.default_rng([args.seed, SPLIT_SEEDS[split]]), args.count)
    with open(os.path.join(folder, "SETTINGS"), "w", encoding="utf-8") as f:
        f.write(settings)
    make_robust.write_sums(folder)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--cache", help="root of the cached sets (default $DIGITSML_CACHE/robust)")
    parser.add_argument("--out", help="make the splits in this folder instead (made anew)")
    parser.add_argument("--count", type=int, default=PER_DIGIT, help=f"glyphs per digit and split (default {PER_DIGIT})")
    parser.add_argument("--seed", type=int, default=1, help="seed of every random draw (default 1)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")
    if args.count != PER_DIGIT and not args.out:
        parser.error("--count makes a partial set: give --out DIR for it (the cache keeps whole sets)")
    split_text = " ".join(f"{s}={','.join(p)}" for s, p in SPLITS.items())
    settings = (f"version={VERSION} seed={args.seed} per_digit={args.count} {split_text} "
                f"numpy={np.__version__} pil={Image.__version__}\n")
    folder = make_robust.made_whole("robust", VERSION, settings, args.out, args.cache,
                                    lambda work: make(work, args, settings), "low-resolution set", name=f"lowres-v{VERSION}")
    for split in SPLITS:
        print(f"lowres_{split}={os.path.join(folder, split)}")


if __name__ == "__main__":
    main()
