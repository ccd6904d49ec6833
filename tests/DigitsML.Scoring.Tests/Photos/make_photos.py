#!/usr/bin/python3
"""make_photos.py — writes the photo set of the NormalizeDigit photo tests: MNIST test digits written on paper and
"photographed", made here with numpy and PIL (independent of DigitsML), and a small CNN trained with PyTorch to read them.

Usage, from the repository root (Debian's python3-numpy, python3-pil, python3-torch; a plain `python3` may not see them):

    /usr/bin/python3 tests/DigitsML.Scoring.Tests/Photos/make_photos.py            # photos + labels.tsv
    /usr/bin/python3 tests/DigitsML.Scoring.Tests/Photos/make_photos.py --model    # and model.onnx (about 2 minutes)

MNIST's IDX files are read from $DIGITSML_CACHE/mnist (default ~/.cache/digitsml/mnist; build/setup.sh fetches them).
Every draw comes from numpy generators seeded by the condition and the photo's number, so a rerun writes the same bytes
with the same numpy, PIL and libjpeg. Output, beside this script:

  images/<condition>_<k>.jpg|png  one handwritten digit (an MNIST test image, upscaled and re-stroked: its thresholded
                  shape thinned to a one-pixel skeleton with Zhang-Suen thinning, then drawn again with the condition's
                  pen) on paper, in a frame larger than the digit, rotated up to 10 degrees, with paper grain, camera
                  blur and JPEG compression (quality 50-85; phone 30-60); clean_07, pencil_07 and ruled_07 are PNG. The
                  conditions (16 photos each, 176 in all, about 620 KiB) are listed in CONDITIONS below.
  labels.tsv      file, label, condition, MNIST test index, and the parameters drawn for it.
  model.onnx      (--model) a small CNN (conv 5x5 16, pool, conv 5x5 32, pool, dense 64, dense 10; input "image"
                  (N, 1, 28, 28) in [0, 1], ink bright, output "logits" (N, 10)) trained 3 epochs with Adam on MNIST's
                  60,000 training images with small random rotations, scalings and shifts; model.txt records its
                  accuracy on MNIST's clean test set.
"""
import argparse, os, struct

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

ROOT = os.path.dirname(os.path.abspath(__file__))
PER_CONDITION = 16

# name: what the photo shows
CONDITIONS = {
    "clean": "black or blue pen on white paper, even light",
    "gradient": "uneven light: the page darkens to 35-60 % toward one side, with vignetting",
    "shadow": "a soft-edged shadow (50-70 % light) across part of the frame, over the digit",
    "colour": "coloured paper (yellow, pale blue, pink, green, grey) with blue, black or red ink",
    "ruled": "lined paper: horizontal rules every 0.5-1.1 digit heights, 1-3 px, a red margin line on half",
    "grid": "squared paper: a grid every 0.3-0.6 digit heights",
    "specks": "dust and specks: 10-40 dots and small blots around the digit",
    "small": "a small digit (16-40 px tall) anywhere in a 200-400 px frame",
    "pencil": "pencil: faint grey hairline strokes (1-2 px, 15-40 % darkening) with grain",
    "marker": "thick marker strokes (a sixth to a quarter of the digit's height)",
    "phone": "a phone photo: 360 x 480 frame, rotated up to 20 degrees, gradient light, JPEG quality 30-60",
}


def mnist_dir():
    cache = os.environ.get("DIGITSML_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "digitsml")
    return os.path.join(cache, "mnist")


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * rank).reshape(dims)


def zhang_suen(mask):
    """The one-pixel skeleton of a boolean mask (Zhang & Suen 1984), vectorised."""
    m = np.pad(mask.astype(np.uint8), 1)
    while True:
        changed = False
        for step in (0, 1):
            p = [np.roll(np.roll(m, -dy, 0), -dx, 1) for dy, dx in
                 ((-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1), (0, -1), (-1, -1))]  # P2..P9
            b = sum(p)
            seq = p + [p[0]]
            a = sum(((seq[i] == 0) & (seq[i + 1] == 1)).astype(np.uint8) for i in range(8))
            if step == 0:
                c = (p[0] * p[2] * p[4] == 0) & (p[2] * p[4] * p[6] == 0)
            else:
                c = (p[0] * p[2] * p[6] == 0) & (p[0] * p[4] * p[6] == 0)
            remove = (m == 1) & (b >= 2) & (b <= 6) & (a == 1) & c
            if remove.any():
                m[remove] = 0
                changed = True
        if not changed:
            return m[1:-1, 1:-1].astype(bool)


