// DigitsModelInfo.cs — which model a DigitRecognizer answers with: version, content hash, load time (no paths).
namespace DigitsML;

/// <summary>The model a <see cref="DigitRecognizer"/> answers with now.</summary>
/// <param name="Version">1 for the model loaded at start, one more for each reload.</param>
/// <param name="Sha256">The SHA-256 of the model zip, in lower-case hexadecimal.</param>
/// <param name="FileName">The model file's name without its folder (null for a model read from a stream): safe to show.</param>
/// <param name="LoadedAt">When it was loaded.</param>
/// <param name="Classes">The model's classes, in <see cref="DigitClassifier.Classes"/>' order.</param>
public sealed record DigitsModelInfo(int Version, string Sha256, string? FileName, DateTimeOffset LoadedAt, IReadOnlyList<string> Classes);
