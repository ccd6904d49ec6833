// ModelFileEnsemble.cs — a voting ensemble of models that were trained and saved apart: their ONNX graphs voted as one
// graph, inside the first model's own pipeline.
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace DigitsML;

/// <summary>Combines model zips saved with <c>ml.Model.Save</c> from pipelines holding a DigitsML model (a CNN or an
/// ensemble) into one voting ensemble. Where the training package's <c>VotingEnsemble</c> trainer trains its members, this
/// takes members trained on their own, perhaps on other machines, and combines what their files hold: one ONNX graph each.
/// It needs no libtorch.</summary>
public static class ModelFileEnsemble
{
    /// <summary>Loads the first model and gives back its pipeline with its DigitsML scorer replaced by one voting graph of
    /// every member (<see cref="OnnxGraphs.Combine"/>: the mean of the members' probabilities for
    /// <see cref="VotingKind.Soft"/>, the majority with ties by summed probability for <see cref="VotingKind.Hard"/>). The
    /// steps before the scorer (such as <c>MapValueToKey("Label")</c>) and after it (such as
    /// <c>MapKeyToValue("PredictedLabel")</c>) are the first model's, so the result scores, saves with
    /// <c>ml.Model.Save</c> and loads as each member does, with the same <c>Score</c> and <c>PredictedLabel</c> columns,
    /// and can itself be a member of another ensemble. The caller owns the result (dispose it to free its ONNX session).</summary>
    /// <param name="ml">The context the first model is loaded in.</param>
    /// <param name="modelPaths">The model zips, at least one, in voting order.</param>
    /// <param name="voting">How the members vote.</param>
    /// <param name="data">Data the members take as input (such as the raw test set); only its schema is read.</param>
    /// <param name="labelColumnName">The key label column the scorer's input holds (as the members were trained on it),
    /// whose key values <c>PredictedLabel</c> takes; default "Label".</param>
    /// <exception cref="FileNotFoundException">A model file does not exist.</exception>
    /// <exception cref="DataFormatException">A file is not a model zip holding one ONNX graph; the message names it.</exception>
    /// <exception cref="ArgumentException">The first model is not a pipeline around one DigitsML scorer, its scorer's
    /// input has no key column <paramref name="labelColumnName"/>, or the members' graphs disagree on input or classes
    /// (the message names the member by its index in <paramref name="modelPaths"/>).</exception>
    public static ITransformer Combine(MLContext ml, IReadOnlyList<string> modelPaths, VotingKind voting, IDataView data,
        string labelColumnName = "Label")
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(modelPaths);
        ArgumentNullException.ThrowIfNull(data);
        if (modelPaths.Count == 0)
            throw new ArgumentException("An ensemble needs at least one model file; none was given.", nameof(modelPaths));
        // A zip holds the one-row graph ML.NET scores with; the members are combined batched, the vote scored one-row.
        var graphs = modelPaths.Select(path => OnnxGraphs.ToBatched(TrainingMetadata.ReadOnnxFromModelZip(path))).ToList();
        string features = OnnxGraphs.InputNameOf(graphs[0]);
        byte[] onnx = OnnxGraphs.Combine(graphs, voting, new OnnxExportOptions { InputName = features });

        var first = ml.Model.LoadDigitsModel(modelPaths[0], out _);
        var steps = first is IEnumerable<ITransformer> chain ? chain.ToList() : [first];
        int at = steps.FindIndex(IsScorer);
        if (at < 0 || steps.FindLastIndex(IsScorer) != at)
        {
            (first as IDisposable)?.Dispose();
            throw new ArgumentException($"{modelPaths[0]} is not a pipeline around one DigitsML model (its steps: " +
                                        $"{string.Join(", ", steps.Select(s => s.GetType().Name))}).", nameof(modelPaths));
        }
        try
        {
            IDataView input = steps.Take(at).Aggregate(data, (view, step) => step.Transform(view));
            var label = input.Schema.GetColumnOrNull(labelColumnName);
            if (label?.Type is not KeyDataViewType)
                throw new ArgumentException($"The input of {modelPaths[0]}'s scorer has no key column '{labelColumnName}' " +
                                            $"(found {label?.Type.ToString() ?? "none"}).", nameof(labelColumnName));
            var scorer = DigitsModelChain.Create(onnx, input, features, label.Value);
            // The first model's own scorer is replaced: its ONNX session and temporary graph file go now.
            (steps[at] as IDisposable)?.Dispose();
            steps[at] = scorer;
            return new TransformerChain<ITransformer>([.. steps]);
        }
        catch
        {
            (first as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>Whether <paramref name="step"/> is a DigitsML scorer as a loaded model holds it: a chain of ML.NET's
    /// transformers that starts, perhaps in a nested chain, with <c>ApplyOnnxModel</c> (<see cref="DigitsModelChain"/>), or a
    /// fitted DigitsML model.</summary>
    private static bool IsScorer(ITransformer step) => step is IOnnxScoredModel || (step is IEnumerable<ITransformer> && StartsWithOnnx(step));

    private static bool StartsWithOnnx(ITransformer step) =>
        step is OnnxTransformer || (step is IEnumerable<ITransformer> chain && chain.FirstOrDefault() is { } head && StartsWithOnnx(head));
}
