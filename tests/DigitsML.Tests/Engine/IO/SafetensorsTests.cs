// SafetensorsTests.cs — the safetensors weights format: exact round trips, the header layout PyTorch expects, and refusal of malformed data.
using System.Buffers.Binary;
using System.Text;
using System.Text.Json.Nodes;
using DigitsML.Engine;
using DigitsML.IO;

namespace DigitsML.Tests.Engine.IO;

[TestFixture]
public sealed class SafetensorsTests
{
    private static readonly NamedTensor[] Tensors =
    [
        new("1.weight", [2, 1, 2, 2], [1f, -2.5f, 3.25f, 0f, -0f, float.Epsilon, float.MaxValue, -float.MaxValue]),
        new("1.bias", [2], [float.NaN, float.PositiveInfinity]),
        new("2.running_var", [3], [0.1f, 0.2f, 0.3f]),
        new("scalar", [], [42f]),
    ];

    [Test]
    public void Write_ThenRead_GivesSameNamesShapesAndBits()
    {
        byte[] bytes = Safetensors.Write(Tensors, new Dictionary<string, string> { ["format"] = "pt" });

        var read = Safetensors.Read(bytes, "memory");

        Assert.That(read.Select(t => t.Name), Is.EqualTo(Tensors.Select(t => t.Name)));
        for (int i = 0; i < Tensors.Length; i++)
        {
            Assert.That(read[i].Shape, Is.EqualTo(Tensors[i].Shape), Tensors[i].Name);
            Assert.That(read[i].Data.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(Tensors[i].Data.Select(BitConverter.SingleToInt32Bits)),
                Tensors[i].Name);
        }
    }

    [Test]
    public void Write_Header_IsAlignedJsonWithDtypeShapeAndOffsets()
    {
        byte[] bytes = Safetensors.Write(Tensors, new Dictionary<string, string> { ["format"] = "pt" });

        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = JsonNode.Parse(Encoding.UTF8.GetString(bytes, 8, (int)length))!.AsObject();

        Assert.That(length % 8, Is.EqualTo(0UL), "data starts 8-byte aligned");
        Assert.That(header["__metadata__"]!["format"]!.GetValue<string>(), Is.EqualTo("pt"));
        Assert.That(header["1.bias"]!["dtype"]!.GetValue<string>(), Is.EqualTo("F32"));
        Assert.That(header["1.bias"]!["shape"]!.AsArray().Select(d => d!.GetValue<int>()), Is.EqualTo(new[] { 2 }));
        Assert.That(header["1.bias"]!["data_offsets"]!.AsArray().Select(d => d!.GetValue<long>()), Is.EqualTo(new[] { 32L, 40L }));
        Assert.That(bytes.LongLength, Is.EqualTo(8 + (long)length + 4 * (8 + 2 + 3 + 1)));
        Assert.That(BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(8 + (int)length + 4)), Is.EqualTo(-2.5f), "little-endian floats");
    }

    [Test]
    public void Read_NetworkState_RoundTripsThroughSetState()
    {
        using var source = Network.Create(EngineFixtures.TrainNet, seed: 11);
        using var target = Network.Create(EngineFixtures.TrainNet, seed: 12);

        target.SetState(Safetensors.Read(Safetensors.Write(source.GetState()), "memory"));

        Assert.That(EngineFixtures.StatesEqual(target.GetState(), source.GetState()), Is.True);
    }

    private static byte[] WithHeader(string json, int dataBytes)
    {
        byte[] text = Encoding.UTF8.GetBytes(json);
        var bytes = new byte[8 + text.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, (ulong)text.Length);
        text.CopyTo(bytes, 8);
        return bytes;
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        yield return new TestCaseData(new byte[] { 1, 2, 3 }, "shorter").SetName("Read_FewerThanEightBytes_ThrowsDataFormatException");
        yield return new TestCaseData(BitConverter.GetBytes(1000UL).Concat("{}"u8.ToArray()).ToArray(), "header length")
            .SetName("Read_HeaderLengthBeyondData_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("{not json", 0), "not valid JSON").SetName("Read_HeaderNotJson_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}""", 4), "F16")
            .SetName("Read_Float16Tensor_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", 8), "'w'")
            .SetName("Read_ShapeDisagreesWithByteRange_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", 8), "'w'")
            .SetName("Read_ByteRangePastData_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", 12),
            "overlap").SetName("Read_OverlappingTensors_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F32","shape":"two","data_offsets":[0,8]}}""", 8), "'w'")
            .SetName("Read_ShapeNotArray_ThrowsDataFormatException");
        // 2^30 · 2^30 · 4 floats are 2^64 bytes, which wraps to 0 in 64-bit arithmetic.
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F32","shape":[1073741824,1073741824,4],"data_offsets":[0,0]}}""", 0), "'w'")
            .SetName("Read_ShapeWhoseByteSizeOverflows_ThrowsDataFormatException");
        yield return new TestCaseData(WithHeader("""{"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"w":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", 8),
            "Duplicate property 'w'").SetName("Read_DuplicateTensorName_ThrowsDataFormatException");
    }

    [TestCaseSource(nameof(Malformed))]
    public void Read_Malformed_Refused(byte[] bytes, string fragment)
    {
        var e = Assert.Throws<DataFormatException>(() => Safetensors.Read(bytes, "weights.safetensors"));

        Assert.That(e!.Message, Does.StartWith("weights.safetensors: ").And.Contain(fragment));
    }
}
