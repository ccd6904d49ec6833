// IEstimator.cs — something that learns a transformer from data, as in ML.NET.
namespace DigitsML;

/// <summary>Learns a <typeparamref name="TTransformer"/> from data: a trainer, or a transform that must see the data
/// (such as <c>MapValueToKey</c>). Chain estimators with <see cref="LearningPipelineExtensions.Append{TTrans}(IEstimator{ITransformer}, IEstimator{TTrans})"/>.</summary>
/// <typeparam name="TTransformer">The transformer <see cref="Fit"/> gives.</typeparam>
public interface IEstimator<out TTransformer> where TTransformer : ITransformer
{
    /// <summary>Learns from <paramref name="input"/>. The schema is checked before any data is read.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type; the message names it and the type expected (ML.NET's schema mismatch).</exception>
    TTransformer Fit(IDataView input);

    /// <summary>The shape of the schema the fitted transformer will give for input of shape <paramref name="inputSchema"/>,
    /// without reading data. Checks the columns the same way <see cref="Fit"/> does.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An input column is missing or of the wrong type; the message names it and the type expected (ML.NET's schema mismatch).</exception>
    SchemaShape GetOutputSchema(SchemaShape inputSchema);
}
