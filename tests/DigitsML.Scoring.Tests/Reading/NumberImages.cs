// NumberImages.cs — images of numbers built in the tests from MNIST's test digits: side by side or touching, dark on
// light paper or light on black, with ruled lines, a speck or a broken stroke when asked.
using DigitsML.Imaging;
using DigitsML.Data;
using DigitsML.Testing;
using SkiaSharp;

namespace DigitsML.Scoring.Tests.Reading;

internal static class NumberImages
{
    private static readonly Lazy<(int Count, byte[] Pixels, byte[] Labels)> test = new(() =>
    {
        var (count, _, _, pixels) = IdxFile.ReadImages(TestData.TestImages);
        return (count, pixels, IdxFile.ReadLabels(TestData.TestLabels));
    });

    /// <summary>The MNIST test image <paramref name="index"/>: 28 × 28 ink strengths in [0, 1].</summary>
    public static float[] Digit(int index) => [.. test.Value.Pixels.AsSpan(index * 784, 784).ToArray().Select(b => b / 255f)];

    /// <summary>The label of MNIST test image <paramref name="index"/>.</summary>
    public static int Label(int index) => test.Value.Labels[index];

    /// <summary>The first <paramref name="count"/> test images labelled <paramref name="digit"/>, from
    /// <paramref name="skip"/> on.</summary>
    public static int[] IndicesOf(int digit, int count, int skip = 0) =>
        [.. Enumerable.Range(0, test.Value.Count).Where(i => test.Value.Labels[i] == digit).Skip(skip).Take(count)];

    /// <summary>How a number is drawn.</summary>
    public sealed record Layout
    {
        /// <summary>Scale of each 28-pixel MNIST image (digits about 20 × scale pixels tall).</summary>
        public int Scale { get; init; } = 2;

        /// <summary>Pixels between the 28 × 28 frames' ink boxes; negative overlaps them.</summary>
        public int Gap { get; init; } = 12;

        public int Margin { get; init; } = 20;

        /// <summary>Dark ink on light paper (a photo); false: light ink on black (MNIST).</summary>
        public bool Paper { get; init; } = true;

        /// <summary>Pixels between ruled lines (0: none), drawn grey across the width.</summary>
        public int Lines { get; init; }

        /// <summary>A square speck of this side at the top-left of the last digit's box (0: none).</summary>
        public int Speck { get; init; }

        /// <summary>Light falling from 1 on the left to this on the right (paper only).</summary>
        public float LightRight { get; init; } = 1;
    }

    /// <summary>The digits of <paramref name="indices"/> cropped to their ink and laid out left to right, as ink strengths
    /// (1 ink), with each digit's ink box; the width and height of the canvas.</summary>
    public static (float[] Ink, int Width, int Height, DigitBox[] Boxes) Compose(int[] indices, Layout layout)
    {
        var crops = indices.Select(i => DigitCrops.Crop(Digit(i), layout.Scale)).ToList();
        int height = crops.Max(c => c.H) + 2 * layout.Margin;
        int width = crops.Sum(c => c.W) + layout.Gap * (crops.Count - 1) + 2 * layout.Margin;
        var ink = new float[width * height];
        var boxes = new DigitBox[crops.Count];
        int x = layout.Margin;
        for (int d = 0; d < crops.Count; d++)
        {
            var (pixels, w, h) = crops[d];
            int top = layout.Margin + (crops.Max(c => c.H) - h);  // on a common baseline
            for (int y = 0; y < h; y++)
                for (int i = 0; i < w; i++)
                    ink[(top + y) * width + x + i] = Math.Max(ink[(top + y) * width + x + i], pixels[y * w + i]);
            boxes[d] = new DigitBox(x, top, w, h);
            x += w + layout.Gap;
        }
        if (layout.Speck > 0)
        {
            var last = boxes[^1];
            for (int y = 0; y < layout.Speck; y++)
                for (int i = 0; i < layout.Speck; i++)
                    ink[(last.Y - layout.Margin / 2 + y) * width + last.X + last.Width + layout.Margin / 2 + i - layout.Speck] = 1;
        }
        return (ink, width, height, boxes);
    }

    /// <summary>The composed number as a grey image: paper (with lines and light) or black.</summary>
    public static GrayImage Gray(int[] indices, Layout layout)
    {
        var (ink, w, h, _) = Compose(indices, layout);
        var pixels = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float a = ink[y * w + x];
                if (!layout.Paper)
                {
                    pixels[y * w + x] = a;
                    continue;
                }
                float paper = layout.Lines > 0 && y % layout.Lines == 0 ? 0.55f : 0.95f;
                float light = 1 - (1 - layout.LightRight) * x / (w - 1f);
                pixels[y * w + x] = Math.Clamp((paper * (1 - a) + 0.08f * a) * light, 0, 1);
            }
        return new GrayImage(w, h, pixels);
    }

    /// <summary>The grey image as PNG bytes (8-bit grey).</summary>
    public static byte[] Png(GrayImage image)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(image.Width, image.Height, SKColorType.Gray8, SKAlphaType.Opaque));
        var bytes = new byte[image.Width * image.Height];
        for (int i = 0; i < bytes.Length; i++)
            bytes[i] = (byte)Math.Round(image.Pixels[i] * 255);
        System.Runtime.InteropServices.Marshal.Copy(bytes, 0, bitmap.GetPixels(), bytes.Length);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    /// <summary>The text of the digits of <paramref name="indices"/>.</summary>
    public static string Text(int[] indices) => string.Concat(indices.Select(i => Label(i).ToString(System.Globalization.CultureInfo.InvariantCulture)));

}
