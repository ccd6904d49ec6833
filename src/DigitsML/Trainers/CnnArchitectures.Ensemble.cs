// CnnArchitectures.Ensemble.cs — the networks of An et al. (2020), "An Ensemble of Simple Convolutional Neural
// Network Models for MNIST Digit Recognition": M3, M5, M7 and the pooled variants C1, C2, C3.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

public static partial class CnnArchitectures
{
    // An et al. scale pixels to [-1, 1]; every convolution is Conv (no bias, no padding) → BatchNorm2d → ReLU.
    private static IEnumerable<Layer> Block(int channels, int kernel, int padding = 0) =>
        [new Conv2d(channels, kernel, Padding: padding, Bias: false), new BatchNorm2d(), new ReLU()];

    private static NetworkDefinition Plain(string name, int kernel, params int[] channels) => new(name,
    [
        new Normalize(0.5, 0.5),
        .. channels.SelectMany(c => Block(c, kernel)),
        new Flatten(), new Linear(10, Bias: false), new BatchNorm1d(),
    ]);

    /// <summary>M3: ten 3×3 layers of 32, 48, 64 … 176 channels, 28 → 8 pixels, Linear 11264→10 without bias,
    /// BatchNorm1d (1,124,180 parameters).</summary>
    public static NetworkDefinition M3 { get; } = Plain("M3", 3, 32, 48, 64, 80, 96, 112, 128, 144, 160, 176);

    /// <summary>M5: five 5×5 layers of 32, 64, 96, 128, 160 channels, 28 → 8 pixels, Linear 10240→10 without bias,
    /// BatchNorm1d (1,128,180 parameters).</summary>
    public static NetworkDefinition M5 { get; } = Plain("M5", 5, 32, 64, 96, 128, 160);

    /// <summary>M7: four 7×7 layers of 48, 96, 144, 192 channels, 28 → 4 pixels, Linear 3072→10 without bias,
    /// BatchNorm1d (2,291,972 parameters).</summary>
    public static NetworkDefinition M7 { get; } = Plain("M7", 7, 48, 96, 144, 192);

    private static IEnumerable<Layer> PooledBody(int a, int b, int c, int d) =>
    [
        new Normalize(0.5, 0.5),
        .. Block(a, 5, 2), .. Block(b, 5, 2), new MaxPool2d(2), // (1, 28, 28) -> (b, 14, 14)
        .. Block(c, 5, 2), .. Block(d, 5, 2), new MaxPool2d(2), // -> (d, 7, 7)
        new Flatten(),                                          // -> (6272) for d = 128
    ];

    /// <summary>C1: 5×5 convolutions with padding 2 of 64, 64, MaxPool 2, 128, 128, MaxPool 2, each with BatchNorm2d and
    /// ReLU, then Linear 6272→10 and BatchNorm1d.</summary>
    public static NetworkDefinition C1 { get; } = new("C1", [.. PooledBody(64, 64, 128, 128), new Linear(10, Bias: false), new BatchNorm1d()]);

    /// <summary>C2: C1's body with the head Linear 6272→100, BatchNorm1d, ReLU, Linear 100→10, BatchNorm1d.</summary>
    public static NetworkDefinition C2 { get; } = new("C2",
    [
        .. PooledBody(64, 64, 128, 128),
        new Linear(100, Bias: false), new BatchNorm1d(), new ReLU(), new Linear(10, Bias: false), new BatchNorm1d(),
    ]);

    /// <summary>C3: 32, 64, MaxPool 2, 96, 128, MaxPool 2 (5×5, padding 2, BatchNorm2d, ReLU), then Linear 6272→10
    /// and BatchNorm1d.</summary>
    public static NetworkDefinition C3 { get; } = new("C3", [.. PooledBody(32, 64, 96, 128), new Linear(10, Bias: false), new BatchNorm1d()]);
}
