// DigitBox.cs — where a digit was found in the image of a number, in the image's pixels.
namespace DigitsML;

/// <summary>The box around one digit's ink, in pixels of the image read: <see cref="X"/> and <see cref="Y"/> are the
/// top-left pixel (0-based, y down), <see cref="Width"/> and <see cref="Height"/> at least 1.</summary>
/// <param name="X">The leftmost column of ink.</param>
/// <param name="Y">The topmost row of ink.</param>
/// <param name="Width">Columns, from <see cref="X"/> on.</param>
/// <param name="Height">Rows, from <see cref="Y"/> down.</param>
public readonly record struct DigitBox(int X, int Y, int Width, int Height);
