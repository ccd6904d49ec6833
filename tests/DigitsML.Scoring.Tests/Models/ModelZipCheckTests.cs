// ModelZipCheckTests.cs — the model-zip check on a real saved model (fixtures/reading-model.zip), its CRC-32, and the
// private temporary folder a load runs in.
using System.IO.Compression;
using DigitsML.Models;

namespace DigitsML.Scoring.Tests.Models;

[TestFixture]
public sealed class ModelZipCheckTests
{
    [Test]
    public void Check_SavedDigitsModel_OneGraphByDigitsML()
    {
        using var stream = File.OpenRead(Fixtures.File("reading-model.zip"));
        stream.Position = 0;

        var graphs = ModelZipCheck.Check(stream, "reading-model.zip");

        Assert.That(graphs.Select(g => (g.Entry, g.Producer)), Is.EqualTo(new[] { ("TransformerChain/Transform_001/Transform_000/Transform_000/OnnxModel", "DigitsML") }));
        Assert.That(graphs[0].Bytes.Length, Is.EqualTo(205738 - 4));
        Assert.That(stream.Position, Is.Zero, "the stream is put back where it was");
    }

    [Test]
    public void Check_ZipWithoutEntries_NoGraphs()
    {
        using var stream = new MemoryStream();
        using (new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true)) { }
        stream.Position = 0;

        Assert.That(ModelZipCheck.Check(stream, null), Is.Empty);
    }

    [Test]
    public void Check_EndRecordListingTooManyEntries_RefusedBeforeReadingThem()
    {
        // An end-of-central-directory record alone, claiming 60,000 entries.
        var record = new byte[22];
        BitConverter.GetBytes(0x06054b50).CopyTo(record, 0);
        BitConverter.GetBytes((ushort)60000).CopyTo(record, 8);
        BitConverter.GetBytes((ushort)60000).CopyTo(record, 10);

        var e = Assert.Throws<DataFormatException>(() => ModelZipCheck.Check(new MemoryStream(record), "z.zip"))!;

        Assert.That(e.Message, Is.EqualTo("z.zip: its directory lists 60,000 entries; a model zip may hold at most 4,096"));
    }

    [Test]
    public void Crc32_CheckValue_AsTheStandardGives()
    {
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Start, "123456789"u8));

        Assert.That(crc, Is.EqualTo(0xCBF43926));
    }

    [Test]
    public void PrivateTempFolder_Create_OwnerOnlyAndGoneAfterDispose()
    {
        string path;
        using (var folder = PrivateTempFolder.Create())
        {
            path = folder.Path;
            File.WriteAllText(Path.Combine(path, "graph"), "x");
            Directory.CreateDirectory(Path.Combine(path, "ml_dotnet_x"));
            if (!OperatingSystem.IsWindows())
                Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));
            Assert.That(Path.GetDirectoryName(path), Is.EqualTo(Path.GetTempPath().TrimEnd('/')));
        }

        Assert.That(Directory.Exists(path), Is.False);
    }
}
