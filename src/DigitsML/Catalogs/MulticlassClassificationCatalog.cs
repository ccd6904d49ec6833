// MulticlassClassificationCatalog.cs — ml.MulticlassClassification: the CNN trainer, evaluation and cross-validation.
using DigitsML.Data;
using DigitsML.Engine;
using DigitsML.Trainers;

namespace DigitsML;

/// <summary>Multiclass classification, reached as <c>ml.MulticlassClassification</c>.</summary>
public sealed class MulticlassClassificationCatalog : TrainCatalogBase
{
    internal MulticlassClassificationCatalog(MLContext context) : base(context) => Trainers = new MulticlassClassificationTrainers(context);

    /// <summary>The trainers.</summary>
    public MulticlassClassificationTrainers Trainers { get; }

    /// <summary>Evaluates scored data as ML.NET does: the prediction is the arg-max of <paramref name="scoreColumnName"/>,
    /// log-loss uses the score of the true class as its probability. See <see cref="MulticlassClassificationMetrics"/>.</summary>
    /// <param name="data">Scored data, e.g. <c>model.Transform(test)</c>.</param>
    /// <param name="labelColumnName">The truth: a key (class = key − 1; key 0 rows are skipped) or a Single/Double class
    /// index; default "Label".</param>
    /// <param name="scoreColumnName">Class probabilities, a known-size vector of Single whose slot names (if any) name the
    /// classes; default "Score".</param>
    /// <param name="predictedLabelColumnName">Must exist, as in ML.NET; not read (the arg-max of the score is used); default "PredictedLabel".</param>
    /// <param name="topKPredictionCount">When positive, top-k accuracies for k = 1 .. this are computed; default 0.</param>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="DataValueException">No row has a valid label and finite scores (empty data); the message names the columns.</exception>
    public MulticlassClassificationMetrics Evaluate(IDataView data, string labelColumnName = DefaultColumnNames.Label,
        string scoreColumnName = DefaultColumnNames.Score, string predictedLabelColumnName = DefaultColumnNames.PredictedLabel,
        int topKPredictionCount = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(topKPredictionCount);
        return MulticlassEvaluator.Evaluate(data, labelColumnName, scoreColumnName, predictedLabelColumnName, topKPredictionCount);
    }

    /// <summary>Evaluates a voting ensemble and each of its members on the same rows, as <see cref="Evaluate"/> does for one model.</summary>
    /// <param name="model">A <see cref="VotingEnsembleTransformer"/>, or a chain holding one (e.g. MapValueToKey then the
    /// ensemble): the steps before the ensemble prepare its input, the steps after it are not applied.</param>
    /// <param name="data">The model's input, e.g. the raw test set.</param>
    /// <param name="labelColumnName">The truth, as for <see cref="Evaluate"/>; default "Label".</param>
    /// <param name="topKPredictionCount">As for <see cref="Evaluate"/>; default 0.</param>
    /// <exception cref="ArgumentException"><paramref name="model"/> holds no voting ensemble.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type; the message names it.</exception>
    /// <exception cref="DataValueException">No row has a valid label and finite scores.</exception>
    public VotingEnsembleMetrics EvaluateEnsemble(ITransformer model, IDataView data, string labelColumnName = DefaultColumnNames.Label,
        int topKPredictionCount = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(topKPredictionCount);
        return VotingEnsembleMetrics.Evaluate(model, data, labelColumnName, topKPredictionCount);
    }

