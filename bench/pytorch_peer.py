"""pytorch_peer.py — the PyTorch side of build/bench.sh: the same networks, recipes and thread count as
bench/DigitsML.Bench, on Debian's python3-torch (PyTorch 1.13), with MNIST resident in one tensor.

Usage: /usr/bin/python3 bench/pytorch_peer.py --recipe seednet|pytorchexample|m5|anetal --mnist DIR
           [--images N] [--threads N] [--seed 1]
       /usr/bin/python3 bench/pytorch_peer.py --latency SeedNet|PyTorchExample|M5|DigitNet|QuickNet --mnist DIR
           [--runs 2000] [--warmup 5000] [--threads N] [--seed 1]
       /usr/bin/python3 bench/pytorch_peer.py --budget SECONDS --mnist DIR [--seeds 5] [--seed 1] [--threads N]
Recipes (one epoch each, shuffled, constant learning rate within the epoch):
  seednet         SeedNet, batch 64, Adadelta lr 1.0
  pytorchexample  PyTorchExample, batch 64, Adadelta lr 1.0
  m5              M5, batch 120, Adam lr 0.001 (An et al.'s optimizer; no augmentation, no weight average)
  anetal          M5 with An et al.'s whole recipe: batch 120, Adam lr 0.001, ExponentialLR 0.98 per epoch, each image
                  rotated by U(±20°) and shifted by U(±20 %) (affine_grid + grid_sample, bilinear, black fill), and an
                  EMA of parameters and buffers with decay min(0.999, (1 + t) / (10 + t)) after step t
--budget trains PyTorch's MNIST example recipe (PyTorchExample, batch 64, Adadelta lr 1.0, StepLR γ 0.7 per epoch,
  as pytorch/examples' mnist/main.py) on all 60,000 training images until SECONDS of training have passed (checked
  before every step, so the last step may end a little after), then scores the 10,000 test images; once per seed,
  seeds --seed to --seed + --seeds - 1: the peer of build/bench.sh records, given the same time as DigitsML's preset.
--latency times single-image forwards (eval mode, no grad, softmax) of test images after a warm-up.
Prints one line of key=value pairs, the same keys as DigitsML.Bench plus blas_threads (OpenBLAS's own pool, 1
unless OPENBLAS_NUM_THREADS is set: see below):
  recipe=… arch=… batch=… threads=… blas_threads=… images=… seconds=… images_per_s=… loss=… accuracy=…
  latency=… threads=… blas_threads=… runs=… median_us=… p99_us=…
  budget=… seed=… threads=… blas_threads=… seconds=… cpu_s=… epochs=… steps=… accuracy=…  (one per seed, then)
  budget_summary=… seeds=… threads=… accuracy_mean=… accuracy_min=… accuracy_max=…
"""
import argparse
import math
import os
import statistics
import struct
import sys
import time

# Debian's torch multiplies matrices with OpenBLAS, whose own pthread pool (one thread per CPU) runs beside torch's
# OpenMP threads and is called from inside OpenMP regions, so the two pools oversubscribe the cores. Measured on 2 cores
# at --threads 2: SeedNet training 3,800 -> 5,400 images/s and SeedNet batch-1 p99 9 ms -> 0.3 ms with one BLAS
# thread. One BLAS thread keeps the peer at --threads threads; export OPENBLAS_NUM_THREADS to choose otherwise.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import torch  # noqa: E402  (after the BLAS setting, which OpenBLAS reads when it loads)
import torch.nn as nn
import torch.nn.functional as F


