// CnnTrainer.cs — the CNN as an ML.NET-style multiclass trainer: checks the schema, reads the data, trains with libtorch.
using DigitsML.Data;
using DigitsML.Engine;

namespace DigitsML.Trainers;

/// <summary>Trains a convolutional network on a key label and a <c>Single</c> feature vector, giving a
/// <see cref="CnnTransformer"/> that adds <c>Score</c> and <c>PredictedLabel</c>. Reached as
/// <c>ml.MulticlassClassification.Trainers.Cnn(...)</c>. Training runs on the device the <see cref="MLContext"/>
/// selects (<see cref="MLContext.GpuDeviceId"/>, <see cref="MLContext.FallbackToCpu"/>).</summary>
public sealed partial class CnnTrainer : IEstimator<CnnTransformer>
{
    internal const string LogSource = nameof(CnnTrainer);

    private readonly MLContext context;
    private readonly Options options;
    private readonly TrainingOptions training;

    /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
    /// <exception cref="InvalidNetworkException">The architecture does not fit its input shape.</exception>
    internal CnnTrainer(MLContext context, Options options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.LabelColumnName, nameof(options.LabelColumnName));
        ArgumentException.ThrowIfNullOrEmpty(options.FeatureColumnName, nameof(options.FeatureColumnName));
        ArgumentNullException.ThrowIfNull(options.Architecture, nameof(options.Architecture));
        if (!(options.ValidationFraction >= 0 && options.ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(options.ValidationFraction), options.ValidationFraction, "The validation fraction must be in [0, 1).");
        this.context = context;
        this.options = options;
        training = new TrainingOptions
        {
            Epochs = options.Epochs,
            BatchSize = options.BatchSize,
            Optimizer = options.Optimizer,
            Schedule = options.Schedule,
            LabelSmoothing = options.LabelSmoothing,
            Seed = options.Seed ?? context.Seed ?? 0,
            Augmentation = options.Augmentation,
            AverageWeights = options.AverageWeights,
            WeightAverageDecay = options.WeightAverageDecay,
            EarlyStoppingPatience = options.EarlyStoppingPatience,
            SelectBestEpoch = options.SelectBestEpoch,
            CheckpointPath = options.CheckpointPath,
            ResumeFromCheckpoint = options.ResumeFromCheckpoint,
        };
        training.Validate();
        if (training.NeedsValidation && options.ValidationFraction == 0)
            throw new ArgumentException($"{nameof(options.EarlyStoppingPatience)} and {nameof(options.SelectBestEpoch)} decide on " +
                $"held-out training rows: set {nameof(options.ValidationFraction)} (e.g. 0.1).", nameof(options));
        options.Architecture.Summarize();
    }

