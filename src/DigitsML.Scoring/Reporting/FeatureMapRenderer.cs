// FeatureMapRenderer.cs — runs a model's ONNX graph with ONNX Runtime up to its first convolution block, so the report
// can show what the first layer responds to from a saved model (which holds nothing but the graph).
using DigitsML.Onnx.Graph;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using DigitsML.Networks;

namespace DigitsML.Reporting;

/// <summary>An ONNX Runtime session over a copy of the (batched) graph whose outputs are the feature-map value named in
/// its metadata. Disposing it frees the session.</summary>
internal sealed class FeatureMapRenderer : IDisposable
{
    private readonly InferenceSession session;
    private readonly string input;
    private readonly FeatureMaps maps;
    private readonly int[] inputShape;

    private FeatureMapRenderer(InferenceSession session, string input, int[] inputShape, FeatureMaps maps)
    {
        this.session = session;
        this.input = input;
        this.inputShape = inputShape;
        this.maps = maps;
    }

    /// <summary>The maps this renderer gives.</summary>
    internal FeatureMaps Maps => maps;

    /// <summary>A renderer for <paramref name="batchedOnnx"/>, or null when its metadata names no feature maps.</summary>
    internal static FeatureMapRenderer? Create(byte[] batchedOnnx, FeatureMaps? maps, TensorShape imageShape)
    {
        if (maps is null)
            return null;
        var model = ModelProto.Parser.ParseFrom(batchedOnnx);
        var graph = model.Graph;
        graph.Output.Clear();
        graph.Output.Add(new ValueInfoProto
        {
            Name = maps.Value,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
        var session = new InferenceSession(model.ToByteArray());
        return new FeatureMapRenderer(session, graph.Input[0].Name, [1, imageShape.Channels, imageShape.Height, imageShape.Width], maps);
    }

    /// <summary>The maps of one image: channels × height × width values.</summary>
    internal float[] Render(float[] pixels)
    {
        var tensor = new DenseTensor<float>(pixels, inputShape);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input, tensor)]);
        return [.. results.First().AsEnumerable<float>()];
    }

    public void Dispose() => session.Dispose();
}
