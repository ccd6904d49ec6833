// OnnxFixtures.cs — scores exported models with ONNX Runtime and gives networks non-trivial BatchNorm statistics,
// for the ONNX export tests.
using DigitsML.Engine;
using Microsoft.ML.OnnxRuntime;
using DigitsML.Networks;

namespace DigitsML.Tests.Onnx;

internal static class OnnxFixtures
{
    /// <summary>Runs <paramref name="model"/> in ONNX Runtime (default session options, as ML.NET uses them) on
    /// <paramref name="count"/> examples of <paramref name="shape"/> and returns every output by name.</summary>
    public static Dictionary<string, float[]> Score(byte[] model, float[] inputs, int count, TensorShape shape,
        string inputName = "Features")
    {
        using var session = new InferenceSession(model);
        return Score(session, inputs, count, shape, inputName);
    }

    /// <summary>As <see cref="Score(byte[], float[], int, TensorShape, string)"/> on an open session.</summary>
    public static Dictionary<string, float[]> Score(InferenceSession session, float[] inputs, int count, TensorShape shape,
        string inputName = "Features")
    {
        long[] dimensions = shape.Rank == 1 ? [count, shape.Channels] : [count, shape.Channels, shape.Height, shape.Width];
        using var input = OrtValue.CreateTensorValueFromMemory(inputs, dimensions);
        using var runOptions = new RunOptions();
        var outputNames = session.OutputNames;
        using var outputs = session.Run(runOptions, [inputName], [input], outputNames);
        var byName = new Dictionary<string, float[]>();
        for (int i = 0; i < outputNames.Count; i++)
            byName[outputNames[i]] = outputs[i].GetTensorDataAsSpan<float>().ToArray();
        return byName;
    }

    /// <summary><paramref name="count"/> examples of <paramref name="shape"/> with values in [0, 1), from <paramref name="seed"/>.</summary>
    public static float[] RandomInputs(int count, TensorShape shape, int seed)
    {
        var random = new Random(seed);
        var values = new float[count * shape.Elements];
        for (int i = 0; i < values.Length; i++)
            values[i] = random.NextSingle();
        return values;
    }

    /// <summary>Gives every BatchNorm layer of <paramref name="network"/> statistics and an affine part far from
    /// PyTorch's initial (0, 1, 1, 0), so that an export reading the wrong tensor, or training-mode statistics, shows:
    /// running_mean in [−0.3, 0.3), running_var in [0.5, 2), weight in [0.5, 1.5), bias in [−0.3, 0.3).</summary>
    public static void RandomizeBatchNorm(Network network, int seed)
    {
        var random = new Random(seed);
        var state = network.GetState();
        var batchNorms = state.Where(t => t.Name.EndsWith(".running_mean", StringComparison.Ordinal))
            .Select(t => t.Name[..^"running_mean".Length]).ToHashSet();
        float Uniform(float low, float high) => low + (high - low) * random.NextSingle();
        var changed = state.Select(t =>
        {
            string prefix = t.Name[..(t.Name.LastIndexOf('.') + 1)];
            if (!batchNorms.Contains(prefix))
                return t;
            string field = t.Name[prefix.Length..];
            (float low, float high) = field switch
            {
                "running_mean" => (-0.3f, 0.3f),
                "running_var" => (0.5f, 2f),
                "weight" => (0.5f, 1.5f),
                "bias" => (-0.3f, 0.3f),
                _ => throw new InvalidOperationException($"Unexpected BatchNorm tensor {t.Name}."),
            };
            return t with { Data = [.. t.Data.Select(_ => Uniform(low, high))] };
        }).ToList();
        network.SetState(changed);
    }
}
