// BinaryDataViewCheckTests.cs — the binary data view entries of a model zip (Schema, TrainSchema) checked before ML.NET's
// BinaryLoader reads them: a VBuffer codec's dimension count past its definition, on which ML.NET loops for ever (issue 20,
// the fuzz run of seed 777001), refused promptly by the check and by LoadDigitsModel.
using System.Buffers.Binary;
using System.IO.Compression;
using DigitsML.Models;
using Microsoft.ML;

namespace DigitsML.Scoring.Tests.Models;

[TestFixture]
public sealed class BinaryDataViewCheckTests
{
    /// <summary>The fixture model's Schema entry: "Features" is a VBuffer of Single with 3 dimensions (1 × 28 × 28).</summary>
    private const string SchemaEntry = "Schema";

    [Test]
    public void Check_SavedDigitsModelDataViews_Pass()
    {
        foreach (var (name, bytes) in Entries(File.ReadAllBytes(Fixtures.File("reading-model.zip"))).Where(e => BinaryDataViewCheck.IsBinaryDataView(e.Bytes)))
            Assert.DoesNotThrow(() => BinaryDataViewCheck.Check(bytes, $"entry '{name}'", "m.zip"), name);
    }

    [Test]
    public void Check_VBufferDimensionCountPastItsDefinition_RefusedNamingTheEntry()
    {
        var (zip, at) = WithDimensionCount(0x0A01);  // the fuzz mutant's word: 1 dimension became 2,561

        var e = Assert.Throws<DataFormatException>(() => ModelZipCheck.Check(new MemoryStream(zip), "m.zip"))!;

        Assert.That(e.Message, Is.EqualTo($"m.zip: entry 'Schema' is not a binary data view that ML.NET can read safely: column 1's codec " +
                                          $"'VBuffer' declares 2,561 dimensions at {at:N0}, but its definition has room for 3"));
    }

    [TestCase(-1)]
    [TestCase(4)]
    [TestCase(0x7FFFFFFF)]
    public void Check_VBufferDimensionCountOutOfRange_Refused(int count)
    {
        var (zip, _) = WithDimensionCount(count);

        var e = Assert.Throws<DataFormatException>(() => ModelZipCheck.Check(new MemoryStream(zip), "m.zip"))!;

        Assert.That(e.Message, Does.Contain($"'VBuffer' declares {count:N0} dimensions"));
    }

    [Test]
    public void LoadDigitsModel_VBufferDimensionCountPastItsDefinition_RefusedPromptly()
    {
        var (zip, _) = WithDimensionCount(0x0A01);
        var ml = new MLContext(seed: 1);
        Exception? thrown = null;
        // Without the check ML.NET's BinaryLoader never returns: bound the wait so the test fails instead of hanging.
        var load = new Thread(() =>
        {
            try
            {
                (ml.Model.LoadDigitsModel(new MemoryStream(zip), out _) as IDisposable)?.Dispose();
            }
            catch (Exception e)
            {
                thrown = e;
            }
        }) { IsBackground = true };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        load.Start();

        Assert.That(load.Join(TimeSpan.FromSeconds(30)), Is.True, "the load hangs");
        Assert.That(thrown, Is.TypeOf<DataFormatException>());
        Assert.That(thrown!.Message, Does.Contain("entry 'Schema' is not a binary data view that ML.NET can read safely"));
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
    }

    [Test]
    public void Check_ColumnCountPastTheEnd_Refused()
    {
        var zip = EditSchema(bytes => BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(48), 10));

        var e = Assert.Throws<DataFormatException>(() => ModelZipCheck.Check(new MemoryStream(zip), "m.zip"))!;

        Assert.That(e.Message, Does.StartWith("m.zip: entry 'Schema' is not a binary data view that ML.NET can read safely: column 2's name"));
    }

    [Test]
    public void Check_CodecsNestedTooDeep_Refused()
    {
        // A column whose codec is a Key2 of a Key2 of ... 20 deep, each definition holding the next.
        byte[] codec = [.. Text("Single"), 0];
        for (int i = 0; i < 20; i++)
            codec = [.. Text("Key2"), .. Leb128(codec.Length + 8), .. codec, 1, 0, 0, 0, 0, 0, 0, 0];
        var view = new byte[256];
        BinaryPrimitives.WriteUInt64LittleEndian(view, BinaryDataViewCheck.Signature);
        byte[] toc = [.. Text("Label"), .. codec, 0, 0, .. new byte[16]];
        byte[] bytes = [.. view, .. toc, .. new byte[8]];
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(24), 256);
        BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(32), 256 + toc.Length);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(48), 1);

        var e = Assert.Throws<DataFormatException>(() => BinaryDataViewCheck.Check(bytes, "entry 'Schema'", "m.zip"))!;

        Assert.That(e.Message, Does.EndWith("nests codec definitions more than 8 deep"));
    }

    private static byte[] Leb128(int value) => value < 0x80 ? [(byte)value] : [(byte)(value & 0x7F | 0x80), .. Leb128(value >> 7)];

    private static byte[] Text(string text) => [(byte)text.Length, .. System.Text.Encoding.UTF8.GetBytes(text)];

    /// <summary>The fixture model with its Schema entry's VBuffer dimension count set to <paramref name="count"/>, and
    /// where in the entry that count lies.</summary>
    private static (byte[] Zip, int At) WithDimensionCount(int count)
    {
        int at = -1;
        var zip = EditSchema(bytes =>
        {
            byte[] pattern = [.. Text("VBuffer"), 24, .. Text("Single"), 0];
            at = bytes.AsSpan().IndexOf(pattern) + pattern.Length;
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(at)), Is.EqualTo(3), "the fixture's Features has 3 dimensions");
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), count);
        });
        return (zip, at);
    }

    private static byte[] EditSchema(Action<byte[]> edit)
    {
        var entries = Entries(File.ReadAllBytes(Fixtures.File("reading-model.zip")));
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
            foreach (var (name, bytes) in entries)
            {
                if (name == SchemaEntry)
                    edit(bytes);
                using var output = archive.CreateEntry(name).Open();
                output.Write(bytes);
            }
        return stream.ToArray();
    }

    private static List<(string Name, byte[] Bytes)> Entries(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return [.. archive.Entries.Select(e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return (e.FullName, m.ToArray());
        })];
    }
}
