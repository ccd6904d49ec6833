// ModelArchiveTests.cs — the model file container: round trips, and clear refusals of foreign, altered, incomplete or future files.
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DigitsML.IO;
using DigitsML.Testing;

namespace DigitsML.Tests.Engine.IO;

[TestFixture]
public sealed class ModelArchiveTests
{
    private static Dictionary<string, byte[]> SampleEntries() => new()
    {
        ["pipeline.json"] = """{"kind":"Cnn"}"""u8.ToArray(),
        ["models/0/weights.safetensors"] = Enumerable.Range(0, 5000).Select(i => (byte)(i % 251)).ToArray(),
        ["empty.bin"] = [],
    };

    private static byte[] Archive(IReadOnlyDictionary<string, byte[]> entries)
    {
        using var stream = new MemoryStream();
        ModelArchive.Write(stream, entries);
        return stream.ToArray();
    }

    private static IReadOnlyDictionary<string, byte[]> Read(byte[] bytes) => ModelArchive.Read(new MemoryStream(bytes), "model.zip");

    /// <summary>Every raw entry of an archive, version and manifest included.</summary>
    private static Dictionary<string, byte[]> RawEntries(byte[] archive)
    {
        using var zip = new ZipArchive(new MemoryStream(archive), ZipArchiveMode.Read);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    /// <summary>A zip holding exactly <paramref name="raw"/>, with no checks or additions.</summary>
    private static byte[] Zip(IReadOnlyDictionary<string, byte[]> raw)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in raw)
            {
                using var output = zip.CreateEntry(name).Open();
                output.Write(bytes);
            }
        return stream.ToArray();
    }

    private static byte[] Manifest(IReadOnlyDictionary<string, byte[]> raw) => JsonSerializer.SerializeToUtf8Bytes(
        raw.Where(kv => kv.Key != ModelArchive.ManifestEntry).ToDictionary(kv => kv.Key, kv => Convert.ToHexStringLower(SHA256.HashData(kv.Value))));

    [Test]
    public void Write_ThenRead_GivesTheSameEntries()
    {
        var entries = SampleEntries();

        var read = Read(Archive(entries));

        Assert.That(read.Keys, Is.EquivalentTo(entries.Keys));
        foreach (var (name, bytes) in entries)
            Assert.That(read[name], Is.EqualTo(bytes), name);
    }

    [Test]
    public void Write_Twice_GivesIdenticalBytes()
    {
        Assert.That(Archive(SampleEntries()), Is.EqualTo(Archive(SampleEntries())));
    }

    [Test]
    public void Write_Archive_HoldsVersionAndManifestOfEveryEntry()
    {
        var raw = RawEntries(Archive(SampleEntries()));

        using var version = JsonDocument.Parse(raw[ModelArchive.VersionEntry]);
        var manifest = JsonSerializer.Deserialize<Dictionary<string, string>>(raw[ModelArchive.ManifestEntry])!;

        Assert.That(version.RootElement.GetProperty("FormatVersion").GetInt32(), Is.EqualTo(ModelArchive.FormatVersion));
        Assert.That(manifest.Keys, Is.EquivalentTo(raw.Keys.Where(k => k != ModelArchive.ManifestEntry)));
        Assert.That(manifest["pipeline.json"], Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(raw["pipeline.json"]))));
    }

    [Test]
    public void Save_ThenRead_OverwritesAtomicallyAndLeavesNoTemporaryFile()
    {
        using var folder = new TemporaryDirectory();
        string path = Path.Combine(folder.Path, "model.zip");
        File.WriteAllText(path, "an older file");

        ModelArchive.Save(path, SampleEntries());

        using (var file = File.OpenRead(path))
            Assert.That(ModelArchive.Read(file, path)["pipeline.json"], Is.EqualTo(SampleEntries()["pipeline.json"]));
        Assert.That(Directory.GetFiles(folder.Path).Select(Path.GetFileName), Is.EqualTo(new[] { "model.zip" }));
    }

    [Test]
    public void Write_ReservedOrEscapingEntryName_ThrowsArgumentException()
    {
        foreach (string name in new[] { "manifest.json", "version.json", "../evil", "/abs", "a\\b" })
            Assert.Throws<ArgumentException>(() => Archive(new Dictionary<string, byte[]> { [name] = [1] }), name);
    }

    private static void AssertRefused(byte[] bytes, params string[] fragments)
    {
        var e = Assert.Throws<DataFormatException>(() => Read(bytes));
        Assert.That(e!.FilePath, Is.EqualTo("model.zip"));
        foreach (string fragment in fragments)
            Assert.That(e.Message, Does.Contain(fragment));
    }

    [Test]
    public void Read_NotAZip_ThrowsDataFormatException()
    {
        AssertRefused(Encoding.UTF8.GetBytes("this is a text file, not a model"), "not a DigitsML model file", "not a zip");
    }

    [Test]
    public void Read_AlteredEntry_ThrowsDataFormatExceptionForHashMismatch()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw["models/0/weights.safetensors"][100] ^= 0x01;

        AssertRefused(Zip(raw), "models/0/weights.safetensors", "SHA-256", "altered");
    }

    [Test]
    public void Read_EntryMissing_ThrowsDataFormatExceptionNamingIt()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw.Remove("pipeline.json");

        AssertRefused(Zip(raw), "pipeline.json", "missing");
    }

    [Test]
    public void Read_EntryNotInManifest_ThrowsDataFormatExceptionNamingIt()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw["extra.bin"] = [1, 2, 3];

        AssertRefused(Zip(raw), "extra.bin", "not listed");
    }

    [Test]
    public void Read_ManifestMissing_ThrowsDataFormatException()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw.Remove(ModelArchive.ManifestEntry);

        AssertRefused(Zip(raw), "manifest.json", "missing");
    }

    [Test]
    public void Read_VersionMissing_ThrowsDataFormatExceptionSayingNotAModelFile()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw.Remove(ModelArchive.VersionEntry);
        raw[ModelArchive.ManifestEntry] = Manifest(raw);

        AssertRefused(Zip(raw), "not a DigitsML model file", "version.json");
    }

    [Test]
    public void Read_FutureFormatVersion_ThrowsDataFormatExceptionSayingToUpgrade()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        raw[ModelArchive.VersionEntry] = """{"FormatVersion":7,"LibraryVersion":"9.1.0"}"""u8.ToArray();
        raw[ModelArchive.ManifestEntry] = Manifest(raw);   // consistent, so only the version is at fault

        AssertRefused(Zip(raw), "format version 7", "9.1.0", "upgrade DigitsML");
    }

    [Test]
    public void Read_DuplicateEntry_ThrowsDataFormatException()
    {
        var raw = RawEntries(Archive(SampleEntries()));
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in raw.Append(KeyValuePair.Create("pipeline.json", raw["pipeline.json"])))
            {
                using var output = zip.CreateEntry(name).Open();
                output.Write(bytes);
            }

        AssertRefused(stream.ToArray(), "pipeline.json", "twice");
    }
}
