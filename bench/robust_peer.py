"""robust_peer.py — the PyTorch side of build/bench.sh robust: PyTorch's MNIST example trained the seed reports' way on
Debian's python3-torch (PyTorch 1.13), then its accuracy on the robustness set that bench/robust/make_robust.py makes.

The recipe is the example's own: the PyTorchExample network of bench/pytorch_peer.py (Conv 32, Conv 64, MaxPool,
Dropout, Linear 128, Dropout, Linear 10), Adadelta lr 1.0, StepLR gamma 0.7 after each epoch, batch 64, shuffled, inputs
normalised by MNIST's mean and deviation, no augmentation, all 60,000 training images, --epochs epochs (the example runs
14; one took 461 s on 2 cores busy with other builds). The trained weights are cached (--cache) and reused by later runs
with the same epochs, seed and torch version.

Usage: /usr/bin/python3 bench/robust_peer.py --mnist DIR --robust DIR --cache DIR [--epochs 1] [--seed 1]
           [--photos IMAGES LABELS] [--threads N]
  --robust DIR      the folder make_robust.py printed (corruptions/, writers/)
  --photos I L      the other writers' photos as DigitsML's NormalizeDigit made them (IDX, float32 images), written by
                    DigitsML.Bench --robust, so both sides read the same pixels
Prints one line per set, in the benchmark's order (clean, each corruption, writers_rendered, writers_photos):
  robust_set=NAME images=N correct=N accuracy=F
after one line about the model: peer=PyTorchExample epochs=… seed=… threads=… train_seconds=… cached=yes|no"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "robust"))
import pytorch_peer  # noqa: E402  (sets OpenBLAS to one thread before torch loads; see there)
import idx  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402


def train(args, path):
    """Trains the example network and saves its weights at `path`; returns the seconds it took."""
    images, labels = pytorch_peer.load(args.mnist, "train")
    torch.manual_seed(args.seed)
    model = pytorch_peer.pytorch_example()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=1, gamma=0.7)
    generator = torch.Generator().manual_seed(args.seed)
    start = time.perf_counter()
    for epoch in range(args.epochs):
        model.train()
        order = torch.randperm(len(images), generator=generator)
        loss_sum = 0.0
        for step in range(0, len(images), 64):
            index = order[step:step + 64]
            optimizer.zero_grad()
            loss = F.cross_entropy(model(images[index]), labels[index])
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            if (step // 64 + 1) % 250 == 0:  # a sign of life every 16,000 images: an epoch takes minutes
                print(f"  peer epoch {epoch + 1}: {step + len(index)} images, {time.perf_counter() - start:.0f} s",
                      file=sys.stderr, flush=True)
        scheduler.step()
        print(f"  peer epoch {epoch + 1}/{args.epochs}: loss {loss_sum / len(images):.4f}, "
              f"{time.perf_counter() - start:.0f} s", file=sys.stderr)
    seconds = time.perf_counter() - start
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.save(model.state_dict(), path + ".tmp")
    os.replace(path + ".tmp", path)  # a cached file is always whole
    with open(path + ".json", "w", encoding="utf-8") as f:
        json.dump({"epochs": args.epochs, "seed": args.seed, "train_seconds": round(seconds, 1),
                   "threads": torch.get_num_threads(), "torch": torch.__version__}, f)
    return seconds


def accuracy(model, images, labels):
    """How many of `images` ((n, 28, 28) in [0, 1]) the model labels as `labels`."""
    x = torch.as_tensor(images, dtype=torch.float32).reshape(-1, 1, 28, 28)
    y = torch.as_tensor(labels, dtype=torch.int64)
    correct = 0
    with torch.no_grad():
        for start in range(0, len(x), 1000):
            correct += int((model(x[start:start + 1000]).argmax(1) == y[start:start + 1000]).sum())
    return correct


def sets(args):
    """(name, images in [0, 1], labels) of each set, in the benchmark's order."""
    def load(images_path, labels_path):
        images = idx.read(images_path, 3)
        scale = 255.0 if images.dtype == "uint8" else 1.0
        return images.astype("float32") / scale, idx.read(labels_path, 1).astype("int64")

    yield ("clean",) + load(os.path.join(args.mnist, "t10k-images-idx3-ubyte"), os.path.join(args.mnist, "t10k-labels-idx1-ubyte"))
    corruptions = os.path.join(args.robust, "corruptions")
    with open(os.path.join(corruptions, "index.tsv"), encoding="utf-8") as index:
        for line in index:
            name = line.split("\t", 1)[0]
            yield (name,) + load(os.path.join(corruptions, f"{name}-images-idx3-ubyte"), os.path.join(corruptions, "labels-idx1-ubyte"))
    writers = os.path.join(args.robust, "writers")
    if os.path.isdir(writers):
        yield ("writers_rendered",) + load(os.path.join(writers, "rendered-images-idx3-ubyte"),
                                           os.path.join(writers, "rendered-labels-idx1-ubyte"))
    if args.photos:
        yield ("writers_photos",) + load(*args.photos)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog="\n".join(__doc__.splitlines()[2:]))
    parser.add_argument("--mnist", required=True, help="folder with the MNIST IDX files")
    parser.add_argument("--robust", required=True, help="folder of the robustness set (make_robust.py)")
    parser.add_argument("--cache", required=True, help="folder for the trained weights")
    parser.add_argument("--epochs", type=pytorch_peer.positive, default=1, help="training epochs (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="seed of weights and order (default 1)")
    parser.add_argument("--photos", nargs=2, metavar=("IMAGES", "LABELS"), help="the normalised photos as IDX")
    parser.add_argument("--threads", type=pytorch_peer.positive, default=os.cpu_count(), help="torch threads (default: CPUs)")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    path = os.path.join(args.cache, f"pytorchexample-adadelta-e{args.epochs}-seed{args.seed}-torch{torch.__version__}.pt")
    cached = os.path.isfile(path)
    if cached:
        with open(path + ".json", encoding="utf-8") as f:
            seconds = json.load(f)["train_seconds"]
    else:
        print(f"training the PyTorch peer ({args.epochs} epoch(s)); its weights go to {path}", file=sys.stderr)
        seconds = train(args, path)
    model = pytorch_peer.pytorch_example()
    model.load_state_dict(torch.load(path))
    model.eval()
    print(f"peer=PyTorchExample epochs={args.epochs} seed={args.seed} threads={torch.get_num_threads()} "
          f"train_seconds={seconds:.1f} cached={'yes' if cached else 'no'}")
    for name, images, labels in sets(args):
        correct = accuracy(model, images, labels)
        print(f"robust_set={name} images={len(labels)} correct={correct} accuracy={correct / len(labels):.4f}", flush=True)


if __name__ == "__main__":
    main()
