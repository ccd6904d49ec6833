// TransformerChain.cs — fitted transformers applied in order; owns them and disposes them.
using System.Collections;
using System.Collections.Immutable;

namespace DigitsML;

/// <summary>Transformers applied in order, as <see cref="EstimatorChain{TLastTransformer}.Fit"/> and
/// <c>ml.Model.Load</c> give them. The chain owns its transformers: disposing it disposes every one that holds native
/// memory (the CNNs). Enumerating it gives the transformers in order.</summary>
/// <typeparam name="TLastTransformer">The type of the last transformer.</typeparam>
public sealed class TransformerChain<TLastTransformer> : ITransformer, IEnumerable<ITransformer>, IDisposable
    where TLastTransformer : class, ITransformer
{
    private readonly ImmutableArray<ITransformer> transformers;

    /// <summary>A chain of <paramref name="transformers"/>; the last must be a <typeparamref name="TLastTransformer"/>.</summary>
    /// <exception cref="ArgumentException">A transformer is null, or the last is not a <typeparamref name="TLastTransformer"/>.</exception>
    public TransformerChain(params ITransformer[] transformers) : this((IEnumerable<ITransformer>)transformers) { }

    internal TransformerChain(IEnumerable<ITransformer> transformers)
    {
        ArgumentNullException.ThrowIfNull(transformers);
        this.transformers = [.. transformers];
        if (this.transformers.Any(t => t is null))
            throw new ArgumentException("A transformer is null.", nameof(transformers));
        if (this.transformers.Length > 0 && this.transformers[^1] is not TLastTransformer)
            throw new ArgumentException(
                $"The last transformer is a {this.transformers[^1].GetType().Name}, not a {typeof(TLastTransformer).Name}.", nameof(transformers));
    }

    /// <summary>The last transformer, or null for an empty chain.</summary>
    public TLastTransformer? LastTransformer => transformers.IsEmpty ? null : (TLastTransformer)transformers[^1];

    /// <summary>A new chain with <paramref name="transformer"/> added; it shares (and then co-owns) this chain's transformers.</summary>
    public TransformerChain<TNewLast> Append<TNewLast>(TNewLast transformer) where TNewLast : class, ITransformer
    {
        ArgumentNullException.ThrowIfNull(transformer);
        return new TransformerChain<TNewLast>(transformers.Add(transformer));
    }

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var schema = inputSchema;
        foreach (var t in transformers)
            schema = t.GetOutputSchema(schema);
        return schema;
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Check the whole chain before building any view, so a bad column fails with nothing half-made.
        GetOutputSchema(input.Schema);
        var view = input;
        foreach (var t in transformers)
            view = t.Transform(view);
        return view;
    }

    /// <inheritdoc />
    public IEnumerator<ITransformer> GetEnumerator() => ((IEnumerable<ITransformer>)transformers).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Disposes every transformer that is disposable. Safe to call more than once.</summary>
    public void Dispose()
    {
        foreach (var t in transformers)
            (t as IDisposable)?.Dispose();
    }
}

/// <summary>Looks inside fitted pipelines.</summary>
internal static class TransformerChain
{
    /// <summary>The last <typeparamref name="T"/> in <paramref name="model"/>, which may be one transformer or a chain
    /// (of chains); null when there is none.</summary>
    internal static T? FindLast<T>(ITransformer model) where T : class, ITransformer => model switch
    {
        T found => found,
        IEnumerable<ITransformer> chain => chain.Select(FindLast<T>).LastOrDefault(t => t is not null),
        _ => null,
    };
}
