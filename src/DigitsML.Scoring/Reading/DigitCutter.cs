// DigitCutter.cs — cuts one digit out of a number's image and prepares it exactly as NormalizeDigit prepares an image.
using DigitsML.Imaging;

namespace DigitsML.Reading;

/// <summary>Makes the 28 × 28 features of one digit: the columns [c0, c1) of a blob, cut from the original image with a
/// margin, every pixel that is not this digit's ink (or the blurred edge just around it) replaced by the paper under
/// it, then handed to <see cref="DigitNormalizer"/> — the photo of that digit alone, normalised as NormalizeDigit
/// normalises any image, with the ink direction the whole number showed.</summary>
internal sealed class DigitCutter(GrayImage image, InkMap map, InkBlobs blobs)
{
    /// <summary>Margin around the digit's box, as a share of its longer side: enough paper that the normaliser's
    /// median is paper even for a bold digit.</summary>
    private const float Margin = 0.25f;

    /// <summary>The ink box of blob <paramref name="blob"/> within columns [<paramref name="c0"/>, <paramref name="c1"/>)
    /// and its features, or null when those columns hold none of its ink.</summary>
    public (DigitBox Box, float[] Features)? Cut(Blob blob, int c0, int c1)
    {
        int w = image.Width;
        int x0 = int.MaxValue, x1 = -1, y0 = int.MaxValue, y1 = -1;
        for (int y = blob.Y0; y <= blob.Y1; y++)
            for (int x = c0; x < c1; x++)
                if (blobs.InBlob(y * w + x, blob.Id))
                    (x0, x1, y0, y1) = (Math.Min(x0, x), Math.Max(x1, x), Math.Min(y0, y), Math.Max(y1, y));
        if (x1 < 0)
            return null;
        int margin = Math.Max(2, (int)MathF.Round(Margin * Math.Max(x1 - x0 + 1, y1 - y0 + 1)));
        int cx0 = Math.Max(0, x0 - margin), cx1 = Math.Min(w - 1, x1 + margin);
        int cy0 = Math.Max(0, y0 - margin), cy1 = Math.Min(image.Height - 1, y1 + margin);
        int cw = cx1 - cx0 + 1, ch = cy1 - cy0 + 1;
        var pixels = new float[cw * ch];
        for (int y = cy0; y <= cy1; y++)
            for (int x = cx0; x <= cx1; x++)
            {
                int i = y * w + x;
                bool keep = Mine(x, y, blob.Id, c0, c1) || (!blobs.Kept(i) && NextToMine(x, y, blob.Id, c0, c1));
                pixels[(y - cy0) * cw + x - cx0] = keep ? image.Pixels[i] : map.Paper[i];
            }
        var features = new float[DigitNormalizer.Frame * DigitNormalizer.Frame];
        var crop = new GrayImage(cw, ch, pixels, owned: true);
        DigitNormalizer.Normalize(crop, map.Inverted ? DigitInk.DarkOnLight : DigitInk.LightOnDark, features);
        return (new DigitBox(x0, y0, x1 - x0 + 1, y1 - y0 + 1), features);
    }

    private bool Mine(int x, int y, int blob, int c0, int c1) => x >= c0 && x < c1 && blobs.InBlob(y * image.Width + x, blob);

    /// <summary>Within a pixel of this digit's ink: the anti-aliased edge of its strokes, which the ink mask's cut leaves out.</summary>
    private bool NextToMine(int x, int y, int blob, int c0, int c1)
    {
        for (int dy = -1; dy <= 1; dy++)
            for (int dx = -1; dx <= 1; dx++)
            {
                int nx = x + dx, ny = y + dy;
                if ((uint)nx < (uint)image.Width && (uint)ny < (uint)image.Height && Mine(nx, ny, blob, c0, c1))
                    return true;
            }
        return false;
    }
}
