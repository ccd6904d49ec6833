// VotingEnsembleMetrics.cs — an ensemble's metrics with each member's own, from one evaluation call.
using DigitsML.Data;

namespace DigitsML.Trainers;

/// <summary>What <c>ml.MulticlassClassification.EvaluateEnsemble</c> gives: the ensemble's metrics and each member's own
/// on the same rows, so one can see what voting gained. Nested ensembles appear as single members (their own vote).</summary>
public sealed class VotingEnsembleMetrics
{
    internal VotingEnsembleMetrics(MulticlassClassificationMetrics ensemble, IReadOnlyList<MulticlassClassificationMetrics> members)
    {
        Ensemble = ensemble;
        Members = members;
    }

    /// <summary>The ensemble's metrics, read from its score like any model's. For <see cref="VotingKind.Hard"/> the score is
    /// the vote share, so a tied vote counts as the lowest tied class and log-loss is large wherever no member was right.</summary>
    public MulticlassClassificationMetrics Ensemble { get; }

    /// <summary>Each member's metrics, in the order of <see cref="VotingEnsembleTransformer.Members"/>.</summary>
    public IReadOnlyList<MulticlassClassificationMetrics> Members { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, Members.Select((m, i) => $"member {i}: micro-accuracy {m.MicroAccuracy:P2}, log-loss {m.LogLoss:F4}")
            .Append($"ensemble: micro-accuracy {Ensemble.MicroAccuracy:P2}, log-loss {Ensemble.LogLoss:F4}"));

    /// <summary>Evaluates the ensemble in <paramref name="model"/> and each of its members on <paramref name="data"/>.</summary>
    /// <param name="model">A <see cref="VotingEnsembleTransformer"/>, or a chain holding one: the transformers before the
    /// (last) ensemble prepare its input, those after it are not applied.</param>
    /// <param name="data">The model's input, e.g. the raw test set.</param>
    /// <param name="labelColumnName">The truth, as in <c>Evaluate</c>: a key or a Single/Double class index.</param>
    /// <param name="topKPredictionCount">As in <c>Evaluate</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> holds no voting ensemble.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="DataValueException">No row has a valid label and finite scores.</exception>
    internal static VotingEnsembleMetrics Evaluate(ITransformer model, IDataView data, string labelColumnName, int topKPredictionCount)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(labelColumnName);
        var (ensemble, input) = FindEnsemble(model, data);
        string score = ensemble.ScoreColumnName, predicted = ensemble.PredictedLabelColumnName;
        var members = ensemble.Members.Select(member =>
        {
            var scored = member.Transform(input);
            // The evaluator only checks that a predicted-label column exists; a member that writes none is still judged by its score.
            string memberPredicted = scored.Schema.GetColumnOrNull(predicted) is null ? score : predicted;
            return MulticlassEvaluator.Evaluate(scored, labelColumnName, score, memberPredicted, topKPredictionCount);
        }).ToList();
        var overall = MulticlassEvaluator.Evaluate(ensemble.Transform(input), labelColumnName, score, predicted, topKPredictionCount);
        return new VotingEnsembleMetrics(overall, members);
    }

    private static (VotingEnsembleTransformer Ensemble, IDataView Input) FindEnsemble(ITransformer model, IDataView data)
    {
        if (model is VotingEnsembleTransformer ensemble)
            return (ensemble, data);
        if (model is IEnumerable<ITransformer> chain)
        {
            var steps = chain.ToList();
            int at = steps.FindLastIndex(t => t is VotingEnsembleTransformer);
            if (at >= 0)
            {
                var input = data;
                foreach (var step in steps.Take(at))
                    input = step.Transform(input);
                return ((VotingEnsembleTransformer)steps[at], input);
            }
        }
        throw new ArgumentException(
            $"The model ({CursorBase.TypeName(model.GetType())}) is not a VotingEnsembleTransformer nor a chain holding one.", nameof(model));
    }
}
