#!/usr/bin/python3
"""make_golden.py — writes the PyTorch reference values that the engine tests compare DigitsML against.

Usage, from the repository root (Debian's PyTorch 1.13; a plain `python3` may not see it):

    /usr/bin/python3 tests/golden/make_golden.py                # writes tests/DigitsML.Tests/golden/
    /usr/bin/python3 tests/golden/make_golden.py --out DIR      # writes DIR instead

Everything runs on the CPU with one thread and fixed seeds, so a rerun writes identical bytes. Files:

  seednet.safetensors     SeedNet's state ("1.weight", "1.bias", "3.weight", ..., "11.bias"), a batch
                          "input" (4, 1, 28, 28) in [0, 1] and the eval-mode "logits" and "probabilities" (4, 10).
  train_step.safetensors  TrainNet (below) on (1, 8, 8) inputs: its initial state "init.<name>", one batch
                          "input" (10, 1, 8, 8) and "labels" (10) stored as floats, and for each optimizer case
                          "<case>.<name>" (state after the run), "<case>.loss" (loss of each step) and
                          "<case>.logits" (eval-mode logits of the batch after the run).
  schedules.json          the learning rate PyTorch's StepLR, ExponentialLR and OneCycleLR give each epoch or batch.

The module order mirrors DigitsML's layer lists one to one (index 0 is the Normalize layer, which has no
parameters), so state names line up with Network.GetState. The training cases mirror NetworkTrainer.Train on a
dataset of exactly one batch (Shuffle = false): each epoch is one step of forward, mean cross-entropy (with label
smoothing where a case sets it), backward and optimizer step, at the learning rate the schedule gives that epoch.
GoldenTrainingTests.cs restates the cases.
"""
import argparse
import json
import math
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F


class Normalize(nn.Module):
    """DigitsML's Normalize layer: y = (x - mean) / std, no parameters."""

    def __init__(self, mean, std):
        super().__init__()
        self.mean, self.std = mean, std

    def forward(self, x):
        return (x - self.mean) / self.std


def seednet():
    # Same order as CnnArchitectures.SeedNet.
    return nn.Sequential(
        Normalize(0.1307, 0.3081),                 # 0
        nn.Conv2d(1, 8, 3), nn.ReLU(),             # 1, 2: (1, 28, 28) -> (8, 26, 26)
        nn.Conv2d(8, 16, 3), nn.ReLU(),            # 3, 4: -> (16, 24, 24)
        nn.MaxPool2d(2),                           # 5: -> (16, 12, 12)
        nn.Dropout(0.25), nn.Flatten(),            # 6, 7: -> (2304)
        nn.Linear(2304, 64), nn.ReLU(), nn.Dropout(0.5),  # 8, 9, 10
        nn.Linear(64, 10),                         # 11
    )


def trainnet():
    # Dropout-free, so a training step is deterministic; BatchNorm brings running statistics. The convolution has
    # no bias: before BatchNorm its gradient is zero up to rounding, which Adam would blow up to +-lr at random.
    return nn.Sequential(
        Normalize(0.5, 0.5),                       # 0
        nn.Conv2d(1, 4, 3, bias=False),            # 1: (1, 8, 8) -> (4, 6, 6); BatchNorm cancels a bias
        nn.BatchNorm2d(4),                         # 2
        nn.ReLU(),                                 # 3
        nn.MaxPool2d(2),                           # 4: -> (4, 3, 3)
        nn.Flatten(),                              # 5: -> (36)
        nn.Linear(36, 10),                         # 6
    )


def state(model):
    # DigitsML leaves out num_batches_tracked (it only matters when BatchNorm momentum is None).
    return {k: v.detach().clone() for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}


def write_safetensors(path, tensors):
    """Minimal safetensors writer: u64 LE header length, JSON header, F32 LE data (header padded to 8 bytes)."""
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for b in blobs:
            f.write(b)


def make_seednet(out):
    torch.manual_seed(20240601)
    model = seednet()
    # Default initialisation gives small logits; spread the last layer so softmax is far from uniform.
    with torch.no_grad():
        model[11].weight.mul_(10.0)
    x = torch.rand(4, 1, 28, 28)                   # (4, 1, 28, 28) in [0, 1)
    x[0].zero_()                                   # an all-black image
    x[1] = (x[1] > 0.7).float()                    # a binary image with 0s and 1s
    model.eval()
    with torch.no_grad():
        logits = model(x)                          # (4, 10)
    tensors = state(model)
    tensors["input"] = x
    tensors["logits"] = logits
    tensors["probabilities"] = torch.softmax(logits, 1)
    write_safetensors(os.path.join(out, "seednet.safetensors"), tensors)


