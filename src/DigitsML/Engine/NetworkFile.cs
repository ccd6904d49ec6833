// NetworkFile.cs — saves and loads a single network as a model file.
using DigitsML.IO;
using DigitsML.Networks;

namespace DigitsML.Engine;

/// <summary>A single network in a model file (zip: version, manifest with SHA-256 hashes, the definition as JSON and
/// the weights as safetensors). Loading never runs code, bounds every size and verifies every hash.</summary>
internal static class NetworkFile
{
    /// <summary>Saves <paramref name="network"/> to <paramref name="path"/> atomically.</summary>
    public static void Save(Network network, string path)
    {
        ArgumentNullException.ThrowIfNull(network);
        var entries = new Dictionary<string, byte[]>();
        NetworkSerializer.AddEntries(entries, "", network);
        ModelArchive.Save(path, entries);
    }

    /// <summary>Loads a network saved by <see cref="Save"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file is not a valid model file; the message says what is wrong.</exception>
    public static Network Load(string path, Device device = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var file = File.OpenRead(path);
        var entries = ModelArchive.Read(file, path);
        return NetworkSerializer.FromEntries(entries, "", device, path);
    }
}
