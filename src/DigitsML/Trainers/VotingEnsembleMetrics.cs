// VotingEnsembleMetrics.cs — an ensemble's metrics beside each member's, from ML.NET's own evaluator.
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>ML.NET's multiclass metrics of a voting ensemble and of each of its members on the same data.</summary>
public sealed class VotingEnsembleMetrics
{
    internal VotingEnsembleMetrics(MulticlassClassificationMetrics ensemble, IReadOnlyList<MulticlassClassificationMetrics> members)
    {
        Ensemble = ensemble;
        Members = members;
    }

    /// <summary>The ensemble's metrics.</summary>
    public MulticlassClassificationMetrics Ensemble { get; }

    /// <summary>Each member's metrics, in the order of <see cref="VotingEnsembleTransformer.Members"/>.</summary>
    public IReadOnlyList<MulticlassClassificationMetrics> Members { get; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Join(Environment.NewLine, Members.Select((m, i) => $"member {i}: micro-accuracy {m.MicroAccuracy:P2}, log-loss {m.LogLoss:F4}")
            .Append($"ensemble: micro-accuracy {Ensemble.MicroAccuracy:P2}, log-loss {Ensemble.LogLoss:F4}"));

    /// <summary>Evaluates the ensemble in <paramref name="model"/> and each of its members on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="model"/> holds no voting ensemble.</exception>
    internal static VotingEnsembleMetrics Evaluate(MulticlassClassificationCatalog catalog, ITransformer model, IDataView data, string labelColumnName)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        var (ensemble, input) = FindEnsemble(model, data);
        var members = ensemble.Members.Select(member => catalog.Evaluate(member.Transform(input), labelColumnName)).ToList();
        return new VotingEnsembleMetrics(catalog.Evaluate(ensemble.Transform(input), labelColumnName), members);
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
            $"The model ({model.GetType().Name}) is not a VotingEnsembleTransformer nor a chain holding one (a model loaded from a file " +
            "keeps only the ensemble's graph, not its members).", nameof(model));
    }
}
