// Layer.cs — the base of the layer-list model: each layer infers its output shape and
// parameter count from its input, and builds itself as a TorchSharp module and as ONNX nodes.
using System.Globalization;
using System.Text.Json.Serialization;
using DigitsML.Engine;
using DigitsML.Onnx.Graph;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Networks;

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

    /// <summary>Adds the ONNX nodes computing this layer in evaluation mode to <paramref name="graph"/> and returns the
    /// name of their output. <paramref name="input"/> is a value of shape (batch, <paramref name="inputShape"/>), checked by
    /// <see cref="InferOutput"/>; weights are asked for by state name, <paramref name="statePrefix"/> ("3.", "3.body.0.")
    /// followed by the tensor's own name ("weight", "running_mean"), as <see cref="CreateModule"/>'s module names them.</summary>
    /// <exception cref="InvalidNetworkException">This layer kind does not say which nodes compute it.</exception>
    internal virtual string ExportOnnx(OnnxGraph graph, string input, TensorShape inputShape, string statePrefix) =>
        throw new InvalidNetworkException(
            $"{this} cannot be exported to ONNX: the layer kind {GetType().Name} does not say which ONNX nodes compute it.");

    /// <summary>Exports <paramref name="layers"/> one after the other from <paramref name="input"/>, layer i under the state
    /// prefix <paramref name="statePrefix"/> + "i." as a Sequential names it, and returns the last output's name.</summary>
    internal static string ExportOnnxChain(IReadOnlyList<Layer> layers, OnnxGraph graph, string input, TensorShape inputShape,
        string statePrefix, IList<string>? layerOutputs = null)
    {
        for (int i = 0; i < layers.Count; i++)
        {
            input = layers[i].ExportOnnx(graph, input, inputShape, $"{statePrefix}{i.ToString(CultureInfo.InvariantCulture)}.");
            inputShape = layers[i].InferOutput(inputShape);
            layerOutputs?.Add(input);
        }
        return input;
    }
}