def disk_dilate(mask, radius):
    """Dilation by a disk of the given radius in pixels (through a distance-like sum of shifted copies)."""
    if radius <= 0:
        return mask
    r = int(np.ceil(radius))
    out = np.zeros_like(mask)
    h, w = mask.shape
    padded = np.pad(mask, r)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy <= radius * radius + 0.25:
                out |= padded[r + dy:r + dy + h, r + dx:r + dx + w]
    return out


def pen_stroke(digit28, height, width, rng):
    """The ink coverage (float, [0, 1]) of an MNIST digit written `height` pixels tall with a pen `width` pixels wide."""
    f = height / 20.0
    size = max(8, int(round(28 * f)))
    up = np.asarray(Image.fromarray(digit28).resize((size, size), Image.BICUBIC), dtype=np.float64) / 255
    skeleton = zhang_suen(up > 0.45)
    ink = disk_dilate(skeleton, (width - 1) / 2)
    coverage = Image.fromarray((ink * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.5 + 0.1 * rng.random()))
    return np.asarray(coverage, dtype=np.float64) / 255


def rotate(coverage, degrees):
    img = Image.fromarray((coverage * 255).astype(np.uint8)).rotate(degrees, resample=Image.BILINEAR, expand=True)
    return np.asarray(img, dtype=np.float64) / 255


def trim(coverage):
    ys, xs = np.nonzero(coverage > 0.02)
    return coverage[ys.min():ys.max() + 1, xs.min():xs.max() + 1]


def lighting(h, w, rng, low):
    """A light field: 1 at one side falling linearly to `low` at the other, in a random direction."""
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:h, 0:w]
    t = (xs - w / 2) * np.cos(angle) + (ys - h / 2) * np.sin(angle)
    t = (t - t.min()) / max(t.max() - t.min(), 1)
    return 1 - (1 - low) * t


