// CnnTrainer.cs — the CNN as an ML.NET multiclass trainer: checks the schema, reads the data, trains with TorchSharp,
// exports the network to ONNX and hands back ML.NET's own saveable transformers around that graph.
using DigitsML.Engine;
using DigitsML.Networks;
using DigitsML.Onnx;
using DigitsML.Scoring;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace DigitsML.Trainers;

/// <summary>Trains a convolutional network on a key label and a <c>Single</c> feature vector, giving a
/// <see cref="CnnTransformer"/> that adds <c>Score</c> (class probabilities, slot names from the label's key values) and
/// <c>PredictedLabel</c> (a key like the label). Reached as <c>ml.MulticlassClassification.Trainers.Cnn(...)</c>. Training
/// runs on the device the options select (<see cref="Options.GpuDeviceId"/>, <see cref="Options.FallbackToCpu"/>);
/// scoring runs the exported ONNX graph through ML.NET's <c>ApplyOnnxModel</c> on the CPU.</summary>
public sealed partial class CnnTrainer : IEstimator<CnnTransformer>
{
    private readonly Options options;

    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentException">A setting is wrong (<see cref="Options.Validate"/>); the message names it.</exception>
    /// <exception cref="InvalidNetworkException">The architecture does not fit its input shape.</exception>
    internal CnnTrainer(Options options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        this.options = options;
    }

    /// <summary>The settings this trainer was made with.</summary>
    public Options TrainerOptions => options;

    /// <summary>Reads the label and features, trains the network, exports it to ONNX and returns the fitted transformer.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or feature column is missing or of the wrong type, or the
    /// feature size does not match the architecture; the message names the column.</exception>
    /// <exception cref="InvalidOperationException">A row has a missing label key or a feature vector of the wrong length
    /// (the message names the row), or the label's classes cannot fit the architecture.</exception>
    /// <exception cref="DeviceUnavailableException">The options ask for a GPU that cannot be used, without fall-back.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled; a checkpoint, when
    /// asked for, keeps the last finished epoch.</exception>
    /// <exception cref="FileNotFoundException">Resuming was asked and there is no checkpoint.</exception>
    /// <exception cref="DataValueException">A feature is NaN or infinite (the message names the column and row), or there
    /// are fewer than 2 rows.</exception>
    /// <exception cref="DataFormatException">The checkpoint to resume from is damaged.</exception>
    public CnnTransformer Fit(IDataView input)
    {
        using var network = Train(input, out var label, out var history);
        return CnnTransformer.Create(network, history, input, options.FeatureColumnName, label);
    }

    /// <summary>Trains and returns the network itself (the caller owns it), for ensembles that export several as one graph.</summary>
    internal Network Train(IDataView input, out DataViewSchema.Column label, out IReadOnlyList<EpochProgress> history)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (labelColumn, features, classes) = CheckInput(input.Schema);
        label = labelColumn;
        var definition = Adapt(options.Architecture, classes);
        var data = CnnTrainingData.Read(input, labelColumn, features, classes, definition.InputShape, options.CancellationToken);
        var (train, validation) = CnnTrainingData.Split(data, options.ValidationFraction, options.Seed);
        var device = Device.Select(options.GpuDeviceId, options.FallbackToCpu, Log);
        Log($"Training {definition.Name} on {device}: {train.Count:N0} rows, {validation?.Count ?? 0:N0} held out for validation, {classes} classes.");
        var network = Network.Create(definition, device, (ulong)(uint)options.Seed);
        try
        {
            history = NetworkTrainer.Train(network, train, validation, new TrainingRun(options));
            return network;
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Adds <c>Score</c> (a known-size vector of <c>Single</c>, with slot names: the label's key values, or "0" … "K−1" for a key without values) and
    /// <c>PredictedLabel</c> (a key like the label, with its key values).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is missing or not a scalar key, or the features are missing
    /// or not a known-size vector of <c>Single</c>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return DigitsModelChain.OutputSchema(inputSchema, options.LabelColumnName, options.FeatureColumnName);
    }

    private void Log(string message) => options.Log?.Invoke(message);

    private (DataViewSchema.Column Label, DataViewSchema.Column Features, int Classes) CheckInput(DataViewSchema schema)
    {
        var label = schema.GetColumnOrNull(options.LabelColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch: the label column '{options.LabelColumnName}' was not found.");
        if (label.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for label column '{options.LabelColumnName}': expected Key, got {label.Type}. {DigitsModelChain.LabelHint}");
        if (key.Count < 2 || key.Count > 100_000)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for label column '{options.LabelColumnName}': expected a key of 2 to 100,000 classes, got {key}.");
        var features = CheckFeatures(schema, options.FeatureColumnName, options.Architecture.InputShape);
        return (label, features, (int)key.Count);
    }

    /// <exception cref="ArgumentOutOfRangeException">The column is missing, not a vector of Single, or of another size
    /// than <paramref name="shape"/>.</exception>
    internal static DataViewSchema.Column CheckFeatures(DataViewSchema schema, string name, TensorShape shape)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException(nameof(schema), $"Schema mismatch: the feature column '{name}' was not found.");
        if (column.Type is not VectorDataViewType { ItemType: NumberDataViewType n } vector || n != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for feature column '{name}': expected Vector<Single> of {shape.Elements} values, got {column.Type}." +
                (column.Type is VectorDataViewType ? " Convert it first: ml.Transforms.Conversion.ConvertType(...) and divide by 255." : ""));
        if (!vector.IsKnownSize || vector.Size != shape.Elements)
            throw new ArgumentOutOfRangeException(nameof(schema),
                $"Schema mismatch for feature column '{name}': expected Vector<Single> of {shape.Elements} values (the network's input {shape}), got {vector}.");
        return column;
    }

    /// <summary>The architecture with its last <see cref="Linear"/> resized to <paramref name="classes"/> when needed.</summary>
    /// <exception cref="InvalidOperationException">The network scores another number of classes and does not end in Linear.</exception>
    private NetworkDefinition Adapt(NetworkDefinition definition, int classes)
    {
        int scored = definition.Summarize().Classes;
        if (scored == classes)
            return definition;
        if (definition.Layers[^1] is not Linear last)
            throw new InvalidOperationException(
                $"{definition.Name} scores {scored} classes but label column '{options.LabelColumnName}' has {classes}; end the network in Linear({classes}).");
        Log($"{definition.Name} ends in {last}; resized to Linear({classes}) for {classes} classes.");
        return new NetworkDefinition(definition.Name, definition.Layers.SetItem(definition.Layers.Length - 1, last with { OutFeatures = classes }),
            definition.InputShape);
    }
}