    /// <summary>Cross-validates <paramref name="estimator"/>: each row is drawn into one of <paramref name="numberOfFolds"/>
    /// folds (repeatably, from the seed and its position, so fold sizes are close to equal, not exact); for each fold the
    /// estimator is fitted on the other folds and evaluated on it. Folds run one after another. Dispose each result's model.</summary>
    /// <param name="data">The rows.</param>
    /// <param name="estimator">The pipeline to fit; its output must have Score and PredictedLabel.</param>
    /// <param name="numberOfFolds">At least 2; default 5.</param>
    /// <param name="labelColumnName">The label column of the scored data evaluated; default "Label".</param>
    /// <param name="seed">Seeds the folds; null (default) takes the next number of the context's random sequence.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="numberOfFolds"/> is less than 2, or a column is
    /// missing or of the wrong type.</exception>
    public IReadOnlyList<CrossValidationResult<MulticlassClassificationMetrics>> CrossValidate(IDataView data,
        IEstimator<ITransformer> estimator, int numberOfFolds = 5, string labelColumnName = DefaultColumnNames.Label, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentOutOfRangeException.ThrowIfLessThan(numberOfFolds, 2);
        int s = seed ?? Context.NextRandom();
        estimator.GetOutputSchema(SchemaShape.Create(data.Schema));
        int FoldOf(long position) => Math.Min((int)(RowHash.Uniform(s, position) * numberOfFolds), numberOfFolds - 1);
        var results = new List<CrossValidationResult<MulticlassClassificationMetrics>>(numberOfFolds);
        try
        {
            for (int fold = 0; fold < numberOfFolds; fold++)
            {
                int f = fold;
                var train = new RowFilterDataView(data, p => FoldOf(p) != f);
                var test = new RowFilterDataView(data, p => FoldOf(p) == f);
                var model = estimator.Fit(train);
                try
                {
                    var scored = model.Transform(test);
                    results.Add(new CrossValidationResult<MulticlassClassificationMetrics>(model, Evaluate(scored, labelColumnName), scored, fold));
                }
                catch
                {
                    (model as IDisposable)?.Dispose();
                    throw;
                }
            }
            return results;
        }
        catch
        {
            foreach (var r in results)
                (r.Model as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>The multiclass trainers, reached as <c>ml.MulticlassClassification.Trainers</c>.</summary>
    public sealed class MulticlassClassificationTrainers
    {
        private readonly MLContext context;

        internal MulticlassClassificationTrainers(MLContext context) => this.context = context;

        /// <summary>A convolutional network trainer with the common settings; every other setting takes its
        /// <see cref="CnnTrainer.Options"/> default.</summary>
        /// <param name="labelColumnName">The key label; default "Label".</param>
        /// <param name="featureColumnName">The Single feature vector (pixels in [0, 1]); default "Features".</param>
        /// <param name="architecture">The network; default null, <see cref="CnnArchitectures.SeedNet"/>.</param>
        /// <param name="epochs">Passes over the data; default 10.</param>
        /// <param name="batchSize">Examples per step; default 64.</param>
        /// <exception cref="ArgumentOutOfRangeException">A setting is out of range.</exception>
        /// <exception cref="InvalidNetworkException">The architecture does not fit its input shape.</exception>
        public CnnTrainer Cnn(string labelColumnName = DefaultColumnNames.Label, string featureColumnName = DefaultColumnNames.Features,
            NetworkDefinition? architecture = null, int epochs = 10, int batchSize = 64) =>
            new(context, new CnnTrainer.Options
            {
                LabelColumnName = labelColumnName,
                FeatureColumnName = featureColumnName,
                Architecture = architecture ?? CnnArchitectures.SeedNet,
                Epochs = epochs,
                BatchSize = batchSize,
            });

        /// <summary>A convolutional network trainer with every setting given by <paramref name="options"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        /// <exception cref="ArgumentOutOfRangeException">A setting is out of range; the message names it.</exception>
        /// <exception cref="InvalidNetworkException">The architecture does not fit its input shape.</exception>
        public CnnTrainer Cnn(CnnTrainer.Options options) => new(context, options);

        /// <summary>A voting ensemble of <paramref name="members"/> with every other setting at its
        /// <see cref="VotingEnsembleEstimator.Options"/> default: soft voting (mean probability), columns "Score" and "PredictedLabel".</summary>
        /// <param name="members">Estimators whose fitted transformers add a "Score" of probabilities over the same classes:
        /// CNN trainers of any architectures or seeds, chains ending in one, or other ensembles.</param>
        /// <exception cref="ArgumentNullException"><paramref name="members"/> is null.</exception>
        /// <exception cref="ArgumentException">There is no member, or a member is null.</exception>
        public VotingEnsembleEstimator VotingEnsemble(params IEstimator<ITransformer>[] members)
        {
            ArgumentNullException.ThrowIfNull(members);
            return new(context, new VotingEnsembleEstimator.Options { Members = members });
        }

        /// <summary>A voting ensemble with every setting given by <paramref name="options"/>.</summary>
        /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
        /// <exception cref="ArgumentException">There is no member, a member is null, or a column name is empty or repeated.</exception>
        /// <exception cref="ArgumentOutOfRangeException">The voting kind is not defined.</exception>
        public VotingEnsembleEstimator VotingEnsemble(VotingEnsembleEstimator.Options options) => new(context, options);
    }
}