def make(condition, k, digit28, rng):
    p = {}
    h_digit = int(rng.integers(40, 110))
    frame = (int(rng.integers(120, 200)), int(rng.integers(120, 200)))  # (w, h)
    pen_width = max(2.0, h_digit / rng.uniform(10, 16))
    paper = np.array([rng.uniform(235, 252)] * 3)
    ink = np.array([20.0, 20.0, 25.0]) if rng.random() < 0.5 else np.array([35.0, 45.0, 120.0])
    strength = rng.uniform(0.85, 1.0)
    angle = rng.uniform(-10, 10)
    grain, blur, quality = rng.uniform(2, 5), rng.uniform(0, 1.0), int(rng.integers(50, 86))
    light = None
    if condition == "colour":
        paper = np.array([[250, 240, 170], [200, 225, 245], [250, 210, 225], [205, 240, 200], [195, 195, 190]][k % 5], float)
        ink = np.array([[30, 40, 140], [25, 25, 25], [190, 30, 30]][k % 3], float)
    elif condition == "small":
        h_digit = int(rng.integers(16, 40))
        frame = (int(rng.integers(200, 400)), int(rng.integers(200, 400)))
        pen_width = max(1.5, h_digit / rng.uniform(8, 12))
    elif condition == "pencil":
        pen_width = rng.uniform(1.0, 2.0)
        ink = np.array([70.0, 70.0, 75.0])
        strength = rng.uniform(0.15, 0.4) / (1 - 70 / 245)
        paper = np.array([rng.uniform(225, 250)] * 3)
    elif condition == "marker":
        pen_width = h_digit / rng.uniform(4, 6)
        h_digit = int(rng.integers(60, 120))
        frame = (int(rng.integers(160, 220)), int(rng.integers(160, 220)))
    elif condition == "phone":
        frame = (360, 480)
        h_digit = int(rng.integers(90, 260))
        pen_width = max(2.0, h_digit / rng.uniform(10, 16))
        angle = rng.uniform(-20, 20)
        quality = int(rng.integers(30, 61))
        grain, blur = rng.uniform(1, 2.5), rng.uniform(0.5, 1.5)
    fw, fh = frame
    h_digit = min(h_digit, int(0.8 * fh))
    coverage = trim(rotate(pen_stroke(digit28, h_digit, pen_width, rng), angle))
    ch, cw = coverage.shape
    if cw > fw - 6:  # a wide digit in a narrow frame: widen the frame
        fw = cw + 12
    x0, y0 = int(rng.integers(3, fw - cw - 2)), int(rng.integers(3, fh - ch - 2))
    p.update(height=h_digit, pen=round(pen_width, 1), angle=round(angle, 1), at=f"{x0},{y0}", frame=f"{fw}x{fh}")

    page = Image.new("RGB", (fw, fh), tuple(int(v) for v in paper))
    draw = ImageDraw.Draw(page)
    if condition == "ruled":
        spacing = h_digit * rng.uniform(0.5, 1.1)
        width = int(rng.integers(1, 4))
        colour = tuple(int(v) for v in ([150, 180, 230] if k % 2 else [110, 140, 210]))
        y = rng.uniform(0, spacing)
        while y < fh:
            draw.line([(0, y), (fw, y)], fill=colour, width=width)
            y += spacing
        if k % 2 == 0:
            mx = int(rng.integers(4, fw // 3))
            draw.line([(mx, 0), (mx, fh)], fill=(220, 90, 90), width=2)
        p.update(spacing=round(spacing, 1), rule=width)
    elif condition == "grid":
        spacing = h_digit * rng.uniform(0.3, 0.6)
        colour = tuple(int(v) for v in [[150, 180, 230], [150, 200, 160], [170, 170, 170]][k % 3])
        off = rng.uniform(0, spacing, 2)
        for x in np.arange(off[0], fw, spacing):
            draw.line([(x, 0), (x, fh)], fill=colour, width=1)
        for y in np.arange(off[1], fh, spacing):
            draw.line([(0, y), (fw, y)], fill=colour, width=1)
        p.update(spacing=round(spacing, 1))
    elif condition == "specks":
        n = int(rng.integers(10, 41))
        for _ in range(n):
            x, y = rng.uniform(0, fw), rng.uniform(0, fh)
            r = rng.uniform(0.5, 2.5) if rng.random() < 0.85 else rng.uniform(2.5, 4)
            level = int(rng.uniform(40, 160))
            draw.ellipse([x - r, y - r, x + r, y + r], fill=(level, level, level))
        p.update(specks=n)
    img = np.asarray(page, dtype=np.float64)

    a = np.zeros((fh, fw))
    a[y0:y0 + ch, x0:x0 + cw] = coverage * min(strength, 1.0)
    if condition == "pencil":  # graphite: uneven deposit along the stroke
        a *= np.clip(rng.normal(1, 0.25, a.shape), 0.3, 1.3)
        a = np.clip(a, 0, 1)
    img = img * (1 - a[..., None]) + ink[None, None, :] * a[..., None]

    if condition in ("gradient", "phone"):
        low = rng.uniform(0.35, 0.6) if condition == "gradient" else rng.uniform(0.5, 0.8)
        light = lighting(fh, fw, rng, low)
        ys, xs = np.mgrid[0:fh, 0:fw]
        vignette = 1 - 0.25 * (((xs - fw / 2) / fw) ** 2 + ((ys - fh / 2) / fh) ** 2) * 2
        light = light * vignette
        p.update(light=round(low, 2))
    elif condition == "shadow":
        mask = Image.new("L", (fw, fh), 0)
        corner = [(rng.uniform(-fw, fw * 0.6), -10), (rng.uniform(0.3, 1.2) * fw, -10),
                  (rng.uniform(0.2, 1.2) * fw, fh + 10), (rng.uniform(-fw, fw * 0.4), fh + 10)]
        ImageDraw.Draw(mask).polygon(corner, fill=255)
        mask = np.asarray(mask.filter(ImageFilter.GaussianBlur(rng.uniform(2, 8))), dtype=np.float64) / 255
        depth = rng.uniform(0.5, 0.7)
        light = 1 - (1 - depth) * mask
        p.update(shadow=round(depth, 2))
    if light is not None:
        img = img * light[..., None]
    img = img + rng.normal(0, grain, img.shape[:2])[..., None]
    out = Image.fromarray(np.clip(np.round(img), 0, 255).astype(np.uint8))
    if blur > 0.2:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    p.update(grain=round(grain, 1), blur=round(blur, 1))
    return out, quality, p


def photos(mnist):
    images, labels = read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte")), read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte"))
    by_label = [np.nonzero(labels == d)[0] for d in range(10)]
    folder = os.path.join(ROOT, "images")
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        os.remove(os.path.join(folder, old))
    rows = []
    for c, condition in enumerate(CONDITIONS):
        for k in range(PER_CONDITION):
            rng = np.random.default_rng([c, k, 12])
            label = (k + c) % 10
            index = int(rng.choice(by_label[label]))
            photo, quality, p = make(condition, k, images[index], rng)
            name = f"{condition}_{k:02d}." + ("png" if k == 7 and condition in ("clean", "pencil", "ruled") else "jpg")
            if name.endswith(".jpg"):
                photo.save(os.path.join(folder, name), quality=quality)
                p["jpeg"] = quality
            else:
                photo.save(os.path.join(folder, name), optimize=True)
            rows.append((name, label, condition, index, " ".join(f"{key}={value}" for key, value in p.items())))
    with open(os.path.join(ROOT, "labels.tsv"), "w") as f:
        f.write("file\tlabel\tcondition\tmnist_test_index\tparameters\n")
        for row in rows:
            f.write("\t".join(str(v) for v in row) + "\n")
    total = sum(os.path.getsize(os.path.join(folder, n)) for n in os.listdir(folder))
    print(f"wrote {len(rows)} photos ({total / 1024:.0f} KiB) under {folder}")


