// LineReaderNetwork.cs — the line reader: convolutions over the whole strip, the height folded into channels, a
// convolutional sequence head giving blank-or-digit probabilities per frame. Built by TorchSharp, exported to ONNX.
using DigitsML.Networks;
using DigitsML.Onnx.Graph;
using DigitsML.Scoring;
using Google.Protobuf;
using TorchSharp;
using static TorchSharp.torch;

namespace DigitsML.Reading;

/// <summary>The line reader's network, fully convolutional so any strip width goes through it:
/// <list type="number">
/// <item>features: four 3 × 3 convolutions with BatchNorm and ReLU, max-pooled by 2 after the first two, over the
/// 1 × <see cref="NumberLine.Height"/> × W strip, giving 64 × 8 × W/4;</item>
/// <item>the 8 rows folded into the channels (512 × 1 × W/4): each frame sees its whole column;</item>
/// <item>the head: a 1 × 1 convolution, two convolutions 3 frames wide (a 3 × 3 kernel with padding 1 over a single
/// row, so only its middle row meets data) and a 1 × 1 convolution to <see cref="FrameDecoder.Classes"/> scores per frame.</item>
/// </list>
/// Its receptive field is about 60 columns, two to three digits. Built from the project's own layers, so the
/// TorchSharp modules and the ONNX nodes are the ones the classifiers use.</summary>
internal sealed class LineReaderNetwork : nn.Module<Tensor, Tensor>
{
    /// <summary>The feature layers, over 1 × Height × width.</summary>
    internal static readonly IReadOnlyList<Layer> FeatureLayers =
    [
        new Conv2d(32, 3, Padding: 1), new BatchNorm2d(), new ReLU(), new MaxPool2d(2),
        new Conv2d(48, 3, Padding: 1), new BatchNorm2d(), new ReLU(), new MaxPool2d(2),
        new Conv2d(64, 3, Padding: 1), new BatchNorm2d(), new ReLU(),
        new Conv2d(64, 3, Padding: 1), new BatchNorm2d(), new ReLU(),
    ];

    /// <summary>The head layers, over (64 · 8) × 1 × frames.</summary>
    internal static readonly IReadOnlyList<Layer> HeadLayers =
    [
        new Conv2d(128, 1), new BatchNorm2d(), new ReLU(),
        new Conv2d(128, 3, Padding: 1), new BatchNorm2d(), new ReLU(),
        new Conv2d(128, 3, Padding: 1), new BatchNorm2d(), new ReLU(),
        new Conv2d(FrameDecoder.Classes, 1),
    ];

    /// <summary>The strip width the shapes are worked out for (any width runs).</summary>
    private const int NominalWidth = 128;

    private readonly nn.Module<Tensor, Tensor> features, head;

    /// <summary>A network with PyTorch's initial weights drawn from libtorch's generator (seed it first).</summary>
    public LineReaderNetwork(Generator dropout) : base(nameof(LineReaderNetwork))
    {
        var context = new ModuleContext(dropout);
        features = Chain(FeatureLayers, FeatureShape, context);
        head = Chain(HeadLayers, HeadShape, context);
        RegisterComponents();
    }

    /// <summary>The input of one example at the nominal width.</summary>
    internal static TensorShape FeatureShape => TensorShape.Image(1, NumberLine.Height, NominalWidth);

    /// <summary>The head's input: the features with their rows folded into channels.</summary>
    internal static TensorShape HeadShape
    {
        get
        {
            var shape = FeatureShape;
            foreach (var layer in FeatureLayers)
                shape = layer.InferOutput(shape);
            return TensorShape.Image(shape.Channels * shape.Height, 1, shape.Width);
        }
    }

    private static nn.Module<Tensor, Tensor> Chain(IReadOnlyList<Layer> layers, TensorShape shape, ModuleContext context)
    {
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        for (int i = 0; i < layers.Count; i++)
        {
            modules.Add((i.ToString(System.Globalization.CultureInfo.InvariantCulture), layers[i].CreateModule(shape, context)));
            shape = layers[i].InferOutput(shape);
        }
        return nn.Sequential(modules);
    }

    /// <summary>Scores per frame: (batch, 1, Height, W) in, (batch, classes, 1, W / 4) out.</summary>
    public override Tensor forward(Tensor input)
    {
        using var scope = NewDisposeScope();
        var f = features.forward(input);
        var folded = f.reshape(f.shape[0], f.shape[1] * f.shape[2], 1, f.shape[3]);
        return head.forward(folded).MoveToOuterDisposeScope();
    }

    /// <summary>The ONNX model of the current weights (opset 17): input <paramref name="inputName"/> float
    /// (batch, 1, Height, "width"), output <paramref name="outputName"/> float (batch, "frames", classes) of per-frame
    /// probabilities (softmax over the classes). BatchNorm uses its running statistics, as in evaluation mode.</summary>
    public byte[] ToOnnx(string inputName, string outputName, string description)
    {
        var state = state_dict().Where(p => !p.Key.EndsWith("num_batches_tracked", StringComparison.Ordinal)).ToDictionary(p => p.Key, p =>
        {
            using var host = p.Value.detach().cpu().contiguous();
            return ((int[])[.. p.Value.shape.Select(d => checked((int)d))], host.data<float>().ToArray());
        }, StringComparer.Ordinal);
        var graph = new OnnxGraph(nameof(LineReaderNetwork));
        var featureShape = FeatureShape;
        string input = graph.AddInput(inputName, [1, NumberLine.Height, NominalWidth], [null, null, "width"]);
        graph.Reserve(outputName);
        graph.UseWeights(state);
        string f = Layer.ExportOnnxChain(FeatureLayers, graph, input, featureShape, "features.");
        var headShape = HeadShape;
        string folded = graph.Node("Reshape", [f, graph.Int64s("fold", 0, headShape.Channels, 1, -1)], "fold.");
        string scores = Layer.ExportOnnxChain(HeadLayers, graph, folded, headShape, "head.");
        string rows = graph.Node("Squeeze", [scores, graph.Int64s("row", 2)], "frames.");
        string probabilities = graph.Node("Softmax", [rows], "frames.", OnnxGraph.Int("axis", 1));
        graph.AddOutput(outputName, [-1, FrameDecoder.Classes], "Transpose", [probabilities], ["frames", null],
            OnnxGraph.Ints("perm", 0, 2, 1));
        if (graph.UnusedWeights.FirstOrDefault() is string unused)
            throw new InvalidOperationException($"Exporting the line reader left its state tensor '{unused}' unread.");
        return graph.ToModel(OnnxOutputs.Producer, OnnxOutputs.ProducerVersion, description).ToByteArray();
    }
}
