// CnnArchitectures.Fast.cs — small networks made for the speed records: little arithmetic per image, pooling early.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

public static partial class CnnArchitectures
{
    /// <summary>The 15-second record's network: Conv 24 5×5 → MaxPool 2 → BN → ReLU → Conv 32 3×3 → MaxPool 2 → BN → ReLU
    /// → Linear 800→256 → ReLU → Linear 256→10 (215,250 parameters). Pooling comes before BatchNorm and ReLU, so those run on a quarter of the
    /// pixels; 1.2 M multiply-adds per image forward, a third of DigitNet's.</summary>
    public static NetworkDefinition QuickNet { get; } = new("QuickNet",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(24, 5, Bias: false), new MaxPool2d(2), new BatchNorm2d(), new ReLU(), // (1, 28, 28) -> (24, 24, 24) -> (24, 12, 12)
        new Conv2d(32, 3, Bias: false), new MaxPool2d(2), new BatchNorm2d(), new ReLU(), // -> (32, 10, 10) -> (32, 5, 5)
        new Flatten(),                                                                   // -> (800)
        new Linear(256), new ReLU(),
        new Linear(10),
    ]);

    /// <summary><see cref="QuickNet"/> with more channels, for recipes with heavy augmentation that QuickNet under-fits:
    /// Conv 32 5×5 → MaxPool 2 → BN → ReLU → Conv 64 3×3 → MaxPool 2 → BN → ReLU → Linear 1600→256 → ReLU → Linear
    /// 256→10 (431,850 parameters); 2.7 M multiply-adds per image forward, about twice QuickNet's.</summary>
    public static NetworkDefinition QuickNetWide { get; } = new("QuickNetWide",
    [
        new Normalize(0.1307, 0.3081),
        new Conv2d(32, 5, Bias: false), new MaxPool2d(2), new BatchNorm2d(), new ReLU(), // (1, 28, 28) -> (32, 24, 24) -> (32, 12, 12)
        new Conv2d(64, 3, Bias: false), new MaxPool2d(2), new BatchNorm2d(), new ReLU(), // -> (64, 10, 10) -> (64, 5, 5)
        new Flatten(),                                                                   // -> (1600)
        new Linear(256), new ReLU(),
        new Linear(10),
    ]);
}
