"""writers.py — digits "by other writers" for the robustness set: the ten digits rendered with handwriting-like fonts from
Debian packages (see FONTS; build/setup.sh --robust installs them), each with its own random size, pen width, slant,
rotation and placement. Two kinds:
  rendered  ink bright on black, 28 x 28, made the way MNIST made its images (the glyph's box fitted to 20 x 20 keeping
            its aspect, anti-aliased, centred by centre of mass), so they load as IDX beside MNIST's test set;
  photos    dark ink on paper in a bigger RGB frame: paper colour and grain, a lighting gradient, ruled lines on some,
            camera blur, the digit anywhere at any size, saved as JPEG: what an app gets, read through NormalizeDigit."""
import os

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# (Debian package, font file). Outline-only faces (fonts-femkeklaver) are left out: nobody writes hollow digits.
FONTS = [
    ("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkg.ttf"),
    ("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkgBd.ttf"),
    ("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkgIt.ttf"),
    ("fonts-dkg-handwriting", "/usr/share/fonts/truetype/fifthhorseman/dkgBI.ttf"),
    ("fonts-breip", "/usr/share/fonts/truetype/breip/Breip.ttf"),
    ("fonts-humor-sans", "/usr/share/fonts/truetype/humor-sans/Humor-Sans.ttf"),
    ("fonts-ecolier-court", "/usr/share/fonts/truetype/ecolier-court/Ecolier-court.ttf"),
    ("fonts-klee", "/usr/share/fonts/truetype/klee/KleeOne-Regular.ttf"),
    ("fonts-klee", "/usr/share/fonts/truetype/klee/KleeOne-SemiBold.ttf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeBuild-Regular.otf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeConnect-Regular.otf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeCreate-Regular.otf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeLearn-Regular.otf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeMentor-Regular.otf"),
    ("fonts-bwht", "/usr/share/fonts/opentype/bwht/BecauseWeOrganize-Regular.otf"),
    ("fonts-dancingscript", "/usr/share/fonts/opentype/dancingscript/DancingScript-Regular.otf"),
    ("fonts-dancingscript", "/usr/share/fonts/opentype/dancingscript/DancingScript-Bold.otf"),
    ("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Regular.otf"),
    ("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Bold.otf"),
    ("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Italic.otf"),
    ("fonts-comic-neue", "/usr/share/fonts/opentype/comic-neue/ComicNeue-Light.otf"),
    ("fonts-kaushanscript", "/usr/share/fonts/opentype/kaushanscript/KaushanScript-Regular.otf"),
]
PAPERS = [(246, 244, 238), (238, 232, 214), (226, 236, 246), (248, 240, 200), (222, 222, 222), (250, 250, 250)]
INKS = [(22, 22, 26), (28, 40, 120), (70, 70, 74), (10, 60, 30)]  # black, blue ballpoint, pencil, green


def check_fonts():
    """Fails with what to install when a font file is missing."""
    missing = sorted({package for package, path in FONTS if not os.path.isfile(path)})
    if missing:
        raise SystemExit("make_robust.py: the fonts of the other writers are missing: install the Debian packages "
                         + " ".join(missing) + " (build/setup.sh --robust does)")