class Normalize(nn.Module):
    """y = (x - mean) / std, the first layer of every DigitsML architecture (pixels arrive in [0, 1])."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = mean, std

    def forward(self, x):
        return (x - self.mean) / self.std


# The networks exactly as src/DigitsML/Trainers/CnnArchitectures*.cs defines them.
def seed_net():
    return nn.Sequential(
        Normalize(0.1307, 0.3081),
        nn.Conv2d(1, 8, 3), nn.ReLU(),    # (1, 28, 28) -> (8, 26, 26)
        nn.Conv2d(8, 16, 3), nn.ReLU(),   # -> (16, 24, 24)
        nn.MaxPool2d(2),                  # -> (16, 12, 12)
        nn.Dropout(0.25), nn.Flatten(),   # -> (2304)
        nn.Linear(2304, 64), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(64, 10))


def pytorch_example():
    return nn.Sequential(
        Normalize(0.1307, 0.3081),
        nn.Conv2d(1, 32, 3), nn.ReLU(),   # (1, 28, 28) -> (32, 26, 26)
        nn.Conv2d(32, 64, 3), nn.ReLU(),  # -> (64, 24, 24)
        nn.MaxPool2d(2),                  # -> (64, 12, 12)
        nn.Dropout(0.25), nn.Flatten(),   # -> (9216)
        nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5),
        nn.Linear(128, 10))


def m5():
    # An et al.: pixels to [-1, 1]; five 5x5 Conv (no bias, no padding) -> BatchNorm2d -> ReLU, 28 -> 8 pixels;
    # Linear 10240 -> 10 without bias; BatchNorm1d.
    layers, channels = [Normalize(0.5, 0.5)], 1
    for out in (32, 64, 96, 128, 160):
        layers += [nn.Conv2d(channels, out, 5, bias=False), nn.BatchNorm2d(out), nn.ReLU()]
        channels = out
    layers += [nn.Flatten(), nn.Linear(160 * 8 * 8, 10, bias=False), nn.BatchNorm1d(10)]
    return nn.Sequential(*layers)


def digit_net():
    return nn.Sequential(
        Normalize(0.1307, 0.3081),
        nn.Conv2d(1, 32, 3, padding=1, bias=False), nn.BatchNorm2d(32), nn.ReLU(),   # (1, 28, 28) -> (32, 28, 28)
        nn.MaxPool2d(2),                                                            # -> (32, 14, 14)
        nn.Conv2d(32, 64, 3, padding=1, bias=False), nn.BatchNorm2d(64), nn.ReLU(),  # -> (64, 14, 14)
        nn.MaxPool2d(2),                                                            # -> (64, 7, 7)
        nn.Flatten(), nn.Dropout(0.25),                                             # -> (3136)
        nn.Linear(3136, 10))


def quick_net():
    return nn.Sequential(
        Normalize(0.1307, 0.3081),
        nn.Conv2d(1, 24, 5, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(24), nn.ReLU(),   # -> (24, 12, 12)
        nn.Conv2d(24, 32, 3, bias=False), nn.MaxPool2d(2), nn.BatchNorm2d(32), nn.ReLU(),  # -> (32, 5, 5)
        nn.Flatten(), nn.Linear(800, 256), nn.ReLU(),
        nn.Linear(256, 10))


ARCHITECTURES = {"SeedNet": seed_net, "PyTorchExample": pytorch_example, "M5": m5, "DigitNet": digit_net,
                 "QuickNet": quick_net}

# recipe -> (architecture, batch size, optimizer, An et al. extras: augmentation, weight average, ExponentialLR)
RECIPES = {
    "seednet": ("SeedNet", 64, "adadelta", False),
    "pytorchexample": ("PyTorchExample", 64, "adadelta", False),
    "m5": ("M5", 120, "adam", False),
    "anetal": ("M5", 120, "adam", True),
}
MAX_DEGREES, MAX_SHIFT, EMA_DECAY, LR_GAMMA = 20.0, 0.2, 0.999, 0.98
BLAS = f"blas_threads={os.environ['OPENBLAS_NUM_THREADS']}"


def read_idx(path, rank):
    """An IDX file as a uint8 tensor of its dimensions."""
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        sys.exit(f"pytorch_peer.py: cannot read {path}: {e.strerror} (build/setup.sh fetches MNIST)")
    if len(data) < 4 + 4 * rank or data[2] != 0x08 or data[3] != rank:
        sys.exit(f"pytorch_peer.py: {path} is not an IDX file of rank {rank} and unsigned bytes")
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    if len(data) != 4 + 4 * rank + math.prod(dims):
        sys.exit(f"pytorch_peer.py: {path} is truncated or too long for its dimensions {dims}")
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def load(mnist, prefix):
    """Images as one float tensor (n, 1, 28, 28) in [0, 1] (as DigitDataset holds them) and labels as int64."""
    images = read_idx(os.path.join(mnist, f"{prefix}-images-idx3-ubyte"), 3).float().div_(255).unsqueeze(1)
    labels = read_idx(os.path.join(mnist, f"{prefix}-labels-idx1-ubyte"), 1).long()
    if len(images) != len(labels):
        sys.exit(f"pytorch_peer.py: {len(images)} {prefix} images but {len(labels)} labels")
    return images.contiguous(), labels


def augment(x, generator):
    """Rotates each image by U(±20°) counter-clockwise and shifts it by U(±20 %) of its size right and down, as
    DigitsML's ImageAugmentation does (theta holds the inverse map, in affine_grid's [-1, 1] units)."""
    n = x.shape[0]
    a = (torch.rand(n, generator=generator) * 2 - 1) * math.radians(MAX_DEGREES)
    d = (torch.rand(n, 2, generator=generator) * 2 - 1) * (2 * MAX_SHIFT)
    c, s, dx, dy = a.cos(), a.sin(), d[:, 0], d[:, 1]
    theta = torch.stack([torch.stack([c, -s, -(c * dx - s * dy)], 1),
                         torch.stack([s, c, -(s * dx + c * dy)], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def train_epoch(args):
    arch, batch_size, optimizer_name, an_et_al = RECIPES[args.recipe]
    images, labels = load(args.mnist, "train")
    if args.images:
        if args.images > len(images):
            sys.exit(f"pytorch_peer.py: --images {args.images} is more than the {len(images)} training images")
        images, labels = images[:args.images], labels[:args.images]
    n = len(images)
    model = ARCHITECTURES[arch]()
    model.train()
    generator = torch.Generator().manual_seed(args.seed)
    batch_size = min(batch_size, n)
    # As DigitsML: a last batch of one example is dropped (it would break BatchNorm's batch statistics).
    steps = n // batch_size + (1 if n % batch_size > 1 else 0)

    start = time.perf_counter()
    if optimizer_name == "adadelta":
        optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    else:
        optimizer = torch.optim.Adam(model.parameters(), lr=0.001)
    scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=LR_GAMMA) if an_et_al else None
    if an_et_al:
        # The average covers parameters and float buffers (BatchNorm running statistics), not num_batches_tracked.
        live = [t for name, t in model.state_dict().items() if not name.endswith("num_batches_tracked")]
        shadow = [t.detach().clone() for t in live]
    order = torch.randperm(n, generator=generator)
    loss_sum, correct = 0.0, 0
    for step in range(steps):
        index = order[step * batch_size:(step + 1) * batch_size]
        x, y = images[index], labels[index]
        if an_et_al:
            with torch.no_grad():
                x = augment(x, generator)
        optimizer.zero_grad()
        logits = model(x)
        loss = F.cross_entropy(logits, y)
        loss.backward()
        optimizer.step()
        if an_et_al:
            decay = min(EMA_DECAY, (1 + step) / (10 + step))
            with torch.no_grad():
                for s, t in zip(shadow, live):
                    s.mul_(decay).add_(t, alpha=1 - decay)
        loss_sum += loss.item() * len(y)
        correct += int((logits.detach().argmax(1) == y).sum())
    if an_et_al:
        scheduler.step()
        with torch.no_grad():  # the network ends with the average, as DigitsML leaves it
            for s, t in zip(shadow, live):
                t.copy_(s)
    seconds = time.perf_counter() - start
    seen = min(n, steps * batch_size)
    print(f"recipe={args.recipe} arch={arch} batch={batch_size} threads={torch.get_num_threads()} {BLAS} images={seen} "
          f"seconds={seconds:.3f} images_per_s={seen / seconds:.1f} loss={loss_sum / seen:.4f} "
          f"accuracy={correct / seen:.4f}")


def train_for(budget, seed, images, labels, test_images, test_labels):
    """The PyTorch example recipe for `budget` seconds of training: (seconds, epochs begun, steps, test accuracy)."""
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model = pytorch_example()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    n, batch_size = len(images), 64
    steps = epochs = 0
    cpu = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < budget:
        epochs += 1
        model.train()
        order = torch.randperm(n, generator=generator)
        for first in range(0, n, batch_size):
            if time.perf_counter() - start >= budget:
                break
            index = order[first:first + batch_size]
            optimizer.zero_grad()
            F.cross_entropy(model(images[index]), labels[index]).backward()
            optimizer.step()
            steps += 1
        scheduler.step()
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu
    model.eval()
    correct = 0
    with torch.no_grad():
        for first in range(0, len(test_images), 1000):
            logits = model(test_images[first:first + 1000])
            correct += int((logits.argmax(1) == test_labels[first:first + 1000]).sum())
    return seconds, cpu_seconds, epochs, steps, correct / len(test_images)


def budget(args):
    images, labels = load(args.mnist, "train")
    test_images, test_labels = load(args.mnist, "t10k")
    accuracies = []
    for seed in range(args.seed, args.seed + args.seeds):
        seconds, cpu_seconds, epochs, steps, accuracy = train_for(args.budget, seed, images, labels, test_images, test_labels)
        accuracies.append(accuracy)
        print(f"budget={args.budget:g} seed={seed} threads={torch.get_num_threads()} {BLAS} seconds={seconds:.2f} "
              f"cpu_s={cpu_seconds:.2f} epochs={epochs} steps={steps} accuracy={accuracy:.4f}", flush=True)
    print(f"budget_summary={args.budget:g} seeds={args.seeds} threads={torch.get_num_threads()} "
          f"accuracy_mean={statistics.mean(accuracies):.4f} accuracy_min={min(accuracies):.4f} "
          f"accuracy_max={max(accuracies):.4f}")


def latency(args):
    images, _ = load(args.mnist, "t10k")
    model = ARCHITECTURES[args.latency]()
    model.eval()
    times = []
    with torch.no_grad():
        for i in range(args.warmup + args.runs):
            x = images[i % len(images)].unsqueeze(0)
            start = time.perf_counter_ns()
            torch.softmax(model(x), 1)
            if i >= args.warmup:
                times.append(time.perf_counter_ns() - start)
    times.sort()
    p99 = times[math.ceil(0.99 * len(times)) - 1]  # nearest rank
    print(f"latency={args.latency} threads={torch.get_num_threads()} {BLAS} runs={args.runs} "
          f"median_us={statistics.median(times) / 1000:.1f} p99_us={p99 / 1000:.1f}")


def seconds_arg(text):
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def positive(text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive whole number, got {text!r}")
    return value


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    what = parser.add_mutually_exclusive_group(required=True)
    what.add_argument("--recipe", choices=list(RECIPES), help="train one epoch of this recipe")
    what.add_argument("--latency", choices=list(ARCHITECTURES), help="time batch-1 inference of this network")
    what.add_argument("--budget", type=seconds_arg, metavar="SECONDS",
                      help="train the PyTorch example recipe for this many seconds per seed, then score the test set")
    parser.add_argument("--mnist", required=True, help="folder with the MNIST IDX files")
    parser.add_argument("--images", type=positive, help="train on the first N training images only (default all)")
    parser.add_argument("--threads", type=positive, default=os.cpu_count(), help="torch.set_num_threads (default: CPUs)")
    parser.add_argument("--seed", type=int, default=1, help="seed of weights, order and augmentation (default 1)")
    parser.add_argument("--seeds", type=positive, default=5, help="--budget: runs, one per seed (default 5)")
    parser.add_argument("--runs", type=positive, default=2000, help="timed single-image forwards (default 2000)")
    parser.add_argument("--warmup", type=int, default=5000, help="untimed forwards first (default 5000, as the DigitsML side needs for its JIT)")
    args = parser.parse_args()
    if args.images is not None and args.images < 2:
        parser.error("--images must be at least 2: training needs two examples")
    if args.warmup < 0:
        parser.error("--warmup must not be negative")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    if args.recipe:
        train_epoch(args)
    elif args.budget:
        budget(args)
    else:
        latency(args)


if __name__ == "__main__":
    main()
