// ModelIdentity.cs — what /health says of the model: its file name, size and SHA-256, never where it lies on the disk.
using System.Security.Cryptography;

namespace DigitsML.WebApp;

/// <summary>The loaded model as /health shows it: enough to tell which model answers (the SHA-256 is its version), no
/// path.</summary>
/// <param name="Name">The file name, without its folder.</param>
/// <param name="Bytes">The file's size.</param>
/// <param name="Sha256">The file's SHA-256, lower-case hex.</param>
public sealed record ModelIdentity(string Name, long Bytes, string Sha256)
{
    /// <summary>Reads the file at <paramref name="path"/> to hash it.</summary>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static ModelIdentity Of(string path)
    {
        using var file = File.OpenRead(path);
        string sha = Convert.ToHexStringLower(SHA256.HashData(file));
        return new ModelIdentity(Path.GetFileName(path), file.Length, sha);
    }
}
