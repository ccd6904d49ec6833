// Program.cs — trains one epoch of a named network on MNIST with the same recipe as
// bench/pytorch_peer.py (Adadelta lr 1.0, constant rate, shuffled, batch 64) and prints
// "<arch> <images> <seconds> <images/s>".
// Usage: DigitsML.Bench --arch SeedNet --mnist DIR [--batch-size 64] [--threads 2] [--seed 1]
using System.Diagnostics;
using DigitsML.Engine;
using DigitsML.Trainers;

string arch = "SeedNet", mnist = "";
int batchSize = 64, threads = Environment.ProcessorCount, seed = 1;
for (int i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--arch": arch = args[i + 1]; break;
        case "--mnist": mnist = args[i + 1]; break;
        case "--batch-size": batchSize = int.Parse(args[i + 1]); break;
        case "--threads": threads = int.Parse(args[i + 1]); break;
        case "--seed": seed = int.Parse(args[i + 1]); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}
if (!CnnArchitectures.All.TryGetValue(arch, out var definition) || mnist.Length == 0)
{
    Console.Error.WriteLine("usage: DigitsML.Bench --arch NAME --mnist DIR [--batch-size 64] [--threads N] [--seed 1]");
    return 2;
}

TorchRuntime.Threads = threads;
var train = DigitDataset.LoadIdx(Path.Combine(mnist, "train-images-idx3-ubyte"), Path.Combine(mnist, "train-labels-idx1-ubyte"));
using var network = Network.Create(definition, Device.Cpu, (ulong)seed);
var options = new TrainingOptions
{
    Epochs = 1, BatchSize = batchSize, Seed = seed,
    Optimizer = new AdadeltaOptimizer { LearningRate = 1.0 }, Schedule = new ConstantLR(),
};
var clock = Stopwatch.StartNew();
NetworkTrainer.Train(network, train, validation: null, options);
double seconds = clock.Elapsed.TotalSeconds;
Console.WriteLine($"{arch} {train.Count} {seconds:F2} {train.Count / seconds:F0}");
return 0;