def glyph(rng, digit):
    """One digit as a float mask (ink 1 on 0), cropped to its ink, and the parameters drawn for it."""
    font_index = int(rng.integers(len(FONTS)))
    size = int(rng.integers(40, 96))
    pen = int(rng.integers(0, max(1, size // 14) + 1))  # extra pen width in pixels at this size
    slant = float(rng.uniform(-0.3, 0.3))
    angle = float(rng.uniform(-12, 12))
    canvas = Image.new("L", (size * 3, size * 3), 0)
    font = ImageFont.truetype(FONTS[font_index][1], size)
    ImageDraw.Draw(canvas).text((size * 1.5, size * 1.5), str(digit), font=font, fill=255, anchor="mm",
                                stroke_width=pen, stroke_fill=255)
    c = size * 1.5
    canvas = canvas.transform(canvas.size, Image.Transform.AFFINE, (1, slant, -slant * c, 0, 1, 0), Image.Resampling.BILINEAR)
    canvas = canvas.rotate(angle, resample=Image.Resampling.BILINEAR)
    box = canvas.getbbox()
    if box is None:
        raise SystemExit(f"make_robust.py: {FONTS[font_index][1]} drew nothing for the digit {digit}")
    params = {"font": os.path.basename(FONTS[font_index][1]), "package": FONTS[font_index][0], "size": size, "pen": pen,
              "slant": round(slant, 3), "rotation": round(angle, 2)}
    return canvas.crop(box), params


def mnist_style(mask):
    """MNIST's own normalisation: the box fitted into 20 x 20 keeping its aspect (anti-aliased), placed in 28 x 28 with
    its centre of mass on pixel (14, 14) (MNIST's test set has its mean there), bytes."""
    w, h = mask.size
    k = 20.0 / max(w, h)
    small = mask.resize((max(1, round(w * k)), max(1, round(h * k))), Image.Resampling.LANCZOS)
    a = np.asarray(small, dtype=np.float64)
    total = a.sum()
    cy = (a.sum(axis=1) * np.arange(a.shape[0])).sum() / total
    cx = (a.sum(axis=0) * np.arange(a.shape[1])).sum() / total
    top, left = int(round(14 - cy)), int(round(14 - cx))
    top, left = min(max(top, 0), 28 - a.shape[0]), min(max(left, 0), 28 - a.shape[1])
    out = np.zeros((28, 28))
    out[top:top + a.shape[0], left:left + a.shape[1]] = a
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def photo(rng, mask):
    """The mask written in ink on a paper photo (RGB image) and the parameters drawn for it."""
    w, h = int(rng.integers(80, 201)), int(rng.integers(80, 201))
    height = float(rng.uniform(0.35, 0.8)) * h
    k = min(height / mask.size[1], 0.9 * w / mask.size[0])
    glyph_mask = mask.resize((max(1, round(mask.size[0] * k)), max(1, round(mask.size[1] * k))), Image.Resampling.LANCZOS)
    gw, gh = glyph_mask.size
    margin = 3  # the whole digit is in the picture, a few pixels from the edges
    w, h = max(w, gw + 2 * margin), max(h, gh + 2 * margin)
    x0, y0 = int(rng.integers(margin, w - gw - margin + 1)), int(rng.integers(margin, h - gh - margin + 1))
    alpha = np.zeros((h, w))
    alpha[y0:y0 + gh, x0:x0 + gw] = np.asarray(glyph_mask, dtype=np.float64) / 255.0
    paper = np.array(PAPERS[int(rng.integers(len(PAPERS)))], dtype=np.float64)
    ink = np.array(INKS[int(rng.integers(len(INKS)))], dtype=np.float64)
    ink_strength = float(rng.uniform(0.75, 1.0))
    image = np.broadcast_to(paper, (h, w, 3)).copy()
    lined = bool(rng.random() < 0.25)
    if lined:  # faint blue ruled lines, as on a notebook page, under the ink
        spacing = int(rng.integers(max(12, h // 5), max(13, h // 3)))
        rows = np.arange(h)
        ruled = ((rows - int(rng.integers(spacing))) % spacing) == 0
        image[ruled] = image[ruled] * 0.55 + np.array([120, 150, 210]) * 0.45
    a = alpha[:, :, None] * ink_strength
    image = image * (1 - a) + ink * a
    # Lighting: a linear gradient from `dark` of full light to full light, in a random direction.
    theta = float(rng.uniform(0, 2 * np.pi))
    yy, xx = np.mgrid[0:h, 0:w]
    ramp = (np.cos(theta) * (xx / w) + np.sin(theta) * (yy / h))
    ramp = (ramp - ramp.min()) / max(1e-9, np.ptp(ramp))
    dark = float(rng.uniform(0.55, 1.0))
    image *= (dark + (1 - dark) * ramp)[:, :, None]
    image += rng.normal(0, 4.0, (h, w, 1))  # paper grain, the same on the three channels
    picture = Image.fromarray(np.clip(np.rint(image), 0, 255).astype(np.uint8), "RGB")
    blur = float(rng.uniform(0.0, 1.2))
    if blur > 0.2:
        picture = picture.filter(ImageFilter.GaussianBlur(blur))
    quality = int(rng.integers(35, 91))
    params = {"frame": f"{w}x{h}", "digit_height": round(gh / h, 2), "at": f"{x0},{y0}", "lined": lined,
              "light": round(dark, 2), "blur": round(blur, 2), "jpeg_quality": quality}
    return picture, quality, params


def make(out, rng, rendered_per_digit, photos_per_digit):
    """Writes out/rendered/<d>/*.png, out/rendered-{images-idx3,labels-idx1}-ubyte, out/photos/<d>/*.jpg and
    out/sources.tsv (each file, its label and everything drawn for it). Returns the counts."""
    check_fonts()
    rows, images, labels = [], [], []
    for d in range(10):
        os.makedirs(os.path.join(out, "rendered", str(d)), exist_ok=True)
        os.makedirs(os.path.join(out, "photos", str(d)), exist_ok=True)
    for i in range(rendered_per_digit * 10):
        d = i % 10
        mask, params = glyph(rng, d)
        pixels = mnist_style(mask)
        name = os.path.join("rendered", str(d), f"r{i:05d}.png")
        Image.fromarray(pixels, "L").save(os.path.join(out, name))
        images.append(pixels)
        labels.append(d)
        rows.append((name, d, params))
    for i in range(photos_per_digit * 10):
        d = i % 10
        mask, params = glyph(rng, d)
        picture, quality, photo_params = photo(rng, mask)
        name = os.path.join("photos", str(d), f"p{i:05d}.jpg")
        picture.save(os.path.join(out, name), quality=quality)
        rows.append((name, d, {**params, **photo_params}))
    with open(os.path.join(out, "sources.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tlabel\tdrawn\n")
        for name, d, params in rows:
            f.write(f"{name}\t{d}\t" + " ".join(f"{k}={v}" for k, v in params.items()) + "\n")
    return np.stack(images), np.array(labels, dtype=np.uint8)
