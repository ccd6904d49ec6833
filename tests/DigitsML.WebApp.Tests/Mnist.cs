// Mnist.cs — MNIST test digits as the tests send them: raw pixels in [0, 1], and rendered to 28 × 28 grey PNG files.
using System.Runtime.InteropServices;
using DigitsML.Testing;
using SkiaSharp;

namespace DigitsML.WebApp.Tests;

internal static class Mnist
{
    /// <summary>The first <paramref name="count"/> test digits: label and 784 bytes (ink bright, as MNIST stores them).</summary>
    public static (int Label, byte[] Pixels)[] TestDigits(int count)
    {
        byte[] images = File.ReadAllBytes(MnistFiles.TestImages), labels = File.ReadAllBytes(MnistFiles.TestLabels);
        return [.. Enumerable.Range(0, count).Select(i => ((int)labels[8 + i], images.AsSpan(16 + 784 * i, 784).ToArray()))];
    }

    /// <summary>The pixels as features, in [0, 1].</summary>
    public static float[] Features(byte[] pixels) => [.. pixels.Select(p => p / 255f)];

    /// <summary>A 28 × 28 8-bit grey PNG of the pixels.</summary>
    public static byte[] Png(byte[] pixels)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(28, 28, SKColorType.Gray8, SKAlphaType.Opaque));
        Marshal.Copy(pixels, 0, bitmap.GetPixels(), pixels.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }
}
