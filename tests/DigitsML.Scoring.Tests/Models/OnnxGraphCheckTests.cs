// OnnxGraphCheckTests.cs — the ONNX wire-format check on hand-built models: external data wherever a tensor can be
// (initializer, Constant attribute, subgraph), shapes against data, bounds, nesting, merged fields, broken protobuf.
using DigitsML.Models;
using Google.Protobuf;

namespace DigitsML.Scoring.Tests.Models;

[TestFixture]
public sealed class OnnxGraphCheckTests
{
    /// <summary>A protobuf message from (field, value) pairs: a long is a varint, a string or byte[] length-delimited.</summary>
    private static byte[] Message(params (int Field, object Value)[] fields)
    {
        using var stream = new MemoryStream();
        var output = new CodedOutputStream(stream);
        foreach (var (field, value) in fields)
            switch (value)
            {
                case long number:
                    output.WriteTag(field, WireFormat.WireType.Varint);
                    output.WriteInt64(number);
                    break;
                case string text:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteString(text);
                    break;
                case byte[] bytes:
                    output.WriteTag(field, WireFormat.WireType.LengthDelimited);
                    output.WriteBytes(ByteString.CopyFrom(bytes));
                    break;
            }
        output.Flush();
        return stream.ToArray();
    }

    /// <summary>A float tensor of <paramref name="dims"/> with <paramref name="rawBytes"/> bytes of raw data.</summary>
    private static byte[] FloatTensor(string name, long[] dims, int rawBytes, params (int, object)[] more) =>
        Message([.. dims.Select(d => (1, (object)d)), (2, 1L), (8, name), (9, new byte[rawBytes]), .. more]);

    private static byte[] External(string location) => Message((1, "location"), (2, location));

    private static byte[] Model(params (int, object)[] graph) => Message((2, "test"), (7, Message(graph)));

    private static string Check(byte[] model) => OnnxGraphCheck.Check(model, 0, model.Length, "the graph", "m.zip");

    private static string Refusal(byte[] model) => Assert.Throws<DataFormatException>(() => Check(model))!.Message;

    [Test]
    public void Check_WellFormedTensors_AcceptedWithProducer()
    {
        byte[] floats = Message((1, new byte[] { 2, 3 }), (2, 1L), (4, new byte[24]), (8, "packed"));  // dims 2, 3 and six floats, packed
        byte[] strings = Message((1, 2L), (2, 8L), (6, "a"), (6, "b"), (8, "names"));
        byte[] int64 = Message((1, 3L), (2, 7L), (7, 5L), (7, 6L), (7, 7L), (8, "shape"));

        string producer = Check(Model((5, FloatTensor("w", [10, 4], 160)), (5, floats), (5, strings), (5, int64)));

        Assert.That(producer, Is.EqualTo("test"));
    }

    [Test]
    public void Check_InitializerWithExternalData_RefusedNamingLocation()
    {
        var message = Refusal(Model((5, Message((1, 10L), (2, 1L), (8, "bias"), (13, External("secret.bin")), (14, 1L)))));

        Assert.That(message, Is.EqualTo("m.zip: the graph: initializer 'bias' keeps its data in an external file ('secret.bin'): " +
                                        "only graphs that hold all their data are loaded"));
    }

    [Test]
    public void Check_DataLocationExternalAlone_Refused()
    {
        Assert.That(Refusal(Model((5, FloatTensor("w", [10], 40, (14, 1L))))), Does.Contain("initializer 'w' keeps its data in an external file"));
    }

    [Test]
    public void Check_ConstantNodeTensorWithExternalData_Refused()
    {
        byte[] attribute = Message((1, "value"), (5, Message((1, 10L), (2, 1L), (13, External("x.bin")))), (20, 4L));

        Assert.That(Refusal(Model((1, Message((4, "Constant"), (5, attribute))))), Does.Contain("attribute tensor keeps its data in an external file ('x.bin')"));
    }

    [Test]
    public void Check_SubgraphInitializerWithExternalData_Refused()
    {
        byte[] body = Message((5, Message((1, 1L), (2, 1L), (8, "inner"), (13, External("y.bin")))));
        byte[] attribute = Message((1, "then_branch"), (6, body), (20, 5L));

        Assert.That(Refusal(Model((1, Message((4, "If"), (5, attribute))))), Does.Contain("initializer 'inner' keeps its data in an external file"));
    }

