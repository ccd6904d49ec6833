// ModelArchive.cs — the model file container: a zip of named entries plus a version entry and a
// manifest of SHA-256 hashes. Reading bounds every size, checks every hash and refuses unknown versions.
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using DigitsML.Scoring;

namespace DigitsML.IO;

/// <summary>Writes and reads model files. The caller's entries (JSON and safetensors) sit beside
/// <c>version.json</c> and <c>manifest.json</c>; entry names always use '/'.</summary>
internal static class ModelArchive
{
    internal const int FormatVersion = 1;
    internal const string VersionEntry = "version.json";
    internal const string ManifestEntry = "manifest.json";
    internal const int MaxEntries = 256;
    internal const long MaxEntryBytes = 1L << 30;
    internal const long MaxTotalBytes = 4L << 30;

    private sealed record VersionInfo(int FormatVersion, string LibraryVersion);

    /// <summary>Writes the archive to <paramref name="path"/> atomically: a temporary file in the same folder is
    /// written, flushed to disk and renamed over the target, so a crash leaves the old file intact.</summary>
    internal static void Save(string path, IReadOnlyDictionary<string, byte[]> entries)
    {
        AtomicFile.Write(path, file => Write(file, entries));
    }

    internal static void Write(Stream stream, IReadOnlyDictionary<string, byte[]> entries)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var all = new SortedDictionary<string, byte[]>(StringComparer.Ordinal)
        {
            [VersionEntry] = JsonSerializer.SerializeToUtf8Bytes(new VersionInfo(FormatVersion, LibraryVersion)),
        };
        foreach (var (name, bytes) in entries)
        {
            if (name is VersionEntry or ManifestEntry || name.Contains('\\') || name.StartsWith('/') || name.Contains(".."))
                throw new ArgumentException($"'{name}' cannot be used as a model file entry name.", nameof(entries));
            all[name] = bytes;
        }
        var manifest = all.ToDictionary(kv => kv.Key, kv => Convert.ToHexStringLower(SHA256.HashData(kv.Value)));
        all[ManifestEntry] = JsonSerializer.SerializeToUtf8Bytes(new SortedDictionary<string, string>(manifest, StringComparer.Ordinal));
        using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
        foreach (var (name, bytes) in all)
        {
            var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);  // repeatable bytes
            using var output = entry.Open();
            output.Write(bytes);
        }
    }

    /// <summary>Reads and verifies every entry. <paramref name="source"/> names the file in messages.</summary>
    /// <exception cref="DataFormatException">Not a model file, an entry missing, altered, unlisted or oversized,
    /// or a format version this library does not know.</exception>
    internal static IReadOnlyDictionary<string, byte[]> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(source, $"not a DigitsML model file: not a zip archive ({e.Message})");
        }
        using (zip)
        {
            IReadOnlyCollection<ZipArchiveEntry> all;
            try
            {
                // The central directory is parsed on first access to Entries, not by the constructor (found by the fuzzer).
                all = zip.Entries;
            }
            catch (InvalidDataException e)
            {
                throw new DataFormatException(source, $"not a DigitsML model file: the zip directory is corrupt ({e.Message})");
            }
            if (all.Count > MaxEntries)
                throw new DataFormatException(source, $"holds {all.Count} entries; a model file has at most {MaxEntries}");
            var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            long total = 0;
            foreach (var entry in all)
            {
                byte[] bytes = ReadBounded(entry, source, MaxTotalBytes - total);
                total += bytes.Length;
                if (!entries.TryAdd(entry.FullName, bytes))
                    throw new DataFormatException(source, $"entry '{entry.FullName}' appears twice");
            }
            CheckVersion(entries, source);
            CheckManifest(entries, source);
            entries.Remove(ManifestEntry);
            entries.Remove(VersionEntry);
            return entries;
        }
    }

    private static byte[] ReadBounded(ZipArchiveEntry entry, string source, long budget)
    {
        long limit = Math.Min(MaxEntryBytes, budget);
        if (entry.Length > limit)
            throw new DataFormatException(source, $"entry '{entry.FullName}' expands to {entry.Length:N0} bytes, over the {limit:N0}-byte limit");
        try
        {
            using var input = entry.Open();
            using var buffer = new MemoryStream((int)Math.Min(entry.Length, 1 << 20));
            var chunk = new byte[81920];
            int read;
            // The declared length can lie (a zip bomb), so the bytes actually produced are counted too.
            while ((read = input.Read(chunk)) > 0)
            {
                if (buffer.Length + read > limit)
                    throw new DataFormatException(source, $"entry '{entry.FullName}' expands past the {limit:N0}-byte limit");
                buffer.Write(chunk, 0, read);
            }
            return buffer.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new DataFormatException(source, $"entry '{entry.FullName}' is corrupt ({e.Message})");
        }
    }

    private static void CheckVersion(Dictionary<string, byte[]> entries, string source)
    {
        if (!entries.TryGetValue(VersionEntry, out var bytes))
            throw new DataFormatException(source, $"not a DigitsML model file: '{VersionEntry}' is missing");
        VersionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<VersionInfo>(bytes);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(source, $"'{VersionEntry}' is not valid JSON ({e.Message})");
        }
        if (info is null || info.FormatVersion < 1)
            throw new DataFormatException(source, $"'{VersionEntry}' does not state a format version");
        if (info.FormatVersion > FormatVersion)
            throw new DataFormatException(source,
                $"model format version {info.FormatVersion} (written by DigitsML {info.LibraryVersion}) is newer than this library's {FormatVersion}; upgrade DigitsML to load it");
    }

    private static void CheckManifest(Dictionary<string, byte[]> entries, string source)
    {
        if (!entries.TryGetValue(ManifestEntry, out var bytes))
            throw new DataFormatException(source, $"'{ManifestEntry}' is missing");
        Dictionary<string, string>? manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(bytes);
        }
        catch (JsonException e)
        {
            throw new DataFormatException(source, $"'{ManifestEntry}' is not valid JSON ({e.Message})");
        }
        manifest ??= [];
        foreach (var (name, hash) in manifest)
        {
            if (!entries.TryGetValue(name, out var content))
                throw new DataFormatException(source, $"entry '{name}' listed in the manifest is missing");
            if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(content)), hash, StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException(source, $"entry '{name}' does not match its SHA-256 in the manifest: the file was altered or damaged");
        }
        foreach (var name in entries.Keys)
            if (name != ManifestEntry && !manifest.ContainsKey(name))
                throw new DataFormatException(source, $"entry '{name}' is not listed in the manifest");
    }

    internal static string LibraryVersion =>
        typeof(ModelArchive).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
}
