// PredictedIndexMapping.cs — the one step of a fitted DigitsML model that ML.NET has no built-in for: Score's arg-max as a scalar.
using System.ComponentModel;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace DigitsML.Scoring;

/// <summary>Maps the <c>Score</c> vector to the index of its largest value (the lowest index on a tie), as the scalar
/// column <see cref="DigitsModelChain.IndexColumn"/>. ML.NET's <c>ApplyOnnxModel</c> can only output vectors and no built-in
/// transform makes a scalar of a one-slot vector, so this small custom mapping is the bridge from the ONNX graph's
/// probabilities to a scalar <c>PredictedLabel</c> key. A saved model names this contract and this assembly; ML.NET 5
/// loads the assembly by that name itself, so <c>ml.Model.Load</c> needs no <c>RegisterAssembly</c>.</summary>
[CustomMappingFactoryAttribute(Contract)]
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class PredictedIndexMapping : CustomMappingFactory<PredictedIndexMapping.Input, PredictedIndexMapping.Output>
{
    /// <summary>The contract name saved in model files: never change it, or saved models stop loading.</summary>
    public const string Contract = "DigitsML.PredictedIndex";

    /// <summary>The row the mapping reads.</summary>
    public sealed class Input
    {
        /// <summary>Class probabilities.</summary>
        [ColumnName(DigitsModelChain.ScoreColumn)]
        public float[] Score { get; set; } = [];
    }

    /// <summary>The row the mapping writes.</summary>
    public sealed class Output
    {
        /// <summary>The arg-max of <see cref="Input.Score"/>.</summary>
        [ColumnName(DigitsModelChain.IndexColumn)]
        public uint Index { get; set; }
    }

    /// <summary>The arg-max; NaN never wins.</summary>
    public static void Map(Input input, Output output)
    {
        float[] score = input.Score;
        uint best = 0;
        for (int i = 1; i < score.Length; i++)
            if (score[i] > score[best] || float.IsNaN(score[best]))
                best = (uint)i;
        output.Index = best;
    }

    /// <inheritdoc />
    public override Action<Input, Output> GetMapping() => Map;
}
