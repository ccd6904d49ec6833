// CnnTransformer.cs — a trained CNN as a transformer: adds Score and PredictedLabel; owns its network.
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.IO;
using DigitsML.Model;

namespace DigitsML.Trainers;

/// <summary>The fitted CNN, like ML.NET's multiclass prediction transformer: <see cref="Transform"/> adds <c>Score</c>
/// (<c>Vector&lt;Single, K&gt;</c>, class probabilities, slot names from the label's key values) and
/// <c>PredictedLabel</c> (a key of K values: the most probable class, ties to the lowest index), scoring lazily in
/// batches of 1,000 rows as a cursor moves. It owns the network's native memory: dispose it (or the chain holding
/// it); double dispose is harmless, use after dispose throws <see cref="ObjectDisposedException"/>. Transformed
/// views may be read from several threads at once.</summary>
public sealed class CnnTransformer : IPersistentTransformer, IDisposable
{
    /// <summary>Rows scored per native forward pass.</summary>
    internal const int ScoringBatchSize = 1000;

    private readonly Network network;
    private readonly KeyValueSet? classValues;

    internal CnnTransformer(Network network, string featureColumnName, string labelColumnName, KeyValueSet? classValues,
        IReadOnlyList<EpochProgress> history)
    {
        this.network = network;
        this.classValues = classValues;
        FeatureColumnName = featureColumnName;
        LabelColumnName = labelColumnName;
        History = ImmutableArray.CreateRange(history);
        ClassNames = ImmutableArray.CreateRange(Enumerable.Range(0, network.Classes).Select(i => classValues?.Text(i) ?? i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The feature column it reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The label column it was trained on (not read when scoring).</summary>
    public string LabelColumnName { get; }

    /// <summary>The number of classes, the size of <c>Score</c>.</summary>
    public int NumberOfClasses => network.Classes;

    /// <summary>Each class's name: the label's key values as text, or "0", "1", ... when it had none.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>The figures of each training epoch; kept in saved models.</summary>
    public IReadOnlyList<EpochProgress> History { get; }

    /// <summary>The device the network lives on.</summary>
    public Device Device => network.Device;

    /// <summary>The network's layers, shapes and parameter counts.</summary>
    public NetworkSummary Summary => network.Summary;

    string IPersistentTransformer.Kind => "Cnn";

    internal Network Network
    {
        get
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            return network;
        }
    }

    private bool disposed;

    /// <inheritdoc />
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        CheckFeatures(inputSchema, FeatureColumnName, Network.Definition.InputShape);
        return inputSchema.Append(AddedColumns());
    }

    /// <inheritdoc />
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var features = CheckFeatures(input.Schema, FeatureColumnName, Network.Definition.InputShape);
        return new CnnScoringDataView(input, this, features, input.Schema.Append(AddedColumns()));
    }

    private IEnumerable<(string, DataViewType, DataViewSchema.Annotations)> AddedColumns()
    {
        int k = network.Classes;
        yield return (DefaultColumnNames.Score, new VectorDataViewType(NumberDataViewType.Single, k),
            classValues?.ToSlotNames() ?? DataViewSchema.Annotations.Empty);
        yield return (DefaultColumnNames.PredictedLabel, new KeyDataViewType(typeof(uint), k),
            classValues?.ToAnnotations() ?? DataViewSchema.Annotations.Empty);
    }

    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a vector of Single, or of another size
    /// than <paramref name="shape"/>.</exception>
    internal static DataViewSchema.Column CheckFeatures(DataViewSchema schema, string name, TensorShape shape)
    {
        var column = SchemaErrors.Find(schema, "feature", name);
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || !n.Equals(NumberDataViewType.Single))
            throw SchemaErrors.Mismatch("feature", name, $"Vector<Single> of {shape.Elements} values", column.Type.ToString()!,
                column.Type is VectorDataViewType ? "Scale raw pixels to Single first: ml.Transforms.ScalePixels(...)." : null);
        if (vector.IsKnownSize && vector.Size != shape.Elements)
            throw SchemaErrors.Mismatch("feature", name, $"Vector<Single> of {shape.Elements} values (the network's input {shape})", vector.ToString());
        return column;
    }

    void IPersistentTransformer.Save(JsonObject node, ModelSaveContext context)
    {
        string prefix = context.NewPrefix();
        NetworkSerializer.AddEntries(context.Entries, prefix, Network);
        node["entries"] = prefix;
        node["featureColumnName"] = FeatureColumnName;
        node["labelColumnName"] = LabelColumnName;
        node["classes"] = network.Classes;
        if (classValues is not null)
            node["classValues"] = new JsonObject { ["type"] = SchemaJson.WriteType(classValues.ItemType), ["values"] = classValues.ToJson() };
        node["history"] = new JsonArray([.. History.Select(h => (JsonNode)new JsonObject
        {
            ["epoch"] = h.Epoch, ["epochs"] = h.Epochs, ["trainLoss"] = h.TrainLoss, ["trainAccuracy"] = h.TrainAccuracy,
            ["validationLoss"] = h.ValidationLoss, ["validationAccuracy"] = h.ValidationAccuracy,
            ["learningRate"] = h.LearningRate, ["seconds"] = h.Seconds,
        })]);
    }

    internal static CnnTransformer Load(JsonObject node, ModelLoadContext context)
    {
        int classes = context.Value<int>(node, "classes");
        KeyValueSet? values = null;
        if (node["classValues"] is JsonObject v)
        {
            if (SchemaJson.ReadType(context.Object(v, "type"), context) is not PrimitiveDataViewType type)
                throw context.Error("class values must be of a primitive type");
            values = KeyValueSet.FromJson(type, context.Array(v, "values"), context.Source);
            if (values.Count != classes)
                throw context.Error($"the CNN has {classes} classes but {values.Count} class values");
        }
        var history = context.Array(node, "history").Select(h => h as JsonObject ?? throw context.Error("a history entry is not an object"))
            .Select(h => new EpochProgress(context.Value<int>(h, "epoch"), context.Value<int>(h, "epochs"), context.Value<double>(h, "trainLoss"),
                context.Value<double>(h, "trainAccuracy"), h["validationLoss"]?.GetValue<double>(), h["validationAccuracy"]?.GetValue<double>(),
                context.Value<double>(h, "learningRate"), context.Value<double>(h, "seconds"))).ToList();
        var network = NetworkSerializer.FromEntries(context.Entries, context.Text(node, "entries"), context.Device, context.Source);
        if (network.Classes != classes)
        {
            network.Dispose();
            throw context.Error($"the stored network scores {network.Classes} classes, not the {classes} pipeline.json states");
        }
        return new CnnTransformer(network, context.Text(node, "featureColumnName"), context.Text(node, "labelColumnName"), values, history);
    }

    /// <summary>Frees the network. Safe to call more than once.</summary>
    public void Dispose()
    {
        disposed = true;
        network.Dispose();
    }
}
