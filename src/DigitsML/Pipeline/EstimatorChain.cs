// EstimatorChain.cs — estimators applied in order: each is fitted on the output of the transformers before it.
using System.Collections.Immutable;

namespace DigitsML;

/// <summary>A pipeline of estimators. <see cref="Fit"/> checks the whole chain's schema first, then fits each
/// estimator on the data transformed by the transformers fitted before it, giving a
/// <see cref="TransformerChain{TLastTransformer}"/>.</summary>
/// <typeparam name="TLastTransformer">The transformer the last estimator gives.</typeparam>
public sealed class EstimatorChain<TLastTransformer> : IEstimator<TransformerChain<TLastTransformer>>
    where TLastTransformer : class, ITransformer
{
    private readonly ImmutableArray<IEstimator<ITransformer>> estimators;

    /// <summary>An empty chain; <see cref="Append{TNewTrans}"/> adds to it.</summary>
    public EstimatorChain() => estimators = [];

    private EstimatorChain(ImmutableArray<IEstimator<ITransformer>> estimators) => this.estimators = estimators;

    /// <summary>The last estimator, or null for an empty chain.</summary>
    public IEstimator<TLastTransformer>? LastEstimator => estimators.IsEmpty ? null : (IEstimator<TLastTransformer>)estimators[^1];

    /// <summary>A new chain with <paramref name="estimator"/> added at the end (this chain is unchanged).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="estimator"/> is null.</exception>
    public EstimatorChain<TNewTrans> Append<TNewTrans>(IEstimator<TNewTrans> estimator) where TNewTrans : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(estimator);
        return new EstimatorChain<TNewTrans>(estimators.Add(estimator));
    }

    /// <summary>Fits every estimator in order. If one fails, the transformers already fitted are disposed.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column some estimator needs is missing or of the wrong type (checked
    /// before any fitting); the message names it.</exception>
    public TransformerChain<TLastTransformer> Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        GetOutputSchema(SchemaShape.Create(input.Schema));
        var fitted = new List<ITransformer>(estimators.Length);
        try
        {
            IDataView current = input;
            for (int i = 0; i < estimators.Length; i++)
            {
                var transformer = estimators[i].Fit(current);
                fitted.Add(transformer);
                if (i < estimators.Length - 1)
                    current = transformer.Transform(current);
            }
            return new TransformerChain<TLastTransformer>(fitted);
        }
        catch
        {
            foreach (var t in fitted)
                (t as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The shape after every estimator, checking each estimator's input on the way.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var shape = inputSchema;
        foreach (var estimator in estimators)
            shape = estimator.GetOutputSchema(shape);
        return shape;
    }
}