    /// <summary>Reads the label and features, trains the network and returns the fitted transformer, which owns it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label or feature column is missing or of the wrong type, or the
    /// feature size does not match the architecture; the message names the column.</exception>
    /// <exception cref="InvalidOperationException">A row has a missing label key or a feature vector of the wrong length
    /// (the message names the row), or the label's classes cannot fit the architecture.</exception>
    /// <exception cref="DeviceUnavailableException">The context asks for a GPU that cannot be used, without fall-back.</exception>
    /// <exception cref="OperationCanceledException">The options' cancellation token was cancelled; a checkpoint, when
    /// asked for, keeps the last finished epoch.</exception>
    /// <exception cref="FileNotFoundException">Resuming was asked and there is no checkpoint.</exception>
    /// <exception cref="DataValueException">A feature is NaN or infinite (the message names the column and row), or there
    /// are fewer than 2 rows.</exception>
    /// <exception cref="DataFormatException">The checkpoint to resume from is damaged.</exception>
    public CnnTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var (label, features, classes) = CheckInput(input.Schema);
        var definition = Adapt(options.Architecture, classes);
        var data = CnnTrainingData.Read(input, label, features, classes, definition.InputShape, options.CancellationToken);
        var (train, validation) = CnnTrainingData.Split(data, options.ValidationFraction, training.Seed);
        var device = context.SelectDevice(LogSource);
        context.Write(LogSource, ChannelMessageKind.Info,
            $"Training {definition.Name} on {device}: {train.Count:N0} rows, {validation?.Count ?? 0:N0} held out for validation, {classes} classes.");
        var network = Network.Create(definition, device, (ulong)(uint)training.Seed);
        try
        {
            var history = NetworkTrainer.Train(network, train, validation, training, new Reporter(context, options.Progress),
                options.CancellationToken, options.BatchProgress);
            return new CnnTransformer(network, options.FeatureColumnName, options.LabelColumnName, KeyValueSet.FromColumn(label), history);
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    /// <summary>Adds <c>Score</c> (a vector of <c>Single</c>) and <c>PredictedLabel</c> (a key), each annotated with the
    /// class names when the label has key values.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The label is missing or not a scalar key, or the features are missing
    /// or not a vector of <c>Single</c>.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var label = SchemaErrors.Find(inputSchema, "label", options.LabelColumnName);
        if (!label.IsKey || label.Kind != SchemaShape.Column.VectorKind.Scalar)
            throw SchemaErrors.Mismatch("label", options.LabelColumnName, "Key", label.GetTypeString(), LabelHint);
        var features = SchemaErrors.Find(inputSchema, "feature", options.FeatureColumnName);
        if (features.Kind == SchemaShape.Column.VectorKind.Scalar || features.IsKey || !features.ItemType.Equals(NumberDataViewType.Single))
            throw SchemaErrors.Mismatch("feature", options.FeatureColumnName, "Vector<Single>", features.GetTypeString());
        bool named = label.Annotations.TryFindColumn(AnnotationUtils.Kinds.KeyValues, out var keyValues);
        var vectorKind = SchemaShape.Column.VectorKind.Vector;
        var score = new SchemaShape.Column(DefaultColumnNames.Score, vectorKind, NumberDataViewType.Single, false,
            new SchemaShape(named ? [new SchemaShape.Column(AnnotationUtils.Kinds.SlotNames, vectorKind, TextDataViewType.Instance, false)] : []));
        var predicted = new SchemaShape.Column(DefaultColumnNames.PredictedLabel, SchemaShape.Column.VectorKind.Scalar,
            NumberDataViewType.UInt32, true, new SchemaShape(named ? [keyValues] : []));
        return new SchemaShape(inputSchema.Append(score).Append(predicted));
    }

    private const string LabelHint = "Map the label to a key first: ml.Transforms.Conversion.MapValueToKey(\"Label\").";

    private (DataViewSchema.Column Label, DataViewSchema.Column Features, int Classes) CheckInput(DataViewSchema schema)
    {
        var label = SchemaErrors.Find(schema, "label", options.LabelColumnName);
        if (label.Type is not KeyDataViewType key)
            throw SchemaErrors.Mismatch("label", options.LabelColumnName, "Key", label.Type.ToString()!, LabelHint);
        if (key.Count < 2 || key.Count > 100_000)
            throw SchemaErrors.Mismatch("label", options.LabelColumnName, "a key of 2 to 100,000 classes", key.ToString());
        var features = CnnTransformer.CheckFeatures(schema, options.FeatureColumnName, options.Architecture.InputShape);
        return (label, features, (int)key.Count);
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
        context.Write(LogSource, ChannelMessageKind.Info, $"{definition.Name} ends in {last}; resized to Linear({classes}) for {classes} classes.");
        return new NetworkDefinition(definition.Name, definition.Layers.SetItem(definition.Layers.Length - 1, last with { OutFeatures = classes }),
            definition.InputShape);
    }

    /// <summary>Forwards each epoch's figures to the user and to the context's log, on the training thread.</summary>
    private sealed class Reporter(MLContext context, IProgress<EpochProgress>? user) : IProgress<EpochProgress>
    {
        public void Report(EpochProgress value)
        {
            context.Write(LogSource, ChannelMessageKind.Info, value.ToString());
            user?.Report(value);
        }
    }
}
