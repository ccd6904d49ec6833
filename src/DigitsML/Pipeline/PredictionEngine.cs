// PredictionEngine.cs — predicts one example at a time through a model, as ML.NET's PredictionEngine does.
using DigitsML.Data;

namespace DigitsML;

/// <summary>Runs single examples through a model: <see cref="Predict(TSrc)"/> maps <typeparamref name="TSrc"/>'s
/// members to the model's input columns and the output columns to <typeparamref name="TDst"/>'s members (by name, as
/// <c>LoadFromEnumerable</c> and <c>CreateEnumerable</c> do; keys are 1-based, 0 = missing). Every column the model's
/// transformers read must be present in <typeparamref name="TSrc"/> (a label's value is not used for prediction).
/// Not thread-safe, as in ML.NET: use one engine per thread or a <see cref="PredictionEnginePool{TData, TPrediction}"/>.
/// Disposing the engine does not dispose the model.</summary>
public sealed class PredictionEngine<TSrc, TDst> : IDisposable where TSrc : class where TDst : class, new()
{
    private readonly CurrentRow current = new();
    private readonly IDataView output;
    private readonly ObjectWriter<TDst> writer;
    private bool disposed;

    internal PredictionEngine(ITransformer transformer, bool ignoreMissingColumns)
    {
        output = transformer.Transform(new EnumerableDataView<TSrc>(current));
        writer = new ObjectWriter<TDst>(output.Schema, ignoreMissingColumns);
    }

    /// <summary>The schema the model gives for <typeparamref name="TSrc"/>.</summary>
    public DataViewSchema OutputSchema => output.Schema;

    /// <summary>The model's output for <paramref name="example"/>, in a new object.</summary>
    /// <exception cref="ObjectDisposedException">The engine, or the model, was disposed.</exception>
    public TDst Predict(TSrc example)
    {
        var prediction = new TDst();
        Predict(example, ref prediction);
        return prediction;
    }

    /// <summary>Writes the model's output for <paramref name="example"/> into <paramref name="prediction"/> (reusing its arrays).</summary>
    /// <exception cref="ObjectDisposedException">The engine, or the model, was disposed.</exception>
    public void Predict(TSrc example, ref TDst prediction)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(prediction);
        ObjectDisposedException.ThrowIf(disposed, this);
        current.Value = example;
        try
        {
            using var cursor = output.GetRowCursor(writer.Columns);
            if (!cursor.MoveNext())
                throw new InvalidOperationException("The model gave no row for the example.");
            writer.Bind(cursor)(prediction);
        }
        finally
        {
            current.Value = null;
        }
    }

    /// <summary>Releases the engine (not the model). Safe to call more than once.</summary>
    public void Dispose() => disposed = true;

    /// <summary>A one-row sequence whose row is the example being predicted.</summary>
    private sealed class CurrentRow : IEnumerable<TSrc>
    {
        internal TSrc? Value { get; set; }

        public IEnumerator<TSrc> GetEnumerator()
        {
            if (Value is { } row)
                yield return row;
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