# name -> (optimizer factory, learning rate for epoch e, label smoothing). Restated in GoldenTrainingTests.cs.
TRAIN_CASES = {
    "sgd": (lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
            lambda e: 0.1, 0.0),
    "adadelta": (lambda p: torch.optim.Adadelta(p, lr=1.0, rho=0.9, eps=1e-6, foreach=False),
                 lambda e: 1.0 * 0.7 ** e, 0.0),   # StepLR(1, 0.7), as PyTorch's MNIST example
    "adam": (lambda p: torch.optim.Adam(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, foreach=False),
             lambda e: 0.01, 0.0),
    "adamw": (lambda p: torch.optim.AdamW(p, lr=0.01, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, foreach=False),
              lambda e: 0.01, 0.0),
    "smoothed": (lambda p: torch.optim.SGD(p, lr=0.2),
                 lambda e: 0.2, 0.1),
}
TRAIN_EPOCHS = 3


def make_train_step(out):
    torch.manual_seed(7)
    template = trainnet()
    with torch.no_grad():                          # BatchNorm's affine values away from 1 and 0
        template[2].weight.uniform_(0.5, 1.5)
        template[2].bias.uniform_(-0.2, 0.2)
    x = torch.rand(10, 1, 8, 8)                    # (10, 1, 8, 8) in [0, 1)
    y = torch.randperm(10)                         # every class once
    init = state(template)
    tensors = {"init." + k: v for k, v in init.items()}
    tensors["input"] = x
    tensors["labels"] = y.float()
    for case, (make_optimizer, rate, smoothing) in TRAIN_CASES.items():
        model = trainnet()
        model.load_state_dict(init, strict=False)
        optimizer = make_optimizer(model.parameters())
        losses = []
        for epoch in range(TRAIN_EPOCHS):
            for group in optimizer.param_groups:
                group["lr"] = rate(epoch)
            model.train()
            optimizer.zero_grad()
            loss = F.cross_entropy(model(x), y, label_smoothing=smoothing)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
        model.eval()
        with torch.no_grad():
            logits = model(x)
        tensors.update({f"{case}.{k}": v for k, v in state(model).items()})
        tensors[f"{case}.loss"] = torch.tensor(losses)
        tensors[f"{case}.logits"] = logits
    write_safetensors(os.path.join(out, "train_step.safetensors"), tensors)


def rates(scheduler_factory, lr, steps):
    """The learning rate in force at each of `steps` optimizer steps."""
    p = nn.Parameter(torch.zeros(1))
    optimizer = torch.optim.SGD([p], lr=lr, momentum=0.9)
    scheduler = scheduler_factory(optimizer)
    seen = []
    for k in range(steps):
        seen.append(optimizer.param_groups[0]["lr"])
        if k + 1 < steps:
            optimizer.step()
            scheduler.step()
    return seen


def make_schedules(out):
    S = torch.optim.lr_scheduler
    cases = []
    for base, step_size, gamma, epochs in [(1.0, 1, 0.7, 6), (0.5, 3, 0.1, 8)]:
        cases.append({"kind": "Step", "baseRate": base, "stepSize": step_size, "gamma": gamma, "epochs": epochs,
                      "stepsPerEpoch": 1,
                      "rates": rates(lambda o: S.StepLR(o, step_size=step_size, gamma=gamma), base, epochs)})
    for base, gamma, epochs in [(0.1, 0.98, 5), (1.0, 0.5, 4)]:
        cases.append({"kind": "Exponential", "baseRate": base, "gamma": gamma, "epochs": epochs, "stepsPerEpoch": 1,
                      "rates": rates(lambda o: S.ExponentialLR(o, gamma=gamma), base, epochs)})
    for max_lr, pct, div, final_div, epochs, per_epoch in [(0.1, 0.3, 25.0, 1e4, 3, 7), (0.01, 0.25, 10.0, 100.0, 2, 10)]:
        factory = lambda o: S.OneCycleLR(o, max_lr=max_lr, epochs=epochs, steps_per_epoch=per_epoch, pct_start=pct,
                                         anneal_strategy="cos", cycle_momentum=False, div_factor=div,
                                         final_div_factor=final_div, three_phase=False)
        cases.append({"kind": "OneCycle", "baseRate": 0.0, "maxRate": max_lr, "pctStart": pct, "divFactor": div,
                      "finalDivFactor": final_div, "epochs": epochs, "stepsPerEpoch": per_epoch,
                      "rates": rates(factory, max_lr, epochs * per_epoch)})
    for c in cases:
        assert all(math.isfinite(r) for r in c["rates"])
    with open(os.path.join(out, "schedules.json"), "w", encoding="utf-8") as f:
        json.dump({"torch": torch.__version__.split("+")[0], "cases": cases}, f, indent=1)
        f.write("\n")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=os.path.join(here, "..", "DigitsML.Tests", "golden"),
                        help="output folder (default: tests/DigitsML.Tests/golden)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    os.makedirs(args.out, exist_ok=True)
    make_seednet(args.out)
    make_train_step(args.out)
    make_schedules(args.out)
    print(f"wrote golden files to {os.path.normpath(args.out)} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
