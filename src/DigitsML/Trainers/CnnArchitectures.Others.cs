// CnnArchitectures.Others.cs — the remaining networks of the seed reports: the Keras network, the deeper PyTorch
// network with BatchNorm and LeakyReLU, the reduced ResNet-18, MLP baselines, and swapping activations.
using DigitsML.Engine;
using DigitsML.Networks;

namespace DigitsML.Trainers;

public static partial class CnnArchitectures
{
    private static readonly Normalize Standardize = new(0.1307, 0.3081);

    /// <summary>The Keras reports' network: (Conv 64 3×3 → ReLU → BatchNorm → MaxPool 2 → Dropout 0.25) twice, then three
    /// Dense 128 layers with ReLU and Dense 10.</summary>
    public static NetworkDefinition KerasNet { get; } = new("KerasNet",
    [
        Standardize,
        new Conv2d(64, 3), new ReLU(), new BatchNorm2d(), new MaxPool2d(2), new Dropout(0.25), // (1, 28, 28) -> (64, 13, 13)
        new Conv2d(64, 3), new ReLU(), new BatchNorm2d(), new MaxPool2d(2), new Dropout(0.25), // -> (64, 5, 5)
        new Flatten(),                                                                        // -> (1600)
        new Linear(128), new ReLU(), new Linear(128), new ReLU(), new Linear(128), new ReLU(),
        new Linear(10),
    ]);

    /// <summary>The deeper PyTorch network: Conv 32, 64, 128 (3×3, padding 1) each with BatchNorm2d, LeakyReLU and
    /// MaxPool 2, Dropout2d, then Linear 1152→256→128→10 with LeakyReLU.</summary>
    public static NetworkDefinition DeepPyTorchNet { get; } = new("DeepPyTorchNet",
    [
        Standardize,
        new Conv2d(32, 3, Padding: 1), new BatchNorm2d(), new LeakyReLU(), new MaxPool2d(2),  // (1, 28, 28) -> (32, 14, 14)
        new Conv2d(64, 3, Padding: 1), new BatchNorm2d(), new LeakyReLU(), new MaxPool2d(2),  // -> (64, 7, 7)
        new Conv2d(128, 3, Padding: 1), new BatchNorm2d(), new LeakyReLU(), new MaxPool2d(2), // -> (128, 3, 3)
        new Dropout2d(0.25), new Flatten(),                                                   // -> (1152)
        new Linear(256), new LeakyReLU(), new Linear(128), new LeakyReLU(),
        new Linear(10),
    ]);

    // A basic ResNet block: two 3×3 convolutions with BatchNorm, a 1×1 projection where the channels change, ReLU after the sum.
    private static IEnumerable<Layer> ResidualBlock(int inChannels, int channels) =>
    [
        new Residual(
            [new Conv2d(channels, 3, Padding: 1, Bias: false), new BatchNorm2d(), new ReLU(),
             new Conv2d(channels, 3, Padding: 1, Bias: false), new BatchNorm2d()],
            inChannels == channels ? null : [new Conv2d(channels, 1, Bias: false), new BatchNorm2d()]),
        new ReLU(),
    ];

    /// <summary>The last report's reduced ResNet-18: Conv 8 3×3 → BatchNorm → ReLU → MaxPool 2, eight residual blocks
    /// 8→16, 16, 32, 32, 64, 64, 128, 128 (two 3×3 convolutions with padding 1 and BatchNorm, a 1×1 projection where
    /// the channels change), AvgPool 2, Linear 4608→10.</summary>
    public static NetworkDefinition ResNetReduced { get; } = new("ResNetReduced",
    [
        Standardize,
        new Conv2d(8, 3, Bias: false), new BatchNorm2d(), new ReLU(), new MaxPool2d(2), // (1, 28, 28) -> (8, 13, 13)
        .. ResidualBlock(8, 16), .. ResidualBlock(16, 16), .. ResidualBlock(16, 32), .. ResidualBlock(32, 32),
        .. ResidualBlock(32, 64), .. ResidualBlock(64, 64), .. ResidualBlock(64, 128), .. ResidualBlock(128, 128),
        new AvgPool2d(2), new Flatten(),                                                // (128, 13, 13) -> (4608)
        new Linear(10),
    ]);

    /// <summary>MLP baseline 784-300-10.</summary>
    public static NetworkDefinition Mlp300 { get; } = new("Mlp300", [Standardize, new Flatten(), new Linear(300), new ReLU(), new Linear(10)]);

    /// <summary>MLP baseline 784-800-10.</summary>
    public static NetworkDefinition Mlp800 { get; } = new("Mlp800", [Standardize, new Flatten(), new Linear(800), new ReLU(), new Linear(10)]);

    /// <summary>The same network with every activation (ReLU, LeakyReLU, Sigmoid, Tanh), residual bodies included,
    /// replaced by <paramref name="activation"/>, as the reports compare them. The name gets the activation as a suffix.</summary>
    /// <param name="definition">The network.</param>
    /// <param name="activation">The activation to use, e.g. <c>new Tanh()</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="activation"/> is not an activation layer.</exception>
    public static NetworkDefinition WithActivation(NetworkDefinition definition, Layer activation)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(activation);
        if (!IsActivation(activation))
            throw new ArgumentException($"{activation} is not an activation; use ReLU, LeakyReLU, Sigmoid or Tanh.", nameof(activation));
        return new NetworkDefinition($"{definition.Name}-{activation}", definition.Layers.Select(l => Swap(l, activation)),
            definition.InputShape);
    }

    private static bool IsActivation(Layer layer) => layer is ReLU or LeakyReLU or Sigmoid or Tanh;

    private static Layer Swap(Layer layer, Layer activation) => layer switch
    {
        _ when IsActivation(layer) => activation,
        Residual r => new Residual(r.Body.Select(l => Swap(l, activation)).ToList(), r.Shortcut?.Select(l => Swap(l, activation)).ToList()),
        _ => layer,
    };
}
