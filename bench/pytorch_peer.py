"""pytorch_peer.py — the PyTorch side of build/bench.sh: one training epoch of the same network,
batch size, optimizer and thread count as DigitsML, on Debian's python3-torch (the same libtorch).

Usage: /usr/bin/python3 bench/pytorch_peer.py --arch SeedNet --mnist DIR [--batch-size 64] [--threads 2]
Prints one line: "<arch> <images> <seconds> <images/s>".
"""
import argparse
import struct
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


def seed_net():
    return nn.Sequential(
        nn.Conv2d(1, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(2304, 64), nn.ReLU(), nn.Dropout(0.5), nn.Linear(64, 10))


def pytorch_example():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Dropout(0.25),
        nn.Flatten(), nn.Linear(9216, 128), nn.ReLU(), nn.Dropout(0.5), nn.Linear(128, 10))


ARCHITECTURES = {"SeedNet": seed_net, "PyTorchExample": pytorch_example}


def read_idx(path, rank):
    with open(path, "rb") as f:
        data = f.read()
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return torch.frombuffer(bytearray(data[4 + 4 * rank:]), dtype=torch.uint8).reshape(dims)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", choices=sorted(ARCHITECTURES), default="SeedNet", help="network (default SeedNet)")
    parser.add_argument("--mnist", required=True, help="folder with the MNIST IDX files")
    parser.add_argument("--batch-size", type=int, default=64, help="batch size (default 64)")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2)")
    parser.add_argument("--seed", type=int, default=1, help="seed (default 1)")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    images = read_idx(f"{args.mnist}/train-images-idx3-ubyte", 3).float().div_(255).unsqueeze(1)
    images = (images - 0.1307) / 0.3081  # the Normalize layer DigitsML runs inside the network
    labels = read_idx(f"{args.mnist}/train-labels-idx1-ubyte", 1).long()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(images, labels),
                                         batch_size=args.batch_size, shuffle=True)
    model = ARCHITECTURES[args.arch]()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=1.0)
    model.train()
    start = time.perf_counter()
    for x, y in loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
    seconds = time.perf_counter() - start
    print(f"{args.arch} {len(images)} {seconds:.2f} {len(images) / seconds:.0f}")


if __name__ == "__main__":
    main()
