// OnnxSlotNamesTests.cs — class names written as ML.NET's slot names: the dead ai.onnx.ml LabelEncoder node that ML.NET's
// OnnxTransformer reads, which ONNX Runtime loads and ignores; and the class names it refuses.
using DigitsML.Engine;
using DigitsML.Onnx;
using DigitsML.Onnx.Graph;
using DigitsML.Tests.Engine;
using DigitsML.Trainers;
using Microsoft.ML.OnnxRuntime;
using DigitsML.Networks;

namespace DigitsML.Tests.Onnx;

[TestFixture]
public sealed class OnnxSlotNamesTests
{
    private static readonly string[] Digits = [.. Enumerable.Range(0, 10).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
    private static readonly string[] Words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];

    [Test]
    public void ToBytes_ClassNames_WritesTheLabelEncoderThatMLNetReads()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 1);

        var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network, new OnnxExportOptions { ClassNames = Words }));

        var node = model.Graph.Node.Single(n => n.Name == "mlnet.Score.SlotNames");
        Assert.That(node.OpType, Is.EqualTo("LabelEncoder"));
        Assert.That(node.Domain, Is.EqualTo("ai.onnx.ml"));
        var keys = node.Attribute.Single(a => a.Name == "keys_strings");
        Assert.That(keys.Type, Is.EqualTo(AttributeProto.Types.AttributeType.Strings));
        Assert.That(keys.Strings.Select(s => s.ToStringUtf8()), Is.EqualTo(Words));
        Assert.That(node.Attribute.Single(a => a.Name == "values_int64s").Ints, Is.EqualTo(Enumerable.Range(0, 10).Select(i => (long)i)));
        Assert.That(model.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 17L), ("ai.onnx.ml", 2L) }));
        Assert.That(model.Graph.Node.SelectMany(n => n.Input), Does.Not.Contain(node.Output.Single()), "nothing reads the node");
        Assert.That(model.Graph.Output.Select(o => o.Name), Is.EqualTo(new[] { "Score" }), "and it is no graph output");
    }

    [Test]
    public void ToBytes_ClassNames_OnnxRuntimeLoadsAndScoresAsWithout()
    {
        using var network = Network.Create(CnnArchitectures.DigitNet, seed: 2);
        OnnxFixtures.RandomizeBatchNorm(network, seed: 3);
        float[] inputs = OnnxFixtures.RandomInputs(4, TensorShape.Mnist, seed: 4);
        var options = new OnnxExportOptions { ClassNames = Digits, LogitsName = "Logits" };

        using var session = new InferenceSession(OnnxExport.ToBytes(network, options));
        var outputs = OnnxFixtures.Score(session, inputs, 4, TensorShape.Mnist);

        Assert.That(session.OutputNames, Is.EqualTo(new[] { "Score", "Logits" }));
        EngineFixtures.AssertClose(outputs["Score"], network.Forward(inputs, 4), 1e-5, "DigitNet with slot names");
    }

    [Test]
    public void ToBytes_ClassNamesWithLogits_EveryClassOutputGetsSlotNames()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 5);

        var model = ModelProto.Parser.ParseFrom(
            OnnxExport.ToBytes(network, new OnnxExportOptions { ClassNames = Digits, LogitsName = "Logits" }));

        Assert.That(model.Graph.Node.Where(n => n.OpType == "LabelEncoder").Select(n => n.Name),
            Is.EqualTo(new[] { "mlnet.Score.SlotNames", "mlnet.Logits.SlotNames" }));
    }

    [Test]
    public void ToBytes_ScoreNameEndingInDotOutput_NamesTheNodeAfterMLNetsColumn()
    {
        // ML.NET makes the column "Score" of the ONNX output "Score.output" and looks up that column's slot names.
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 6);

        var model = ModelProto.Parser.ParseFrom(
            OnnxExport.ToBytes(network, new OnnxExportOptions { ScoreName = "Score.output", ClassNames = Digits }));

        Assert.That(model.Graph.Node.Count(n => n.Name == "mlnet.Score.SlotNames"), Is.EqualTo(1));
        Assert.That(model.Graph.Output.Single().Name, Is.EqualTo("Score.output"));
    }

    [Test]
    public void ToBytes_NoClassNames_WritesNoLabelEncoderAndNoMLImport()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 7);

        var model = ModelProto.Parser.ParseFrom(OnnxExport.ToBytes(network));

        Assert.That(model.Graph.Node.Select(n => n.OpType), Does.Not.Contain("LabelEncoder"));
        Assert.That(model.OpsetImport.Select(o => o.Domain), Is.EqualTo(new[] { "" }));
    }

    [Test]
    public void EnsembleToBytes_ClassNames_ScoreAndVotesGetSlotNamesAndOnnxRuntimeLoadsIt()
    {
        using var first = Network.Create(CnnArchitectures.SeedNet, seed: 8);
        using var second = Network.Create(CnnArchitectures.Mlp300, seed: 9);
        var options = new OnnxExportOptions { ClassNames = Words, VotesName = "Votes" };

        byte[] bytes = OnnxExport.EnsembleToBytes([first, second], VotingKind.Hard, options);

        var model = ModelProto.Parser.ParseFrom(bytes);
        Assert.That(model.Graph.Node.Where(n => n.OpType == "LabelEncoder").Select(n => n.Name),
            Is.EqualTo(new[] { "mlnet.Score.SlotNames", "mlnet.Votes.SlotNames" }));
        using var session = new InferenceSession(bytes);
        Assert.That(session.OutputNames, Is.EqualTo(new[] { "Score", "Votes" }));
    }

    [Test]
    public void ToBytes_WrongNumberOfClassNames_ThrowsNamingBothCounts()
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 10);

        var e = Assert.Throws<ArgumentException>(
            () => OnnxExport.ToBytes(network, new OnnxExportOptions { ClassNames = ["cat", "dog"] }));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(OnnxExportOptions.ClassNames)));
        Assert.That(e.Message, Does.Contain("2 names").And.Contain("10 classes"));
    }

    [TestCase(4, "three", "'three' twice")]
    [TestCase(5, null, "ClassNames[5] is null")]
    public void ToBytes_RepeatedOrNullClassName_ThrowsNamingIt(int index, string? replacement, string message)
    {
        using var network = Network.Create(CnnArchitectures.SeedNet, seed: 11);
        string[] names = [.. Words];
        names[index] = replacement!;

        var e = Assert.Throws<ArgumentException>(() => OnnxExport.ToBytes(network, new OnnxExportOptions { ClassNames = names }));

        Assert.That(e!.ParamName, Is.EqualTo(nameof(OnnxExportOptions.ClassNames)));
        Assert.That(e.Message, Does.Contain(message));
    }
}
