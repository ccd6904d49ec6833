// LayerSummary.cs — one row of a network summary.
using DigitsML.Engine;

namespace DigitsML.Networks;

/// <summary>A layer with the shape it receives, the shape it gives and its trainable parameter count.</summary>
public sealed record LayerSummary(int Index, Layer Layer, TensorShape InputShape, TensorShape OutputShape, long Parameters);
