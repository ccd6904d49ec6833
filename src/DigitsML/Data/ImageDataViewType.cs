// ImageDataViewType.cs — the column type of decoded images, the value ml.Transforms.LoadImages adds.
using DigitsML.Imaging;

namespace DigitsML.Data;

/// <summary>A column of <see cref="GrayImage"/> values of any size, read with <c>GetGetter&lt;GrayImage&gt;</c>; it prints
/// as "Image". Images are immutable, so values can be shared between rows and readers. Like ML.NET's image type, it is an
/// intermediate: <c>NormalizeDigit</c> turns it into the fixed-size feature vector a network takes.</summary>
public sealed class ImageDataViewType : DataViewType
{
    private ImageDataViewType() : base(typeof(GrayImage)) { }

    /// <summary>The single instance.</summary>
    public static ImageDataViewType Instance { get; } = new();

    /// <inheritdoc />
    public override bool Equals(DataViewType? other) => ReferenceEquals(this, other);

    /// <inheritdoc />
    public override int GetHashCode() => RawType.GetHashCode();

    /// <inheritdoc />
    public override string ToString() => "Image";
}