    [Test]
    public void Check_FunctionNodeWithExternalTensor_Refused()
    {
        byte[] attribute = Message((1, "value"), (5, Message((1, 1L), (2, 1L), (13, External("f.bin")))), (20, 4L));
        byte[] model = Message((7, Message()), (25, Message((1, "f"), (7, Message((4, "Constant"), (5, attribute))))));

        Assert.That(Refusal(model), Does.Contain("external file ('f.bin')"));
    }

    [Test]
    public void Check_ShapeDisagreesWithRawData_RefusedWithBoth()
    {
        Assert.That(Refusal(Model((5, FloatTensor("w", [10, 4], 16)))),
            Does.Contain("initializer 'w' declares shape [10, 4] (40 elements) but holds 16 bytes of raw data where 160 are due"));
    }

    [Test]
    public void Check_ShapeWithoutData_Refused()
    {
        Assert.That(Refusal(Model((5, Message((1, 1000L), (2, 1L), (8, "empty"))))), Does.Contain("holds 0 values where 1000 are due"));
    }

    [Test]
    public void Check_HugeDimensions_RefusedWithoutOverflow()
    {
        Assert.That(Refusal(Model((5, FloatTensor("w", [1L << 32, 1L << 32, 1L << 32], 4)))), Does.Contain("more than 256 MiB"));
    }

    [Test]
    public void Check_NegativeDimension_Refused()
    {
        Assert.That(Refusal(Model((5, FloatTensor("w", [-1, 10], 40)))), Does.Contain("negative dimension -1"));
    }

    [Test]
    public void Check_SparseInitializerWithHugeDenseShape_Refused()
    {
        byte[] values = Message((1, 1L), (2, 1L), (9, new byte[4]));
        byte[] indices = Message((1, 1L), (2, 7L), (7, 0L));
        byte[] sparse = Message((1, values), (2, indices), (3, 1_000_000L), (3, 1_000_000L));

        Assert.That(Refusal(Model((15, sparse))), Does.Contain("sparse initializer declares shape [1000000, 1000000]"));
    }

    [Test]
    public void Check_OutputDeclaringTooManyElements_Refused()
    {
        byte[] dims = Message((1, Message((1, 100_000L))), (1, Message((1, 100_000L))));
        byte[] type = Message((1, Message((1, 1L), (2, dims))));

        Assert.That(Refusal(Model((12, Message((1, "Score"), (2, type))))), Does.Contain("output 'Score' declares more than 16777216 elements"));
    }

    [Test]
    public void Check_SubgraphsNestedTooDeep_Refused()
    {
        byte[] graph = Message();
        for (int level = 0; level < OnnxGraphCheck.MaxGraphDepth + 1; level++)
            graph = Message((1, Message((4, "If"), (5, Message((1, "else_branch"), (6, graph), (20, 5L))))));

        Assert.That(Refusal(Message((7, graph))), Does.Contain($"nest deeper than {OnnxGraphCheck.MaxGraphDepth} levels"));
    }

    [Test]
    public void Check_GraphFieldTwice_Refused()
    {
        Assert.That(Refusal(Message((7, Message()), (7, Message()))), Does.Contain("2 graph fields"));
    }

    [Test]
    public void Check_TruncatedProtobuf_Refused()
    {
        byte[] model = Model((5, FloatTensor("w", [10], 40)));

        Assert.That(Refusal(model[..(model.Length - 7)]), Does.Contain("the graph"));
    }

    [Test]
    public void Check_UnknownDataType_Refused()
    {
        Assert.That(Refusal(Model((5, Message((1, 1L), (2, 99L), (8, "odd"), (9, new byte[4]))))), Does.Contain("data type 99"));
    }

    [Test]
    public void Check_MetadataKeyTwice_Refused()
    {
        byte[] entry = Message((1, "digitsml.network"), (2, "{}"));

        Assert.That(Refusal(Message((7, Message()), (14, entry), (14, entry))), Does.Contain("its metadata key 'digitsml.network' appears twice"));
    }
}
