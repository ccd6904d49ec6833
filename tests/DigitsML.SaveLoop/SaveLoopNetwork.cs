// SaveLoopNetwork.cs — the network the save loop writes: large enough (6.4 MB of weights) that a save takes a while.
using DigitsML.Engine;
using DigitsML.Networks;

/// <summary>Flatten → Linear(2048) → ReLU → Linear(10) on 28 × 28 inputs: 1,628,170 parameters.</summary>
public static class SaveLoopNetwork
{
    /// <summary>The definition; the tests build the same one with the same seed to know what the file must hold.</summary>
    public static NetworkDefinition Definition { get; } = new("SaveLoop",
        [new Flatten(), new Linear(2048), new ReLU(), new Linear(10)], TensorShape.Mnist);
}
