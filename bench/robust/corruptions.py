"""corruptions.py — the corruptions of the robustness set, in the spirit of MNIST-C (Mu & Gilmer 2019), written here with
numpy and PIL only. Each takes the test images as floats in [0, 1] (ink bright on black, as MNIST stores them), shape
(n, 28, 28), and a seeded numpy Generator, and returns the corrupted images; every random draw is one per image, made
for the whole set at once, so the first k images of a run on n images are those of a run on k images.
CORRUPTIONS lists them in the benchmark's order with a one-line description of what each does and its parameters."""
import numpy as np
from PIL import Image, ImageDraw

SIZE = 28
CENTRE = (SIZE - 1) / 2.0


def warp(x, matrix, offset):
    """Bilinear resampling with black outside: output pixel p (column, row) takes the input at
    matrix @ (p - centre) + centre + offset, per image (matrix (n, 2, 2), offset (n, 2))."""
    n = x.shape[0]
    rows, cols = np.meshgrid(np.arange(SIZE, dtype=np.float64), np.arange(SIZE, dtype=np.float64), indexing="ij")
    px, py = cols - CENTRE, rows - CENTRE
    m = matrix[:, :, :, None, None]
    sx = m[:, 0, 0] * px + m[:, 0, 1] * py + CENTRE + offset[:, 0, None, None]
    sy = m[:, 1, 0] * px + m[:, 1, 1] * py + CENTRE + offset[:, 1, None, None]
    x0, y0 = np.floor(sx), np.floor(sy)
    fx, fy = sx - x0, sy - y0
    x0, y0 = x0.astype(np.int64), y0.astype(np.int64)
    flat = np.concatenate([x.reshape(n, SIZE * SIZE), np.zeros((n, 1))], axis=1)  # the last slot: black, for outside
    out = np.zeros((n, SIZE, SIZE))
    for dy in (0, 1):
        for dx in (0, 1):
            xi, yi = x0 + dx, y0 + dy
            inside = (xi >= 0) & (xi < SIZE) & (yi >= 0) & (yi < SIZE)
            index = np.where(inside, yi * SIZE + xi, SIZE * SIZE).reshape(n, -1)
            value = np.take_along_axis(flat, index, axis=1).reshape(n, SIZE, SIZE)
            out += value * ((fx if dx else 1 - fx) * (fy if dy else 1 - fy))
    return out


def identity(n):
    return np.broadcast_to(np.eye(2), (n, 2, 2)).copy()


def signs(rng, n):
    return np.where(rng.random(n) < 0.5, -1.0, 1.0)


def shift(x, rng):
    n = len(x)
    d = rng.integers(-5, 6, size=(n, 2))
    small = np.abs(d).max(axis=1) < 3
    while small.any():  # redraw until every image moves at least 3 pixels along one axis
        d[small] = rng.integers(-5, 6, size=(int(small.sum()), 2))
        small = np.abs(d).max(axis=1) < 3
    return warp(x, identity(n), -d.astype(np.float64))


def rotate(x, rng):
    n = len(x)
    a = np.radians(rng.uniform(15, 35, n) * signs(rng, n))
    c, s = np.cos(a), np.sin(a)
    return warp(x, np.stack([np.stack([c, -s], 1), np.stack([s, c], 1)], 1), np.zeros((n, 2)))


def shear(x, rng):
    n = len(x)
    k = rng.uniform(0.3, 0.6, n) * signs(rng, n)
    m = identity(n)
    m[:, 0, 1] = k  # x_in = x_out + k * y_out: rows slide sideways in proportion to their height
    return warp(x, m, np.zeros((n, 2)))


def scale(x, rng):
    n = len(x)
    f = np.where(rng.random(n) < 0.5, rng.uniform(0.5, 0.7, n), rng.uniform(1.25, 1.4, n))
    return warp(x, identity(n) / f[:, None, None], np.zeros((n, 2)))


def gaussian_noise(x, rng):
    return np.clip(x + rng.normal(0.0, 0.2, x.shape), 0, 1)


def impulse_noise(x, rng):
    u = rng.random(x.shape)
    out = x.copy()
    out[u < 0.05] = 0.0
    out[(u >= 0.05) & (u < 0.10)] = 1.0
    return out


def convolve_separable(x, kernel):
    """x convolved with `kernel` along rows then columns, zero padding (kernel of odd length)."""
    r = len(kernel) // 2
    padded = np.pad(x, ((0, 0), (0, 0), (r, r)))
    x = sum(k * padded[:, :, i:i + SIZE] for i, k in enumerate(kernel))
    padded = np.pad(x, ((0, 0), (r, r), (0, 0)))
    return sum(k * padded[:, i:i + SIZE, :] for i, k in enumerate(kernel))


def gaussian_blur(x, rng):
    t = np.arange(-4, 5, dtype=np.float64)
    kernel = np.exp(-t * t / (2 * 1.2 ** 2))
    return convolve_separable(x, kernel / kernel.sum())


def motion_blur(x, rng):
    n = len(x)
    a = rng.uniform(0, np.pi, n)
    direction = np.stack([np.cos(a), np.sin(a)], 1)
    steps = np.linspace(-2, 2, 5)
    return sum(warp(x, identity(n), direction * t) for t in steps) / len(steps)


