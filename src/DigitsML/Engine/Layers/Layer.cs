// Layer.cs — the base of the layer-list model: each layer infers its output shape and
// parameter count from its input, and builds itself as a TorchSharp module.
using System.Text.Json.Serialization;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Engine;

/// <summary>One layer of a network. Layers carry only their own settings; input sizes are inferred
/// from the shape that reaches them, so a list like <c>Conv2d(32, 3), ReLU(), Flatten(), Linear(10)</c> is complete.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(Conv2d), "Conv2d")]
[JsonDerivedType(typeof(BatchNorm2d), "BatchNorm2d")]
[JsonDerivedType(typeof(BatchNorm1d), "BatchNorm1d")]
[JsonDerivedType(typeof(ReLU), "ReLU")]
[JsonDerivedType(typeof(LeakyReLU), "LeakyReLU")]
[JsonDerivedType(typeof(Sigmoid), "Sigmoid")]
[JsonDerivedType(typeof(Tanh), "Tanh")]
[JsonDerivedType(typeof(MaxPool2d), "MaxPool2d")]
[JsonDerivedType(typeof(AvgPool2d), "AvgPool2d")]
[JsonDerivedType(typeof(Dropout), "Dropout")]
[JsonDerivedType(typeof(Dropout2d), "Dropout2d")]
[JsonDerivedType(typeof(Flatten), "Flatten")]
[JsonDerivedType(typeof(Linear), "Linear")]
[JsonDerivedType(typeof(Normalize), "Normalize")]
[JsonDerivedType(typeof(Residual), "Residual")]
public abstract record Layer
{
    /// <summary>The output shape for <paramref name="input"/>.</summary>
    /// <exception cref="InvalidNetworkException">The layer cannot take that input.</exception>
    internal abstract TensorShape InferOutput(TensorShape input);

    /// <summary>Trainable values this layer holds for <paramref name="input"/>.</summary>
    internal virtual long ParameterCount(TensorShape input) => 0;

    /// <summary>The TorchSharp module computing this layer on the CPU; <paramref name="input"/> has been checked by
    /// <see cref="InferOutput"/>. Its parameters are initialised as PyTorch initialises them, from libtorch's generator.</summary>
    internal abstract nn.Module<Tensor, Tensor> CreateModule(TensorShape input, ModuleContext context);

    /// <summary>Refuses an input shape with a message naming this layer and the shapes.</summary>
    private protected InvalidNetworkException Refuse(TensorShape input, string why) =>
        new($"{this} cannot take input {input}: {why}");

    private protected void RequireImage(TensorShape input)
    {
        if (input.Rank != 3)
            throw Refuse(input, "it needs an image (channels, height, width); a flat vector reaches it");
    }

    private protected void RequireVector(TensorShape input)
    {
        if (input.Rank != 1)
            throw Refuse(input, "it needs a flat vector; insert Flatten before it");
    }

    /// <summary>Output size of a convolution or pooling window along one axis, refused when empty.</summary>
    private protected int WindowOutput(TensorShape input, int size, int kernel, int stride, int padding, string axis)
    {
        // long arithmetic: a huge padding from a hand-edited model file must be refused here, not overflow.
        long padded = size + 2L * padding;
        long output = (padded - kernel) / stride + 1;
        if (padded < kernel || output < 1)
            throw Refuse(input, $"a {kernel}×{kernel} window does not fit the {axis} of {size} (padding {padding})");
        if (output > 1 << 16)
            throw Refuse(input, $"the {axis} would grow to {output:N0}; padding {padding} is far too large");
        return (int)output;
    }
}
