// NetworkSummary.cs — the inferred shapes and parameter counts of a network definition.
using System.Text;
using DigitsML.Engine;

namespace DigitsML.Networks;

/// <summary>Every layer's shapes and parameters, the class count and the total of trainable parameters.</summary>
public sealed class NetworkSummary
{
    internal NetworkSummary(string name, TensorShape inputShape, IReadOnlyList<LayerSummary> layers)
    {
        Name = name;
        InputShape = inputShape;
        Layers = layers;
        TotalParameters = layers.Sum(l => l.Parameters);
        Classes = layers[^1].OutputShape.Channels;
    }

    /// <summary>The network's name.</summary>
    public string Name { get; }

    /// <summary>The input shape.</summary>
    public TensorShape InputShape { get; }

    /// <summary>One row per layer.</summary>
    public IReadOnlyList<LayerSummary> Layers { get; }

    /// <summary>Trainable parameters of all layers.</summary>
    public long TotalParameters { get; }

    /// <summary>Number of class scores the network gives.</summary>
    public int Classes { get; }

    /// <summary>A table of layers, output shapes and parameters, like PyTorch summaries print.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        text.AppendLine($"{Name}  input {InputShape}");
        foreach (var row in Layers)
            text.AppendLine($"  {row.Index,3}  {row.Layer,-38} {row.OutputShape,-16} {row.Parameters,12:N0}");
        text.Append($"  total trainable parameters {TotalParameters:N0}");
        return text.ToString();
    }
}
