// TensorShape.cs — the shape of one example as it flows through a network, batch dimension left out.
namespace DigitsML.Networks;

/// <summary>The shape of one example: an image (channels, height, width) or a flat vector of features.</summary>
public readonly record struct TensorShape
{
    private TensorShape(int rank, int channels, int height, int width)
    {
        Rank = rank;
        Channels = channels;
        Height = height;
        Width = width;
    }

    /// <summary>3 for an image (C, H, W), 1 for a vector of features.</summary>
    public int Rank { get; }

    /// <summary>Channels of an image, or the length of a vector.</summary>
    public int Channels { get; }

    /// <summary>Image height; 1 for a vector.</summary>
    public int Height { get; }

    /// <summary>Image width; 1 for a vector.</summary>
    public int Width { get; }

    /// <summary>The number of values in one example.</summary>
    public long Elements => (long)Channels * Height * Width;

    /// <summary>An image shape (C, H, W).</summary>
    public static TensorShape Image(int channels, int height, int width) => new(3, channels, height, width);

    /// <summary>A flat vector of <paramref name="features"/> values.</summary>
    public static TensorShape Vector(int features) => new(1, features, 1, 1);

    /// <summary>The MNIST input: one grey channel of 28 × 28 pixels.</summary>
    public static TensorShape Mnist => Image(1, 28, 28);

    /// <inheritdoc />
    public override string ToString() => Rank == 1 ? $"({Channels})" : $"({Channels}, {Height}, {Width})";
}
