// CnnArchitectures.cs — the networks of the seed reports, by name.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

/// <summary>Ready-made digit networks for 1 × 28 × 28 inputs in [0, 1]. Each begins with its own input normalisation.</summary>
public static partial class CnnArchitectures
{
    /// <summary>The seed report's network: Conv 8 3×3, Conv 16 3×3, MaxPool 2, Dropout 0.25, Linear 2304→64,
    /// Dropout 0.5, Linear 64→10 (149,418 parameters).</summary>
    public static NetworkDefinition SeedNet { get; } = new("SeedNet",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(8, 3), new ReLU(),     // (1, 28, 28) -> (8, 26, 26)
        new Conv2d(16, 3), new ReLU(),    // -> (16, 24, 24)
        new MaxPool2d(2),                 // -> (16, 12, 12)
        new Dropout(0.25), new Flatten(), // -> (2304)
        new Linear(64), new ReLU(), new Dropout(0.5),
        new Linear(10),
    ]);

    /// <summary>PyTorch's current MNIST example: Conv 32 3×3, Conv 64 3×3, MaxPool 2, Dropout 0.25, Linear 9216→128,
    /// Dropout 0.5, Linear 128→10 (1,199,882 parameters).</summary>
    public static NetworkDefinition PyTorchExample { get; } = new("PyTorchExample",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(32, 3), new ReLU(),    // (1, 28, 28) -> (32, 26, 26)
        new Conv2d(64, 3), new ReLU(),    // -> (64, 24, 24)
        new MaxPool2d(2),                 // -> (64, 12, 12)
        new Dropout(0.25), new Flatten(), // -> (9216)
        new Linear(128), new ReLU(), new Dropout(0.5),
        new Linear(10),
    ]);

    /// <summary>PyTorch's older MNIST example: Conv 10 5×5, MaxPool 2, ReLU, Conv 20 5×5, Dropout2d, MaxPool 2, ReLU,
    /// Linear 320→50, Dropout, Linear 50→10 (21,840 parameters).</summary>
    public static NetworkDefinition PyTorchExampleClassic { get; } = new("PyTorchExampleClassic",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(10, 5), new MaxPool2d(2), new ReLU(),                  // (1, 28, 28) -> (10, 24, 24) -> (10, 12, 12)
        new Conv2d(20, 5), new Dropout2d(0.5), new MaxPool2d(2), new ReLU(), // -> (20, 8, 8) -> (20, 4, 4)
        new Flatten(),                                                    // -> (320)
        new Linear(50), new ReLU(), new Dropout(0.5),
        new Linear(10),
    ]);

    /// <summary>DigitsML's default: two padded 3×3 convolutions with BatchNorm, each halved by max pooling, then one
    /// linear layer: Conv 32 → BN → ReLU → MaxPool 2 → Conv 64 → BN → ReLU → MaxPool 2 → Dropout 0.25 → Linear 3136→10
    /// (50,282 parameters). A third of the PyTorch example's arithmetic, and BatchNorm lets it train fast with one-cycle Adam.</summary>
    public static NetworkDefinition DigitNet { get; } = new("DigitNet",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(32, 3, Padding: 1, Bias: false), new BatchNorm2d(), new ReLU(), // (1, 28, 28) -> (32, 28, 28)
        new MaxPool2d(2),                                                         // -> (32, 14, 14)
        new Conv2d(64, 3, Padding: 1, Bias: false), new BatchNorm2d(), new ReLU(), // -> (64, 14, 14)
        new MaxPool2d(2),                                                         // -> (64, 7, 7)
        new Flatten(), new Dropout(0.25),                                         // -> (3136)
        new Linear(10),
    ]);

    /// <summary>Every architecture by name (case-insensitive).</summary>
    public static IReadOnlyDictionary<string, NetworkDefinition> All => all.Value;

    // Lazy: the architectures are initialised across partial files, whose initialiser order C# does not fix.
    private static readonly Lazy<IReadOnlyDictionary<string, NetworkDefinition>> all = new(ByName);

    private static IReadOnlyDictionary<string, NetworkDefinition> ByName() =>
        new[]
        {
            DigitNet, SeedNet, PyTorchExample, PyTorchExampleClassic, M3, M5, M7, C1, C2, C3, KerasNet, DeepPyTorchNet,
            ResNetReduced, Mlp300, Mlp800, QuickNet, QuickNetWide,
        }.ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);
}
