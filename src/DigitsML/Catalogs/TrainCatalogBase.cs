// TrainCatalogBase.cs — what the training catalogs share, including the cross-validation result type, as in ML.NET.
namespace DigitsML;

/// <summary>The base of the task catalogs (<see cref="MulticlassClassificationCatalog"/>).</summary>
public abstract class TrainCatalogBase
{
    private protected TrainCatalogBase(MLContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
    }

    private protected MLContext Context { get; }

    /// <summary>One fold of a cross-validation: the model trained without the fold, the fold scored by it, and the
    /// metrics of that scoring. The model may own native memory: dispose it (<see cref="IDisposable"/>) when done.</summary>
    /// <typeparam name="TMetrics">The metrics type of the task.</typeparam>
    public sealed class CrossValidationResult<TMetrics> where TMetrics : class
    {
        internal CrossValidationResult(ITransformer model, TMetrics metrics, IDataView scoredHoldOutSet, int fold)
        {
            Model = model;
            Metrics = metrics;
            ScoredHoldOutSet = scoredHoldOutSet;
            Fold = fold;
        }

        /// <summary>The model trained on the other folds.</summary>
        public ITransformer Model { get; }

        /// <summary>The metrics on this fold.</summary>
        public TMetrics Metrics { get; }

        /// <summary>This fold's rows transformed by <see cref="Model"/>.</summary>
        public IDataView ScoredHoldOutSet { get; }

        /// <summary>The fold's 0-based number.</summary>
        public int Fold { get; }
    }
}