def train_model(mnist):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    torch.manual_seed(1)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    x = torch.tensor(read_idx(os.path.join(mnist, "train-images-idx3-ubyte")), dtype=torch.float32).unsqueeze(1) / 255
    y = torch.tensor(read_idx(os.path.join(mnist, "train-labels-idx1-ubyte")), dtype=torch.long)
    tx = torch.tensor(read_idx(os.path.join(mnist, "t10k-images-idx3-ubyte")), dtype=torch.float32).unsqueeze(1) / 255
    ty = torch.tensor(read_idx(os.path.join(mnist, "t10k-labels-idx1-ubyte")), dtype=torch.long)

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1, self.c2 = nn.Conv2d(1, 16, 5), nn.Conv2d(16, 32, 5)
            self.f1, self.f2 = nn.Linear(512, 64), nn.Linear(64, 10)

        def forward(self, image):
            v = (image - 0.1307) / 0.3081
            v = F.max_pool2d(F.relu(self.c1(v)), 2)  # (N, 16, 12, 12)
            v = F.max_pool2d(F.relu(self.c2(v)), 2)  # (N, 32, 4, 4)
            return self.f2(F.relu(self.f1(v.flatten(1))))

    net = Net()
    opt = torch.optim.Adam(net.parameters(), lr=2e-3)
    g = torch.Generator().manual_seed(1)
    for epoch in range(3):
        net.train()
        order = torch.randperm(len(x), generator=g)
        for i in range(0, len(x), 128):
            idx = order[i:i + 128]
            n = len(idx)
            angle = (torch.rand(n, generator=g) * 2 - 1) * (12 * np.pi / 180)
            scale = 1 + (torch.rand(n, generator=g) * 2 - 1) * 0.12
            shift = (torch.rand(n, 2, generator=g) * 2 - 1) * (2 / 14)
            theta = torch.zeros(n, 2, 3)
            theta[:, 0, 0], theta[:, 0, 1] = torch.cos(angle) / scale, -torch.sin(angle) / scale
            theta[:, 1, 0], theta[:, 1, 1] = torch.sin(angle) / scale, torch.cos(angle) / scale
            theta[:, :, 2] = shift
            batch = F.grid_sample(x[idx], F.affine_grid(theta, (n, 1, 28, 28), align_corners=False), align_corners=False)
            loss = F.cross_entropy(net(batch), y[idx])
            opt.zero_grad()
            loss.backward()
            opt.step()
        for group in opt.param_groups:
            group["lr"] *= 0.3
    net.eval()
    with torch.no_grad():
        accuracy = (net(tx).argmax(1) == ty).float().mean().item()
    torch.onnx.export(net, torch.zeros(1, 1, 28, 28), os.path.join(ROOT, "model.onnx"), input_names=["image"],
                      output_names=["logits"], dynamic_axes={"image": {0: "n"}, "logits": {0: "n"}}, opset_version=13)
    with open(os.path.join(ROOT, "model.txt"), "w") as f:
        f.write(f"model.onnx: MNIST clean test accuracy {100 * accuracy:.2f} % (torch {torch.__version__}, 3 epochs, seed 1)\n")
    print(f"model.onnx: MNIST test accuracy {100 * accuracy:.2f} %")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mnist", default=mnist_dir())
    parser.add_argument("--model", action="store_true", help="also train model.onnx with PyTorch")
    args = parser.parse_args()
    photos(args.mnist)
    if args.model:
        train_model(args.mnist)
