// PredictionEnginePool.cs — a thread-safe pool of ML.NET prediction engines over one model, for servers.
using System.Collections.Concurrent;
using Microsoft.ML;

namespace DigitsML;

/// <summary>Thread-safe prediction over one model, as Microsoft.Extensions.ML's pool (not available here) does it:
/// <see cref="Predict"/> takes an engine from the pool (or makes one), predicts and gives it back. An ML.NET
/// <see cref="PredictionEngine{TSrc, TDst}"/> is not thread-safe, but engines over the same model are independent (the
/// ONNX session they share is safe to run from several threads). The pool does not own the model: its engines are made
/// with <c>OwnsTransformer = false</c>, so dropping one never disposes the model under the others.</summary>
/// <typeparam name="TData">The input class.</typeparam>
/// <typeparam name="TPrediction">The output class.</typeparam>
public sealed class PredictionEnginePool<TData, TPrediction> where TData : class where TPrediction : class, new()
{
    private readonly ConcurrentBag<PredictionEngine<TData, TPrediction>> idle = [];
    private readonly MLContext ml = new();
    private readonly bool ignoreMissingColumns;
    private readonly int maximumRetained;
    private int retained;

    /// <summary>A pool over <paramref name="model"/>. One engine is made at once, so schema errors surface here.</summary>
    /// <param name="model">The model; it stays owned by the caller and must outlive the pool's use.</param>
    /// <param name="maximumRetained">Idle engines kept for reuse; default null, twice the processor count. Engines
    /// given back beyond it are dropped.</param>
    /// <param name="ignoreMissingColumns">As for <c>CreatePredictionEngine</c>; default true.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximumRetained"/> is less than 1, or the model does
    /// not accept <typeparamref name="TData"/> (ML.NET's message names the column).</exception>
    public PredictionEnginePool(ITransformer model, int? maximumRetained = null, bool ignoreMissingColumns = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        Model = model;
        this.maximumRetained = maximumRetained ?? 2 * Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(this.maximumRetained, 1, nameof(maximumRetained));
        this.ignoreMissingColumns = ignoreMissingColumns;
        ReturnPredictionEngine(CreateEngine());
    }

    /// <summary>The model the engines run.</summary>
    public ITransformer Model { get; }

    /// <summary>Predicts <paramref name="example"/> on a pooled engine. Safe to call from any number of threads.</summary>
    public TPrediction Predict(TData example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var engine = GetPredictionEngine();
        try
        {
            return engine.Predict(example);
        }
        finally
        {
            ReturnPredictionEngine(engine);
        }
    }

    /// <summary>An engine for the caller's exclusive use until it is given back with <see cref="ReturnPredictionEngine"/>.</summary>
    public PredictionEngine<TData, TPrediction> GetPredictionEngine()
    {
        if (idle.TryTake(out var engine))
        {
            Interlocked.Decrement(ref retained);
            return engine;
        }
        return CreateEngine();
    }

    /// <summary>Gives an engine back to the pool.</summary>
    public void ReturnPredictionEngine(PredictionEngine<TData, TPrediction> engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        if (Interlocked.Increment(ref retained) <= maximumRetained)
        {
            idle.Add(engine);
            return;
        }
        Interlocked.Decrement(ref retained);
        engine.Dispose();
    }

    private PredictionEngine<TData, TPrediction> CreateEngine() =>
        ml.Model.CreatePredictionEngine<TData, TPrediction>(Model,
            new PredictionEngineOptions { IgnoreMissingColumns = ignoreMissingColumns, OwnsTransformer = false });
}