def brightness(x, rng):
    return np.minimum(x + 0.4, 1.0)


def contrast(x, rng):
    mean = x.mean(axis=(1, 2), keepdims=True)
    return (x - mean) * 0.35 + mean


def lines(x, rng):
    n = len(x)
    spacing = rng.integers(9, 15, n)
    offset = rng.integers(0, 9, n)
    level = rng.uniform(0.4, 0.7, n)
    rows = np.arange(SIZE)[None, :]
    ruled = ((rows - offset[:, None]) % spacing[:, None]) == 0
    band = np.where(ruled, level[:, None], 0.0)[:, :, None]
    return np.maximum(x, band)


def neighbourhood(x, offsets, reduce):
    padded = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    return reduce([padded[:, 1 + dy:1 + dy + SIZE, 1 + dx:1 + dx + SIZE] for dy, dx in offsets])


SQUARE = [(dy, dx) for dy in (-1, 0, 1) for dx in (-1, 0, 1)]
PLUS = [(0, 0), (-1, 0), (1, 0), (0, -1), (0, 1)]


def thicken(x, rng):
    return neighbourhood(x, SQUARE, lambda v: np.max(v, axis=0))


def thin(x, rng):
    eroded = neighbourhood(x, PLUS, lambda v: np.min(v, axis=0))
    # Stretched back to full brightness, as a scanner's auto-level would, so the strokes are thin, not faint.
    peak = eroded.max(axis=(1, 2), keepdims=True)
    return np.where(peak > 0, eroded / np.where(peak > 0, peak, 1), 0.0)


def zigzag(x, rng):
    n, scale_up = len(x), 4
    vertices = rng.integers(3, 6, n)
    points = rng.uniform(1, SIZE - 1, (n, 6, 2))
    width = rng.uniform(1.0, 2.0, n)
    out = np.empty_like(x, dtype=np.float64)
    for i in range(n):
        canvas = Image.new("L", (SIZE * scale_up, SIZE * scale_up), 0)
        path = [tuple(p * scale_up) for p in points[i, :vertices[i]]]
        ImageDraw.Draw(canvas).line(path, fill=255, width=int(round(width[i] * scale_up)), joint="curve")
        stroke = np.asarray(canvas.resize((SIZE, SIZE), Image.Resampling.BOX), dtype=np.float64) / 255.0
        out[i] = np.maximum(x[i], stroke)
    return out


def fog(x, rng):
    n = len(x)
    grid = rng.random((n, 4, 4))
    # Bilinear up-sampling of the 4 x 4 grid to 28 x 28: smooth patches a few pixels wide.
    t = np.linspace(0, 3, SIZE)
    i0 = np.minimum(np.floor(t).astype(int), 2)
    f = t - i0
    rows = grid[:, i0, :] * (1 - f)[None, :, None] + grid[:, i0 + 1, :] * f[None, :, None]
    smooth = rows[:, :, i0] * (1 - f)[None, None, :] + rows[:, :, i0 + 1] * f[None, None, :]
    return np.clip(x + 0.6 * smooth, 0, 1)


# name, what it does with its parameters (one line), function. Append new ones at the end and raise make_robust.VERSION
# whenever a parameter changes: the cache is keyed by that version.
CORRUPTIONS = [
    ("shift", "moved by whole pixels, dx and dy each uniform in -5..5, at least 3 along one axis; ink pushed out is lost", shift),
    ("rotate", "rotated about the centre by 15-35 degrees either way (uniform), bilinear", rotate),
    ("shear", "sheared sideways about the centre, factor 0.3-0.6 either way (uniform), bilinear", shear),
    ("scale", "scaled about the centre, half by 0.5-0.7 (small digits), half by 1.25-1.4 (cut at the edges), bilinear", scale),
    ("gaussian_noise", "Gaussian noise of standard deviation 0.2 added to every pixel, clipped to [0, 1]", gaussian_noise),
    ("impulse_noise", "salt and pepper: 5 % of pixels set to 0 and 5 % to 1", impulse_noise),
    ("gaussian_blur", "Gaussian blur, sigma 1.2 pixels (9 x 9 kernel)", gaussian_blur),
    ("motion_blur", "mean of 5 copies moved -2..2 pixels along one direction (uniform angle): a 5-pixel smear", motion_blur),
    ("brightness", "0.4 added to every pixel, clipped: grey background, saturated ink", brightness),
    ("contrast", "contrast cut to 35 % about each image's mean: faint ink on a grey background", contrast),
    ("lines", "ruled lines: 1-pixel rows every 9-14 pixels, level 0.4-0.7 (uniform), under the ink", lines),
    ("thicken", "grey dilation with a 3 x 3 square: strokes about 2 pixels wider (a marker)", thicken),
    ("thin", "grey erosion with a 3 x 3 plus, then stretched to a peak of 1: strokes about 2 pixels narrower (a fine pen)", thin),
    ("zigzag", "a bright polyline of 3-5 random vertices, 1-2 pixels wide, drawn over the digit", zigzag),
    ("fog", "smooth bright patches: a random 4 x 4 grid up-sampled bilinearly, times 0.6, added, clipped", fog),
]
